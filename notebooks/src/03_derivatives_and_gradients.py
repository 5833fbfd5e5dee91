# Chapter 03: derivatives and gradients (seed document 002_f4f0882e939c3981).
# Built into notebooks/03_derivatives_and_gradients.ipynb and
# notebooks/zh/03_derivatives_and_gradients.ipynb by notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 03 · Derivatives and gradients
#
# The gradient of $y = 2\mathbf{x}^\top\mathbf{x}$ with respect to a vector, then the everyday
# facts around it: gradients accumulate across backward calls until you zero them, a non-scalar
# output needs a `gradient=` argument, `detach()` cuts a value out of the graph (but not out of
# its memory), Python control flow just works, and a second backward pass fails, but only through
# nodes that saved tensors.
#
# **In this chapter you will**
#
# - compute a gradient with respect to a vector and check it against the formula $4\mathbf{x}$;
# - see why `.grad` must be zeroed between two computations;
# - backpropagate from a vector with `gradient=` (the vector-Jacobian product), and read
#   `Tensor.backward`'s arguments: `gradient`, `retain_graph`, `create_graph`, `inputs`;
# - use `detach()` and learn what it shares with the original;
# - see why a second backward fails for one graph and not for another.
#
# Terms: see the [glossary](glossary.md). The source document's own notes (in Chinese) are quoted
# beside the text as "源文档" (source document). Its code cells are kept as they were; their
# comments become English comments (the Chinese ones are quoted in the text), the import reads
# `import autograd_lab as torch` (and also brings in the drawing tools and `check`), and every
# other change is said where it is made.

# %% [markdown] lang=zh
# # 03 · 导数与梯度
#
# 先求 $y = 2\mathbf{x}^\top\mathbf{x}$ 关于一个向量的梯度，再看围绕它的日常事实：梯度在多次
# 反向传播调用之间累加，直到你把它清零；非标量输出需要 `gradient=` 参数；`detach()` 把一个值
# 从计算图里切出来（但没有从它的内存里切出来）；Python 控制流照常可用；第二次反向传播会失败，
# 但只会在保存了张量的节点上失败。
#
# **在本章中，你将**
#
# - 求关于一个向量的梯度，并与公式 $4\mathbf{x}$ 对照；
# - 明白为什么两次计算之间要把 `.grad` 清零；
# - 用 `gradient=` 从一个向量开始反向传播（向量-雅可比积），读懂 `Tensor.backward` 的参数：
#   `gradient`、`retain_graph`、`create_graph`、`inputs`；
# - 使用 `detach()`，并弄清它和原张量共享什么；
# - 看到为什么第二次反向传播对一张图失败、对另一张图却不失败。
#
# 术语见[术语表](../glossary.md)。源文档自己的笔记以“源文档：”的形式引用在正文旁边。源文档的
# 代码单元格保持原样：注释改成英文（中文原注释在正文中引用），导入写作
# `import autograd_lab as torch`（同时导入绘图工具和 `check`），其他改动都在改动处说明。

# %% tags=silent id=ch03-setup lang=en
import autograd_lab as torch   # the PyTorch original: import torch
torch.manual_seed(0)   # torch.randn below gives the same number in every run
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check

# %% tags=silent id=ch03-setup lang=zh
import autograd_lab as torch   # the PyTorch original: import torch
torch.manual_seed(0)   # torch.randn below gives the same number in every run
from autograd_lab import render_graph, animate_backward
from autograd_lab.exercises import check
torch.set_language("zh")   # 动画面板和练习反馈用中文（PyTorch 没有这一行）

# %% [markdown] lang=en
# ## The gradient of $y = 2\mathbf{x}^\top\mathbf{x}$
#
# > 源文档：自动求导 假设要对$y=2x^Tx$关于列向量$x$求导
#
# (Automatic differentiation: differentiate $y = 2\mathbf{x}^\top\mathbf{x}$ with respect to the
# column vector $\mathbf{x}$.) $y = 2\sum_i x_i^2$, so $\partial y/\partial x_i = 4x_i$: the
# gradient is $4\mathbf{x}$. We start with a plain tensor and switch gradients on afterwards with
# `requires_grad_(True)` (the trailing underscore: it changes `x` in place; `x` was a leaf before
# and stays one).
#
# > 源文档：同x=torch.arange(4.0,requires_grad=True) · 梯度gradient,默认是None

