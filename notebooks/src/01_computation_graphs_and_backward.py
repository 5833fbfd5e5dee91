# Chapter 01: computation graphs and backward (seed document 000_0bdeb554638b7c07).
# Built into notebooks/01_computation_graphs_and_backward.ipynb by notebooks/build_chapters.py.

# %% [markdown]
# # 01 · Computation graphs and `backward`
#
# One small function, $y = (x + w)(w + 1)$, worked by hand and then by autograd: which tensors
# are leaves, where gradients end up, and the knobs of `backward` (`retain_graph`,
# `grad_tensors`, `create_graph`). Every experiment of the source document is here, each followed
# by the picture of the graph it built.
#
# **Glossary** (the source document's terms)
#
# | 中文 | English |
# |---|---|
# | 计算图 | computation graph |
# | 叶子节点 | leaf node (a tensor you created, not computed) |
# | 求导 | differentiate, take the derivative |
# | 保存计算图 | keep the graph (`retain_graph`) |
# | 多梯度权重 | weights of several gradients (`grad_tensors`) |
# | 高阶求导 | higher-order derivative |
# | 梯度不自动清零 | gradients are not zeroed automatically |
# | 原位操作 | in-place operation |

# %% tags=silent
import autograd_lab as torch   # the one changed line: the PyTorch original says `import torch`
from autograd_lab import render_graph, animate_backward

# %% [markdown]
# ## The derivative by hand
#
# Name the two intermediate results: $a = x + w$ and $b = w + 1$, so $y = a \times b$ (the source
# writes $y = x \times w$ at this step; it means $a \times b$).
#
# $w$ reaches $y$ along **two** paths, through $a$ and through $b$, so the chain rule adds one
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
# At $x = 2$, $w = 1$ that is $\partial y/\partial w = 5$ and $\partial y/\partial x = 2$. Now let
# autograd do it. `a.retain_grad()` asks it to keep $\partial y/\partial a$ too, which it
# normally throws away.

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

# %% [markdown]
# The numbers match the hand calculation. The warning is PyTorch's, word for word: reading
# `.grad` of a **non-leaf** tensor (`b`, `y`) that did not ask for `retain_grad()` gives `None`,
# because autograd only stores gradients where you are going to use them, in the leaves.
#
# The picture: tensors are the boxes with values (blue = leaf, green = the output, yellow =
# intermediate), the slate boxes are the backward nodes (`grad_fn`), and the arrows follow
# `next_functions`, the direction in which gradients flow. Each leaf gets an `AccumulateGrad`
# node: that is where the gradient is added into `.grad`.

# %%
render_graph(y)

# %% [markdown]
# ### Who is a leaf, who has a grad, who has a `grad_fn`
#
# The same facts as a table, for every tensor of the graph. A tensor is a **leaf** when you made it
# yourself (no `grad_fn`); only leaves (and tensors that called `retain_grad()`) keep `.grad`.
# `retains_grad` tells which non-leaves asked to keep theirs, so the table reads `.grad` only
# where it is kept and gives no warning.

# %%
print(f"{'':3} {'is_leaf':8} {'requires_grad':14} {'grad':15} grad_fn")
for name, t in [("x", x), ("w", w), ("a", a), ("b", b), ("y", y)]:
    kept = t.is_leaf or t.retains_grad
    grad = str(t.grad) if kept else "(not kept)"
    node = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"{name:3} {t.is_leaf!s:8} {t.requires_grad!s:14} {grad:15} {node}")

# %% [markdown]
# ### Watch the chain rule run
#
# The same graph, fresh, with the backward pass animated (`animate_backward(y)` runs
# `y.backward()` and replays what the engine did; ▶ Play, or step). Follow the two sums of the hand
# calculation: `MulBackward0` sends $b = 2$ towards `a` and $a = 3$ towards `b`; `x` receives
# only the first ($\partial y/\partial x = 2$), while `w` receives $2$ through `a` **and** $3$
# through `b`, added up to $5$ before its `AccumulateGrad` runs.

# %%
x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
animate_backward(y)

# %% [markdown]
# ## `torch.autograd.backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False)`
#
# `y.backward(...)` is a shortcut for `torch.autograd.backward(y, ...)`. Its arguments:
#
# - `tensors`: what to differentiate, e.g. a loss;
# - `grad_tensors`: a weight for each element when `tensors` is not a scalar (next section);
# - `retain_graph`: keep the graph's saved tensors, so that a second backward can run;
# - `create_graph`: record the backward pass itself as a graph, for higher derivatives.
#
# Why `retain_graph` exists: the backward pass needs values saved during the forward pass
# (`MulBackward0` needs `a` and `b`). To save memory they are freed as soon as they were used,
# so by default a graph can be walked only once. Below, two backward passes run over the same
# graph: the first keeps it, and the gradients of the two passes **add up** (5 + 5, 2 + 2).

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

# %% [markdown]
# `show_saved=True` draws the tensors each node saved for its backward (orange). Both passes said
# `retain_graph=True`, so they are all still there: a third pass would work too.

# %%
render_graph(y, show_saved=True)

# %% [markdown]
# ### Weighting several outputs: `grad_tensors`
#
# `loss` below holds two numbers, $y_0 = (x + w)(w + 1)$ and $y_1 = (x + w) + (w + 1)$. A vector
# has no single derivative, so backward needs to be told how to combine its elements:
# `grad_tensors` gives each element a weight, and the result is the gradient of
# $\sum_i g_i \, \mathrm{loss}_i$. With weights $[1, 1]$:
# $\partial/\partial w = 5 + 2 = 7$ and $\partial/\partial x = 2 + 1 = 3$.
# (`loss.backward(gradient=...)` is the same call; the method names the argument `gradient`.)

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

