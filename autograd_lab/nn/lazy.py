"""Lazy modules: layers whose input size is learnt from the first batch (``LazyLinear``), as
``torch.nn.LazyLinear``.

Until the first call, a lazy module's parameters are ``UninitializedParameter`` placeholders
(printed ``<UninitializedParameter>``, with no shape). A forward pre-hook sees the first input,
gives the parameters their shapes, draws their initial values as the eager layer would (so after
``manual_seed`` the numbers are PyTorch's), removes itself, and turns the module into the eager
class (``LazyLinear`` becomes ``Linear``).
"""
from __future__ import annotations

from typing import Any, Callable

from ..autograd import grad_mode
from ..tensor import Tensor
from .linear import Linear
from .parameter import UninitializedParameter, is_lazy


class LazyModuleMixin:
    """What makes a module lazy: a forward pre-hook that calls ``initialize_parameters`` on the
    first input, then turns the module into ``cls_to_become``."""

    cls_to_become: type | None = None
    # provided by the Module this is mixed into
    _parameters: dict[str, Any]
    _buffers: dict[str, Any]
    _non_persistent_buffers_set: set[str]
    _get_name: Callable[[], str]
    register_forward_pre_hook: Callable[..., Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters,
                                                               with_kwargs=True)

    def _save_to_state_dict(self, destination: dict, prefix: str, keep_vars: bool) -> None:
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = (param if is_lazy(param) or keep_vars
                                              else param.detach())
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if is_lazy(buf) or keep_vars else buf.detach()

    def _load_from_state_dict(self, state_dict: Any, prefix: str, *args: Any) -> None:
        """A placeholder given a real tensor by ``load_state_dict`` first takes its shape (the
        values are then copied in); one given a placeholder stays one."""
        for name, param in list(self._parameters.items()) + list(self._buffers.items()):
            incoming = state_dict.get(prefix + name)
            if is_lazy(param) and isinstance(incoming, Tensor) and not is_lazy(incoming):
                with grad_mode.no_grad():
                    param.materialize(incoming.shape)
        super()._load_from_state_dict(state_dict, prefix, *args)  # type: ignore[misc]

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def has_uninitialized_params(self) -> bool:
        """Whether some parameter or buffer still waits for its shape."""
        values = list(self._parameters.values()) + list(self._buffers.values())
        return any(is_lazy(v) for v in values)

    def _infer_parameters(self, module: Any, args: tuple, kwargs: dict | None = None) -> None:
        kwargs = kwargs if kwargs else {}
        module.initialize_parameters(*args, **kwargs)
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        module._initialize_hook.remove()
        delattr(module, "_initialize_hook")
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become


class LazyLinear(LazyModuleMixin, Linear):
    """A ``Linear`` layer whose ``in_features`` is taken from the last dimension of the first
    input; it becomes a ``Linear`` then.

    >>> import autograd_lab as torch
    >>> layer = torch.nn.LazyLinear(8)
    >>> layer
    LazyLinear(in_features=0, out_features=8, bias=True)
    >>> layer(torch.ones(2, 4)).shape, layer
    (torch.Size([2, 8]), Linear(in_features=4, out_features=8, bias=True))
    """

    cls_to_become = Linear
    weight: Any
    bias: Any

    def __init__(self, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Shape the parameters for ``input`` (its last dimension) and draw their values."""
        if self.has_uninitialized_params():
            with grad_mode.no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()
        if self.in_features == 0:  # shaped by load_state_dict: the input says the size
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(
                    f"The in_features inferred from input: {input.shape[-1]} is not equal to "
                    f"in_features from self.weight: {self.weight.shape[-1]}")
            self.in_features = input.shape[-1]


__all__ = ["LazyLinear", "LazyModuleMixin", "UninitializedParameter"]
