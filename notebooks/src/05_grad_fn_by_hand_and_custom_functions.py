# Chapter 05: grad_fn by hand, and custom Functions (seed document 004_e613237166c6ea6f).
# Built into notebooks/05_grad_fn_by_hand_and_custom_functions.ipynb and
# notebooks/zh/05_grad_fn_by_hand_and_custom_functions.ipynb by notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 05 · `grad_fn` by hand, and custom Functions
#
# `backward()` is not magic: it calls the nodes of the graph, one after another, each with the
# gradient of its output, and passes what they return along `next_functions`. This chapter does
# exactly that by hand for $a = \mathrm{relu}(w \cdot x + b)$, meets `AccumulateGrad`, the node
# that writes into `.grad`, and then writes its own nodes with `autograd.Function`, and checks
# them with `gradcheck`.
#
# **In this chapter you will**
#
# - call each backward node by hand, following `next_functions`, and get the same gradients as
#   `backward()`;
# - answer the source's question "why accumulate?", and see in which order the engine calls the
#   nodes;
# - write custom `autograd.Function`s and wrap them in `nn.Module`s;
# - check a custom `backward` against finite differences with `gradcheck`, and write one yourself.
#
# Terms: see the [glossary](glossary.md). The source's notes are quoted as "源文档" (source
# document). Its code cells are kept as they were; their comments become English comments, the
# import reads `import autograd_lab as t` (and also brings in the drawing tools and `check`), and
# every other change is said where it is made. Its two images are drawn by `render_graph`.

# %% [markdown] lang=zh
# # 05 · 手动调用 `grad_fn` 与自定义 Function
#
# `backward()` 并不神秘：它逐个调用计算图的节点，把各节点输出的梯度交给它，再把节点返回的
# 结果沿 `next_functions` 传下去。本章对 $a = \mathrm{relu}(w \cdot x + b)$ 亲手做一遍，认识
# 把梯度写进 `.grad` 的节点 `AccumulateGrad`，然后用 `autograd.Function` 写自己的节点，并用
# `gradcheck` 检验它们。
#
# **在本章中，你将**
#
# - 沿着 `next_functions` 亲手调用每个反向节点，得到与 `backward()` 相同的梯度；
# - 回答源文档的问题“为什么要累加”，并看到引擎按什么顺序调用节点；
# - 编写自定义的 `autograd.Function`，并把它们包装进 `nn.Module`；
# - 用 `gradcheck` 把自定义的 `backward` 与有限差分对照，并亲自写一个。
#
# 术语见[术语表](../glossary.md)。源文档的笔记以“源文档：”引用。源文档的代码单元格保持原样：
# 注释改成英文，导入写作 `import autograd_lab as t`（同时导入绘图工具和 `check`），其他改动都在
# 改动处说明。它的两张图片由 `render_graph` 画出。

# %% seeds="004/In [1]" tags=silent lang=en
import autograd_lab as t   # the PyTorch original: import torch as t
from autograd_lab import render_graph, animate_backward, step_through
from autograd_lab.exercises import check

# %% seeds="004/In [1]" tags=silent lang=zh
import autograd_lab as t   # the PyTorch original: import torch as t
from autograd_lab import render_graph, animate_backward, step_through
from autograd_lab.exercises import check
t.set_language("zh")   # 动画面板和练习反馈用中文（PyTorch 没有这一行）

# %% [markdown] lang=en
# ## The function and its gradient
#
# > 源文档：计算 $$a(x, w, b)=relu(w\cdot x + b)$$ 计算图：(an image)
#
# $u = w \cdot x$, $v = u + b$, $a = \mathrm{relu}(v)$, with $b = 1$, $w = 2$, $x = 3$:
# $v = 7 > 0$, so relu passes gradients through unchanged, $\partial a/\partial b = 1$ and
# $\partial a/\partial w = x = 3$. `x` needs no gradient: it is data, not a parameter.
#
# > 源文档：调用backward计算梯度

# %% [markdown] lang=zh
# ## 函数与它的梯度
#
# > 源文档：计算 $$a(x, w, b)=relu(w\cdot x + b)$$ 计算图：（一张图片）
#
# $u = w \cdot x$，$v = u + b$，$a = \mathrm{relu}(v)$，取 $b = 1$、$w = 2$、$x = 3$：
# $v = 7 > 0$，所以 relu 让梯度原样通过，$\partial a/\partial b = 1$，
# $\partial a/\partial w = x = 3$。`x` 不需要梯度：它是数据，不是参数。
#
# > 源文档：调用backward计算梯度

# %% seeds="004/In [2]"
# backward computes the gradients
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
a.backward()
print(b.grad)
print(w.grad)

# %% [markdown] lang=en
# The graph the source showed as an image, drawn here by `render_graph`: `x`'s place in
# `MulBackward0` is `None` (`show_none=True`), since no gradient goes there.

