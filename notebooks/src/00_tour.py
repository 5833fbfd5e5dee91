# Chapter 00: a tour of autograd_lab, on y = (x + w) * (w + 1).
# Built into notebooks/00_tour.ipynb by notebooks/build_chapters.py.

# %% [markdown]
# # 00 · A tour of autograd_lab
#
# **autograd_lab** is a small automatic-differentiation engine written on NumPy that behaves, and
# prints, like PyTorch's autograd. It exists to be looked into: the graph behind any result can
# be drawn, and the backward pass can be watched or walked one node at a time. PyTorch autograd
# lessons run unchanged after one changed line, `import autograd_lab as torch`.
#
# This tour shows the three tools on one small function, $y = (x + w)(w + 1)$:
#
# - `render_graph(y)`: a picture of the graph behind `y`;
# - `animate_backward(y)`: the backward pass, replayed step by step from what the engine did;
# - `step_through(y)`: the same pass, driven by you, one node call at a time.
#
# The chapters after it each follow one source document (PyTorch autograd notebooks with notes in
# Chinese), reproduce every experiment in it, and draw the graph after each:
#
# 1. [Computation graphs and `backward`](01_computation_graphs_and_backward.ipynb)
# 2. [Tensors that require grad, and the graph](02_requires_grad_and_the_graph.ipynb)
# 3. [Derivatives and gradients](03_derivatives_and_gradients.ipynb)
# 4. [Autograd tips](04_autograd_tips.ipynb)
# 5. [`grad_fn` by hand, and custom Functions](05_grad_fn_by_hand_and_custom_functions.ipynb)
#
# **Glossary** (terms the source documents use throughout)
#
# | 中文 | English |
# |---|---|
# | 计算图 | computation graph |
# | 叶子节点 | leaf node |
# | 梯度 | gradient |
# | 反向传播 | backpropagation, the backward pass |
# | 求导 | differentiate |

# %% tags=silent
import autograd_lab as torch   # with PyTorch installed, `import torch` runs the same code
from autograd_lab import render_graph, animate_backward, step_through

# %% [markdown]
# ## Build a graph
#
# Every operation on a tensor that requires grad is recorded: the result remembers, in
# `grad_fn`, the backward node that will turn the gradient of the result into gradients of its
# inputs.

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)          # y = (x + w) * (w + 1)
y

# %% [markdown]
# ## Draw it: `render_graph`
#
# The last expression of a cell is shown, so `render_graph(y)` as the last line draws the graph
# below the cell. How to read it:
#
# - boxes with values are **tensors**: blue for leaves (made by you), green for the output, yellow
#   for named intermediate results; the names are taken from your variables;
# - slate boxes are **backward nodes** (`grad_fn`), and each leaf that requires grad gets an
#   **`AccumulateGrad`** node (light blue), which adds the arriving gradient into `.grad`;
# - arrows between nodes follow **`next_functions`**: the way gradients flow, from the output
#   down to the leaves. When a node has several inputs, the arrow says which one (0, 1, ...).

# %%
render_graph(y)

# %% [markdown]
# The picture is made of the same objects you can print: `y.grad_fn` is the `MulBackward0` box, and
# its `next_functions` are the two arrows leaving it.

# %%
print(y.grad_fn)
print(y.grad_fn.next_functions)

# %% [markdown]
# ## Run the backward pass
#
# $\partial y/\partial w = (w + 1) + (x + w) = 5$ and $\partial y/\partial x = w + 1 = 2$ (chapter
# 01 works it out). After `backward()` the leaves hold their gradients, and the picture shows
# them. `MulBackward0` now says "saved tensors freed": the values it kept for the backward pass
# are gone, so a second `y.backward()` would fail (chapters 01, 03 and 04 explain why).

# %%
y.backward()
print(w.grad, x.grad)

# %%
render_graph(y)

# %% [markdown]
# ## Watch it: `animate_backward`
#
# `animate_backward(y)` runs `y.backward()` for real, records what the engine did, and replays
# it: press ▶ Play, or step with the buttons, the slider or the arrow keys. Each step is one node
# called by the engine: the running node is red, the arrows carry the gradients it sent, and the
# panel says what happened and why. Watch `w`: its gradient arrives in two pieces, one through
# `a` and one through `b`, and `AccumulateGrad` runs only after both have been added up.
#
# (With a running kernel the cell shows a widget; the notebook stores a self-contained player,
# which works in any trusted notebook and in the HTML export.)

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
animation = animate_backward(y)
animation

# %% [markdown]
# The animation replays the engine's own record, `animation.trace`: the nodes in the order they
# ran. Nodes run one at a time, each only once every gradient for it has arrived.

