"""nn.BatchNorm2d/3d and the lazy layers LazyBatchNorm1d/2d/3d and LazyConv2d against PyTorch:
outputs in training and evaluation, NativeBatchNormBackward0 and its saved values, gradients
and second derivatives, running statistics (momentum, cumulative average with momentum=None,
num_batches_tracked), reprs before and after a lazy layer's first call (it becomes the eager
class), UninitializedBuffer placeholders, state_dict and load_state_dict, errors word for word;
and finite differences of BatchNorm2d in training mode (float64).
"""
import copy

import pytest

import autograd_lab as lab

from gradcheck_support import check_gradient, check_second_derivative, rand
from oracle import assert_same_error, assert_same_outcome


# == BatchNorm2d / BatchNorm3d ====================================================================
def test_batchnorm2d_training_eval_gradients_and_running_statistics():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm2d(3)
        start = (repr(bn), list(bn.state_dict()), bn.running_var.clone())
        with torch.no_grad():
            bn.weight.copy_(torch.tensor([1.5, -0.5, 2.0]))
            bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
        x = (torch.randn(4, 3, 5, 2) * 3 + 1).requires_grad_()
        y = bn(x)
        node = y.grad_fn
        saved = (node.name(), node._saved_eps, node._saved_training, node._saved_result1,
                 node._saved_result2, [n for n, _ in node.next_functions])
        (y[:, 0] ** 3 + y[:, 1] * torch.arange(10.0).reshape(5, 2)).sum().backward()
        grads = (x.grad.clone(), bn.weight.grad, bn.bias.grad)
        stats = (bn.running_mean.clone(), bn.running_var.clone(), bn.num_batches_tracked)
        bn.eval()
        x.grad = None
        y_eval = bn(x)
        (y_eval * torch.arange(120.0).reshape(4, 3, 5, 2)).sum().backward()
        return start, y, saved, grads, stats, y_eval, x.grad, bn.num_batches_tracked
    out = assert_same_outcome(program, rtol=1e-4, atol=1e-5)
    assert out.value[4][2].item() == 1  # evaluation did not count a batch
    assert out.value[2][0] == "NativeBatchNormBackward0"


def test_batchnorm2d_normalizes_each_channel_over_batch_and_space():
    lab.manual_seed(0)
    x = lab.randn(6, 2, 3, 4) * lab.tensor([5.0, 0.1]).reshape(1, 2, 1, 1) + 7
    y = lab.nn.BatchNorm2d(2)(x)
    for c in range(2):
        assert abs(y[:, c].mean().item()) < 1e-5
        assert abs(y[:, c].var(unbiased=False).item() - 1) < 1e-3


def test_batchnorm2d_second_derivative_values():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm2d(2)
        x = torch.randn(3, 2, 2, 3, requires_grad=True)
        g, = torch.autograd.grad((bn(x)[:, 0] ** 3).sum(), x, create_graph=True)
        return g.detach(), torch.autograd.grad((g ** 2).sum(), x)[0]
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


def test_batchnorm2d_momentum_none_and_options():
    def program(torch):
        torch.manual_seed(0)
        cumulative = torch.nn.BatchNorm2d(2, momentum=None)
        for i in range(3):
            cumulative(torch.randn(4, 2, 3, 3) * (i + 1) + i)
        slow = torch.nn.BatchNorm2d(2, momentum=0.5, eps=1e-3)
        slow(torch.randn(3, 2, 2, 2))
        plain = torch.nn.BatchNorm2d(4, affine=False, track_running_stats=False)
        no_bias = torch.nn.BatchNorm2d(2, bias=False)
        x = torch.randn(2, 4, 3, 3)
        plain_train = plain(x)
        plain.eval()
        return (cumulative.running_mean, cumulative.running_var,
                cumulative.num_batches_tracked, repr(cumulative), slow.running_mean,
                slow.running_var, repr(slow), repr(plain), plain_train, plain(x),
                list(plain.state_dict()), repr(no_bias), list(no_bias.state_dict()),
                no_bias(torch.randn(3, 2, 1, 2)))
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


def test_batchnorm2d_state_dict_round_trip():
    def program(torch):
        torch.manual_seed(0)
        source = torch.nn.BatchNorm2d(3)
        source(torch.randn(4, 3, 2, 2))
        state = source.state_dict()
        target = torch.nn.BatchNorm2d(3)
        result = target.load_state_dict(state)
        target.eval()
        return (list(state.items()), dict(state._metadata), result, target.running_mean, target.running_var,
                target.num_batches_tracked, target(torch.ones(1, 3, 1, 1)))
    assert_same_outcome(program)


