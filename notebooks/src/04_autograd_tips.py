# Chapter 04: review and common mistakes (seed document 003_06eb90092a57de85).
# Built into notebooks/04_autograd_tips.ipynb and notebooks/zh/04_autograd_tips.ipynb by
# notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 04 · Review and common mistakes
#
# The source document of this chapter repeats, on the same graph $y = (x + w)(w + 1)$, much of
# what chapters 01-03 taught, and ends with three tips (小贴士). So this chapter is a review: before
# each experiment, **predict** what it will print, then run it and compare. Around the source's
# experiments come the mistakes that cost beginners the most time, each shown happening.
#
# **In this chapter you will**
#
# - predict, then check: `retain_graph`, weighted vector outputs, second derivatives;
# - test the source's three tips, and correct two of them where they say too much or too little;
# - learn the exact rule for what a leaf is, and why a leaf that requires grad refuses in-place
#   changes;
# - meet five common mistakes: `total_loss += loss`, `.numpy()` on a tensor that requires grad,
#   `* 0.01` or `.to()` on a new parameter, forgetting to zero gradients, and changing a saved
#   tensor in place.
#
# Terms: see the [glossary](glossary.md). The source's notes are quoted as "源文档" (source document).
# Its code cells are kept as they were; their comments become English comments, the import reads
# `import autograd_lab as torch` (and also brings in the drawing tools and `check`), and every
# other change is said where it is made.

# %% [markdown] lang=zh
# # 04 · 复习与常见错误
#
# 本章的源文档在同一张图 $y = (x + w)(w + 1)$ 上重复了第 01-03 章的许多内容，最后给出三条
# 小贴士。所以本章是一次复习：每个实验之前，先**预测**它会打印什么，再运行、对照。在源文档的
# 实验之间，穿插初学者最费时间的几个错误，每个都现场演示。
#
# **在本章中，你将**
#
# - 先预测再验证：`retain_graph`、加权的向量输出、二阶导数；
# - 检验源文档的三条小贴士，并更正其中说得过多或过少的两条；
# - 学会“叶子”的确切规则，以及需要梯度的叶子为什么拒绝原地修改；
# - 认识五个常见错误：`total_loss += loss`、对需要梯度的张量调用 `.numpy()`、对新参数做
#   `* 0.01` 或 `.to()`、忘记清零梯度、原地修改被保存的张量。
#
# 术语见[术语表](../glossary.md)。源文档的笔记以“源文档：”引用。源文档的代码单元格保持原样：
# 注释改成英文，导入写作 `import autograd_lab as torch`（同时导入绘图工具和 `check`），其他改动
# 都在改动处说明。

# %% seeds="003/In [1]" tags=silent lang=en
import autograd_lab as torch   # the PyTorch original: import torch
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check

# %% seeds="003/In [1]" tags=silent lang=zh
import autograd_lab as torch   # the PyTorch original: import torch
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check
torch.set_language("zh")   # 动画面板和练习反馈用中文（PyTorch 没有这一行）

# %% [markdown] lang=en
# ## Walking a graph twice: `retain_graph`
#
# **Predict:** the cell prints `w.grad` after the first pass. What does it print, and what will
# `w.grad` hold after the second pass? (Chapter 01 derived $\partial y/\partial w = 2w + x + 1$.)
#
# The first `backward` keeps the saved tensors (`retain_graph=True`), so the second can use them;
# the second does not keep them, so a third would fail.

# %% [markdown] lang=zh
# ## 把一张图走两遍：`retain_graph`
#
# **预测：** 这个单元格在第一次反向传播后打印 `w.grad`。它打印什么？第二次之后 `w.grad` 又是
# 多少？（第 01 章推导过 $\partial y/\partial w = 2w + x + 1$。）
#
# 第一次 `backward` 保留了保存的张量（`retain_graph=True`），第二次才能使用它们；第二次没有
# 保留，所以第三次会失败。

# %% seeds="003/In [3]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward(retain_graph=True)
print(w.grad)
y.backward()