# %%
print([step.node_name for step in animation.trace.steps])
print(x.grad, w.grad)

# %% [markdown]
# ## Do it yourself: `step_through`
#
# `step_through(y)` lets you be the engine: each click on "Call next" calls one node, for real,
# exactly as you would by hand (`y.grad_fn(torch.tensor([1.]))`, then the nodes found in
# `next_functions`), and shows the line of Python it ran. Chapter 05 does this by hand first.

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
steps = step_through(y)
steps

# %% [markdown]
# The same without clicking: `.next()` makes one call and returns what it did; `.run()` makes the
# rest. The transcript is plain PyTorch code you could paste and run: note `dw = dw_1 + dw_2`,
# the two pieces of `w`'s gradient added before `w`'s `AccumulateGrad` is called. Shown again,
# the stepper replays every call made so far.

# %%
first = steps.next()
print(first.code)
print(first.printed)
steps.run()
print(steps.stepper.transcript())
steps

# %% [markdown]
# ## What else `render_graph` can show
#
# `show_saved=True` draws what each node saved for the backward pass (orange, or dashed once
# freed), `show_none=True` draws the `None` entries of `next_functions` (inputs that need no
# gradient). Here a fresh graph, before any backward, with a constant `c` that needs no gradient:

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
c = torch.tensor([3.])
y = torch.mul(torch.add(x, w), torch.mul(w, c))
render_graph(y, show_saved=True, show_none=True)

# %% [markdown]
# `highlight=[y, x]` marks every path between the two: the route of $\partial y/\partial x$.
# `direction="LR"` lays the graph out from left to right, `legend=False` drops the legend,
# `params` names tensors explicitly (as torchviz's `make_dot` does), and `names=False` stops the
# picture from also taking names from your variables.

# %%
render_graph(y, highlight=[y, x], direction="LR", legend=False, names=False,
             params={"input x": x, "weight w": w})

# %% [markdown]
# `higher_order=True` colours nodes by the backward pass that created them: with
# `create_graph=True`, a backward pass records a graph of its own (chapters 01 and 04).

# %%
x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)
dy_dx, = torch.autograd.grad(y, x, create_graph=True)
render_graph(y, dy_dx, higher_order=True)

# %% [markdown]
# Large graphs are folded to stay readable: beyond `max_nodes` boxes, long repeated stretches
# become one dashed summary box. A hundred steps of $h \leftarrow \tanh(h \cdot w + 1)$:

# %%
h = x
for step in range(100):
    h = torch.tanh(h * w + 1)
render_graph(h, max_nodes=30)

# %% [markdown]
# ## The same code under PyTorch
#
# Everything above except the pictures is PyTorch code. To run a chapter under PyTorch, change the
# import and drop the picture lines:
#
# ```python
# import torch                  # instead of: import autograd_lab as torch
# # from autograd_lab import render_graph   (pictures are autograd_lab's own)
# ```
#
# The printed output is the same, word for word, with two exceptions you will meet: memory
# addresses (`<MulBackward0 object at 0x...>`) differ from run to run in both libraries, and a
# custom `autograd.Function`'s node is named after the module it lives in
# (`autograd_lab.autograd.function.SquareFunctionBackward` where PyTorch prints
# `torch.autograd.function.SquareFunctionBackward`). The project's tests replay every source
# document under both libraries and compare what a learner sees.
#
# ## Predict, then check
#
# Each chapter ends with a few of these: write your prediction in the first cell, then run both.
#
# **1.** How many `AccumulateGrad` nodes does the graph of $y = (x + w)(w + 1)$ have?

# %% tags=silent
prediction_1 = None   # a number

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
leaf_nodes = {id(node) for node, _ in a.grad_fn.next_functions + b.grad_fn.next_functions
              if type(node).__name__ == "AccumulateGrad"}
print("right" if prediction_1 == len(leaf_nodes) else "wrong",
      "(hint: one per leaf that requires grad)")

# %% [markdown]
# **2.** After `y.backward()`, is `a.grad` `None`? (`a` is `x + w`, and nobody called
# `a.retain_grad()`.)

# %% tags=silent
prediction_2 = "?"   # True or False

# %%
import warnings
y.backward()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")   # reading a non-leaf's .grad warns; the question is its value
    answer = a.grad is None
print("right" if prediction_2 == answer else "wrong",
      "(hint: which tensors keep .grad?)")

# %% [markdown]
# **3.** What is the class name of `b.grad_fn`, for `b = torch.add(w, 1)`?

# %% tags=silent
prediction_3 = None   # a string

# %%
print("right" if prediction_3 == type(b.grad_fn).__name__ else "wrong",
      "(hint: the picture labels every node)")
