# Chapter 00: what a gradient is, on y = (x + w) * (w + 1): intuition first, one picture, one
# animation, one stepper to click. Built into notebooks/00_tour.ipynb (English) and
# notebooks/zh/00_tour.ipynb (Chinese) by notebooks/build_chapters.py.

# %% [markdown] lang=en
# # 00 · What a gradient is
#
# In this chapter you will:
#
# - **nudge** an input of a small function and watch the output move: the gradient is how fast
#   it moves;
# - let **autograd** compute the same numbers exactly, for every input at once, with
#   `backward()`;
# - look at the **graph** autograd recorded to do it (one picture), **watch** the backward pass
#   (one animation), and then **be the engine** yourself, one click per node (`step_through`).
#
# Everything here runs on **autograd_lab**, a small automatic-differentiation engine written on
# NumPy that behaves, and prints, like PyTorch's autograd: `import autograd_lab as torch` and
# PyTorch autograd code runs unchanged, while the graph behind any result can be drawn and
# watched. Terms in **bold** are in the [glossary](glossary.md) (中文 and English).

# %% [markdown] lang=zh
# # 00 · 什么是梯度
#
# 在本章中，你将：
#
# - **推动**一个小函数的输入，观察输出如何变化：梯度就是输出变化的快慢；
# - 让 **autograd** 用 `backward()` 一次性、精确地算出所有输入的这些数；
# - 看 autograd 为此记录下的**计算图**（一张图），**观看**反向传播（一段动画），再亲自**充当引擎**，
#   每点一次调用一个节点（`step_through`）。
#
# 这里的一切都运行在 **autograd_lab** 上。它是一个基于 NumPy 的小型自动求导引擎，行为和打印都与 PyTorch
# 的 autograd 一致：`import autograd_lab as torch` 之后，PyTorch 的 autograd 代码原样可运行，而任何
# 结果背后的计算图都可以画出来、动起来。**粗体**术语见[术语表](../glossary.md)（中英对照）。

# %% tags=silent lang=en
import autograd_lab as torch   # with PyTorch installed, `import torch` runs the same code
from autograd_lab import render_graph, animate_backward, step_through
from autograd_lab.exercises import check

# %% tags=silent lang=zh
import autograd_lab as torch   # with PyTorch installed, `import torch` runs the same code
from autograd_lab import render_graph, animate_backward, step_through
from autograd_lab.exercises import check
torch.set_language("zh")       # pictures, animation panels and exercise feedback in Chinese

# %% [markdown] lang=en
# ## A gradient is a rate of change
#
# Take one small function of two inputs, $y = (x + w)(w + 1)$, at $x = 2$, $w = 1$: $y = 6$.
# Nudge $w$ by a small amount $h$ and see how much $y$ moves, relative to the nudge. No autograd
# yet, just arithmetic on Python numbers:

# %% [markdown] lang=zh
# ## 梯度就是变化率
#
# 取一个有两个输入的小函数 $y = (x + w)(w + 1)$，在 $x = 2$、$w = 1$ 处 $y = 6$。把 $w$ 推动一个
# 小量 $h$，看 $y$ 相对于推动量变化了多少。这里还没有用 autograd，只是对 Python 数字做算术：

# %% id=ch00-nudge
def f(x, w):
    return (x + w) * (w + 1)

print("y =", f(2.0, 1.0))
for h in [0.1, 0.01, 0.001]:
    moved_by_w = (f(2.0, 1.0 + h) - f(2.0, 1.0)) / h
    moved_by_x = (f(2.0 + h, 1.0) - f(2.0, 1.0)) / h
    print(f"h = {h:<6}  w nudged: (change in y) / h = {moved_by_w:.4f}"
          f"   x nudged: (change in y) / h = {moved_by_x:.4f}")

