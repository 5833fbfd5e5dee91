"""nn-zero-to-hero, makemore part 2 (MLP): the dataset of 3-character contexts, the embedding
lookup C[X], emb.view, the tanh hidden layer, the softmax by hand then F.cross_entropy,
minibatches with torch.randint, the learning-rate sweep over 10**torch.linspace(-3, 0, 1000),
train/dev/test splits and sampling names from the trained model. A small made-up list of names
stands in for names.txt, training runs a few hundred steps, and plots are printed numbers."""
# rtol: 1e-4
# %% imports_and_words
import torch
import torch.nn.functional as F
words = ['emma', 'olivia', 'ava', 'isabella', 'sophia', 'charlotte', 'mia', 'amelia',
         'harper', 'evelyn', 'abigail', 'emily', 'elizabeth', 'mila', 'ella', 'avery',
         'sofia', 'camila', 'aria', 'scarlett', 'victoria', 'madison', 'luna', 'grace',
         'chloe', 'penelope', 'layla', 'riley', 'zoey', 'nora', 'lily', 'eleanor', 'hannah',
         'lillian', 'addison', 'aubrey', 'ellie', 'stella', 'natalie', 'zoe', 'leah',
         'hazel', 'violet', 'aurora', 'savannah', 'audrey', 'brooklyn', 'bella', 'claire',
         'skylar', 'liam', 'noah', 'william', 'james', 'logan', 'benjamin', 'mason',
         'elijah', 'oliver', 'jacob', 'lucas', 'michael', 'alexander', 'ethan', 'daniel',
         'matthew', 'aiden', 'henry', 'joseph', 'jackson', 'samuel', 'sebastian', 'david',
         'carter', 'wyatt', 'jayden', 'john', 'owen', 'dylan', 'luke', 'gabriel', 'anthony',
         'isaac', 'grayson', 'jack', 'julian', 'levi', 'christopher', 'joshua', 'andrew',
         'lincoln', 'mateo', 'ryan', 'jaxon', 'nathan', 'aaron', 'isaiah', 'thomas',
         'charles', 'caleb', 'quinn', 'xavier', 'kai', 'theo', 'felix', 'hugo', 'max', 'jude',
         'gwen', 'ivy', 'rex', 'uma', 'yara', 'zack', 'boris', 'fritz', 'kwame', 'tobias']
print(words[:8])
len(words)

# %% vocabulary
# build the vocabulary of characters and mappings to/from integers
chars = sorted(list(set(''.join(words))))
stoi = {s:i+1 for i,s in enumerate(chars)}
stoi['.'] = 0
itos = {i:s for s,i in stoi.items()}
print(itos)

# %% dataset
block_size = 3 # context length: how many characters do we take to predict the next one?
X, Y = [], []
for w in words[:5]:

  print(w)
  context = [0] * block_size
  for ch in w + '.':
    ix = stoi[ch]
    X.append(context)
    Y.append(ix)
    print(''.join(itos[i] for i in context), '--->', itos[ix])
    context = context[1:] + [ix] # crop and append

X = torch.tensor(X)
Y = torch.tensor(Y)
X.shape, X.dtype, Y.shape, Y.dtype

# %% embedding
C = torch.randn((27, 2))
print(C[5])
print(F.one_hot(torch.tensor(5), num_classes=27).float() @ C)
print(C[[5,6,7]])
print(C[torch.tensor([5,6,7,7,7,7])])
print(C[X].shape)
print(X[13,2])
print(C[X][13,2])
print(C[1])
emb = C[X]
emb.shape

# %% concatenate_views
W1 = torch.randn((6, 100))
b1 = torch.randn(100)
print(torch.cat([emb[:, 0, :], emb[:, 1, :], emb[:, 2, :]], 1).shape)
print(torch.cat(torch.unbind(emb, 1), 1).shape)
a = torch.arange(18)
print(a.shape)
print(a.view(2, 9))
print(a.view(3, 3, 2))
print(emb.view(32, 6) == torch.cat(torch.unbind(emb, 1), 1))
h = torch.tanh(emb.view(-1, 6) @ W1 + b1)
print(h)
h.shape

# %% softmax_by_hand
W2 = torch.randn((100, 27))
b2 = torch.randn(27)
logits = h @ W2 + b2
print(logits.shape)
counts = logits.exp()
prob = counts / counts.sum(1, keepdims=True)
print(prob.shape)
print(prob[0].sum())
loss = -prob[torch.arange(32), Y].log().mean()
loss

