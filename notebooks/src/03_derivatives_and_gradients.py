# Chapter 03: derivatives and gradients (seed document 002_f4f0882e939c3981).
# Built into notebooks/03_derivatives_and_gradients.ipynb by notebooks/build_chapters.py.

# %% [markdown]
# # 03 · Derivatives and gradients
#
# The gradient of $y = 2\mathbf{x}^\top\mathbf{x}$ with respect to a vector, then the everyday
# facts around it: gradients accumulate until you zero them, a non-scalar output needs a
# `gradient=` argument, `detach()` cuts a value out of the graph, Python control flow just works,
# and a second backward pass fails, but only through nodes that saved tensors.
#
# **Glossary** (the source document's terms)
#
# | 中文 | English |
# |---|---|
# | 自动求导 | automatic differentiation |
# | 梯度 | gradient |
# | 累积梯度 / 清除 | accumulate gradients / clear them |
# | 标量 / 非标量 | scalar / non-scalar |
# | 隐式 | implicitly |
# | 分离 (`detach`) | detach: take a value out of the graph |
# | 控制流 | control flow |
# | 计算图 (树) 的根 | root of the computation graph (tree) |

# %% tags=silent
import autograd_lab as torch   # the PyTorch original: import torch
torch.manual_seed(0)   # torch.randn below gives the same number in every run
from autograd_lab import render_graph, animate_backward

# %% [markdown]
# ## The gradient of $y = 2\mathbf{x}^\top\mathbf{x}$
#
# For a column vector $\mathbf{x}$, $y = 2\sum_i x_i^2$, so $\partial y/\partial x_i = 4x_i$: the
# gradient is $4\mathbf{x}$. We start with a plain tensor and switch gradients on afterwards with
# `requires_grad_(True)` (the trailing underscore: it changes `x` in place).

# %% seeds="002/In [1]"
x = torch.arange(4.0)
x

# %% seeds="002/In [2]"
x.requires_grad_(True)  # the same as x = torch.arange(4.0, requires_grad=True)
x.requires_grad  # Instance attribute requires_grad

# %% [markdown]
# Before any backward pass there is no gradient: `.grad` is `None`, not zeros, so "not computed
# yet" and "computed, and zero" look different.

# %% seeds="002/In [3]" tags=silent
x.grad  # None until a backward pass reaches x

# %% seeds="002/In [4]"
y = 2 * torch.dot(x, x)
y

# %% [markdown]
# `DotBackward0` saved both of its inputs (both are `x`, the derivative of $\mathbf{x}^\top
# \mathbf{x}$ with respect to each side is the other side); `MulBackward0` saved the constant
# `2`. `show_saved=True` draws them.

# %%
render_graph(y, show_saved=True)

# %% seeds="002/In [5]"
# backward computes the gradient of y with respect to every element of x
y.backward()
x.grad

# %% seeds="002/In [6]"
x.grad == 4 * x

# %%
render_graph(y)

# %% [markdown]
# ## Gradients accumulate: zero them between computations
#
# `backward` adds into `.grad` (chapter 01 shows why). Before computing the gradient of a new
# function, clear the old one with `x.grad.zero_()`; without it, the result below would be
# `[1, 5, 9, 13]`, the old $4\mathbf{x}$ plus the new ones.

# %% seeds="002/In [7]"
# PyTorch adds new gradients to old ones: clear them first
x.grad.zero_()
y = x.sum()  # a new function
y.backward()
x.grad
# without x.grad.zero_() the result would be tensor([ 1.,  5.,  9., 13.])

# %% [markdown]
# `SumBackward0` saved no tensor at all, only the input's shape: the derivative of a sum is 1
# everywhere, whatever the values were.

# %%
render_graph(y, show_saved=True)

# %% [markdown]
# ## Backward from a non-scalar
#
# `y = x * x` is a vector, and a vector has no single derivative with respect to `x` (it has a
# whole Jacobian matrix). `backward()` without arguments only knows how to start from a scalar,
# so PyTorch refuses:

# %%
x.grad.zero_()
y = x * x
try:
    y.backward()
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown]
# Two ways out, and they are the same computation: reduce to a scalar first (`y.sum()`), or pass
# `gradient=`, the weight of each element of `y` (all ones here, which is what `sum` does). The
# result is the vector-Jacobian product $\mathbf{v}^\top J$, here $2\mathbf{x}$. The first
# backward keeps the graph (`retain_graph=True`) because the second one walks it again.

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

# %% [markdown]
# The second pass did not keep the graph: the two saved copies of `x` are freed (dashed). The
# `SumBackward0` of `y.sum()` is not in the picture: it belonged to that temporary scalar, which
# is gone.

# %%
render_graph(y, show_saved=True)

# %% [markdown]
# The `gradient=` argument is where the pass starts: watch `[1, 1, 1, 1]` enter `MulBackward0`,
# which multiplies it by the other factor for each of its two inputs (both `x`): $1 \cdot x$
# twice, added up to $2\mathbf{x}$ in `x`'s `AccumulateGrad`.

