# Chapter 06: the training loop (capstone; no source document).
# Built into notebooks/06_training_loop.ipynb and notebooks/zh/06_training_loop.ipynb by
# notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 06 · The training loop
#
# Everything so far was about one backward pass. Training a model is that pass in a loop:
# compute a loss, backpropagate it, move each parameter a little against its gradient, and start
# again. This chapter builds that loop twice, first by hand for a straight line, then with
# `nn.Linear` and `optim.SGD` for a tiny neural network, and meets, in their natural place, the
# habits the earlier chapters explained one by one.
#
# **In this chapter you will**
#
# - fit a line $y \approx w x + b$ with `backward()` and an update you write yourself, under
#   `torch.no_grad()`;
# - watch the missing-`zero_grad` bug happen live;
# - write the same loop with `nn.Linear`, `nn.MSELoss` and `optim.SGD`, then fit a small MLP;
# - freeze a parameter, watch a gradient with a hook, and predict under `torch.inference_mode()`.
#
# Terms: see the [glossary](glossary.md). The code runs unchanged under PyTorch (`import torch`),
# apart from the exercise checks, which are this library's own.
# With the same seed, PyTorch draws the same random initial weights, and prints the same numbers,
# except in the last digits of the MLP's gradients after hundreds of steps (float32 sums taken in
# another order).

# %% [markdown] lang=zh
# # 06 · 训练循环
#
# 前面各章讲的都是一次反向传播。训练一个模型，就是把这一次放进循环：算出损失，反向传播，
# 让每个参数逆着自己的梯度走一小步，然后再来一遍。本章把这个循环写两遍：先用手写的更新拟合
# 一条直线，再用 `nn.Linear` 和 `optim.SGD` 训练一个很小的神经网络；前几章逐个讲过的习惯，
# 会在它们真正出现的地方再次登场。
#
# **在本章中，你将**
#
# - 用 `backward()` 和自己写的更新（放在 `torch.no_grad()` 里）拟合直线 $y \approx w x + b$；
# - 亲眼看到忘记 `zero_grad` 的错误如何发生；
# - 用 `nn.Linear`、`nn.MSELoss` 和 `optim.SGD` 写同一个循环，再拟合一个小型 MLP；
# - 冻结一个参数，用钩子（hook）观察梯度，并在 `torch.inference_mode()` 下做预测。
#
# 术语见[术语表](../glossary.md)。除了第一个单元格里的 `set_language` 和练习检查（它们是本库
# 自己的），这里的代码在 PyTorch 下（`import torch`）原样可以运行。种子相同时，PyTorch 抽到同样的
# 随机初始权重，打印出同样的数字；只有 MLP 训练几百步之后的梯度，最后几位会不同（float32 的
# 求和顺序不同）。

# %% tags=silent id=ch06-setup lang=en
import autograd_lab as torch   # the PyTorch original: import torch
import autograd_lab.nn as nn   # import torch.nn as nn
from autograd_lab import render_graph, animate_backward
torch.manual_seed(0)   # the MLP's initial weights: the same in every run
from autograd_lab.exercises import check

# %% tags=silent id=ch06-setup lang=zh
import autograd_lab as torch   # the PyTorch original: import torch
import autograd_lab.nn as nn   # import torch.nn as nn
from autograd_lab import render_graph, animate_backward
torch.manual_seed(0)   # the MLP's initial weights: the same in every run
from autograd_lab.exercises import check
torch.set_language("zh")   # 动画面板和练习反馈用中文（PyTorch 没有这一行）

# %% [markdown] lang=en
# ## The data: a line with a wiggle
#
# 21 points on $y = 3x + 0.5$, plus a fixed wiggle $0.2 \sin(9x)$ instead of random noise, so
# that every number below is the same in every run (and under PyTorch). `x` and `y` are data:
# they do not require grad, so they are leaves of any graph and never get a `.grad`.

# %% [markdown] lang=zh
# ## 数据：带一点起伏的直线
#
# 在 $y = 3x + 0.5$ 上取 21 个点，再加上固定的起伏 $0.2 \sin(9x)$（而不是随机噪声），
# 这样下面每个数字每次运行都一样（在 PyTorch 下也一样）。`x` 和 `y` 是数据：它们不需要梯度，
# 在任何计算图里都是叶子，也永远不会有 `.grad`。

