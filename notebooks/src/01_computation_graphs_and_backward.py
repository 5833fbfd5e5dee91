# Chapter 01: computation graphs and backward (seed document 000_0bdeb554638b7c07).
# Built into notebooks/01_computation_graphs_and_backward.ipynb (English) and
# notebooks/zh/01_computation_graphs_and_backward.ipynb (Chinese) by notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 01 · Computation graphs and `backward`
#
# In this chapter you will:
#
# - work out $\partial y/\partial w$ and $\partial y/\partial x$ of $y = (x + w)(w + 1)$ **by
#   hand**, with the chain rule, and let autograd confirm them;
# - **check a gradient by finite differences** (gradient checking, part 1), and see why it is done
#   with a central difference in float64;
# - learn which tensors are **leaves** and keep `.grad`, and why a leaf used twice still gets
#   one `AccumulateGrad` call;
# - use the knobs of `backward` and `autograd.grad`: `retain_graph`, `grad_tensors`,
#   `create_graph`; see gradients **accumulate** across calls, and why a leaf that requires grad
#   cannot be changed in place.
#
# The source document (notes in Chinese) is reproduced experiment by experiment; its notes are
# quoted word for word as "源文档". Its code is unchanged except for two things: `import torch`
# becomes `import autograd_lab as torch` (once, at the top), and its comments are ours, in
# English (the Chinese ones are quoted beside). Terms: [glossary](glossary.md).

# %% [markdown] lang=zh
# # 01 · 计算图与 `backward`
#
# 在本章中，你将：
#
# - 用链式法则**手算** $y = (x + w)(w + 1)$ 的 $\partial y/\partial w$ 和 $\partial y/\partial x$，
#   再让 autograd 验证；
# - **用有限差分检查梯度**（梯度检查，第一部分），并弄清为什么要用中心差分和 float64；
# - 弄清哪些张量是**叶子**、会保存 `.grad`，以及为什么被用了两次的叶子仍只有一次 `AccumulateGrad`
#   调用；
# - 使用 `backward` 和 `autograd.grad` 的参数：`retain_graph`、`grad_tensors`、`create_graph`；看到
#   梯度在多次调用之间**累加**，以及为什么需要梯度的叶子不能原地修改。
#
# 本章逐个复现源文档（中文笔记）的实验，其笔记以“源文档”逐字引用。源文档的代码只有两处改动：
# `import torch` 改为 `import autograd_lab as torch`（只在开头导入一次），代码注释换成我们的英文注释
# （原来的中文注释在旁边引用）。术语见[术语表](../glossary.md)。

# %% tags=silent lang=en
import autograd_lab as torch   # the one changed line: the PyTorch original says `import torch`
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check

# %% tags=silent lang=zh
import autograd_lab as torch   # the one changed line: the PyTorch original says `import torch`
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check
torch.set_language("zh")       # pictures, animation panels and exercise feedback in Chinese

# %% [markdown] lang=en
# ## The derivative by hand
#
# The source works the derivative out first ("Computation Graph"). Name the two intermediate
# results $a = x + w$ and $b = w + 1$, so $y = a \times b$. (The source writes $y = x \times w$
# at this step, a slip: it means $a \times b$.)
#
# $w$ reaches $y$ along **two** paths, through $a$ and through $b$, so the **chain rule** adds one
# term per path:
#
# $$\frac{\partial y}{\partial w} = \frac{\partial y}{\partial a}\frac{\partial a}{\partial w}
#   + \frac{\partial y}{\partial b}\frac{\partial b}{\partial w} = b \cdot 1 + a \cdot 1
#   = (w + 1) + (x + w) = 2w + x + 1$$
#
# $x$ reaches $y$ only through $a$ ($\partial b / \partial x = 0$):
#
# $$\frac{\partial y}{\partial x} = b \cdot 1 + a \cdot 0 = w + 1$$
#
# At $x = 2$, $w = 1$: $\partial y/\partial w = 5$ and $\partial y/\partial x = 2$. The source
# then says "**confirm by following codes**". `a.retain_grad()` asks autograd to keep
# $\partial y/\partial a$ too, which it normally does not store.

