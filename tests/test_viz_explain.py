"""The plain-words derivative each node explains itself with, as the animation shows it."""
import autograd_lab as lab
from autograd_lab.viz import explain


def test_fill_with_a_number_and_with_a_tensor():
    x = lab.ones(3, requires_grad=True)
    v = lab.tensor(2., requires_grad=True)
    y = x * 1
    y.fill_(5.)
    assert y.grad_fn.name() == "FillBackward2"
    # (no step's numbers here: the 5 the learner wrote shows in a pass, see
    # test_node_explanations)
    assert explain.rule(y.grad_fn, {"z": "y", "a": "x"}) == (
        "y.fill_(a number). x gets 0. y was filled with a number: nothing of x is left in it.")
    y.fill_(v)
    assert y.grad_fn.name() == "FillBackward3"
    assert explain.rule(y.grad_fn, {"z": "y", "a": "x", "b": "v"}) == (
        "y.fill_(v). x gets 0; v gets sum(g). y was filled with the value of v: x gets 0, v "
        "the sum of the gradient.")


def _seed_000(lang=None):
    from autograd_lab.viz import animate_backward
    x = lab.tensor([2.], requires_grad=True)
    w = lab.tensor([1.], requires_grad=True)
    a = lab.add(x, w)
    b = lab.add(w, 1)
    y = lab.mul(a, b)
    return animate_backward(y, names=dict(x=x, w=w, a=a, b=b, y=y), lang=lang)


def test_the_panel_says_what_the_learner_wrote_with_the_real_numbers():
    anim = _seed_000()
    step = next(k for k in range(1, len(anim))
                if "(b.grad_fn)" in anim.explainer.text(k).splitlines()[0])
    rule = anim.explainer.text(step).splitlines()[1]
    # b = torch.add(w, 1): w, the number 1 (recovered from b - w), the gradient 3 that arrived
    assert rule.startswith("b = w + 1. With g = dy/db = tensor([3.]): w gets g = "
                           "tensor([3.]); 1 needs no gradient.")
    assert "alpha" not in rule and " c " not in rule and "broadcast" not in rule
    mul = anim.explainer.text(1).splitlines()[1]
    assert mul.startswith("y = a \u00b7 b. With g = dy/dy = tensor([1.]): a gets g \u00b7 b = "
                          "tensor([2.]); b gets g \u00b7 a = tensor([3.]).")


def test_a_saved_number_and_a_scalar_alpha_are_named_by_value():
    x = lab.tensor([1., 2.], requires_grad=True)
    from autograd_lab.viz import animate_backward
    y = lab.sub(x, lab.tensor([0.5, 0.5]), alpha=2)
    z = (y * 3).sum()
    anim = animate_backward(z, names=dict(x=x, y=y, z=z))
    texts = [anim.explainer.text(k) for k in range(1, len(anim))]
    sub = next(t for t in texts if "(y.grad_fn)" in t.splitlines()[0]).splitlines()[1]
    assert sub.startswith("y = x \u2212 2\u00b7") and "x gets g = tensor([3., 3.])" in sub


def test_panels_and_key_in_chinese():
    anim = _seed_000(lang="zh")
    text = anim.explainer.text(2)
    assert text.startswith("第 2 步（共 5 步）：AddBackward0 (b.grad_fn)")
    assert "b = w + 1。设 g = dy/db = tensor([3.])：w 得到 g = tensor([3.])；1 不需要梯度。" in text
    last = anim.explainer.text(5)
    assert "AccumulateGrad 是梯度到达叶子节点的地方" in last and "累加" in last
    page = anim.html()
    assert "叶子节点" in page and "播放" in page and 'lang="zh-Hans"' in page
    # the code stays Python's
    assert "y.backward()" in anim.explainer.text(0)


def test_the_package_language_setting_is_the_default():
    from autograd_lab.viz import step_through
    lab.set_language("zh")
    try:
        assert _seed_000().explainer.text(0).startswith("开始：y.backward()")
        x = lab.tensor(2., requires_grad=True)
        steps = step_through(x * x)
        assert "还没有调用任何节点" in steps.panel_html(0)
        assert _seed_000(lang="en").explainer.text(0).startswith("Start: y.backward()")
    finally:
        lab.set_language("en")
    import pytest
    with pytest.raises(ValueError, match="lang must be one of 'en', 'zh'"):
        _seed_000(lang="fr")
