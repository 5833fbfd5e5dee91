"""d2l.ai (PyTorch edition), "Concise Implementation of Recurrent Neural Networks" (9.6) with
nn.RNN and an nn.LazyLinear output layer, then the concise models of "Long Short-Term Memory"
(10.1, nn.LSTM) and "Gated Recurrent Units" (10.2, nn.GRU): each trained a few epochs on a
short text of our own standing in for The Time Machine, with perplexity and predictions
printed. d2l's Module, Trainer and data module are written out as plain classes and a loop."""
# rtol: 1e-4
# %% data
import collections
import re
import torch
from torch import nn
from torch.nn import functional as F

raw_text = """The Time Traveller (for so it will be convenient to speak of him) was
expounding a recondite matter to us. His pale grey eyes shone and twinkled, and his
usually pale face was flushed and animated. The fire burnt brightly, and the soft
radiance of the incandescent lights in the lilies of silver caught the bubbles that
flashed and passed in our glasses. Our chairs, being his patents, embraced and
caressed us rather than submitted to be sat upon, and there was that luxurious
after-dinner atmosphere, when thought runs gracefully free of the trammels of
precision. And he put it to us in this way, marking the points with a lean forefinger,
as we sat and lazily admired his earnestness over this new paradox."""

text = re.sub('[^A-Za-z]+', ' ', raw_text).lower()
tokens = list(text)
idx_to_token = list(sorted(set(['<unk>'] + tokens)))
token_to_idx = {token: idx for idx, token in enumerate(idx_to_token)}

class Vocab:
    idx_to_token = idx_to_token
    def __len__(self):
        return len(idx_to_token)
    def __getitem__(self, token):
        return token_to_idx.get(token, 0)

vocab = Vocab()
corpus = [vocab[token] for token in tokens]
num_steps = 16
array = torch.tensor([corpus[i:i+num_steps+1]
                      for i in range(len(corpus)-num_steps)])
X, Y = array[:,:-1], array[:,1:]
train_iter = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(X, Y), batch_size=128, shuffle=True)
print(len(vocab), X.shape)

# %% rnn_lm
class RNNLMScratch(nn.Module):
    """The RNN-based language model (d2l 9.5's, kept for its loss, one_hot and predict)."""
    def __init__(self, rnn, vocab_size, lr=0.01):
        super().__init__()
        self.rnn, self.vocab_size, self.lr = rnn, vocab_size, lr
        self.init_params()

    def init_params(self):
        self.W_hq = nn.Parameter(
            torch.randn(self.rnn.num_hiddens, self.vocab_size) * 0.01)
        self.b_q = nn.Parameter(torch.zeros(self.vocab_size))

    def loss(self, Y_hat, Y):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        return F.cross_entropy(Y_hat, Y.reshape((-1,)), reduction='mean')

    def one_hot(self, X):
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

def clip_gradients(grad_clip_val, model):
    params = [p for p in model.parameters() if p.requires_grad]
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > grad_clip_val:
        for param in params:
            param.grad[:] *= grad_clip_val / norm

def fit(model, max_epochs, every):
    optimizer = torch.optim.SGD(model.parameters(), lr=model.lr)
    for epoch in range(max_epochs):
        for X, Y in train_iter:
            l = model.loss(model(X), Y)
            optimizer.zero_grad()
            l.backward()
            clip_gradients(1, model)
            optimizer.step()
        if (epoch + 1) % every == 0:
            print(f'epoch {epoch + 1}, ppl {torch.exp(l):.4f}')

# %% rnn_concise
class RNN(nn.Module):
    """The RNN model implemented with high-level APIs."""
    def __init__(self, num_inputs, num_hiddens):
        super().__init__()
        self.num_inputs, self.num_hiddens = num_inputs, num_hiddens
        self.rnn = nn.RNN(num_inputs, num_hiddens)

    def forward(self, inputs, H=None):
        return self.rnn(inputs, H)

class RNNLM(RNNLMScratch):
    """The RNN-based language model implemented with high-level APIs."""
    def init_params(self):
        self.linear = nn.LazyLinear(self.vocab_size)

    def output_layer(self, hiddens):
        return self.linear(hiddens).swapaxes(0, 1)

torch.manual_seed(0)
rnn = RNN(num_inputs=len(vocab), num_hiddens=32)
model = RNNLM(rnn, vocab_size=len(vocab), lr=1)
print(model.predict('it has', 20, vocab))
print(model)

# %% rnn_concise_shapes
outputs, H = rnn(torch.zeros(num_steps, 4, len(vocab)))
print(outputs.shape, H.shape, outputs.grad_fn, H.grad_fn)
print([(name, p.shape) for name, p in rnn.named_parameters()])

# %% rnn_concise_train
fit(model, max_epochs=12, every=4)
print(model.predict('it has', 20, vocab))

# %% lstm_concise
class LSTM(RNN):
    def __init__(self, num_inputs, num_hiddens):
        nn.Module.__init__(self)
        self.num_inputs, self.num_hiddens = num_inputs, num_hiddens
        self.rnn = nn.LSTM(num_inputs, num_hiddens)

    def forward(self, inputs, H_C=None):
        return self.rnn(inputs, H_C)

torch.manual_seed(0)
lstm = LSTM(num_inputs=len(vocab), num_hiddens=32)
outputs, (H, C) = lstm(torch.zeros(num_steps, 4, len(vocab)))
print(outputs.shape, H.shape, C.shape, outputs.grad_fn)
model = RNNLM(lstm, vocab_size=len(vocab), lr=4)
fit(model, max_epochs=4, every=2)
print(model.predict('it has', 20, vocab))

# %% gru_concise
class GRU(RNN):
    def __init__(self, num_inputs, num_hiddens):
        nn.Module.__init__(self)
        self.num_inputs, self.num_hiddens = num_inputs, num_hiddens
        self.rnn = nn.GRU(num_inputs, num_hiddens)

torch.manual_seed(0)
gru = GRU(num_inputs=len(vocab), num_hiddens=32)
print(gru)
model = RNNLM(gru, vocab_size=len(vocab), lr=4)
fit(model, max_epochs=4, every=2)
print(model.predict('it has', 20, vocab))