# %% [markdown] lang=zh
# ## 手算导数
#
# 源文档先手算导数（“Computation Graph”）。把两个中间结果记为 $a = x + w$、$b = w + 1$，于是
# $y = a \times b$。（源文档这一步写的是 $y = x \times w$，是笔误：意思是 $a \times b$。）
#
# $w$ 经过**两条**路径到达 $y$：经 $a$ 和经 $b$，所以**链式法则**每条路径加一项：
#
# $$\frac{\partial y}{\partial w} = \frac{\partial y}{\partial a}\frac{\partial a}{\partial w}
#   + \frac{\partial y}{\partial b}\frac{\partial b}{\partial w} = b \cdot 1 + a \cdot 1
#   = (w + 1) + (x + w) = 2w + x + 1$$
#
# $x$ 只经过 $a$ 到达 $y$（$\partial b / \partial x = 0$）：
#
# $$\frac{\partial y}{\partial x} = b \cdot 1 + a \cdot 0 = w + 1$$
#
# 在 $x = 2$、$w = 1$ 处：$\partial y/\partial w = 5$，$\partial y/\partial x = 2$。源文档接着说
# “**confirm by following codes**”（用下面的代码验证）。`a.retain_grad()` 让 autograd 也保存
# $\partial y/\partial a$，它平时不保存这个值。

# %% seeds="000/In [7]"
x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)
a.retain_grad()
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()
print(f'w.grad= {w.grad}')
print(f'x.grad= {x.grad}')

# check leaf nodes
print("is_leaf: x, w, a, b, y:\n", x.is_leaf, w.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)

# check gradient
print("gradient: x, w, a, b, y:\n", x.grad, w.grad, a.grad, b.grad, y.grad)

# check grad_fn
print("grad func: x, w, a, b, y:\n", x.grad_fn, w.grad_fn, a.grad_fn, b.grad_fn, y.grad_fn)

# %% [markdown] lang=en
# The numbers match the hand calculation. The warning is PyTorch's, word for word: reading
# `.grad` of a **non-leaf** tensor (`b`, `y`) that did not call `retain_grad()` gives `None`.
#
# ### What a leaf is
#
# A tensor is a **leaf** exactly when its `grad_fn` is `None`: autograd recorded no operation
# that produced it. `x` and `w` are leaves; `a`, `b`, `y` are recorded results. Being "made by
# you" is not the rule: a tensor computed from inputs that need no gradient is a leaf too
# (nothing was recorded), and a "parameter" computed from a tensor that requires grad is not,
# so its `.grad` stays `None`. That is the classic "why is my `.grad` None?":

# %% [markdown] lang=zh
# 数字与手算一致。警告是 PyTorch 的原话：读取没有调用 `retain_grad()` 的**非叶子**张量（`b`、`y`）的
# `.grad`，得到的是 `None`。
#
# ### 什么是叶子
#
# 一个张量是**叶子**，当且仅当它的 `grad_fn` 为 `None`：autograd 没有记录产生它的运算。`x` 和 `w`
# 是叶子；`a`、`b`、`y` 是被记录的结果。判断标准不是“是不是你自己创建的”：由不需要梯度的输入算出的
# 张量也是叶子（什么都没记录）；而由需要梯度的张量算出的“参数”就不是叶子，它的 `.grad` 始终是
# `None`。这就是经典的“为什么我的 `.grad` 是 None？”：

# %% id=ch01-leaf-rule
torch.manual_seed(0)
made = torch.zeros(2) * 3                               # computed, but nothing was recorded
scaled = torch.randn(3, requires_grad=True) * 0.01      # the leaf is the nameless randn tensor
print("zeros(2) * 3:                      is_leaf", made.is_leaf, " grad_fn", made.grad_fn)
print("randn(3, requires_grad=True) * 0.01: is_leaf", scaled.is_leaf,
      " grad_fn", type(scaled.grad_fn).__name__)

# %% [markdown] lang=en
# Only leaves that require grad (and tensors that called `retain_grad()`) keep `.grad`; the
# others pass their gradient on. `retains_grad` tells which non-leaves asked, so this table reads
# `.grad` only where it is kept, without warnings:

# %% [markdown] lang=zh
# 只有需要梯度的叶子（以及调用了 `retain_grad()` 的张量）保存 `.grad`；其余张量只把梯度往下传。
# `retains_grad` 表示哪些非叶子要求保留，所以下表只在保存了 `.grad` 的地方读取它，不会产生警告：

# %%
print(f"{'':3} {'is_leaf':8} {'requires_grad':14} {'grad':15} grad_fn")
for name, t in [("x", x), ("w", w), ("a", a), ("b", b), ("y", y)]:
    kept = t.is_leaf or t.retains_grad
    grad = str(t.grad) if kept else "(not kept)"
    node = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"{name:3} {t.is_leaf!s:8} {t.requires_grad!s:14} {grad:15} {node}")

