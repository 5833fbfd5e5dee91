"""All operations, by family. Each module keeps an op's forward next to its backward node, and
lists what it offers in its ``__all__``: a new op is exported here by being listed there."""
from .pointwise import *  # noqa: F401,F403
from .reduction import *  # noqa: F401,F403
from .norms import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .activation import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .smooth_activations import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from ..factories import new_full, new_tensor, normal_, uniform_
from .unary import *  # noqa: F401,F403
from .clamp import *  # noqa: F401,F403
from .extrema import *  # noqa: F401,F403
from .statistics import *  # noqa: F401,F403
from .split import *  # noqa: F401,F403
from .gather import *  # noqa: F401,F403
from .compare import *  # noqa: F401,F403
from .scan import *  # noqa: F401,F403
from .sampling import *  # noqa: F401,F403
from .histogram import *  # noqa: F401,F403
from . import remainder as remainder_ops  # (the module, before the name means the function)
from .remainder import *  # noqa: F401,F403
from .sorting import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .max_pool import *  # noqa: F401,F403
# (repeat_interleave: a module named "repeat" would hide the function ops.repeat)
from .interleave import *  # noqa: F401,F403
from .triangular import *  # noqa: F401,F403
from .layer_norm import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
