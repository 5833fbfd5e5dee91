"""d2l.ai (PyTorch edition), "Softmax Regression Implementation from Scratch" and "Concise
Implementation of Softmax Regression", on a small seeded stand-in for Fashion-MNIST (the d2l
helpers the chapter defines -- accuracy, Accumulator, evaluate_accuracy, train_epoch_ch3,
train_ch3 -- written out; the training plot printed as numbers; three epochs)."""
# rtol: 1e-4
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

# %% init_params
num_inputs = 784
num_outputs = 10

W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)

# %% sum_keepdim
X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
X.sum(0, keepdim=True), X.sum(1, keepdim=True)

# %% softmax
def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # The broadcasting mechanism is applied here

X = torch.normal(0, 1, (2, 5))
X_prob = softmax(X)
X_prob, X_prob.sum(1)

# %% model
def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

# %% pick_by_index
y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
y_hat[[0, 1], y]

# %% cross_entropy
def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])

cross_entropy(y_hat, y)

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

# %% accuracy
accuracy(y_hat, y) / len(y)

# %% accuracy_untrained
evaluate_accuracy(net, test_iter)

# %% train_scratch
lr = 0.1

def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

def updater(batch_size):
    return sgd([W, b], lr, batch_size)

num_epochs = 3
train_ch3(net, train_iter, test_iter, cross_entropy, num_epochs, updater)

# %% predict
def predict_ch3(net, test_iter, n=6):
    """Predict labels (the images' titles printed instead of shown)."""
    for X, y in test_iter:
        break
    trues = get_fashion_mnist_labels(y)
    preds = get_fashion_mnist_labels(net(X).argmax(axis=1))
    titles = [true + '\n' + pred for true, pred in zip(trues, preds)]
    print(titles[0:n])

predict_ch3(net, test_iter)

# %% concise_model
# PyTorch does not implicitly reshape the inputs. Thus we define the flatten
# layer to reshape the inputs before the linear layer in our network
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))

def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)

net.apply(init_weights)

# %% concise_train
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
num_epochs = 3
train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)

# %% exercise_naive_softmax_overflow
softmax(torch.tensor([[100.0, 0.0, -100.0]]))

# %% exercise_log_of_zero
cross_entropy(torch.tensor([[0.0, 1.0]]), torch.tensor([0]))
