"""The claim contract: tolerances and their margins, verdicts, spreads, required fields."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from empirical.validate import claims as C

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite, finite)
def test_at_least_margin_sign_decides(limit, value):
    t = C.AtLeast(limit, quantity="x")
    m = t.margin(value)
    assert m == value - limit
    assert t.holds(m) == (value >= limit)
    assert C.AtLeast(limit, quantity="x", strict=True).holds(m) == (value > limit)


@given(finite, finite)
def test_at_most_and_between(limit, value):
    assert C.AtMost(limit).holds(C.AtMost(limit).margin(value)) == (value <= limit)
    lo, hi = sorted((limit, limit + 1.0))
    b = C.Between(lo, hi)
    assert b.holds(b.margin(value)) == (lo <= value <= hi)


@given(finite, finite, st.floats(0, 10), st.floats(0, 1))
def test_near_matches_its_definition(value, pred, abs_, rel):
    t = C.Near(abs=abs_, rel=rel)
    m = t.margin(value, pred)
    assert_allclose(m, abs_ + rel * abs(pred) - abs(value - pred), rtol=1e-12, atol=1e-9)
    assert t.holds(m) == (abs(value - pred) <= abs_ + rel * abs(pred))


def test_texts_are_generated_from_the_numbers():
    assert C.AtLeast(0.5, quantity="exact match").text == "exact match >= 0.5"
    assert C.AtMost(1e-10, quantity="error", strict=True).text == "error < 1e-10"
    assert C.Near(abs=0.15, quantity="exponent").text == "|exponent - predicted| <= 0.15"
    assert C.Between(0.6, 1.4, quantity="slope").text == "0.6 <= slope <= 1.4"
    both = C.AllOf(parts={"a": C.AtLeast(0.5, quantity="a"), "b": C.AtMost(2.0, quantity="b")})
    assert both.text == "a >= 0.5 and b <= 2"


def test_near_miss_is_visible_in_the_margin():
    row = C.judge(C.AtLeast(0.7624, quantity="acc"), C.Measured(0.7629))
    assert row.holds and row.margin_text == "+0.0005"
    row = C.judge(C.AtLeast(0.7624, quantity="acc"), C.Measured(0.7619))
    assert not row.holds and row.margin_text == "-0.0005"


def test_all_of_needs_every_part():
    t = C.AllOf(parts={"a": C.AtLeast(0.5), "b": C.AtMost(2.0)})
    assert C.judge(t, C.Measured({"a": 0.6, "b": 1.0})).holds
    row = C.judge(t, C.Measured({"a": 0.6, "b": 3.0}))
    assert not row.holds and row.margin == -1.0 and row.margin_text == "a +0.1; b -1"
    with pytest.raises(TypeError):
        C.judge(t, C.Measured({"a": 0.6}))


def test_non_finite_measurements_never_hold():
    for v in (math.nan, math.inf, -math.inf):
        assert not C.judge(C.AtMost(1.0), C.Measured(v)).holds
    assert not C.judge(C.Near(abs=1.0), C.Measured(math.nan, predicted=0.0)).holds
    with pytest.raises(TypeError):
        C.judge(C.AtLeast(0.0), C.Measured("high"))


def test_verdicts():
    nr = C.NotReproducing("budget", "CPU budget")
    assert C.row_verdict(True, None) is C.Verdict.HOLDS
    assert C.row_verdict(False, None) is C.Verdict.FAILS
    assert C.row_verdict(False, nr) is C.Verdict.NOT_REPRODUCING
    assert C.row_verdict(True, nr) is C.Verdict.STALE
    regime = C.NotReproducing("regime", "needs d = 10^6")
    assert C.row_verdict(False, regime) is C.Verdict.NOT_TESTED
    assert not C.Verdict.STALE.expected and C.Verdict.NOT_TESTED.expected


def test_not_reproducing_needs_a_reason_and_a_known_category():
    with pytest.raises(ValueError):
        C.NotReproducing("budget", "  ")
    with pytest.raises(ValueError):
        C.NotReproducing("lazy", "reason")
    with pytest.raises(ValueError):
        C.NotReproducing("budget", "reason", profiles=())
    quick = C.NotReproducing("budget", "reason", profiles=["quick"])
    assert quick.profiles == ("quick",) and quick.applies_to("quick")
    assert not quick.applies_to("paper") and C.NotReproducing("budget", "r").applies_to("paper")


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=20))
def test_spread_is_numpy_with_ddof_1(xs):
    s = C.Spread.of(xs)
    assert s.n == len(xs)
    assert_allclose(s.mean, np.mean(xs), rtol=1e-12, atol=1e-9)
    assert_allclose(s.sd, np.std(xs, ddof=1), rtol=1e-9, atol=1e-9)


def test_spread_of_one_value_has_no_sd():
    s = C.Spread.of([2.0])
    assert s.n == 1 and math.isnan(s.sd) and str(s) == "2 (n=1)"
    with pytest.raises(ValueError):
        C.Spread.of([])
    with pytest.raises(ValueError):
        C.Spread.of([1.0, math.nan])


def test_claim_requires_kind_and_texts():
    base = dict(
        id="x.y",
        kind="paper",
        paper="P",
        statement="S",
        prediction="p",
        experiment="e",
        check=lambda r: [],
        tolerance=C.AtLeast(0.0),
        tolerance_reason="why",
    )
    assert C.Claim(**base).kind is C.Kind.PAPER
    with pytest.raises(ValueError):
        C.Claim(**{**base, "kind": "opinion"})
    with pytest.raises(ValueError):
        C.Claim(**{**base, "tolerance_reason": ""})
    with pytest.raises(RuntimeError):
        C.Claim(**base).judge({})
