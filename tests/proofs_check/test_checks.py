"""Every registered symbolic check passes (each is also a numeric cross-check)."""

import pytest

from proofs_check._core import load_all, run_check

CHECKS = load_all()


@pytest.mark.parametrize("chk", CHECKS, ids=[f"{c.module}.{c.name}" for c in CHECKS])
def test_symbolic_check(chk):
    result = run_check(chk)
    assert result.ok, result.detail


def test_registry_not_empty():
    assert CHECKS, "no symbolic check registered"