# %% [markdown] lang=zh
# ## $y = 2\mathbf{x}^\top\mathbf{x}$ 的梯度
#
# > 源文档：自动求导 假设要对$y=2x^Tx$关于列向量$x$求导
#
# $y = 2\sum_i x_i^2$，所以 $\partial y/\partial x_i = 4x_i$：梯度是 $4\mathbf{x}$。先创建一个
# 普通张量，再用 `requires_grad_(True)` 打开梯度（末尾的下划线表示原地修改 `x`；`x` 之前是叶子，
# 之后仍然是叶子）。
#
# > 源文档：同x=torch.arange(4.0,requires_grad=True) · 梯度gradient,默认是None

# %% seeds="002/In [1]"
x = torch.arange(4.0)
x

# %% seeds="002/In [2]"
x.requires_grad_(True)  # the same as x = torch.arange(4.0, requires_grad=True)
x.requires_grad  # Instance attribute requires_grad

# %% [markdown] lang=en
# Before any backward pass there is no gradient: `.grad` is `None`, not zeros, so "not computed
# yet" and "computed, and zero" look different.

# %% [markdown] lang=zh
# 在任何反向传播之前还没有梯度：`.grad` 是 `None` 而不是零，这样“还没算”和“算了，结果是零”
# 看起来就不一样。

# %% seeds="002/In [3]" tags=silent
x.grad  # None until a backward pass reaches x

# %% seeds="002/In [4]"
y = 2 * torch.dot(x, x)
y

# %% [markdown] lang=en
# `DotBackward0` saved both of its inputs (both are `x`: the derivative of
# $\mathbf{x}^\top\mathbf{x}$ with respect to each side is the other side); `MulBackward0` saved
# the constant `2`. `show_saved=True` draws them.
#
# > 源文档：调用反向传播来自动计算y关于x每个分量的梯度

# %% [markdown] lang=zh
# `DotBackward0` 保存了它的两个输入（都是 `x`：$\mathbf{x}^\top\mathbf{x}$ 对任一侧的导数就是
# 另一侧）；`MulBackward0` 保存了常数 `2`。`show_saved=True` 把它们画出来。
#
# > 源文档：调用反向传播来自动计算y关于x每个分量的梯度

# %%
render_graph(y, show_saved=True)

# %% seeds="002/In [5]"
# backward computes the gradient of y with respect to every element of x
y.backward()
x.grad

# %% seeds="002/In [6]"
x.grad == 4 * x

# %% [markdown] lang=en
# ## Gradients accumulate across backward calls: zero them
#
# > 源文档：默认情况下,PyTorch会累积梯度,我们需要清除之前的值 · 一个新的函数 ·
# > 如果不清0, 把x.grad.zero_()注释,结果为:tensor([ 1.,  5.,  9., 13.])
#
# Every `backward()` call **adds** its result into `.grad`. Before computing the gradient of a new
# function, clear the old one with `x.grad.zero_()`; without it, the result below would be
# `[1, 5, 9, 13]`, the old $4\mathbf{x}$ plus the new ones.

# %% [markdown] lang=zh
# ## 梯度在多次反向传播调用之间累加：要清零
#
# > 源文档：默认情况下,PyTorch会累积梯度,我们需要清除之前的值 · 一个新的函数 ·
# > 如果不清0, 把x.grad.zero_()注释,结果为:tensor([ 1.,  5.,  9., 13.])
#
# 每一次 `backward()` 调用都把结果**加**进 `.grad`。在计算一个新函数的梯度之前，用
# `x.grad.zero_()` 清除旧的；不清零，下面的结果会是 `[1, 5, 9, 13]`，即旧的 $4\mathbf{x}$
# 加上新的全 1。

# %% seeds="002/In [7]"
# PyTorch adds new gradients to old ones: clear them first
x.grad.zero_()
y = x.sum()  # a new function
y.backward()
x.grad
# without x.grad.zero_() the result would be tensor([ 1.,  5.,  9., 13.])

# %% [markdown] lang=en
# `SumBackward0` saved no tensor at all, only the input's shape: the derivative of a sum is 1
# everywhere, whatever the values were.

# %% [markdown] lang=zh
# `SumBackward0` 没有保存任何张量，只保存了输入的形状：求和的导数处处是 1，与数值无关。

# %%
render_graph(y, show_saved=True)

# %% [markdown] lang=en
# The adding happens **between calls**, not inside one. In `x * x` the leaf `x` is used twice,
# yet within one `backward()` its `AccumulateGrad` node is called once: the engine first sums the
# two pieces, $x + x$, in its own buffer. A hook on that node (a *pre-hook*, called with the
# node's incoming gradient) shows one call, with $2\mathbf{x}$; a second `backward()`, on a fresh
# graph, calls it again, and that is when `.grad` adds up.

