"""d2l.ai (PyTorch edition), "Batch Normalization": the from-scratch `batch_norm` function (its
training/prediction switch is `torch.is_grad_enabled()`), the `BatchNorm` layer with
`nn.Parameter` gamma and beta and moving statistics, the LeNet with it (BNLeNetScratch), its
learned gamma and beta, and the concise BNLeNet built of lazy layers (LazyConv2d,
LazyBatchNorm2d, LazyBatchNorm1d, LazyLinear). On a small seeded stand-in for Fashion-MNIST
(160 training and 32 validation images of 1x28x28) for five epochs, with the training loop
d2l's Trainer runs (SGD on the mean cross-entropy, validation under no_grad) written out, its
plot printed as numbers; everything else is the chapter's code."""
# rtol: 1e-4
# %% imports
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils import data

# %% batch_norm_function
def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    # Use is_grad_enabled to determine whether we are in training mode
    if not torch.is_grad_enabled():
        # In prediction mode, use mean and variance obtained by moving average
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # When using a fully connected layer, calculate the mean and
            # variance on the feature dimension
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            # When using a two-dimensional convolutional layer, calculate the
            # mean and variance on the channel dimension (axis=1). Here we
            # need to maintain the shape of X, so that the broadcasting
            # operation can be carried out later
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        # In training mode, the current mean and variance are used
        X_hat = (X - mean) / torch.sqrt(var + eps)
        # Update the mean and variance using moving average
        moving_mean = (1.0 - momentum) * moving_mean + momentum * mean
        moving_var = (1.0 - momentum) * moving_var + momentum * var
    Y = gamma * X_hat + beta  # Scale and shift
    return Y, moving_mean.data, moving_var.data

# %% batch_norm_layer
class BatchNorm(nn.Module):
    # num_features: the number of outputs for a fully connected layer or the
    # number of output channels for a convolutional layer. num_dims: 2 for a
    # fully connected layer and 4 for a convolutional layer
    def __init__(self, num_features, num_dims):
        super().__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        # The scale parameter and the shift parameter (model parameters) are
        # initialized to 1 and 0, respectively
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        # The variables that are not model parameters are initialized to 0 and
        # 1
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        # If X is not on the main memory, copy moving_mean and moving_var to
        # the device where X is located
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # Save the updated moving_mean and moving_var
        Y, self.moving_mean, self.moving_var = batch_norm(
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.1)
        return Y

# %% batch_norm_layer_check
torch.manual_seed(0)
bn = BatchNorm(3, num_dims=4)
X = torch.randn(2, 3, 2, 2) * 2 + 1
Y = bn(X)
print(Y.shape, Y.grad_fn)
print(Y.mean(dim=(0, 2, 3)), Y.std(dim=(0, 2, 3), unbiased=False))
print(bn.moving_mean.reshape(-1), bn.moving_var.reshape(-1))
with torch.no_grad():
    print(bn(X)[0, 0])
print([name for name, _ in bn.named_parameters()], list(bn.state_dict()))

# %% batch_norm_layer_fc
bn = BatchNorm(4, num_dims=2)
Y = bn(torch.arange(12, dtype=torch.float32).reshape(3, 4))
Y.sum().backward()
print(Y)
print(bn.gamma.grad, bn.beta.grad)
print(bn.moving_mean, bn.moving_var, sep='\n')

# %% data
def synthetic_fashion_mnist(n, generator):
    """A small stand-in for Fashion-MNIST (no download): 1x28x28 images of 10 classes, each
    class a fixed random pattern plus noise, with labels."""
    prototypes = torch.rand((10, 1, 28, 28), generator=torch.Generator().manual_seed(42))
    y = torch.randint(0, 10, (n,), generator=generator)
    X = (prototypes[y] + 0.5 * torch.randn((n, 1, 28, 28), generator=generator)).clamp(0, 1)
    return X, y

class FashionMNIST:
    """The stand-in data with d2l.FashionMNIST's get_dataloader (train=True: shuffled)."""
    def __init__(self, batch_size=16):
        generator = torch.Generator().manual_seed(0)
        self.batch_size = batch_size
        self.train = synthetic_fashion_mnist(160, generator)
        self.val = synthetic_fashion_mnist(32, generator)

    def get_dataloader(self, train):
        tensors = self.train if train else self.val
        return data.DataLoader(data.TensorDataset(*tensors), self.batch_size, shuffle=train)

