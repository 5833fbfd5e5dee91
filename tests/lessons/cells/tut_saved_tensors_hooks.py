"""PyTorch tutorial "Hooks for autograd saved tensors": saved tensors (_saved_self,
_saved_other, _saved_result), packing and unpacking, saved_tensors_hooks, the unconventional
pack results (an int, a tuple, a str), saving to CPU (save_on_cpu, a SaveToCpu module), and
saving to disk. The disk is a dictionary here (torch.save/torch.load and os.remove become a
store, a lookup and a deletion: no file IO); the torchviz pictures are left out."""
# %% saved
import torch

torch.manual_seed(0)
a = torch.randn(5, requires_grad=True)
b = torch.ones(5, requires_grad=True)
y = a * b

print(y.grad_fn._saved_self)
print(y.grad_fn._saved_other)

# %% deeper
def f(x):
    return x * x

x = torch.randn(5, requires_grad=True)
y = f(f(f(x)))
print(y.grad_fn._saved_self.grad_fn, y.grad_fn.next_functions[0][0]._saved_self.grad_fn)

# %% same_object
a = torch.randn(5, requires_grad=True)
b = torch.ones(5, requires_grad=True)
y = a * b

print(y.grad_fn._saved_self is a)   # True
print(y.grad_fn._saved_other is b)  # True

# %% result
a = torch.randn(5, requires_grad=True)
y = torch.exp(a)
print(y.grad_fn._saved_result.equal(y))  # True
print(y.grad_fn._saved_result is y)      # False

# %% hooks
def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x
a = torch.ones(5, requires_grad=True)
b = torch.ones(5, requires_grad=True) * 2

with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * b

y.sum().backward()

# %% scaled
x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda x: x * 4, lambda x: x / 4):
    y = torch.pow(x, 2)
y.sum().backward()
assert(x.grad.equal(2 * x))
print(x.grad)

# %% returning_int
# Returning the index of a Python list
# Relatively harmless but with debatable usefulness

storage = []

def pack(x):
    storage.append(x)
    return len(storage) - 1

def unpack(x):
    return storage[x]

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x * x
y.sum().backward()

assert(x.grad.equal(2 * x))
print(len(storage))

# %% returning_tuple
# Returning some tensor and a function how to unpack it
# Quite unlikely to be useful in its current form

def pack(x):
    delta = torch.randn(*x.size())
    return x - delta, lambda x: x + delta

def unpack(packed):
    x, f = packed
    return f(x)


x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x * x
y.sum().backward()

assert(torch.allclose(x.grad, 2 * x))
print(x.grad)

# %% returning_str
# Returning the __repr__ of the tensor
# Probably never do this

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda x: repr(x), lambda x: eval("torch." + x)):
    y = x * x
y.sum().backward()
assert(torch.all(x.grad - 2 * x <= 1e-4))
print(x.grad)

# %% cpu
def pack_hook(x):
    return (x.device, x.cpu())

def unpack_hook(packed):
    device, tensor = packed
    return tensor.to(device)

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x * x
y.sum().backward()

torch.allclose(x.grad, (2 * x))

# %% cpu_hooks
x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = x * x
y.sum().backward()

torch.allclose(x.grad, (2 * x))

# %% save_on_cpu
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(5))

    def forward(self, x):
        with torch.autograd.graph.save_on_cpu(pin_memory=True):
            # some computation
            return self.w * x

x = torch.randn(5)
model = Model()
loss = model(x).sum()
loss.backward()
print(model.w.grad.equal(x))

# %% save_to_cpu_module
class SaveToCpu(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *args, **kwargs):
        with torch.autograd.graph.save_on_cpu(pin_memory=True):
            return self.module(*args, **kwargs)

model = nn.Sequential(
    nn.Linear(10, 100),
    SaveToCpu(nn.Linear(100, 100)),
    nn.Linear(100, 10),
)

x = torch.randn(10)
loss = model(x).sum()
loss.backward()
print(model)
print(model[1].module.weight.grad.sum())

# %% disk_incorrect
# Incorrect version - HINT: Don't do this
# (the "disk" is a dictionary: torch.save stores, torch.load reads, os.remove deletes)
import uuid

disk = {}

def pack_hook(tensor):
    name = str(uuid.UUID(int=len(disk) + 1))
    disk[name] = tensor.clone()
    return name

def unpack_hook(name):
    tensor = disk[name]
    del disk[name]
    return tensor

x = torch.ones(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = x.pow(2)
print(y.grad_fn._saved_self)
try:
    print(y.grad_fn._saved_self)
    print("Double access succeeded!")
except:
    print("Double access failed!")

# %% disk_self_deleting
class SelfDeletingTempFile():
    def __init__(self):
        self.name = str(uuid.uuid4())

    def __del__(self):
        del disk[self.name]

def pack_hook(tensor):
    temp_file = SelfDeletingTempFile()
    disk[temp_file.name] = tensor.clone()
    return temp_file

def unpack_hook(temp_file):
    return disk[temp_file.name]

x = torch.ones(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = x.pow(2)
print(y.grad_fn._saved_self)
print(y.grad_fn._saved_self)
print(len(disk))
y.sum().backward()
print(len(disk), x.grad)

# %% save_to_disk_module
# Only save on disk tensors that have size >= 1000
SAVE_ON_DISK_THRESHOLD = 1000

def pack_hook(x):
    if x.numel() < SAVE_ON_DISK_THRESHOLD:
        return x
    temp_file = SelfDeletingTempFile()
    disk[temp_file.name] = x.clone()
    return temp_file

def unpack_hook(tensor_or_sctf):
    if isinstance(tensor_or_sctf, torch.Tensor):
        return tensor_or_sctf
    return disk[tensor_or_sctf.name]

class SaveToDisk(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *args, **kwargs):
        with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
            return self.module(*args, **kwargs)

net = SaveToDisk(nn.Linear(2000, 3))
out = net(torch.randn(1, 2000)).sum()
print(len(disk))
out.backward()
print(len(disk), net.module.bias.grad)

# %% data_parallel
net = nn.DataParallel(SaveToDisk(Model()))
print(net)
