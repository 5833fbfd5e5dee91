"""d2l.ai (PyTorch edition), "Recurrent Neural Network Implementation from Scratch" (9.5): an RNN
with torch.randn(...) * sigma parameters, torch.tanh and torch.matmul, a character language
model on one-hot inputs (F.one_hot(X.T, vocab)), gradient clipping written by hand, prediction
with warm-up, and a few training epochs with their perplexity. A short text of our own stands
in for The Time Machine (characters, a vocabulary, sliding windows); d2l's Module and Trainer
are written out as plain classes and a training loop."""
# rtol: 1e-4
# %% rnn_scratch
import math
import collections
import re
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(0)

class RNNScratch(nn.Module):
    """The RNN model implemented from scratch."""
    def __init__(self, num_inputs, num_hiddens, sigma=0.01):
        super().__init__()
        self.num_inputs, self.num_hiddens, self.sigma = num_inputs, num_hiddens, sigma
        self.W_xh = nn.Parameter(
            torch.randn(num_inputs, num_hiddens) * sigma)
        self.W_hh = nn.Parameter(
            torch.randn(num_hiddens, num_hiddens) * sigma)
        self.b_h = nn.Parameter(torch.zeros(num_hiddens))

    def forward(self, inputs, state=None):
        if state is None:
            # Initial state with shape: (batch_size, num_hiddens)
            state = torch.zeros((inputs.shape[1], self.num_hiddens),
                                device=inputs.device)
        else:
            state, = state
        outputs = []
        for X in inputs:  # Shape of inputs: (num_steps, batch_size, num_inputs)
            state = torch.tanh(torch.matmul(X, self.W_xh) +
                               torch.matmul(state, self.W_hh) + self.b_h)
            outputs.append(state)
        return outputs, state

# %% rnn_scratch_shapes
def check_len(a, n):
    """Check the length of a list."""
    assert len(a) == n, f'list\'s length {len(a)} != expected length {n}'

def check_shape(a, shape):
    """Check the shape of a tensor."""
    assert a.shape == shape, \
            f'tensor\'s shape {a.shape} != expected shape {shape}'

batch_size, num_inputs, num_hiddens, num_steps = 2, 16, 32, 100
rnn = RNNScratch(num_inputs, num_hiddens)
X = torch.ones((num_steps, batch_size, num_inputs))
outputs, state = rnn(X)

check_len(outputs, num_steps)
check_shape(outputs[0], (batch_size, num_hiddens))
check_shape(state, (batch_size, num_hiddens))
print(len(outputs), outputs[0].shape, state.shape)
print(state[0, :5])

# %% rnn_lm_scratch
class RNNLMScratch(nn.Module):
    """The RNN-based language model implemented from scratch."""
    def __init__(self, rnn, vocab_size, lr=0.01):
        super().__init__()
        self.rnn, self.vocab_size, self.lr = rnn, vocab_size, lr
        self.init_params()

    def init_params(self):
        self.W_hq = nn.Parameter(
            torch.randn(
                self.rnn.num_hiddens, self.vocab_size) * self.rnn.sigma)
        self.b_q = nn.Parameter(torch.zeros(self.vocab_size))

    def loss(self, Y_hat, Y):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(Y_hat, Y, reduction='mean')

    def one_hot(self, X):
        # Output shape: (num_steps, batch_size, vocab_size)
        return F.one_hot(X.T, self.vocab_size).type(torch.float32)

    def output_layer(self, rnn_outputs):
        outputs = [torch.matmul(H, self.W_hq) + self.b_q for H in rnn_outputs]
        return torch.stack(outputs, 1)

    def forward(self, X, state=None):
        embs = self.one_hot(X)
        rnn_outputs, _ = self.rnn(embs, state)
        return self.output_layer(rnn_outputs)

    def predict(self, prefix, num_preds, vocab, device=None):
        state, outputs = None, [vocab[prefix[0]]]
        for i in range(len(prefix) + num_preds - 1):
            X = torch.tensor([[outputs[-1]]], device=device)
            embs = self.one_hot(X)
            rnn_outputs, state = self.rnn(embs, state)
            if i < len(prefix) - 1:  # Warm-up period
                outputs.append(vocab[prefix[i + 1]])
            else:  # Predict num_preds steps
                Y = self.output_layer(rnn_outputs)
                outputs.append(int(Y.argmax(axis=2).reshape(1)))
        return ''.join([vocab.idx_to_token[i] for i in outputs])