# %% [markdown] lang=en
# 5, and after the second pass 10: each call adds. The picture shows it (`grad` = 10 in `w`'s
# box), and shows what the second pass did not retain: the saved tensors of `MulBackward0` are
# freed (dashed).

# %% [markdown] lang=zh
# 打印 5，第二次之后是 10：每次调用都会累加。图中 `w` 的框里写着 `grad` = 10，也能看到第二次
# 没有保留的东西：`MulBackward0` 保存的张量已被释放（虚线）。

# %%
render_graph(y, show_saved=True)

# %% [markdown] lang=en
# ## Weighting a vector output: `gradient=`
#
# > 源文档：gradient 传入 torch.autograd.backward()中的grad_tensors
#
# **Predict:** `loss = [y0, y1]` with weights `[1, 2]`, where $y_1 = (x + w) + (w + 1)$. What is
# `w.grad`?

# %% [markdown] lang=zh
# ## 给向量输出加权：`gradient=`
#
# > 源文档：gradient 传入 torch.autograd.backward()中的grad_tensors
#
# **预测：** `loss = [y0, y1]`，权重 `[1, 2]`，其中 $y_1 = (x + w) + (w + 1)$。`w.grad` 是多少？

# %% seeds="003/In [4]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)     # retain_grad()
b = torch.add(w, 1)

y0 = torch.mul(a, b)    # y0 = (x+w) * (w+1)
y1 = torch.add(a, b)    # y1 = (x+w) + (w+1)    dy1/dw = 2

loss = torch.cat([y0, y1], dim=0)       # [y0, y1]
grad_tensors = torch.tensor([1., 2.])

# gradient= here is grad_tensors= of torch.autograd.backward()
loss.backward(gradient=grad_tensors)

print(w.grad)

# %% [markdown] lang=en
# The gradient is that of $1 \cdot y_0 + 2 \cdot y_1$: $\partial y_0/\partial w = 5$ and
# $\partial y_1/\partial w = 2$, so $1 \cdot 5 + 2 \cdot 2 = 9$. `highlight=[loss, w]` marks every
# path from `loss` down to `w`: the four routes along which pieces of `w.grad` travelled (through
# `y0` and `y1`, each through `a` and `b`).

# %% [markdown] lang=zh
# 梯度就是 $1 \cdot y_0 + 2 \cdot y_1$ 的梯度：$\partial y_0/\partial w = 5$，
# $\partial y_1/\partial w = 2$，所以 $1 \cdot 5 + 2 \cdot 2 = 9$。`highlight=[loss, w]` 标出
# 从 `loss` 到 `w` 的每一条路径：`w.grad` 的各个部分走过的四条路线（经过 `y0` 和 `y1`，
# 每条又经过 `a` 和 `b`）。

# %%
render_graph(loss, highlight=[loss, w])

# %% [markdown] lang=en
# The same pass animated, on a fresh graph: `CatBackward0` receives `[1, 2]` and splits it, `1`
# down the `y0` branch and `2` down the `y1` branch. The pieces for `w` meet in the engine's
# buffer and reach `w`'s `AccumulateGrad` as one sum, $1 \cdot 3 + 1 \cdot 2 + 2 \cdot 1 + 2 \cdot
# 1 = 9$.

# %% [markdown] lang=zh
# 在一张新图上把同一次反向传播做成动画：`CatBackward0` 收到 `[1, 2]` 并把它拆开，`1` 走 `y0`
# 分支，`2` 走 `y1` 分支。给 `w` 的各部分在引擎的缓冲区里汇合，作为一个和到达 `w` 的
# `AccumulateGrad`：$1 \cdot 3 + 1 \cdot 2 + 2 \cdot 1 + 2 \cdot 1 = 9$。

# %%
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y0 = torch.mul(a, b)
y1 = torch.add(a, b)
loss = torch.cat([y0, y1], dim=0)
grad_tensors = torch.tensor([1., 2.])
animate_backward(loss, grad_tensors)

# %% [markdown] lang=en
# ## Second derivatives: `create_graph`
#
# **Predict:** for $y = x^2$ at $x = 3$, what do `grad_1` and `grad_2` print, and which of them
# has a `grad_fn`?
#
# The first `autograd.grad` records its own computation (`create_graph=True`), which is what the
# second one differentiates.

