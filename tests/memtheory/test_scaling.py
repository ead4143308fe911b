"""Tests of memtheory.scaling: Zipf sums, unseen mass, scheme errors, exponents, SGD map."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import scaling as s
from tests.conftest import tolerance

EXACT = tolerance("float64", "exact")


def test_zipf_is_a_decreasing_distribution():
    p = s.zipf(1000, 1.5)
    assert_allclose(p.sum(), 1.0, rtol=EXACT["rtol"])
    assert np.all(np.diff(p) < 0)
    assert_allclose(s.zipf(10, 0.0), np.full(10, 0.1), rtol=EXACT["rtol"])
    assert_allclose(p[0] / p[1], 2**1.5, rtol=EXACT["rtol"])


@pytest.mark.parametrize("alpha, value", [(1.5, 0.9416), (2.0, 0.6910), (3.0, 0.4245)])
def test_finite_data_constant_matches_quoted_values(alpha, value):
    # values quoted in the paper notes (arXiv 2310.02984 Sec. 3.2), 4 decimals
    assert_allclose(s.finite_data_constant(alpha), value, atol=5e-5)


@pytest.mark.parametrize("alpha", [2.0, 3.0])
def test_missing_mass_exact_matches_asymptotic_at_large_n_and_T(alpha):
    exact = s.missing_mass(1e4, alpha, facts=10**6)
    asym = s.missing_mass(1e4, alpha)
    assert_allclose(exact, asym, rtol=1e-3)


def test_missing_mass_edge_cases_and_arrays():
    assert s.missing_mass(0, 2.0, facts=50) == 1.0
    out = s.missing_mass(np.array([1.0, 10.0, 100.0]), 2.0, facts=100)
    assert out.shape == (3,) and np.all(np.diff(out) < 0)
    p = s.zipf(100, 2.0)
    assert_allclose(out[1], np.sum(p * (1 - p) ** 10), rtol=EXACT["rtol"])
    with pytest.raises(ValueError, match="samples"):
        s.missing_mass(-1, 2.0, facts=10)
    with pytest.raises(ValueError, match="alpha"):
        s.missing_mass(10, 0.5)


@settings(max_examples=6)
@given(st.floats(1.3, 3.5))
def test_missing_mass_slope_matches_closed_form_exponent(alpha):
    # slope of the exact finite sum in log T against -(1 - 1/alpha); n^alpha >> T
    n = 2 * 10**6
    T = np.array([2e3, 2e4])
    m = s.missing_mass(T, alpha, facts=n)
    slope = np.diff(np.log(m))[0] / np.diff(np.log(T))[0]
    assert_allclose(-slope, s.exponent_T("threshold", alpha), atol=0.02)


@settings(max_examples=6)
@given(st.floats(1.5, 4.0), st.integers(200, 3000))
def test_zipf_tail_matches_integral_asymptotic(alpha, P):
    n = 10**6
    exact = s.zipf_tail(P, alpha, facts=n)
    # asymptotic tail beyond P minus the (asymptotic) tail beyond n
    asym = s.zipf_tail(P, alpha) - s.zipf_tail(n, alpha)
    assert_allclose(exact, asym, rtol=3 * alpha / P)


@settings(max_examples=15)
@given(
    st.sampled_from(["uniform", "power", "threshold"]),
    st.floats(2.0, 3000.0),
    st.one_of(st.none(), st.floats(1.0, 1e5)),
    st.floats(1.1, 3.0),
)
def test_scheme_errors_are_probabilities(scheme, d, T, alpha):
    e = s.scheme_error(scheme, d=d, samples=T, alpha=alpha, facts=300)
    assert 0.0 <= e <= 1.0


@pytest.mark.parametrize("scheme", ["uniform", "power", "threshold"])
def test_scheme_errors_fall_with_d(scheme):
    ds = [10, 30, 100, 300, 1000, 3000]
    e = [s.scheme_error(scheme, d=d, samples=1000.0, alpha=2.0, facts=1000) for d in ds]
    assert np.all(np.diff(e) < 0), e


@pytest.mark.parametrize("scheme", ["power", "threshold"])
def test_scheme_errors_fall_with_T(scheme):
    Ts = [10, 100, 1000, 10000]
    e = [s.scheme_error(scheme, d=200, samples=T, alpha=2.0, facts=1000) for T in Ts]
    assert np.all(np.diff(e) < 0), e
    e_inf_d = [s.scheme_error("uniform", d=None, samples=T, alpha=2.0, facts=1000) for T in Ts]
    assert np.all(np.diff(e_inf_d) < 0)


def test_uniform_scheme_overflows_with_more_data_at_small_d():
    # arXiv 2310.02984 Sec. 3.1: q = 1 is too full to recall once d << (seen tokens)/M
    small = s.scheme_error("uniform", d=100, samples=100.0, alpha=2.0, facts=1000)
    large = s.scheme_error("uniform", d=100, samples=10000.0, alpha=2.0, facts=1000)
    assert large > small


def test_empty_memory_guesses():
    # threshold with P = floor(4 / 8) = 0 stores nothing: error 1 - 1/M
    assert s.scheme_error(
        "threshold", d=4, samples=None, alpha=2.0, facts=100, answers=5
    ) == pytest.approx(0.8)


def test_scheme_ordering_threshold_below_power_below_uniform():
    d, n = 100, 1000
    e = {
        k: s.scheme_error(k, d=d, samples=None, alpha=2.0, facts=n)
        for k in ("threshold", "power", "uniform")
    }
    assert e["threshold"] < e["power"] < e["uniform"]


@settings(max_examples=5)
@given(st.floats(1.5, 2.5))
def test_threshold_error_slope_in_d_matches_alpha_minus_one(alpha):
    ds = np.array([200.0, 800.0])
    e = [s.scheme_error("threshold", d=d, samples=None, alpha=alpha, facts=20000) for d in ds]
    slope = np.diff(np.log(e))[0] / np.diff(np.log(ds))[0]
    assert_allclose(-slope, s.exponent_d("threshold", alpha), atol=0.06)


def test_power_error_slope_in_d_matches_closed_form():
    ds = np.array([300.0, 3000.0])
    e = [s.scheme_error("power", d=d, samples=None, alpha=2.0, facts=20000) for d in ds]
    slope = np.diff(np.log(e))[0] / np.diff(np.log(ds))[0]
    assert_allclose(-slope, s.exponent_d("power", 2.0, rho=1.0), atol=0.03)
    assert s.exponent_d("power", 2.0) == 0.25


def test_exponent_closed_forms():
    assert s.exponent_d("threshold", 2.5) == 1.5
    assert s.exponent_d("uniform", 2.5) == 0.0
    assert s.exponent_d("power", 2.0, rho=0.2) == 0.0  # 2 rho alpha <= 1: interference diverges
    assert_allclose(s.exponent_d("power", 3.0, rho=0.5), 2.0 / 3.0)
    assert_allclose(s.exponent_T("power", 4.0), 0.75)


def test_joint_law_against_exact_sums():
    # independent computation: the Zipf tail beyond P = d/r and the unseen mass summed term by
    # term over 10^6 ranks (p(x) = x^-a / zeta(a); the mass beyond 10^6 is 6e-7). The law's tail
    # is the integral from P, above the sum by at most a factor (1 + 1/P)^(a-1): rtol (a-1)/P;
    # its unseen mass is the T -> infinity form, within 1e-3 at T = 1e4 (test above)
    from scipy.special import zeta

    d, T, a, r = 400.0, 1e4, 2.0, 8.0
    P = int(d / r)
    x = np.arange(1, 10**6 + 1, dtype=np.float64)
    p = x**-a / zeta(a)
    exact = p[P:].sum() + np.sum(p * np.exp(T * np.log1p(-p)))
    assert_allclose(s.joint_law(d, T, a), exact, rtol=(a - 1) / P + 1e-3)
    assert_allclose(s.joint_law(d, T, a, answers=5), 0.8 * s.joint_law(d, T, a), rtol=1e-15)
    assert s.joint_law(2 * d, T, a) < s.joint_law(d, T, a)
    assert s.joint_law(d, 2 * T, a) < s.joint_law(d, T, a)


def test_readout_error_limits():
    from scipy.special import ndtr

    # M = 2, no correct-score noise: error = Phi(-s / sigma_w)
    assert_allclose(s.readout_error(1.0, 0.0, 0.5, answers=2), ndtr(-2.0), rtol=1e-6)
    # no signal, equal noises: guessing among M answers
    assert_allclose(s.readout_error(0.0, 1.0, 1.0, answers=5), 0.8, rtol=1e-6)
    errs = s.readout_error(np.array([0.5, 1.0, 2.0]), 0.3, 0.3, answers=10)
    assert np.all(np.diff(errs) < 0)


def test_required_dimension_for_error_round_trip():
    d = s.required_dimension_for_error(0.05, "threshold", alpha=2.0, facts=1000)
    assert_allclose(
        s.scheme_error("threshold", d=d, samples=None, alpha=2.0, facts=1000), 0.05, rtol=0.05
    )
    with pytest.raises(ValueError, match="not reached"):
        s.required_dimension_for_error(1e-4, "threshold", alpha=2.0, facts=1000, samples=100)


def test_sgd_map_and_invariant():
    M, g = 5, 0.5
    assert_allclose(s.sgd_map(0.0, g, M), g * (M - 1) / M, rtol=EXACT["rtol"])
    n = np.array([0.0, 1.0, 10.0, 1e3, 1e6])
    q = s.sgd_weight_continuous(n, g, M)
    assert_allclose(s.sgd_invariant(q, M), g * (M - 1) * n + 1.0, rtol=1e-9)
    assert np.all(np.diff(q) > 0)
    # large n: q ~ ln(gamma (M - 1) n)
    assert_allclose(q[-1], math.log(g * (M - 1) * 1e6), rtol=1e-2)


def test_sgd_iteration_approaches_continuous_time_for_small_steps():
    g, M = 0.01, 10
    n = np.array([10, 100, 1000, 10000])
    discrete = s.sgd_weight(n, g, M)
    cont = s.sgd_weight_continuous(n.astype(float), g, M)
    assert_allclose(discrete, cont, rtol=0.02)
    assert s.sgd_weight(0, 1.0, 5) == 0.0
    # larger steps flatten q: ratio of weights of a frequent and a rare token shrinks
    flat = s.sgd_weight_continuous(np.array([10.0, 1000.0]), 10.0, 5)
    steep = s.sgd_weight_continuous(np.array([10.0, 1000.0]), 0.001, 5)
    assert flat[1] / flat[0] < steep[1] / steep[0]
