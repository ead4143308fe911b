"""The counting topic's symbolic checks (bias law, gap, balance readout) pass."""

import pytest

from proofs_check._core import load_all, run_check

CHECKS = [c for c in load_all() if c.module == "counting"]


def test_counting_checks_registered():
    assert {c.name for c in CHECKS} == {"bias_law", "bias_gap", "balance_readout"}


@pytest.mark.parametrize("chk", CHECKS, ids=[c.name for c in CHECKS])
def test_counting_check(chk):
    result = run_check(chk)
    assert result.ok, result.detail