# %% [markdown] lang=zh
# 累加发生在**两次调用之间**，而不是一次调用之内。在 `x * x` 里叶子 `x` 用了两次，但在一次
# `backward()` 中，它的 `AccumulateGrad` 节点只被调用一次：引擎先在自己的缓冲区里把两份
# $x + x$ 加起来。在这个节点上挂一个钩子（*pre-hook*，调用时收到节点的输入梯度）就能看到：
# 只调用了一次，收到的是 $2\mathbf{x}$；第二次 `backward()`（在一张新图上）再调用它一次，
# 这时 `.grad` 才累加起来。

# %% id=ch03-accumulate-calls
x = torch.arange(4.0, requires_grad=True)
y = x * x
acc = y.grad_fn.next_functions[0][0]           # x's AccumulateGrad
print(y.grad_fn.next_functions[1][0] is acc)   # both edges of MulBackward0 lead to it
calls = []
acc.register_prehook(lambda grads: calls.append(grads[0]))
y.sum().backward()
print("calls:", len(calls), " it received", calls[-1], " x.grad", x.grad)
y = x * x                                      # a fresh graph, the same AccumulateGrad node
y.sum().backward()
print("calls:", len(calls), " it received", calls[-1], " x.grad", x.grad)

# %% [markdown] lang=en
# ## Backward from a non-scalar
#
# `y = x * x` is a vector, and a vector has no single derivative with respect to `x` (it has a
# whole Jacobian matrix). `backward()` without arguments only knows how to start from a scalar,
# so it refuses:
#
# > 源文档：(机器学习中,很少对非标量进行一个backward) ·
# > 对于非标量调用backward需要传入一个gradient参数,该参数指定微分函数 ·
# > 注意: 这里的*运算符被torch重写了 · 现在y是一个矩阵,直接对其backward会报错 ·
# > Error:RuntimeError: grad can be implicitly(隐式) created only for scalar(标量) outputs

# %% [markdown] lang=zh
# ## 从非标量开始反向传播
#
# `y = x * x` 是一个向量，向量对 `x` 没有单一的导数（它有一整个雅可比矩阵）。不带参数的
# `backward()` 只会从标量开始，所以它拒绝：
#
# > 源文档：(机器学习中,很少对非标量进行一个backward) ·
# > 对于非标量调用backward需要传入一个gradient参数,该参数指定微分函数 ·
# > 注意: 这里的*运算符被torch重写了 · 现在y是一个矩阵,直接对其backward会报错 ·
# > Error:RuntimeError: grad can be implicitly(隐式) created only for scalar(标量) outputs

# %%
x.grad.zero_()
y = x * x
try:
    y.backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown] lang=en
# Two ways out, and they are the same computation: reduce to a scalar first (`y.sum()`), or pass
# `gradient=`, the weight $\mathbf{v}$ of each element of `y` (all ones here, which is what `sum`
# does). The result is the vector-Jacobian product $\mathbf{v}^\top J$, here $2\mathbf{x}$. The
# first backward keeps the graph (`retain_graph=True`) because the second one walks it again.
# (The source's two commented-out `print` lines, which only watched `y.sum()`, are left out.)
#
# > 源文档：retain_graph=True表示不清除计算图,这样中间的算子(eg:y)即可再次backward ·
# > 参数gradient表示给self一个梯度,这里给一个[1,1,1,1],正向走一步<=>sum(self)

# %% [markdown] lang=zh
# 有两条出路，而且是同一个计算：先化成标量（`y.sum()`），或者传入 `gradient=`，即 `y` 每个
# 元素的权重 $\mathbf{v}$（这里全是 1，正是 `sum` 所做的）。结果是向量-雅可比积
# $\mathbf{v}^\top J$，这里是 $2\mathbf{x}$。第一次反向传播保留计算图（`retain_graph=True`），
# 因为第二次还要再走一遍。（源文档里两行被注释掉、只用来观察 `y.sum()` 的 `print` 没有抄录。）
#
# > 源文档：retain_graph=True表示不清除计算图,这样中间的算子(eg:y)即可再次backward ·
# > 参数gradient表示给self一个梯度,这里给一个[1,1,1,1],正向走一步<=>sum(self)

