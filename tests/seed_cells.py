"""The code cells of the five seed notebooks, transcribed verbatim.

The seeds (PyTorch autograd lessons exported as text, ``../shared/seeds`` beside the project)
interleave each ``In [N]:`` cell's code with its recorded output; the code was
separated from the output by hand and copied here unchanged (comments, Chinese
text and trailing spaces included) so the suite runs without the documents.
``tests/test_seeds.py::test_transcription_matches_documents`` re-checks this
transcription against the documents whenever they are present.

``SEEDS`` maps each document's file stem to its cells in document order (which
is not always execution-count order: 004 runs ``In [34]`` after ``In [37]``).

Cell fields:
  label       the prompt, e.g. ``"In [7]"`` (unique within a document)
  code        the cell source; trailing empty lines are dropped (the export
              cannot tell them from its separators), nothing else is changed
  error       type name of the exception the recorded output ends with
  prints_ids  the cell prints ``id(...)`` values, which differ in every run;
              the comparison maps them to stable placeholders (see seed_replay)

The only imports in the cells are ``import torch``, ``import torch as t``,
``import torch.nn as nn`` and ``from torch.autograd import variable``.
"""
from typing import NamedTuple, Optional


class Cell(NamedTuple):
    """One ``In [N]:`` cell of a seed document."""

    label: str
    code: str
    error: Optional[str] = None
    prints_ids: bool = False


