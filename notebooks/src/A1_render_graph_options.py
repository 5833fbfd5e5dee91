# Appendix A1: render_graph's options (moved out of chapter 00).
# Built into notebooks/A1_render_graph_options.ipynb (English) and
# notebooks/zh/A1_render_graph_options.ipynb (Chinese) by notebooks/build_chapters.py.

# %% [markdown] lang=en
# # A1 · Appendix: what `render_graph` can show
#
# In this appendix you will:
#
# - draw what each node **saved** for the backward pass, and the `None` entries of
#   `next_functions` (inputs that need no gradient);
# - **highlight** the route of one derivative, write the chain rule on the arrows
#   (`show_grads`), draw the graph as data flow (`view="forward"`), change the layout, the legend
#   and the names;
# - colour a graph by the backward pass that recorded it (**higher-order** derivatives), fold a
#   long graph, and save a picture as a file.
#
# The chapters use these options where they help; this is the one place that shows them all.
# Terms: [glossary](glossary.md).

# %% [markdown] lang=zh
# # A1 · 附录：`render_graph` 能画出什么
#
# 在本附录中，你将：
#
# - 画出每个节点为反向传播**保存**的张量，以及 `next_functions` 中的 `None`（不需要梯度的输入）；
# - **高亮**某个导数经过的路线，把链式法则写在箭头上（`show_grads`），把计算图画成数据流
#   （`view="forward"`），改变布局、图例和名字；
# - 按记录节点的那次反向传播给计算图着色（**高阶**导数），折叠很长的计算图，把图保存成文件。
#
# 各章在有帮助的地方会用到这些选项；这里是把它们集中展示的地方。术语见[术语表](../glossary.md)。

# %% tags=silent lang=en
import autograd_lab as torch
from autograd_lab import render_graph
from autograd_lab.exercises import check

# %% tags=silent lang=zh
import autograd_lab as torch
from autograd_lab import render_graph
from autograd_lab.exercises import check
torch.set_language("zh")       # exercise feedback in Chinese

# %% [markdown] lang=en
# ## Saved tensors and `None` entries
#
# `show_saved=True` draws what each node saved for the backward pass (orange; dashed once a
# backward pass has freed it), `show_none=True` draws the `None` entries of `next_functions`.
# A fresh graph, before any backward, with a constant `c` that needs no gradient:

# %% [markdown] lang=zh
# ## 保存的张量与 `None`
#
# `show_saved=True` 画出每个节点为反向传播保存的张量（橙色；被某次反向传播释放后变为虚线），
# `show_none=True` 画出 `next_functions` 中的 `None`。下面是一张新图，还没有做过反向传播，其中常量 `c`
# 不需要梯度：

# %%
x = torch.tensor([2.], requires_grad=True)
w = torch.tensor([1.], requires_grad=True)
c = torch.tensor([3.])
y = torch.mul(torch.add(x, w), torch.mul(w, c))
render_graph(y, show_saved=True, show_none=True)

# %% [markdown] lang=en
# Each multiplication saved what its backward needs: the outer one both factors, the inner one
# only `c` (to compute `w`'s gradient; `c` needs none, so `w` itself was not saved).
#
# ## The route of one derivative: `highlight`
#
# `highlight=[y, x]` marks every path between the two ends: the nodes $\partial y/\partial x$
# flows through.

# %% [markdown] lang=zh
# 每个乘法都保存了它的反向所需的值：外层乘法保存两个因子，内层只保存 `c`（用来算 `w` 的梯度；`c` 不需要
# 梯度，所以没有保存 `w`）。
#
# ## 一个导数的路线：`highlight`
#
# `highlight=[y, x]` 标出两端之间的所有路径：也就是 $\partial y/\partial x$ 流经的节点。

# %%
render_graph(y, highlight=[y, x])

# %% [markdown] lang=en
# ## The chain rule on the arrows: `show_grads` and `view="forward"`
#
# `show_grads=True` labels each arrow with the gradient it carries back (green, in your
# variables' names) and, where it is a single number, the local derivative of the node (grey).
# `view="forward"` draws the same graph as data flow, inputs to output, each operation with the
# `grad_fn` it recorded: the way the code reads. The values come from one real backward pass run
# with `retain_graph` (no `.grad` changes), so the saved tensors must still be there.

# %% [markdown] lang=zh
# ## 箭头上的链式法则：`show_grads` 与 `view="forward"`
#
# `show_grads=True` 在每条箭头上标出它往回传的梯度（绿色，用你的变量名），并在梯度是单个数时标出节点的
# 局部导数（灰色）。`view="forward"` 把同一张图画成数据流：从输入到输出，每个运算旁标出它记录的
# `grad_fn`，与代码的读法一致。这些数值来自一次带 `retain_graph` 的真实反向传播（`.grad` 不变），所以
# 保存的张量必须还在。

# %%
render_graph(y, show_grads=True)

# %%
render_graph(y, view="forward", show_grads=True, legend=False)

# %% [markdown] lang=en
# ## Layout, legend, names, values
#
# `direction="LR"` lays the graph out from left to right (`"BT"`, `"RL"` also work),
# `legend=False` drops the legend, `show_values=False` leaves the values out of the boxes,
# `params` names tensors explicitly (as torchviz's `make_dot` does), and `names=False` stops the
# picture from also taking names from your variables.

