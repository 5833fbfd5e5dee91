"""The numbers printed in Karpathy's makemore part 1 notebook that do not depend on its data
file, reproduced exactly (no PyTorch needed): rand and multinomial on
``Generator().manual_seed(2147483647)``."""
from __future__ import annotations

import autograd_lab as torch


def test_makemore_multinomial_demo_prints_the_lectures_numbers():
    g = torch.Generator().manual_seed(2147483647)
    p = torch.rand(3, generator=g)
    p = p / p.sum()
    assert repr(p) == "tensor([0.6064, 0.3033, 0.0903])"
    samples = torch.multinomial(p, num_samples=100, replacement=True, generator=g)
    assert samples.tolist() == [
        1, 1, 2, 0, 0, 2, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 2, 0, 0,
        1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1,
        0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
        0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0,
        0, 1, 1, 1]