# %% seeds="002/In [8]"
# (in machine learning a backward from a non-scalar is rare)
# a non-scalar needs a gradient= argument: the weight of each of its elements
x.grad.zero_()
y = x * x  # note: * is torch's multiplication here
# y is a vector: y.backward() alone raises the error shown above

y.sum().backward(retain_graph=True)  # the same as y.backward(torch.ones(len(x)))
# retain_graph=True keeps the graph, so that y can be backpropagated again below
print(x.grad)
print(y)
x.grad.zero_()
y.backward(gradient=torch.ones(len(x)))  # the same as y.sum().backward()
# gradient=[1, 1, 1, 1] weighs every element of y by 1, exactly what sum does
print(x.grad)
print(y)

# %% [markdown] lang=en
# The `gradient=` argument is where the pass starts: watch `[1, 1, 1, 1]` enter `MulBackward0`,
# which multiplies it by the other factor for each of its two inputs (both `x`): $1 \cdot x$
# twice, summed to $2\mathbf{x}$ before `x`'s `AccumulateGrad` is called, once.

# %% [markdown] lang=zh
# `gradient=` 参数就是反向传播的起点：看 `[1, 1, 1, 1]` 进入 `MulBackward0`，它对两个输入
# （都是 `x`）分别乘以另一个因子：两份 $1 \cdot x$，在调用 `x` 的 `AccumulateGrad`（只调用一次）
# 之前相加成 $2\mathbf{x}$。

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
animate_backward(y, gradient=torch.ones(len(x)))

# %% [markdown] lang=en
# ### `Tensor.backward`'s arguments
#
# The source copies the arguments' documentation from PyTorch's docstring:
#
# ```
# Tensor.backward(.) Args:
#             gradient (Tensor, optional): The gradient of the function
#                 being differentiated w.r.t. ``self``.
#                 This argument can be omitted if ``self`` is a scalar.
#             retain_graph (bool, optional): If ``False``, the graph used to compute
#                 the grads will be freed. Note that in nearly all cases setting
#                 this option to True is not needed and often can be worked around
#                 in a much more efficient way. Defaults to the value of
#                 ``create_graph``.
#             create_graph (bool, optional): If ``True``, graph of the derivative will
#                 be constructed, allowing to compute higher order derivative
#                 products. Defaults to ``False``.
#             inputs (sequence of Tensor, optional): Inputs w.r.t. which the gradient will be
#                 accumulated into ``.grad``. All other tensors will be ignored. If not
#                 provided, the gradient is accumulated into all the leaf Tensors that were
#                 used to compute the :attr:`tensors`.
# ```
#
# `gradient` was just shown. Two of the others deserve a cell each: `retain_graph` **defaults to
# `create_graph`**, so a backward that builds the graph of its derivative also keeps the graph it
# walked; and `inputs=` chooses which leaves receive a `.grad`.

# %% [markdown] lang=zh
# ### `Tensor.backward` 的参数
#
# 源文档从 PyTorch 的文档字符串里抄录了参数说明：
#
# ```
# Tensor.backward(.) Args:
#             gradient (Tensor, optional): The gradient of the function
#                 being differentiated w.r.t. ``self``.
#                 This argument can be omitted if ``self`` is a scalar.
#             retain_graph (bool, optional): If ``False``, the graph used to compute
#                 the grads will be freed. Note that in nearly all cases setting
#                 this option to True is not needed and often can be worked around
#                 in a much more efficient way. Defaults to the value of
#                 ``create_graph``.
#             create_graph (bool, optional): If ``True``, graph of the derivative will
#                 be constructed, allowing to compute higher order derivative
#                 products. Defaults to ``False``.
#             inputs (sequence of Tensor, optional): Inputs w.r.t. which the gradient will be
#                 accumulated into ``.grad``. All other tensors will be ignored. If not
#                 provided, the gradient is accumulated into all the leaf Tensors that were
#                 used to compute the :attr:`tensors`.
# ```
#
# 刚才演示了 `gradient`。另外两个各值得一个单元格：`retain_graph` **默认等于 `create_graph`**，
# 所以构建导数计算图的反向传播，也会保留它走过的那张图；`inputs=` 决定哪些叶子得到 `.grad`。

# %% id=ch03-retain-defaults-to-create
x = torch.tensor(3.0, requires_grad=True)
y = x ** 3
grad, = torch.autograd.grad(y, x, create_graph=True)   # retain_graph not given
print(grad)                                            # 3 x² = 27, with a graph of its own
grad, = torch.autograd.grad(y, x)                      # y's graph is still there
print(grad)