# %% [markdown] lang=zh
# ## 二阶导数：`create_graph`
#
# **预测：** 对 $y = x^2$，在 $x = 3$ 处，`grad_1` 和 `grad_2` 打印什么？哪一个带 `grad_fn`？
#
# 第一次 `autograd.grad` 记录下它自己的计算（`create_graph=True`），第二次求导的正是这个计算。

# %% seeds="003/In [6]"
x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)     # y = x**2

# grad_1 = dy/dx = 2x = 2 * 3 = 6
grad_1 = torch.autograd.grad(y, x, create_graph=True)
print("grad_1: ", grad_1)

# grad_2 = d(dy/dx)/dx = d(2x)/dx = 2
grad_2 = torch.autograd.grad(grad_1[0], x)
print("grad_2: ", grad_2)

# %% [markdown] lang=en
# With `higher_order=True` the picture also shows the graph of `grad_1[0]`: an ordinary graph,
# built by the first backward pass (derivative order 1), with what its nodes saved.

# %% [markdown] lang=zh
# 加上 `higher_order=True`，图中还会画出 `grad_1[0]` 的计算图：一张普通的图，由第一次反向传播
# 构建（一阶导数），连同它的节点保存的张量。

# %%
render_graph(y, grad_1[0], higher_order=True, show_saved=True)

# %% [markdown] lang=en
# ## The source's three tips
#
# > 源文档：autograd小贴士：
# > - 梯度不自动清零
# > - 依赖于叶子结点的结点，requires_grad默认为True
# > - 叶子结点不可执行in-place
#
# (Autograd tips: gradients are not zeroed automatically; a node that depends on a leaf node
# has requires_grad True by default; a leaf node cannot be changed in place.) Each gets its
# experiment, and the second and third a correction.
#
# ### Tip 1: gradients are not zeroed automatically
#
# **Predict:** the loop builds a fresh graph four times and backpropagates each. What do the four
# lines print?

# %% [markdown] lang=zh
# ## 源文档的三条小贴士
#
# > 源文档：autograd小贴士：
# > - 梯度不自动清零
# > - 依赖于叶子结点的结点，requires_grad默认为True
# > - 叶子结点不可执行in-place
#
# 每一条都有它的实验，第二条和第三条还需要更正。
#
# ### 小贴士 1：梯度不自动清零
#
# **预测：** 循环四次，每次建一张新图并反向传播。四行分别打印什么？

# %% seeds="003/In [7]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

for i in range(4):
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(w.grad)

    w.grad.zero_()

# %% [markdown] lang=en
# **Mistake 1: forgetting to zero.** `w.grad.zero_()` at the end of each step is what keeps the
# printed gradient at 5. Without it (the same loop, that line removed):

# %% [markdown] lang=zh
# **错误 1：忘记清零。** 每一步最后的 `w.grad.zero_()` 让打印的梯度保持为 5。去掉这一行
# （其余不变）：

# %% id=ch04-forget-zero
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
for i in range(4):
    y = torch.mul(torch.add(w, x), torch.add(w, 1))
    y.backward()
    print(w.grad)

# %% [markdown] lang=en
# In a training loop this does not raise anything: it silently makes every step use the sum of all
# gradients so far (chapter 06 shows the damage live).
#
# ### Tip 2: who requires grad
#
# **Predict:** do `a`, `b` and `y` require grad?

# %% [markdown] lang=zh
# 在训练循环里这不会报任何错：它只是悄悄地让每一步都用到目前为止所有梯度之和（第 06 章现场
# 展示它的后果）。
#
# ### 小贴士 2：谁需要梯度
#
# **预测：** `a`、`b`、`y` 需要梯度吗？

# %% seeds="003/In [12]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

print(a.requires_grad, b.requires_grad, y.requires_grad)

# %% [markdown] lang=en
# The tip says "depends on a leaf", which is not quite the rule. A result requires grad when at
# least one of its inputs requires grad **and** recording is on. A tensor computed only from
# leaves that need no gradient does not require grad, and nothing computed inside
# `torch.no_grad()` does, whatever its inputs:

