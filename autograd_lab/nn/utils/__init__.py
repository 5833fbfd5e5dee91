"""``autograd_lab.nn.utils``: mirrors ``torch.nn.utils`` for gradient clipping and for turning
parameters into one vector and back."""
from .clip_grad import (clip_grad_norm, clip_grad_norm_, clip_grad_value_,
                        clip_grads_with_norm_, get_total_norm)
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_",
           "get_total_norm", "parameters_to_vector", "vector_to_parameters"]
from . import rnn  # noqa: E402
__all__ += ["rnn"]