# %% [markdown] lang=en
# ### The hand calculation, on the picture
#
# `render_graph(y, view="forward", show_grads=True)` draws the computation as data flows,
# inputs at the top, output at the bottom, each operation with the `grad_fn` it recorded, and
# writes the chain rule on the arrows: in green the gradient that flows back along each arrow,
# in grey the local derivative of the node it enters. Read `w`'s two arrows: $\partial y/\partial
# a \cdot \partial a/\partial w = 2 \cdot 1$ and $\partial y/\partial b \cdot \partial b/\partial w =
# 3 \cdot 1$, added into $5$. (It runs one real backward pass with `retain_graph`, so it needs a
# graph whose saved tensors are still there: a fresh one.)

# %% [markdown] lang=zh
# ### 把手算写在图上
#
# `render_graph(y, view="forward", show_grads=True)` 按数据流向画出计算过程：输入在上，输出在下，每个
# 运算旁标出它记录的 `grad_fn`，并把链式法则写在箭头上：绿色是沿箭头流回的梯度，灰色是箭头所进入节点的
# 局部导数。看 `w` 的两条箭头：$\partial y/\partial a \cdot \partial a/\partial w = 2 \cdot 1$ 和
# $\partial y/\partial b \cdot \partial b/\partial w = 3 \cdot 1$，相加得 $5$。（它会带着 `retain_graph`
# 真正运行一次反向传播，因此需要一张保存的张量仍然在的计算图，比如一张新图。）

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
render_graph(y, view="forward", show_grads=True)

# %% [markdown] lang=en
# ## Gradient checking, part 1: finite differences by hand
#
# Chapter 00 nudged $w$ to see $y$ move. Done carefully, that is how autograd's gradients are
# **checked**: compare them with **finite differences**. Two choices matter:
#
# - the **one-sided** difference $(f(w + h) - f(w))/h$ is off by about $h$; the **central**
#   difference $(f(w + h) - f(w - h))/2h$ by about $h^2$ (and, for a quadratic like this $y$, it
#   is exact up to rounding);
# - a smaller $h$ is not always better: $f(w + h) - f(w)$ loses digits to rounding, and float32
#   keeps only about 7 of them. Gradient checks run in **float64**.

# %% [markdown] lang=zh
# ## 梯度检查（一）：手写有限差分
#
# 第 00 章推动 $w$ 来观察 $y$ 的变化。认真地做，这就是**检查** autograd 梯度的方法：与**有限差分**
# 比较。有两个选择很重要：
#
# - **单侧**差分 $(f(w + h) - f(w))/h$ 的误差约为 $h$；**中心**差分 $(f(w + h) - f(w - h))/2h$ 的
#   误差约为 $h^2$（对于像这里的 $y$ 这样的二次函数，除舍入误差外是精确的）；
# - $h$ 并不是越小越好：$f(w + h) - f(w)$ 会因舍入丢失有效数字，而 float32 只有约 7 位。梯度检查
#   用 **float64**。

# %% id=ch01-finite-differences
def y_of(x, w):
    return torch.mul(torch.add(x, w), torch.add(w, 1))

for dtype in (torch.float32, torch.float64):
    x0 = torch.tensor([2.], dtype=dtype)
    w0 = torch.tensor([1.], dtype=dtype)
    for h in (1e-1, 1e-3, 1e-5):
        one_sided = ((y_of(x0, w0 + h) - y_of(x0, w0)) / h).item()
        central = ((y_of(x0, w0 + h) - y_of(x0, w0 - h)) / (2 * h)).item()
        print(f"{str(dtype):14} h = {h:<6} one-sided {one_sided:.8f}   central {central:.8f}")

# %% [markdown] lang=en
# In float64 the central difference gives 5 for every $h$, and autograd agrees exactly:

# %% [markdown] lang=zh
# 在 float64 下，中心差分对每个 $h$ 都给出 5，autograd 的结果与之完全一致：

# %%
x64 = torch.tensor([2.], dtype=torch.float64, requires_grad=True)
w64 = torch.tensor([1.], dtype=torch.float64, requires_grad=True)
y_of(x64, w64).backward()
h = 1e-6
with torch.no_grad():
    dw_numeric = (y_of(x64, w64 + h) - y_of(x64, w64 - h)) / (2 * h)
    dx_numeric = (y_of(x64 + h, w64) - y_of(x64 - h, w64)) / (2 * h)
print("dy/dw: autograd", w64.grad.item(), " central difference", round(dw_numeric.item(), 6))
print("dy/dx: autograd", x64.grad.item(), " central difference", round(dx_numeric.item(), 6))