# %% [markdown] lang=en
# As the nudge shrinks, the ratios settle on **5** for $w$ and **2** for $x$. These limits are
# the partial derivatives $\partial y/\partial w = 5$ and $\partial y/\partial x = 2$, and
# together they are the **gradient** of $y$: near this point, $y$ moves about 5 times as much as
# $w$ and 2 times as much as $x$. Training a model is exactly this question asked of a loss:
# which way, and how strongly, does each weight push it?
#
# Nudging costs one extra evaluation of $f$ per input, and it is only approximate. A model with
# a million weights would need a million evaluations. Autograd gets every partial derivative
# exactly, in one **backward pass**.

# %% [markdown] lang=zh
# 推动量越小，比值越接近：对 $w$ 是 **5**，对 $x$ 是 **2**。这两个极限就是偏导数
# $\partial y/\partial w = 5$ 和 $\partial y/\partial x = 2$，合起来就是 $y$ 的**梯度**：在这一点
# 附近，$y$ 的变化约是 $w$ 变化的 5 倍、$x$ 变化的 2 倍。训练模型问的正是这个问题，只不过问的是损失：
# 每个权重朝哪个方向、以多大力度推动它？
#
# 推动法每个输入要多算一次 $f$，而且只是近似。一个有一百万个权重的模型就要算一百万次。autograd 只需
# 一次**反向传播**，就能精确得到所有偏导数。

# %% [markdown] lang=en
# ## Let autograd compute it
#
# Make the inputs tensors that **require grad**. Every operation on them is then recorded: the
# result remembers, in `grad_fn`, the **backward node** that will turn the gradient of the
# result into gradients of its inputs. $a$ and $b$ name the two factors.

# %% [markdown] lang=zh
# ## 让 autograd 来算
#
# 把输入做成**需要梯度**的张量。之后对它们的每个运算都会被记录：结果在 `grad_fn` 里记住一个**反向
# 节点**，它会把结果的梯度变成输入的梯度。$a$ 和 $b$ 是两个因子的名字。

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)          # y = (x + w) * (w + 1)
y

# %% [markdown] lang=en
# ## One picture: the graph behind `y`
#
# `render_graph(y)` draws what was recorded. Boxes with values are **tensors** (blue: the
# **leaves** `x` and `w`; green: the output; yellow: the intermediate results `a`, `b`), slate
# boxes are **backward nodes**, and each leaf that requires grad has an **`AccumulateGrad`**
# node (light blue), which puts the gradient that reaches it into `.grad`. Arrows follow
# `next_functions`: the way gradients will flow, from `y` down to the leaves. (The picture's
# options are in [appendix A1](A1_render_graph_options.ipynb).)

# %% [markdown] lang=zh
# ## 一张图：`y` 背后的计算图
#
# `render_graph(y)` 把记录下的内容画出来。带数值的框是**张量**（蓝色：**叶子** `x` 和 `w`；绿色：
# 输出；黄色：中间结果 `a`、`b`），石板色的框是**反向节点**，每个需要梯度的叶子都有一个
# **`AccumulateGrad`** 节点（浅蓝色），负责把到达它的梯度放进 `.grad`。箭头沿着 `next_functions`：
# 也就是梯度将要流动的方向，从 `y` 向下流到叶子。（这张图的各种选项见[附录 A1](A1_render_graph_options.ipynb)。）

# %%
render_graph(y)

# %% [markdown] lang=en
# Now the backward pass. It starts from $\partial y/\partial y = 1$ at the top, applies the
# **chain rule** node by node, and leaves the exact gradients in the leaves' `.grad`: the same 5
# and 2 that nudging approached, with no $h$ to choose.

# %% [markdown] lang=zh
# 现在做反向传播。它从顶端的 $\partial y/\partial y = 1$ 出发，逐个节点应用**链式法则**，最后把精确
# 的梯度留在叶子的 `.grad` 里：正是推动法逼近的 5 和 2，而且不用选 $h$。

# %%
y.backward()
print("dy/dw =", w.grad, "  dy/dx =", x.grad)

