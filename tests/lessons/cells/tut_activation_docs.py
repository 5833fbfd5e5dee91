"""PyTorch's documentation examples for the activation modules (torch.nn's docstrings:
``m = nn.GELU(); input = torch.randn(2); output = m(input)`` and so on), each seeded, with the
module's repr, its output, the output's grad_fn and, as a learner checks next, the gradient of
``output.sum()`` with respect to the input. Then the functional forms with their options
(``approximate='tanh'``, ``inplace=True``), PReLU's learned slope, a second derivative, and the
errors a learner meets."""
# %% imports
import torch
import torch.nn as nn
import torch.nn.functional as F

# %% leaky_relu
torch.manual_seed(0)
m = nn.LeakyReLU(0.1)
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% elu
torch.manual_seed(1)
m = nn.ELU()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% selu
torch.manual_seed(2)
m = nn.SELU()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% celu
torch.manual_seed(3)
m = nn.CELU()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% gelu
torch.manual_seed(4)
m = nn.GELU()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% silu
torch.manual_seed(5)
m = nn.SiLU()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% mish
torch.manual_seed(6)
m = nn.Mish()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% softplus
torch.manual_seed(7)
m = nn.Softplus()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% hardtanh
torch.manual_seed(8)
m = nn.Hardtanh(-2, 2)
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% relu6
torch.manual_seed(9)
m = nn.ReLU6()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% hardsigmoid
torch.manual_seed(10)
m = nn.Hardsigmoid()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% hardswish
torch.manual_seed(11)
m = nn.Hardswish()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% logsigmoid
torch.manual_seed(12)
m = nn.LogSigmoid()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% softsign
torch.manual_seed(13)
m = nn.Softsign()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% tanhshrink
torch.manual_seed(14)
m = nn.Tanhshrink()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% prelu
torch.manual_seed(15)
m = nn.PReLU()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% glu
torch.manual_seed(16)
m = nn.GLU()
input = torch.randn(4, 2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% softmin
torch.manual_seed(17)
m = nn.Softmin(dim=1)
input = torch.randn(2, 3)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% hardshrink
torch.manual_seed(18)
m = nn.Hardshrink()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% softshrink
torch.manual_seed(19)
m = nn.Softshrink()
input = torch.randn(2)
output = m(input)
print(m)
print(input)
print(output)
input.requires_grad_()
output = m(input)
print(output.grad_fn)
output.sum().backward()
print(input.grad)

# %% threshold
m = nn.Threshold(0, 0.5)
input = torch.arange(-3, 3)
output = m(input)
print(m)
print(output)
m = nn.Threshold(0.1, 20)
x = torch.tensor([-1.0, 0.1, 0.2, 3.0], requires_grad=True)
y = m(x)
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)

# %% module_reprs
print(nn.LeakyReLU())
print(nn.GELU(approximate='tanh'))
print(nn.Softplus(beta=1.0, threshold=20.0))
print(nn.ELU(alpha=1.0, inplace=True))
print(nn.Hardtanh(min_val=-1.0, max_val=1.0))
print(nn.PReLU(num_parameters=3))
print(nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 2), nn.LogSigmoid()))

# %% activations_and_derivatives
# d2l's "Multilayer Perceptrons" picture, for the newer activations: values and slopes
# (printed instead of plotted)
x = torch.arange(-4.0, 4.5, 1.0, requires_grad=True)
for f in (F.silu, F.mish, F.softplus, F.elu, F.leaky_relu, F.hardswish, F.logsigmoid):
    y = f(x)
    y.backward(torch.ones_like(x))
    print(f.__name__, y.detach().numpy().round(4), x.grad.numpy().round(4))
    x.grad.zero_()

# %% gelu_and_derivative  [differs: PyTorch's float32 gelu (oneDNN's, MKLDNN being on by default) is up to ~5e-7 off the exact value where 1 + erf(x) is small (gelu(-3) = -0.0040502 instead of -0.0040497); autograd_lab gives the correctly rounded value, so 4 printed decimals differ]
x = torch.arange(-4.0, 4.5, 1.0, requires_grad=True)
y = F.gelu(x)
y.backward(torch.ones_like(x))
print(y.detach().numpy().round(4), x.grad.numpy().round(4))

# %% gelu_and_derivative_float64
x = torch.arange(-4.0, 4.5, 1.0, dtype=torch.float64, requires_grad=True)
y = F.gelu(x)
y.backward(torch.ones_like(x))
print(y.detach().numpy().round(4), x.grad.numpy().round(4))

# %% gelu_tanh
torch.manual_seed(42)
input = torch.randn(5, requires_grad=True)
exact = F.gelu(input)
approx = F.gelu(input, approximate='tanh')
print(exact)
print(approx)
print((exact - approx).abs().max())
approx.sum().backward()
print(input.grad)

# %% inplace
torch.manual_seed(7)
x = torch.randn(4, requires_grad=True)
h = x * 2
out = F.leaky_relu(h, 0.2, inplace=True)
print(out is h, h._version, h.grad_fn)
h.sum().backward()
print(x.grad)
x.grad = None
h = x * 2
out = nn.ELU(inplace=True)(h)
print(h.grad_fn, h.grad_fn._saved_alpha, h.grad_fn._saved_scale)
h.sum().backward()
print(x.grad)

# %% prelu_learns_its_slope
torch.manual_seed(0)
m = nn.PReLU()
print(m.weight)
input = torch.randn(8)
target = torch.where(input > 0, input, 0.1 * input)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
for step in range(5):
    opt.zero_grad()
    loss = ((m(input) - target) ** 2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 6), m.weight.data)

# %% second_derivative
x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
y = F.gelu(x)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g, g.grad_fn)
(h,) = torch.autograd.grad(g.sum(), x)
print(h)
y = F.softplus(x)
(g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g.grad_fn, g.grad_fn.next_functions)

# %% gelu_bad_approximate
F.gelu(torch.randn(2), approximate='foo')

# %% glu_odd
nn.GLU()(torch.randn(4, 3))

# %% prelu_channels
nn.PReLU(num_parameters=3)(torch.randn(2, 4))