# %% [markdown] lang=zh
# 这条小贴士说“依赖于叶子结点”，这并不是确切的规则。只有当至少一个输入需要梯度，**并且**
# 记录是开着的，结果才需要梯度。只由不需要梯度的叶子计算出来的张量不需要梯度；在
# `torch.no_grad()` 里计算出来的张量，不论输入是什么，都不需要梯度：

# %% id=ch04-requires-grad-flows
w = torch.tensor([1.], requires_grad=True)
c = torch.tensor([2.])            # a leaf that needs no gradient
print((c * 2).requires_grad)      # depends only on c
print((w * c).requires_grad)      # one input requires grad
with torch.no_grad():
    print((w * c).requires_grad)  # recording is off

# %% [markdown] lang=en
# ### What a leaf is, exactly
#
# "A tensor you created, not computed" is a good first picture, and wrong in both directions.
# The rule: **a tensor is a leaf when its `grad_fn` is `None`**. Every tensor that does not
# require grad is a leaf by convention, even a computed one; and a tensor that requires grad and
# was computed is not a leaf, even if you think of it as "a parameter you made".
#
# **Predict:** is `torch.zeros(2) * 3` a leaf? Is `torch.randn(3, requires_grad=True) * 0.01`?

# %% [markdown] lang=zh
# ### 叶子的确切定义
#
# “自己创建的、不是计算出来的张量”是个不错的初步印象，但两个方向上都不对。规则是：
# **一个张量的 `grad_fn` 是 `None` 时，它就是叶子。** 按照约定，所有不需要梯度的张量都是叶子，
# 即使它是计算出来的；而需要梯度又是计算出来的张量不是叶子，即使你把它当作“自己创建的参数”。
#
# **预测：** `torch.zeros(2) * 3` 是叶子吗？`torch.randn(3, requires_grad=True) * 0.01` 呢？

# %% id=ch04-leaf-rule
print((torch.zeros(2) * 3).is_leaf, (torch.zeros(2) * 3).grad_fn)
torch.manual_seed(0)
p = torch.randn(3, requires_grad=True) * 0.01
print(p.is_leaf, p.grad_fn.name())

# %% [markdown] lang=en
# **Mistake 2: scaling a new parameter after asking for its gradient.** That `p` is the classic
# "why is my `.grad` None": the leaf is the unnamed `randn` tensor, `p` is the result of a
# multiplication, and backward fills only leaves. Reading `p.grad` gives `None` and a warning
# (caught and printed here). `.to(torch.float64)` (or `.double()`) on a fresh parameter
# does the same: it records a `ToCopyBackward0`. The fix: scale or convert first, then ask for
# gradients.

# %% [markdown] lang=zh
# **错误 2：先要求梯度，再缩放新参数。** 这个 `p` 就是经典的“为什么我的 `.grad` 是 None”：
# 叶子是那个没有名字的 `randn` 张量，`p` 是乘法的结果，而反向传播只填充叶子。读取 `p.grad`
# 得到 `None` 和一条警告（这里捕获并打印出来）。对新参数调用 `.to(torch.float64)`（或
# `.double()`）也一样：它会记录一个 `ToCopyBackward0`。改正方法：先缩放或转换，
# 再要求梯度。

# %% id=ch04-nonleaf-param
import warnings

(p * p).sum().backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(p.grad)
print("UserWarning:", str(caught[0].message)[:93], "...")

q = torch.ones(3, requires_grad=True).to(torch.float64)
print(q.is_leaf, q.grad_fn.name())

fixed = (torch.randn(3) * 0.01).requires_grad_()   # scale first, then ask for gradients
(fixed * fixed).sum().backward()
print(fixed.is_leaf, fixed.grad)

# %% [markdown] lang=en
# ## New tensor or the same one? `a = a + 1` versus `a += 1`
#
# **Predict:** after `a = a + ...`, is `a` the same object as before? And after `a += ...`?
#
# The source prints `id(a)`, the identity of the object behind the name `a`. Raw ids change from
# run to run, so we print whether the id is still the one we remembered (a change to the source's
# code). `a + b` builds a **new** tensor and rebinds the name `a` to it; the old tensor is
# untouched.