# %% [markdown] lang=en
# ## One animation: watch the backward pass
#
# `animate_backward(y)` runs `y.backward()` on a fresh graph and replays what the engine did:
# press ▶ Play, or step with the buttons, the slider or the arrow keys. The running node is red,
# the arrows carry the gradients it sent, the panel says what happened.
#
# Watch `w`: it is used twice, so two pieces of gradient head for it, 2 through `a` and 3
# through `b`. The engine adds them up in its buffer, and only when both have arrived does it
# call `w`'s `AccumulateGrad`, **once**, with 5.
#
# (Run live, the cell shows a widget; the notebook stores a self-contained player, which works
# in any trusted notebook and in the HTML export.)

# %% [markdown] lang=zh
# ## 一段动画：观看反向传播
#
# `animate_backward(y)` 在一张新的计算图上运行 `y.backward()`，并重放引擎做过的事：按 ▶ 播放，或用
# 按钮、滑块、方向键单步。正在运行的节点是红色，箭头上是它发出的梯度，面板说明发生了什么。
#
# 注意 `w`：它被用了两次，所以有两份梯度流向它，经 `a` 的 2 和经 `b` 的 3。引擎先在缓冲区里把它们加
# 起来，两份都到齐后才调用 `w` 的 `AccumulateGrad`，**只调用一次**，传入 5。
#
# （在运行的内核中，这个单元格显示一个小部件；笔记本里保存的是一个自带的播放器，在任何受信任的笔记本
# 和 HTML 导出中都能播放。）

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
animation = animate_backward(y)
animation

# %% [markdown] lang=en
# The animation replays the engine's own record, `animation.trace`: one step per node call, in
# the order they ran (`AccumulateGrad` under the name its `name()` method gives, as in PyTorch). Five
# nodes, five calls: one `AccumulateGrad` call for `x`, one for `w`.

# %% [markdown] lang=zh
# 动画重放的是引擎自己的记录 `animation.trace`：每次节点调用一步，按运行顺序排列（`AccumulateGrad`
# 用的是它的 `name()` 方法给出的名字，与 PyTorch 相同）。五个节点，五次调用：`x` 和 `w` 的 `AccumulateGrad` 各一次。

# %% id=ch00-trace
print([step.node_name for step in animation.trace.steps])
print(x.grad, w.grad)

# %% [markdown] lang=en
# ## Your turn: be the engine with `step_through`
#
# `step_through(y)` lets you make the calls the engine makes. Each click on "Call next" calls one
# node, for real, exactly as you could by hand (`y.grad_fn(torch.tensor([1.]))`, then the nodes
# found in `next_functions`), and shows the line of Python it ran. The stepper below is fresh:
# click through it, and find the moment where `w`'s two pieces are added. (It needs a running
# kernel: run the notebook first. Chapter 05 calls nodes by hand.)

# %% [markdown] lang=zh
# ## 轮到你：用 `step_through` 充当引擎
#
# `step_through(y)` 让你亲手做引擎做的调用。每点一次“调用下一个”，就真正调用一个节点，和手工调用完全
# 一样（先 `y.grad_fn(torch.tensor([1.]))`，再调用 `next_functions` 里找到的节点），并显示它运行的
# 那行 Python 代码。下面的单步器是全新的：逐步点完，找出 `w` 的两份梯度相加的那一刻。（需要运行中的
# 内核：先运行笔记本。第 05 章会手工调用节点。）

# %% id=ch00-stepper
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
steps = step_through(y)
steps

# %% [markdown] lang=en
# The same calls can be scripted, on a stepper of their own (so that the one above stays fresh
# for clicking): `.next()` makes one call and returns what it did, `.run()` makes the rest, and
# `transcript()` is the whole pass as plain PyTorch code you could paste and run. Note
# `dw = dw_1 + dw_2`: the two pieces of `w`'s gradient, added before its `AccumulateGrad` is
# called.

