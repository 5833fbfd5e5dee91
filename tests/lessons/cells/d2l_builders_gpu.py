"""d2l.ai (PyTorch edition), Builders' Guide, "GPUs", as it runs on a machine without one:
devices, counting GPUs, try_gpu falling back to the CPU, tensors and a network placed with
device=, .to() and .cuda() failing as a CPU-only PyTorch fails."""
# %% devices
import torch
from torch import nn

def cpu():
    """Get the CPU device."""
    return torch.device('cpu')

def gpu(i=0):
    """Get a GPU device."""
    return torch.device(f'cuda:{i}')

cpu(), gpu(), gpu(1)

# %% num_gpus
def num_gpus():
    """Get the number of available GPUs."""
    return torch.cuda.device_count()

num_gpus()

# %% try_gpu
def try_gpu(i=0):
    """Return gpu(i) if exists, otherwise return cpu()."""
    if num_gpus() >= i + 1:
        return gpu(i)
    return cpu()

def try_all_gpus():
    """Return all available GPUs, or [cpu(),] if no GPU exists."""
    return [gpu(i) for i in range(num_gpus())]

try_gpu(), try_gpu(10), try_all_gpus()

# %% tensor_device
x = torch.tensor([1, 2, 3])
x.device

# %% create_on_device
X = torch.ones(2, 3, device=try_gpu())
X

# %% copy_to_missing_gpu
Y = torch.rand(2, 3, device=try_gpu(1))
Z = X.cuda(1)

# %% same_device_no_copy
X.to(try_gpu()) is X, X.cpu() is X

# %% network_on_device
torch.manual_seed(0)
net = nn.Sequential(nn.LazyLinear(1))
net = net.to(device=try_gpu())
net(X)

# %% parameter_device
net[0].weight.data.device

# %% is_available
torch.cuda.is_available(), torch.device('cuda' if torch.cuda.is_available() else 'cpu')
