"""Symbolic checks of ``memtheory.normalization`` (McCabe et al. 2023, arXiv 2310.02994)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import normalization as nz
from proofs_check._core import check


@check("RevIN: F(a x + b) = a F(x) + b for a > 0, any inner g (eps = 0)")
def revin_equivariance():
    a, sig = sp.symbols("a sigma", positive=True)
    b, mu, x = sp.symbols("b mu x", real=True)
    g = sp.Function("g")
    # the statistics of a x + b are a mu + b and a sigma (a > 0)
    F_x = sig * g((x - mu) / sig) + mu
    F_ax = (a * sig) * g(((a * x + b) - (a * mu + b)) / (a * sig)) + (a * mu + b)
    assert sp.simplify(F_ax - (a * F_x + b)) == 0
    # numeric: a random two-layer tanh network, three fields with their own a and b
    rng = np.random.default_rng(0)
    W1, W2 = rng.standard_normal((3, 16)), rng.standard_normal((16, 3))

    def net(z):
        return np.tanh(z @ W1) @ W2

    xs = rng.standard_normal((16, 8, 3))
    av, bv = np.array([0.5, 3.0, 40.0]), np.array([-2.0, 0.0, 7.0])
    err = np.abs(nz.revin(net, av * xs + bv, eps=0) - (av * nz.revin(net, xs, eps=0) + bv)).max()
    assert err < 1e-10, err
    return f"exact; numeric max error {err:.1e}"


@check("normalized MSE is invariant when a field's prediction and target scale together")
def nmse_scale_invariance():
    s = sp.symbols("s", positive=True)
    e1, e2, y1, y2 = sp.symbols("e1 e2 y1 y2", real=True)
    loss = (e1**2 + e2**2) / (y1**2 + y2**2)
    scaled = ((s * e1) ** 2 + (s * e2) ** 2) / ((s * y1) ** 2 + (s * y2) ** 2)
    assert sp.simplify(scaled - loss) == 0
    rng = np.random.default_rng(1)
    y, p = rng.standard_normal((50, 2)), rng.standard_normal((50, 2))
    scale = np.array([1.0, 1e3])
    diff = np.abs(nz.normalized_mse(p * scale, y * scale, eps=0) - nz.normalized_mse(p, y, 0))
    assert diff.max() < 1e-12, diff
    return "exact"


@check("sub-sampled embedding: Var(sqrt(n/k) sum_{c in S} x_c W_c) = n v for every k")
def embedding_variance():
    n, k, v = sp.symbols("n k v", positive=True)
    # k independent unit-variance inputs times independent weights of variance v
    var = (sp.sqrt(n / k)) ** 2 * k * v
    assert sp.simplify(var - n * v) == 0
    for kk in (1, 5, 12):
        assert abs(nz.embedding_scale(kk) ** 2 * kk - 12) < 1e-12
    return "n v, independent of k"