# %% [markdown] lang=en
# (Chapter 05 hands this job to `torch.autograd.gradcheck`, which does the same for every
# element of every input.)
#
# ### Two paths, one call: how `w`'s gradient is summed
#
# $w$ gets two pieces of gradient, $b = 2$ through `a` and $a = 3$ through `b`. It is tempting
# to think `AccumulateGrad` adds "one piece per use" into `w.grad`. It does not: the engine
# collects the pieces meant for one node in a buffer, adds them, and calls the node **once**,
# when all have arrived. A pre-hook on `w`'s `AccumulateGrad` (a function the engine calls just
# before the node runs) shows the single call, with 5:

# %% [markdown] lang=zh
# （第 05 章把这项工作交给 `torch.autograd.gradcheck`，它对每个输入的每个元素做同样的检查。）
#
# ### 两条路径，一次调用：`w` 的梯度是怎样相加的
#
# $w$ 收到两份梯度：经 `a` 的 $b = 2$ 和经 `b` 的 $a = 3$。人们容易以为 `AccumulateGrad` 会“每用一次
# 加一份”到 `w.grad` 里。并非如此：引擎把发给同一个节点的各份梯度收集在缓冲区里相加，等全部到齐后
# **只调用该节点一次**。在 `w` 的 `AccumulateGrad` 上注册一个前置钩子（引擎在节点运行前调用的函数），
# 就能看到这唯一的一次调用，传入的是 5：

# %% id=ch01-accumulate-once
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
y = torch.mul(torch.add(x, w), torch.add(w, 1))
w_node = y.grad_fn.next_functions[1][0].next_functions[0][0]   # b's AddBackward0 -> w
calls = []
w_node.register_prehook(lambda grads: calls.append(grads[0].clone()))
y.backward()
print(type(w_node).__name__, "called", len(calls), "time(s), with", calls)

# %% [markdown] lang=en
# `.grad` accumulates across **backward calls**, not across paths: that is what the next
# sections show, and why training loops zero it.
#
# ## `torch.autograd.backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False)`
#
# > 源文档：
# > - tensors: 用于求导的张量，如loss
# > - grad_tensors: 多梯度权重
# > - retain_graph: 保存计算图
# > - create_graph: 创建导数计算图，用于高阶求导
#
# `y.backward(...)` is a shortcut for `torch.autograd.backward(y, ...)`: `tensors` is what to
# differentiate (e.g. a loss), `grad_tensors` weights the elements of a non-scalar output,
# `retain_graph` keeps the graph's **saved tensors** so that a second backward can run,
# `create_graph` records the backward pass itself, for higher derivatives.
#
# Why `retain_graph` exists: backward needs values saved during the forward pass
# (`MulBackward0` needs `a` and `b`), and they are freed as soon as they were used. Below, two
# backward passes run over one graph; the gradients of the two **add up** (5 + 5, 2 + 2).

# %% [markdown] lang=zh
# `.grad` 是在多次 **backward 调用**之间累加的，而不是在多条路径之间：下面几节展示的正是这一点，这也
# 是训练循环要清零的原因。
#
# ## `torch.autograd.backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False)`
#
# > 源文档：
# > - tensors: 用于求导的张量，如loss
# > - grad_tensors: 多梯度权重
# > - retain_graph: 保存计算图
# > - create_graph: 创建导数计算图，用于高阶求导
#
# `y.backward(...)` 是 `torch.autograd.backward(y, ...)` 的简写：`tensors` 是要求导的张量（如损失），
# `grad_tensors` 给非标量输出的各元素加权，`retain_graph` 保留计算图的**保存的张量**以便再做一次
# 反向，`create_graph` 把反向过程本身记录下来，用于高阶导数。
#
# 为什么需要 `retain_graph`：反向传播要用前向时保存的值（`MulBackward0` 需要 `a` 和 `b`），这些值一旦
# 用过就被释放。下面对同一张图做两次反向传播，两次的梯度**相加**（5 + 5，2 + 2）。

# %% seeds="000/In [11]"
torch.manual_seed(10)

x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)
a.retain_grad()
b = torch.add(w, 1)
y = torch.mul(a, b)

# y.backward(retain_graph = True)
torch.autograd.backward(y, retain_graph= True)
y.backward(retain_graph= True)

print(f'w.grad= {w.grad}')
print(f'x.grad= {x.grad}')

# %% [markdown] lang=en
# `show_saved=True` draws what each node saved for its backward (orange). Both passes said
# `retain_graph=True`, so the saved tensors are all still there: a third pass would work too.
# (`torch.manual_seed(10)` is the source's; nothing here is random.)

# %% [markdown] lang=zh
# `show_saved=True` 画出每个节点为反向保存的张量（橙色）。两次反向都指定了 `retain_graph=True`，所以
# 保存的张量都还在：再做第三次也可以。（`torch.manual_seed(10)` 是源文档原有的；这里没有随机数。）

