# Chapter 02: tensors that require grad, and the graph (seed document 001_eb5d88cff90534e4).
# Built into notebooks/02_requires_grad_and_the_graph.ipynb (English) and
# notebooks/zh/02_requires_grad_and_the_graph.ipynb (Chinese) by notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 02 · Tensors that require grad, and the graph they build
#
# In this chapter you will:
#
# - see which tensors autograd watches (`requires_grad`) and which are **leaves** (`grad_fn` is
#   `None`), including the leaves nobody would call "made by you";
# - find out why an intermediate result has no `.grad` after `backward` (it was never stored, not
#   "freed"), and how to keep it;
# - walk the graph as objects: `grad_fn`, `next_functions`, `AccumulateGrad`, the `None` of an
#   input that needs no gradient;
# - retain a graph and walk it twice, and watch a pass through a chain of additions.
#
# The source document runs one statement per cell, and so does this chapter; its notes are
# quoted word for word as "源文档". Its code is unchanged except that `import torch` becomes
# `import autograd_lab as torch`, the first cell also seeds the random generator
# (`torch.manual_seed(0)`) and imports the drawing tools, and the comments are ours, in English.
# Terms: [glossary](glossary.md).

# %% [markdown] lang=zh
# # 02 · 需要梯度的张量与它们构建的计算图
#
# 在本章中，你将：
#
# - 看到 autograd 关注哪些张量（`requires_grad`），哪些是**叶子**（`grad_fn` 为 `None`），包括那些
#   谁也不会称为“自己创建的”叶子；
# - 弄清为什么中间结果在 `backward` 之后没有 `.grad`（它从未被保存，而不是“被释放”），以及怎样保留它；
# - 把计算图当作对象来遍历：`grad_fn`、`next_functions`、`AccumulateGrad`，以及不需要梯度的输入对应的
#   `None`；
# - 保留计算图并遍历两次，观看梯度流过一串加法。
#
# 源文档每个单元格只运行一条语句，本章也是如此；其笔记以“源文档”逐字引用。源文档的代码只有这些改动：
# `import torch` 改为 `import autograd_lab as torch`，第一个单元格还设置了随机种子
# （`torch.manual_seed(0)`）并导入画图工具，代码注释换成我们的英文注释。术语见[术语表](../glossary.md)。

# %% [markdown] lang=en
# ## `Variable` is history
#
# > 源文档：autograd
# >
# > Variable构造函数需要传入Tensor，同时有两个可选参数
# >
# > requires_grad(bool)：是否需要求导
# >
# > variabel支持绝大数tensor操作，但不支持inplace操作
# >
# > variable.backward(grad_variables=None,retain_graph=None,create_graph=None)
# >
# > grad_variables ：形状与variable一致，对于y.backward()，grad_variable可以是tensor或序列
# >
# > retain_graph ：反向传播的时候需要缓存一些中间结果，反向传播之后，这些缓存就被清空，可通过指定这个参数不清空缓存，用来多次反向传播
# >
# > create_graph ：对反向传播过程再次构建计算图，可通过backward of backward实现求高阶导数
#
# (The source, in short: the `Variable` constructor takes a Tensor and an optional
# `requires_grad`; a Variable supports most tensor operations but not in-place ones;
# `backward(grad_variables, retain_graph, create_graph)`: `grad_variables` has the Variable's
# shape; `retain_graph` keeps the intermediate results cached for backward, which are otherwise
# cleared, so that backward can run several times; `create_graph` builds a graph of the backward
# pass, for higher-order derivatives.)
#
# `torch.autograd.Variable` once wrapped a tensor to carry `requires_grad`, `grad` and
# `backward()`. Since PyTorch 0.4 every tensor does that itself and `Variable(t)` returns a
# tensor; the import below is kept only because the source has it. What still holds, in
# today's words:
#
# - `backward(gradient=None, retain_graph=None, create_graph=False)`: the argument once called
#   `grad_variables` is now `gradient`, with the shape of the tensor (needed when it is not a
#   scalar); `retain_graph` keeps the values cached for the backward pass, which are otherwise
#   freed, so that the graph can be walked again; `create_graph` records the backward pass, for
#   derivatives of derivatives.
# - "Does not support in-place operations" is too strong: tensors that require grad support
#   in-place operations, except on a leaf that requires grad while autograd records (chapter 01),
#   and except on a value saved for backward, which the **version counter** catches (chapter 04).

