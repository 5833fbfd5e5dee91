"""d2l.ai (PyTorch edition), Builders' Guide: "Parameter Management" (state_dict, bias.data,
grad, named_parameters, nested blocks, tied parameters), "Parameter Initialization" (apply with
nn.init.normal_/zeros_/constant_/xavier_uniform_, a custom init, setting .data directly) and
"Lazy Initialization"."""
# %% mlp
import torch
from torch import nn

torch.manual_seed(0)
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
X = torch.rand(size=(2, 4))
net(X).shape

# %% state_dict
net[2].state_dict()

# %% targeted
type(net[2].bias), net[2].bias.data

# %% grad_none
net[2].weight.grad == None

# %% all_at_once
[(name, param.shape) for name, param in net.named_parameters()]

# %% by_name
print(*[(name, param.shape) for name, param in net[0].named_parameters()])
net.state_dict()['2.bias'].data

# %% nested_blocks
def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(),
                         nn.Linear(8, 4), nn.ReLU())

def block2():
    net = nn.Sequential()
    for i in range(4):
        # Nested here
        net.add_module(f'block {i}', block1())
    return net

rgnet = nn.Sequential(block2(), nn.Linear(4, 1))
print(rgnet(X))
print(rgnet)
rgnet[0][1][0].bias.data

# %% tied
# We need to give the shared layer a name so that we can refer to its
# parameters
shared = nn.LazyLinear(8)
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(),
                    shared, nn.ReLU(),
                    shared, nn.ReLU(),
                    nn.LazyLinear(1))

net(X)
# Check whether the parameters are the same
print(net[2].weight.data[0] == net[4].weight.data[0])
net[2].weight.data[0, 0] = 100
# Make sure that they are actually the same object rather than just having the
# same value
print(net[2].weight.data[0] == net[4].weight.data[0])

# %% tied_gradients
net.zero_grad()
net(X).sum().backward()
print(len(list(net.parameters())), net[2].weight.grad is net[4].weight.grad)
net[2].bias.grad

# %% init_mlp
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), nn.LazyLinear(1))
X = torch.rand(size=(2, 4))
net(X).shape

# %% init_normal
def init_normal(module):
    if type(module) == nn.Linear:
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)

net.apply(init_normal)
net[0].weight.data[0], net[0].bias.data[0]

# %% init_constant
def init_constant(module):
    if type(module) == nn.Linear:
        nn.init.constant_(module.weight, 1)
        nn.init.zeros_(module.bias)

net.apply(init_constant)
net[0].weight.data[0], net[0].bias.data[0]

# %% init_per_block
def init_xavier(module):
    if type(module) == nn.Linear:
        nn.init.xavier_uniform_(module.weight)

def init_42(module):
    if type(module) == nn.Linear:
        nn.init.constant_(module.weight, 42)

net[0].apply(init_xavier)
net[2].apply(init_42)
print(net[0].weight.data[0])
print(net[2].weight.data)

# %% custom_init
def my_init(module):
    if type(module) == nn.Linear:
        print("Init", *[(name, param.shape)
                        for name, param in module.named_parameters()][0])
        nn.init.uniform_(module.weight, -10, 10)
        module.weight.data *= module.weight.data.abs() >= 5

net.apply(my_init)
net[0].weight[:2]

# %% set_directly
net[0].weight.data[:] += 1
net[0].weight.data[0, 0] = 42
net[0].weight.data[0]

# %% lazy_uninitialized
net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
net[0].weight

# %% lazy_after_forward
X = torch.rand(2, 20)
net(X)

net[0].weight.shape

# %% lazy_apply_init
def apply_init(net, inputs, init=None):
    """d2l's Module.apply_init: a dry run to give lazy layers their shapes, then init."""
    net(*inputs)
    if init is not None:
        net.apply(init)

def init_cnn(module):
    if type(module) == nn.Linear:
        nn.init.xavier_uniform_(module.weight)

net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10))
apply_init(net, [torch.rand(2, 20)], init_cnn)
print(net)
net[2].weight.shape, net[2].bias.data[:3]

# %% lazy_exercise_wrong_input
net(torch.rand(2, 30))