# %%
render_graph(y, show_saved=True)

# %% [markdown] lang=en
# ### Weighting several outputs: `grad_tensors`
#
# > 源文档：grad_tensors的使用方法 (how to use grad_tensors)
# >
# > `#loss.backward(gradient = grad_tensors) # gradient 传入torch.autograd.backward()中的grad_tensors`
# > (gradient is passed on as torch.autograd.backward()'s grad_tensors)
#
# `loss` holds two numbers, $y_0 = (x + w)(w + 1)$ and $y_1 = (x + w) + (w + 1)$. A vector has
# no single derivative, so backward is told how to weight its elements: the result is the
# gradient of $\sum_i g_i \, \mathrm{loss}_i$, a **vector-Jacobian product**. With weights
# $[1, 1]$: $\partial/\partial w = 5 + 2 = 7$ and $\partial/\partial x = 2 + 1 = 3$. As the
# source's comment says, `loss.backward(gradient=...)` passes its `gradient` on as
# `grad_tensors`: the same call.

# %% [markdown] lang=zh
# ### 给多个输出加权：`grad_tensors`
#
# > 源文档：grad_tensors的使用方法
# >
# > `#loss.backward(gradient = grad_tensors) # gradient 传入torch.autograd.backward()中的grad_tensors`
#
# `loss` 含两个数：$y_0 = (x + w)(w + 1)$ 和 $y_1 = (x + w) + (w + 1)$。向量没有单一的导数，所以要告诉
# backward 怎样给各元素加权：结果是 $\sum_i g_i \, \mathrm{loss}_i$ 的梯度，即**向量-雅可比积**。权重为
# $[1, 1]$ 时：$\partial/\partial w = 5 + 2 = 7$，$\partial/\partial x = 2 + 1 = 3$。正如源文档的注释
# 所说，`loss.backward(gradient=...)` 把 `gradient` 作为 `grad_tensors` 传下去：是同一个调用。

# %% seeds="000/In [16]"
torch.manual_seed(10)

x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)
b = torch.add(w, 1)
y0 = torch.mul(a, b)
y1 = torch.add(a, b)    # dy1/dw = 2, dy1/dx = 1

loss = torch.cat([y0,y1], dim=0)
grad_tensors = torch.tensor([1.,1.])

# loss.backward(gradient = grad_tensors) is the same call, made on the tensor
torch.autograd.backward(loss, grad_tensors = grad_tensors, retain_graph= True)


print(f'w.grad= {w.grad}')
print(f'x.grad= {x.grad}')

# %% [markdown] lang=en
# Watch that pass, on a fresh copy (this graph is new: chapter 00 animated a single output).
# `CatBackward0` splits the incoming $[g_0, g_1] = [1, 1]$ into one piece per branch; `a` and
# `b` each feed both branches, so each of their nodes waits for two gradients and is called once
# with their sum.

# %% [markdown] lang=zh
# 在一份新的副本上观看这次反向传播（这张图是新的：第 00 章动画的是单个输出）。`CatBackward0` 把传入的
# $[g_0, g_1] = [1, 1]$ 拆成每个分支一份；`a` 和 `b` 都同时流向两个分支，所以它们的节点各等两份梯度，
# 再用两者之和被调用一次。

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
loss = torch.cat([torch.mul(a, b), torch.add(a, b)], dim=0)
animate_backward(loss, torch.tensor([1., 1.]))

# %% [markdown] lang=en
# ## `torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False)`
#
# > 源文档：
# > - outputs: 用于求导的张量，如loss
# > - inputs: 需要梯度的张量
# > - grad_tensors: 多梯度权重
# > - retain_graph: 保存计算图
# > - create_graph: 创建导数计算图，用于高阶求导
#
# `autograd.grad` computes the same derivatives as `backward` but **returns** them (a tuple, one
# per input) instead of adding them into `.grad`. One correction to the source's list: in
# `autograd.grad` the weights are called `grad_outputs`, as the heading says, not
# `grad_tensors`, which it does not accept ($y = x^2$ at $x = 3$, weight 2: $2 \cdot 2x = 12$):

# %% [markdown] lang=zh
# ## `torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False)`
#
# > 源文档：
# > - outputs: 用于求导的张量，如loss
# > - inputs: 需要梯度的张量
# > - grad_tensors: 多梯度权重
# > - retain_graph: 保存计算图
# > - create_graph: 创建导数计算图，用于高阶求导
#
# `autograd.grad` 计算的导数与 `backward` 相同，但把结果**返回**（一个元组，每个输入一项），而不是加进
# `.grad`。对源文档列表的一处更正：在 `autograd.grad` 中，权重参数叫 `grad_outputs`（如标题所示），
# 而不是 `grad_tensors`，后者它根本不接受（$y = x^2$，$x = 3$，权重 2：$2 \cdot 2x = 12$）：