# %% [markdown]
# `CatBackward0` splits the incoming gradient $[g_0, g_1]$ back into one piece per input: $g_0$
# goes down the `y0` branch and $g_1$ down the `y1` branch. `a` and `b` each feed both branches,
# so their nodes receive two gradients, which are added before they are passed on.

# %%
render_graph(loss)

# %% [markdown]
# ## `torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False)`
#
# `autograd.grad` computes the same derivatives as `backward`, but **returns** them (a tuple, one
# per input) instead of adding them into `.grad`. Its arguments mirror `backward`'s:
# `outputs` (what to differentiate), `inputs` (with respect to what), `grad_outputs` (the weights,
# like `grad_tensors`), `retain_graph`, `create_graph`.
#
# With `create_graph=True` the backward pass is itself recorded: the gradient $2x = 6$ comes
# back with a `grad_fn`, so it can be differentiated again, giving the second derivative $2$.
# Without it, `grad_1[0]` would be a plain number and the second call would fail.

# %% seeds="000/In [17]"
torch.manual_seed(10)

x = torch.tensor([3.], requires_grad = True)
y = torch.pow(x, 2)    # y = x^2

grad_1 = torch.autograd.grad(y, x, create_graph= True)    # create_graph: the derivative gets a graph of its own
grad_2 = torch.autograd.grad(grad_1[0], x)

print(f'1st grad= {grad_1}')
print(f'2nd grad= {grad_2}')

# %% [markdown]
# `higher_order=True` colours nodes by the backward pass that made them. The nodes marked
# "derivative order 1" were recorded by the first `autograd.grad` while it computed
# $2x$ (as $2 \cdot x^1 \cdot$ the incoming gradient: a `PowBackward0` and two
# multiplications); they are the graph of `grad_1[0]`, ordinary nodes, which the second
# `autograd.grad` then walked.

# %%
render_graph(y, grad_1[0], higher_order=True)

# %% [markdown]
# ## Gradients are not zeroed automatically
#
# `backward` **adds** into `.grad`; it never overwrites it. That is what makes the two passes
# above sum, and what lets a gradient arrive at one leaf along several paths. In a training loop
# it means you must clear `.grad` yourself between steps, here with `w.grad.zero_()`; without
# it, the loop would print 5, then 10.
#
# Each iteration also builds a **new** graph: the forward code runs again, and `backward` walks
# the graph it just recorded.

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

# %% [markdown]
# The graph of the last iteration, after its backward. Its `w` box shows `grad` zeroed by the
# last line of the loop, while `x.grad`, which the loop never zeroes, has added up to 2 + 2 = 4.

# %%
render_graph(y)

# %% [markdown]
# ## A result that depends on a leaf requires grad
#
# `requires_grad` spreads forward: any tensor computed from a tensor that requires grad requires
# grad too, because a gradient will have to flow back through it. That is why `a`, `b` and `y`
# below say `True` although we never set it on them.

# %% seeds="000/In [20]"
x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()
print(f'a.requires_grad= {a.requires_grad} b.requires_grad= {b.requires_grad} y.requires_grad= {y.requires_grad}')

# %%
render_graph(y)

# %% [markdown]
# ## Leaves cannot be changed in place
#
# The source document ends with this rule as a heading (叶子节点不能执行原位操作). Why: the
# gradient being computed is $\partial y/\partial w$ at the value `w` had when `y` was computed,
# and the graph holds values computed from that `w` (`a`, `b`, saved by `MulBackward0`).
# Changing `w` in place, with autograd recording, would leave the graph describing a `w` that no
# longer exists, so PyTorch refuses:

# %%
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
try:
    w.add_(1)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# %% [markdown]
# An optimizer does update leaves in place, but outside of autograd's view, under `no_grad()`:
# the update is then not part of any graph. `w._version` counts in-place changes.

# %%
with torch.no_grad():
    w.add_(1)
print(w, w._version)

# %% [markdown]
# ## Predict, then check
#
# Write your prediction in the first cell of each pair, then run both.
#
# **1.** With `x = 3` and `w = 2`, what is `w.grad` after `y.backward()` for
# $y = (x + w)(w + 1)$? (A number.)

# %% tags=silent
prediction_1 = None   # your answer, e.g. 4.0

# %%
x = torch.tensor([3.], requires_grad=True)
w = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(x, w), torch.add(w, 1))
y.backward()
print("right" if prediction_1 == w.grad.item() else "wrong", "(hint: 2w + x + 1)")

# %% [markdown]
# **2.** The same graph, with `x = 2`, `w = 1`, is walked three times with
# `y.backward(retain_graph=True)` and nothing is zeroed in between. What is `x.grad`?

# %% tags=silent
prediction_2 = None   # a number

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
y = torch.mul(torch.add(x, w), torch.add(w, 1))
for _ in range(3):
    y.backward(retain_graph=True)
print("right" if prediction_2 == x.grad.item() else "wrong", "(hint: backward adds into .grad)")

# %% [markdown]
# **3.** `loss = torch.cat([y0, y1])` as above (`x = 2`, `w = 1`), but with
# `grad_tensors = torch.tensor([1., 3.])`. What is `w.grad`?

# %% tags=silent
prediction_3 = None   # a number

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
loss = torch.cat([torch.mul(a, b), torch.add(a, b)], dim=0)
torch.autograd.backward(loss, grad_tensors=torch.tensor([1., 3.]))
print("right" if prediction_3 == w.grad.item() else "wrong",
      "(hint: 1 * dy0/dw + 3 * dy1/dw)")
