"""Symbolic checks of ``memtheory.capacity.outer_product``."""

from __future__ import annotations

import math

import sympy as sp

from memtheory import capacity as cap
from proofs_check._core import check


@check("outer product: Var(correct) = (k-1)/d + (N-k)/d^2, Var(wrong) = (k+1)/d + (N-k-1)/d^2")
def outer_product_noise():
    d, N, k = sp.symbols("d N k", positive=True)
    # E[(a.b)^2] for independent uniform unit vectors: E[a a^T] = I/d, so E[b^T a a^T b] = 1/d
    dim = 5
    trace_identity = sp.trace(sp.eye(dim) / dim)  # E|b|^2 / d with E[b b^T] = I/d
    assert trace_identity == 1
    # correct score 1 + sum_{x' != x}(u_f(x).u_f(x'))(e_x'.e_x): same class (k - 1 terms, u.u = 1)
    # contribute 1/d each; other classes (N - k terms) contribute (1/d)(1/d)
    var_c = (k - 1) * (1 / d) + (N - k) * (1 / d) ** 2
    # wrong score of y: x' = x gives (u_y.u_f(x)) * 1 -> 1/d; class y (k terms) gives
    # e_x'.e_x -> 1/d each; the other N - k - 1 terms give 1/d^2 each
    var_w = 1 / d + k / d + (N - k - 1) / d**2
    bij_c, bij_w = var_c.subs(k, 1), var_w.subs(k, 1)
    assert sp.simplify(bij_c - (N - 1) / d**2) == 0
    assert sp.simplify(bij_w - (2 / d + (N - 2) / d**2)) == 0
    worst = 0.0
    for nv, dv, mv in ((1000, 64, 1000), (5000, 100, 32), (200, 30, 7)):
        sc_, sw_ = cap.outer_product_noise(nv, dv, mv)
        subs = {N: nv, d: dv, k: sp.Rational(nv, mv)}
        worst = max(
            worst,
            abs(sc_**2 - float(var_c.subs(subs))),
            abs(sw_**2 - float(var_w.subs(subs))),
        )
    assert worst < 1e-15, worst
    return f"term-by-term variance; bijection limits exact; numeric max diff {worst:.1e}"


@check(
    "all facts: min_a a^2/2 + (s-a)^2/2 - ln M = ln N gives s^2 = 4 ln(NM) (N >= M),"
    " = 8 ln N at M = N"
)
def outer_product_all_facts_log_factor():
    a, s, lnN, lnM = sp.symbols("a s lnN lnM", positive=True)
    rate = a**2 / 2 + (s - a) ** 2 / 2 - lnM
    a_star = sp.solve(sp.diff(rate, a), a)[0]
    assert sp.simplify(a_star - s / 2) == 0
    s2 = sp.solve(sp.Eq(rate.subs(a, a_star), lnN), s)
    s2 = [r for r in s2 if r.is_positive is not False][0] ** 2
    assert sp.simplify(s2 - 4 * (lnN + lnM)) == 0, s2
    # constraint (s - a*)^2 >= 2 ln M  <=>  ln N >= ln M; boundary branch N < M
    branch = 2 * (sp.sqrt(lnN) + sp.sqrt(lnM)) ** 2
    assert sp.simplify((s2 - branch).subs(lnM, lnN)) == 0  # continuous at N = M
    assert sp.simplify(s2.subs(lnM, lnN) - 8 * lnN) == 0
    # numeric: s^2 = c L with c = 8
    worst = 0.0
    for nv, mv in ((10**5, 10**5), (10**6, 50), (100, 10**4)):
        ref = (
            4 * math.log(nv * mv)
            if nv >= mv
            else float(branch.subs({lnN: math.log(nv), lnM: math.log(mv)}))
        )
        got = cap.OUTER_PRODUCT_C_ALL.value * cap.outer_product_log_factor(nv, mv, "all")
        worst = max(worst, abs(got - ref) / ref)
    assert worst < 1e-12, worst
    # single fact: max of M Gaussians ~ sqrt(2 ln M): M * exp(-c ln M / 2) -> 0 iff c > 2
    Mv = sp.symbols("M", positive=True)
    assert sp.limit(Mv * sp.exp(-sp.Rational(21, 10) * sp.log(Mv) / 2), Mv, sp.oo) == 0
    assert sp.limit(Mv * sp.exp(-sp.Rational(19, 10) * sp.log(Mv) / 2), Mv, sp.oo) == sp.oo
    return (
        "a* = s/2, s^2 = 4 ln(NM), = 8 ln N at M = N; per-fact threshold c = 2; "
        f"max diff {worst:.0e}"
    )