torch.manual_seed(0)
data_module = FashionMNIST(batch_size=16)
X, y = next(iter(data_module.get_dataloader(True)))
print(X.shape, X.dtype, y.shape, y.dtype)

# %% trainer
def init_cnn(module):
    """Initialize weights for CNNs (d2l.init_cnn)."""
    if type(module) == nn.Linear or type(module) == nn.Conv2d:
        nn.init.xavier_uniform_(module.weight)

def apply_init(model, inputs, init=None):
    """d2l.Module.apply_init: one forward pass shapes the lazy layers, then init."""
    model.net(*inputs)
    if init is not None:
        model.net.apply(init)

def loss_fn(Y_hat, Y, averaged=True):
    """d2l.Classifier.loss."""
    Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
    Y = Y.reshape((-1,))
    return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')

def accuracy(Y_hat, Y, averaged=True):
    """d2l.Classifier.accuracy."""
    Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
    preds = Y_hat.argmax(axis=1).type(Y.dtype)
    compare = (preds == Y.reshape(-1)).type(torch.float32)
    return compare.mean() if averaged else compare

def fit(model, data_module, max_epochs, lr):
    """What d2l.Trainer.fit does for a d2l.Classifier (SGD, validation under no_grad); the
    plot's points printed once an epoch."""
    optim = torch.optim.SGD(model.net.parameters(), lr=lr)
    for epoch in range(max_epochs):
        model.net.train()
        losses = []
        for X, Y in data_module.get_dataloader(True):
            loss = loss_fn(model.net(X), Y)
            optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                optim.step()
            losses.append(loss.item())
        model.net.eval()
        val_loss, val_acc = [], []
        for X, Y in data_module.get_dataloader(False):
            with torch.no_grad():
                Y_hat = model.net(X)
                val_loss.append(loss_fn(Y_hat, Y).item())
                val_acc.append(accuracy(Y_hat, Y).item())
        print(f'epoch {epoch + 1}: train_loss {sum(losses) / len(losses):.4f}, '
              f'val_loss {sum(val_loss) / len(val_loss):.4f}, '
              f'val_acc {sum(val_acc) / len(val_acc):.4f}')

# %% bn_lenet_scratch
class BNLeNetScratch(nn.Module):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=5), BatchNorm(6, num_dims=4),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=5), BatchNorm(16, num_dims=4),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(), nn.LazyLinear(120),
            BatchNorm(120, num_dims=2), nn.Sigmoid(), nn.LazyLinear(84),
            BatchNorm(84, num_dims=2), nn.Sigmoid(),
            nn.LazyLinear(num_classes))

torch.manual_seed(1)
model = BNLeNetScratch(lr=0.1)
print(model.net[0], model.net[0].weight, model.net[1].gamma.shape, sep='\n')

# %% bn_lenet_scratch_train
apply_init(model, [next(iter(data_module.get_dataloader(True)))[0]], init_cnn)
print(model.net[0], model.net[9], sep='\n')
fit(model, data_module, max_epochs=5, lr=model.lr)

# %% learned_gamma_beta
model.net[1].gamma.reshape((-1,)), model.net[1].beta.reshape((-1,))

# %% bn_lenet_concise
class BNLeNet(nn.Module):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=5), nn.LazyBatchNorm2d(),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=5), nn.LazyBatchNorm2d(),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(), nn.LazyLinear(120), nn.LazyBatchNorm1d(),
            nn.Sigmoid(), nn.LazyLinear(84), nn.LazyBatchNorm1d(),
            nn.Sigmoid(), nn.LazyLinear(num_classes))

torch.manual_seed(1)
model = BNLeNet(lr=0.1)
print(model)
print(model.net[1].weight, model.net[1].running_mean, model.net[1].num_batches_tracked)

# %% bn_lenet_concise_train
apply_init(model, [next(iter(data_module.get_dataloader(True)))[0]], init_cnn)
print(model)
fit(model, data_module, max_epochs=5, lr=model.lr)

# %% bn_lenet_concise_learned
bn2d = model.net[1]
print(bn2d.num_batches_tracked, bn2d.running_mean, bn2d.running_var, sep='\n')
bn2d.weight.reshape((-1,)), bn2d.bias.reshape((-1,))

# %% bn_lenet_concise_state_dict
print([(k, tuple(v.shape)) for k, v in model.net[10].state_dict().items()])

# %% bn_wrong_input
nn.BatchNorm2d(6)(torch.randn(4, 6))