# %% id=ch01-grad-outputs
x = torch.tensor([3.], requires_grad=True)
y = x * x
try:
    torch.autograd.grad(y, x, grad_tensors=torch.tensor([2.]))
except TypeError as e:
    print(f"{type(e).__name__}: {e}")
print("grad_outputs=[2.]:", torch.autograd.grad(y, x, grad_outputs=torch.tensor([2.])))

# %% [markdown] lang=en
# > 源文档注释：`#创建了导数计算图才能计算二阶导数` (only once the derivative has a graph can the
# > second derivative be computed)
#
# With `create_graph=True` the backward pass is recorded: the gradient $2x = 6$ comes back with
# a `grad_fn`, so it can be differentiated again, giving the second derivative 2.

# %% [markdown] lang=zh
# > 源文档注释：`#创建了导数计算图才能计算二阶导数`
#
# 指定 `create_graph=True` 后，反向过程会被记录：梯度 $2x = 6$ 带着 `grad_fn` 返回，因此可以再求导，
# 得到二阶导数 2。

# %% seeds="000/In [17]"
torch.manual_seed(10)

x = torch.tensor([3.], requires_grad = True)
y = torch.pow(x, 2)    # y = x^2

grad_1 = torch.autograd.grad(y, x, create_graph= True)    # create_graph: the derivative gets a graph of its own
grad_2 = torch.autograd.grad(grad_1[0], x)

print(f'1st grad= {grad_1}')
print(f'2nd grad= {grad_2}')

# %% [markdown] lang=en
# `higher_order=True` colours nodes by the backward pass that made them. The nodes marked
# "derivative order 1" were recorded by the first `autograd.grad` while it computed $2x$
# ($2 \cdot x^1 \cdot$ the incoming gradient: a `PowBackward0` and two multiplications); they are
# the graph of `grad_1[0]`, which the second `autograd.grad` walked.

# %% [markdown] lang=zh
# `higher_order=True` 按创建节点的那次反向传播给节点着色。标为“1 阶导数”的节点，是第一次
# `autograd.grad` 计算 $2x$ 时记录的（$2 \cdot x^1 \cdot$ 传入的梯度：一个 `PowBackward0` 和两个乘法）；
# 它们构成 `grad_1[0]` 的计算图，第二次 `autograd.grad` 遍历的就是它。

# %%
render_graph(y, grad_1[0], higher_order=True)

# %% [markdown] lang=en
# ## Gradients are not zeroed automatically
#
# > 源文档：梯度不自动清零 (gradients are not zeroed automatically)
# >
# > 源文档注释：`#如果不手动清零，则梯度每次会累加` (unless zeroed by hand, the gradient adds up
# > every time)
#
# `backward` **adds** into `.grad`; it never overwrites it. Each iteration below builds a
# **new** graph (the forward code runs again) and adds its gradient into the same `w.grad`, so a
# training loop must clear it between steps, here with `w.grad.zero_()`. Without that line the
# loop would print 5, then 10.

# %% [markdown] lang=zh
# ## 梯度不自动清零
#
# > 源文档：梯度不自动清零
# >
# > 源文档注释：`#如果不手动清零，则梯度每次会累加`
#
# `backward` 是往 `.grad` 里**加**，从不覆盖。下面每次迭代都构建一张**新的**计算图（前向代码重新运行），
# 并把梯度加进同一个 `w.grad`，所以训练循环必须在每步之间清零，这里用 `w.grad.zero_()`。没有这一行，
# 循环会先打印 5，再打印 10。

# %% seeds="000/In [19]"
x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

for i in range(2):
    a = torch.add(x, w)

    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(f'w.grad= {w.grad}')

    w.grad.zero_()    # without this line the gradient would add up: 5, then 10

# %% [markdown] lang=en
# The last iteration's graph: `w`'s box shows `grad` zeroed by the loop's last line, while
# `x.grad`, which the loop never zeroes, has added up to 2 + 2 = 4.

# %% [markdown] lang=zh
# 最后一次迭代的计算图：`w` 框里的 `grad` 已被循环最后一行清零，而循环从不清零的 `x.grad` 累加到了
# 2 + 2 = 4。

# %%
render_graph(y)

# %% [markdown] lang=en
# ## A result computed from a tensor that requires grad requires grad
#
# > 源文档：依赖叶子节点的节点，requires_grad = True (nodes that depend on leaf nodes have
# > requires_grad = True)
#
# `a`, `b` and `y` below say `True` although we never set it on them: a result requires grad
# when an input requires grad, because a gradient will have to flow back through it.