def test_batchnorm3d_values_and_gradients():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm3d(2)
        x = torch.randn(2, 2, 3, 2, 2, requires_grad=True)
        y = bn(x)
        (y ** 2 * torch.arange(48.0).reshape(2, 2, 3, 2, 2)).sum().backward()
        return repr(bn), y, x.grad, bn.weight.grad, bn.running_var, repr(y.grad_fn.name())
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.BatchNorm2d(3)(torch.randn(4, 3)),
    lambda torch: torch.nn.BatchNorm2d(3)(torch.randn(4, 3, 5)),
    lambda torch: torch.nn.BatchNorm2d(3)(torch.randn(1, 3, 2, 2, 2)),
    lambda torch: torch.nn.BatchNorm3d(3)(torch.randn(1, 3, 2, 2)),
    lambda torch: torch.nn.BatchNorm2d(3)(torch.randn(1, 3, 1, 1)),
    lambda torch: torch.nn.BatchNorm2d(3)(torch.randn(2, 4, 2, 2)),
    lambda torch: torch.nn.BatchNorm2d(3).eval()(torch.randn(2, 4, 2, 2)),
], ids=["2d_input", "3d_input", "5d_input", "bn3d_4d_input", "one_value_per_channel",
        "wrong_channels", "wrong_channels_eval"])
def test_batchnorm_errors(program):
    assert_same_error(program)


def test_batchnorm2d_training_finite_differences_float64():
    bn = lab.nn.BatchNorm2d(3, dtype=lab.float64)
    with lab.no_grad():
        bn.weight.copy_(lab.tensor([1.5, -0.7, 0.9], dtype=lab.float64))
        bn.bias.copy_(lab.tensor([0.2, 0.0, -0.4], dtype=lab.float64))
    assert bn.training
    check_gradient("BatchNorm2d (training)", lambda x: bn(x), (rand(3, 3, 2, 2),))
    F = lab.nn.functional
    f = lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True)  # noqa: E731
    check_gradient("batch_norm 4-D (training)", f,
                   (rand(2, 3, 2, 3, seed=1), rand(3, seed=2), rand(3, seed=3)))
    check_second_derivative("batch_norm 4-D (training)",
                            lambda x: f(x, bn.weight, bn.bias) ** 2, (rand(2, 3, 2, 2, seed=4),))


def test_batchnorm2d_eval_finite_differences_float64():
    bn = lab.nn.BatchNorm2d(2, dtype=lab.float64)
    bn(rand(4, 2, 2, 2, seed=5))  # running statistics that are not 0 and 1
    bn.eval()
    check_gradient("BatchNorm2d (eval)", lambda x: bn(x), (rand(2, 2, 3, 2, seed=6),))


# == lazy batch norms =============================================================================
def test_lazy_batchnorm2d_before_and_after_the_first_call():
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.LazyBatchNorm2d()
        before = (repr(bn), repr(bn.weight), repr(bn.bias), repr(bn.running_mean),
                  repr(bn.running_var), bn.num_batches_tracked, repr(bn.state_dict()),
                  repr(list(bn.named_buffers())), bn.has_uninitialized_params(),
                  type(bn).__name__)
        x = torch.randn(3, 4, 2, 2, requires_grad=True)
        y = bn(x)
        y.pow(2).sum().backward()
        return (before, y, x.grad, repr(bn), type(bn).__name__, bn.weight, bn.bias,
                bn.running_mean, bn.running_var, bn.num_batches_tracked,
                type(bn.running_mean).__name__, type(bn.weight).__name__,
                list(bn.state_dict().items()), bn._forward_pre_hooks == {})
    out = assert_same_outcome(program, rtol=1e-4, atol=1e-5)
    assert out.value[4] == "BatchNorm2d"


def test_lazy_batchnorm_is_the_eager_layer_after_the_first_call():
    lazy, eager = lab.nn.LazyBatchNorm2d(momentum=0.3), lab.nn.BatchNorm2d(5, momentum=0.3)
    lab.manual_seed(3)
    x = lab.randn(4, 5, 3, 3)
    assert lazy(x).tolist() == eager(x).tolist()
    assert isinstance(lazy, lab.nn.BatchNorm2d) and type(lazy) is lab.nn.BatchNorm2d
    assert lazy.running_var.tolist() == eager.running_var.tolist()
    assert repr(lazy) == repr(eager)


