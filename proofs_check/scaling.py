"""Symbolic checks of ``memtheory.scaling`` (Zipf data, scaling laws of associative memories).

Source: Cabannes, Dohmatob & Bietti, arXiv 2310.02984. Each check derives a closed form with
sympy and compares it with the numeric function in ``memtheory.scaling`` it justifies.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from memtheory import scaling as sc
from proofs_check._core import check


@check(
    "K_alpha: int_0^inf p(x) e^{-T p(x)} dx, p = x^-a/zeta(a),"
    " = Gamma(1-1/a)/(a zeta^(1/a)) T^(1/a-1)"
)
def finite_data_constant():
    x, T, c, u = sp.symbols("x T c u", positive=True)
    a = sp.symbols("alpha", positive=True)
    # general alpha: substitute u = T c x^-alpha in int_0^inf c x^-a exp(-T c x^-a) dx
    xu = (T * c / u) ** (1 / a)
    integrand = (c * xu ** (-a)) * sp.exp(-u) * (-sp.diff(xu, u))
    gamma_int = sp.integrate(u ** (-1 / a) * sp.exp(-u), (u, 0, sp.oo), conds="none")
    assert sp.simplify(gamma_int - sp.gamma(1 - 1 / a)) == 0, gamma_int
    prefactor = sp.simplify(integrand / (u ** (-1 / a) * sp.exp(-u)))
    closed = sp.simplify(prefactor * sp.gamma(1 - 1 / a))
    claim = sp.gamma(1 - 1 / a) * c ** (1 / a) * T ** (1 / a - 1) / a
    assert sp.simplify(sp.powsimp(closed / claim, force=True)) == 1, closed
    # direct integral at alpha = 3/2 (no substitution)
    a0 = sp.Rational(3, 2)
    direct = sp.integrate(c * x ** (-a0) * sp.exp(-T * c * x ** (-a0)), (x, 0, sp.oo))
    assert sp.simplify(direct - claim.subs(a, a0)) == 0, direct
    worst = 0.0
    for av in (1.5, 2.0, 3.0):
        k_sym = float((sp.gamma(1 - 1 / a) / (a * sp.zeta(a) ** (1 / a))).subs(a, av).evalf(30))
        worst = max(worst, abs(k_sym - sc.finite_data_constant(av)) / k_sym)
    assert worst < 1e-12, worst
    # the exact finite sum approaches the asymptote (n = 1e6, T = 1e4, alpha = 2)
    ratio = sc.missing_mass(1e4, 2.0, facts=10**6) / sc.missing_mass(1e4, 2.0)
    assert abs(ratio - 1) < 1e-3, ratio
    return (
        f"Gamma integral and alpha=3/2 direct integral agree; rel. err vs numeric {worst:.1e}; "
        f"exact/asymptotic missing mass at n=1e6, T=1e4: {ratio:.5f}"
    )


@check("Zipf tail sum_{x>P} x^-a/zeta(a) ~ P^(1-a)/((a-1) zeta(a)) (integral comparison)")
def zipf_tail():
    x, P = sp.symbols("x P", positive=True)
    a = sp.symbols("alpha", positive=True)
    integral = sp.integrate(x ** (-a), (x, P, sp.oo), conds="none")
    claim = P ** (1 - a) / (a - 1)
    assert sp.simplify((integral - claim).subs(a, a + 1)) == 0, integral
    # sum vs integral: int_{P+1}^inf <= sum_{x>P} <= int_P^inf; Hurwitz zeta is the exact sum
    worst = 0.0
    for av, pv in ((1.5, 100), (2.0, 1000), (3.0, 50)):
        exact = float(sp.zeta(av, pv + 1).evalf(30) / sp.zeta(av).evalf(30))
        asym = sc.zipf_tail(pv, av)
        lower = float(((pv + 1) ** (1 - av) / (av - 1)) / sp.zeta(av).evalf(30))
        assert lower <= exact <= asym, (av, pv, lower, exact, asym)
        worst = max(worst, abs(asym - exact) / exact)
        assert abs(asym - exact) / exact < av / pv  # Euler-Maclaurin: rel. error ~ (a-1)/(2P)
    return (
        f"integral = P^(1-a)/(a-1); Hurwitz-zeta exact tail within bounds, max rel. err {worst:.1e}"
    )


@check("SGD map dq/dn = g/(1+e^q/(M-1)) conserves (M-1) q + e^q - g (M-1) n; closed form via W")
def sgd_invariant():
    n, g = sp.symbols("n gamma", positive=True)
    M = sp.symbols("M", positive=True)
    q = sp.Function("q")(n)
    rate = g / (1 + sp.exp(q) / (M - 1))
    inv = (M - 1) * q + sp.exp(q)
    d_inv = sp.diff(inv, n).subs(sp.diff(q, n), rate)
    assert sp.simplify(d_inv - g * (M - 1)) == 0, d_inv
    # closed form q = K/a - W(e^{K/a}/a) solves a q + e^q = K
    a, K = sp.symbols("a K", positive=True)
    z = sp.exp(K / a) / a
    qq = K / a - sp.LambertW(z)
    resid = a * qq + sp.exp(K / a) * sp.LambertW(z) / z - K  # e^{-W(z)} = W(z)/z
    assert sp.simplify(resid) == 0, resid
    w = sp.Symbol("w", positive=True)
    assert sp.simplify(sp.exp(-w) - w / (w * sp.exp(w))) == 0
    # numeric: the memtheory root satisfies the invariant; small steps follow the flow
    nv = np.array([0.5, 3.0, 40.0, 2000.0])
    qv = sc.sgd_weight_continuous(nv, 0.7, 6)
    target = 0.7 * 5 * nv + 1
    resid_num = float(np.max(np.abs(sc.sgd_invariant(qv, 6) - target) / target))
    assert resid_num < 1e-11, resid_num
    disc = sc.sgd_weight(1000, 0.001, 6)
    cont = sc.sgd_weight_continuous(1000.0, 0.001, 6)
    assert abs(disc - cont) / cont < 1e-3, (disc, cont)
    return (
        "dI/dn = gamma (M-1) exactly; W closed form verified; "
        f"rel. |I(q) - target| {resid_num:.1e}; "
        f"discrete vs flow at gamma=1e-3, n=1000: {disc:.6f} vs {cont:.6f}"
    )


@check("power scheme q = p^rho: stored iff d p^(2 rho) >= Q, error ~ d^-((a-1)/(2 rho a))")
def power_scheme_exponent():
    d, Q, X = sp.symbols("d Q X", positive=True)
    a, rho = sp.symbols("alpha rho", positive=True)
    # p(x) ~ x^-a: the last stored rank X solves d X^(-2 rho a) = Q; error = tail ~ X^(1-a)
    X_d = sp.solve(sp.Eq(d * X ** (-2 * rho * a), Q), X)[0]
    tail = X_d ** (1 - a)
    slope = sp.simplify(sp.diff(sp.expand_log(sp.log(tail), force=True), d) * d)
    claim = -(a - 1) / (2 * rho * a)
    assert sp.simplify(slope - claim) == 0, slope
    vals = [(2.0, 1.0), (3.0, 0.5), (1.5, 2.0)]
    worst = max(
        abs(float(-claim.subs({a: av, rho: rv})) - sc.exponent_d("power", av, rv))
        for av, rv in vals
    )
    assert worst < 1e-14
    # thresholding at P = d/r: tail slope in d is 1 - alpha
    r = sp.symbols("r", positive=True)
    thr = sp.simplify(sp.diff(sp.log((d / r) ** (1 - a)), d) * d)
    assert sp.simplify(thr - (1 - a)) == 0
    return (
        f"slope -(a-1)/(2 rho a) (d^-1/4 at a=2, rho=1); threshold slope 1-a; max diff {worst:.0e}"
    )


@check("joint law: threshold error = tail(d/r) + unseen mass, exponents a-1 and 1-1/a")
def joint_law():
    d, T = sp.symbols("d T", positive=True)
    a, r, z = sp.symbols("alpha r zeta", positive=True)
    K = sp.gamma(1 - 1 / a) / (a * z ** (1 / a))
    law = (d / r) ** (1 - a) / ((a - 1) * z) + K * T ** (1 / a - 1)
    e_d = sp.simplify(d * sp.diff((d / r) ** (1 - a), d) / (d / r) ** (1 - a))
    e_T = sp.simplify(T * sp.diff(T ** (1 / a - 1), T) / T ** (1 / a - 1))
    assert sp.simplify(e_d + (a - 1)) == 0 and sp.simplify(e_T + (1 - 1 / a)) == 0
    av, dv, Tv = 2.5, 300.0, 5e3
    ref = float(law.subs({a: av, r: 8, z: sp.zeta(av), d: dv, T: Tv}).evalf(30))
    got = sc.joint_law(dv, Tv, av)
    assert abs(ref - got) / ref < 1e-12, (ref, got)
    assert math.isclose(sc.exponent_T("threshold", av), 1 - 1 / av)
    rel = abs(ref - got) / ref
    return f"exponents -(a-1) in d and -(1-1/a) in T; law at a=2.5 matches numeric to {rel:.1e}"