# %% [markdown] lang=zh
# ## 由需要梯度的张量算出的结果也需要梯度
#
# > 源文档：依赖叶子节点的节点，requires_grad = True
#
# 下面的 `a`、`b`、`y` 都显示 `True`，尽管我们从未给它们设置：只要有输入需要梯度，结果就需要梯度，
# 因为梯度将要从它流回去。

# %% seeds="000/In [20]"
x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()
print(f'a.requires_grad= {a.requires_grad} b.requires_grad= {b.requires_grad} y.requires_grad= {y.requires_grad}')

# %% [markdown] lang=en
# The source's heading says more than is true in two ways. It is not about *leaves*: what counts
# is whether an **input requires grad** (a non-leaf input passes it on just the same). And it holds
# only while autograd is **recording**: under `torch.no_grad()` nothing is recorded and results
# do not require grad (that is how parameters are updated), and a result that cannot have a
# gradient, such as the bool tensor of a comparison, never requires grad:

# %% [markdown] lang=zh
# 源文档的标题在两方面说得过头了。关键不在于*叶子*：要看的是**输入是否需要梯度**（非叶子输入同样会
# 传递这一属性）。而且只在 autograd **记录**时成立：在 `torch.no_grad()` 下什么都不记录，结果不需要
# 梯度（参数更新就是这样做的）；不可能有梯度的结果，比如比较运算得到的布尔张量，也从不需要梯度：

# %% id=ch01-requires-grad-flows
with torch.no_grad():
    doubled = x * 2
print("x * 2 under no_grad:  requires_grad", doubled.requires_grad)
print("x > 1 (a bool tensor): requires_grad", (x > 1).requires_grad)
print("a * 2 (a is a non-leaf): requires_grad", (a * 2).requires_grad)

# %% [markdown] lang=en
# ## A leaf that requires grad cannot be changed in place
#
# > 源文档：叶子节点不能执行原位操作 (leaf nodes cannot perform in-place operations)
#
# The source ends with this rule as a bare heading. The reason is often given as "the graph
# would describe a `w` that no longer exists", but the rule does not depend on any graph: a
# fresh leaf that has never been used refuses just the same.

# %% [markdown] lang=zh
# ## 需要梯度的叶子不能原地修改
#
# > 源文档：叶子节点不能执行原位操作
#
# 源文档最后只给出这条规则的标题。常见的解释是“计算图描述的 `w` 已经不存在了”，但这条规则与计算图
# 无关：一个从未被使用过的新叶子同样会拒绝。

# %% id=ch01-leaf-inplace
fresh = torch.tensor([1.], requires_grad=True)    # no graph uses it
try:
    fresh.add_(1)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown] lang=en
# The real reason: while autograd records, an in-place operation is recorded like any other, and
# the tensor it changed becomes its result, with a `grad_fn`. A leaf that requires grad is the
# tensor whose `.grad` you asked for; recording `w.add_(1)` would turn it into a non-leaf, with
# nowhere left to accumulate. So PyTorch refuses in-place operations on such leaves whenever grad
# mode is on. (Protecting values *saved* for backward is a different mechanism, the **version
# counter**: chapter 04.)
#
# An optimizer does update leaves in place, under `no_grad()`: nothing is recorded, `w` stays a
# leaf, and `w._version` counts the change.

# %% [markdown] lang=zh
# 真正的原因：在 autograd 记录时，原地运算和其他运算一样会被记录，被修改的张量就成了它的结果，带上
# `grad_fn`。需要梯度的叶子，正是你想要它的 `.grad` 的那个张量；如果记录 `w.add_(1)`，它就会变成
# 非叶子，梯度再也无处累加。所以只要处于梯度模式，PyTorch 就拒绝对这样的叶子做原地运算。（保护为反向
# *保存的*值是另一个机制，即**版本计数器**：见第 04 章。）
#
# 优化器确实会原地更新叶子，但是在 `no_grad()` 下：什么都不记录，`w` 仍是叶子，`w._version` 记下了
# 这次修改。

# %%
with torch.no_grad():
    fresh.add_(1)
print(fresh, fresh.is_leaf, fresh._version)

# %% [markdown] lang=en
# ## Exercises
#
# Write your answer where it says `answer = None` and run the cell; run it again as often as you
# like.
#
# **01.1** With $x = 3$ and $w = 2$, what is `w.grad` after `y.backward()` for
# $y = (x + w)(w + 1)$?