def test_lazy_batchnorm_options_and_other_dimensions():
    def program(torch):
        torch.manual_seed(0)
        no_affine = torch.nn.LazyBatchNorm1d(affine=False, momentum=None)
        untracked = torch.nn.LazyBatchNorm2d(track_running_stats=False, bias=False, eps=1e-3)
        three = torch.nn.LazyBatchNorm3d()
        before = (repr(no_affine), repr(no_affine.state_dict()), repr(untracked),
                  repr(untracked.state_dict()), repr(three))
        a = no_affine(torch.randn(5, 3))
        b = no_affine(torch.randn(5, 3, 4))
        c = untracked(torch.randn(2, 3, 2, 2))
        d = three(torch.randn(2, 2, 2, 2, 2))
        return (before, a, b, c, d, repr(no_affine), no_affine.running_mean,
                no_affine.running_var, no_affine.num_batches_tracked, repr(untracked),
                repr(untracked.state_dict()), repr(three), list(three.state_dict()))
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.LazyBatchNorm2d()(torch.randn(3, 4)),
    lambda torch: torch.nn.LazyBatchNorm1d()(torch.randn(3, 4, 2, 2)),
    lambda torch: torch.nn.LazyBatchNorm3d()(torch.randn(3, 4, 2, 2)),
    lambda torch: torch.nn.LazyBatchNorm2d()(torch.randn(1, 4, 1, 1)),
    lambda torch: torch.nn.LazyBatchNorm2d().weight.shape,
    lambda torch: torch.nn.LazyBatchNorm2d().running_mean.shape,
    lambda torch: torch.nn.LazyBatchNorm2d().running_mean + 1,
    lambda torch: torch.nn.LazyBatchNorm2d().running_var.numel(),
    lambda torch: torch.nn.LazyBatchNorm2d().running_var.zero_(),
    lambda torch: torch.zeros(3) + torch.nn.LazyBatchNorm2d().running_mean,
    lambda torch: sum(b.numel() for b in torch.nn.LazyBatchNorm2d().buffers()),
    lambda torch: copy.deepcopy(torch.nn.LazyBatchNorm2d()),
    lambda torch: torch.nn.BatchNorm2d(4).load_state_dict(
        torch.nn.LazyBatchNorm2d().state_dict()),
], ids=["bn2d_2d_input", "bn1d_4d_input", "bn3d_4d_input", "one_value_per_channel",
        "weight_shape", "buffer_shape", "buffer_add", "buffer_numel", "buffer_in_place",
        "tensor_plus_buffer", "count_buffers", "deepcopy", "load_lazy_into_eager"])
def test_lazy_batchnorm_errors(program):
    kind, message = assert_same_error(program)
    if kind == "ValueError" and "uninitialized" in message:
        assert "torch.nn.parameter.Uninitialized" in message


def test_lazy_batchnorm_load_state_dict():
    def program(torch):
        torch.manual_seed(0)
        source = torch.nn.BatchNorm2d(3)
        source(torch.randn(4, 3, 2, 2))
        lazy = torch.nn.LazyBatchNorm2d()
        result = lazy.load_state_dict(source.state_dict())
        loaded = (result, repr(lazy), type(lazy).__name__, lazy.weight, lazy.running_mean,
                  lazy.running_var, lazy.num_batches_tracked, type(lazy.running_var).__name__)
        y = lazy(torch.ones(2, 3, 1, 2))
        still = torch.nn.LazyBatchNorm2d()
        still.load_state_dict(torch.nn.LazyBatchNorm2d().state_dict())
        return (loaded, y, repr(lazy), lazy.num_batches_tracked, lazy.running_mean,
                repr(still.running_mean), still.has_uninitialized_params())
    assert assert_same_outcome(program).error is None


def test_uninitialized_buffer_itself():
    def program(torch):
        from torch.nn.parameter import UninitializedBuffer
        b = UninitializedBuffer()
        seen = (repr(b), b.requires_grad, b.dtype, b.size(), b.ndim, b.is_floating_point(),
                repr(torch.nn.UninitializedBuffer(dtype=torch.float64).dtype))
        b.materialize((2, 3))
        return seen, type(b).__name__, b.shape, b.dtype, b.requires_grad, b.is_leaf
    assert_same_outcome(program)


