"""Symbolic checks of ``memtheory.periodic_pde``: the Fourier mode solves u_t + c u_x = nu u_xx,
the multiplier is a semigroup, unitary for advection and contracting for diffusion."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import periodic_pde as pp
from proofs_check._core import check


@check("exp(i k x - (i c k + nu k^2) t) and its real part solve u_t + c u_x = nu u_xx")
def fourier_mode_solves_pde():
    x, t, c = sp.symbols("x t c", real=True)
    k, nu = sp.symbols("k nu", positive=True)
    u = sp.exp(sp.I * k * x - (sp.I * c * k + nu * k**2) * t)
    residual = sp.diff(u, t) + c * sp.diff(u, x) - nu * sp.diff(u, x, 2)
    assert sp.simplify(residual) == 0
    real = sp.cos(k * (x - c * t)) * sp.exp(-nu * k**2 * t)  # the real mode, a shifted cosine
    residual = sp.diff(real, t) + c * sp.diff(real, x) - nu * sp.diff(real, x, 2)
    assert sp.simplify(residual) == 0
    # numeric: evolve a single grid mode and compare with the closed form at the grid points
    n, m, cv, nuv, dtv = 16, 3, 0.7, 0.05, 0.4
    xs = pp.TWO_PI * np.arange(n) / n
    got = pp.evolve(np.cos(m * xs), c=cv, nu=nuv, dt=dtv)
    want = np.cos(m * (xs - cv * dtv)) * np.exp(-nuv * m**2 * dtv)
    err = float(np.abs(got - want).max())
    assert err < 1e-13, err
    return f"exact; evolve matches the closed-form mode to {err:.1e}"


@check("multiplier: S(t1) S(t2) = S(t1 + t2); |S| = 1 if nu = 0; 0 < |S| <= 1 if nu >= 0")
def multiplier_semigroup():
    t1, t2, c = sp.symbols("t1 t2 c", real=True)
    k, nu = sp.symbols("k nu", nonnegative=True)
    lam = -(sp.I * c * k + nu * k**2)
    assert sp.simplify(sp.exp(lam * t1) * sp.exp(lam * t2) - sp.exp(lam * (t1 + t2))) == 0
    mod2 = sp.simplify(sp.exp(lam * t1) * sp.conjugate(sp.exp(lam * t1)))
    assert sp.simplify(mod2 - sp.exp(-2 * nu * k**2 * t1)) == 0  # 1 at nu = 0, <= 1 for t1 >= 0
    # numeric: the memtheory multiplier at random rational points
    rng = np.random.default_rng(3)
    worst = 0.0
    for _ in range(20):
        cv, nuv, dtv = (
            float(sp.Rational(int(v * 1000), 1000)) for v in rng.uniform([-1, 0, 0], [1, 0.2, 1])
        )
        want = [complex(sp.exp(lam.subs({c: cv, nu: nuv, k: km}) * dtv)) for km in range(9)]
        worst = max(worst, float(np.abs(pp.multiplier(16, c=cv, nu=nuv, dt=dtv) - want).max()))
    assert worst < 1e-14, worst
    return f"exact; multiplier matches at 20 random points to {worst:.1e}"
