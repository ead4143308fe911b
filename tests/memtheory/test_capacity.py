"""Tests of memtheory.capacity: monotonicity, round trips, constants, Monte Carlo noise."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import capacity as c
from memtheory import graphs
from tests.conftest import tolerance

SOLVER = tolerance("float64", "solver")
EXACT = tolerance("float64", "exact")

ASYM_SCHEMES = [
    "outer_product",
    "outer_product_all",
    "trained_linear",
    "trained_linear_statphys",
    "transformer",
    "transformer_attention",
    "transformer_mlp",
]


def _size_kwargs(scheme, d):
    if scheme == "mlp":
        return {"width": 4 * d, "d": d}
    if scheme == "transformer":
        return {"d": d, "heads": 1, "head_dim": d, "width": 4 * d}
    if scheme == "transformer_attention":
        return {"d": d, "heads": 1, "head_dim": d}
    if scheme == "transformer_mlp":
        return {"d": d, "width": 4 * d}
    return {"d": d}


@settings(max_examples=20)
@given(st.sampled_from(ASYM_SCHEMES + ["mlp"]), st.floats(8.0, 5000.0), st.floats(1.01, 3.0))
def test_capacity_grows_with_size(scheme, d, factor):
    small = c.facts_capacity(scheme, **_size_kwargs(scheme, d))
    big = c.facts_capacity(scheme, **_size_kwargs(scheme, d * factor))
    assert big > small > 0


@settings(max_examples=15)
@given(st.floats(1.0, 1e9), st.floats(1.01, 10.0), st.sampled_from([None, 2, 1000]))
def test_information_floor_facts_grow_with_parameters(params, factor, answers):
    a = c.facts_capacity("information_floor", parameters=params * 100, answers=answers)
    b = c.facts_capacity("information_floor", parameters=params * 100 * factor, answers=answers)
    assert b > a


@settings(max_examples=40)
@given(
    st.sampled_from(ASYM_SCHEMES + ["mlp"]),
    st.one_of(st.integers(2, 20), st.integers(2, 10**15)),
    st.one_of(st.none(), st.integers(2, 40), st.integers(2, 10**15)),
)
def test_required_dimension_round_trips_over_the_whole_domain(scheme, n, answers):
    # the documented domain of both directions: facts and answers in [2, 1e15] (or M = N);
    # required_dimension(2, "mlp") = 0.348 used to be refused by facts_capacity (d >= 1)
    d = c.required_dimension(n, scheme, answers)
    back = c.facts_capacity(scheme, answers=answers, **_size_kwargs(scheme, d))
    assert_allclose(back, n, rtol=SOLVER["rtol"])


@pytest.mark.parametrize("scheme", ASYM_SCHEMES + ["mlp"])
@pytest.mark.parametrize("n", [2, 3, 10**15])
def test_round_trip_at_the_ends_of_the_domain(scheme, n):
    for answers in (None, 2, 10**15):
        d = c.required_dimension(n, scheme, answers)
        back = c.facts_capacity(scheme, answers=answers, **_size_kwargs(scheme, d))
        assert_allclose(back, n, rtol=SOLVER["rtol"])


@settings(max_examples=10)
@given(st.integers(10, 10**9), st.sampled_from([None, 5, 32, 10**6]), st.floats(0.5, 16.0))
def test_information_floor_round_trip(n, answers, b):
    params = c.required_parameters(n, "information_floor", answers=answers, bits_per_param=b)
    m = n if answers is None else answers
    assert_allclose(params, n * math.log2(m) / b, rtol=EXACT["rtol"])
    back = c.facts_capacity(
        "information_floor", parameters=params, answers=answers, bits_per_param=b
    )
    assert_allclose(back, n, rtol=1e-9)


def test_gaussian_model_round_trip_and_all_correct_probability():
    for d in (40.0, 150.0):
        n = c.outer_product_capacity(d, model="gaussian")
        assert_allclose(
            c.outer_product_required_dimension(round(n), model="gaussian"), d, rtol=5e-3
        )
        n1 = c.outer_product_capacity(d, model="gaussian", target_error=0.01)
        assert_allclose(c.outer_product_error(round(n1), d), 0.01, rtol=0.05)
    d = c.outer_product_required_dimension(2000, model="gaussian")
    assert_allclose(c.outer_product_all_correct_probability(2000, d), 0.5, rtol=1e-6)


def test_asymptotic_constants_are_recovered_at_large_n():
    n = 10**12
    ln = math.log(n)
    for scheme, const in (("outer_product_all", 8.0), ("outer_product", 2.0)):
        d = c.required_dimension(n, scheme)
        # exact root of d^2 = c N ln N (1 + d/M), M = N; the d/N correction is 1.5e-5 here
        assert_allclose(d**2 / (n * ln * (1 + d / n)), const, rtol=1e-12)
        assert_allclose(d**2 / (n * ln), const, rtol=1e-4)
    assert_allclose(c.required_dimension(n, "trained_linear") ** 2 / (n * ln), 1.3, rtol=1e-12)
    assert c.OUTER_PRODUCT_C_ALL.kind == "derived"
    assert c.TRAINED_LINEAR_C.kind == "fit" and "2412.06538" in c.TRAINED_LINEAR_C.source
    # constants are overridable
    assert_allclose(c.required_dimension(n, "trained_linear", c=2.0) ** 2 / (n * ln), 2.0)


def test_all_facts_log_factor_is_continuous_at_n_equals_m():
    n = 10**5
    below = c.outer_product_log_factor(n, n + 1)
    at = c.outer_product_log_factor(n, n)
    above = c.outer_product_log_factor(n, n - 1)
    assert_allclose([below, above], [at, at], rtol=1e-5)
    assert_allclose(at, math.log(n), rtol=1e-12)


def test_gaussian_model_lies_between_fact_and_all_asymptotics():
    for d in (64.0, 256.0):
        gauss = c.outer_product_capacity(d, model="gaussian")
        assert c.outer_product_capacity(d) < gauss < c.outer_product_capacity(d, criterion="fact")


def test_outer_product_noise_matches_monte_carlo():
    rng = np.random.default_rng(0)
    n, d, trials = 100, 20, 80
    correct, wrong = [], []
    for _ in range(trials):
        e = rng.standard_normal((n, d))
        u = rng.standard_normal((n, d))
        e /= np.linalg.norm(e, axis=1, keepdims=True)
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        # score of answer y for query x: u_y^T W e_x with W = sum_x' u_x' e_x'^T
        scores = (e @ e.T) @ (u @ u.T)
        correct.append(np.diag(scores))
        wrong.append(scores[~np.eye(n, dtype=bool)])
    sc, sw = c.outer_product_noise(n, d)
    assert_allclose(np.mean(correct), 1.0, atol=4 * sc / math.sqrt(n * trials))
    assert_allclose(np.std(correct), sc, rtol=0.03)
    assert_allclose(np.std(wrong), sw, rtol=0.03)


def test_mlp_fits_agree_on_bits_per_parameter():
    # md = 1.2 N at M = 32 and md = 0.35 N ln N at M = N: both ~2 bits per parameter (2 m d)
    n = 10**5
    for m in (32, n):
        bits_per_param = n * math.log2(m) / (2 * c.mlp_required_md(n, m))
        assert 1.9 < bits_per_param < 2.2
    assert_allclose(c.mlp_capacity(10, 32, answers=32), 320 / 1.2)
    assert_allclose(c.mlp_required_width(1000, 20, answers=32) * 20, 1200.0)


@settings(max_examples=20)
@given(*(st.integers(0, 64) for _ in range(3)), st.integers(1, 256))
def test_transformer_parameter_count(heads, head_dim, mlp_width, d):
    p = c.transformer_parameters(d, heads=heads, head_dim=head_dim, width=mlp_width)
    # independent count: the sizes of the weight matrices of one layer (Q, K, V: d x H d_h;
    # O: H d_h x d; MLP in and out: d x m, m x d), embeddings and biases excluded
    shapes = [(d, heads * head_dim)] * 3 + [(heads * head_dim, d), (d, mlp_width), (mlp_width, d)]
    assert p == sum(int(np.prod(s)) for s in shapes)
    assert_allclose(
        c.transformer_capacity(d, heads=heads, head_dim=head_dim, width=mlp_width), 0.15 * p
    )
    # transfer to M answers at constant bits: N log2 M = 3 * 0.15 p
    n = c.transformer_capacity(d, heads=heads, head_dim=head_dim, width=mlp_width, answers=64)
    assert_allclose(n * 6, 3 * 0.15 * p)


def test_lambert_w():
    for y in (0.0, 1e-8, 0.5, 1.0, math.e, 100.0, 1e30):
        w = c.lambert_w(y)
        assert_allclose(w * math.exp(w), y, rtol=1e-12, atol=1e-300)


@given(st.integers(1, 12), st.integers(2, 12))
def test_path_star_matching_and_storage(degree, length):
    g = graphs.path_star(degree, length)
    st_ = c.graph_storage(g)
    k = length - 1
    assert st_.matching == degree * (k // 2) + (k % 2)
    assert_allclose(st_.assoc_bits, 2 * g.m * math.log2(g.n))
    assert_allclose(st_.geom_bits, g.n * degree * math.log2(length))
    assert_allclose(st_.assoc_l2, math.sqrt(2 * g.m))


@given(st.integers(3, 200))
def test_cycle_storage_prop1(n):
    # Proposition 1: |E| = |V|, l2 costs equal with forward edges only, factor sqrt(2) with both
    g = graphs.cycle(n)
    fwd = c.graph_storage(g, direction="forward")
    both = c.graph_storage(g)
    assert_allclose(fwd.assoc_l2, fwd.geom_l2_lower)
    assert_allclose(both.assoc_l2 / both.geom_l2_lower, math.sqrt(2))
    assert both.matching == n // 2
    assert_allclose(both.geom_bits, 2 * n * math.log2(n / 2))


def test_capacity_table_rows():
    rows = c.capacity_table(10**5)
    names = [r["scheme"] for r in rows]
    assert names[0] == "information_floor" and "outer_product_all" in names
    for r in rows:
        assert r["kind"] in ("fit", "derived", "quoted") and r["cite"]
        if r["parameters"]:
            assert r["bits_per_param"] == pytest.approx(r["bits"] / r["parameters"])
    floor = rows[0]
    assert floor["parameters"] == math.ceil(10**5 * math.log2(10**5) / 2)
    assert floor["bits_per_param"] == pytest.approx(2.0, rel=1e-5)
    extra = c.capacity_table(
        2000, 5, bits_per_param=4.0, alpha=2.0, target_error=0.05, graph="path-star:5x6"
    )
    names = [r["scheme"] for r in extra]
    assert "zipf_threshold" in names and "graph_geometric" in names
    assert not next(r for r in extra if r["scheme"] == "outer_product")["asymptotic"]


@pytest.mark.parametrize("bad", [0, -5, 2.5, float("nan"), float("inf"), "abc", 1e400])
def test_bad_facts_raise(bad):
    with pytest.raises(ValueError, match="facts"):
        c.required_dimension(bad, "outer_product")