# %% [markdown] lang=zh
# ## `Variable` 已成历史
#
# > 源文档：autograd
# >
# > Variable构造函数需要传入Tensor，同时有两个可选参数
# >
# > requires_grad(bool)：是否需要求导
# >
# > variabel支持绝大数tensor操作，但不支持inplace操作
# >
# > variable.backward(grad_variables=None,retain_graph=None,create_graph=None)
# >
# > grad_variables ：形状与variable一致，对于y.backward()，grad_variable可以是tensor或序列
# >
# > retain_graph ：反向传播的时候需要缓存一些中间结果，反向传播之后，这些缓存就被清空，可通过指定这个参数不清空缓存，用来多次反向传播
# >
# > create_graph ：对反向传播过程再次构建计算图，可通过backward of backward实现求高阶导数
#
# `torch.autograd.Variable` 曾经包装张量，用来携带 `requires_grad`、`grad` 和 `backward()`。从 PyTorch
# 0.4 起，每个张量自己就能做到，`Variable(t)` 直接返回张量；下面保留这个导入只是因为源文档有它。用今天的
# 话说，仍然成立的是：
#
# - `backward(gradient=None, retain_graph=None, create_graph=False)`：原来叫 `grad_variables` 的参数
#   现在叫 `gradient`，形状与张量相同（张量不是标量时需要）；`retain_graph` 保留为反向传播缓存的值
#   （否则会被释放），以便再次遍历计算图；`create_graph` 记录反向过程，用于求导数的导数。
# - “不支持inplace操作”说得太绝对：需要梯度的张量也支持原地运算，例外只有两种：在 autograd 记录时对
#   需要梯度的叶子做原地运算（第 01 章），以及修改为反向保存的值，这由**版本计数器**发现（第 04 章）。

# %% seeds="001/In [1]" tags=silent lang=en
import autograd_lab as torch   # the PyTorch original: import torch
from autograd_lab.autograd import variable
torch.manual_seed(0)   # the random tensors below (torch.randn) are the same in every run
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check
# %% seeds="001/In [1]" tags=silent lang=zh
import autograd_lab as torch   # the PyTorch original: import torch
from autograd_lab.autograd import variable
torch.manual_seed(0)   # the random tensors below (torch.randn) are the same in every run
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check
torch.set_language("zh")       # pictures, animation panels and exercise feedback in Chinese

# %% [markdown] lang=en
# The in-place correction above, shown: a non-leaf that requires grad is changed in place, and
# the change is recorded (its `grad_fn` becomes the in-place addition's node).

# %% [markdown] lang=zh
# 上面关于原地运算的更正，演示如下：对需要梯度的非叶子做原地修改是可以的，而且这次修改会被记录（它的
# `grad_fn` 变成原地加法的节点）。

# %% id=ch02-inplace-nonleaf
scaled = torch.ones(2, requires_grad=True) * 1
scaled.add_(1)
print(scaled, " version", scaled._version)

# %% [markdown] lang=en
# ## Requires grad, leaves, and where `.grad` lands
#
# `a` asks for gradients, `b` does not. `c = a + b` is computed from `a`, so it requires grad too.

# %% [markdown] lang=zh
# ## 需要梯度、叶子，以及 `.grad` 落在哪里
#
# `a` 要求梯度，`b` 不要求。`c = a + b` 由 `a` 算出，所以它也需要梯度。

# %% seeds="001/In [2]"
a = torch.ones((3,4), requires_grad = True)
a

# %% seeds="001/In [3]"
b = torch.zeros(3,4)
b

# %% seeds="001/In [4]"
c = a+b
c