# %% [markdown] lang=zh
# 源文档以图片给出的计算图，这里由 `render_graph` 画出：`x` 在 `MulBackward0` 中的位置是
# `None`（`show_none=True`），因为没有梯度流向那里。

# %%
render_graph(a, show_none=True)

# %% [markdown] lang=en
# `u` is an intermediate result: its gradient passed through and was not kept (hence the
# warning, and no value).

# %% [markdown] lang=zh
# `u` 是中间结果：它的梯度只是经过，没有被保留（所以有一条警告，没有值）。

# %% seeds="004/In [3]"
u.grad

# %% [markdown] lang=en
# `retain_grad()` on `u` and `v` keeps theirs: every step of the chain rule is then visible.

# %% [markdown] lang=zh
# 对 `u` 和 `v` 调用 `retain_grad()` 就会保留它们的梯度：链式法则的每一步都看得见。

# %% seeds="004/In [4]"
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
u.retain_grad()
v = u + b
v.retain_grad()
a = t.relu(v)
a.backward()
print("da/dv", v.grad)
print("da/du", u.grad)
print("da/db", b.grad)
print("da/dw", w.grad)

# %% [markdown] lang=en
# ## The gradients on the graph
#
# > 源文档：计算图上的梯度计算过程：(an image)
#
# The source's second image showed the gradient computation on the graph. `show_grads=True`
# draws it. First as the source drew its graph, as data flow (`view="forward"`): the inputs at the
# top, each operation with the `grad_fn` it recorded, arrows pointing the way the values went.
# Each arrow also carries, in green, the gradient that flows back along it, and, for single
# numbers, the operation's local derivative, so each gradient reads as the one below it times a
# local derivative: $\partial a/\partial w = \partial a/\partial v \cdot \partial v/\partial u
# \cdot \partial u/\partial w = 1 \cdot 1 \cdot 3$. The values come from a real backward pass
# that writes no `.grad`; it needs the saved tensors, so it is drawn on a fresh graph, before its
# `backward()`.

# %% [markdown] lang=zh
# ## 计算图上的梯度
#
# > 源文档：计算图上的梯度计算过程：（一张图片）
#
# 源文档的第二张图片画的是计算图上的梯度计算过程。`show_grads=True` 把它画出来。先按源文档画
# 计算图的方式，画成数据流（`view="forward"`）：输入在上，每个运算标出它记录的 `grad_fn`，
# 箭头指向数值流动的方向。每个箭头上还用绿色标出沿它反向流动的梯度；对于单个数，还标出运算的
# 局部导数，于是每个梯度都可以读作下面那个梯度乘以一个局部导数：
# $\partial a/\partial w = \partial a/\partial v \cdot \partial v/\partial u \cdot
# \partial u/\partial w = 1 \cdot 1 \cdot 3$。这些数值来自一次真实的、不写 `.grad` 的反向传播；
# 它需要保存的张量，所以在一张新图上、在 `backward()` 之前画。

# %% id=ch05-grads-on-graph
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
render_graph(a, view="forward", show_grads=True)

# %% [markdown] lang=en
# The same gradients on the graph `backward()` actually walks: the `grad_fn` nodes, linked by
# `next_functions`, from the output down to the leaves' `AccumulateGrad` nodes. Here the arrows
# point the way the gradients go. The rest of the chapter walks this graph by hand.

# %% [markdown] lang=zh
# 同样的梯度，画在 `backward()` 真正遍历的那张图上：各个 `grad_fn` 节点由 `next_functions`
# 连接，从输出一直到叶子的 `AccumulateGrad` 节点。这里箭头指向梯度流动的方向。本章余下的部分
# 就是亲手走一遍这张图。

# %% id=ch05-grads-on-backward-graph
render_graph(a, show_grads=True)

# %% [markdown] lang=en
# ## Backward by hand
#
# Now the same pass, one node at a time. First the forward computation only, no `backward()`.
# `show_saved=True` shows what each node kept for later: `ReluBackward0` kept its result, and
# `MulBackward0` kept `x`, the factor $\partial u/\partial w$.
#
# > 源文档：前向计算，得到a

# %% [markdown] lang=zh
# ## 手动反向传播
#
# 现在把同一次反向传播逐个节点地做一遍。先只做前向计算，不调用 `backward()`。
# `show_saved=True` 显示每个节点为以后保存了什么：`ReluBackward0` 保存了它的结果，
# `MulBackward0` 保存了 `x`，即因子 $\partial u/\partial w$。
#
# > 源文档：前向计算，得到a

# %% seeds="004/In [5]"
# forward computation: a
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
a

# %%
render_graph(a, show_saved=True)

# %% [markdown] lang=en
# `a.grad_fn` is a callable: give it $\partial a/\partial a = 1$ and it returns
# $\partial a/\partial v$. The result has a `grad_fn` of its own
# (`ThresholdBackwardBackward0`): calling a node by hand, with gradients enabled, records the
# call, just as `create_graph=True` would.
#
# > 源文档：计算da/dv, 其中1.0可以理解为da/da=1.0

