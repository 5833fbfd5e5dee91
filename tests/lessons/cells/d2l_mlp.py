"""d2l.ai (PyTorch edition), "Multilayer Perceptrons" (ReLU, sigmoid and tanh with their
derivatives, printed at a few points instead of plotted), "Implementation of Multilayer
Perceptrons from Scratch" and the concise implementation, on a small seeded stand-in for
Fashion-MNIST (d2l's training helpers written out; three epochs)."""
# rtol: 1e-4
# %% relu
import torch

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.relu(x)
print(y.detach()[::20])

# %% relu_grad
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad[::20])

# %% sigmoid
y = torch.sigmoid(x)
print(y.detach()[::20])
# Clear out previous gradients
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad[::20])

# %% tanh
y = torch.tanh(x)
print(y.detach()[::20])
# Clear out previous gradients
x.grad.data.zero_()
y.backward(torch.ones_like(x), retain_graph=True)
print(x.grad[::20])

# %% exercise_pre_relu_at_zero
x0 = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
torch.relu(x0).sum().backward()
x0.grad

# %% data
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(0)

def synthetic_fashion_mnist(n, generator):
    """A small stand-in for Fashion-MNIST (no download): 1x28x28 images of 10 classes, each
    class a fixed random pattern plus noise, with labels."""
    prototypes = torch.rand((10, 1, 28, 28), generator=torch.Generator().manual_seed(42))
    y = torch.randint(0, 10, (n,), generator=generator)
    X = (prototypes[y] + 0.8 * torch.randn((n, 1, 28, 28), generator=generator)).clamp(0, 1)
    return X, y

def load_data_fashion_mnist(batch_size):
    """Training and test iterators over the stand-in data (d2l.load_data_fashion_mnist)."""
    generator = torch.Generator().manual_seed(0)
    train, test = synthetic_fashion_mnist(600, generator), synthetic_fashion_mnist(200, generator)
    return (data.DataLoader(data.TensorDataset(*train), batch_size, shuffle=True),
            data.DataLoader(data.TensorDataset(*test), batch_size, shuffle=False))

def get_fashion_mnist_labels(labels):
    """Return text labels for the Fashion-MNIST dataset."""
    text_labels = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                   'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
    return [text_labels[int(i)] for i in labels]

batch_size = 100
train_iter, test_iter = load_data_fashion_mnist(batch_size)
X, y = next(iter(train_iter))
print(X.shape, X.dtype, y.shape, y.dtype)
print(get_fashion_mnist_labels(y[:6]))

# %% training_helpers
def accuracy(y_hat, y):
    """Compute the number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

class Accumulator:
    """For accumulating sums over `n` variables."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]

def evaluate_accuracy(net, data_iter):
    """Compute the accuracy for a model on a dataset."""
    if isinstance(net, torch.nn.Module):
        net.eval()  # Set the model to evaluation mode
    metric = Accumulator(2)  # No. of correct predictions, no. of predictions
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

def train_epoch_ch3(net, train_iter, loss, updater):
    """The training loop for one epoch."""
    # Set the model to training mode
    if isinstance(net, torch.nn.Module):
        net.train()
    # Sum of training loss, sum of training accuracy, no. of examples
    metric = Accumulator(3)
    for X, y in train_iter:
        # Compute gradients and update parameters
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            # Using PyTorch in-built optimizer & loss criterion
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            # Using custom built optimizer & loss criterion
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    # Return training loss and training accuracy
    return metric[0] / metric[2], metric[1] / metric[2]

def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    """Train a model (the Animator's plot printed as numbers)."""
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        print(f'epoch {epoch + 1}: train loss {train_metrics[0]:.5f}, '
              f'train acc {train_metrics[1]:.3f}, test acc {test_acc:.3f}')

# %% scratch_params
num_inputs, num_outputs, num_hiddens = 784, 10, 256

W1 = nn.Parameter(torch.randn(
    num_inputs, num_hiddens, requires_grad=True) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(torch.randn(
    num_hiddens, num_outputs, requires_grad=True) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))

params = [W1, b1, W2, b2]
print([p.shape for p in params], W1.is_leaf, W1.grad_fn)

# %% scratch_relu
def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)

relu(torch.tensor([[-1.0, 2.0], [0.5, -0.5]]))

# %% scratch_model
def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X@W1 + b1)  # Here '@' stands for matrix multiplication
    return (H@W2 + b2)

loss = nn.CrossEntropyLoss(reduction='none')

# %% scratch_train
num_epochs, lr = 3, 0.1
updater = torch.optim.SGD(params, lr=lr)
train_ch3(net, train_iter, test_iter, loss, num_epochs, updater)

# %% concise_model
net = nn.Sequential(nn.Flatten(),
                    nn.Linear(784, 256),
                    nn.ReLU(),
                    nn.Linear(256, 10))

def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)

net.apply(init_weights)

# %% concise_train
batch_size, lr, num_epochs = 100, 0.1, 3
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)
train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)
