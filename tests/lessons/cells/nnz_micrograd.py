"""nn-zero-to-hero, the micrograd lecture: the cells that run the same neuron in PyTorch
(torch.Tensor([...]).double(), tanh, backward, the leaf gradients) to check micrograd's
numbers, and the lecture's look at a tensor's .data, .grad and item()."""
# %% neuron_in_torch
import torch

x1 = torch.Tensor([2.0]).double()                ; x1.requires_grad = True
x2 = torch.Tensor([0.0]).double()                ; x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double()               ; w1.requires_grad = True
w2 = torch.Tensor([1.0]).double()                ; w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double()  ; b.requires_grad = True
n = x1*w1 + x2*w2 + b
o = torch.tanh(n)

print(o.data.item())
o.backward()

print('---')
print('x2', x2.grad.item())
print('w2', w2.grad.item())
print('x1', x1.grad.item())
print('w1', w1.grad.item())

# %% tensor_anatomy
print(x1, x1.dtype, x1.shape)
print(o)
print(o.grad_fn, o.grad_fn.next_functions)
print(torch.Tensor([[1, 2, 3], [4, 5, 6]]))
print(torch.Tensor([[1, 2, 3], [4, 5, 6]]).shape)
o.item()

# %% float_default
# without .double() the lecture notes the numbers are float32
x = torch.Tensor([2.0]); x.requires_grad = True
y = torch.tanh(x * -3.0 + 6.8813735870195432)
y.backward()
print(y.dtype, y.item(), x.grad.item())

# %% non_leaf_grad
n.grad
