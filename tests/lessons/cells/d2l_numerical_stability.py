"""d2l.ai (PyTorch edition), "Numerical Stability and Initialization": the vanishing gradient of
the sigmoid (its gradient printed at a few points instead of plotted) and the product of 100
Gaussian random matrices exploding; then Xavier initialization from nn.init."""
# %% vanishing_gradients
import torch

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.sigmoid(x)
y.backward(torch.ones_like(x))
print(y.detach()[::10])
print(x.grad[::10])

# %% exploding_gradients
torch.manual_seed(0)
M = torch.normal(0, 1, size=(4, 4))
print('a single matrix \n', M)
for i in range(100):
    M = M @ torch.normal(0, 1, size=(4, 4))
print('after multiplying 100 matrices\n', M)

# %% xavier
from torch import nn

torch.manual_seed(1)
layer = nn.Linear(300, 200)
nn.init.xavier_uniform_(layer.weight)
print(layer.weight.abs().max(), (6 / (300 + 200)) ** 0.5)
nn.init.xavier_normal_(layer.weight)
print(layer.weight.std())

# %% exercise_symmetry
net = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1))
for m in net:
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 0.5)
        nn.init.zeros_(m.bias)
X = torch.randn(8, 4)
net(X).sum().backward()
net[0].weight.grad