# %% [markdown] lang=zh
# `a.grad_fn` 是可调用的：给它 $\partial a/\partial a = 1$，它返回 $\partial a/\partial v$。
# 结果自己也带着 `grad_fn`（`ThresholdBackwardBackward0`）：在梯度开启时手动调用节点，这次调用
# 会被记录，就像 `create_graph=True` 那样。
#
# > 源文档：计算da/dv, 其中1.0可以理解为da/da=1.0

# %% seeds="004/In [6]"
# da/dv; the 1.0 is da/da
dv = a.grad_fn(t.tensor(1.0))
dv

# %% [markdown] lang=en
# The next node is in `a.grad_fn.next_functions[0][0]`, the very object `v.grad_fn` (same
# address). `AddBackward0` has two inputs, so it returns two gradients: $\partial a/\partial u$
# and $\partial a/\partial b$, both $1 \cdot$ `dv`.
#
# > 源文档：从grad_fn.next_functions里获取得到v的上一步计算过程（的梯度计算函数） ·
# > 获得计算v的函数对应的梯度计算函数 ·
# > 该函数可以计算da/du, da/db,其值分别等于da/dv\*dv/du, da/dv\*dv/db，注意这里需要将上一步得到da/dv”反向传播“给grad_fn

# %% [markdown] lang=zh
# 下一个节点在 `a.grad_fn.next_functions[0][0]` 里，它就是 `v.grad_fn` 这个对象（地址相同）。
# `AddBackward0` 有两个输入，所以返回两个梯度：$\partial a/\partial u$ 和
# $\partial a/\partial b$，都是 $1 \cdot$ `dv`。
#
# > 源文档：从grad_fn.next_functions里获取得到v的上一步计算过程（的梯度计算函数） ·
# > 获得计算v的函数对应的梯度计算函数 ·
# > 该函数可以计算da/du, da/db,其值分别等于da/dv\*dv/du, da/dv\*dv/db，注意这里需要将上一步得到da/dv”反向传播“给grad_fn

# %% seeds="004/In [7]"
# next_functions holds the node that computed v (its gradient function)
print(a.grad_fn.next_functions)
print(v.grad_fn)
# the node behind v
v_grad_fn = a.grad_fn.next_functions[0][0]
# it computes da/du = da/dv * dv/du and da/db = da/dv * dv/db: hand it da/dv, the gradient "backpropagated" so far
du, db = v_grad_fn(dv)
print(du, db)

# %% [markdown] lang=en
# One level further down: `v` was computed from `u` and `b`, so `v_grad_fn.next_functions` has
# two pairs, `u`'s node and `b`'s `AccumulateGrad`.
#
# > 源文档：我们可以进一步递归的得到计算u和b的计算过程（和梯度计算函数） ·
# > 注意，由于v是由u和b两个张量计算得到的，所以其grad_fn里包含的next_functions会分别包含计算u和计算b的函数

# %% [markdown] lang=zh
# 再往下一层：`v` 由 `u` 和 `b` 计算得到，所以 `v_grad_fn.next_functions` 有两对，`u` 的节点
# 和 `b` 的 `AccumulateGrad`。
#
# > 源文档：我们可以进一步递归的得到计算u和b的计算过程（和梯度计算函数） ·
# > 注意，由于v是由u和b两个张量计算得到的，所以其grad_fn里包含的next_functions会分别包含计算u和计算b的函数

# %% seeds="004/In [8]"
# one level further: the nodes that computed u and b
# v came from u and b, so v's node has one next function for each of them
print(v_grad_fn.next_functions)
u_grad_fn, b_grad_fn = v_grad_fn.next_functions
u_grad_fn, b_grad_fn = u_grad_fn[0], b_grad_fn[0]

# %% [markdown] lang=en
# ### `AccumulateGrad`: where a gradient reaches a leaf
#
# > 源文档：b是一个requires_grad=True，is_leaf=True的节点，它的grad_fn是个特殊的函数，它的作用是将da/db累加到b.grad里 ·
# > 思考一下，为什么要进行累加
#
# `b` is a leaf that requires grad. Its node, `AccumulateGrad`, computes nothing: it **adds** the
# gradient it is given into `b.grad`. The source asks: think about it, why add rather than
# store? Before reading on, try exercise 05.3 on chapter 01's graph $y = (x + w)(w + 1)$ with
# $w = 1$, $x = 2$, where `w` reaches `y` along two paths.
#
# **05.3** In one `y.backward()`, how many times is `w`'s `AccumulateGrad` node called, and with
# what gradient? Answer as a pair `(calls, gradient)`.

