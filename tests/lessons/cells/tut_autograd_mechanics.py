"""PyTorch's note "Autograd mechanics": excluding subgraphs (requires_grad), locally disabling
gradients (grad, no-grad and inference modes, evaluation mode), saved tensors, in-place
correctness checks, multithreaded autograd, backward hooks and their execution, hooks for saved
tensors (the temporary-file store kept in memory: no file IO) and the default hooks."""
# %% requires_grad
import torch

torch.manual_seed(0)
x = torch.randn(5, 5)  # requires_grad=False by default
y = torch.randn(5, 5)  # requires_grad=False by default
z = torch.randn((5, 5), requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad)

# %% freeze
from torch import nn, optim

model = nn.Sequential(nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4))
for param in model.parameters():
    param.requires_grad = False
# Replace the last fully-connected layer
# Parameters of newly constructed modules have requires_grad=True by default
model[2] = nn.Linear(6, 3)
# Optimize only the classifier
optimizer = optim.SGD(model[2].parameters(), lr=1e-2, momentum=0.9)
out = model(torch.randn(2, 8))
print(out.requires_grad, out.grad_fn)
out.sum().backward()
print([p.grad is None for p in model.parameters()])

# %% requires_grad_module
model.requires_grad_()
print([p.requires_grad for p in model.parameters()])
model.requires_grad_(False)
print([p.requires_grad for p in model.parameters()])

# %% grad_modes
x = torch.ones(3, requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad)
with torch.inference_mode():
    w = x * 2
print(w.requires_grad, w.is_inference(), y.is_inference())
print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())

# %% inference_tensor_in_graph
try:
    (x * w).sum().backward()
except RuntimeError as e:
    print(e)

# %% inference_inplace
try:
    w.add_(1)
except RuntimeError as e:
    print(e)
v = w.clone()
v.add_(1)
print(v, v.is_inference())

# %% eval_mode
net = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
print(net.training, net[1].training)
net.eval()
print(net.training, net[1].training)
with torch.no_grad():
    print(torch.equal(net(torch.ones(1, 3)), net(torch.ones(1, 3))))
net.train()
print(net.training)

# %% saved_self
x = torch.randn(5, requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self))  # True
print(x is y.grad_fn._saved_self)  # True

# %% saved_result
x = torch.randn(5, requires_grad=True)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))  # True
print(y is y.grad_fn._saved_result)  # False

# %% inplace_check
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a.sigmoid()
print(b._version)
b.mul_(2)
print(b._version)
try:
    b.sum().backward()
except RuntimeError as e:
    print(e)

# %% multithreading
import threading

# Define a train function to be used in different threads
def train_fn():
    x = torch.ones(5, 5, requires_grad=True)
    # forward
    y = (x + 3) * (x + 4) * 0.5
    # backward
    y.sum().backward()
    # potential optimizer update
    results.append(x.grad.sum().item())

results = []
# User write their own threading code to drive the train_fn
threads = []
for _ in range(10):
    p = threading.Thread(target=train_fn, args=())
    p.start()
    threads.append(p)

for p in threads:
    p.join()
print(results)

# %% hooks_tensor
a = torch.tensor([1., 2.], requires_grad=True)
b = a * 3
b.register_hook(lambda grad: print("grad of b", grad))
b.register_hook(lambda grad: grad * 10)
b.retain_grad()
c = b.sum()
c.backward()
print(a.grad, b.grad)

# %% hooks_fired
# Whether a hook fires depends on whether its tensor's gradient is computed
a = torch.tensor(2., requires_grad=True)
b = torch.tensor(3., requires_grad=True)
c = a * b
a.register_hook(lambda g: print("hook on a", g))
b.register_hook(lambda g: print("hook on b", g))
c.grad_fn.register_prehook(lambda gO: print("pre-hook of", c.grad_fn.name(), gO))
c.grad_fn.register_hook(lambda gI, gO: print("post-hook of", c.grad_fn.name(), gI, gO))
print(torch.autograd.grad(c, inputs=(a,)))

# %% hook_inplace
def fn(grad):
    print("hook:", grad)
    return grad * 2

t = torch.tensor(1., requires_grad=True).sin()
t.cos_()
t.register_hook(fn)
t.backward()
t = torch.tensor(1., requires_grad=True).sin()
t.register_hook(fn)
t.cos_()
t.backward()

# %% saved_hooks_one
def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x

torch.manual_seed(1)
x = torch.randn(5, requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
y.sum().backward()
print(x.grad)

# %% saved_hooks_twice
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)

# %% saved_hooks_unpack_type
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(lambda x: x, lambda x: "not a tensor")
y.sum().backward()

# %% saved_hooks_after_free
y = x.pow(2)
y.sum().backward()
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)

# %% temp_file_store
# The note's SelfDeletingTempFile writes each saved tensor to disk with torch.save and reads it
# back with torch.load; here the "disk" is a dictionary.
import uuid

disk = {}

class SelfDeletingTempFile():
    def __init__(self):
        self.name = str(uuid.UUID(int=len(disk) + 1))

    def __del__(self):
        del disk[self.name]

def pack_hook(tensor):
    temp_file = SelfDeletingTempFile()
    disk[temp_file.name] = tensor.detach().clone()
    return temp_file

def unpack_hook(temp_file):
    return disk[temp_file.name]

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = (x.exp() * x).sin().sum()
print(sorted(disk))
y.backward()
print(x.grad)
print(len(disk))

# %% default_hooks_model
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)

    def forward(self, x):
        with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
            # ... compute output
            output = self.lin(x).tanh()
        return output

torch.manual_seed(2)
model = Model()
out = model(torch.randn(4, 3))
print(len(disk))
out.sum().backward()
print(model.lin.weight.grad)
print(len(disk))

# %% threshold
SAVE_ON_DISK_THRESHOLD = 4

def pack_hook(x):
    if x.numel() < SAVE_ON_DISK_THRESHOLD:
        return x.detach()
    temp_file = SelfDeletingTempFile()
    disk[temp_file.name] = x.detach().clone()
    return temp_file

def unpack_hook(tensor_or_sctf):
    if isinstance(tensor_or_sctf, torch.Tensor):
        return tensor_or_sctf
    return disk[tensor_or_sctf.name]

a = torch.tensor([1., 2.], requires_grad=True)
b = torch.arange(6.).reshape(2, 3).requires_grad_()
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    c = (a.view(1, 2) @ b).pow(2).sum()
print(len(disk))
c.backward()
print(a.grad, b.grad, len(disk))

# %% hooks_nesting
def loud(name):
    return (lambda t: (print(name, "packs", tuple(t.shape)), t.detach())[1],
            lambda t: (print(name, "unpacks", tuple(t.shape)), t)[1])

x = torch.ones(2, 2, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(*loud("outer")):
    y = x * x
    with torch.autograd.graph.saved_tensors_hooks(*loud("inner")):
        z = y.exp()
(z.sum() + y.sum()).backward()
print(x.grad)

# %% scale_hooks
x = torch.tensor([1., 2., 3.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda x: x * 4, lambda x: x / 4):
    y = x * x
y.sum().backward()
print(x.grad)

# %% save_on_cpu
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.], requires_grad=True)
c = torch.tensor([5., 6.], requires_grad=True)

def f(a, b, c):
    prod_1 = a * b           # a and b are saved as usual
    with torch.autograd.graph.save_on_cpu():
        prod_2 = prod_1 * c  # prod_1 and c are saved by the hooks
    y = prod_2 * a           # prod_2 and a are saved as usual
    return y

y = f(a, b, c)
y.sum().backward()
print(a.grad, b.grad, c.grad)