# %% [markdown] lang=en
# `b` needs no gradient, so the graph has no `AccumulateGrad` for it: `AddBackward0` has a
# `None` in its `next_functions` at `b`'s place (`show_none=True` draws it), and autograd will
# spend no work on that branch.

# %% [markdown] lang=zh
# `b` 不需要梯度，所以计算图里没有它的 `AccumulateGrad`：`AddBackward0` 的 `next_functions` 在 `b` 的
# 位置上是 `None`（`show_none=True` 会画出来），autograd 不会在这个分支上花任何工夫。

# %%
render_graph(c, show_none=True)

# %% [markdown] lang=en
# `d = c.sum()` is a scalar, so `d.backward()` needs no `gradient` argument: it starts from
# $\partial d/\partial d = 1$.

# %% [markdown] lang=zh
# `d = c.sum()` 是标量，所以 `d.backward()` 不需要 `gradient` 参数：它从 $\partial d/\partial d = 1$
# 出发。

# %% seeds="001/In [5]" tags=silent
d = c.sum()
d.backward()

# %% seeds="001/In [6]"
a.grad

# %% [markdown] lang=en
# `b.grad` is `None`, and Jupyter shows nothing for `None`: `b` never asked for a gradient.

# %% [markdown] lang=zh
# `b.grad` 是 `None`，而 Jupyter 对 `None` 不显示任何内容：`b` 从未要求梯度。

# %% seeds="001/In [7]" tags=silent
b.grad

# %% [markdown] lang=en
# > 源文档注释：`#c依赖于a，因此需要求导` (c depends on a, so it needs a derivative)

# %% [markdown] lang=zh
# > 源文档注释：`#c依赖于a，因此需要求导`

# %% seeds="001/In [8]"
a.requires_grad, b.requires_grad, c.requires_grad # c depends on a, so it needs a gradient too

# %% [markdown] lang=en
# `b` is a leaf although it does not require grad: by convention **every tensor that does not
# require grad is a leaf**. `c` has a `grad_fn`, so it is not.

# %% [markdown] lang=zh
# `b` 不需要梯度，却也是叶子：按约定，**不需要梯度的张量都是叶子**。`c` 有 `grad_fn`，所以不是。

# %% seeds="001/In [9]"
a.is_leaf, b.is_leaf, c.is_leaf

# %% [markdown] lang=en
# > 源文档注释：`#反向传播结束后中间结果被释放` (the intermediate result is freed once backward ends)
#
# `c.grad` is `None` after the backward pass. The source says the intermediate result "was freed
# after the backward pass"; more precisely, it was **never stored**: autograd computes
# $\partial d/\partial c$ on the way through, hands it on to `AddBackward0`, and keeps gradients
# only in leaves (and in tensors that called `retain_grad()`). What *is* freed after `backward`
# are the values the nodes saved for it. Reading `.grad` of a non-leaf is so often a mistake that
# PyTorch warns.

# %% [markdown] lang=zh
# > 源文档注释：`#反向传播结束后中间结果被释放`
#
# 反向传播之后 `c.grad` 是 `None`。源文档说中间结果“反向传播结束后被释放”；更准确地说，它**从未被保存**：
# autograd 在途中算出 $\partial d/\partial c$，交给 `AddBackward0` 继续往下传，只在叶子（以及调用了
# `retain_grad()` 的张量）里保存梯度。`backward` 之后*被释放*的，是各节点为反向保存的值。读取非叶子的
# `.grad` 往往是写错了，所以 PyTorch 会发出警告。

# %% seeds="001/In [10]"
c.grad is None # c is not a leaf: its gradient is passed on, never stored

# %% [markdown] lang=en
# Asked beforehand with `retain_grad()`, a non-leaf does keep its gradient (it stays a non-leaf):

# %% [markdown] lang=zh
# 如果事先用 `retain_grad()` 要求，非叶子就会保存它的梯度（它仍然是非叶子）：

# %% id=ch02-retain-grad
kept = a + b
kept.retain_grad()
kept.sum().backward()
print(kept.is_leaf, kept.grad[0])

