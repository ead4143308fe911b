"""memtheory.teleport: solver optimality on quadratics, invariants, the rate bound, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import teleport as tp


def _spd(seed, d, kappa):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.geomspace(1.0, kappa, d)
    A = (Q * lam) @ Q.T
    return 0.5 * (A + A.T), lam, rng


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    d=st.integers(2, 12),
    kappa=st.floats(2.0, 50.0),
    scale=st.floats(0.1, 10.0),
)
def test_quadratic_teleport_reaches_the_closed_form(seed, d, kappa, scale):
    A, lam, rng = _spd(seed, d, kappa)
    w0 = scale * rng.standard_normal(d)
    prob = tp.quadratic(A)
    res = tp.teleport(prob, w0, tol=1e-10, max_iter=20000)
    g = prob.grad(res.w)
    assert res.constraint_gap <= 1e-12 * max(1.0, prob.f(w0))
    assert_allclose(g @ g, tp.quadratic_max_grad_norm_sq(A, prob.f(w0)), rtol=1e-8)
    assert res.kkt_residual <= 1e-6


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), c=st.floats(0.01, 100.0))
def test_scaling_f_leaves_the_teleport_point(seed, c):
    """argmax of |grad f|^2 on {f <= f0} is invariant under f -> c f."""
    A, _, rng = _spd(seed, 6, 20.0)
    w0 = rng.standard_normal(6)
    a = tp.teleport(tp.quadratic(A), w0, tol=1e-11, max_iter=20000).w
    b = tp.teleport(tp.quadratic(c * A), w0, tol=1e-11, max_iter=20000).w
    assert_allclose(np.abs(a @ b) / (a @ a), 1.0, atol=1e-6)  # same point up to the sign


def test_isotropic_quadratic_has_no_gain():
    prob = tp.quadratic(3.0 * np.eye(5))
    w0 = np.arange(1.0, 6.0)
    res = tp.teleport(prob, w0)
    assert_allclose(prob.grad(res.w) @ prob.grad(res.w), prob.grad(w0) @ prob.grad(w0), rtol=1e-12)


@pytest.mark.parametrize("schedule", [(), range(0, 30), range(0, 30, 2), (3, 7, 20)])
def test_convex_rate_bound_holds_for_any_schedule(schedule):
    A, lam, rng = _spd(1, 8, 30.0)
    prob = tp.quadratic(A)
    w0 = rng.standard_normal(8)
    run = tp.gd_teleport(prob, w0, steps=30, lr=1 / lam[-1], schedule=schedule, f_star=0.0)
    R2 = tp.quadratic_sublevel_radius_sq(A, prob.f(w0))
    for K in range(1, 31):
        assert run["suboptimality"][K] <= tp.convex_rate_bound(
            R2=R2, K=K, lr=1 / lam[-1], L=lam[-1]
        )


def test_logistic_teleport_every_other_step_beats_gd():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 5))
    y = np.sign(X @ rng.standard_normal(5) + rng.standard_normal(100))
    prob = tp.logistic_regression(X, y, 1e-3)
    _, f_star = tp.newton_minimize(prob, np.zeros(5))
    gd = tp.gd_teleport(prob, np.zeros(5), steps=20, f_star=f_star)
    tel = tp.gd_teleport(prob, np.zeros(5), steps=20, f_star=f_star, schedule=range(0, 20, 2))
    assert tel["suboptimality"][-1] < 1e-3 * gd["suboptimality"][-1]
    assert tel["kkt_residual"][0] < 1e-6  # later teleports start at |grad f| ~ 1e-8


def test_logistic_hvp_matches_finite_differences():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((30, 4)), rng.choice([-1.0, 1.0], 30)
    prob = tp.logistic_regression(X, y, 0.1)
    w, v = rng.standard_normal(4), rng.standard_normal(4)
    h = 1e-6
    fd = (prob.grad(w + h * v) - prob.grad(w - h * v)) / (2 * h)
    assert_allclose(prob.hvp(w, v), fd, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: tp.quadratic([[1.0, 2.0], [0.0, 1.0]]), "A"),
        (lambda: tp.quadratic([[-1.0, 0.0], [0.0, 1.0]]), "A"),
        (lambda: tp.logistic_regression(np.ones((3, 2)), [1, 0, 1]), "y"),
        (lambda: tp.logistic_regression(np.ones((3, 2)), [1, -1]), "y"),
        (lambda: tp.teleport(tp.quadratic(np.eye(2)), [1.0, 2.0, 3.0]), "w"),
        (lambda: tp.teleport(tp.quadratic(np.eye(2)), [1.0, np.nan]), "w"),
        (lambda: tp.teleport(tp.quadratic(np.eye(2)), [1.0, 2.0], rho=0), "rho"),
        (lambda: tp.convex_rate_bound(R2=1.0, K=5, lr=2.0, L=1.0), "lr"),
        (lambda: tp.convex_rate_bound(R2=1.0, K=0, lr=0.5, L=1.0), "K"),
        (lambda: tp.quadratic_sublevel_radius_sq(np.diag([1.0, 0.0]), 1.0), "A"),
        (lambda: tp.gd_teleport(tp.quadratic(np.eye(2)), [1.0, 1.0], steps=-1), "steps"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()
