"""The torch-autograd teleport problem equals the analytic one (logistic regression)."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from empirical.experiments.teleport.autograd import autograd_problem
from memtheory import teleport as tp


def _logistic(seed=0, n=60, d=5, l2=1e-2):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sign(X @ rng.standard_normal(d) + rng.standard_normal(n))
    y[y == 0] = 1.0
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def loss(w):
        return torch.nn.functional.softplus(-yt * (Xt @ w)).mean() + 0.5 * l2 * (w @ w)

    return tp.logistic_regression(X, y, l2), autograd_problem(loss, d), rng


def test_gradient_and_hvp_match_the_analytic_ones():
    exact, auto, rng = _logistic()
    for _ in range(5):
        w, v = rng.standard_normal(5), rng.standard_normal(5)
        assert_allclose(auto.f(w), exact.f(w), rtol=1e-13)
        assert_allclose(auto.grad(w), exact.grad(w), rtol=1e-12, atol=1e-15)
        assert_allclose(auto.hvp(w, v), exact.hvp(w, v), rtol=1e-12, atol=1e-15)


def test_teleport_with_autograd_reaches_the_same_point():
    exact, auto, rng = _logistic(seed=1)
    w0 = 2.0 * rng.standard_normal(5)
    a = tp.teleport(exact, w0, tol=1e-10, max_iter=2000)
    b = tp.teleport(auto, w0, tol=1e-10, max_iter=2000)
    assert a.kkt_residual <= 1e-6 and b.kkt_residual <= 1e-6
    assert_allclose(b.w, a.w, rtol=1e-6, atol=1e-8)


def test_wrong_shape_is_refused():
    _, auto, _ = _logistic()
    with pytest.raises(ValueError, match="shape"):
        auto.grad(np.zeros(4))
    with pytest.raises(ValueError, match="dim"):
        autograd_problem(lambda w: w.sum(), 0)