# %% splits
def build_dataset(words):
  X, Y = [], []
  for w in words:

    #print(w)
    context = [0] * block_size
    for ch in w + '.':
      ix = stoi[ch]
      X.append(context)
      Y.append(ix)
      #print(''.join(itos[i] for i in context), '--->', itos[ix])
      context = context[1:] + [ix] # crop and append

  X = torch.tensor(X)
  Y = torch.tensor(Y)
  print(X.shape, Y.shape)
  return X, Y

import random
random.seed(42)
random.shuffle(words)
n1 = int(0.8*len(words))
n2 = int(0.9*len(words))

Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

# %% respectable
g = torch.Generator().manual_seed(2147483647) # for reproducibility
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters)) # number of parameters in total
for p in parameters:
  p.requires_grad = True

# %% cross_entropy_vs_by_hand
emb = C[Xtr[:32]]
h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
logits = h @ W2 + b2
counts = logits.exp()
prob = counts / counts.sum(1, keepdims=True)
print(-prob[torch.arange(32), Ytr[:32]].log().mean())
print(F.cross_entropy(logits, Ytr[:32]))
logits = torch.tensor([-100, -3, 0, 100])
counts = logits.exp()
probs = counts / counts.sum()
probs

# %% lr_sweep
lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
print(lre[:3], lrs[:3], lrs[-1])
lri = []
lossi = []
for i in range(100):

  # minibatch construct
  ix = torch.randint(0, Xtr.shape[0], (32,))

  # forward pass
  emb = C[Xtr[ix]] # (32, 3, 10)
  h = torch.tanh(emb.view(-1, 30) @ W1 + b1) # (32, 200)
  logits = h @ W2 + b2 # (32, 27)
  loss = F.cross_entropy(logits, Ytr[ix])

  # backward pass
  for p in parameters:
    p.grad = None
  loss.backward()

  # update
  lr = lrs[i*10]
  for p in parameters:
    p.data += -lr * p.grad

  # track stats
  lri.append(lre[i*10])
  lossi.append(loss.item())
# (the lecture plots lri against lossi)
for k in range(0, 100, 20):
  print(f'{lri[k].item():.3f} {lossi[k]:.4f}')

# %% train
g = torch.Generator().manual_seed(2147483647) # for reproducibility
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g)
b1 = torch.randn(200, generator=g)
W2 = torch.randn((200, 27), generator=g)
b2 = torch.randn(27, generator=g)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
  p.requires_grad = True
stepi = []
lossi = []
for i in range(300):

  # minibatch construct
  ix = torch.randint(0, Xtr.shape[0], (32,))

  # forward pass
  emb = C[Xtr[ix]] # (32, 3, 10)
  h = torch.tanh(emb.view(-1, 30) @ W1 + b1) # (32, 200)
  logits = h @ W2 + b2 # (32, 27)
  loss = F.cross_entropy(logits, Ytr[ix])
  #print(loss.item())

  # backward pass
  for p in parameters:
    p.grad = None
  loss.backward()

  # update
  #lr = lrs[i]
  lr = 0.1 if i < 200 else 0.01
  for p in parameters:
    p.data += -lr * p.grad

  # track stats
  #lri.append(lre[i])
  stepi.append(i)
  lossi.append(loss.log10().item())
# (the lecture plots stepi against lossi)
print([round(v, 3) for v in lossi[::50]])

# %% evaluate
emb = C[Xtr] # (32, 3, 2)
h = torch.tanh(emb.view(-1, 30) @ W1 + b1) # (32, 100)
logits = h @ W2 + b2 # (32, 27)
loss = F.cross_entropy(logits, Ytr)
print(loss)
emb = C[Xdev] # (32, 3, 2)
h = torch.tanh(emb.view(-1, 30) @ W1 + b1) # (32, 100)
logits = h @ W2 + b2 # (32, 27)
loss = F.cross_entropy(logits, Ydev)
loss

# %% embedding_scatter
# (the lecture scatters dimensions 0 and 1 of C with each character written on its point)
for i in range(5):
    print(itos[i], round(C[i,0].item(), 4), round(C[i,1].item(), 4))
print(C[:,0].data.shape)

# %% sample
context = [0] * block_size
print(C[torch.tensor([context])].shape)

# sample from the model
g = torch.Generator().manual_seed(2147483647 + 10)

for _ in range(20):

    out = []
    context = [0] * block_size # initialize with all ...
    while True:
      emb = C[torch.tensor([context])] # (1,block_size,d)
      h = torch.tanh(emb.view(1, -1) @ W1 + b1)
      logits = h @ W2 + b2
      probs = F.softmax(logits, dim=1)
      ix = torch.multinomial(probs, num_samples=1, generator=g).item()
      context = context[1:] + [ix]
      out.append(ix)
      if ix == 0:
        break

    print(''.join(itos[i] for i in out))
