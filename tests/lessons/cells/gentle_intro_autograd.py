"""PyTorch tutorial "A Gentle Introduction to torch.autograd": the parts that run without
torchvision (the differentiation example, the DAG section and excluding parameters), with a
small nn.Linear in place of resnet18."""
# %% differentiation
import torch

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9*a**2 == a.grad)
print(-2*b == b.grad)

# %% dag
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)

a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")

# %% frozen
from torch import nn, optim

model = nn.Linear(4, 3)
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(3, 2)
optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
print([p.requires_grad for p in model.parameters()])
