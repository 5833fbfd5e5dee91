"""Every backward node class carries its own explanation (formula, each input's gradient, words
in English and Chinese), and every one fills in with the names and numbers of a real pass.

The animation and the stepper show these words beside each step; a node class without its own
explanation would fall back to a generic sentence about the chain rule.
"""
from __future__ import annotations

import importlib
import re
import pkgutil
from typing import Any, Callable

import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab.autograd.explanation import Explanation
from autograd_lab.autograd.node import AccumulateGrad, Node
from autograd_lab.viz import animate_backward
from autograd_lab.viz.explain import node_values
from autograd_lab.viz.rules import Operands, explain_rule, rule_of

LANGS = ("en", "zh")


def _public_node_classes() -> list[type]:
    """Every Node subclass defined in autograd_lab, except private bases (``_Flat``) and the
    classes made for each custom Function (``<Name>Backward``, which share their base's words)."""
    for module in pkgutil.walk_packages(torch.__path__, "autograd_lab."):
        importlib.import_module(module.name)
    seen: list[type] = []
    stack = [Node]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.append(sub)
                stack.append(sub)
    return sorted((c for c in seen if c.__module__.startswith("autograd_lab.")
                   and not c.__name__.startswith("_") and "_forward_cls" not in c.__dict__),
                  key=lambda c: (c.__module__, c.__name__))


def test_every_public_node_class_has_an_explanation_of_its_own():
    classes = _public_node_classes()
    assert len(classes) > 100  # (the walk found the op modules' nodes)
    missing = [f"{c.__module__}.{c.__name__}" for c in classes
               if not isinstance(c.__dict__.get("explanation"), Explanation)]
    assert missing == [], f"node classes without an explanation: {missing}"


def test_a_custom_function_node_uses_the_custom_words():
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g

    x = torch.tensor([2.], requires_grad=True)
    y = Cube.apply(x)
    text = explain_rule(rule_of(y.grad_fn), Operands("y", ["x"], [True], {}), "en")
    assert text.startswith("A custom autograd.Function: this step runs your backward(ctx, "
                           "grad_output)")


def test_every_explanation_has_both_languages():
    for cls in _public_node_classes():
        e = cls.__dict__["explanation"]
        assert isinstance(e.formula, str), cls
        assert set(e.text) in (set(), set(LANGS)), cls
        assert e.formula or e.text, cls  # says something
        for g in e.grads:
            assert g is None or isinstance(g, str) or set(g) == set(LANGS), cls
        assert e.constant in ("", "add", "sub", "rsub", "mul", "div", "fill"), cls


def _fields(cls: type) -> set[str]:
    names = set(cls._saved_fields)
    for base in cls.__mro__:
        slots = base.__dict__.get("__slots__", ())
        names.update((slots,) if isinstance(slots, str) else slots)
    return {n for n in names if not n.startswith("_")}


def test_every_explanation_names_only_what_its_node_keeps():
    # {dim} in a formula must be a field of the node (else the panel would print "dim" where
    # the learner's value belongs); a number the node does not keep ({c}) needs a way back
    for cls in _public_node_classes():
        e = cls.__dict__["explanation"]
        scalars = {name: f"<{name}>" for name in _fields(cls)}
        if e.constant:
            scalars["c"] = "<c>"
        ops = Operands("z", ["a", "b", "c"], [True] * 3, scalars, "dy/dz", "tensor(1.)",
                       ["tensor(2.)"] * 3)
        for lang in LANGS:
            text = explain_rule(e, ops, lang, strict=True)
            assert "{" not in text and "}" not in text, (cls, text)


