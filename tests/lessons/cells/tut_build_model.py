"""PyTorch tutorial "Build the Neural Network" (Learn the Basics): the device line, a
NeuralNetwork module of nn.Flatten, nn.Sequential, nn.Linear and nn.ReLU, the prediction
with nn.Softmax, the layer-by-layer walk (Flatten, Linear, ReLU, Sequential, Softmax) and the
model's parameters. Random images are seeded; the torchvision import is not needed here. The
device is found as the tutorial does now (torch.accelerator) and as it did before (the cuda and
mps checks)."""
# %% device
import os
import torch
from torch import nn
from torch.utils.data import DataLoader

torch.manual_seed(0)
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")

# %% device_before
device = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
print(f"Using {device} device")

# %% define
class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits

model = NeuralNetwork().to(device)
print(model)

# %% predict
X = torch.rand(1, 28, 28, device=device)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
print(logits.grad_fn, pred_probab.grad_fn)

# %% input_image
input_image = torch.rand(3,28,28)
print(input_image.size())

# %% flatten
flatten = nn.Flatten()
flat_image = flatten(input_image)
print(flat_image.size())

# %% linear
layer1 = nn.Linear(in_features=28*28, out_features=20)
hidden1 = layer1(flat_image)
print(hidden1.size())

# %% relu
print(f"Before ReLU: {hidden1}\n\n")
hidden1 = nn.ReLU()(hidden1)
print(f"After ReLU: {hidden1}")

# %% sequential
seq_modules = nn.Sequential(
    flatten,
    layer1,
    nn.ReLU(),
    nn.Linear(20, 10)
)
input_image = torch.rand(3,28,28)
logits = seq_modules(input_image)
print(logits)

# %% softmax
softmax = nn.Softmax(dim=1)
pred_probab = softmax(logits)
print(pred_probab)
print(pred_probab.sum(dim=1))

# %% parameters
print(f"Model structure: {model}\n\n")

for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")