# %% [markdown] lang=zh
# 同样的调用也可以用脚本完成，但要用另一个单步器（这样上面那个仍然是全新的，留给你点击）：`.next()`
# 做一次调用并返回它做了什么，`.run()` 做完其余的调用，`transcript()` 则是整个过程的纯 PyTorch 代码，
# 可以复制运行。注意 `dw = dw_1 + dw_2`：`w` 的两份梯度在调用它的 `AccumulateGrad` 之前相加。

# %% id=ch00-scripted-steps
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
a = torch.add(x, w)
b = torch.add(w, 1)
y = torch.mul(a, b)
script = step_through(y)
first = script.next()
print(*first.code, sep="\n")
print(*first.printed, sep="\n")
script.run()
print("\nthe whole pass, as code:")
print(script.stepper.transcript())

# %% [markdown] lang=en
# ## The same code under PyTorch
#
# Everything above except the pictures is PyTorch code. To run a chapter under PyTorch, change
# the import and drop the picture lines:
#
# ```python
# import torch                  # instead of: import autograd_lab as torch
# # from autograd_lab import render_graph   (pictures are autograd_lab's own)
# ```
#
# The printed output is the same, word for word, except memory addresses
# (`<MulBackward0 object at 0x...>`), which differ from run to run in both libraries.

# %% [markdown] lang=zh
# ## 在 PyTorch 下运行同样的代码
#
# 除了画图，上面的一切都是 PyTorch 代码。要在 PyTorch 下运行某一章，改掉导入语句、去掉画图的行即可：
#
# ```python
# import torch                  # 代替：import autograd_lab as torch
# # from autograd_lab import render_graph   （画图是 autograd_lab 自己的功能）
# ```
#
# 打印结果逐字相同，只有内存地址（`<MulBackward0 object at 0x...>`）不同：在两个库里它都每次运行都变。

# %% [markdown] lang=en
# ## Exercises
#
# Write your answer where it says `answer = None`, then run the cell: it tells you whether you
# are right, gives a hint if not, and explains once you are. Run it as often as you like.
#
# **00.1** With $x = 2$, $w = 1$, nudge $w$ **down**, from 1 to 0.99. By about how much does $y$
# change? (Mind the sign.)

# %% [markdown] lang=zh
# ## 练习
#
# 在 `answer = None` 处写下答案，然后运行单元格：它会告诉你对不对，不对时给出提示，对了再给出解释。
# 可以反复运行。
#
# **00.1** 在 $x = 2$、$w = 1$ 处，把 $w$ **往下**推，从 1 到 0.99。$y$ 大约变化多少？（注意正负号。）

# %%
answer = None   # a number
check("00.1", answer)

# %% [markdown] lang=en
# **00.2** Same point, $x = 2$, $w = 1$: nudge **both** up by 0.01 at once ($x$ to 2.01, $w$ to
# 1.01). By about how much does $y$ change?

# %% [markdown] lang=zh
# **00.2** 同一点，$x = 2$、$w = 1$：同时把**两者**都往上推 0.01（$x$ 到 2.01，$w$ 到 1.01）。$y$ 大约
# 变化多少？

# %%
answer = None   # a number
check("00.2", answer)

# %% [markdown] lang=en
# **00.3** A new graph: $L = (2w + 1)^2$. By hand, what is $\partial L/\partial w$ at $w = 1$?
# Then confirm it: make `w`, compute `L`, and click through `step_through(L)` in a new cell.

# %% [markdown] lang=zh
# **00.3** 一张新图：$L = (2w + 1)^2$。手算 $w = 1$ 时的 $\partial L/\partial w$。然后验证：在新的
# 单元格里创建 `w`、计算 `L`，再逐步点击 `step_through(L)`。

# %%
answer = None   # a number
check("00.3", answer)

# %% [markdown] lang=en
# **00.4** (code) Write `grad_of_L(w_value)`: make `w` as a tensor that requires grad, compute
# $L = (2w + 1)^2$, call `backward()` and return `w.grad`. The check calls it with several values.

# %% [markdown] lang=zh
# **00.4**（写代码）编写 `grad_of_L(w_value)`：把 `w` 做成需要梯度的张量，计算 $L = (2w + 1)^2$，
# 调用 `backward()`，返回 `w.grad`。检查时会用几个不同的值调用它。