# %% id=ch03-backward-inputs
x = torch.arange(4.0, requires_grad=True)
k = torch.tensor(2.0, requires_grad=True)
y = (k * x * x).sum()
y.backward(inputs=[x])     # only x receives a gradient
print(x.grad, k.grad)

# %% [markdown] lang=en
# (`torch.autograd.grad` is used in the first cell because it does not write into `.grad`; with
# `y.backward(create_graph=True)` the same holds, and PyTorch adds a warning about a reference
# cycle between a parameter and its gradient.)
#
# ## `detach()`: a value without its history
#
# > 源文档：将某些计算移动到记录的计算图之外 ·
# > 创建新张量,不再追踪梯度信息(分离后的张量操作不会影响y) · 即 u=[0,1,4,9],与x无关 ·
# > 生成一个反向计算图,记z.sum()为r,即计算图(树)的根
#
# `u = y.detach()` is a new tensor **object** with no `grad_fn`: as far as autograd knows, `u`
# is a constant. In $z = u \odot x$ the gradient with respect to `x` is therefore just `u`, not
# the $3x^2$ it would be if `u` still remembered that it was $x \odot x$. The source's own
# derivation, in its comments, is the chain rule through the root $r$:
#
# $$\frac{\partial r}{\partial \mathbf{x}} = \frac{\partial r}{\partial \mathbf{z}}
#   \frac{\partial \mathbf{z}}{\partial \mathbf{x}}
#   = \mathbf{1}^\top \frac{\partial (\mathbf{u} \odot \mathbf{x})}{\partial \mathbf{x}}
#   = \mathbf{u}$$
#
# > 源文档：分析: 记r=z.sum()=sum(u⊙x) · x是向量(默认为列向量),u是独立于x的另一个向量 ·
# > 对x求偏导,u与x无关,u可看成是一个常数向量 ·
# > ∴x.grad=∂r/∂x = ∂r/∂z * ∂z/∂x = 1^T*∂(u⊙x)/∂x = u ·
# > 注意,现在x的梯度是∂r/∂x, 不是之前的∂(x*x)/∂x
#
# One word of the source needs correcting: "分离后的张量操作不会影响y" (operations on the
# detached tensor do not affect `y`). `u` shares `y`'s **memory**: an in-place change of `u`
# changes `y` too. What `detach` cuts is the history, not the data (two cells below show it).

# %% [markdown] lang=zh
# （第一个单元格用 `torch.autograd.grad`，因为它不写 `.grad`；换成 `y.backward(create_graph=True)`
# 结论相同，而 PyTorch 会多给一个关于参数与其梯度之间循环引用的警告。）
#
# ## `detach()`：没有历史的值
#
# > 源文档：将某些计算移动到记录的计算图之外 ·
# > 创建新张量,不再追踪梯度信息(分离后的张量操作不会影响y) · 即 u=[0,1,4,9],与x无关 ·
# > 生成一个反向计算图,记z.sum()为r,即计算图(树)的根
#
# `u = y.detach()` 是一个新的张量**对象**，没有 `grad_fn`：在 autograd 看来 `u` 是常数。所以在
# $z = u \odot x$ 中，对 `x` 的梯度就是 `u`，而不是 `u` 若还记得自己是 $x \odot x$ 时的
# $3x^2$。源文档在注释里的推导，就是经过根 $r$ 的链式法则：
#
# $$\frac{\partial r}{\partial \mathbf{x}} = \frac{\partial r}{\partial \mathbf{z}}
#   \frac{\partial \mathbf{z}}{\partial \mathbf{x}}
#   = \mathbf{1}^\top \frac{\partial (\mathbf{u} \odot \mathbf{x})}{\partial \mathbf{x}}
#   = \mathbf{u}$$
#
# > 源文档：分析: 记r=z.sum()=sum(u⊙x) · x是向量(默认为列向量),u是独立于x的另一个向量 ·
# > 对x求偏导,u与x无关,u可看成是一个常数向量 ·
# > ∴x.grad=∂r/∂x = ∂r/∂z * ∂z/∂x = 1^T*∂(u⊙x)/∂x = u ·
# > 注意,现在x的梯度是∂r/∂x, 不是之前的∂(x*x)/∂x
#
# 源文档有一句需要更正：“分离后的张量操作不会影响y”。`u` 与 `y` 共享**内存**：原地修改 `u`，
# `y` 也跟着变。`detach` 切断的是历史，不是数据（下面第二个单元格演示）。

