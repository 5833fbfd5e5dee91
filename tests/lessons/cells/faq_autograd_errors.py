"""The classic questions about autograd errors (PyTorch forums and Stack Overflow): calling
backward twice, changing a saved tensor in place, in-place operations on a leaf, the .grad of a
non-leaf, gradients accumulating across iterations, detach() versus .data, and the other
messages learners meet (backward of a non-scalar, numpy() of a tensor that requires grad,
integer tensors that require grad, requires_grad on a non-leaf, float() of a tensor that
requires grad). Each cell is the short program the question shows, then its fix."""
# %% backward_twice
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()
y.backward()
print(x.grad)
y.backward()

# %% backward_twice_fix
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)

# %% backward_twice_through_shared_part
# a loss built on a value computed once, outside the loop
w = torch.tensor([0.5, -1.0], requires_grad=True)
hidden = w.exp()
for step in range(2):
    loss = (hidden * (step + 1)).sum()
    loss.backward()
    print(step, w.grad)

# %% inplace_on_saved_tensor
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y.add_(1)
y.sum().backward()

# %% inplace_on_saved_tensor_sigmoid
a = torch.tensor([0.5, -0.5], requires_grad=True)
b = torch.sigmoid(a)
b[0] = 0.0
b.sum().backward()

# %% inplace_on_saved_tensor_fix
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
y = y + 1  # out of place: the saved result is left as it was
y.sum().backward()
print(x.grad)

# %% inplace_after_relu_is_fine
x = torch.tensor([-1.0, 2.0], requires_grad=True)
y = torch.relu(x * 3)
z = y * 2  # mul saved y? no: it saved the number 2
y.add_(1)
z.sum().backward()
print(x.grad, y._version)

# %% inplace_on_leaf
w = torch.ones(3, requires_grad=True)
w += 1

# %% inplace_on_leaf_other_ops
w = torch.ones(3, requires_grad=True)
w.add_(1)

# %% inplace_on_leaf_fix
w = torch.ones(3, requires_grad=True)
loss = (w * torch.tensor([1.0, 2.0, 3.0])).sum()
loss.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
print(w, w.requires_grad, w.is_leaf)

# %% leaf_view_inplace
w = torch.ones(3, requires_grad=True)
v = w[:2]
v.mul_(2)

# %% grad_of_non_leaf
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
z = (y * y).sum()
z.backward()
print(y.grad)
print(x.grad)

# %% grad_of_non_leaf_fix
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
z = (y * y).sum()
z.backward()
print(y.grad, y.is_leaf, y.retains_grad)
print(x.grad)

# %% non_leaf_after_to
# a tensor made from a leaf is not a leaf: its .grad stays None
w = torch.randn(2, requires_grad=True).double()
(w * w).sum().backward()
print(w.is_leaf, w.grad_fn, w.grad)

# %% accumulation_across_iterations
x = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(3):
    loss = (x ** 2).sum()
    loss.backward()
    print(i, x.grad)

# %% accumulation_fix
x = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(3):
    if x.grad is not None:
        x.grad.zero_()
    loss = (x ** 2).sum()
    loss.backward()
    print(i, x.grad)

# %% accumulation_with_optimizer
model = torch.nn.Linear(2, 1)
with torch.no_grad():
    model.weight.fill_(0.5)
    model.bias.fill_(0.0)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
data = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
for i in range(2):
    opt.zero_grad()
    loss = model(data).pow(2).mean()
    loss.backward()
    print(i, model.weight.grad, loss.item())
    opt.step()
print(model.weight)

# %% detach_vs_data_data_is_silent
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
c = out.data
c.zero_()
print(out)
out.sum().backward()
print(a.grad)  # wrong, and nothing said so

# %% detach_vs_data_detach_is_checked
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
c = out.detach()
c.zero_()
print(out)
out.sum().backward()

# %% detach_shares_memory
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.detach()
b[0] = 10.0
print(a, b, b.requires_grad, a._version, b._version)

# %% backward_of_non_scalar
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.backward()

# %% backward_of_non_scalar_fix
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.backward(torch.ones_like(y))
print(x.grad)

# %% numpy_of_requires_grad
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.numpy()

# %% numpy_fix
print(y.detach().numpy())

# %% integer_requires_grad
torch.tensor([1, 2, 3], requires_grad=True)

# %% integer_requires_grad_method
torch.arange(3).requires_grad_()

# %% requires_grad_of_non_leaf
x = torch.tensor([1.0], requires_grad=True)
y = x * 2
y.requires_grad = False

# %% requires_grad_of_non_leaf_fix
y_const = y.detach()
print(y_const.requires_grad, y_const.is_leaf)

# %% float_of_requires_grad
x = torch.tensor([2.5], requires_grad=True)
print(float(x) * 2)

# %% no_grad_result
x = torch.tensor([1.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
print(y.requires_grad, y.grad_fn)
y.backward()

# %% grad_none_unused
x = torch.tensor([1.0], requires_grad=True)
u = torch.tensor([1.0], requires_grad=True)
(x * 3).sum().backward()
print(x.grad, u.grad)
print(torch.autograd.grad((x * 3).sum(), [x, u], allow_unused=True))
torch.autograd.grad((x * 3).sum(), [x, u])