# %% [markdown] lang=zh
# ## 新张量还是同一个？`a = a + 1` 与 `a += 1`
#
# **预测：** 执行 `a = a + ...` 之后，`a` 还是原来那个对象吗？执行 `a += ...` 之后呢？
#
# 源文档打印 `id(a)`，即名字 `a` 背后那个对象的标识。原始的 id 每次运行都不同，所以我们打印
# 的是 id 是否仍是记下的那个（这是对源代码的改动）。`a + b` 建立一个**新**张量，并把名字 `a`
# 重新绑定到它上面；旧的张量不受影响。

# %% seeds="003/In [14]"
a = torch.ones((1, ))
first_id = id(a)
print(id(a) == first_id, a)

a = a + torch.ones((1, ))
print(id(a) == first_id, a)   # False: a is a new tensor
second_id = id(a)

# %% [markdown] lang=en
# `a += b` is **in place**: the same tensor, its memory overwritten. Every tensor counts its
# in-place changes in `_version`; that counter is how autograd notices that a value it saved has
# been changed since (the last experiment of this chapter).

# %% [markdown] lang=zh
# `a += b` 是**原地**操作：同一个张量，内存被覆盖。每个张量都在 `_version` 里数自己被原地
# 修改的次数；autograd 正是靠这个计数器发现它保存的值后来被改过（本章最后一个实验）。

# %% seeds="003/In [15]"
a += torch.ones((1, ))
print(id(a) == second_id, a)   # True: the same tensor, changed in place
print("version:", a._version)

# %% [markdown] lang=en
# ### Tip 3: a leaf that requires grad cannot be changed in place
#
# **Predict:** which line fails, `w.add_(1)` or `y.backward()`? (The source's cell stops at the
# error; here it is caught.)

# %% [markdown] lang=zh
# ### 小贴士 3：需要梯度的叶子不能原地修改
#
# **预测：** 哪一行会失败，`w.add_(1)` 还是 `y.backward()`？（源文档的单元格停在这个错误上；
# 这里把它捕获了。）

# %% seeds="003/In [17]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

try:
    w.add_(1)

    y.backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown] lang=en
# `w.add_(1)` fails, before any backward. It is tempting to explain this with the graph ("`y`
# was computed from the old `w`"), but the graph has nothing to do with it: the same call on a
# fresh leaf, with no graph anywhere, fails with the same message. The reason is what a leaf is.
# An operation on a tensor that requires grad is recorded, and an in-place one would give `w`
# itself that operation's `grad_fn`: `w` would stop being a leaf, and there would be no tensor
# left to receive the gradient you asked for. Changing a parameter's value is legitimate, but it
# is not part of what you differentiate: do it under `torch.no_grad()`, where nothing is
# recorded (this is how every optimizer updates its parameters).

# %% [markdown] lang=zh
# 失败的是 `w.add_(1)`，在任何反向传播之前。人们容易用计算图来解释（“`y` 是用旧的 `w` 算出来
# 的”），但这与计算图无关：在一个全新的叶子上做同样的调用，周围没有任何计算图，也会以同样的
# 消息失败。原因在于叶子本身。对需要梯度的张量的运算会被记录，而原地运算会让 `w` 自己带上这个
# 运算的 `grad_fn`：`w` 就不再是叶子，也就没有张量来接收你要求的梯度了。改变参数的值是正当的，
# 但它不属于你要求导的计算：请在 `torch.no_grad()` 里做，那里什么都不记录（所有优化器都是这样
# 更新参数的）。

# %% id=ch04-leaf-inplace-no-graph
w = torch.tensor([1.], requires_grad=True)   # a fresh leaf: no graph anywhere
try:
    w.add_(1)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
with torch.no_grad():
    w.add_(1)                                # not recorded: allowed
print(w, w.is_leaf, "version:", w._version)

