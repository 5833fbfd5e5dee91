"""PyTorch's 60-minute blitz, "Neural Networks": LeNet (two 5x5 convolutions, max_pool2d, three
linear layers) on a random 32x32 image; net.parameters(), a backward with random gradients,
MSELoss and its graph (loss.grad_fn.next_functions), zero_grad, conv1's bias gradient before and
after backward, the hand-written SGD update and one optim.SGD step. The inputs are seeded; the
weights after each update are printed to show the steps took effect."""
# rtol: 1e-4
# %% define
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        # convolution C1, ReLU, then a 2x2 max pool S2
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        # convolution C3, ReLU, then max pool S4 (a square window can be given as one number)
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        # flatten all but the batch dimension
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        output = self.fc3(f6)
        return output


net = Net()
print(net)

# %% parameters
params = list(net.parameters())
print(len(params))
print(params[0].size())  # conv1's .weight

# %% forward
input = torch.randn(1, 1, 32, 32)
out = net(input)
print(out)

# %% backward_random
net.zero_grad()
out.backward(torch.randn(1, 10))
print(net.conv1.bias.grad)

# %% loss
output = net(input)
target = torch.randn(10)  # a dummy target, for example
target = target.view(1, -1)  # make it the same shape as output
criterion = nn.MSELoss()

loss = criterion(output, target)
print(loss)

# %% graph
print(loss.grad_fn)  # MSELoss
print(loss.grad_fn.next_functions[0][0])  # Linear
print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU

# %% zero_grad_backward
net.zero_grad()     # zeroes the gradient buffers of all parameters

print('conv1.bias.grad before backward')
print(net.conv1.bias.grad)

loss.backward()

print('conv1.bias.grad after backward')
print(net.conv1.bias.grad)

# %% manual_update
learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)
print(net.conv1.bias)

# %% optimizer
import torch.optim as optim

# create your optimizer
optimizer = optim.SGD(net.parameters(), lr=0.01)

# in your training loop:
optimizer.zero_grad()   # zero the gradient buffers
output = net(input)
loss = criterion(output, target)
loss.backward()
optimizer.step()    # Does the update
print(loss)
print(net.conv1.bias)
print(criterion(net(input), target))
