"""d2l.ai (PyTorch edition), Preliminaries, "Automatic Differentiation": y = 2 x.x, resetting
the gradient, backward of a non-scalar with gradient=, detaching computation, Python control
flow, and the section's exercises (backward twice, a vector input to the control-flow function,
the derivative of sin without its formula, a second-price auction)."""
# %% simple_function
import torch

x = torch.arange(4.0)
x

# %% requires_grad
x.requires_grad_(True)
x.grad  # The gradient is None by default

# %% y_dot
y = 2 * torch.dot(x, x)
y

# %% backward
y.backward()
x.grad

# %% check_grad
x.grad == 4 * x

# %% reset_and_sum
x.grad.zero_()  # Reset the gradient
y = x.sum()
y.backward()
x.grad

# %% non_scalar
x.grad.zero_()
y = x * x
y.backward(gradient=torch.ones(len(y)))  # Faster: y.sum().backward()
x.grad

# %% detach
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x

z.sum().backward()
x.grad == u

# %% detach_y_still_recorded
x.grad.zero_()
y.sum().backward()
x.grad == 2 * x

# %% control_flow_def
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

# %% control_flow_grad
torch.manual_seed(0)
a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
print(a, d)
a.grad == d / a

# %% exercise_backward_twice
x = torch.arange(4.0, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward()
y.backward()

# %% exercise_backward_twice_retained
x = torch.arange(4.0, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward(retain_graph=True)
y.backward()
x.grad

# %% exercise_vector_input_fails
torch.manual_seed(1)
a = torch.randn(size=(3,), requires_grad=True)
d = f(a)
d.backward()

# %% exercise_vector_input
d = f(a)
d.sum().backward()
print(d)
a.grad == d / a

# %% exercise_matrix_input
torch.manual_seed(2)
a = torch.randn(size=(2, 2), requires_grad=True)
d = f(a)
d.backward(gradient=torch.ones_like(d))
a.grad, d / a

# %% exercise_sin_derivative
x = torch.linspace(-3.0, 3.0, 9, requires_grad=True)
y = torch.sin(x)
y.backward(gradient=torch.ones_like(y))
print(y.detach())
print(x.grad)
print(torch.allclose(x.grad, torch.cos(x.detach())))

# %% exercise_second_price_auction
bids = torch.tensor([3.0, 7.5, 5.0, 6.25], requires_grad=True)
top2 = torch.topk(bids, 2)
price = top2.values[1]  # the winner pays the second-highest bid
price.backward()
print(top2.indices, price)
bids.grad