# %% seeds="002/In [9]"
# move part of a computation outside the recorded graph
x.grad.zero_()
y = x * x
u = y.detach()  # a new tensor object without history; it shares y's memory (see below)
# u = [0, 1, 4, 9], a constant as far as x is concerned
u.requires_grad_()
z = u * x
z.sum().backward()  # builds a graph whose root is r = z.sum()
x.grad == u
# r = z.sum() = sum(u ⊙ x); x is a (column) vector, u another vector independent of x,
# a constant for the derivative with respect to x:
# x.grad = dr/dx = dr/dz * dz/dx = 1ᵀ * d(u ⊙ x)/dx = u
# note: x's gradient is now dr/dx, not the d(x*x)/dx of before

# %% [markdown] lang=en
# Two separate trees: `z` reaches `x` and `u`, and nothing connects `u` back to `y`. `u` was
# already a leaf before `requires_grad_()` (it has no `grad_fn`, like every tensor made by
# `detach`); `requires_grad_()` only asks for a gradient, which arrives: `u.grad` is `x`.

# %% [markdown] lang=zh
# 两棵互不相连的树：`z` 通向 `x` 和 `u`，没有任何东西把 `u` 连回 `y`。`u` 在 `requires_grad_()`
# 之前就已经是叶子（它没有 `grad_fn`，`detach` 得到的张量都是这样）；`requires_grad_()` 只是
# 要求得到梯度，梯度也确实来了：`u.grad` 就是 `x`。

# %%
render_graph(z, y)

# %% id=ch03-requires-grad-not-leaf
fresh = y.detach()
print("leaf before requires_grad_():", fresh.is_leaf, fresh.grad_fn)
fresh.requires_grad_()
print("leaf after:", fresh.is_leaf, "  u.grad:", u.grad)

# %% [markdown] lang=en
# `y` kept its own graph, untouched by the detach, and it still gives $2\mathbf{x}$:

# %% [markdown] lang=zh
# `y` 保留着自己的计算图，不受 `detach` 影响，它给出的仍然是 $2\mathbf{x}$：

# %% seeds="002/In [10]"
x.grad.zero_()
y.sum().backward()
x.grad == 2 * x

# %% [markdown] lang=en
# The correction, shown: `u.add_(1)` changes `y` as well. Both share one version counter, so had
# `y` been saved for a backward pass, that pass would now refuse to run (chapter 04). To get an
# independent copy, use `y.detach().clone()`.

# %% [markdown] lang=zh
# 更正的演示：`u.add_(1)` 同时改变了 `y`。两者共享同一个版本计数器，所以如果 `y` 被某个反向
# 传播保存了，那次反向传播现在会拒绝运行（见第 04 章）。要得到独立的副本，用
# `y.detach().clone()`。

# %% id=ch03-detach-shares-memory
x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
u.add_(1)
print(y)
print(u, "  versions:", y._version, u._version)
copy = y.detach().clone()
copy.add_(1)
print(y)

# %% [markdown] lang=en
# ## Python control flow
#
# > 源文档：即使是走python控制流, backward依然可行
#
# The graph is recorded while the code runs, so loops and `if`s need nothing special: only the
# operations that actually ran are in it. `f` doubles its input until the norm reaches 1000, so
# the number of `MulBackward0` nodes depends on the value of `a`. Whatever the path, $d$ is $a$
# times a constant $k$, so `a.grad` is that $k$. The source's random `a` gave
# `tensor(204800.)`; the source did not seed its generator, so its `a` was some other number. We
# add `torch.manual_seed(0)` in the first cell: with it, this library and PyTorch draw the same
# `a = 1.5410`, which takes another path than the source's (exercise 03.2 asks which path the
# source took).

# %% [markdown] lang=zh
# ## Python 控制流
#
# > 源文档：即使是走python控制流, backward依然可行
#
# 计算图是在代码运行时记录的，所以循环和 `if` 不需要任何特殊处理：图里只有真正执行过的运算。
# `f` 把输入反复翻倍，直到范数达到 1000，所以 `MulBackward0` 节点的个数取决于 `a` 的值。
# 不论走哪条路径，$d$ 都是 $a$ 乘以某个常数 $k$，所以 `a.grad` 就是这个 $k$。源文档的随机
# `a` 得到 `tensor(204800.)`；源文档没有设定随机种子，所以它的 `a` 是另一个数。我们在第一个
# 单元格里加了 `torch.manual_seed(0)`：这样本库和 PyTorch 抽到同一个 `a = 1.5410`，它走的
# 路径与源文档的不同（练习 03.2 会问源文档走的是哪条）。