# == LazyConv2d ===================================================================================
def test_lazy_conv2d_before_and_after_the_first_call():
    def program(torch):
        conv = torch.nn.LazyConv2d(4, kernel_size=3, padding=1, stride=2)
        before = (repr(conv), repr(conv.weight), repr(conv.bias), repr(conv.state_dict()),
                  conv.in_channels, conv.has_uninitialized_params())
        torch.manual_seed(0)
        x = torch.randn(2, 3, 5, 5, requires_grad=True)
        y = conv(x)
        y.sum().backward()
        return (before, y, x.grad, conv.weight.grad, repr(conv), type(conv).__name__,
                conv.weight, conv.bias, conv.in_channels,
                [(k, tuple(v.shape)) for k, v in conv.state_dict().items()])
    out = assert_same_outcome(program, rtol=1e-4, atol=1e-5)
    assert out.value[5] == "Conv2d"


def test_lazy_conv2d_draws_the_numbers_an_eager_conv2d_draws():
    lazy = lab.nn.LazyConv2d(6, kernel_size=5)
    x = lab.ones(1, 2, 7, 7)
    lab.manual_seed(11)
    lazy(x)
    lab.manual_seed(11)
    eager = lab.nn.Conv2d(2, 6, kernel_size=5)
    assert lazy.weight.tolist() == eager.weight.tolist()
    assert lazy.bias.tolist() == eager.bias.tolist()
    assert repr(lazy) == repr(eager) == "Conv2d(2, 6, kernel_size=(5, 5), stride=(1, 1))"


def test_lazy_conv2d_options_unbatched_and_load_state_dict():
    def program(torch):
        torch.manual_seed(0)
        grouped = torch.nn.LazyConv2d(4, kernel_size=1, groups=2, bias=False)
        unbatched = torch.nn.LazyConv2d(2, 3)
        before = (repr(grouped), repr(grouped.state_dict()), repr(unbatched))
        a = grouped(torch.randn(2, 6, 3, 3))
        b = unbatched(torch.randn(5, 4, 4))
        source = torch.nn.Conv2d(3, 2, 2)
        lazy = torch.nn.LazyConv2d(2, 2)
        result = lazy.load_state_dict(source.state_dict())
        loaded = (result, repr(lazy), lazy.weight.shape, type(lazy.weight).__name__)
        c = lazy(torch.ones(1, 3, 3, 3))
        return (before, a, b, repr(grouped), grouped.weight.shape, repr(unbatched),
                unbatched.weight.shape, loaded, c, repr(lazy))
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("program", [
    lambda torch: torch.nn.LazyConv2d(4, 3)(torch.randn(2, 3)),
    lambda torch: torch.nn.LazyConv2d(4, 3)(torch.randn(1, 2, 3, 5, 5)),
    lambda torch: torch.nn.LazyConv2d(4, 1, groups=2)(torch.randn(1, 3, 5, 5)),
    lambda torch: torch.nn.LazyConv2d(4, 3).weight.shape,
    lambda torch: torch.nn.init.xavier_uniform_(torch.nn.LazyConv2d(4, 3).weight),
    lambda torch: torch.nn.functional.conv2d(torch.ones(1, 2, 4, 4),
                                             torch.nn.LazyConv2d(4, 3).weight),
], ids=["2d_input", "5d_input", "groups_do_not_divide_in_channels", "weight_shape", "init_before_call", "F_conv2d"])
def test_lazy_conv2d_errors(program):
    assert_same_error(program)


def test_lazy_layers_in_a_network_train_as_pytorch():
    def program(torch):
        nn = torch.nn
        torch.manual_seed(0)
        net = nn.Sequential(nn.LazyConv2d(4, kernel_size=3), nn.LazyBatchNorm2d(), nn.ReLU(),
                            nn.Flatten(), nn.LazyLinear(8), nn.LazyBatchNorm1d(), nn.Sigmoid(),
                            nn.LazyLinear(3))
        before = repr(net)
        X, y = torch.randn(6, 2, 5, 5), torch.tensor([0, 1, 2, 0, 1, 2])
        net(X)
        optim = torch.optim.SGD(net.parameters(), lr=0.1)
        losses = []
        for _ in range(3):
            loss = torch.nn.functional.cross_entropy(net(X), y)
            optim.zero_grad()
            loss.backward()
            optim.step()
            losses.append(loss.item())
        net.eval()
        return (before, repr(net), losses, net(X), net[1].running_mean, net[5].running_var,
                net[1].num_batches_tracked, [type(m).__name__ for m in net])
    assert_same_outcome(program, rtol=1e-4, atol=1e-5)