model = RNNLMScratch(rnn, num_inputs)
outputs = model(torch.ones((batch_size, num_steps), dtype=torch.int64))
check_shape(outputs, (batch_size, num_steps, num_inputs))
print(outputs.shape, outputs.grad_fn)

# %% one_hot
print(F.one_hot(torch.tensor([0, 2]), 5))

# %% clip_gradients
def clip_gradients(grad_clip_val, model):
    params = [p for p in model.parameters() if p.requires_grad]
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > grad_clip_val:
        for param in params:
            param.grad[:] *= grad_clip_val / norm
    return norm

# %% time_machine_stand_in
raw_text = """The Time Traveller (for so it will be convenient to speak of him) was
expounding a recondite matter to us. His pale grey eyes shone and twinkled, and his
usually pale face was flushed and animated. The fire burnt brightly, and the soft
radiance of the incandescent lights in the lilies of silver caught the bubbles that
flashed and passed in our glasses. Our chairs, being his patents, embraced and
caressed us rather than submitted to be sat upon, and there was that luxurious
after-dinner atmosphere, when thought runs gracefully free of the trammels of
precision. And he put it to us in this way, marking the points with a lean forefinger,
as we sat and lazily admired his earnestness over this new paradox."""

def preprocess(text):
    return re.sub('[^A-Za-z]+', ' ', text).lower()

def tokenize(text):
    return list(text)

class Vocab:
    """Vocabulary for text."""
    def __init__(self, tokens=[], min_freq=0, reserved_tokens=[]):
        # Flatten a 2D list if needed
        if tokens and isinstance(tokens[0], list):
            tokens = [token for line in tokens for token in line]
        # Count token frequencies
        counter = collections.Counter(tokens)
        self.token_freqs = sorted(counter.items(), key=lambda x: x[1],
                                  reverse=True)
        # The list of unique tokens
        self.idx_to_token = list(sorted(set(['<unk>'] + reserved_tokens + [
            token for token, freq in self.token_freqs if freq >= min_freq])))
        self.token_to_idx = {token: idx
                             for idx, token in enumerate(self.idx_to_token)}

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]

    def to_tokens(self, indices):
        if hasattr(indices, '__len__') and len(indices) > 1:
            return [self.idx_to_token[int(index)] for index in indices]
        return self.idx_to_token[indices]

    @property
    def unk(self):  # Index for the unknown token
        return self.token_to_idx['<unk>']

text = preprocess(raw_text)
tokens = tokenize(text)
vocab = Vocab(tokens)
corpus = [vocab[token] for token in tokens]
print(len(corpus), len(vocab))
print(','.join(tokens[:30]))
print(vocab.idx_to_token[:10])

# %% sliding_windows
num_steps = 16
array = torch.tensor([corpus[i:i+num_steps+1]
                      for i in range(len(corpus)-num_steps)])
X, Y = array[:,:-1], array[:,1:]
print(X.shape, Y.shape)
print(vocab.to_tokens(X[0]), vocab.to_tokens(Y[0]))
train_iter = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(X, Y), batch_size=128, shuffle=True)

# %% train
torch.manual_seed(1)
rnn = RNNScratch(num_inputs=len(vocab), num_hiddens=32)
model = RNNLMScratch(rnn, vocab_size=len(vocab), lr=1)
optimizer = torch.optim.SGD(model.parameters(), lr=model.lr)
print(model.predict('it has', 20, vocab))
for epoch in range(20):
    for X, Y in train_iter:
        l = model.loss(model(X), Y)
        optimizer.zero_grad()
        l.backward()
        norm = clip_gradients(1, model)
        optimizer.step()
    if (epoch + 1) % 4 == 0:
        print(f'epoch {epoch + 1}, ppl {torch.exp(l):.4f}, grad norm {norm:.4f}')

# %% predict
print(model.predict('it has', 20, vocab))
print(model.predict('the time ', 10, vocab))
