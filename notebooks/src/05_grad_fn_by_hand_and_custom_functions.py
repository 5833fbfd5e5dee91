# Chapter 05: grad_fn by hand, and custom Functions (seed document 004_e613237166c6ea6f).
# Built into notebooks/05_grad_fn_by_hand_and_custom_functions.ipynb by
# notebooks/build_chapters.py.

# %% [markdown]
# # 05 · `grad_fn` by hand, and custom Functions
#
# `backward()` is not magic: it calls the nodes of the graph, one after another, each with the
# gradient of its output, and passes what they return along `next_functions`. This chapter does
# exactly that by hand for $a = \mathrm{relu}(w \cdot x + b)$, meets `AccumulateGrad`, the node
# that writes into `.grad`, and then writes its own nodes with `autograd.Function`.
#
# **Glossary** (the source document's terms)
#
# | 中文 | English |
# |---|---|
# | 计算图 | computation graph |
# | 梯度计算函数 | gradient function (a backward node, `grad_fn`) |
# | 前向计算 / 反向传播 | forward computation / backpropagation |
# | 递归 | recursively |
# | 累加 | accumulate (add into) |
# | 自定义 Function / Module | custom Function / Module |

# %% seeds="004/In [1]" tags=silent
import autograd_lab as t   # the PyTorch original: import torch as t
from autograd_lab import render_graph, animate_backward, step_through

# %% [markdown]
# ## The function and its gradient
#
# $u = w \cdot x$, $v = u + b$, $a = \mathrm{relu}(v)$, with $b = 1$, $w = 2$, $x = 3$: $v = 7 > 0$,
# so relu passes gradients through unchanged, $\partial a/\partial b = 1$ and
# $\partial a/\partial w = x = 3$. `x` needs no gradient: it is data, not a parameter.

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

# %% [markdown]
# The graph the source drew as an image: `x`'s place in `MulBackward0` is `None`
# (`show_none=True`), since no gradient goes there.

# %%
render_graph(a, show_none=True)

# %% [markdown]
# `u` is an intermediate result: its gradient passed through and was not kept (hence the
# warning, and no value).

# %% seeds="004/In [3]"
u.grad

# %% [markdown]
# `retain_grad()` on `u` and `v` keeps theirs: every step of the chain rule is then visible.

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

# %%
render_graph(a)

# %% [markdown]
# ## Backward by hand
#
# Now the same pass, one node at a time. First the forward computation only, no `backward()`.
# `show_saved=True` shows what each node kept for later: `ReluBackward0` kept its result, and
# `MulBackward0` kept `x`, the factor $\partial u/\partial w$.

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

# %% [markdown]
# `a.grad_fn` is a callable: give it $\partial a/\partial a = 1$ and it returns
# $\partial a/\partial v$. The result has a `grad_fn` of its own
# (`ThresholdBackwardBackward0`): calling a node by hand, with gradients enabled, records the
# call, just as `create_graph=True` would.

# %% seeds="004/In [6]"
# da/dv; the 1.0 is da/da
dv = a.grad_fn(t.tensor(1.0))
dv

# %% [markdown]
# The next node is in `a.grad_fn.next_functions[0][0]`, the very object `v.grad_fn` (same
# address). `AddBackward0` has two inputs, so it returns two gradients: $\partial a/\partial u$
# and $\partial a/\partial b$, both $1 \cdot$ `dv`.

# %% seeds="004/In [7]"
# next_functions holds the node that computed v (its gradient function)
print(a.grad_fn.next_functions)
print(v.grad_fn)
# the node behind v
v_grad_fn = a.grad_fn.next_functions[0][0]
# it computes da/du = da/dv * dv/du and da/db = da/dv * dv/db: hand it da/dv, the gradient "backpropagated" so far
du, db = v_grad_fn(dv)
print(du, db)

# %% [markdown]
# One level further down: `v` was computed from `u` and `b`, so `v_grad_fn.next_functions` has
# two pairs, `u`'s node and `b`'s `AccumulateGrad`.

# %% seeds="004/In [8]"
# one level further: the nodes that computed u and b
# v came from u and b, so v's node has one next function for each of them
print(v_grad_fn.next_functions)
u_grad_fn, b_grad_fn = v_grad_fn.next_functions
u_grad_fn, b_grad_fn = u_grad_fn[0], b_grad_fn[0]

# %% [markdown]
# ### `AccumulateGrad`: where a gradient reaches a leaf
#
# `b` is a leaf that requires grad. Its node, `AccumulateGrad`, does not compute anything: it
# **adds** the gradient it is given into `b.grad`. Why add rather than store? Because a leaf can
# be used several times in a graph (as `w` was in chapter 01), and each use sends its own piece of
# the gradient; the sum of the pieces is the total derivative. (The `grad_fn=<CopyBackwards>` in
# the result is there because `db` itself carries a graph, from calling the nodes by hand.)

# %% seeds="004/In [9]"
# b's node is AccumulateGrad: it adds da/db into b.grad
# (why add rather than overwrite? see the text above)
print(b.grad)
b_grad_fn(db)
print(b.grad)

# %% [markdown]
# `u`'s node, `MulBackward0`, returns the gradients for `w` and `x`. `x` needs none, so its
# gradient is `None`, and so is its place in `next_functions`. `w`'s `AccumulateGrad` finishes the
# pass.

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

# %% [markdown]
# The same numbers `a.backward()` gave at the top of the chapter: 1 and 3.

# %% seeds="004/In [11]"
print(b.grad)
print(w.grad)

