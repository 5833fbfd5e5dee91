"""d2l.ai (PyTorch edition), "Weight Decay": a high-dimensional linear regression with 20
training examples, trained from scratch with an L2 penalty (lambda 0, then 3) and concisely with
weight_decay in one of SGD's parameter groups; the plotted losses printed every 20 epochs, to
four significant digits (a log-scale plot shows fewer)."""
# rtol: 1e-4
# %% data
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(0)

def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise (d2l.synthetic_data)."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))

def load_array(data_arrays, batch_size, is_train=True):
    """Construct a PyTorch data iterator (d2l.load_array)."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)

n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05
train_data = synthetic_data(true_w, true_b, n_train)
train_iter = load_array(train_data, batch_size)
test_data = synthetic_data(true_w, true_b, n_test)
test_iter = load_array(test_data, batch_size, is_train=False)

# %% helpers
def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

class Accumulator:
    """For accumulating sums over `n` variables."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]

def evaluate_loss(net, data_iter, loss):
    """Evaluate the loss of a model on the given dataset."""
    metric = Accumulator(2)  # Sum of losses, no. of examples
    for X, y in data_iter:
        out = net(X)
        y = y.reshape(out.shape)
        l = loss(out, y)
        metric.add(l.sum(), l.numel())
    return metric[0] / metric[1]

# %% init_params
def init_params():
    w = torch.normal(0, 1, size=(num_inputs, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return [w, b]

def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2

# %% train_scratch
def train(lambd):
    w, b = init_params()
    net, loss = lambda X: linreg(X, w, b), squared_loss
    num_epochs, lr = 100, 0.003
    for epoch in range(num_epochs):
        for X, y in train_iter:
            # The L2 norm penalty term has been added, and broadcasting
            # makes `l2_penalty(w)` a vector whose length is `batch_size`
            l = loss(net(X), y) + lambd * l2_penalty(w)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        if (epoch + 1) % 20 == 0:
            with torch.no_grad():
                print(epoch + 1, f'{evaluate_loss(net, train_iter, loss):.4g}',
                      f'{evaluate_loss(net, test_iter, loss):.4g}')
    print('L2 norm of w:', torch.norm(w).item())

# %% without_regularization
train(lambd=0)

# %% with_weight_decay
train(lambd=3)

# %% train_concise
def train_concise(wd):
    net = nn.Sequential(nn.Linear(num_inputs, 1))
    for param in net.parameters():
        param.data.normal_()
    loss = nn.MSELoss(reduction='none')
    num_epochs, lr = 100, 0.003
    # The bias parameter has not decayed
    trainer = torch.optim.SGD([
        {"params": net[0].weight, 'weight_decay': wd},
        {"params": net[0].bias}], lr=lr)
    for epoch in range(num_epochs):
        for X, y in train_iter:
            trainer.zero_grad()
            l = loss(net(X), y)
            l.mean().backward()
            trainer.step()
        if (epoch + 1) % 20 == 0:
            with torch.no_grad():
                print(epoch + 1, f'{evaluate_loss(net, train_iter, loss):.4g}',
                      f'{evaluate_loss(net, test_iter, loss):.4g}')
    print('L2 norm of w:', net[0].weight.norm().item())
    return trainer

# %% concise_without  [differs: without weight decay the 20 examples are fitted exactly and the training loss falls to about 1e-11, the rounding noise of float32 sums, whose digits depend on the order NumPy and PyTorch add in]
train_concise(0)

# %% concise_with
trainer = train_concise(3)
print(trainer)
trainer.state_dict()['param_groups']
