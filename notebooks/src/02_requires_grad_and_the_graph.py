# Chapter 02: tensors that require grad, and the graph (seed document 001_eb5d88cff90534e4).
# Built into notebooks/02_requires_grad_and_the_graph.ipynb by notebooks/build_chapters.py.

# %% [markdown]
# # 02 · Tensors that require grad, and the graph they build
#
# Which tensors autograd watches (`requires_grad`), which ones are leaves, why an intermediate
# result has no `.grad` after `backward`, and what `grad_fn` and `next_functions` really are:
# the graph, as objects you can walk. The source document runs one statement per cell; so does
# this chapter, with a picture whenever the graph changes.
#
# **Glossary** (the source document's terms)
#
# | 中文 | English |
# |---|---|
# | 求导 | differentiate (`requires_grad`: "needs a derivative") |
# | 计算图 | computation graph |
# | 叶子节点 / 非叶子节点 | leaf / non-leaf tensor |
# | 反向传播 | backpropagation, the backward pass |
# | 中间结果被释放 | intermediate results are freed |
# | 累加梯度 | accumulate the gradient |
# | 缓存 | cache (the values saved for backward) |

# %% [markdown]
# ## `Variable` is history
#
# The source opens with `torch.autograd.Variable`, the wrapper that once carried `requires_grad`,
# `grad` and `backward()`. Since PyTorch 0.4 every tensor does that itself and `Variable(t)`
# simply returns a tensor; the import below is kept only because the source has it. Two notes
# from its description still hold for tensors:
#
# - `backward(gradient=None, retain_graph=None, create_graph=False)`: `gradient` has the shape
#   of the tensor (needed when it is not a scalar); `retain_graph` keeps the values cached for the
#   backward pass, which are otherwise freed, so that the graph can be walked again;
#   `create_graph` records the backward pass as a graph, for derivatives of derivatives.
# - In-place operations need care: the next chapters show when autograd refuses them.

# %% seeds="001/In [1]" tags=silent
import autograd_lab as torch   # the PyTorch original: import torch
from autograd_lab.autograd import variable
torch.manual_seed(0)   # the random tensors below (torch.randn) are the same in every run
from autograd_lab import render_graph, animate_backward

# %% [markdown]
# ## Requires grad, leaves, and where `.grad` lands
#
# `a` asks for gradients, `b` does not. `c = a + b` is computed from `a`, so it requires grad too.

# %% seeds="001/In [2]"
a = torch.ones((3,4), requires_grad = True)
a

# %% seeds="001/In [3]"
b = torch.zeros(3,4)
b

# %% seeds="001/In [4]"
c = a+b
c

# %% [markdown]
# `b` needs no gradient, so the graph has no `AccumulateGrad` for it: `AddBackward0` has a
# `None` in its `next_functions` at `b`'s position (`show_none=True` draws it), and autograd will
# not spend any work on that branch.

# %%
render_graph(c, show_none=True)

# %% [markdown]
# `d = c.sum()` is a scalar, so `d.backward()` needs no `gradient` argument: it starts from
# $\partial d/\partial d = 1$.

# %% seeds="001/In [5]" tags=silent
d = c.sum()
d.backward()

# %% seeds="001/In [6]"
a.grad

# %% [markdown]
# `b.grad` is `None`, and shows nothing: `b` never asked for a gradient.

# %% seeds="001/In [7]" tags=silent
b.grad

# %% seeds="001/In [8]"
a.requires_grad, b.requires_grad, c.requires_grad # c depends on a, so it needs a gradient too

# %% seeds="001/In [9]"
a.is_leaf, b.is_leaf, c.is_leaf

# %% [markdown]
# `c.grad` is `None` after the backward pass. The source says "the intermediate result was freed";
# more precisely, it was **never stored**: autograd computes $\partial d/\partial c$ on the way
# through, hands it on to `AddBackward0`, and keeps gradients only in leaves (and in tensors that
# called `retain_grad()`). What *is* freed after `backward` are the values the nodes saved for it.
# Reading `.grad` of a non-leaf is so often a mistake that PyTorch warns.

# %% seeds="001/In [10]"
c.grad is None # c is not a leaf: its gradient is passed on, never stored

# %%
render_graph(d)

# %% [markdown]
# ## The graph: `grad_fn` and `next_functions`
#
# A tiny linear model, $z = w \cdot x + b$, with a constant input `x` and two parameters.

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

# %% [markdown]
# All three inputs are leaves (we made them); `y` and `z` are results, so they are not.

# %% seeds="001/In [18]"
x.is_leaf, b.is_leaf, w.is_leaf

# %% seeds="001/In [19]"
z.is_leaf, y.is_leaf

# %% [markdown]
# A result's `grad_fn` is the node that will compute the gradients of its inputs: `+` gives
# `AddBackward0`, `*` gives `MulBackward0`. (Jupyter shows a node as `<AddBackward0 at 0x...>`;
# the address is where the object lives in memory.)

# %% seeds="001/In [20]"
z.grad_fn # the backward of + is AddBackward0

# %% seeds="001/In [21]"
y.grad_fn