# %%
x = torch.arange(-10, 11).reshape(-1, 1) / 10   # -1.0, -0.9, ..., 1.0
y = 3 * x + 0.5 + 0.2 * torch.sin(9 * x)
print(x.shape, y.shape, x.requires_grad, y.requires_grad)

# %% [markdown] lang=en
# ## One step, looked at
#
# The parameters `w` and `b` start at zero and require grad. The loss is the mean squared error.
# Before any loop, look at one backward pass on three of the points: the gradient of the loss
# enters at `MeanBackward0` and reaches `w` and `b` through their `AccumulateGrad` nodes. Those
# two numbers, `w.grad` and `b.grad`, are all the update needs.

# %% [markdown] lang=zh
# ## 仔细看一步
#
# 参数 `w` 和 `b` 从零开始，需要梯度。损失是均方误差。进入循环之前，先在其中三个点上看一次
# 反向传播：损失的梯度从 `MeanBackward0` 进入，经过各自的 `AccumulateGrad` 节点到达 `w` 和
# `b`。更新所需要的，就是这两个数：`w.grad` 和 `b.grad`。

# %% id=ch06-animate
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
x3, y3 = x[::10], y[::10]   # the points x = -1, 0, 1
loss = ((x3 * w + b - y3) ** 2).mean()
animation = animate_backward(loss)
print(w.grad, b.grad)
animation

# %% [markdown] lang=en
# ## The loop by hand
#
# Each step: forward, backward, update, zero. The update is an in-place change of a leaf that
# requires grad, which autograd refuses (chapter 04); inside `torch.no_grad()` nothing is
# recorded, so it is allowed, and `w` stays a leaf. Then the gradients are zeroed, because the
# next `backward()` **adds** into `.grad`.

# %% [markdown] lang=zh
# ## 手写的循环
#
# 每一步：前向、反向、更新、清零。更新是对一个需要梯度的叶子做原地修改，autograd 会拒绝它
# （见第 04 章）；在 `torch.no_grad()` 里什么都不记录，所以允许，而且 `w` 仍然是叶子。
# 然后把梯度清零，因为下一次 `backward()` 会把梯度**加**进 `.grad`。