# %% [markdown]
# The graph after the hand-made pass: the leaves hold what their `AccumulateGrad` nodes added,
# `b.grad` = 1 and `w.grad` = 3, as if `a.backward()` had run. That is all `backward()` does: call
# each node once, in an order where a node runs only after every gradient for it has arrived,
# and hand each result to the next node along `next_functions`.

# %%
render_graph(a)

# %% [markdown]
# ### The same walk with `step_through`
#
# `step_through(a)` does what the cells above did by hand, one node per click on "Call next": it
# calls the real nodes through `next_functions` and shows the line of Python for each call, with
# your variable names. Here is a fresh graph; with a running kernel, click through it.

# %%
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
steps = step_through(a)
steps

# %% [markdown]
# `.next()` makes one call from code. The first is exactly the source's `a.grad_fn(t.tensor(1.0))`
# (the stepper writes the package as `t`, as this notebook imports it):

# %%
call = steps.next()
print(call.code)
print(call.printed)

# %% [markdown]
# `.run()` makes the rest. The transcript is the hand-made pass of this chapter, line for line
# (the source's `u_grad_fn, b_grad_fn = ...` unpacking is written as one lookup per node), and it
# ends with the same `b.grad` and `w.grad`. Shown again, the stepper replays every call.

# %%
steps.run()
print(steps.stepper.transcript())
print(b.grad, w.grad)
steps

# %% [markdown]
# ### And the engine's own pass
#
# `animate_backward(a)` lets the engine do it (`a.backward()`) and replays what it did: the same
# five calls, in the same order. The engine picks, among the nodes whose gradients have all
# arrived, the one created last; here that means `b`'s `AccumulateGrad` before `u`'s
# `MulBackward0`. Unlike the calls by hand, the engine records no graph of the gradients it
# computes (no `create_graph`), so `b.grad` and `w.grad` come without `grad_fn`.

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

# %% [markdown]
# ## Custom Functions
#
# An `autograd.Function` supplies both halves of an operation: `forward` computes the result and
# may save tensors on `ctx` (`save_for_backward`); `backward` receives the gradient of the output
# and returns one gradient per input of `forward`. `SquareFunction.apply(x)` runs `forward` and
# puts a node named `SquareFunctionBackward` into the graph; the backward pass will call our
# `backward` there. The `nn.Module` wrapper only makes it look like a layer.

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

# %% seeds="004/In [17]"
# test it
model = MySquare()

x = t.tensor(2.0, requires_grad=True)
y = model(x)
y.backward()

print(x.grad)  # 4.0, as dy/dx = 2x says

# %% [markdown]
# The custom node is drawn purple. `show_saved=True` shows what `forward` saved,
# `saved_tensors[0]` (that is `x`), already freed: the backward pass above used it and, without
# `retain_graph=True`, let it go.

# %%
render_graph(y, show_saved=True)

# %% seeds="004/In [19]"
x = t.tensor(1.0, requires_grad=True)
y = model(x)
y.backward()

print(x.grad)  # 2.0, as dy/dx = 2x says

# %% [markdown]
# The node's class is made for the Function. Its full name shows where it was made: PyTorch
# prints `torch.autograd.function.SquareFunctionBackward`, this library
# `autograd_lab.autograd.function.SquareFunctionBackward`: the one difference in this chapter's
# printed output, apart from memory addresses.

# %% seeds="004/In [23]"
x = t.tensor(1.0, requires_grad=True)
y = model(x)
# y's grad_fn
y.grad_fn

# %% [markdown]
# Two inputs: `backward` returns two gradients, in the order of `forward`'s arguments.
# $z = x^2 + y^2$ gives $\partial z/\partial x = 2x = 6$ and $\partial z/\partial y = 2y = 4$.

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

# %% [markdown]
# Inside `forward` no graph is recorded (the `**` and `+` there leave no nodes): the whole
# function is one node, whose `next_functions` lead to the two leaves. It saved two tensors,
# `x` and `y`, freed by the backward pass like any node's.

# %%
render_graph(z, show_saved=True)

# %% [markdown]
# ## Predict, then check
#
# **1.** Same graph, but `x = -1`: $v = 2 \cdot (-1) + 1 = -1$. What is `w.grad` after
# `a.backward()`?

# %% tags=silent
prediction_1 = None   # a number

# %%
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(-1.0)
a = t.relu(w * x + b)
a.backward()
print("right" if prediction_1 == w.grad.item() else "wrong",
      "(hint: relu's slope where v < 0)")

# %% [markdown]
# **2.** For `a = t.relu(w * x + b)` with `x = 3` again, you call `a.grad_fn(t.tensor(5.0))`.
# What number comes back?

# %% tags=silent
prediction_2 = None   # a number

# %%
x = t.tensor(3.0)
a = t.relu(w * x + b)
print("right" if prediction_2 == a.grad_fn(t.tensor(5.0)).item() else "wrong",
      "(hint: relu passes the incoming gradient through where v > 0)")

# %% [markdown]
# **3.** A custom `class CubeFunction(t.autograd.Function)`: what is the class name of the
# `grad_fn` of `CubeFunction.apply(x)`?

# %% tags=silent
prediction_3 = None   # a string

# %%
class CubeFunction(t.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input ** 3

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return 3 * input ** 2 * grad_output

node = CubeFunction.apply(t.tensor(2.0, requires_grad=True)).grad_fn
print("right" if prediction_3 == type(node).__name__ else "wrong",
      "(hint: look at SquareFunction's node above)")
