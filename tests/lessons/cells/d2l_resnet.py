"""d2l.ai (PyTorch edition), "Residual Networks (ResNet) and ResNeXt": the Residual block of lazy
layers (LazyConv2d, LazyBatchNorm2d) and its shape checks, ResNet's stages (b1, block, the
head) with ResNet-18's layer-by-layer output shapes for a 96x96 image, the ResNeXt block (grouped
convolution), and a small ResNet of the same build (two stages) trained five epochs. d2l's `add_to_class` is
written as plain methods of the class, `d2l.Classifier` as `nn.Module` with `self.net`; the
training runs on a small seeded stand-in for Fashion-MNIST (96 training and 16 validation
images of 1x16x16 in place of 96x96), with the loop d2l's Trainer runs written out and its plot
printed as numbers; the ResNeXt block's check runs on 8x8 in place of 96x96."""
# rtol: 1e-4
# %% imports
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils import data

# %% residual
class Residual(nn.Module):
    """The Residual block of ResNet models."""
    def __init__(self, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1,
                                   stride=strides)
        self.conv2 = nn.LazyConv2d(num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.LazyConv2d(num_channels, kernel_size=1,
                                       stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.LazyBatchNorm2d()
        self.bn2 = nn.LazyBatchNorm2d()

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)

# %% residual_shape
torch.manual_seed(0)
blk = Residual(3)
X = torch.randn(4, 3, 6, 6)
blk(X).shape

# %% residual_block_after_call
print(blk)
Y = blk(X)
print(Y.grad_fn, Y.grad_fn.next_functions)
print(Y[0, 0])

# %% residual_downsample_shape
blk = Residual(6, use_1x1conv=True, strides=2)
blk(X).shape

# %% residual_backward
Y = blk(X)
Y.sum().backward()
print(blk.conv1.weight.grad.shape, blk.bn1.weight.grad)
print(blk.bn2.running_mean, blk.bn2.num_batches_tracked)

# %% resnet
def init_cnn(module):
    """Initialize weights for CNNs (d2l.init_cnn)."""
    if type(module) == nn.Linear or type(module) == nn.Conv2d:
        nn.init.xavier_uniform_(module.weight)

class ResNet(nn.Module):
    def b1(self):
        return nn.Sequential(
            nn.LazyConv2d(64, kernel_size=7, stride=2, padding=3),
            nn.LazyBatchNorm2d(), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

    def block(self, num_residuals, num_channels, first_block=False):
        blk = []
        for i in range(num_residuals):
            if i == 0 and not first_block:
                blk.append(Residual(num_channels, use_1x1conv=True, strides=2))
            else:
                blk.append(Residual(num_channels))
        return nn.Sequential(*blk)

    def __init__(self, arch, lr=0.1, num_classes=10):
        super(ResNet, self).__init__()
        self.lr = lr
        self.net = nn.Sequential(self.b1())
        for i, b in enumerate(arch):
            self.net.add_module(f'b{i+2}', self.block(*b, first_block=(i==0)))
        self.net.add_module('last', nn.Sequential(
            nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
            nn.LazyLinear(num_classes)))
        self.net.apply(init_cnn)

    def layer_summary(self, X_shape):
        X = torch.randn(*X_shape)
        for layer in self.net:
            X = layer(X)
            print(layer.__class__.__name__, 'output shape:\t', X.shape)

class ResNet18(ResNet):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__(((2, 64), (2, 128), (2, 256), (2, 512)),
                       lr, num_classes)

# %% resnet18_layer_summary
torch.manual_seed(0)
resnet18 = ResNet18()
resnet18.layer_summary((1, 1, 96, 96))

# %% resnet18_parameters
print(sum(p.numel() for p in resnet18.parameters()))
print(resnet18.net.b3[0])
print([name for name, _ in resnet18.net.b3[0].named_buffers()])

# %% resnext_block
class ResNeXtBlock(nn.Module):
    """The ResNeXt block."""
    def __init__(self, num_channels, groups, bot_mul, use_1x1conv=False,
                 strides=1):
        super().__init__()
        bot_channels = int(round(num_channels * bot_mul))
        self.conv1 = nn.LazyConv2d(bot_channels, kernel_size=1, stride=1)
        self.conv2 = nn.LazyConv2d(bot_channels, kernel_size=3,
                                   stride=strides, padding=1,
                                   groups=bot_channels//groups)
        self.conv3 = nn.LazyConv2d(num_channels, kernel_size=1, stride=1)
        self.bn1 = nn.LazyBatchNorm2d()
        self.bn2 = nn.LazyBatchNorm2d()
        self.bn3 = nn.LazyBatchNorm2d()
        if use_1x1conv:
            self.conv4 = nn.LazyConv2d(num_channels, kernel_size=1,
                                       stride=strides)
            self.bn4 = nn.LazyBatchNorm2d()
        else:
            self.conv4 = None

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = F.relu(self.bn2(self.conv2(Y)))
        Y = self.bn3(self.conv3(Y))
        if self.conv4:
            X = self.bn4(self.conv4(X))
        return F.relu(Y + X)

# %% resnext_shape
blk = ResNeXtBlock(32, 16, 1)
X = torch.randn(4, 32, 8, 8)
blk(X).shape

# %% resnext_grouped_conv
print(blk.conv2)
print(blk.conv2.weight.shape)

# %% data
def synthetic_fashion_mnist(n, generator, size=16):
    """A small stand-in for Fashion-MNIST (no download): 1 x size x size images of 10
    classes, each class a fixed random pattern plus noise, with labels."""
    prototypes = torch.rand((10, 1, size, size), generator=torch.Generator().manual_seed(42))
    y = torch.randint(0, 10, (n,), generator=generator)
    X = (prototypes[y] + 0.3 * torch.randn((n, 1, size, size), generator=generator)).clamp(0, 1)
    return X, y

class FashionMNIST:
    """The stand-in data with d2l.FashionMNIST's get_dataloader (train=True: shuffled)."""
    def __init__(self, batch_size=16):
        generator = torch.Generator().manual_seed(0)
        self.batch_size = batch_size
        self.train = synthetic_fashion_mnist(96, generator)
        self.val = synthetic_fashion_mnist(16, generator)

    def get_dataloader(self, train):
        tensors = self.train if train else self.val
        return data.DataLoader(data.TensorDataset(*tensors), self.batch_size, shuffle=train)

torch.manual_seed(0)
data_module = FashionMNIST(batch_size=16)

# %% trainer
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

# %% small_resnet_train
torch.manual_seed(1)
model = ResNet(((1, 64), (1, 128)), lr=0.01)
apply_init(model, [next(iter(data_module.get_dataloader(True)))[0]], init_cnn)
print(model.net.b3)
fit(model, data_module, max_epochs=5, lr=model.lr)

# %% small_resnet_eval_vs_train_mode
# after so few steps the running statistics trail the batch statistics: the validation
# accuracy with them (eval mode) and with the batch's own (train mode)
X, Y = data_module.val
with torch.no_grad():
    model.net.eval()
    print('eval mode:', accuracy(model.net(X), Y))
    model.net.train()
    print('train mode:', accuracy(model.net(X), Y))

# %% small_resnet_learned
print(model.net.b2[0].bn1.num_batches_tracked)
model.net.b2[0].bn1.weight[:4], model.net.last[2].bias[:4]