# %% [markdown] lang=zh
# ### `AccumulateGrad`：梯度到达叶子的地方
#
# > 源文档：b是一个requires_grad=True，is_leaf=True的节点，它的grad_fn是个特殊的函数，它的作用是将da/db累加到b.grad里 ·
# > 思考一下，为什么要进行累加
#
# `b` 是需要梯度的叶子。它的节点 `AccumulateGrad` 不做任何计算：它把收到的梯度**加**进
# `b.grad`。源文档问：想一想，为什么是累加而不是直接存？读下去之前，先在第 01 章的图
# $y = (x + w)(w + 1)$（$w = 1$，$x = 2$）上做练习 05.3，那里 `w` 沿两条路径到达 `y`。
#
# **05.3** 在一次 `y.backward()` 中，`w` 的 `AccumulateGrad` 节点被调用几次？收到的梯度是多少？
# 以 `(调用次数, 梯度)` 的形式作答。

# %% id=ch05-ex3
answer = None   # (calls, gradient), e.g. (3, 1.0)
check("05.3", answer)

# %% [markdown] lang=en
# Back to the source: calling `b`'s `AccumulateGrad` by hand adds `db` into `b.grad`, which was
# `None`. (The `grad_fn=<CopyBackwards>` in the result is there because `db` itself carries a
# graph, from calling the nodes by hand.)

# %% [markdown] lang=zh
# 回到源文档：手动调用 `b` 的 `AccumulateGrad`，把 `db` 加进原本是 `None` 的 `b.grad`。（结果里
# 的 `grad_fn=<CopyBackwards>` 是因为 `db` 自己带着计算图，来自手动调用节点。）

# %% seeds="004/In [9]"
# b's node is AccumulateGrad: it adds da/db into b.grad
# (why add rather than overwrite? see exercise 05.3 and the cell after next)
print(b.grad)
b_grad_fn(db)
print(b.grad)

# %% [markdown] lang=en
# **Why accumulate.** Not because a leaf used on several paths receives "a piece per use" into
# `.grad`: within one backward pass the engine adds the pieces for a node in its own buffer and
# calls the node **once**, with the sum. A hook on `w`'s `AccumulateGrad` shows it: one call, with
# 5 (2 along the path through $x + w$, 3 through $w + 1$). `.grad` accumulates **across backward calls**: a second
# `backward()` calls the node again and adds 5 more. That is what lets several losses, or one
# batch processed in pieces, add up to the gradient of their sum, and it is why one zeroes
# `.grad` before each training step.

# %% [markdown] lang=zh
# **为什么要累加。** 并不是因为在多条路径上使用的叶子会“每用一次就往 `.grad` 里加一份”：在
# 一次反向传播之内，引擎先在自己的缓冲区里把给同一个节点的各份梯度加起来，再**只调用一次**
# 这个节点。在 `w` 的 `AccumulateGrad` 上挂一个钩子就能看到：调用一次，收到 5（经过 $x + w$ 那条路径的 2，
# 加上经过 $w + 1$ 的 3）。`.grad` 的累加发生在**多次反向传播调用之间**：第二次 `backward()` 再次
# 调用这个节点，又加上 5。正因如此，几个损失（或者分成几块处理的一个批次）的梯度可以加成它们
# 之和的梯度；也正因如此，每个训练步之前都要把 `.grad` 清零。

# %% id=ch05-accumulate-once
w1 = t.tensor([1.], requires_grad=True)   # chapter 01's graph (new names: a, b, u, v, w, x
x1 = t.tensor([2.], requires_grad=True)   # still hold the source's graph for the next cell)
y1 = t.mul(t.add(w1, x1), t.add(w1, 1))
w1_node = y1.grad_fn.next_functions[0][0].next_functions[0][0]   # w1's AccumulateGrad
print(w1_node is y1.grad_fn.next_functions[1][0].next_functions[0][0])   # on both paths
calls = []
w1_node.register_prehook(lambda grads: calls.append(grads[0]))
y1.backward(retain_graph=True)
print("calls:", calls, " w1.grad:", w1.grad)
y1.backward()
print("calls:", calls, " w1.grad:", w1.grad)

# %% [markdown] lang=en
# `u`'s node, `MulBackward0`, returns the gradients for `w` and `x`. `x` needs none, so its
# gradient is `None`, and so is its place in `next_functions`. `w`'s `AccumulateGrad` finishes the
# pass.
#
# > 源文档：使用u的grad_fn可以计算da/dw和da/dx，分别等于da/du\*du/dw, da/du\*du/dx，同样需要将da/du“反向传播”给grad_fn ·
# > 由于x.requires_grad = False, dx会为None ·
# > 由于u是由w和x两个张量计算得到的，所以其grad_fn里包含的next_functions会分别包含计算w和计算x的函数 ·
# > 由于x.requires_grad=False,所以x_grad_fn是None ·
# > w是一个requires_grad=True，is_leaf=True的节点，它的grad_fn是个特殊的函数，它的作用是将da/dw保存到w.grad里

