"""Symbolic checks of ``memtheory.numbers`` (xVal's ray through LayerNorm).

Source: Golkar et al. 2023, *xVal*, arXiv 2310.02989 (notes ``../shared/papers/xval.md``
§1.4). Each check derives the closed form with sympy and compares it with the numeric function
in ``memtheory.numbers`` it justifies.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from memtheory import numbers as N
from proofs_check._core import check


def _ln(u):
    d = len(u)
    mean = sum(u) / d
    c = [ui - mean for ui in u]
    var = sum(ci**2 for ci in c) / d
    return [ci / sp.sqrt(var) for ci in c]


@check("LN(x e) = sign(x) LN(e) for x != 0 (eps = 0), any gamma, beta; numeric to 1e-12")
def ln_scale_identity():
    d = 4
    e = sp.symbols(f"e0:{d}", real=True)
    g = sp.symbols(f"g0:{d}", real=True)
    b = sp.symbols(f"b0:{d}", real=True)
    ln_e = _ln(e)
    for x in (sp.Symbol("x", positive=True), -sp.Symbol("y", positive=True)):
        lhs = [gi * li + bi for gi, li, bi in zip(g, _ln([x * ei for ei in e]), b, strict=True)]
        rhs = [gi * sp.sign(x) * li + bi for gi, li, bi in zip(g, ln_e, b, strict=True)]
        for L, R in zip(lhs, rhs, strict=True):
            assert sp.simplify(L - R) == 0, (x, L, R)
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(20):
        ev, gv, bv = rng.normal(size=(3, 16))
        xv = float(rng.choice([-1, 1]) * 10 ** rng.uniform(-4, 4))
        diff = N.layer_norm(xv * ev, gv, bv) - (np.sign(xv) * gv * N.layer_norm(ev) + bv)
        worst = max(worst, float(np.max(np.abs(diff))))
    assert worst < 1e-12, worst
    return f"symbolic for d=4, x>0 and x<0; numeric max |diff| {worst:.1e} (d=16, |x| 1e-4..1e4)"


@check("|d/dx LN(x e + p)| = sqrt(d) c b / ((c x + a)^2 + b^2) and x = (b cot(theta) - a)/c")
def ln_speed():
    x, a = sp.symbols("x a", real=True)
    c, b, d = sp.symbols("c b d", positive=True)
    # in the plane (e_hat, p_perp_hat) the centered vector is u = (c x + a, b); LN = sqrt(d) u/|u|
    u = sp.Matrix([c * x + a, b])
    h = sp.sqrt(d) * u / sp.sqrt(u.dot(u))
    dh = h.diff(x)
    speed2 = sp.simplify(dh.dot(dh))
    claim = sp.sqrt(d) * c * b / ((c * x + a) ** 2 + b**2)
    assert sp.simplify(speed2 - claim**2) == 0, speed2
    theta = sp.atan2(b, c * x + a)
    inverse = (b * sp.cos(theta) / sp.sin(theta) - a) / c
    assert sp.simplify(inverse - x) == 0, inverse
    rng = np.random.default_rng(1)
    ev, pv = rng.normal(size=(2, 12))
    xs = np.linspace(-5, 5, 11)
    hstep = 1e-6
    fd = np.linalg.norm(
        N.layer_norm((xs[:, None] + hstep) * ev + pv)
        - N.layer_norm((xs[:, None] - hstep) * ev + pv),
        axis=1,
    ) / (2 * hstep)
    rel = float(np.max(np.abs(N.ln_speed(xs, ev, pv) - fd) / fd))
    assert rel < 1e-6, rel
    rec = float(np.max(np.abs(N.recover(N.layer_norm(xs[:, None] * ev + pv), ev, pv) - xs)))
    assert rec < 1e-12, rec
    return f"symbolic speed and inverse; finite differences rel. err {rel:.1e}; recovery {rec:.1e}"


@check("dynamic range: sigma((cx+a)^2+b^2) = r c b x has roots x_pm; a=0: x+ x- = (b/c)^2")
def dynamic_range():
    x, a = sp.symbols("x a", real=True)
    c, b, s, r = sp.symbols("c b sigma r", positive=True)
    roots = sp.solve(sp.Eq(s * ((c * x + a) ** 2 + b**2), r * c * b * x), x)
    B = r * c * b - 2 * s * a * c
    disc = B**2 - 4 * s**2 * c**2 * (a**2 + b**2)
    claim = {(B - sp.sqrt(disc)) / (2 * s * c**2), (B + sp.sqrt(disc)) / (2 * s * c**2)}
    assert len(roots) == 2
    for root in roots:
        assert any(sp.simplify(root - cl) == 0 for cl in claim), root
    lo, hi = ((rb.subs(a, 0)) for rb in sorted(claim, key=str))
    assert sp.simplify(lo * hi - b**2 / c**2) == 0
    ratio = sp.simplify(
        ((r + sp.sqrt(r**2 - 4 * s**2)) / (2 * s)) ** 2
        - (B + sp.sqrt(disc)).subs(a, 0) / (B - sp.sqrt(disc)).subs(a, 0)
    )
    assert sp.simplify(ratio.subs({r: sp.Rational(1, 10), s: sp.Rational(1, 100)})) == 0, ratio
    rng = np.random.default_rng(2)
    ev, pv = rng.normal(size=(2, 16))
    sv, rv = 1e-3, 0.02
    win = N.dynamic_range(ev, pv, angle_resolution=sv, rel_error=rv)
    worst = 0.0
    for window in (win.positive, win.negative):
        for xb in window:
            err = N.recovery_error(np.array([xb]), ev, pv, angle_resolution=sv)[0]
            worst = max(worst, abs(err - rv * abs(xb)) / (rv * abs(xb)))
    assert worst < 1e-12, worst
    return (
        f"roots symbolic; numeric edges meet delta x = r|x| to {worst:.1e}; "
        f"window ratio {win.ratio:.4g} at sigma={sv:g}, r={rv:g} (d=16, random e, p); "
        f"pi/sigma={math.pi / sv:.0f}"
    )
