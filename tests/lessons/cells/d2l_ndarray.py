"""d2l.ai (PyTorch edition), Preliminaries, "Data Manipulation": creating tensors, operations,
broadcasting, indexing and slicing, saving memory, conversion to other Python objects."""
# %% getting_started
import torch

x = torch.arange(12, dtype=torch.float32)
x

# %% numel_shape
print(x.numel())
x.shape

# %% reshape
X = x.reshape(3, 4)
X

# %% reshape_inferred
print(x.reshape(-1, 4).shape, x.reshape(3, -1).shape)

# %% zeros_ones
print(torch.zeros((2, 3, 4)))
torch.ones((2, 3, 4))

# %% randn
torch.manual_seed(0)
torch.randn(3, 4)

# %% tensor_from_list
torch.tensor([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])

# %% indexing_slicing
print(X[-1], X[1:3])

# %% write_element
X[1, 2] = 17
X

# %% write_slice
X[:2, :] = 12
X

# %% elementwise_exp
torch.exp(x)

# %% elementwise_ops
x = torch.tensor([1.0, 2, 4, 8])
y = torch.tensor([2, 2, 2, 2])
x + y, x - y, x * y, x / y, x ** y

# %% concatenate
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1)

# %% equality
X == Y

# %% sum
X.sum()

# %% broadcasting
a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
print(a, b)
a + b

# %% saving_memory_id
before = id(Y)
Y = Y + X
id(Y) == before

# %% saving_memory_slice
Z = torch.zeros_like(Y)
print('id(Z):', id(Z) == id(Z))
before = id(Z)
Z[:] = X + Y
print('same object after Z[:] = X + Y:', id(Z) == before)

# %% saving_memory_inplace
before = id(X)
X += Y
id(X) == before

# %% to_numpy_and_back
A = X.numpy()
B = torch.from_numpy(A)
type(A), type(B)

# %% numpy_shares_memory
A[0, 0] = -1.0
print(B[0, 0], X[0, 0])

# %% to_python_scalar
a = torch.tensor([3.5])
a, a.item(), float(a), int(a)

# %% exercise_comparisons
X = torch.arange(12, dtype=torch.float32).reshape((3, 4))
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
print(X < Y)
X > Y

# %% exercise_broadcast_3d
a = torch.arange(6).reshape((3, 1, 2))
b = torch.arange(4).reshape((1, 2, 2))
(a + b).shape, a + b