SEEDS = {
    "000_0bdeb554638b7c07": [
        Cell("In [7]", code=r'''import torch

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
print("grad func: x, w, a, b, y:\n", x.grad_fn, w.grad_fn, a.grad_fn, b.grad_fn, y.grad_fn)'''),
        Cell("In [11]", code=r'''import torch
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
print(f'x.grad= {x.grad}')'''),
        Cell("In [16]", code=r'''import torch
torch.manual_seed(10)

x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)    
b = torch.add(w, 1)
y0 = torch.mul(a, b)
y1 = torch.add(a, b)    #dy1/dw =2, dy1/dx = 1

loss = torch.cat([y0,y1], dim=0)
grad_tensors = torch.tensor([1.,1.])

#loss.backward(gradient = grad_tensors) # gradient 传入torch.autograd.backward()中的grad_tensors
torch.autograd.backward(loss, grad_tensors = grad_tensors, retain_graph= True)


print(f'w.grad= {w.grad}')
print(f'x.grad= {x.grad}')'''),
        Cell("In [17]", code=r'''import torch
torch.manual_seed(10)

x = torch.tensor([3.], requires_grad = True)
y = torch.pow(x, 2)    # y=x^2

grad_1 = torch.autograd.grad(y, x, create_graph= True)    #创建了导数计算图才能计算二阶导数
grad_2 = torch.autograd.grad(grad_1[0], x)

print(f'1st grad= {grad_1}')
print(f'2nd grad= {grad_2}')'''),
        Cell("In [19]", code=r'''import torch

x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

for i in range(2):
    a = torch.add(x, w)    
    
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(f'w.grad= {w.grad}')
    
    w.grad.zero_()    #如果不手动清零，则梯度每次会累加
    '''),
        Cell("In [20]", code=r'''import torch

x = torch.tensor([2.], requires_grad = True)
w = torch.tensor([1.], requires_grad = True)

a = torch.add(x, w)    
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()
print(f'a.requires_grad= {a.requires_grad} b.requires_grad= {b.requires_grad} y.requires_grad= {y.requires_grad}')'''),
    ],
    "001_eb5d88cff90534e4": [
        Cell("In [1]", code=r'''import torch
from torch.autograd import variable'''),
        Cell("In [2]", code=r'''a = torch.ones((3,4), requires_grad = True)
a'''),
        Cell("In [3]", code=r'''b = torch.zeros(3,4)
b'''),
        Cell("In [4]", code=r'''c = a+b
c'''),
        Cell("In [5]", code=r'''d = c.sum()
d.backward()'''),
        Cell("In [6]", code=r'''a.grad'''),
        Cell("In [7]", code=r'''b.grad'''),
        Cell("In [8]", code=r'''a.requires_grad, b.requires_grad, c.requires_grad #c依赖于a，因此需要求导'''),
        Cell("In [9]", code=r'''a.is_leaf, b.is_leaf, c.is_leaf'''),
        Cell("In [10]", code=r'''c.grad is None #反向传播结束后中间结果被释放'''),
        Cell("In [11]", code=r'''x = torch.ones(1)'''),
        Cell("In [12]", code=r'''w = torch.ones(1, requires_grad = True)'''),
        Cell("In [13]", code=r'''b = torch.ones(1, requires_grad = True)'''),
        Cell("In [14]", code=r'''y = w*x'''),
        Cell("In [15]", code=r'''z = y+b'''),
        Cell("In [16]", code=r'''x.requires_grad, b.requires_grad, w.requires_grad'''),
        Cell("In [17]", code=r'''y.requires_grad'''),
        Cell("In [18]", code=r'''x.is_leaf, b.is_leaf, w.is_leaf'''),
        Cell("In [19]", code=r'''z.is_leaf, y.is_leaf'''),
        Cell("In [20]", code=r'''z.grad_fn #add的反向传播函数为addback'''),
        Cell("In [21]", code=r'''y.grad_fn'''),
        Cell("In [22]", code=r'''#第一个为y，其对应的反向传播函数与y.grad_fn相同,第二个为b，grad_fn为None，但有grad_fn.next_functions,累加梯度
z.grad_fn.next_functions'''),
        Cell("In [23]", code=r'''y.grad_fn.next_functions #w, x'''),
        Cell("In [24]", code=r'''w.grad_fn, b.grad_fn'''),
        Cell("In [25]", code=r'''z.backward(retain_graph=True)'''),
        Cell("In [26]", code=r'''x = torch.ones((3), requires_grad = True)
w = torch.randn((3), requires_grad = True)
y = w*x
z = sum(y)'''),
        Cell("In [27]", code=r'''z.backward()'''),
        Cell("In [28]", code=r'''x.grad, w.grad, y.grad #非叶子节点计算完自动清空'''),
    ],
    "002_f4f0882e939c3981": [
        Cell("In [1]", code=r'''import torch

x = torch.arange(4.0)
x'''),
        Cell("In [2]", code=r'''x.requires_grad_(True)  # 同x=torch.arange(4.0,requires_grad=True) 
x.requires_grad  # Instance attribute requires_grad'''),
        Cell("In [3]", code=r'''x.grad  # 梯度gradient,默认是None'''),
        Cell("In [4]", code=r'''y = 2 * torch.dot(x, x)
y'''),
        Cell("In [5]", code=r'''# 调用反向传播来自动计算y关于x每个分量的梯度
y.backward()
x.grad'''),
        Cell("In [6]", code=r'''x.grad == 4 * x'''),
        Cell("In [7]", code=r'''# 默认情况下,PyTorch会累积梯度,我们需要清除之前的值
x.grad.zero_()
y = x.sum()  # 一个新的函数
y.backward()
x.grad
# 如果不清0, 把x.grad.zero_()注释,结果为:tensor([ 1.,  5.,  9., 13.])'''),
        Cell("In [8]", code=r'''# (机器学习中,很少对非标量进行一个backward)
# 对于非标量调用backward需要传入一个gradient参数,该参数指定微分函数
x.grad.zero_()
y = x * x  # 注意: 这里的*运算符被torch重写了
# 现在y是一个矩阵,直接对其backward会报错
# y.backward()  # Error:RuntimeError: grad can be implicitly(隐式)
#                 created only for scalar(标量) outputs

#print("了解retain_graph的作用,监视y.sum():\n",y.sum(),y.sum())
y.sum().backward(retain_graph=True)  # <=>y.backward(torch.ones(len(x)))
# retain_graph=True表示不清除计算图,这样中间的算子(eg:y)即可再次backward
print(x.grad)
print(y)
x.grad.zero_()  # <=> y.backward(torch.ones(len(x)))
y.backward(gradient=torch.ones(len(x)))  # <=> y.sum().backward()
# 参数gradient表示给self一个梯度,这里给一个[1,1,1,1],正向走一步<=>sum(self)
print(x.grad)
print(y)
#print("了解retain_graph的作用,监视y.sum():\n",y.sum())'''),
        Cell("In [9]", code=r'''# 将某些计算移动到记录的计算图之外
x.grad.zero_()
y = x * x
u = y.detach()  # 创建新张量,不再追踪梯度信息(分离后的张量操作不会影响y)
# 即 u=[0,1,4,9],与x无关
u.requires_grad_()
z = u * x
z.sum().backward()  # 生成一个反向计算图,记z.sum()为r,即计算图(树)的根
x.grad == u
# 分析: 记r=z.sum()=sum(u⊙x)
# x是向量(默认为列向量),u是独立于x的另一个向量
# 对x求偏导,u与x无关,u可看成是一个常数向量
# ∴x.grad=∂r/∂x = ∂r/∂z * ∂z/∂x = 1^T*∂(u⊙x)/∂x = u
# 注意,现在x的梯度是∂r/∂x, 不是之前的∂(x*x)/∂x'''),
        Cell("In [10]", code=r'''x.grad.zero_()
y.sum().backward()
x.grad == 2 * x'''),
        Cell("In [11]", code=r'''# 即使是走python控制流, backward依然可行
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
a.grad'''),
        Cell("In [12]", error="RuntimeError", code=r'''a1 = torch.tensor([1.], requires_grad=True)
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
# v3.backward(retain_graph=True)
v3.backward()
print(v1.grad)
v1.grad.zero_()
v3.backward()  # Error (要进行多次backward,上一次时必须加retain_graph=True)
print(v1.grad)

# 但是标量的就没有这个问题,所以retain_graph保留计算图的作用是什么?'''),
    ],
    "003_06eb90092a57de85": [
        Cell("In [1]", code=r'''import torch'''),
        Cell("In [3]", code=r'''w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward(retain_graph=True)
print(w.grad)
y.backward()'''),
        Cell("In [4]", code=r'''w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)     # retain_grad()
b = torch.add(w, 1)

y0 = torch.mul(a, b)    # y0 = (x+w) * (w+1)
y1 = torch.add(a, b)    # y1 = (x+w) + (w+1)    dy1/dw = 2

loss = torch.cat([y0, y1], dim=0)       # [y0, y1]
grad_tensors = torch.tensor([1., 2.])

# gradient 传入 torch.autograd.backward()中的grad_tensors
loss.backward(gradient=grad_tensors)

print(w.grad)'''),
        Cell("In [6]", code=r'''x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)     # y = x**2

# grad_1 = dy/dx = 2x = 2 * 3 = 6
grad_1 = torch.autograd.grad(y, x, create_graph=True)
print("grad_1: ", grad_1)

# grad_2 = d(dy/dx)/dx = d(2x)/dx = 2
grad_2 = torch.autograd.grad(grad_1[0], x)
print("grad_2: ", grad_2)'''),
        Cell("In [7]", code=r'''w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

for i in range(4):
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(w.grad)

    w.grad.zero_()'''),
        Cell("In [12]", code=r'''w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

print(a.requires_grad, b.requires_grad, y.requires_grad)'''),
        Cell("In [14]", prints_ids=True, code=r'''a = torch.ones((1, ))
print(id(a), a)

a = a + torch.ones((1, ))
print(id(a), a)'''),
        Cell("In [15]", prints_ids=True, code=r'''a += torch.ones((1, ))
print(id(a), a)'''),
        Cell("In [17]", error="RuntimeError", code=r'''w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

w.add_(1)

y.backward()'''),
    ],
    "004_e613237166c6ea6f": [
        Cell("In [1]", code=r'''import torch as t'''),
        Cell("In [2]", code=r'''# 调用backward计算梯度
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
a.backward()
print(b.grad)
print(w.grad)'''),
        Cell("In [3]", code=r'''u.grad'''),
        Cell("In [4]", code=r'''b = t.tensor(1.0, requires_grad=True)
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
print("da/dw", w.grad)'''),
        Cell("In [5]", code=r'''# 前向计算，得到a
b = t.tensor(1.0, requires_grad=True)
w = t.tensor(2.0, requires_grad=True)
x = t.tensor(3.0)
u = w * x
v = u + b
a = t.relu(v)
a'''),
        Cell("In [6]", code=r'''#计算da/dv, 其中1.0可以理解为da/da=1.0
dv = a.grad_fn(t.tensor(1.0)) 
dv'''),
        Cell("In [7]", code=r'''#从grad_fn.next_functions里获取得到v的上一步计算过程（的梯度计算函数）
print(a.grad_fn.next_functions)
print(v.grad_fn)
# 获得计算v的函数对应的梯度计算函数
v_grad_fn = a.grad_fn.next_functions[0][0]
# 该函数可以计算da/du, da/db,其值分别等于da/dv*dv/du, da/dv*dv/db，注意这里需要将上一步得到da/dv”反向传播“给grad_fn
du, db = v_grad_fn(dv)
print(du, db)'''),
        Cell("In [8]", code=r'''#我们可以进一步递归的得到计算u和b的计算过程（和梯度计算函数）
#注意，由于v是由u和b两个张量计算得到的，所以其grad_fn里包含的next_functions会分别包含计算u和计算b的函数
print(v_grad_fn.next_functions)
u_grad_fn, b_grad_fn = v_grad_fn.next_functions
u_grad_fn, b_grad_fn = u_grad_fn[0], b_grad_fn[0]'''),
        Cell("In [9]", code=r'''# b是一个requires_grad=True，is_leaf=True的节点，它的grad_fn是个特殊的函数，它的作用是将da/db累加到b.grad里
# 思考一下，为什么要进行累加
print(b.grad)
b_grad_fn(db)
print(b.grad)'''),
        Cell("In [10]", code=r'''#使用u的grad_fn可以计算da/dw和da/dx，分别等于da/du*du/dw, da/du*du/dx，同样需要将da/du“反向传播”给grad_fn
dw, dx = u_grad_fn(du)

print(dw, dx) # 由于x.requires_grad = False, dx会为None

#由于u是由w和x两个张量计算得到的，所以其grad_fn里包含的next_functions会分别包含计算w和计算x的函数
w_grad_fn, x_grad_fn = u.grad_fn.next_functions

#由于x.requires_grad=False,所以x_grad_fn是None
print(x_grad_fn[0])

# w是一个requires_grad=True，is_leaf=True的节点，它的grad_fn是个特殊的函数，它的作用是将da/dw保存到w.grad里
print(w_grad_fn[0])
print(w.grad)
w_grad_fn[0](dw)
print(w.grad)'''),
        Cell("In [11]", code=r'''print(b.grad)
print(w.grad)'''),
        Cell("In [15]", code=r'''# 自定义 Function，实现 forward 和 backward
import torch.nn as nn
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

# 自定义 Module，只负责 forward
class MySquare(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, input):
        return SquareFunction.apply(input)'''),
        Cell("In [17]", code=r'''# 测试
model = MySquare()

x = t.tensor(2.0, requires_grad=True)
y = model(x)
y.backward()

print(x.grad)  # 输出 4.0，符合 dy/dx = 2x'''),
        Cell("In [19]", code=r'''x = t.tensor(1.0, requires_grad=True)
y = model(x)
y.backward()

print(x.grad)  # 输出 2.0，符合 dy/dx = 2x'''),
        Cell("In [23]", code=r'''x = t.tensor(1.0, requires_grad=True)
y = model(x)
# y的grad_fn
y.grad_fn'''),
        Cell("In [24]", code=r'''# 自定义 Function，实现 forward 和 backward
import torch.nn as nn
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

# 自定义 Module，只负责 forward
class SquareAdd(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x, y):
        return SquareAddFunction.apply(x, y)'''),
        Cell("In [35]", code=r'''x = t.tensor(3.0, requires_grad=True)
y = t.tensor(2.0, requires_grad=True)
z = SquareAdd()(x, y)
z.backward()'''),
        Cell("In [36]", code=r'''z.grad_fn'''),
        Cell("In [37]", code=r'''x.grad'''),
        Cell("In [34]", code=r'''y.grad'''),
    ],
}
