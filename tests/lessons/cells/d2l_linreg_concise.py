"""d2l.ai (PyTorch edition), "Concise Implementation of Linear Regression": TensorDataset and a
shuffling DataLoader, nn.Sequential(nn.Linear(2, 1)), initialising with .data.normal_ and
.data.fill_, nn.MSELoss, optim.SGD, three epochs; then the exercises' Huber loss and the
gradient of the weight."""
# rtol: 1e-4
# %% data
import numpy as np
import torch
from torch.utils import data

torch.manual_seed(0)

def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise (d2l.synthetic_data)."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)

# %% load_array
def load_array(data_arrays, batch_size, is_train=True):
    """Construct a PyTorch data iterator."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

batch_size = 10
data_iter = load_array((features, labels), batch_size)

# %% first_batch
next(iter(data_iter))

# %% model
from torch import nn

net = nn.Sequential(nn.Linear(2, 1))
net

# %% init
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)

# %% loss_and_trainer
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
trainer

# %% train
num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:f}')

# %% estimation_error
w = net[0].weight.data
print('error in estimating w:', true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print('error in estimating b:', true_b - b)

# %% exercise_sum_loss
net_sum = nn.Sequential(nn.Linear(2, 1))
loss_sum = nn.MSELoss(reduction='sum')
trainer_sum = torch.optim.SGD(net_sum.parameters(), lr=0.03 / batch_size)
for X, y in data_iter:
    l = loss_sum(net_sum(X), y)
    trainer_sum.zero_grad()
    l.backward()
    trainer_sum.step()
print(net_sum[0].weight.data, net_sum[0].bias.data)

# %% exercise_huber_loss
huber = nn.HuberLoss(delta=1.0)
X, y = next(iter(data_iter))
l = huber(net(X), y)
l.backward()
print(l, l.grad_fn)
net[0].weight.grad