# %% [markdown] lang=zh
# ## 布局、图例、名字、数值
#
# `direction="LR"` 让计算图从左往右排（也可以用 `"BT"`、`"RL"`），`legend=False` 去掉图例，
# `show_values=False` 不在框里显示数值，`params` 显式地给张量命名（与 torchviz 的 `make_dot` 一样），
# `names=False` 则不再从你的变量名里取名字。

# %%
render_graph(y, direction="LR", legend=False, show_values=False, names=False,
             params={"input x": x, "weight w": w})

# %% [markdown] lang=en
# ## Higher-order derivatives: `higher_order`
#
# With `create_graph=True`, a backward pass records a graph of its own (chapter 01).
# `higher_order=True` colours nodes by the backward pass that created them:

# %% [markdown] lang=zh
# ## 高阶导数：`higher_order`
#
# 指定 `create_graph=True` 时，反向传播会记录它自己的计算图（第 01 章）。`higher_order=True` 按创建节点
# 的那次反向传播给节点着色：

# %%
s = torch.tensor([3.], requires_grad=True)
square = torch.pow(s, 2)
ds, = torch.autograd.grad(square, s, create_graph=True)
render_graph(square, ds, higher_order=True)

# %% [markdown] lang=en
# ## Long graphs are folded
#
# Beyond `max_nodes` boxes, long repeated stretches become one dashed summary box
# (`collapse=False` never folds, `collapse=True` always does). A hundred steps of
# $h \leftarrow \tanh(h \cdot w + 1)$:

# %% [markdown] lang=zh
# ## 长计算图会被折叠
#
# 超过 `max_nodes` 个框时，长段重复的部分会变成一个虚线的摘要框（`collapse=False` 从不折叠，
# `collapse=True` 总是折叠）。$h \leftarrow \tanh(h \cdot w + 1)$ 迭代一百步：

# %%
h = s
for step in range(100):
    h = torch.tanh(h * w + 1)
render_graph(h, max_nodes=30)

# %% [markdown] lang=en
# ## Pictures as files
#
# A picture is a `graphviz.Digraph`: `render_graph(y).render("graph", format="png")` writes
# `graph.png` (also `"svg"` and `"pdf"`), drawn in this process from the same styled SVG the
# notebook shows; `render_graph(y, backend="dot")` uses a system Graphviz instead.
#
# ## Exercises
#
# **A1.1** `a` and `b` require grad, `k = torch.tensor([2.])` does not, and
# `y = a * k + b * k`. How many `None` boxes does `render_graph(y, show_none=True)` draw?
# (Predict, then draw it in a new cell.)

# %% [markdown] lang=zh
# ## 把图存成文件
#
# 图是一个 `graphviz.Digraph`：`render_graph(y).render("graph", format="png")` 写出 `graph.png`（也可以
# 用 `"svg"` 和 `"pdf"`），在本进程内由笔记本显示的同一份带样式的 SVG 绘制；`render_graph(y, backend="dot")`
# 则改用系统的 Graphviz。
#
# ## 练习
#
# **A1.1** `a` 和 `b` 需要梯度，`k = torch.tensor([2.])` 不需要，`y = a * k + b * k`。
# `render_graph(y, show_none=True)` 画出几个 `None` 框？（先预测，再在新单元格里画出来。）

# %%
answer = None   # a whole number
check("A1.1", answer)

# %% [markdown] lang=en
# **A1.2** `y = torch.exp(x)`. Draw it with `show_saved=True`: does `ExpBackward0` save its input
# or its result? Answer `"input"` or `"result"`.

# %% [markdown] lang=zh
# **A1.2** `y = torch.exp(x)`。用 `show_saved=True` 画出来：`ExpBackward0` 保存的是输入还是结果？回答
# `"input"` 或 `"result"`。

# %%
answer = None   # "input" or "result"
check("A1.2", answer)

# %% [markdown] lang=en
# **A1.3** (code) Write `draw_route(y, x)`: return `render_graph`'s picture of `y`'s graph, laid
# out left to right, with every path between `y` and `x` highlighted. The check draws a graph
# of its own with it.

# %% [markdown] lang=zh
# **A1.3**（写代码）编写 `draw_route(y, x)`：返回 `render_graph` 画出的 `y` 的计算图，从左往右布局，并
# 高亮 `y` 与 `x` 之间的所有路径。检查时会用它画一张自己的计算图。

# %%
def draw_route(y, x):
    ...   # your code here: return a picture
check("A1.3", draw_route)

# %% [markdown] lang=en
# ## Recap
#
# - `show_saved` and `show_none` show what backward will use and what it skips; `highlight` the
#   route of one derivative; `show_grads` the gradient on every arrow; `view="forward"` the
#   data flow; `higher_order` who recorded which node.
# - `direction`, `legend`, `show_values`, `names`, `params` change how the picture reads;
#   `max_nodes` and `collapse` keep big graphs readable; `.render(format=...)` saves them.
#
# **Back to the start:** [00 · What a gradient is](00_tour.ipynb).

# %% [markdown] lang=zh
# ## 小结
#
# - `show_saved` 和 `show_none` 显示反向传播要用什么、跳过什么；`highlight` 显示一个导数的路线；
#   `show_grads` 显示每条箭头上的梯度；`view="forward"` 显示数据流；`higher_order` 显示哪个节点由谁记录。
# - `direction`、`legend`、`show_values`、`names`、`params` 改变图的读法；`max_nodes` 和 `collapse`
#   让大图保持可读；`.render(format=...)` 把图存成文件。
#
# **回到开头：**[00 · 什么是梯度](00_tour.ipynb)。