def test_running_statistics_update_does_not_bump_versions():
    """PyTorch's kernel updates the running statistics without counting a version, so a second
    forward leaves the first one's backward intact; a user's in-place change still counts."""
    def program(torch):
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm2d(3)
        x = torch.randn(3, 3, 2, 2, requires_grad=True)
        versions = [bn.running_mean._version]
        first = bn(x)
        second = bn(x * 2)
        versions += [bn.running_mean._version, bn.running_var._version,
                     first.grad_fn._saved_running_mean._version]
        (first.sum() + (second ** 2).sum()).backward()
        grad = x.grad.clone()
        bn.eval()
        y = bn(x)
        bn.running_mean.add_(1)
        versions.append(bn.running_mean._version)
        y.sum().backward()  # the evaluation node needs the running statistics: refused
        return versions, grad
    out = assert_same_outcome(program, rtol=1e-4, atol=1e-5)
    assert out.error is not None and "modified by an inplace operation" in out.error[1]


@pytest.mark.parametrize("name", ["batchnorm", "conv"])
def test_docstring_examples(name):
    import doctest
    import importlib
    module = importlib.import_module(f"autograd_lab.nn.{name}")
    result = doctest.testmod(module)
    assert result.attempted >= 4 and result.failed == 0


def test_state_dict_without_num_batches_tracked_loads_as_an_old_format():
    # a dict rebuilt from a state dict has lost its metadata: PyTorch reads it as a format
    # older than num_batches_tracked and keeps the layer's count; with the metadata (version 2)
    # the key is missing
    def program(t):
        from collections import OrderedDict
        t.manual_seed(0)
        bn = t.nn.BatchNorm1d(3)
        bn(t.randn(4, 3))
        sd = bn.state_dict()
        rebuilt = {k: v for k, v in sd.items() if k != "num_batches_tracked"}
        fresh = t.nn.BatchNorm1d(3)
        fresh.num_batches_tracked.fill_(5)
        loaded = fresh.load_state_dict(rebuilt)
        kept = OrderedDict(rebuilt)
        kept._metadata = sd._metadata
        try:
            t.nn.BatchNorm1d(3).load_state_dict(kept)
            refused = None
        except RuntimeError as e:
            refused = str(e)
        return (dict(sd._metadata), repr(loaded), fresh.num_batches_tracked,
                fresh.running_mean, refused)
    value = assert_same_outcome(program).value
    assert value[0] == {"": {"version": 2}}
    assert value[2].item() == 5
    assert 'Missing key(s) in state_dict: "num_batches_tracked"' in value[4]


def test_load_from_state_dict_has_pytorchs_signature_for_overrides():
    # a module that reads an old format overrides _load_from_state_dict as in PyTorch
    def program(t):
        class Renamed(t.nn.Module):
            _version = 2

            def __init__(self):
                super().__init__()
                self.scale = t.nn.Parameter(t.ones(2))

            def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                                      missing_keys, unexpected_keys, error_msgs):
                if local_metadata.get("version", 1) < 2 and prefix + "gain" in state_dict:
                    state_dict[prefix + "scale"] = state_dict.pop(prefix + "gain")
                super()._load_from_state_dict(state_dict, prefix, local_metadata, strict,
                                              missing_keys, unexpected_keys, error_msgs)

        model = t.nn.Sequential(Renamed())
        result = model.load_state_dict({"0.gain": t.tensor([2., 3.])})
        return repr(result), model[0].scale.detach(), dict(model.state_dict()._metadata)
    value = assert_same_outcome(program).value
    assert value[1].tolist() == [2.0, 3.0]


def test_placeholder_classes_live_in_nn_parameter():
    def program(t):
        return (repr(t.nn.UninitializedParameter), repr(t.nn.UninitializedBuffer),
                repr(type(t.nn.LazyLinear(2).weight)))
    value = assert_same_outcome(program).value
    assert value[0].endswith(".nn.parameter.UninitializedParameter'>")
