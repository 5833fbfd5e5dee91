"""The Tensor class itself: its state declared once (slots, no instance ``__dict__``, each field
documented and annotated) and its method surface documented and typed (``help(x.sum)`` says
what ``sum`` does)."""
from __future__ import annotations

import inspect
import pydoc
import weakref

import pytest

import autograd_lab as al
from autograd_lab.tensor import Tensor
from oracle import need_torch

_EMPTY = inspect.Parameter.empty
_SLOTS = [name for name in Tensor.__slots__ if name != "__weakref__"]


def _public_members() -> list[tuple[str, object]]:
    return [(name, member) for name, member in vars(Tensor).items()
            if not name.startswith("_")]


def _unannotated(fn: object) -> list[str]:
    """The parameters (and 'return') of ``fn`` that carry no annotation."""
    if isinstance(fn, staticmethod):
        fn = fn.__func__
    sig = inspect.signature(fn)  # type: ignore[arg-type]
    missing = [p.name for i, p in enumerate(sig.parameters.values())
               if p.annotation is _EMPTY and not (i == 0 and p.name == "self")]
    if sig.return_annotation is _EMPTY:
        missing.append("return")
    return missing


def test_every_public_method_and_property_has_a_docstring_and_annotations():
    problems = []
    for name, member in _public_members():
        if isinstance(member, property):
            fn = member.fget
        elif callable(member) or isinstance(member, staticmethod):
            fn = member
        else:
            continue
        if not (inspect.getdoc(fn) or "").strip():
            problems.append(f"{name}: no docstring")
        missing = _unannotated(fn)
        if missing:
            problems.append(f"{name}: no annotation for {', '.join(missing)}")
    assert problems == []
    # the check saw the surface (a filter that let nothing through would pass vacuously)
    names = {name for name, _ in _public_members()}
    assert {"sum", "backward", "grad", "view", "add_", "float", "T", "shape"} <= names


def test_operators_are_typed():
    operators = [name for name in vars(Tensor)
                 if name.startswith("__") and name.endswith("__") and callable(vars(Tensor)[name])
                 and name not in ("__new__", "__init__", "__init_subclass__",
                                  "__subclasshook__", "__getattr__")]
    assert {"__add__", "__rmul__", "__matmul__", "__getitem__", "__eq__"} <= set(operators)
    problems = [f"{name}: {_unannotated(vars(Tensor)[name])}" for name in operators
                if _unannotated(vars(Tensor)[name])]
    assert problems == []


def test_help_on_a_method_says_what_it_does():
    x = al.tensor([1.0, 2.0])
    assert x.sum.__doc__ == "The sum of all elements, or over the dimension(s) ``dim``."
    text = pydoc.render_doc(x.sum, renderer=pydoc.plaintext)
    assert "The sum of all elements" in text and "keepdim: 'bool' = False" in text
    # aliases carry their original's words
    assert x.clip.__doc__ == x.clamp.__doc__ and "limited to" in x.clip.__doc__
    assert type(x).ndim.__doc__ == "The number of dimensions."


def test_every_state_field_is_a_slot_documented_and_annotated_in_the_class():
    doc = Tensor.__doc__
    for name in _SLOTS:
        assert f"``{name}``" in doc, f"{name} is not described in Tensor's docstring"
        assert name in Tensor.__annotations__, f"{name} has no annotation"
        # still the slot: a module assigning Tensor.<name> = ... would replace its storage
        assert type(vars(Tensor)[name]).__name__ == "member_descriptor", name
    assert set(Tensor.__annotations__) == set(_SLOTS)


def test_a_plain_tensor_has_no_instance_dict():
    x = al.tensor([1.0, 2.0], requires_grad=True)
    assert not hasattr(x, "__dict__")
    with pytest.raises(AttributeError, match=r"^'Tensor' object has no attribute 'label'"):
        x.label = "x"
    with pytest.raises(AttributeError, match=r"^'Tensor' object has no attribute 'label'$"):
        x.label
    assert getattr(x, "label", "none") == "none"
    assert weakref.ref(x)() is x  # weak references still work (the graph's AccumulateGrad)


def test_plain_tensor_attributes_are_the_one_difference_from_pytorch():
    torch = need_torch()
    t = torch.tensor([1.0])
    t.label = "x"  # PyTorch keeps a __dict__ on every tensor
    assert t.label == "x"
    with pytest.raises(AttributeError):
        al.tensor([1.0]).label = "x"


def test_a_parameter_still_takes_attributes_of_its_own():
    p = al.nn.Parameter(al.ones(2))
    p.label = "weight"  # as on torch.nn.Parameter, which code tags (e.g. for freezing)
    assert p.label == "weight" and vars(p) == {"label": "weight"}
    assert p.requires_grad and p.is_leaf and not hasattr(al.ones(2), "label")


def test_rarely_set_fields_read_as_none_until_an_op_sets_them():
    x = al.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    for t in (x, y):
        assert (t._view_steps, t._view_meta, t._views, t._post_accumulate_grad_hooks) == (
            None, None, None, None)
    v = y[0]
    assert v._base is y and v._view_steps is not None and len(v._view_steps) == 1
    assert [r() for r in y._views] == [v]
    parts = y.unbind(0)
    assert parts[0]._view_meta is not None  # multi-output views refuse in-place changes
    handle = x.register_post_accumulate_grad_hook(lambda t: None)
    assert list(x._post_accumulate_grad_hooks.values()) != []
    handle.remove()