# %%
def grad_of_L(w_value):
    ...   # your code here
check("00.4", grad_of_L)

# %% [markdown] lang=en
# ## Recap
#
# - The gradient says how fast the output moves when each input is nudged; nudging estimates it,
#   autograd computes it exactly for all inputs in one backward pass.
# - Operations on tensors that require grad are recorded as a graph of backward nodes;
#   `backward()` walks it from the output, applying the chain rule, and leaves the result in the
#   leaves' `.grad`.
# - A leaf used twice gets its pieces added up by the engine first; its `AccumulateGrad` runs once.
#
# ## The path through the chapters
#
# The chapters that follow each take one source document (PyTorch autograd notebooks with notes
# in Chinese, quoted word for word), reproduce every experiment in it, and correct it where it
# misleads:
#
# 1. [Computation graphs and `backward`](01_computation_graphs_and_backward.ipynb): the chain
#    rule by hand and checked by finite differences; `retain_graph`, `grad_tensors`,
#    `create_graph`; gradients that accumulate. **Next: start here.**
# 2. [Tensors that require grad, and the graph](02_requires_grad_and_the_graph.ipynb): what a
#    leaf really is, `grad_fn` and `next_functions` as objects you can walk.
# 3. [Derivatives and gradients](03_derivatives_and_gradients.ipynb): vector outputs, `detach`,
#    control flow.
# 4. [Review and common mistakes](04_autograd_tips.ipynb): predict, then run.
# 5. [`grad_fn` by hand, and custom Functions](05_grad_fn_by_hand_and_custom_functions.ipynb):
#    being the engine, writing a `backward`, `gradcheck`.
# 6. [The training loop](06_training_loop.ipynb): everything at work, fitting a line and a small
#    network.
#
# Appendix: [`render_graph`'s options](A1_render_graph_options.ipynb). Reference: the
# [glossary](glossary.md). 中文版：[00 · 什么是梯度](zh/00_tour.ipynb).

# %% [markdown] lang=zh
# ## 小结
#
# - 梯度表示推动每个输入时输出变化的快慢；推动法只能估计它，autograd 一次反向传播就能精确算出所有
#   输入的梯度。
# - 对需要梯度的张量所做的运算被记录成由反向节点组成的计算图；`backward()` 从输出出发遍历它，应用
#   链式法则，把结果留在叶子的 `.grad` 里。
# - 被用了两次的叶子，它的几份梯度先由引擎相加；它的 `AccumulateGrad` 只运行一次。
#
# ## 各章路线
#
# 后面每一章对应一份源文档（带中文笔记的 PyTorch autograd 笔记本，笔记逐字引用），复现其中的每个实验，
# 并在有误导之处加以纠正：
#
# 1. [计算图与 `backward`](01_computation_graphs_and_backward.ipynb)：手推链式法则并用有限差分
#    检验；`retain_graph`、`grad_tensors`、`create_graph`；梯度累加。**下一章：从这里开始。**
# 2. [需要梯度的张量与计算图](02_requires_grad_and_the_graph.ipynb)：叶子到底是什么，`grad_fn` 与
#    `next_functions` 是可以遍历的对象。
# 3. [导数与梯度](03_derivatives_and_gradients.ipynb)：向量输出、`detach`、控制流。
# 4. [复习与常见错误](04_autograd_tips.ipynb)：先预测，再运行。
# 5. [手动调用 `grad_fn` 与自定义 Function](05_grad_fn_by_hand_and_custom_functions.ipynb)：充当
#    引擎、编写 `backward`、`gradcheck`。
# 6. [训练循环](06_training_loop.ipynb)：综合运用，拟合一条直线和一个小网络。
#
# 附录：[`render_graph` 的选项](A1_render_graph_options.ipynb)。参考：[术语表](../glossary.md)。
# English edition: [00 · What a gradient is](../00_tour.ipynb).