# %% [markdown] lang=en
# The graph of `d` after its backward: `a` holds its gradient, `c` says "not kept".

# %% [markdown] lang=zh
# 反向传播之后 `d` 的计算图：`a` 保存了梯度，`c` 显示“grad: 不保留（非叶子节点）”。

# %%
render_graph(d)

# %% [markdown] lang=en
# ## The graph: `grad_fn` and `next_functions`
#
# > 源文档：计算图 (computation graph)
#
# A tiny linear model, $z = w \cdot x + b$, with a constant input `x` and two parameters.

# %% [markdown] lang=zh
# ## 计算图：`grad_fn` 与 `next_functions`
#
# > 源文档：计算图
#
# 一个极小的线性模型 $z = w \cdot x + b$，输入 `x` 是常量，另有两个参数。

# %% seeds="001/In [11]" tags=silent
x = torch.ones(1)

# %% seeds="001/In [12]" tags=silent
w = torch.ones(1, requires_grad = True)

# %% seeds="001/In [13]" tags=silent
b = torch.ones(1, requires_grad = True)

# %% seeds="001/In [14]" tags=silent
y = w*x

# %% seeds="001/In [15]" tags=silent
z = y+b

# %%
render_graph(z, show_none=True)

# %% seeds="001/In [16]"
x.requires_grad, b.requires_grad, w.requires_grad

# %% seeds="001/In [17]"
y.requires_grad

# %% [markdown] lang=en
# Are they leaves? Not because "we made them", but because none has a `grad_fn`: `b` and `w`
# are leaves that require grad (they get `.grad`), `x` is a leaf because it requires no grad.
# `y` and `z` have a `grad_fn`, so they are not.

# %% [markdown] lang=zh
# 它们是叶子吗？原因不是“我们创建了它们”，而是它们都没有 `grad_fn`：`b` 和 `w` 是需要梯度的叶子（会得到
# `.grad`），`x` 是叶子是因为它不需要梯度。`y` 和 `z` 有 `grad_fn`，所以不是叶子。

# %% seeds="001/In [18]"
x.is_leaf, b.is_leaf, w.is_leaf

# %% seeds="001/In [19]"
z.is_leaf, y.is_leaf

# %% [markdown] lang=en
# The rule at work on a "parameter" made the usual way, small random numbers: the multiplication
# by 0.01 is recorded, so the tensor we called `weight` is its result, not a leaf, and its
# `.grad` stays `None` after backward (with PyTorch's warning). The leaf is the nameless `randn`
# tensor. Making the leaf *after* scaling (scale a tensor that needs no grad, then call
# `.requires_grad_()`) avoids it.

# %% [markdown] lang=zh
# 用常见的方式（小随机数）创建“参数”，看这条规则怎样起作用：乘以 0.01 被记录了，所以我们称为 `weight`
# 的张量是它的结果，不是叶子，backward 之后它的 `.grad` 仍为 `None`（并有 PyTorch 的警告）。叶子是那个
# 没有名字的 `randn` 张量。在缩放*之后*再创建叶子（先缩放一个不需要梯度的张量，再调用
# `.requires_grad_()`）就能避免。

# %% id=ch02-grad-none-classic
weight = torch.randn(3, requires_grad=True) * 0.01
weight.sum().backward()
print("is_leaf:", weight.is_leaf, " grad_fn:", type(weight.grad_fn).__name__)
print("grad:", weight.grad)

# %% [markdown] lang=en
# > 源文档注释：`#add的反向传播函数为addback` (add's backward function is addback)
#
# A result's `grad_fn` is the node that will compute the gradients of its inputs: `+` gives
# `AddBackward0`, `*` gives `MulBackward0`. (Jupyter shows a node as `<AddBackward0 at 0x...>`;
# the address is where the object lives in memory.)

# %% [markdown] lang=zh
# > 源文档注释：`#add的反向传播函数为addback`
#
# 结果的 `grad_fn` 是将来计算其输入梯度的节点：`+` 对应 `AddBackward0`，`*` 对应 `MulBackward0`。
# （Jupyter 把节点显示为 `<AddBackward0 at 0x...>`，地址是对象在内存中的位置。）