# %% [markdown]
# `next_functions` holds one pair per input of the operation, in order: the node that continues
# the backward pass for that input, and which of that node's inputs it is (almost always 0).
# `z = y + b`: the first pair is `y.grad_fn` itself (the same object as above), the second is
# `b`'s `AccumulateGrad`. A leaf has no `grad_fn`, but the graph still needs a node that puts
# the arriving gradient into `b.grad`: that node is `AccumulateGrad`.

# %% seeds="001/In [22]"
# first: y's node (the same object as y.grad_fn); second: b's AccumulateGrad (b has no grad_fn)
z.grad_fn.next_functions

# %% [markdown]
# `y = w * x`: `w` gets an `AccumulateGrad`; `x` needs no gradient, so its place holds `None`.

# %% seeds="001/In [23]"
y.grad_fn.next_functions # w, x

# %% [markdown]
# Following these pairs from `z.grad_fn` is exactly what the backward pass does. `highlight`
# marks the way from `z`'s node to `w`'s `AccumulateGrad`: the path $\partial z/\partial w$
# travels.

# %%
render_graph(z, show_none=True, highlight=[z.grad_fn, y.grad_fn.next_functions[0][0]])

# %% seeds="001/In [24]"
w.grad_fn, b.grad_fn

# %% [markdown]
# ### A retained graph
#
# `retain_graph=True` keeps what the nodes saved, so that the graph can be walked again. Here
# that is a single tensor: `MulBackward0` saved `x`, because $\partial(w x)/\partial w = x$. It
# did not save `w`, which it would need only for `x`'s gradient, and `x` needs none. The
# picture shows the saved `x` still there after the backward pass, and the gradients it left
# in `w` and `b`.

# %% seeds="001/In [25]" tags=silent
z.backward(retain_graph=True)

# %%
render_graph(z, show_saved=True)

# %% [markdown]
# Because it was retained, a second backward pass works, and, as always, adds to `.grad`:

# %%
z.backward()
w.grad, b.grad

# %% [markdown]
# This time nothing was retained: the saved tensors are gone (dashed), and a third
# `z.backward()` would fail.

# %%
render_graph(z, show_saved=True)

# %% [markdown]
# ## The gradient of a non-leaf is not kept
#
# A last experiment, with vectors. `sum` here is Python's built-in `sum`, not `torch.sum`: it
# iterates over `y` (which splits it with `unbind`) and adds the pieces one at a time, starting
# from `0`. The picture shows exactly that chain of `AddBackward0` nodes. `w` is random; the
# `manual_seed(0)` at the top makes it the same in every run.

# %% seeds="001/In [26]" tags=silent
x = torch.ones((3), requires_grad = True)
w = torch.randn((3), requires_grad = True)
y = w*x
z = sum(y)

# %%
render_graph(z)

# %% seeds="001/In [27]" tags=silent
z.backward()

# %% [markdown]
# $\partial z/\partial x = w$ and $\partial z/\partial w = x = 1$; `y` is not a leaf, so its
# gradient was passed on and not kept (with the warning seen above).

# %% seeds="001/In [28]"
x.grad, w.grad, y.grad # y is not a leaf: its gradient is not kept

# %% [markdown]
# Watch that pass on a fresh copy. The gradient of `z` flows down the chain of additions, each
# handing $1 \times$ its gradient to both inputs; `UnbindBackward0` waits until all three pieces
# (one per element of `y`) have arrived, stacks them into one vector, and only then passes it to
# `MulBackward0`. The `0` that Python's `sum` started from needs no gradient: its place holds
# `None`.

# %%
x = torch.ones((3), requires_grad = True)
w = torch.randn((3), requires_grad = True)
y = w*x
z = sum(y)
animate_backward(z)

# %% [markdown]
# ## Predict, then check
#
# **1.** `p = torch.ones(2, requires_grad=True)`, `q = torch.zeros(2)`, `r = p * q`. Which of
# `p`, `q`, `r` are leaves? Answer as a tuple of three booleans.

# %% tags=silent
prediction_1 = None   # e.g. (True, False, False)

# %%
p = torch.ones(2, requires_grad=True)
q = torch.zeros(2)
r = p * q
print("right" if prediction_1 == (p.is_leaf, q.is_leaf, r.is_leaf) else "wrong",
      "(hint: a leaf is a tensor nobody computed)")

# %% [markdown]
# **2.** For `r = p * q` above, what is `r.grad_fn.next_functions[1][0]`: an `AccumulateGrad`
# node or `None`? Answer `"AccumulateGrad"` or `None`.

# %% tags=silent
prediction_2 = "?"   # "AccumulateGrad" or None

# %%
node = r.grad_fn.next_functions[1][0]
answer = None if node is None else type(node).__name__
print("right" if prediction_2 == answer else "wrong", "(hint: does q require grad?)")

# %% [markdown]
# **3.** `s = (p * 3).sum()` and `s.backward()`, for the `p` above (fresh, no gradient yet).
# What is `p.grad[0]`? (A number.)

# %% tags=silent
prediction_3 = None   # a number

# %%
s = (p * 3).sum()
s.backward()
print("right" if prediction_3 == p.grad[0].item() else "wrong",
      "(hint: each element of p is multiplied by 3, then summed)")
