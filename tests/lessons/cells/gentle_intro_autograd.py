"""PyTorch tutorial "A Gentle Introduction to torch.autograd": the training step ("Usage in
PyTorch"), the differentiation example, the DAG section and excluding parameters (finetuning).
torchvision's pretrained resnet18 is replaced by a small seeded CNN with the same interface
(3-channel images in, 1000 scores out, the classifier in ``model.fc`` taking 512 features)."""
# %% model
import torch
from torch import nn

class TinyResNet(nn.Module):
    # stands in for torchvision.models.resnet18(weights=ResNet18_Weights.DEFAULT)
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
        self.relu = nn.ReLU()
        self.layer1 = nn.Conv2d(8, 512, kernel_size=3, stride=2, padding=1)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.layer1(x))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)

torch.manual_seed(0)
model = TinyResNet()
print(model)

# %% usage
data = torch.rand(1, 3, 64, 64)
labels = torch.rand(1, 1000)

prediction = model(data) # forward pass
print(prediction.shape, prediction.grad_fn)

loss = (prediction - labels).sum()
print(loss)
loss.backward() # backward pass
print(model.conv1.weight.grad[0, 0, :2, :2])

# %% step
optim = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
before = model.fc.bias[:3].clone()
optim.step() #gradient descent
print(before, model.fc.bias[:3])

# %% differentiation
import torch

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
# check if collected gradients are correct
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

model = TinyResNet()

# Freeze all the parameters in the network
for param in model.parameters():
    param.requires_grad = False

model.fc = nn.Linear(512, 10)

# Optimize only the classifier
optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
print([p.requires_grad for p in model.parameters()])

# %% frozen_step
loss = model(data).sum()
loss.backward()
print([(name, p.grad is not None) for name, p in model.named_parameters()])
optimizer.step()
print(model.fc.bias)
