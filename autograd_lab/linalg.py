"""``autograd_lab.linalg``: mirrors ``torch.linalg`` for norms: ``vector_norm``,
``matrix_norm`` (Frobenius, 1, inf and their negatives) and ``norm``."""
from .ops.norms import linalg_norm as norm, matrix_norm, vector_norm

__all__ = ["vector_norm", "matrix_norm", "norm"]