# %% id=ch06-by-hand
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.2   # learning rate: how far each step goes
for step in range(40):
    loss = ((x * w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():       # the update must not become part of any graph
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()              # .grad adds up across backward calls: clear it
    b.grad.zero_()
    if step % 10 == 0 or step == 39:
        print(f"step {step:2d}  loss {loss.item():.4f}  w {w.item():.4f}  b {b.item():.4f}")
print(w.is_leaf, b.is_leaf)

# %% [markdown] lang=en
# The fit is $w \approx 3.06$, $b = 0.5$: the line under the wiggle (the wiggle is a little
# correlated with $x$, hence 3.06 rather than 3).
#
# **Why `no_grad`?** Without it, the very first `w -= ...` fails: `w` is a leaf that requires
# grad, and an in-place operation on such a leaf is refused whether or not a graph exists.
# Writing `w = w - lr * w.grad` instead does not fail, but it is worse: the name `w` now points
# at a *computed* tensor, no longer a leaf, whose `.grad` stays `None`.

# %% [markdown] lang=zh
# 拟合的结果是 $w \approx 3.06$、$b = 0.5$：就是起伏下面的那条直线（起伏与 $x$ 略有相关，
# 所以是 3.06 而不是 3）。
#
# **为什么要 `no_grad`？** 没有它，第一个 `w -= ...` 就会失败：`w` 是需要梯度的叶子，
# 对这样的叶子做原地操作总会被拒绝，不管有没有计算图。改写成 `w = w - lr * w.grad`
# 不会报错，但更糟：名字 `w` 现在指向一个*计算出来的*张量，它不再是叶子，`.grad` 一直是 `None`。

# %% id=ch06-update-without-no-grad
w = torch.zeros(1, requires_grad=True)
loss = ((x * w - y) ** 2).mean()
loss.backward()
try:
    w -= lr * w.grad            # no no_grad: refused
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
w = w - lr * w.grad             # not in place: allowed, but w is no longer a leaf
print(w.is_leaf, w.grad_fn.name())

# %% [markdown] lang=en
# ## The missing `zero_grad` bug, live
#
# The same loop without the two `zero_()` lines. `.grad` now holds the sum of every gradient
# so far, so each step moves by all the past steps again: the loss falls at first, then swings
# up and down and never settles.

# %% [markdown] lang=zh
# ## 忘记 `zero_grad`：现场演示
#
# 同一个循环，去掉两行 `zero_()`。现在 `.grad` 装着到目前为止所有梯度的和，于是每一步都把
# 过去所有的步子再走一遍：损失先下降，然后上下摆动，始终停不下来。

# %% id=ch06-no-zero-grad
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range(40):
    loss = ((x * w + b - y) ** 2).mean()
    loss.backward()             # adds into w.grad and b.grad
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    # (no w.grad.zero_() and b.grad.zero_() here)
    if step % 5 == 0 or step == 39:
        print(f"step {step:2d}  loss {loss.item():.4f}  w.grad {w.grad.item():8.4f}")

# %% [markdown] lang=en
# ## The same loop with `nn` and `optim`
#
# `nn.Linear(1, 1)` holds `weight` (shape `[1, 1]`) and `bias` as parameters: leaves that
# require grad. `optim.SGD` does the update of the loop above, under `no_grad`, in `step()`;
# `zero_grad()` clears the gradients (by default it sets them to `None` rather than zeros). We
# start the parameters at zero, as above, so the numbers can be compared: the same fit.

# %% [markdown] lang=zh
# ## 用 `nn` 和 `optim` 写同一个循环
#
# `nn.Linear(1, 1)` 把 `weight`（形状 `[1, 1]`）和 `bias` 作为参数保存：它们是需要梯度的叶子。
# `optim.SGD` 在 `step()` 里做上面循环里的那次更新（同样在 `no_grad` 下）；`zero_grad()`
# 清除梯度（默认把它们设为 `None` 而不是零）。参数像上面一样从零开始，数字就可以对照：
# 拟合结果相同。

# %% id=ch06-nn-optim
model = nn.Linear(1, 1)
with torch.no_grad():           # start from zero, as the hand-written loop did
    model.weight.zero_()
    model.bias.zero_()
optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
loss_fn = nn.MSELoss()
for step in range(40):
    optimizer.zero_grad()       # first, so that .grad holds only this step's gradient
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()            # p -= lr * p.grad for every parameter, under no_grad
print(model.weight, model.bias, loss, sep="\n")
optimizer.zero_grad()
print(model.weight.grad)

# %% [markdown] lang=en
# ## A tiny MLP
#
# A line cannot follow $\sin x$. Two `nn.Linear` layers with a `Tanh` between them can: 16 hidden
# units, 49 parameters in all, fitted on 61 points. The loop is the same four lines; `momentum=0.9` makes SGD keep a
# running direction (its own buffer, not `.grad`, which is still zeroed every step).

# %% [markdown] lang=zh
# ## 一个很小的 MLP
#
# 直线追不上 $\sin x$。两层 `nn.Linear` 中间夹一个 `Tanh` 就可以：16 个隐藏单元，一共 49 个
# 参数，在 61 个点上拟合。循环还是那四行；`momentum=0.9` 让 SGD 保留一个滑动的方向（存在它自己的缓冲区里，
# 不在 `.grad` 里，`.grad` 仍然每一步清零）。

# %% id=ch06-mlp
xs = torch.arange(-30, 31).reshape(-1, 1) / 10   # -3.0, -2.9, ..., 3.0
ys = torch.sin(xs)
mlp = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(mlp.parameters(), lr=0.05, momentum=0.9)
for step in range(401):
    optimizer.zero_grad()
    loss = loss_fn(mlp(xs), ys)
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step:3d}  loss {loss.item():.5f}")

# %% [markdown] lang=en
# The graph of one loss, with the parameters named by `params=`: every parameter is a leaf with
# its own `AccumulateGrad` (blue), while the data `xs` and `ys`, which need no gradient, are not
# in the graph at all. This is the picture behind `loss.backward()` in every step.

# %% [markdown] lang=zh
# 一次损失的计算图，用 `params=` 给参数起名：每个参数都是一个叶子，有自己的
# `AccumulateGrad`（蓝色）；数据 `xs` 和 `ys` 不需要梯度，根本不在图里。每一步的
# `loss.backward()` 背后就是这张图。

# %%
optimizer.zero_grad()           # .grad back to None, so the boxes show no old gradients
loss = loss_fn(mlp(xs), ys)
render_graph(loss, params=dict(mlp.named_parameters()))

# %% [markdown] lang=en
# ## Freezing a parameter
#
# `requires_grad_(False)` on a parameter takes it out of training: the next graph does not reach
# it, its `.grad` stays `None`, and `optimizer.step()` skips a parameter whose `.grad` is `None`.
# (This is how one fine-tunes only the last layer of a network.)

# %% [markdown] lang=zh
# ## 冻结一个参数
#
# 对参数调用 `requires_grad_(False)` 就把它移出了训练：下一张计算图不会到达它，它的 `.grad`
# 保持 `None`，而 `optimizer.step()` 会跳过 `.grad` 为 `None` 的参数。（只微调网络最后一层，
# 就是这样做的。）

# %% id=ch06-freeze
first = mlp[0].weight
first.requires_grad_(False)
before = first.clone()
optimizer.zero_grad()
for step in range(20):
    optimizer.zero_grad()
    loss = loss_fn(mlp(xs), ys)
    loss.backward()
    optimizer.step()
print("frozen weight unchanged:", torch.equal(first, before), "  its grad:", first.grad)
print("last layer's grad is None:", mlp[2].bias.grad is None)
first.requires_grad = True      # trainable again

# %% [markdown] lang=en
# ## A hook that watches a gradient
#
# `register_hook` on a tensor calls your function with the gradient that reaches it, during
# `backward()`. A hook that returns nothing only looks; one that returns a tensor replaces the
# gradient. Here it records the size of the last layer's weight gradient, step by step, and the
# handle removes it afterwards (a forgotten hook keeps running in every later step).

# %% [markdown] lang=zh
# ## 用钩子观察梯度
#
# 对张量调用 `register_hook`，会在 `backward()` 过程中把到达它的梯度交给你的函数。
# 不返回任何东西的钩子只是观察；返回一个张量的钩子会替换这个梯度。这里它逐步记录最后一层
# 权重梯度的大小，之后用句柄（handle）把它移除（忘记移除的钩子会在以后每一步继续运行）。

# %% id=ch06-hook
norms = []
handle = mlp[2].weight.register_hook(lambda grad: norms.append(round(grad.norm().item(), 5)))
for step in range(5):
    optimizer.zero_grad()
    loss = loss_fn(mlp(xs), ys)
    loss.backward()
    optimizer.step()
handle.remove()
print(norms)

# %% [markdown] lang=en
# ## Predicting: `torch.inference_mode()`
#
# To use the trained model, no graph is needed. `torch.inference_mode()` switches recording off
# (like `no_grad`, and in PyTorch faster still): the prediction has no `grad_fn` and does not
# require grad. (PyTorch also marks such results as *inference tensors*, which may never enter
# a recorded computation later; this library does not model that mark: use `no_grad` when a
# result will be used in training.)

# %% [markdown] lang=zh
# ## 预测：`torch.inference_mode()`
#
# 使用训练好的模型时不需要计算图。`torch.inference_mode()` 关闭记录（和 `no_grad` 一样，在
# PyTorch 中还更快）：预测结果没有 `grad_fn`，也不需要梯度。（PyTorch 还会把这样的结果标记为
# *推理张量*，以后不能再进入被记录的计算；本库没有模拟这个标记：如果结果之后要用于训练，
# 请用 `no_grad`。）

# %% id=ch06-inference
point = torch.tensor([[0.5]])
with torch.inference_mode():
    print("recording inside:", torch.is_grad_enabled(), torch.is_inference_mode_enabled())
    prediction = mlp(point)
print(prediction, prediction.requires_grad, prediction.grad_fn)
print("sin(0.5) =", torch.sin(point).item())

# %% [markdown] lang=en
# ## Exercises
#
# Each exercise cell sets up its own tensors, so it can be run again at any time. Write your
# answer in place of `None` and run the cell.
#
# **06.1** In the hand-written loop, replace the update under `no_grad` by `w = w - lr * w.grad`
# (no `no_grad`). After the first step, is `w.is_leaf` `True` or `False`?

# %% [markdown] lang=zh
# ## 练习
#
# 每个练习单元格都自己创建张量，随时可以重新运行。把 `None` 换成你的答案，再运行单元格。
#
# **06.1** 在手写的循环里，把 `no_grad` 下的更新换成 `w = w - lr * w.grad`（不用 `no_grad`）。
# 第一步之后，`w.is_leaf` 是 `True` 还是 `False`？

# %% id=ch06-ex1
answer = None   # True or False
check("06.1", answer)

# %% [markdown] lang=en
# **06.2** `mlp[0].weight.requires_grad_(False)`, then one full step (`zero_grad`, loss,
# `backward`, `step`). Has `mlp[0].weight` changed? (`True` or `False`)

# %% [markdown] lang=zh
# **06.2** 先 `mlp[0].weight.requires_grad_(False)`，再完整地走一步（`zero_grad`、损失、
# `backward`、`step`）。`mlp[0].weight` 变了吗？（`True` 或 `False`）

# %% id=ch06-ex2
answer = None   # True or False
check("06.2", answer)

# %% [markdown] lang=en
# **06.3** A hook on a leaf returns a new gradient: `w.register_hook(lambda g: g * 0)`. With
# `w = torch.tensor(2.0, requires_grad=True)`, what is `w.grad` after `(w * w).backward()`?

# %% [markdown] lang=zh
# **06.3** 叶子上的钩子返回一个新的梯度：`w.register_hook(lambda g: g * 0)`。
# 设 `w = torch.tensor(2.0, requires_grad=True)`，执行 `(w * w).backward()` 之后 `w.grad` 是多少？

# %% id=ch06-ex3
answer = None   # a number
check("06.3", answer)

# %% [markdown] lang=en
# **06.4 (code)** The function below is a broken training loop: its loss does not settle. Fix it
# (keep its name and arguments; use `optimizer.zero_grad()`, `loss.backward()` and
# `optimizer.step()` in the right places), then set `answer = train`. The check runs your
# function on a fresh `nn.Linear(1, 1)` and compares the result with a correct loop.

# %% [markdown] lang=zh
# **06.4（写代码）** 下面的函数是一个有错误的训练循环：它的损失停不下来。修好它（保持函数名
# 和参数不变；把 `optimizer.zero_grad()`、`loss.backward()` 和 `optimizer.step()` 放在正确的
# 位置），然后令 `answer = train`。检查会在一个新的 `nn.Linear(1, 1)` 上运行你的函数，并与
# 正确的循环比较结果。

# %% id=ch06-ex4
def train(model, x, y, steps=40, lr=0.2):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    for step in range(steps):
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()


answer = None   # when train is fixed: answer = train
check("06.4", answer)

# %% [markdown] lang=en
# ## Recap
#
# - Training is a loop: forward, `backward()`, update, zero. `optimizer.step()` is the update
#   under `no_grad`; `optimizer.zero_grad()` is the zeroing.
# - `.grad` adds up across `backward()` calls; without zeroing, every step repeats all the past
#   ones and the loss swings instead of settling.
# - An update of a parameter happens under `torch.no_grad()`: an in-place change of a leaf that
#   requires grad is refused, and `w = w - ...` would replace the leaf by a computed tensor.
# - `requires_grad_(False)` freezes a parameter; `register_hook` watches (or replaces) a
#   gradient; `inference_mode()` predicts without recording.
#
# That is the end of the path. The [appendix](A1_render_graph_options.ipynb) shows every option
# of `render_graph`, to draw the graphs of your own models; the [tour](00_tour.ipynb) is where
# the path began.

# %% [markdown] lang=zh
# ## 小结
#
# - 训练就是一个循环：前向、`backward()`、更新、清零。`optimizer.step()` 就是在 `no_grad`
#   下的更新，`optimizer.zero_grad()` 就是清零。
# - `.grad` 在多次 `backward()` 调用之间累加；不清零，每一步都会重复过去所有的步子，损失只会
#   摆动而不会收敛。
# - 参数的更新要放在 `torch.no_grad()` 里：对需要梯度的叶子做原地修改会被拒绝，而
#   `w = w - ...` 会用一个计算出来的张量替换掉叶子。
# - `requires_grad_(False)` 冻结参数；`register_hook` 观察（或替换）梯度；`inference_mode()`
#   做预测而不记录计算图。
#
# 路线到这里就结束了。[附录](A1_render_graph_options.ipynb) 介绍 `render_graph` 的全部选项，
# 可以用来画你自己模型的计算图；[导览](00_tour.ipynb) 是这条路线的起点。