# %% seeds="002/In [11]"
# backward works even through Python control flow
def f(num):
    b = num * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = torch.randn(size=(), requires_grad=True)  # size=() means that the tensor will be a scalar
d = f(a)
d.backward()
a.grad

# %%
render_graph(d)

# %% [markdown] lang=en
# ## Backward twice
#
# > 源文档：其他 · 要进行多次backward,上一次时必须加retain_graph=True ·
# > 但是标量的就没有这个问题,所以retain_graph保留计算图的作用是什么?
#
# The source's last experiment asks a good question: two scalars are backpropagated twice, with
# no `retain_graph`; `a3 = a1.sum()` works both times, `v3 = (v1 * v1).sum()` fails the second
# time. "But scalars do not have this problem, so what does retain_graph keep?"
#
# Both are scalars, so that is not the difference. `retain_graph=False` frees the tensors the
# nodes **saved** for backward. `a3`'s graph is a single `SumBackward0`, which saved nothing (a
# sum's derivative does not depend on the values), so there is nothing to free and nothing
# missing the second time. `v3`'s `MulBackward0` saved `v1` twice (for
# $\partial(v_1 v_1)/\partial v_1$); after the first pass they are gone, and the second pass has
# nothing to multiply with. (The source's cell stops at the error; here the failing call is
# wrapped in `try`/`except`, so that the error prints and the notebook runs on.)

# %% [markdown] lang=zh
# ## 反向传播两次
#
# > 源文档：其他 · 要进行多次backward,上一次时必须加retain_graph=True ·
# > 但是标量的就没有这个问题,所以retain_graph保留计算图的作用是什么?
#
# 源文档的最后一个实验提了个好问题：两个标量各反向传播两次，都不带 `retain_graph`；
# `a3 = a1.sum()` 两次都成功，`v3 = (v1 * v1).sum()` 第二次失败。
#
# 两者都是标量，所以区别不在这里。`retain_graph=False` 释放的是节点为反向传播**保存**的张量。
# `a3` 的图只有一个 `SumBackward0`，它什么也没保存（求和的导数与数值无关），所以没有东西可
# 释放，第二次也不缺什么。`v3` 的 `MulBackward0` 保存了两份 `v1`（用于
# $\partial(v_1 v_1)/\partial v_1$）；第一次之后它们被释放，第二次就没有东西可乘了。（源文档的
# 单元格停在这个错误上；这里把出错的调用放进 `try`/`except`，打印出错误，笔记本继续运行。）

# %% seeds="002/In [12]"
a1 = torch.tensor([1.], requires_grad=True)
a2 = a1 * a1
a3 = a1.sum()
a3.backward()
print(a1.grad)
a1.grad.zero_()
a3.backward()
print(a1.grad)

v1 = torch.tensor([1, 2.], requires_grad=True)
v2 = v1 * v1
v3 = v2.sum()
# v3.backward(retain_graph=True) would keep the saved tensors for the second pass
v3.backward()
print(v1.grad)
v1.grad.zero_()
try:
    v3.backward()  # error: the first pass freed what MulBackward0 saved
    print(v1.grad)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown] lang=en
# The two graphs side by side. `v3`'s `MulBackward0` says "saved tensors freed" and its two
# saved boxes are dashed: that is the node a second backward fails at. `a3`'s `SumBackward0`
# keeps only a shape, `self_sym_sizes`, which is not a tensor and is never freed: nothing to
# lose. (`a2 = a1 * a1` saved `a1`, but nothing ever backpropagates through `a2`.)

# %% [markdown] lang=zh
# 两张图并排。`v3` 的 `MulBackward0` 标着“保存的张量已释放”，两个保存的框是虚线：第二次
# 反向传播就失败在这个节点上。`a3` 的 `SumBackward0` 只保存了形状 `self_sym_sizes`，那不是
# 张量，永远不会被释放：没有可丢失的东西。（`a2 = a1 * a1` 保存了 `a1`，但从来没有反向传播
# 经过 `a2`。）

# %%
render_graph(a3, v3, show_saved=True)

# %% [markdown] lang=en
# ## Exercises
#
# Each exercise cell makes its own tensors, so it can be run again at any time. Write your
# answer in place of `None` and run the cell.
#
# **03.1** Start again from `x = torch.arange(4.0, requires_grad=True)`. Backpropagate
# `2 * torch.dot(x, x)`, then `x.sum()`, **without** zeroing in between. What is `x.grad[3]`?

