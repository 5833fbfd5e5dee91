"""Differential fuzzing: random small autograd programs (tests/fuzz/programs.py) run under
PyTorch and autograd_lab in the same process; every observation must agree (values, gradients,
node names and next_functions, printed reprs, hooks fired and what they saw, warnings, errors).
"""
import os

import pytest
from hypothesis import HealthCheck, given, settings

import autograd_lab as lab

from fuzz.programs import compare, program_strategy, run

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2500"))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(program_strategy())
def test_random_programs_match_torch(program):
    torch = pytest.importorskip("torch")
    compare(run(torch, program), run(lab, program))


def test_known_program_without_torch():
    program = ([(0, [1.0, 2.0, 3.0, 4.0, 0, 0, 0, 0], "float32", True)],
               [("unary", "square", 0), ("reduce", "sum", 1, None, False),
                ("backward", 0, "plain", None, False, [])])
    trace = run(lab, program)
    # the three instructions, the closing backward through everything, the final observation
    assert [s.instruction[0] for s in trace] == ["unary", "reduce", "backward", "backward",
                                                 "final"]
    assert [s.error for s in trace[:3]] == [None] * 3
    assert trace[2].grads[0].values.tolist() == [[2., 4.], [6., 8.]]
    assert trace[3].error[1].startswith("Trying to backward through the graph a second time")
    assert trace[0].made.meta[4] == "MulBackward0"