# %% [markdown] lang=zh
# `u` 的节点 `MulBackward0` 返回给 `w` 和 `x` 的梯度。`x` 不需要梯度，所以它的梯度是 `None`，
# 它在 `next_functions` 中的位置也是 `None`。`w` 的 `AccumulateGrad` 完成整个过程。
#
# > 源文档：使用u的grad_fn可以计算da/dw和da/dx，分别等于da/du\*du/dw, da/du\*du/dx，同样需要将da/du“反向传播”给grad_fn ·
# > 由于x.requires_grad = False, dx会为None ·
# > 由于u是由w和x两个张量计算得到的，所以其grad_fn里包含的next_functions会分别包含计算w和计算x的函数 ·
# > 由于x.requires_grad=False,所以x_grad_fn是None ·
# > w是一个requires_grad=True，is_leaf=True的节点，它的grad_fn是个特殊的函数，它的作用是将da/dw保存到w.grad里

# %% seeds="004/In [10]"
# u's node gives da/dw = da/du * du/dw and da/dx = da/du * du/dx: hand it da/du
dw, dx = u_grad_fn(du)

print(dw, dx) # x.requires_grad is False: dx is None

# u came from w and x: its node has one next function for each
w_grad_fn, x_grad_fn = u.grad_fn.next_functions

# x.requires_grad is False, so x's place holds None
print(x_grad_fn[0])

# w's node is AccumulateGrad too: it adds da/dw into w.grad
print(w_grad_fn[0])
print(w.grad)
w_grad_fn[0](dw)
print(w.grad)

# %% [markdown] lang=en
# The same numbers `a.backward()` gave at the top of the chapter: 1 and 3.

# %% [markdown] lang=zh
# 与本章开头 `a.backward()` 给出的数字相同：1 和 3。

# %% seeds="004/In [11]"
print(b.grad)
print(w.grad)

# %% [markdown] lang=en
# The graph after the hand-made pass: the leaves hold what their `AccumulateGrad` nodes added,
# `b.grad` = 1 and `w.grad` = 3, as if `a.backward()` had run. That is all `backward()` does: call
# each node once, in an order where a node runs only after every gradient for it has arrived,
# and hand each result to the next node along `next_functions`.

# %% [markdown] lang=zh
# 手动传播之后的计算图：叶子里装着它们的 `AccumulateGrad` 加进去的值，`b.grad` = 1，
# `w.grad` = 3，就像运行了 `a.backward()` 一样。`backward()` 做的也就是这些：每个节点调用一次，
# 顺序保证一个节点只在它的所有梯度都到齐之后才运行，再把每个结果沿 `next_functions` 交给下一个
# 节点。

# %%
render_graph(a)

# %% [markdown] lang=en
# ### The same walk with `step_through`
#
# `step_through(a)` does what the cells above did by hand, one node per click on "Call next": it
# calls the real nodes through `next_functions` and shows the line of Python for each call, with
# your variable names. Here is a fresh graph; with a running kernel, click through it (no later
# cell touches this stepper, so it is at its first step after "Run All").

# %% [markdown] lang=zh
# ### 用 `step_through` 再走一遍
#
# `step_through(a)` 做的就是上面各单元格手动做的事，每点一次“Call next”调用一个节点：它沿
# `next_functions` 调用真实的节点，并用你的变量名显示每次调用对应的那行 Python 代码。下面是
# 一张新图；在运行着的内核里逐步点击它（之后没有任何单元格操作这个步进器，所以“全部运行”
# 之后它停在第一步）。

# %% id=ch05-stepper
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
steps = step_through(a)
steps

# %% [markdown] lang=en
# The same calls can be made from code, on a stepper of their own (another fresh graph, so the
# one above stays untouched). `.next()` makes one call. The first is exactly the source's
# `a.grad_fn(t.tensor(1.0))` (the stepper writes the package as `t`, as this notebook imports it):

# %% [markdown] lang=zh
# 同样的调用也可以用代码来做，用它自己的步进器（又一张新图，上面那个保持不动）。`.next()`
# 做一次调用。第一次正是源文档的 `a.grad_fn(t.tensor(1.0))`（步进器把包写作 `t`，与本笔记本的
# 导入方式一致）：

# %% id=ch05-scripted-next
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
scripted = step_through(a)
call = scripted.next()
print(call.code)
print(call.printed)

# %% [markdown] lang=en
# `.run()` makes the rest. The transcript is the hand-made pass of this chapter, line for line
# (the source's `u_grad_fn, b_grad_fn = ...` unpacking is written as one lookup per node), and it
# ends with the same `b.grad` and `w.grad`.

# %% [markdown] lang=zh
# `.run()` 做完剩下的调用。记录下来的过程与本章手动的过程逐行一致（源文档的
# `u_grad_fn, b_grad_fn = ...` 解包写成了每个节点一次查找），最后得到相同的 `b.grad` 和
# `w.grad`。

