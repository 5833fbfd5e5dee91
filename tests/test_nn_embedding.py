"""nn.Embedding and F.embedding against PyTorch: the same weights after manual_seed, the same
lookups, EmbeddingBackward0 with its saved values, the weight's gradient (repeated indices
summed, padding_idx skipped, scale_grad_by_freq), double backward
(EmbeddingDenseBackwardBackward0), max_norm, from_pretrained, printing and errors; and finite
differences.
"""
import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_outcome, graph_signature


def test_module_weights_lookup_and_node():
    def program(torch):
        torch.manual_seed(0)
        emb = torch.nn.Embedding(6, 3, padding_idx=1)
        idx = torch.tensor([[0, 1, 2], [2, 5, 1]])
        out = emb(idx)
        node = out.grad_fn
        saved = (node.name(), node._saved_padding_idx, node._saved_weight_sym_argsize_0,
                 node._saved_indices, node._saved_scale_grad_by_freq, node._saved_sparse)
        signature = graph_signature(out)
        (out * out).sum().backward()
        return (repr(emb), emb.weight.detach(), out, saved, signature, emb.weight.grad)
    out = assert_same_outcome(program)
    grad = out.value[5]
    assert grad[1].tolist() == [0.0, 0.0, 0.0]  # the padding row gets nothing
    assert grad[3].tolist() == [0.0, 0.0, 0.0]  # an unused row gets nothing


def test_default_padding_shows_unsigned_and_repeats_add_up():
    def program(torch):
        w = torch.arange(12.0).reshape(4, 3).requires_grad_()
        out = torch.nn.functional.embedding(torch.tensor([3, 3, 0, 3]), w)
        out.sum().backward()
        return out.grad_fn._saved_padding_idx, w.grad
    out = assert_same_outcome(program)
    assert out.value[1][3].tolist() == [3.0, 3.0, 3.0]


def test_scale_grad_by_freq_and_negative_padding_idx():
    def program(torch):
        w = torch.ones(5, 2, requires_grad=True)
        idx = torch.tensor([[0, 0, 4], [2, 0, 4]])
        torch.nn.functional.embedding(idx, w, padding_idx=-1, scale_grad_by_freq=True
                                      ).sum().backward()
        return w.grad
    out = assert_same_outcome(program)
    assert out.value[0].tolist() == [1.0, 1.0] and out.value[4].tolist() == [0.0, 0.0]


def test_double_backward_records_pytorchs_nodes():
    def program(torch):
        torch.manual_seed(0)
        w = torch.randn(5, 3, requires_grad=True)
        y = torch.nn.functional.embedding(torch.tensor([[0, 4], [4, 2]]), w, padding_idx=0)
        g, = torch.autograd.grad((y ** 3).sum(), w, create_graph=True)
        gg, = torch.autograd.grad(g.sum(), w)
        return g, graph_signature(g), gg
    assert_same_outcome(program)


def test_max_norm_renormalises_used_rows_in_place():
    def program(torch):
        torch.manual_seed(0)
        emb = torch.nn.Embedding(4, 2, max_norm=1.0)
        before = emb.weight.detach().clone()
        emb(torch.tensor([0, 2]))
        return repr(emb), before, emb.weight.detach()
    out = assert_same_outcome(program)
    before, after = out.value[1], out.value[2]
    assert after[1].tolist() == before[1].tolist()  # rows not looked up stay as they were
    assert float(after[0].norm()) <= 1.0 + 1e-6


def test_from_pretrained_and_reprs():
    def program(torch):
        frozen = torch.nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
        return (frozen(torch.tensor([1])), frozen.weight.requires_grad,
                repr(torch.nn.Embedding(3, 2, norm_type=1.0, sparse=True,
                                        scale_grad_by_freq=True)))
    assert_same_outcome(program)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.functional.embedding(torch.tensor([5]), torch.ones(5, 2)),
    lambda torch: torch.nn.functional.embedding(torch.tensor([-1]), torch.ones(5, 2)),
    lambda torch: torch.nn.functional.embedding(torch.tensor([1.0]), torch.ones(5, 2)),
    lambda torch: torch.nn.Embedding(5, 3, padding_idx=5),
    lambda torch: torch.nn.Embedding(5, 3, padding_idx=-6),
], ids=["too_big", "negative", "float_indices", "padding_too_big", "padding_too_small"])
def test_errors(program):
    assert_same_error(program)


def test_finite_differences():
    idx = lab.tensor([[0, 2, 2], [3, 0, 1]])
    check_gradient("embedding", lambda w: lab.nn.functional.embedding(idx, w), (rand(4, 3),))
    check_second_derivative(
        "embedding", lambda w: lab.nn.functional.embedding(idx, w, padding_idx=2) ** 2,
        (rand(4, 3),))
