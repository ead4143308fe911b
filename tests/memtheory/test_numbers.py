"""memtheory.numbers: encodings (round trips), the LayerNorm geometry of xVal, frequency bias."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import numbers as N

finite = st.floats(min_value=-9.99e7, max_value=9.99e7, allow_nan=False).filter(
    lambda x: x == 0 or abs(x) >= 1.0e-6
)


@settings(max_examples=300, deadline=None)
@given(x=finite, scheme=st.sampled_from(N.TOKEN_SCHEMES))
def test_round_trip_is_three_digit_rounding(x, scheme):
    toks = N.encode(x, scheme)
    assert len(toks) == N.TOKENS_PER_NUMBER[scheme]
    assert set(toks) <= set(N.vocabulary(scheme))
    y = N.decode(toks, scheme)
    assert abs(y - x) <= abs(x) / 200 * (1 + 1e-12)
    assert N.encode(y, scheme) == toks  # decoding lands on a fixed point of the rounding
    assert math.copysign(1, y) == math.copysign(1, x) or x == 0


@settings(max_examples=200, deadline=None)
@given(m=st.integers(100, 999), e=st.integers(-8, 6), s=st.sampled_from([-1, 1]))
def test_every_three_digit_number_is_exact(m, e, s):
    x = N.from_parts(s, m, e)
    assert N.round_sig(x) == (s, m, e)
    for scheme in N.TOKEN_SCHEMES:
        assert N.decode(N.encode(x, scheme), scheme) == x


@settings(max_examples=100, deadline=None)
@given(x=finite)
def test_xval_round_trip_is_exact(x):
    assert N.encode(x, "xVal") == ["[NUM]"]
    assert N.decode(["[NUM]"], "xVal", value=x) == x


def test_table_example_and_token_counts():
    assert N.encode(-60.2, "P10") == ["-", "6", "0", "2", "E-1"]
    assert N.encode(-60.2, "P1000") == ["-", "602", "E-1"]
    assert N.encode(-60.2, "B1999") == ["-602", "E-1"]
    assert N.encode(-60.2, "FP15") == ["FP-602E-1"]
    assert [N.TOKENS_PER_NUMBER[s] for s in N.SCHEMES] == [5, 3, 2, 1, 1]
    assert N.round_sig(999.5) == (1, 100, 1)  # carries into the exponent
    assert N.round_sig(0.0) == (1, 0, 0)
    assert N.decode(N.encode(0.0, "P10"), "P10") == 0.0
    n_e = 17
    sizes = [len(N.vocabulary(s, (-8, 8))) for s in N.SCHEMES]
    assert sizes == [2 + 10 + n_e, 2 + 901 + n_e, 1801 + n_e, 1 + 1800 * n_e, 1]
    assert N.sequence_length(4, 10, "P10") == 30
    assert N.sequence_length(4, 10, "xVal") == 14


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: N.encode(1.0, "P100"), "scheme"),
        (lambda: N.encode(float("nan"), "P10"), "x"),
        (lambda: N.encode(1e12, "P10"), "exponents"),
        (lambda: N.round_sig(1.0, exponents=(3, 1)), "exponents[1]"),
        (lambda: N.decode(["+", "12", "E0"], "P1000"), "tokens"),
        (lambda: N.decode(["+", "1"], "P10"), "tokens"),
        (lambda: N.decode(["[NUM]"], "xVal"), "xVal"),
        (lambda: N.from_parts(1, 50, 0), "mantissa"),
        (lambda: N.from_parts(0, 500, 0), "sign"),
        (lambda: N.sequence_length(-1, 0, "P10"), "n_numbers"),
        (lambda: N.layer_norm([1.0, 1.0]), "u"),
        (lambda: N.layer_norm([1.0, 2.0], eps=-1), "eps"),
        (lambda: N.ray_geometry([1.0, 1.0], [0.0, 1.0]), "e"),
        (lambda: N.ray_geometry([1.0, 2.0], [0.0, 1.0, 2.0]), "p"),
        (lambda: N.recover([1.0, 2.0], [1.0, 2.0], [2.0, 4.0]), "p"),
        (
            lambda: N.dynamic_range(
                [1.0, 2.0, 0.0], [0.0, 1.0, 5.0], angle_resolution=0.0, rel_error=0.1
            ),
            "angle_resolution",
        ),
        (
            lambda: N.dynamic_range(
                [1.0, 2.0, 0.0], [0.0, 1.0, 5.0], angle_resolution=0.1, rel_error=-1
            ),
            "rel_error",
        ),
        (lambda: N.zipf_prior(1, 1.0, 0), "n"),
        (lambda: N.overprediction_ratio([1.0, 1.0], [0.5, 0.5], sigma=0.1, k=1), "values"),
        (lambda: N.overprediction_ratio([1.0, 2.0], [0.5, 0.5], sigma=0.1, k=2), "k"),
        (lambda: N.overprediction_ratio([1.0, 2.0], [0.2, 0.5], sigma=0.1, k=1), "prior"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name.replace("[", r"\[").replace("]", r"\]")):
        call()


@settings(max_examples=100, deadline=None)
@given(x=st.floats(1e-6, 1e6) | st.floats(-1e6, -1e-6), seed=st.integers(0, 2**31 - 1))
def test_layer_norm_forgets_scale(x, seed):
    rng = np.random.default_rng(seed)
    e, g, b = rng.normal(size=(3, 12))
    assert_allclose(
        N.layer_norm(x * e, g, b), np.sign(x) * g * N.layer_norm(e) + b, rtol=1e-9, atol=1e-9
    )


def test_layer_norm_matches_torch_convention():
    u = np.array([[1.0, 2.0, 4.0], [0.0, -1.0, 3.0]])
    c = u - u.mean(1, keepdims=True)
    want = c / np.sqrt((c**2).mean(1, keepdims=True) + 1e-5)
    assert_allclose(N.layer_norm(u, eps=1e-5), want, rtol=1e-14)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(3, 32))
def test_position_makes_x_recoverable_and_angle_speed_agree(seed, d):
    rng = np.random.default_rng(seed)
    e, p = rng.normal(size=(2, d))
    c, a, b = N.ray_geometry(e, p)
    x = np.linspace(-3, 3, 13) * b / c
    h = N.layer_norm(x[:, None] * e + p)
    assert_allclose(N.recover(h, e, p), x, rtol=1e-8, atol=1e-8 * b / c)
    th = N.angle(x, e, p)
    assert np.all(np.diff(th) < 0) and np.all((th > 0) & (th < np.pi))
    hstep = 1e-6 * b / c
    fd = np.linalg.norm(
        N.layer_norm((x[:, None] + hstep) * e + p) - N.layer_norm((x[:, None] - hstep) * e + p),
        axis=1,
    ) / (2 * hstep)
    assert_allclose(N.ln_speed(x, e, p), fd, rtol=1e-5)
    # the speed is sqrt(d) times the angular speed
    assert_allclose(N.ln_speed(x, e, p), math.sqrt(d) * c * b / ((c * x + a) ** 2 + b**2))


def test_dynamic_range_bounds_recovery_error():
    rng = np.random.default_rng(3)
    e, p = rng.normal(size=(2, 16))
    sigma, r = 1e-3, 0.01
    win = N.dynamic_range(e, p, angle_resolution=sigma, rel_error=r)
    for key in ("positive", "negative"):
        lo, hi = getattr(win, key)
        inside = np.linspace(lo, hi, 101)[1:-1]
        outside = np.array([lo - 0.1 * abs(lo), hi + 0.1 * abs(hi)])
        if key == "positive":
            outside = np.array([lo * 0.9, hi * 1.1])
        assert np.all(N.recovery_error(inside, e, p, angle_resolution=sigma) < r * np.abs(inside))
        assert np.all(N.recovery_error(outside, e, p, angle_resolution=sigma) > r * np.abs(outside))
    assert_allclose(win.ratio, win.positive[1] / win.positive[0])
    assert win.as_dict() == {"positive": win.positive, "negative": win.negative, "ratio": win.ratio}
    # coarser resolution than the precision asked: no window
    assert N.dynamic_range(e, p, angle_resolution=0.5, rel_error=0.01).positive is None


def test_centred_position_gives_closed_form_window():
    e = np.array([1.0, -1.0, 0.0, 0.0])
    p = np.array([0.0, 0.0, 2.0, -2.0])  # orthogonal to e: a = 0
    c, a, b = N.ray_geometry(e, p)
    assert a == pytest.approx(0.0, abs=1e-15)
    s, r = 1e-2, 0.1
    lo, hi = N.dynamic_range(e, p, angle_resolution=s, rel_error=r).positive
    assert_allclose(lo * hi, (b / c) ** 2, rtol=1e-12)
    assert_allclose(hi / lo, ((r + math.sqrt(r * r - 4 * s * s)) / (2 * s)) ** 2, rtol=1e-12)


def test_frequency_bias_model():
    v = np.round(1 + 0.01 * np.arange(100), 2)
    prior = N.zipf_prior(100, 1.0, seed=0)
    assert_allclose(prior.sum(), 1.0, rtol=1e-12)
    assert_allclose(prior, N.zipf_prior(100, 1.0, seed=0))
    r = N.overprediction_ratio(v, prior, sigma=0.03, k=5)
    assert r.map > 1.2 > 1.0 > r.mean
    # no noise: both predict the truth, ratio 1
    r0 = N.overprediction_ratio(v, prior, sigma=1e-4, k=5)
    assert_allclose([r0.map, r0.mean], [1.0, 1.0], atol=1e-6)
    # a uniform prior has no frequent values to favour: the MAP is the nearest value
    flat = np.full(100, 0.01)
    pred = N.bayes_predictions(v, flat, np.array([1.004, 1.496]), sigma=0.03)
    assert_allclose(pred.map, [1.0, 1.5])
    assert list(pred.as_dict()) == ["map", "mean"]
    assert r.as_dict() == {"map": r.map, "mean": r.mean, "top_mass": r.top_mass}