# %% [markdown] lang=zh
# ## 练习
#
# 在 `answer = None` 处写下答案并运行单元格；可以反复运行。
#
# **01.1** 当 $x = 3$、$w = 2$ 时，对 $y = (x + w)(w + 1)$ 执行 `y.backward()` 之后，`w.grad` 是多少？

# %%
answer = None   # a number
check("01.1", answer)

# %% [markdown] lang=en
# **01.2** `w = torch.tensor([2.], requires_grad=True)`, `y = w * w * w`, `y.backward()`. How
# many times is `w`'s `AccumulateGrad` called, and with what gradient? Answer
# `(calls, gradient)`. (You can check with a pre-hook, as above, in a new cell.)

# %% [markdown] lang=zh
# **01.2** `w = torch.tensor([2.], requires_grad=True)`，`y = w * w * w`，`y.backward()`。`w` 的
# `AccumulateGrad` 被调用几次？收到的梯度是多少？回答 `(次数, 梯度)`。（可以像上面那样，在新单元格里用
# 前置钩子验证。）

# %%
answer = None   # (calls, gradient)
check("01.2", answer)

# %% [markdown] lang=en
# **01.3** The graph of $y = (x + w)(w + 1)$ with $x = 2$, $w = 1$ is walked three times with
# `y.backward(retain_graph=True)`, and nothing is zeroed in between. What is `x.grad`?

# %% [markdown] lang=zh
# **01.3** $x = 2$、$w = 1$ 时 $y = (x + w)(w + 1)$ 的计算图，用 `y.backward(retain_graph=True)`
# 反向三次，中间不清零。`x.grad` 是多少？

# %%
answer = None   # a number
check("01.3", answer)

# %% [markdown] lang=en
# **01.4** `loss = torch.cat([y0, y1])` as above ($x = 2$, $w = 1$), but with
# `grad_tensors = torch.tensor([1., 3.])`. What is `w.grad`?

# %% [markdown] lang=zh
# **01.4** 与上文相同的 `loss = torch.cat([y0, y1])`（$x = 2$，$w = 1$），但
# `grad_tensors = torch.tensor([1., 3.])`。`w.grad` 是多少？

# %%
answer = None   # a number
check("01.4", answer)

# %% [markdown] lang=en
# **01.5** (code) Write `central_difference(f, v, h)`: the slope of a function `f` of one Python
# number at `v`, measured with two nudges of size `h`. The check compares it with the exact
# central difference on a few functions.

# %% [markdown] lang=zh
# **01.5**（写代码）编写 `central_difference(f, v, h)`：用两个大小为 `h` 的推动，量出单变量函数 `f`
# （参数是 Python 数）在 `v` 处的斜率。检查时会在几个函数上与精确的中心差分比较。

# %%
def central_difference(f, v, h):
    ...   # your code here: return a number
check("01.5", central_difference)

# %% [markdown] lang=en
# ## Recap
#
# - The chain rule adds one term per path; autograd gets the same numbers, and a central
#   difference in float64 confirms them (gradient checking).
# - A leaf is a tensor with no `grad_fn`; only leaves that require grad (and `retain_grad()`
#   tensors) keep `.grad`. A leaf's pieces of gradient are summed by the engine, and its
#   `AccumulateGrad` is called once per backward pass.
# - `.grad` accumulates across backward calls: zero it between steps. `retain_graph` keeps the
#   saved tensors for another pass; `grad_tensors` weights a vector output; `create_graph`
#   records the backward pass, for higher derivatives.
# - Results require grad when an input does and autograd is recording; a leaf that requires grad
#   is updated in place only under `no_grad()`.
#
# **Next:** [02 · Tensors that require grad, and the graph](02_requires_grad_and_the_graph.ipynb).

# %% [markdown] lang=zh
# ## 小结
#
# - 链式法则每条路径加一项；autograd 得到同样的数，float64 下的中心差分可以验证它们（梯度检查）。
# - 叶子是没有 `grad_fn` 的张量；只有需要梯度的叶子（以及调用了 `retain_grad()` 的张量）保存 `.grad`。
#   发给叶子的各份梯度由引擎相加，它的 `AccumulateGrad` 每次反向传播只调用一次。
# - `.grad` 在多次 backward 调用之间累加：每步之间要清零。`retain_graph` 保留保存的张量以便再次反向；
#   `grad_tensors` 给向量输出加权；`create_graph` 记录反向过程，用于高阶导数。
# - 当有输入需要梯度且 autograd 正在记录时，结果需要梯度；需要梯度的叶子只能在 `no_grad()` 下原地更新。
#
# **下一章：**[02 · 需要梯度的张量与计算图](02_requires_grad_and_the_graph.ipynb)。