# %% id=ch05-scripted-run
scripted.run()
print(scripted.stepper.transcript())
print(b.grad, w.grad)

# %% [markdown] lang=en
# ### And the engine's own pass
#
# `animate_backward(a)` lets the engine do it (`a.backward()`) and replays what it did: the same
# five calls. Unlike the calls by hand, the engine records no graph of the gradients it computes
# (no `create_graph`), so `b.grad` and `w.grad` come without `grad_fn`.

# %% [markdown] lang=zh
# ### 引擎自己的反向传播
#
# `animate_backward(a)` 让引擎来做（`a.backward()`），并回放它做了什么：同样的五次调用。与手动
# 调用不同，引擎不记录它计算梯度的过程（没有 `create_graph`），所以 `b.grad` 和 `w.grad` 不带
# `grad_fn`。

# %%
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
animation = animate_backward(a)
print(b.grad, w.grad)
animation

# %% [markdown] lang=en
# **In which order?** Among the nodes whose gradients have all arrived, the engine runs
# `AccumulateGrad` nodes first, as soon as they are ready; among the other nodes, the one created
# last. Here `b`'s `AccumulateGrad` runs before `u`'s `MulBackward0`. "The node created last"
# alone would give the same order on this graph, so here is one where the two rules differ: `w`'s
# `AccumulateGrad` is created early (by `early = w * 1`), before `p`'s node, and still runs first.

# %% [markdown] lang=zh
# **按什么顺序？** 在所有梯度都已到齐的节点中，引擎一旦某个 `AccumulateGrad` 就绪就先运行它；
# 其余节点中，先运行最后创建的那个。这里 `b` 的 `AccumulateGrad` 在 `u` 的 `MulBackward0` 之前
# 运行。单凭“最后创建的先运行”在这张图上也会得到同样的顺序，所以再看一张两种规则结论不同的
# 图：`w` 的 `AccumulateGrad` 很早就创建了（由 `early = w * 1`），早于 `p` 的节点，但它仍然
# 先运行。

# %% id=ch05-engine-order
w = t.tensor(2.0, requires_grad=True)
k = t.tensor(3.0, requires_grad=True)
early = w * 1          # makes w's AccumulateGrad now, before p's node
p = k * 2
y = w * p
order = []
for node, name in [(y.grad_fn, "MulBackward0 (y)"), (p.grad_fn, "MulBackward0 (p)"),
                   (y.grad_fn.next_functions[0][0], "AccumulateGrad (w)"),
                   (p.grad_fn.next_functions[0][0], "AccumulateGrad (k)")]:
    node.register_prehook(lambda grads, name=name: order.append(name))
y.backward()
print(order)

# %% [markdown] lang=en
# ## Custom Functions
#
# > 源文档：自定义 Function，实现 forward 和 backward · 自定义 Module，只负责 forward
#
# An `autograd.Function` supplies both halves of an operation: `forward` computes the result and
# may save tensors on `ctx` (`save_for_backward`); `backward` receives the gradient of the output
# and returns one gradient per input of `forward`. `SquareFunction.apply(x)` runs `forward` and
# puts a node named `SquareFunctionBackward` into the graph; the backward pass will call our
# `backward` there. The `nn.Module` wrapper only makes it look like a layer.

# %% [markdown] lang=zh
# ## 自定义 Function
#
# > 源文档：自定义 Function，实现 forward 和 backward · 自定义 Module，只负责 forward
#
# `autograd.Function` 同时提供一个运算的两半：`forward` 计算结果，并可以把张量保存在 `ctx` 上
# （`save_for_backward`）；`backward` 接收输出的梯度，为 `forward` 的每个输入返回一个梯度。
# `SquareFunction.apply(x)` 运行 `forward`，并在计算图里放入一个名为 `SquareFunctionBackward`
# 的节点；反向传播会在那里调用我们的 `backward`。`nn.Module` 包装只是让它看起来像一层网络。