# %% [markdown] lang=zh
# ## 练习
#
# 每个练习单元格都自己创建张量，随时可以重新运行。把 `None` 换成你的答案，再运行单元格。
#
# **03.1** 重新从 `x = torch.arange(4.0, requires_grad=True)` 开始。先对 `2 * torch.dot(x, x)`
# 反向传播，再对 `x.sum()` 反向传播，中间**不**清零。`x.grad[3]` 是多少？

# %% id=ch03-ex1
answer = None   # a number
check("03.1", answer)

# %% [markdown] lang=en
# **03.2** The source document recorded `a.grad = tensor(204800.)` for its random `a`. Was that
# `a` positive or negative? (`"positive"` or `"negative"`)

# %% [markdown] lang=zh
# **03.2** 源文档对它的随机 `a` 记录的是 `a.grad = tensor(204800.)`。那个 `a` 是正数还是负数？
# （`"positive"` 或 `"negative"`，也可以写“正”或“负”）

# %% id=ch03-ex2
answer = None   # "positive" or "negative"
check("03.2", answer)

# %% [markdown] lang=en
# **03.3** Without the `detach`: `x = torch.arange(4.0, requires_grad=True)`, `u = x * x`,
# `z = u * x`, `z.sum().backward()`. What is `x.grad[2]`?

# %% [markdown] lang=zh
# **03.3** 不用 `detach`：`x = torch.arange(4.0, requires_grad=True)`，`u = x * x`，
# `z = u * x`，`z.sum().backward()`。`x.grad[2]` 是多少？

# %% id=ch03-ex3
answer = None   # a number
check("03.3", answer)

# %% [markdown] lang=en
# **03.4 (code)** Write `vjp(x, v)`: for a leaf `x` that requires grad and a vector `v` of the
# same shape, it computes `y = x * x * x` and returns the vector-Jacobian product
# $\mathbf{v}^\top J$ of `y` with respect to `x`, with **one** call of `y.backward(...)`. Then set
# `answer = vjp`. The check calls it on fresh tensors of its own.

# %% [markdown] lang=zh
# **03.4（写代码）** 写一个函数 `vjp(x, v)`：`x` 是需要梯度的叶子，`v` 是同形状的向量；函数
# 计算 `y = x * x * x`，并只用**一次** `y.backward(...)` 调用，返回 `y` 关于 `x` 的向量-雅可比积
# $\mathbf{v}^\top J$。然后令 `answer = vjp`。检查会用它自己新建的张量来调用你的函数。

# %% id=ch03-ex4
def vjp(x, v):
    y = x * x * x
    ...   # your code: one y.backward(...) call, then return the product


answer = None   # when vjp is written: answer = vjp
check("03.4", answer)

# %% [markdown] lang=en
# ## Recap
#
# - `x.grad` is `None` until a backward pass reaches `x`; each `backward()` call then **adds**
#   into it (within one call, the engine sums a leaf's pieces first and calls its
#   `AccumulateGrad` once). Zero it between computations.
# - A non-scalar output needs `gradient=` $\mathbf{v}$: the result is $\mathbf{v}^\top J$.
#   `retain_graph` defaults to `create_graph`; `inputs=` picks the leaves that get a `.grad`.
# - `detach()` gives a tensor without history (a leaf) that **shares memory** with the original.
# - A second backward fails only through nodes that saved tensors; `retain_graph=True` keeps them.
#
# Next: [04 · Review and common mistakes](04_autograd_tips.ipynb).

# %% [markdown] lang=zh
# ## 小结
#
# - 在反向传播到达 `x` 之前，`x.grad` 是 `None`；之后每次 `backward()` 调用都把结果**加**进去
#   （在一次调用之内，引擎先把叶子的各份梯度相加，只调用一次它的 `AccumulateGrad`）。
#   两次计算之间要清零。
# - 非标量输出需要 `gradient=` $\mathbf{v}$：结果是 $\mathbf{v}^\top J$。`retain_graph` 默认
#   等于 `create_graph`；`inputs=` 选出得到 `.grad` 的叶子。
# - `detach()` 得到一个没有历史的张量（叶子），它与原张量**共享内存**。
# - 第二次反向传播只会在保存了张量的节点上失败；`retain_graph=True` 保留它们。
#
# 下一章：[04 · 复习与常见错误](04_autograd_tips.ipynb)。