# %%
x = torch.arange(4.0, requires_grad=True)
y = x * x
animate_backward(y, gradient=torch.ones(len(x)))

# %% [markdown]
# ## `detach()`: a value without its history
#
# `u = y.detach()` is a new tensor with `y`'s values but no `grad_fn`: as far as autograd knows,
# `u` is a constant. In $z = u \odot x$ the gradient with respect to `x` is therefore just `u`,
# not the $3x^2$ it would be if `u` still remembered that it was $x \odot x$. (The source then
# calls `u.requires_grad_()`, which makes `u` a leaf of its own: it would get a `.grad`, but it is
# still cut off from `x`.)

# %% seeds="002/In [9]"
# move part of a computation outside the recorded graph
x.grad.zero_()
y = x * x
u = y.detach()  # same values as y, no history: what happens to u does not reach y
# u = [0, 1, 4, 9], a constant as far as x is concerned
u.requires_grad_()
z = u * x
z.sum().backward()  # builds a graph whose root is z.sum()
x.grad == u
# with r = z.sum() = sum(u * x) and u independent of x:
# x.grad = dr/dx = u

# %% [markdown]
# Two separate trees: `z` reaches `x` and the leaf `u`, and nothing connects `u` back to `y`.

# %%
render_graph(z, y)

# %% [markdown]
# `y` kept its own graph, untouched by the detach, and it still gives $2\mathbf{x}$:

# %% seeds="002/In [10]"
x.grad.zero_()
y.sum().backward()
x.grad == 2 * x

# %% [markdown]
# ## Python control flow
#
# The graph is recorded while the code runs, so loops and `if`s need nothing special: only the
# operations that actually ran are in it. `f` doubles its input until the norm reaches 1000, so
# the number of `MulBackward0` nodes depends on the value of `a`. Whatever the path, $d$ is $a$
# times a constant $k$, so `a.grad` is that $k$ (here $2^{10}$; the source's random `a` took
# another path, see exercise 2).

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

# %% [markdown]
# ## Backward twice
#
# The source's last experiment asks a good question. Two scalars are backpropagated twice, with
# no `retain_graph`: `a3 = a1.sum()` works both times, `v3 = (v1 * v1).sum()` fails the second
# time. Why?
#
# `retain_graph=False` frees the tensors the nodes **saved** for backward. `a3`'s graph is a
# single `SumBackward0`, which saved nothing (a sum's derivative does not depend on the values),
# so there is nothing to free and nothing missing the second time. `v3`'s `MulBackward0` saved
# `v1` twice (for $\partial(v_1 v_1)/\partial v_1$); after the first pass they are gone, and the
# second pass has nothing to multiply with.

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

# %% [markdown]
# The two graphs side by side. `v3`'s `MulBackward0` says "saved tensors freed" and its two
# saved boxes are dashed: that is the node a second backward fails at. `a3`'s `SumBackward0`
# keeps only a shape, `self_sym_sizes`, which is not a tensor and is never freed: nothing to
# lose. (`a2 = a1 * a1` saved `a1`, but nothing ever backpropagates through `a2`.)

# %%
render_graph(a3, v3, show_saved=True)

# %% [markdown]
# ## Predict, then check
#
# **1.** Start again from `x = torch.arange(4.0, requires_grad=True)`. Backpropagate
# `2 * torch.dot(x, x)`, then `x.sum()`, **without** zeroing in between. What is `x.grad[3]`?

# %% tags=silent
prediction_1 = None   # a number

# %%
x = torch.arange(4.0, requires_grad=True)
(2 * torch.dot(x, x)).backward()
x.sum().backward()
print("right" if prediction_1 == x.grad[3].item() else "wrong",
      "(hint: 4 * x, plus 1 for every element)")

# %% [markdown]
# **2.** The source document recorded `a.grad = tensor(204800.)` for its random `a`. Was that
# `a` positive or negative?

# %% tags=silent
prediction_2 = None   # "positive" or "negative"

# %%
signs = {}
for value in (0.75, -0.75):
    a = torch.tensor(value, requires_grad=True)
    f(a).backward()
    signs["positive" if value > 0 else "negative"] = a.grad.item()
print("right" if signs.get(prediction_2) == 204800.0 else "wrong",
      "(hint: which branch of f multiplies by 100?)")

# %% [markdown]
# **3.** Without the `detach`: `x = torch.arange(4.0, requires_grad=True)`, `u = x * x`,
# `z = u * x`, `z.sum().backward()`. What is `x.grad[2]`?

# %% tags=silent
prediction_3 = None   # a number

# %%
x = torch.arange(4.0, requires_grad=True)
u = x * x
z = u * x
z.sum().backward()
print("right" if prediction_3 == x.grad[2].item() else "wrong",
      "(hint: z is x cubed)")