# %% seeds="001/In [20]"
z.grad_fn # the backward of + is AddBackward0

# %% seeds="001/In [21]"
y.grad_fn

# %% [markdown] lang=en
# > 源文档注释：`#第一个为y，其对应的反向传播函数与y.grad_fn相同,第二个为b，grad_fn为None，但有grad_fn.next_functions,累加梯度`
# > (the first is y, its backward function the same as y.grad_fn; the second is b, whose grad_fn
# > is None, but it has an entry in grad_fn.next_functions, which accumulates the gradient)
#
# `next_functions` holds one pair per input of the operation, in order: the node that continues
# the backward pass for that input, and which of that node's outputs it is (almost always 0).
# For `z = y + b`, the first pair is `y.grad_fn` itself (the same object as above); the second is
# `b`'s `AccumulateGrad`: `b` has no `grad_fn`, but the graph still needs a node that adds the
# arriving gradient into `b.grad`, and that node is `AccumulateGrad` (the source's "累加梯度").

# %% [markdown] lang=zh
# > 源文档注释：`#第一个为y，其对应的反向传播函数与y.grad_fn相同,第二个为b，grad_fn为None，但有grad_fn.next_functions,累加梯度`
#
# `next_functions` 按顺序为运算的每个输入保存一对值：继续该输入的反向传播的节点，以及它是该节点的第几个
# 输出（几乎总是 0）。对 `z = y + b`，第一对就是 `y.grad_fn` 本身（与上面是同一个对象）；第二对是 `b` 的
# `AccumulateGrad`：`b` 没有 `grad_fn`，但计算图仍需要一个节点把到达的梯度加进 `b.grad`，这个节点就是
# `AccumulateGrad`（即源文档说的“累加梯度”）。

# %% seeds="001/In [22]"
# first: y's node (the same object as y.grad_fn); second: b's AccumulateGrad (b has no grad_fn)
z.grad_fn.next_functions

# %% [markdown] lang=en
# > 源文档注释：`#w, x`
#
# `y = w * x`: `w` gets an `AccumulateGrad`; `x` needs no gradient, so its place holds `None`.

# %% [markdown] lang=zh
# > 源文档注释：`#w, x`
#
# `y = w * x`：`w` 有一个 `AccumulateGrad`；`x` 不需要梯度，所以它的位置是 `None`。

# %% seeds="001/In [23]"
y.grad_fn.next_functions # w, x

# %% seeds="001/In [24]"
w.grad_fn, b.grad_fn

# %% [markdown] lang=en
# ### A retained graph
#
# `retain_graph=True` keeps what the nodes saved, so that the graph can be walked again. Here
# that is a single tensor: `MulBackward0` saved `x`, because $\partial(w x)/\partial w = x$. It
# did not save `w`, which it would need only for `x`'s gradient, and `x` needs none. The
# picture shows the saved `x` still there after the backward pass, and the gradients it left
# in `w` and `b`.

# %% [markdown] lang=zh
# ### 保留的计算图
#
# `retain_graph=True` 保留各节点保存的值，以便再次遍历计算图。这里只有一个：`MulBackward0` 保存了 `x`，
# 因为 $\partial(w x)/\partial w = x$。它没有保存 `w`：只有计算 `x` 的梯度时才需要 `w`，而 `x` 不需要
# 梯度。图中可以看到，反向传播之后保存的 `x` 仍在，`w` 和 `b` 里留下了梯度。

# %% seeds="001/In [25]" tags=silent
z.backward(retain_graph=True)

# %%
render_graph(z, show_saved=True)

# %% [markdown] lang=en
# Because it was retained, a second backward pass works, and, as always, adds to `.grad`:

# %% [markdown] lang=zh
# 因为保留了计算图，第二次反向传播可以进行，并且照例累加到 `.grad`：

# %%
z.backward()
w.grad, b.grad

# %% [markdown] lang=en
# This time nothing was retained: the saved tensor is gone (dashed), and a third `z.backward()`
# would fail.

