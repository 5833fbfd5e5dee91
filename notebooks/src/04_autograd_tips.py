# Chapter 04: autograd tips (seed document 003_06eb90092a57de85).
# Built into notebooks/04_autograd_tips.ipynb by notebooks/build_chapters.py.

# %% [markdown]
# # 04 · Autograd tips
#
# Short experiments on the habits autograd expects from you: keep the graph when you walk it
# twice, weight the elements of a vector output, differentiate twice, zero gradients in a loop,
# know when an operation makes a new tensor and when it changes one in place, and never change a
# leaf in place. The source closes with three rules (小贴士); each gets its experiment here.
#
# **Glossary** (the source document's terms)
#
# | 中文 | English |
# |---|---|
# | 小贴士 | tips |
# | 梯度不自动清零 | gradients are not zeroed automatically |
# | 叶子结点 | leaf node |
# | 依赖于叶子结点的结点 | a node that depends on a leaf |
# | in-place (原位操作) | in-place operation: changes a tensor's memory instead of making a new one |

# %% seeds="003/In [1]" tags=silent
import autograd_lab as torch   # the PyTorch original: import torch
from autograd_lab import render_graph, animate_backward

# %% [markdown]
# ## Walking a graph twice: `retain_graph`
#
# The first `backward` keeps the saved tensors (`retain_graph=True`), so the second can use them;
# the second does not keep them, so a third would fail. Only the first gradient is printed:
# the second pass adds another 5 into `w.grad`, which the picture below shows (`grad` = 10).

# %% seeds="003/In [3]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward(retain_graph=True)
print(w.grad)
y.backward()

# %%
render_graph(y, show_saved=True)

# %% [markdown]
# ## Weighting a vector output: `gradient=`
#
# `loss = [y0, y1]` and weights `[1, 2]`: the gradient is that of $1 \cdot y_0 + 2 \cdot y_1$.
# $\partial y_0/\partial w = 2w + x + 1 = 5$ and $\partial y_1/\partial w = 2$, so
# `w.grad` $= 1 \cdot 5 + 2 \cdot 2 = 9$.

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

# %% [markdown]
# `highlight=[loss, w]` marks every path from `loss` down to `w`: the four routes along which
# pieces of `w.grad` arrived (through `y0` and `y1`, each through `a` and `b`).

# %%
render_graph(loss, highlight=[loss, w])

# %% [markdown]
# The same pass animated, on a fresh graph: `CatBackward0` receives `[1, 2]` and splits it, `1`
# down the `y0` branch and `2` down the `y1` branch; the pieces meet again in `a`'s and `b`'s
# nodes and finally in `w`'s `AccumulateGrad`: $1 \cdot 3 + 1 \cdot 2 + 2 \cdot 1 + 2 \cdot 1 = 9$.

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

# %% [markdown]
# ## Second derivatives: `create_graph`
#
# $y = x^2$, so $dy/dx = 2x = 6$ at $x = 3$ and $d^2y/dx^2 = 2$. The first `autograd.grad`
# records its own computation (`create_graph=True`), which is what the second one differentiates.

# %% seeds="003/In [6]"
x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)     # y = x**2

# grad_1 = dy/dx = 2x = 2 * 3 = 6
grad_1 = torch.autograd.grad(y, x, create_graph=True)
print("grad_1: ", grad_1)

# grad_2 = d(dy/dx)/dx = d(2x)/dx = 2
grad_2 = torch.autograd.grad(grad_1[0], x)
print("grad_2: ", grad_2)

# %% [markdown]
# With `show_saved=True` the picture also shows what the derivative's nodes saved: the graph of
# `grad_1[0]` is an ordinary graph, built by the first backward pass (derivative order 1).

# %%
render_graph(y, grad_1[0], higher_order=True, show_saved=True)

# %% [markdown]
# ## Tip 1: gradients are not zeroed automatically
#
# The loop builds a fresh graph four times and backpropagates each; `w.grad.zero_()` at the end
# of each step is what keeps the printed gradient at 5 rather than 5, 10, 15, 20.

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

# %% [markdown]
# `x.grad` was never zeroed: four passes of 2 each have added up to 8.

# %%
render_graph(y)

# %% [markdown]
# ## Tip 2: a node that depends on a leaf requires grad
#
# `requires_grad` is passed forward, from the leaves to everything computed from them.

# %% seeds="003/In [12]"
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

print(a.requires_grad, b.requires_grad, y.requires_grad)

# %%
render_graph(y)

# %% [markdown]
# ## New tensor or the same one? `a = a + 1` versus `a += 1`
#
# The source prints `id(a)`, the identity of the object behind the name `a`. Raw ids change from
# run to run, so we print whether the id is still the one we remembered. `a + b` builds a **new**
# tensor and rebinds the name `a` to it; the old tensor is untouched.

# %% seeds="003/In [14]"
a = torch.ones((1, ))
first_id = id(a)
print(id(a) == first_id, a)

a = a + torch.ones((1, ))
print(id(a) == first_id, a)   # False: a is a new tensor
second_id = id(a)

# %% [markdown]
# `a += b` is **in place**: the same tensor, its memory overwritten. Every tensor counts its
# in-place changes in `_version`; that counter is how autograd notices a value it saved has been
# changed since.

# %% seeds="003/In [15]"
a += torch.ones((1, ))
print(id(a) == second_id, a)   # True: the same tensor, changed in place
print("version:", a._version)

# %% [markdown]
# ## Tip 3: a leaf cannot be changed in place
#
# `w` requires grad and is a leaf: the gradient being computed is $\partial y/\partial w$ **at
# the value `w` had** when `y` was computed. `w.add_(1)` would move `w` under the graph's feet,
# so PyTorch refuses it outright (the source's cell stops at this error; here it is caught).

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

# %% [markdown]
# The refused `add_` changed nothing: `w` is still 1, and the graph is intact.

# %%
render_graph(y)

# %% [markdown]
# ### And in place on a saved non-leaf?
#
# A non-leaf may be changed in place, and often that is fine. But `MulBackward0` saved `a` to
# compute `b`'s gradient; after `a.add_(1)` the saved value no longer matches its version
# counter, and the backward pass refuses to use it. The picture marks the stale saved tensor and
# the node that would fail in red.

# %%
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

# %% [markdown]
# ## Predict, then check
#
# **1.** The loop of tip 1, without `w.grad.zero_()`, runs three times. What is `w.grad`
# afterwards?

# %% tags=silent
prediction_1 = None   # a number

# %%
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
for i in range(3):
    y = torch.mul(torch.add(w, x), torch.add(w, 1))
    y.backward()
print("right" if prediction_1 == w.grad.item() else "wrong", "(hint: 5 per pass)")

# %% [markdown]
# **2.** `a = torch.ones(1)`, `before = id(a)`, then `a *= 2`. Is `id(a) == before`?

# %% tags=silent
prediction_2 = None   # True or False

# %%
a = torch.ones(1)
before = id(a)
a *= 2
print("right" if prediction_2 == (id(a) == before) else "wrong",
      "(hint: *= is in place, like +=)")

# %% [markdown]
# **3.** `loss = torch.cat([y0, y1])` as above, with `gradient=torch.tensor([2., 0.])`. What is
# `w.grad`?

# %% tags=silent
prediction_3 = None   # a number

# %%
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
loss = torch.cat([torch.mul(a, b), torch.add(a, b)], dim=0)
loss.backward(gradient=torch.tensor([2., 0.]))
print("right" if prediction_3 == w.grad.item() else "wrong",
      "(hint: weight 0 switches y1 off)")