# %% [markdown] lang=en
# ### Mistake 3: changing a saved tensor in place
#
# The version counter is a separate safety net, for tensors a node **saved**. A non-leaf may be
# changed in place, and often that is fine. But `MulBackward0` saved `a` to compute `b`'s
# gradient; after `a.add_(1)` the saved value no longer matches its version counter, and the
# backward pass refuses to use it. The picture marks the stale saved tensor and the node that
# would fail in red.

# %% [markdown] lang=zh
# ### 错误 3：原地修改被保存的张量
#
# 版本计数器是另一道独立的保险，针对的是节点**保存**的张量。非叶子可以原地修改，很多时候也
# 没问题。但 `MulBackward0` 保存了 `a`，用来计算 `b` 的梯度；`a.add_(1)` 之后，保存的值与它的
# 版本计数器对不上，反向传播就拒绝使用它。图中用红色标出过期的保存张量，以及会失败的节点。

# %% id=ch04-saved-inplace
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
a.add_(1)
try:
    y.backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %%
render_graph(y, show_saved=True)

# %% [markdown] lang=en
# ### Mistake 4: `total_loss += loss`
#
# Summing losses over a loop to report their total looks harmless. But `loss` is a tensor with a
# graph, so `total_loss` becomes one too, and every iteration's graph stays alive, attached to
# it, until `total_loss` goes away. Counting the nodes reachable from `total_loss.grad_fn`
# (walking `next_functions` with a list, not recursion):

# %% [markdown] lang=zh
# ### 错误 4：`total_loss += loss`
#
# 在循环里把损失加起来汇报总和，看起来无害。但 `loss` 是带着计算图的张量，所以 `total_loss`
# 也变成了带图的张量，每一轮的计算图都挂在它上面、一直存活，直到 `total_loss` 被释放。数一数
# 从 `total_loss.grad_fn` 出发能到达的节点（用一个列表沿 `next_functions` 遍历，不用递归）：

# %% id=ch04-total-loss
def count_nodes(tensor):
    seen, todo = set(), [tensor.grad_fn]
    while todo:
        node = todo.pop()
        if node is not None and node not in seen:
            seen.add(node)
            todo.extend(next_node for next_node, _ in node.next_functions)
    return len(seen)


w = torch.tensor(1.0, requires_grad=True)
total_loss = 0
for step in range(100):
    loss = (w * step - 1) ** 2
    total_loss += loss            # keeps every step's graph alive
print(total_loss, " nodes kept:", count_nodes(total_loss))

total = 0
for step in range(100):
    loss = (w * step - 1) ** 2
    total += loss.item()          # a Python number: the graph can go
print(total)

# %% [markdown] lang=en
# 401 nodes: four per step, plus `w`'s `AccumulateGrad`. With a real model, each step's graph
# holds the step's activations, and memory grows until the program stops. Use `loss.item()` (a
# number) or `loss.detach()` for bookkeeping.
#
# ### Mistake 5: `.numpy()` on a tensor that requires grad
#
# NumPy knows nothing of graphs, so autograd refuses to hand one over silently. The error says
# the fix: `detach()` first (the result shares memory, see chapter 03).

# %% [markdown] lang=zh
# 401 个节点：每一步四个，再加上 `w` 的 `AccumulateGrad`。对于真实的模型，每一步的计算图都持有
# 这一步的激活值，内存会一直增长，直到程序停下。记账时请用 `loss.item()`（一个数）或
# `loss.detach()`。
#
# ### 错误 5：对需要梯度的张量调用 `.numpy()`
#
# NumPy 对计算图一无所知，所以 autograd 不会悄悄地交出去。错误信息里就写着改法：先
# `detach()`（结果共享内存，见第 03 章）。

# %% id=ch04-numpy
w = torch.ones(3, requires_grad=True)
try:
    w.numpy()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
print(w.detach().numpy())

# %% [markdown] lang=en
# ## Exercises
#
# Each exercise cell makes its own tensors, so it can be run again at any time. Write your
# answer in place of `None` and run the cell.
#
# **04.1** The loop of tip 1, without `w.grad.zero_()`, runs three times. What is `w.grad`
# afterwards?