# %% [markdown] lang=zh
# 这一次没有保留：保存的张量已经没有了（虚线），第三次 `z.backward()` 会失败。

# %%
render_graph(z, show_saved=True)

# %% [markdown] lang=en
# ## The gradient of a non-leaf is not kept
#
# > 源文档：查看非叶子节点的grad (looking at the grad of a non-leaf)
#
# A last experiment, with vectors. `sum` here is Python's built-in `sum`, not `torch.sum`: it
# iterates over `y` (which splits it with `unbind`) and adds the pieces one at a time, starting
# from `0`. The picture shows exactly that chain of `AddBackward0` nodes.

# %% [markdown] lang=zh
# ## 非叶子的梯度不会保存
#
# > 源文档：查看非叶子节点的grad
#
# 最后一个实验用向量。这里的 `sum` 是 Python 内置的 `sum`，不是 `torch.sum`：它遍历 `y`（用 `unbind`
# 把它拆开），从 `0` 开始逐个相加。图中正是这样一串 `AddBackward0` 节点。

# %% seeds="001/In [26]" tags=silent
x = torch.ones((3), requires_grad = True)
w = torch.randn((3), requires_grad = True)
y = w*x
z = sum(y)

# %%
render_graph(z)

# %% seeds="001/In [27]" tags=silent
z.backward()

# %% [markdown] lang=en
# > 源文档注释：`#非叶子节点计算完自动清空` (a non-leaf's gradient is cleared automatically once
# > computed)
#
# $\partial z/\partial x = w$ and $\partial z/\partial w = x = 1$; `y` is not a leaf, so its
# gradient was passed on and never kept (not "cleared": see `c` above).
#
# The numbers differ from the source's `tensor([0.2658, 1.0191, 0.0557])`: `w` is random, and the
# source did not seed its generator, so its values were whatever that run drew. This chapter
# calls `torch.manual_seed(0)` at the top, so `w` is the same in every run (and the same as
# PyTorch draws after `torch.manual_seed(0)`).

# %% [markdown] lang=zh
# > 源文档注释：`#非叶子节点计算完自动清空`
#
# $\partial z/\partial x = w$，$\partial z/\partial w = x = 1$；`y` 不是叶子，所以它的梯度只是被传下去，
# 从未保存（不是“清空”：见上面的 `c`）。
#
# 这里的数字与源文档的 `tensor([0.2658, 1.0191, 0.0557])` 不同：`w` 是随机的，而源文档没有设置随机种子，
# 它的值是那次运行随机抽到的。本章在开头调用了 `torch.manual_seed(0)`，所以 `w` 每次运行都一样（也与
# PyTorch 在 `torch.manual_seed(0)` 之后抽到的相同）。

# %% seeds="001/In [28]"
x.grad, w.grad, y.grad # y is not a leaf: its gradient is not kept

# %% [markdown] lang=en
# Watch that pass on a fresh copy. The gradient of `z` flows down the chain of additions, each
# handing $1 \times$ its gradient to both inputs; `UnbindBackward0` waits until all three pieces
# (one per element of `y`) have arrived, stacks them into one vector, and only then passes it to
# `MulBackward0`. The `0` that Python's `sum` started from needs no gradient: its place holds
# `None`.

# %% [markdown] lang=zh
# 在一份新的副本上观看这次反向传播。`z` 的梯度沿着加法链往下流，每个加法把 $1 \times$ 它的梯度交给两个
# 输入；`UnbindBackward0` 要等三份梯度（`y` 的每个元素一份）全部到齐，把它们堆叠成一个向量，然后才传给
# `MulBackward0`。Python 的 `sum` 起始的那个 `0` 不需要梯度：它的位置是 `None`。

# %%
x = torch.ones((3), requires_grad = True)
w = torch.randn((3), requires_grad = True)
y = w*x
z = sum(y)
animate_backward(z)