# %% seeds="004/In [15]" tags=silent
# a custom Function: forward and backward
import autograd_lab.nn as nn
class SquareFunction(t.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input ** 2

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = 2 * input * grad_output
        return grad_input

# a custom Module: only the forward
class MySquare(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, input):
        return SquareFunction.apply(input)

# %% [markdown] lang=en
# > 源文档：测试 · 输出 4.0，符合 dy/dx = 2x

# %% [markdown] lang=zh
# > 源文档：测试 · 输出 4.0，符合 dy/dx = 2x

# %% seeds="004/In [17]"
# test it
model = MySquare()

x = t.tensor(2.0, requires_grad=True)
y = model(x)
y.backward()

print(x.grad)  # 4.0, as dy/dx = 2x says

# %% [markdown] lang=en
# The custom node is drawn purple. `show_saved=True` shows what `forward` saved,
# `saved_tensors[0]` (that is `x`), already freed: the backward pass above used it and, without
# `retain_graph=True`, let it go.

# %% [markdown] lang=zh
# 自定义节点画成紫色。`show_saved=True` 显示 `forward` 保存的 `saved_tensors[0]`（就是 `x`），
# 它已经被释放：上面的反向传播用过它，并且因为没有 `retain_graph=True` 而放掉了它。

# %%
render_graph(y, show_saved=True)

# %% [markdown] lang=en
# > 源文档：输出 2.0，符合 dy/dx = 2x

# %% [markdown] lang=zh
# > 源文档：输出 2.0，符合 dy/dx = 2x

# %% seeds="004/In [19]"
x = t.tensor(1.0, requires_grad=True)
y = model(x)
y.backward()

print(x.grad)  # 2.0, as dy/dx = 2x says

# %% [markdown] lang=en
# The node's class is made for the Function. Its full name shows where it was made: PyTorch
# prints `torch.autograd.function.SquareFunctionBackward`, this library
# `autograd_lab.autograd.function.SquareFunctionBackward`: the one difference in this chapter's
# printed output, apart from memory addresses.
#
# > 源文档：y的grad_fn

# %% [markdown] lang=zh
# 节点的类是为这个 Function 专门生成的。它的全名说明了它在哪里生成：PyTorch 打印
# `torch.autograd.function.SquareFunctionBackward`，本库打印
# `autograd_lab.autograd.function.SquareFunctionBackward`：除了内存地址，这是本章打印输出中
# 唯一的差别。
#
# > 源文档：y的grad_fn

# %% seeds="004/In [23]"
x = t.tensor(1.0, requires_grad=True)
y = model(x)
# y's grad_fn
y.grad_fn

# %% [markdown] lang=en
# Two inputs: `backward` returns two gradients, in the order of `forward`'s arguments.
# $z = x^2 + y^2$ gives $\partial z/\partial x = 2x = 6$ and $\partial z/\partial y = 2y = 4$. (The
# source imports `torch.nn` a second time in this cell; the import is done once, above.)

# %% [markdown] lang=zh
# 两个输入：`backward` 按 `forward` 参数的顺序返回两个梯度。$z = x^2 + y^2$ 给出
# $\partial z/\partial x = 2x = 6$，$\partial z/\partial y = 2y = 4$。（源文档在这个单元格里又
# 导入了一次 `torch.nn`；这里只在上面导入一次。）

# %% seeds="004/In [24]" tags=silent
# a custom Function with two inputs: forward and backward
class SquareAddFunction(t.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x**2 + y**2

    @staticmethod
    def backward(ctx, grad_output):
        x, y, = ctx.saved_tensors
        dx = 2 * x * grad_output
        dy = 2 * y * grad_output
        return dx, dy

# a custom Module: only the forward
class SquareAdd(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x, y):
        return SquareAddFunction.apply(x, y)

# %% seeds="004/In [35]" tags=silent
x = t.tensor(3.0, requires_grad=True)
y = t.tensor(2.0, requires_grad=True)
z = SquareAdd()(x, y)
z.backward()

# %% seeds="004/In [36]"
z.grad_fn

# %% seeds="004/In [37]"
x.grad

# %% seeds="004/In [34]"
y.grad

# %% [markdown] lang=en
# Inside `forward` no graph is recorded (the `**` and `+` there leave no nodes): the whole
# function is one node, whose `next_functions` lead to the two leaves. It saved two tensors,
# `x` and `y`, freed by the backward pass like any node's.

# %% [markdown] lang=zh
# `forward` 内部不记录计算图（那里的 `**` 和 `+` 不留下节点）：整个函数就是一个节点，它的
# `next_functions` 通向两个叶子。它保存了两个张量 `x` 和 `y`，和任何节点一样被反向传播释放。

# %%
render_graph(z, show_saved=True)

# %% [markdown] lang=en
# ## Checking a `backward`: `gradcheck`
#
# Two examples with the right numbers do not prove a `backward` right. `t.autograd.gradcheck`
# compares it, for every input element, with a finite difference
# $\big(f(x + \epsilon) - f(x - \epsilon)\big) / 2\epsilon$: the check by hand of chapter 01, done
# for the whole Jacobian. It needs double precision (`float64`): in `float32` the rounding error of
# the difference is larger than its tolerance. Both of this chapter's Functions pass:

# %% [markdown] lang=zh
# ## 检验 `backward`：`gradcheck`
#
# 两个数字碰巧对了，并不能证明 `backward` 是对的。`t.autograd.gradcheck` 对每个输入元素，把它
# 与有限差分 $\big(f(x + \epsilon) - f(x - \epsilon)\big) / 2\epsilon$ 比较：就是第 01 章手工做的
# 检验，只是对整个雅可比矩阵来做。它需要双精度（`float64`）：在 `float32` 下，差分的舍入误差比
# 它的容差还大。本章的两个 Function 都通过了：

# %% id=ch05-gradcheck
x64 = t.tensor([0.5, -1.0, 2.0], dtype=t.float64, requires_grad=True)
y64 = t.tensor([1.5, 0.25, -2.0], dtype=t.float64, requires_grad=True)
print(t.autograd.gradcheck(SquareFunction.apply, (x64,)))
print(t.autograd.gradcheck(SquareAddFunction.apply, (x64, y64)))

# %% [markdown] lang=en
# A `backward` that forgot the factor 2 fails, and the message shows both Jacobians: the numerical
# one (from finite differences) and the analytical one (from our `backward`), exactly half of it.

# %% [markdown] lang=zh
# 忘了因子 2 的 `backward` 会失败，错误信息给出两个雅可比矩阵：数值的（来自有限差分）和解析的
# （来自我们的 `backward`），后者正好是前者的一半。

# %% id=ch05-gradcheck-fails
class ForgetfulSquare(t.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input ** 2

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return input * grad_output   # the 2 is missing


try:
    t.autograd.gradcheck(ForgetfulSquare.apply, (x64,))
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown] lang=en
# ## Exercises
#
# Each exercise cell makes its own tensors, so it can be run again at any time. Write your
# answer in place of `None` and run the cell. (Exercise 05.3 is above, in the `AccumulateGrad`
# section.)
#
# **05.1** Same graph, but `x = -1`: $v = 2 \cdot (-1) + 1 = -1$. What is `w.grad` after
# `a.backward()`?

# %% [markdown] lang=zh
# ## 练习
#
# 每个练习单元格都自己创建张量，随时可以重新运行。把 `None` 换成你的答案，再运行单元格。
# （练习 05.3 在上面 `AccumulateGrad` 一节里。）
#
# **05.1** 同一张图，但 `x = -1`：$v = 2 \cdot (-1) + 1 = -1$。`a.backward()` 之后 `w.grad` 是
# 多少？

# %% id=ch05-ex1
answer = None   # a number
check("05.1", answer)

# %% [markdown] lang=en
# **05.2** For `a = t.relu(w * x + b)` with `b = 1`, `w = 2`, `x = 3`, you call
# `a.grad_fn(t.tensor(5.0))`. What number comes back?

# %% [markdown] lang=zh
# **05.2** 对 `a = t.relu(w * x + b)`，`b = 1`、`w = 2`、`x = 3`，调用
# `a.grad_fn(t.tensor(5.0))`。返回的数是多少？

# %% id=ch05-ex2
answer = None   # a number
check("05.2", answer)

# %% [markdown] lang=en
# **05.4 (code)** Write `CubeFunction`'s `backward` ($y = x^3$), then set `answer = CubeFunction`.
# The check runs `gradcheck` on it with double-precision inputs of its own.

# %% [markdown] lang=zh
# **05.4（写代码）** 写出 `CubeFunction` 的 `backward`（$y = x^3$），然后令
# `answer = CubeFunction`。检查会用它自己的双精度输入对它运行 `gradcheck`。

# %% id=ch05-ex4
class CubeFunction(t.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input ** 3

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        ...   # your code: return the gradient with respect to input


answer = None   # when backward is written: answer = CubeFunction
check("05.4", answer)

# %% [markdown] lang=en
# ## Recap
#
# - A backward node is a callable: give it the gradient of its output, it returns one gradient
#   per input; `next_functions` says where each goes. `backward()` calls every node once, when all
#   its gradients have arrived (`AccumulateGrad` nodes as soon as they are ready).
# - `AccumulateGrad` adds into `.grad`. Within one pass a leaf's pieces are summed first and the
#   node is called once; `.grad` accumulates across backward calls, which is why it is zeroed.
# - An `autograd.Function` is a node you write: `forward` (with `ctx.save_for_backward`) and
#   `backward`; `gradcheck`, in `float64`, tells whether the two agree.
#
# Next: [06 · The training loop](06_training_loop.ipynb), where all of this trains a model.

# %% [markdown] lang=zh
# ## 小结
#
# - 反向节点是可调用的：给它输出的梯度，它为每个输入返回一个梯度；`next_functions` 说明每个
#   梯度去往哪里。`backward()` 在每个节点的梯度都到齐时调用它一次（`AccumulateGrad` 节点一旦
#   就绪就运行）。
# - `AccumulateGrad` 把梯度加进 `.grad`。一次传播之内，叶子的各份梯度先相加、节点只调用一次；
#   `.grad` 在多次反向传播调用之间累加，所以要清零。
# - `autograd.Function` 是你自己写的节点：`forward`（配合 `ctx.save_for_backward`）和
#   `backward`；`gradcheck`（用 `float64`）告诉你两者是否一致。
#
# 下一章：[06 · 训练循环](06_training_loop.ipynb)，在那里这一切用来训练一个模型。
