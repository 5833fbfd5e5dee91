"""``autograd_lab.linalg``: mirrors ``torch.linalg`` for norms (``vector_norm``, and ``norm`` for
vectors and Frobenius matrix norms)."""
from .ops.norms import linalg_norm as norm, vector_norm

__all__ = ["vector_norm", "norm"]