# -- real passes: every node of each graph explained, strictly, in both languages ---------------
def _x() -> Any:
    return torch.tensor([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)


def _v() -> Any:
    return torch.tensor([1.0, 2.0, 3.0], requires_grad=True)


def _grad_of(f: Callable[[Any], Any], x: Any) -> Any:
    """The gradient of ``f(x).sum()`` with create_graph=True: its graph holds the nodes of
    f's derivative (the double-backward nodes)."""
    (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    return g * torch.arange(1., 1. + g.numel()).reshape(g.shape)


def _inplace_on_view() -> Any:
    x = _x()
    y = x * 1
    y[0].mul_(2)
    return y


def _regenerated_view() -> Any:
    y = _x() * 1
    view = y[0]
    y[1].mul_(2)  # the other views of y are given a new history (AsStridedBackward0)
    return view


def _fill(method: str, *args: Any) -> Any:
    y = _x() * 1
    getattr(y, method)(*args)
    return y


def _copy() -> Any:
    y = _x() * 1
    y.copy_(_x())
    return y


def _index_put() -> Any:
    y = _x() * 1
    y[torch.tensor([0, 1]), torch.tensor([2, 0])] = torch.tensor([7., 8.], requires_grad=True)
    return y


F = torch.nn.functional
CASES: list[tuple[str, Callable[[], Any]]] = [
    ("AddBackward0", lambda: torch.add(_v(), 1, alpha=2)),
    ("SubBackward0", lambda: torch.sub(_x(), _v(), alpha=0.5)),
    ("RsubBackward1", lambda: torch.rsub(_v(), 1, alpha=2)),
    ("RsubBackward0", lambda: torch.rsub(_v(), _v(), alpha=3)),
    ("MulBackward0", lambda: _x() * 3),
    ("DivBackward0", lambda: _x() / _v()),
    ("ReciprocalBackward0", lambda: 2 / _v()),
    ("PowBackward0", lambda: _x() ** 2),
    ("PowBackward1", lambda: _v() ** _v()),
    ("PowBackward2", lambda: 2 ** _v()),
    ("NegBackward0", lambda: -_v()),
    ("AbsBackward0", lambda: _x().abs()),
    ("SignBackward0", lambda: _x().sign()),
    ("ExpBackward0", lambda: _x().exp()),
    ("LogBackward0", lambda: _v().log()),
    ("ReluBackward0", lambda: _x().relu()),
    ("WhereBackward0", lambda: torch.where(_v() > 1.5, _v(), 0.)),
    ("MaskedFillBackward0", lambda: _v().masked_fill(torch.tensor([True, False, True]), 0.)),
    ("MaskedFillBackward1", lambda: _v().masked_fill(torch.tensor([True, False, True]),
                                                     torch.tensor(5., requires_grad=True))),
    ("CloneBackward0", lambda: _x().clone()),
    ("ToCopyBackward0", lambda: _x().double()),
    ("SigmoidBackward0", lambda: _x().sigmoid()),
    ("TanhBackward0", lambda: _x().tanh()),
    ("SoftmaxBackward0", lambda: _x().softmax(1)),
    ("LogSoftmaxBackward0", lambda: _x().log_softmax(1)),
    ("LogsumexpBackward0", lambda: _x().logsumexp(1)),
    ("ThresholdBackwardBackward0", lambda: _grad_of(lambda x: x.relu() ** 2, _x())),
    ("SigmoidBackwardBackward0", lambda: _grad_of(torch.sigmoid, _x())),
    ("TanhBackwardBackward0", lambda: _grad_of(torch.tanh, _x())),
    ("SoftmaxBackwardDataBackward0",
     lambda: _grad_of(lambda x: x.softmax(1) * torch.tensor([1., 2., 3.]), _x())),
    ("LogSoftmaxBackwardDataBackward0",
     lambda: _grad_of(lambda x: x.log_softmax(1) * torch.tensor([1., 2., 3.]), _x())),
    ("ClampBackward1", lambda: _x().clamp(0, 2)),
    ("ClampMinBackward0", lambda: _x().clamp_min(0)),
    ("ClampMaxBackward0", lambda: _x().clamp_max(1)),
    ("ClampBackward0", lambda: torch.clamp(_v(), _v() * 0.5, _v() * 2)),
    ("ClampMinBackward1", lambda: torch.clamp_min(_v(), torch.tensor(2.))),
    ("ClampMaxBackward1", lambda: torch.clamp_max(_v(), torch.tensor(2.))),
    ("MaximumBackward0", lambda: torch.maximum(_v(), torch.tensor([3., 2., 1.], requires_grad=True))),
    ("MinimumBackward0", lambda: torch.minimum(_v(), torch.tensor([3., 2., 1.], requires_grad=True))),
    ("MaxBackward1", lambda: _x().max()),
    ("MinBackward1", lambda: _x().min()),
    ("MaxBackward0", lambda: _x().max(dim=1)[0]),
    ("MinBackward0", lambda: _x().min(dim=0)[0]),
    ("AmaxBackward0", lambda: _x().amax(1)),
    ("AminBackward0", lambda: _x().amin(0)),
    ("GatherBackward0", lambda: _x().gather(1, torch.tensor([[0, 0], [2, 1]]))),
    ("ScatterBackward0", lambda: _x().scatter(1, torch.tensor([[0], [2]]),
                                              torch.ones(2, 1, requires_grad=True))),
    ("ScatterBackward1", lambda: _x().scatter(1, torch.tensor([[0], [2]]), 5.)),
    ("ScatterAddBackward0", lambda: _x().scatter_add(1, torch.tensor([[0], [2]]),
                                                     torch.ones(2, 1, requires_grad=True))),
    ("IndexSelectBackward0", lambda: _x().index_select(1, torch.tensor([2, 0]))),
    ("IndexAddBackward0", lambda: _x().index_add(1, torch.tensor([2]),
                                                 torch.ones(2, 1, requires_grad=True), alpha=2)),
    ("MaskedSelectBackward0", lambda: _x().masked_select(_x() > 1)),
    ("MaskedScatterBackward0", lambda: _v().masked_scatter(torch.tensor([True, False, True]),
                                                           _v())),
    ("IndexBackward0", lambda: _x()[torch.tensor([1, 0, 1])]),
    ("IndexPutBackward0", _index_put),
    ("CopyBackwards", _copy),
    ("FillBackward2", lambda: _fill("fill_", 2.)),
    ("FillBackward3", lambda: _fill("fill_", torch.tensor(2., requires_grad=True))),
    ("ZeroBackward0", lambda: _fill("zero_")),
    ("NormalBackward0", lambda: _fill("normal_")),
    ("UniformBackward0", lambda: _fill("uniform_")),
    ("DotBackward0", lambda: torch.dot(_v(), _v())),
    ("MmBackward0", lambda: _x() @ _x().t()),
    ("MvBackward0", lambda: _x() @ _v()),
    ("BmmBackward0", lambda: torch.bmm(_x().reshape(1, 2, 3), _x().reshape(1, 3, 2))),
    ("AddmmBackward0", lambda: torch.addmm(_v()[:2], _x(), _x().t(), beta=2, alpha=0.5)),
    ("MseLossBackward0", lambda: F.mse_loss(_x(), torch.zeros(2, 3))),
    ("MseLossBackwardBackward0",
     lambda: _grad_of(lambda x: F.mse_loss(x, torch.zeros(2, 3), reduction="sum"), _x())),
    ("NllLossBackward0", lambda: F.cross_entropy(_x(), torch.tensor([2, 0]))),
    ("NllLossBackwardBackward0",
     lambda: _grad_of(lambda x: F.nll_loss(x * x, torch.tensor([2, 0])), _x())),
    ("NllLoss2DBackward0", lambda: F.nll_loss(_x().reshape(1, 3, 2, 1),
                                              torch.tensor([[[0], [2]]]))),
    ("SumBackward1", lambda: _x().sum(0)),
    ("MeanBackward0", lambda: _x().mean()),
    ("MeanBackward1", lambda: _x().mean(1)),
    ("LinalgVectorNormBackward0", lambda: _x().norm()),
    ("ProdBackward0", lambda: _x().prod()),
    ("ProdBackward1", lambda: _x().prod(1)),
    ("RemainderBackward0", lambda: _x() % 2),
    ("RemainderBackward1", lambda: _x() % (_v() + 1)),
    ("FlipBackward0", lambda: _x().flip(1)),
    ("CumsumBackward0", lambda: _x().cumsum(1)),
    ("CumprodBackward0", lambda: _x().cumprod(1)),
    ("SelectBackward0", lambda: _x()[1]),
    ("SliceBackward0", lambda: _x()[:, 1:]),
    ("SelectBackwardBackward0", lambda: _grad_of(lambda x: x[1] ** 2, _x())),
    ("SliceBackwardBackward0", lambda: _grad_of(lambda x: x[:, 1:] ** 2, _x())),
    ("UnsqueezeBackward0", lambda: _x().unsqueeze(0)),
    ("SqueezeBackward0", lambda: _x().reshape(1, 2, 3).squeeze()),
    ("SqueezeBackward1", lambda: _x().reshape(1, 2, 3).squeeze(0)),
    ("SqueezeBackward4", lambda: (_x().reshape(1, 2, 3) * 1).squeeze_(0)),
    ("ExpandBackward0", lambda: _v().expand(2, 3)),
    ("ViewBackward0", lambda: _x().view(3, 2)),
    ("PermuteBackward0", lambda: _x().permute(1, 0)),
    ("TransposeBackward0", lambda: _x().transpose(0, 1)),
    ("TBackward0", lambda: _x().t()),
    ("UnbindBackward0", lambda: _x().unbind(0)[1]),
    ("StackBackward0", lambda: torch.stack([_v(), _v()])),
    ("CatBackward0", lambda: torch.cat([_v(), _v()])),
    ("SplitBackward0", lambda: _x().split(2, 1)[0]),
    ("SplitWithSizesBackward0", lambda: _x().split([1, 2], 1)[1]),
    ("RepeatBackward0", lambda: _v().repeat(2, 1)),
    ("VarBackward0", lambda: _x().var(1)),
    ("StdBackward0", lambda: _x().std()),
    ("SqrtBackward0", lambda: _v().sqrt()),
    ("Log1PBackward0", lambda: _v().log1p()),
    ("Expm1Backward0", lambda: _v().expm1()),
    ("SinBackward0", lambda: _v().sin()),
    ("CosBackward0", lambda: _v().cos()),
    ("FloorBackward0", lambda: _x().floor()),
    ("CeilBackward0", lambda: _x().ceil()),
    ("RoundBackward0", lambda: _x().round()),
    ("TruncBackward0", lambda: _x().trunc()),
    ("AsStridedBackward0", _regenerated_view),
    ("CopySlices", _inplace_on_view),
    # the lesson-breadth block: more functions of one tensor, sampling, embedding
    ("Log10Backward0", lambda: _v().log10()),
    ("Log2Backward0", lambda: _v().log2()),
    ("SinhBackward0", lambda: _v().sinh()),
    ("CoshBackward0", lambda: _v().cosh()),
    ("TanBackward0", lambda: _v().tan()),
    ("AsinBackward0", lambda: (_v() * 0.3).asin()),
    ("AcosBackward0", lambda: (_v() * 0.3).acos()),
    ("AtanBackward0", lambda: _v().atan()),
    ("Atan2Backward0", lambda: torch.atan2(_v(), _v() + 1)),
    ("AsinhBackward0", lambda: _v().asinh()),
    ("AcoshBackward0", lambda: (_v() + 1).acosh()),
    ("AtanhBackward0", lambda: (_v() * 0.3).atanh()),
    ("Exp2Backward0", lambda: _v().exp2()),
    ("RsqrtBackward0", lambda: _v().rsqrt()),
    ("ErfBackward0", lambda: _v().erf()),
    ("FracBackward0", lambda: _x().frac()),
    ("BernoulliBackward0", lambda: torch.bernoulli(_v() * 0.2)),
    ("BernoulliBackward1", lambda: _fill("bernoulli_", torch.full((2, 3), 0.5))),
    ("BernoulliBackward2", lambda: _fill("bernoulli_", 0.5)),
    ("ExponentialBackward0", lambda: _fill("exponential_")),
    ("RandomBackward0", lambda: _fill("random_", 1, 5)),
    ("RandomBackward1", lambda: _fill("random_", 5)),
    ("RandomBackward2", lambda: _fill("random_")),
    ("NormalBackward1", lambda: torch.normal(_v(), 1.)),
    ("NormalBackward2", lambda: torch.normal(0., _v())),
    ("NormalBackward3", lambda: torch.normal(_v(), _v())),
    ("EmbeddingBackward0", lambda: F.embedding(torch.tensor([1, 0, 1]), _x())),
    ("BinaryCrossEntropyBackward0",
     lambda: F.binary_cross_entropy(_v() * 0.2, torch.tensor([0., 1., 1.]))),
    ("BinaryCrossEntropyWithLogitsBackward0",
     lambda: F.binary_cross_entropy_with_logits(_v(), torch.tensor([0., 1., 1.]))),
    ("BinaryCrossEntropyBackwardBackward0",
     lambda: _grad_of(lambda p: F.binary_cross_entropy(p * 0.2, torch.tensor([0., 1., 1.])),
                      _v())),
    ("EmbeddingDenseBackwardBackward0",
     lambda: _grad_of(lambda w: F.embedding(torch.tensor([1, 0, 1]), w) ** 2, _x())),
]


def _explained_pass(build: Callable[[], Any],
                    numbers: bool = True) -> tuple[set[str], list[str]]:
    """Animate a backward through what ``build`` makes; explain every step strictly in both
    languages (with ``numbers``, never "a number" where the code has one). Returns the node
    classes met and the English texts."""
    torch.manual_seed(0)
    out = build()
    loss = (out * torch.arange(1., 1. + out.numel()).reshape(out.shape)).sum()
    anim = animate_backward(loss, names={"y": out, "loss": loss})
    explainer = anim.explainer
    met, texts = set(), []
    for k in range(1, len(explainer.states)):
        s = explainer.states[k]
        i = s.current
        node = explainer.model.ops[i]
        found = rule_of(node)
        assert found is not None, type(node).__name__
        met.add(type(node).__name__)
        if isinstance(node, AccumulateGrad):
            ops = Operands(explainer.tensor_name(i) or explainer.say("the_leaf"), (), (), {})
        else:
            ops = explainer.operands(i, s, found)
        for lang in LANGS:
            text = explain_rule(found, ops, lang, strict=True)
            assert "{" not in text and "}" not in text, text
            assert not numbers or ("a number" not in text and "一个常数" not in text), text
            if lang == "en":
                texts.append(text)
                assert explainer.rule_text(i, s) == text
    return met, texts


@pytest.mark.parametrize("name, build", CASES, ids=[c[0] for c in CASES])
def test_every_node_is_explained_in_a_real_pass(name, build):
    met, texts = _explained_pass(build)
    assert name in met, sorted(met)


class _Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * g


def _undefined_grad() -> Any:
    from autograd_lab.autograd.gradcheck import _undefined
    return _undefined(_v() * 2) + _v()


# node classes met inside a pass rather than made by the op at its top (the derivative of one op
# is recorded with others: PowBackward0's uses mul.Scalar, MulBackward1; log1p's add.Scalar ...)
INSIDE: list[tuple[str, Callable[[], Any]]] = [
    ("AddBackward1", lambda: _grad_of(torch.log1p, _v())),
    ("SubBackward1", lambda: _grad_of(lambda x: x ** x, _v())),
    ("MulBackward1", lambda: _grad_of(lambda x: x ** 3, _v())),
    ("DivBackward1", lambda: _grad_of(lambda x: x.mean() * x, _v())),
    ("DivBackward2", lambda: _grad_of(lambda x: x % (x * 0.3), _v())),
    ("SgnBackward0", lambda: _grad_of(lambda x: x.abs() * x, _x())),
    ("SumBackward0", lambda: _v() * 2),
    ("ReshapeAliasBackward0", lambda: _x().t().reshape(3, 2, 1)),
    ("UnsafeViewBackward0", lambda: _x().t().reshape(6)),
    ("AliasBackward0", lambda: _x()[...]),
    ("IndexPutImplBackward0", lambda: _grad_of(lambda x: x[torch.tensor([1, 0])] ** 2, _x())),
    ("NllLoss2DBackwardBackward0",
     lambda: _grad_of(lambda x: F.nll_loss((x * x).reshape(1, 3, 2, 1),
                                           torch.tensor([[[0], [2]]])), _x())),
    ("AccumulateGrad", _v),
    ("_CubeBackward", lambda: _Cube.apply(_v())),
    ("UndefinedGradBackward", _undefined_grad),
]


@pytest.mark.parametrize("name, build", INSIDE, ids=[c[0] for c in INSIDE])
def test_nodes_recorded_inside_a_pass_are_explained(name, build):
    # (a number inside a derivative, 1 in log1p's 1 / (1 + x), was written by the formula, not
    # the learner, and is not kept: it may be "a number")
    met, _ = _explained_pass(build, numbers=False)
    assert name in met, sorted(met)


def test_nodes_no_backward_can_run_through_explain_themselves():
    # number % tensor (PyTorch has no derivative) and a once_differentiable backward run with
    # create_graph=True: a backward that reaches them fails, so the words come before it
    v = _v()
    y = 2 % v
    assert y.grad_fn.name() == "torch::autograd::NotImplemented"
    ops = Operands("y", ["v"], [True], node_values(y.grad_fn))
    assert explain_rule(rule_of(y.grad_fn), ops, "en", strict=True) == (
        "y = n % v. PyTorch has no derivative for a number % a tensor: a backward that reaches "
        "this node fails.")

    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            return g * 2

    x = _v()
    (g,) = torch.autograd.grad((Twice.apply(x) ** 2).sum(), x, create_graph=True)
    assert type(g.grad_fn).__name__ == "Error"
    text = explain_rule(rule_of(g.grad_fn), Operands("g", ["x"], [True], {}), "zh", strict=True)
    assert text.startswith("这个节点代表一个标记了 @once_differentiable 的 backward")


def test_every_case_names_a_node_class():
    known = {c.__name__ for c in _public_node_classes()}
    listed = {name.lstrip("_") if name == "_CubeBackward" else name for name, _ in CASES + INSIDE}
    assert sorted(listed - known - {"CubeBackward"}) == []


# -- exact panels: what the learner reads, in both languages ------------------------------------
def _rule_lines(build: Callable[[], dict], lang: str) -> dict[str, str]:
    """Build tensors named as a learner names them; animate; each step's rule line by node."""
    names = build()
    anim = animate_backward(names["L"], names=names, lang=lang)
    lines = {}
    for k in range(1, len(anim)):
        title, rule = anim.explainer.text(k).splitlines()[:2]
        lines[title.split("\uff1a" if lang == "zh" else ": ", 1)[1]] = rule
    return lines


def _numbers_written_by_the_learner() -> dict:
    w = torch.tensor([1., 2.], requires_grad=True)
    a = w * 3              # MulBackward0: 3 is saved, then freed by the pass
    b = torch.rsub(a, 1, alpha=2)  # RsubBackward1: 1 is kept nowhere
    c = 2 ** w             # PowBackward2
    L = (b + c).sum()
    return dict(w=w, a=a, b=b, c=c, L=L)


def test_numbers_the_learner_wrote_are_shown_as_written():
    en = _rule_lines(_numbers_written_by_the_learner, "en")
    assert en["MulBackward0 (a.grad_fn)"] == (
        "a = w · 3. With g = dL/da = tensor([-2., -2.]): w gets g · 3 = tensor([-6., -6.]); 3 "
        "needs no gradient. A factor that needs a gradient gets the gradient times the other "
        "factor, which the node saved for this (it saves a factor only when the other one needs "
        "a gradient).")
    assert en["RsubBackward1 (b.grad_fn)"] == (
        "b = 1 − 2·a. With g = dL/db = tensor([1., 1.]): a gets −2·g = tensor([-2., -2.]).")
    assert en["PowBackward2 (c.grad_fn)"] == (
        "c = 2 ** w. With g = dL/dc = tensor([1., 1.]): w gets g · c · ln 2 = "
        "tensor([1.3863, 2.7726]).")
    zh = _rule_lines(_numbers_written_by_the_learner, "zh")
    assert zh["MulBackward0 (a.grad_fn)"] == (
        "a = w · 3。设 g = dL/da = tensor([-2., -2.])：w 得到 g · 3 = tensor([-6., -6.])；3 "
        "不需要梯度。需要梯度的因子得到梯度乘以另一个因子，节点为此保存了那个因子（只有另一个因子需要梯度时，"
        "节点才保存这个因子）。")
    assert zh["RsubBackward1 (b.grad_fn)"] == (
        "b = 1 − 2·a。设 g = dL/db = tensor([1., 1.])：a 得到 −2·g = tensor([-2., -2.])。")


def _where_fill_and_a_leaf() -> dict:
    x = torch.tensor([1., -1.], requires_grad=True)
    y = torch.where(x > 0, x, x * 0.5)
    z = y * 1
    z.fill_(7.)
    L = (y.sum() + z.sum())
    return dict(x=x, y=y, z=z, L=L)


def test_where_fill_and_accumulate_panels():
    en = _rule_lines(_where_fill_and_a_leaf, "en")
    assert en["WhereBackward0 (y.grad_fn)"] == (
        "y = where(condition, x, a). With g = dL/dy = tensor([1., 1.]): x gets g where "
        "condition, else 0 = tensor([1., 0.]); a gets g where not condition, else 0 = "
        "tensor([0., 1.]). The condition only chooses: it gets no gradient.")
    assert en["FillBackward2 (z.grad_fn)"] == (
        "z.fill_(7). With g = dL/dz = tensor([1., 1.]): a gets 0 = tensor([0., 0.]). z was "
        "filled with 7: nothing of a is left in it.")
    assert en["AccumulateGrad (x)"].startswith(
        "AccumulateGrad is where a gradient reaches a leaf: it adds the gradient into x.grad.")
    zh = _rule_lines(_where_fill_and_a_leaf, "zh")
    assert zh["WhereBackward0 (y.grad_fn)"] == (
        "y = where(condition, x, a)。设 g = dL/dy = tensor([1., 1.])：x 得到 condition 为真处为 "
        "g，其余为 0 = tensor([1., 0.])；a 得到 condition 为假处为 g，其余为 0 = "
        "tensor([0., 1.])。条件只负责选择：它没有梯度。")
    assert zh["FillBackward2 (z.grad_fn)"] == (
        "z.fill_(7)。设 g = dL/dz = tensor([1., 1.])：a 得到 0 = tensor([0., 0.])。z 被填成了 7："
        "其中不再有 a 的任何成分。")
    assert zh["AccumulateGrad (x)"].startswith(
        "AccumulateGrad 是梯度到达叶子节点的地方：它把梯度累加进 x.grad。")


# -- inputs that need no gradient, in the learner's words ---------------------------------------
def _bce_with_a_named_target() -> dict:
    p = torch.tensor([0.2, 0.6], requires_grad=True)
    target = torch.tensor([0., 1.])
    L = F.binary_cross_entropy(p, target)
    return dict(p=p, target=target, L=L)


def test_a_named_target_is_called_by_its_name():
    en = _rule_lines(_bce_with_a_named_target, "en")
    assert en["BinaryCrossEntropyBackward0 (L.grad_fn)"] == (
        "L = BCE(p, target). With g = dL/dL = tensor(1.): p gets (p - target) / (p(1 - p)) g = "
        "tensor([ 0.6250, -0.8333]); target needs no gradient. With weight the gradients are "
        "scaled by it; with 'mean' they are divided by the number of elements.")
    zh = _rule_lines(_bce_with_a_named_target, "zh")
    assert zh["BinaryCrossEntropyBackward0 (L.grad_fn)"] == (
        "L = BCE(p, target)。设 g = dL/dL = tensor(1.)：p 得到 (p - target) / (p(1 - p)) g = "
        "tensor([ 0.6250, -0.8333])；target 不需要梯度。有 weight 时梯度按它缩放；reduction 为 "
        "'mean' 时再除以元素个数。")


def _bce_with_logits_and_a_literal_target() -> dict:
    z = torch.tensor([0.5, -1.], requires_grad=True)
    L = F.binary_cross_entropy_with_logits(z, torch.tensor([0., 1.]))
    return dict(z=z, L=L)


def test_an_unnamed_short_target_is_written_as_its_value():
    en = _rule_lines(_bce_with_logits_and_a_literal_target, "en")
    assert en["BinaryCrossEntropyWithLogitsBackward0 (L.grad_fn)"].startswith(
        "L = BCE(sigmoid(z), tensor([0., 1.])). With g = dL/dL = tensor(1.): z gets "
        "(sigmoid(z) - tensor([0., 1.])) g = tensor([ 0.3112, -0.3655]); tensor([0., 1.]) needs "
        "no gradient.")


def _mse_with_a_large_unnamed_target() -> dict:
    pred = torch.ones(2, 3, requires_grad=True)
    L = F.mse_loss(pred, torch.zeros(2, 3))
    return dict(pred=pred, L=L)


def test_a_large_unnamed_input_is_called_by_pytorchs_name_and_shapes_are_in_the_language():
    en = _rule_lines(_mse_with_a_large_unnamed_target, "en")
    assert en["MseLossBackward0 (L.grad_fn)"] == (
        "L = mse_loss(pred, target). With g = dL/dL = tensor(1.): pred gets "
        "g · 2(pred − target) / n = tensor of shape [2, 3]; target needs no gradient. L is the "
        "mean of (pred − target)² (n is the number of elements; with reduction='sum' or 'none', "
        "n = 1).")
    zh = _rule_lines(_mse_with_a_large_unnamed_target, "zh")
    assert zh["MseLossBackward0 (L.grad_fn)"] == (
        "L = mse_loss(pred, target)。设 g = dL/dL = tensor(1.)：pred 得到 "
        "g · 2(pred − target) / n = 形状为 [2, 3] 的张量；target 不需要梯度。L 是 "
        "(pred − target)² 的平均值（n 是元素个数；reduction='sum' 或 'none' 时 n = 1）。")


def _sigmoid_twice() -> dict:
    x = torch.tensor([[0., 1.], [2., 3.]], requires_grad=True)
    s = torch.sigmoid(x)
    (dx,) = torch.autograd.grad(s.sum(), x, create_graph=True)
    L = dx.sum()
    return dict(x=x, s=s, dx=dx, L=L)


def test_a_double_backward_names_the_gradient_it_differentiates():
    zh = _rule_lines(_sigmoid_twice, "zh")
    assert zh["SigmoidBackwardBackward0 (dx.grad_fn)"] == (
        "dx = grad_output · (1 − s) · s。设 g = dL/ddx = 形状为 [2, 2] 的张量：grad_output "
        "不需要梯度；s 得到 g · grad_output · (1 − 2·s) = 形状为 [2, 2] 的张量。这个节点是在 "
        "create_graph=True 的反向传播中记录下来的：它对一个导数再求导（二阶导数就是这样算的）。"
        "这是 sigmoid 的导数：grad_output 是到达 sigmoid 的梯度，s 是它保存的结果。")


def _embedding_rows() -> dict:
    W = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True)
    idx = torch.tensor([2, 0, 2])
    e = F.embedding(idx, W)
    L = (e * torch.tensor([[1.], [2.], [3.]])).sum()
    return dict(W=W, idx=idx, e=e, L=L)


def test_embedding_says_the_learners_indices():
    en = _rule_lines(_embedding_rows, "en")
    assert en["EmbeddingBackward0 (e.grad_fn)"] == (
        "e = W[idx]. With g = dL/de = tensor of shape [3, 2]: W gets zeros shaped like W, with "
        "each row of g added to the row it was picked from = tensor of shape [3, 2]. e holds the "
        "rows of W that idx picks: a row picked several times gets the sum of their gradients.")
    zh = _rule_lines(_embedding_rows, "zh")
    assert zh["EmbeddingBackward0 (e.grad_fn)"] == (
        "e = W[idx]。设 g = dL/de = 形状为 [3, 2] 的张量：W 得到 形状同 W 的零张量，g 的每一行加回到"
        "它被取出的那一行 = 形状为 [3, 2] 的张量。e 由 W 中被 idx 选中的行组成：被选中多次的行得到"
        "这几份梯度之和。")


def test_embeddings_double_backward_has_no_english_in_its_chinese():
    _, texts = _explained_pass(lambda: _grad_of(
        lambda w: F.embedding(torch.tensor([1, 0, 1]), w) ** 2, _x()))
    rule = next(t for t in texts if t.startswith("z = embedding_dense_backward("))
    assert rule.startswith("z = embedding_dense_backward(a, tensor([1, 0, 1])). With g = ")
    torch.manual_seed(0)
    out = _grad_of(lambda w: F.embedding(torch.tensor([1, 0, 1]), w) ** 2, _x())
    loss = out.sum()
    anim = animate_backward(loss, names={"y": out, "loss": loss}, lang="zh")
    zh = [anim.explainer.text(k).splitlines()[1] for k in range(1, len(anim))]
    rule = next(t for t in zh if t.startswith("z = embedding_dense_backward("))
    assert rule.endswith("这是 embedding 的导数：z 把 a（到达 embedding 的梯度）的每一行加到 "
                         "tensor([1, 0, 1]) 所取的那一行权重上。")
    assert not re.search(r"\b(rows|added|at indices)\b", rule)


def _random_fills() -> dict:
    torch.manual_seed(0)
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 1
    y.bernoulli_(torch.tensor([0.5, 0.5]))
    r = x * 1
    r.random_(1, 5)
    L = (y + r).sum()
    return dict(x=x, y=y, r=r, L=L)


def test_in_place_random_fills_read_as_method_calls():
    en = _rule_lines(_random_fills, "en")
    # (the node keeps no probabilities: they are called by PyTorch's name for them)
    assert en["BernoulliBackward1 (y.grad_fn)"] == (
        "y.bernoulli_(p). With g = dL/dy = tensor([1., 1.]): z gets 0 = tensor([0., 0.]); p "
        "needs no gradient. y was overwritten with random numbers in place: its old values, z, "
        "get gradient 0.")
    assert en["RandomBackward0 (r.grad_fn)"].startswith("r.random_(from, to). With g = ")
    zh = _rule_lines(_random_fills, "zh")
    assert zh["RandomBackward0 (r.grad_fn)"] == (
        "r.random_(from, to)。设 g = dL/dr = tensor([1., 1.])：z 得到 0 = tensor([0., 0.])。"
        "r 被原地改写为随机数：它原来的值 z 得到的梯度是 0。")


def _indices_and_dims() -> dict:
    x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
    idx = torch.tensor([2, 0])
    y = x.index_select(1, idx)
    s = x.sum(0)
    t = x.transpose(0, 1)
    p = x.permute(1, 0)
    logits = x * 1
    labels = torch.tensor([2, 0])
    nll = F.cross_entropy(logits, labels)
    L = y.sum() + s.sum() + t.sum() + p.sum() + nll
    return dict(x=x, idx=idx, y=y, s=s, t=t, p=p, logits=logits, labels=labels, nll=nll, L=L)


def test_indices_and_dimensions_are_the_ones_the_learner_wrote():
    en = _rule_lines(_indices_and_dims, "en")
    assert en["IndexSelectBackward0 (y.grad_fn)"] == (
        "y = x.index_select(1, idx). With g = dL/dy = tensor of shape [2, 2]: x gets zeros "
        "shaped like x, with g added at idx (index_add) = tensor of shape [2, 3].")
    assert en["SumBackward1 (s.grad_fn)"].startswith("s = x.sum(0). With g = dL/ds = ")
    assert en["TransposeBackward0 (t.grad_fn)"].startswith("t = x.transpose(0, 1). With g = ")
    assert en["PermuteBackward0 (p.grad_fn)"].startswith("p = x.permute((1, 0)). With g = ")
    assert en["NllLossBackward0 (nll.grad_fn)"].startswith("nll = −mean(z[labels]). With g = ")
    zh = _rule_lines(_indices_and_dims, "zh")
    assert zh["IndexSelectBackward0 (y.grad_fn)"].endswith(
        "x 得到 形状同 x 的零张量，在 idx 处加上 g（index_add） = 形状为 [2, 3] 的张量。")


def _a_named_constant() -> dict:
    x = torch.tensor([1., 2.], requires_grad=True)
    a = torch.tensor([3., 4.])
    L = ((x * 2) * a).sum()
    return dict(x=x, a=a, L=L)


def test_a_named_constant_keeps_its_name_and_no_free_letter_takes_it():
    en = _rule_lines(_a_named_constant, "en")
    assert en["MulBackward0 (next_functions[0] of L.grad_fn)"].startswith(
        "z = b · a. With g = dL/dz = tensor([1., 1.]): b gets g · a = tensor([3., 4.]); a needs "
        "no gradient.")


def _joined_and_reshaped() -> dict:
    a = torch.tensor([1., 2.], requires_grad=True)
    b = torch.tensor([3.], requires_grad=True)
    c = torch.cat([a, b])
    m = c.view(3, 1)
    L = (m * torch.tensor([[1.], [2.], [3.]])).sum()
    return dict(a=a, b=b, c=c, m=m, L=L)


def test_cat_lists_its_inputs_and_view_its_shape():
    en = _rule_lines(_joined_and_reshaped, "en")
    assert en["CatBackward0 (c.grad_fn)"] == (
        "c = cat([a, b], 0). The gradient is cut back into the piece each input contributed.")
    assert en["ViewBackward0 (m.grad_fn)"] == (
        "m = c.view(3, 1). With g = dL/dm = tensor of shape [3, 1]: c gets g = "
        "tensor([1., 2., 3.]). No value moves: the gradient is reshaped back to the shape of c.")
    zh = _rule_lines(_joined_and_reshaped, "zh")
    assert zh["CatBackward0 (c.grad_fn)"] == "c = cat([a, b], 0)。梯度被切回每个输入贡献的那一段。"


def _constants_in_add_and_sub() -> dict:
    x = torch.tensor([1., 2.], requires_grad=True)
    y3 = torch.tensor([0.5, 0.25])      # data: needs no gradient
    e = x - y3                          # SubBackward0 keeps nothing of y3: named all the same
    s = sum(x * 1)                      # Python's sum starts at 0: 0 + first element
    L = e.sum() + s
    return dict(x=x, y3=y3, e=e, s=s, L=L)


def test_an_add_or_sub_names_its_operand_that_needs_no_gradient():
    en = _rule_lines(_constants_in_add_and_sub, "en")
    assert en["SubBackward0 (e.grad_fn)"] == (
        "e = x − y3. With g = dL/de = tensor([1., 1.]): x gets g = tensor([1., 1.]); y3 needs "
        "no gradient.")
    firsts = [line for title, line in en.items() if "+ 0." in line]
    assert len(firsts) == 1 and "a tensor" not in firsts[0], en
    zh = _rule_lines(_constants_in_add_and_sub, "zh")
    assert any("x − y3" in line for line in zh.values()), zh


def _numbers_inside_derivatives() -> dict:
    x = torch.tensor([0.5, 2.], requires_grad=True)
    g, = torch.autograd.grad(torch.log1p(x).sum(), x, create_graph=True)  # AddBackward1: x + 1
    h, = torch.autograd.grad((x ** x).sum(), x, create_graph=True)        # SubBackward1: x − 1
    r, = torch.autograd.grad(torch.relu(x * 3).sum(), x, create_graph=True)
    L = g.sum() + h.sum() + r.sum()
    return dict(x=x, g=g, h=h, r=r, L=L)


def test_numbers_inside_derivatives_are_written_and_formulas_read_in_chinese():
    en = _rule_lines(_numbers_inside_derivatives, "en")
    adds = [line for title, line in en.items() if title.startswith("AddBackward1")]
    subs = [line for title, line in en.items() if title.startswith("SubBackward1")]
    assert adds and all(" = x + 1. " in line for line in adds), adds
    assert subs and all(" = x − 1. " in line for line in subs), subs
    zh = _rule_lines(_numbers_inside_derivatives, "zh")
    relu = [line for title, line in zh.items() if title.startswith("ThresholdBackwardBackward0")]
    assert relu and all("where(" in line and "else" not in line for line in relu), relu