# %% [markdown] lang=en
# ## Exercises
#
# Write your answer where it says `answer = None` and run the cell; run it again as often as you
# like.
#
# **02.1** `p = torch.ones(2, requires_grad=True)`, `q = torch.zeros(2)`, `r = p * q`,
# `s = q * 2`. Which of `p`, `q`, `r`, `s` are leaves? Answer a tuple of four booleans.

# %% [markdown] lang=zh
# ## 练习
#
# 在 `answer = None` 处写下答案并运行单元格；可以反复运行。
#
# **02.1** `p = torch.ones(2, requires_grad=True)`，`q = torch.zeros(2)`，`r = p * q`，`s = q * 2`。
# `p`、`q`、`r`、`s` 中哪些是叶子？用四个布尔值组成的元组回答。

# %%
answer = None   # (p, q, r, s), e.g. (True, False, False, False)
check("02.1", answer)

# %% [markdown] lang=en
# **02.2** For `r = p * q` above, what is `r.grad_fn.next_functions[1][0]`? Answer the string
# `"AccumulateGrad"` or `"None"`.

# %% [markdown] lang=zh
# **02.2** 对上面的 `r = p * q`，`r.grad_fn.next_functions[1][0]` 是什么？回答字符串
# `"AccumulateGrad"` 或 `"None"`。

# %%
answer = None   # "AccumulateGrad" or "None"
check("02.2", answer)

# %% [markdown] lang=en
# **02.3** `m = torch.ones(2) * 5`, then `m.requires_grad_()`, then `(m * m).sum().backward()`.
# What is `m.grad`? Answer a tuple of two numbers.

# %% [markdown] lang=zh
# **02.3** `m = torch.ones(2) * 5`，然后 `m.requires_grad_()`，再 `(m * m).sum().backward()`。
# `m.grad` 是多少？用两个数组成的元组回答。

# %%
answer = None   # (a number, a number)
check("02.3", answer)

# %% [markdown] lang=en
# **02.4** (code) Write `count_accumulate_grad(t)`: start from `t.grad_fn`, follow
# `next_functions`, and return how many **distinct** `AccumulateGrad` nodes you meet. Use a loop
# and a list of nodes still to visit, not recursion: the check includes a graph 3000 nodes deep.

# %% [markdown] lang=zh
# **02.4**（写代码）编写 `count_accumulate_grad(t)`：从 `t.grad_fn` 出发，沿 `next_functions` 走，
# 返回遇到的**不同** `AccumulateGrad` 节点的个数。用循环和一个待访问节点列表，不要用递归：检查中有一张
# 3000 层深的计算图。

# %%
def count_accumulate_grad(t):
    ...   # your code here: return an int
check("02.4", count_accumulate_grad)

# %% [markdown] lang=en
# ## Recap
#
# - A tensor is a leaf when its `grad_fn` is `None`; every tensor that does not require grad is a
#   leaf, and a tensor computed from one that requires grad is not, even if you think of it as a
#   parameter.
# - Only leaves that require grad (and `retain_grad()` tensors) keep `.grad`; an intermediate
#   gradient is passed on, never stored. What backward frees are the saved tensors.
# - `grad_fn` and `next_functions` are the graph: one pair per input, `AccumulateGrad` for a leaf
#   that requires grad, `None` for an input that needs no gradient.
#
# **Next:** [03 · Derivatives and gradients](03_derivatives_and_gradients.ipynb).

# %% [markdown] lang=zh
# ## 小结
#
# - `grad_fn` 为 `None` 的张量是叶子；不需要梯度的张量都是叶子，而由需要梯度的张量算出的张量不是叶子，
#   即使你把它当作参数。
# - 只有需要梯度的叶子（以及调用了 `retain_grad()` 的张量）保存 `.grad`；中间梯度只被传下去，从不保存。
#   backward 释放的是保存的张量。
# - `grad_fn` 和 `next_functions` 就是计算图：每个输入一对，需要梯度的叶子对应 `AccumulateGrad`，
#   不需要梯度的输入对应 `None`。
#
# **下一章：**[03 · 导数与梯度](03_derivatives_and_gradients.ipynb)。