# %% [markdown] lang=zh
# ## 练习
#
# 每个练习单元格都自己创建张量，随时可以重新运行。把 `None` 换成你的答案，再运行单元格。
#
# **04.1** 小贴士 1 的循环去掉 `w.grad.zero_()`，运行三次。之后 `w.grad` 是多少？

# %% id=ch04-ex1
answer = None   # a number
check("04.1", answer)

# %% [markdown] lang=en
# **04.2** `v = torch.ones(3, requires_grad=True).double()`. Is `v.is_leaf` `True` or `False`?

# %% [markdown] lang=zh
# **04.2** `v = torch.ones(3, requires_grad=True).double()`。`v.is_leaf` 是 `True` 还是 `False`？

# %% id=ch04-ex2
answer = None   # True or False
check("04.2", answer)

# %% [markdown] lang=en
# **04.3** `loss = torch.cat([y0, y1])` as in the weighting experiment, backpropagated with
# `gradient=torch.tensor([2., 0.])`. What is `w.grad`?

# %% [markdown] lang=zh
# **04.3** 像加权实验里那样的 `loss = torch.cat([y0, y1])`，用
# `gradient=torch.tensor([2., 0.])` 反向传播。`w.grad` 是多少？

# %% id=ch04-ex3
answer = None   # a number
check("04.3", answer)

# %% [markdown] lang=en
# **04.4 (code)** `make_weights()` below should return a weight vector of 3 small random numbers
# (`randn` times 0.01) whose `.grad` gets filled by a backward pass. It does not: fix it, then set
# `answer = make_weights`. The check calls it, backpropagates `(w * w).sum()` and looks at
# `.grad`.

# %% [markdown] lang=zh
# **04.4（写代码）** 下面的 `make_weights()` 应当返回一个由 3 个小随机数（`randn` 乘以 0.01）
# 组成的权重向量，并且反向传播能填充它的 `.grad`。现在做不到：修好它，然后令
# `answer = make_weights`。检查会调用它，对 `(w * w).sum()` 反向传播，再查看 `.grad`。

# %% id=ch04-ex4
def make_weights():
    return torch.randn(3, requires_grad=True) * 0.01


answer = None   # when make_weights is fixed: answer = make_weights
check("04.4", answer)

# %% [markdown] lang=en
# ## Recap
#
# - `.grad` adds up across backward calls: zero it (tip 1), or every step uses all the past ones.
# - A result requires grad when an input requires grad and recording is on (not inside
#   `no_grad`); "depends on a leaf" is not enough.
# - A leaf is a tensor whose `grad_fn` is `None`. `randn(..., requires_grad=True) * 0.01` or
#   `.to(...)` gives a non-leaf whose `.grad` stays `None`: scale or convert first.
# - A leaf that requires grad refuses in-place changes even with no graph: update it under
#   `no_grad`. The version counter separately protects tensors a node saved.
# - Report losses with `.item()`, and `.detach()` before `.numpy()`.
#
# Next: [05 · `grad_fn` by hand, and custom Functions](05_grad_fn_by_hand_and_custom_functions.ipynb).

# %% [markdown] lang=zh
# ## 小结
#
# - `.grad` 在多次反向传播调用之间累加：要清零（小贴士 1），否则每一步都会用到过去所有的梯度。
# - 当某个输入需要梯度、并且记录是开着的（不在 `no_grad` 里）时，结果才需要梯度；只“依赖于
#   叶子”是不够的。
# - 叶子就是 `grad_fn` 为 `None` 的张量。`randn(..., requires_grad=True) * 0.01` 或 `.to(...)`
#   得到的不是叶子，它的 `.grad` 一直是 `None`：先缩放或转换。
# - 需要梯度的叶子即使没有计算图也拒绝原地修改：在 `no_grad` 里更新它。版本计数器另外保护
#   节点保存的张量。
# - 汇报损失时用 `.item()`；调用 `.numpy()` 之前先 `.detach()`。
#
# 下一章：[05 · 手动调用 `grad_fn` 与自定义 Function](05_grad_fn_by_hand_and_custom_functions.ipynb)。
