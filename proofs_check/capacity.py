"""Symbolic checks of ``memtheory.capacity`` (capacity of associative memories).

Sources: Nichani, Lee & Bietti, arXiv 2412.06538 (parameter count, fits); the outer-product
signal/noise analysis is derived in ``memtheory.capacity`` and checked here. Each check compares
the closed form with the numeric function it justifies.
"""

from __future__ import annotations

import math

import sympy as sp

from memtheory import capacity as cap
from proofs_check._core import check


@check(
    "one-layer transformer: Q,K,V (d x H d_h), O (H d_h x d), MLP (m x d, d x m)"
    " = 4 H d_h d + 2 m d"
)
def transformer_parameter_count():
    d, H, dh, m = sp.symbols("d H d_h m", positive=True, integer=True)
    shapes = {
        "W_Q": (d, H * dh),
        "W_K": (d, H * dh),
        "W_V": (d, H * dh),
        "W_O": (H * dh, d),
        "W_in": (m, d),
        "W_out": (d, m),
    }
    total = sum(r * c for r, c in shapes.values())
    assert sp.expand(total - (4 * H * dh * d + 2 * m * d)) == 0
    pts = [(32, 8, 8, 64), (128, 4, 32, 512), (8, 1, 1, 0)]
    for dv, hv, dhv, mv in pts:
        ref = int(total.subs({d: dv, H: hv, dh: dhv, m: mv}))
        assert cap.transformer_parameters(dv, hv, dhv, mv) == ref
    return f"sum of the six weight shapes = 4 H d_h d + 2 m d; numeric equal at {len(pts)} points"


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


@check("required_dimension inverts the laws: d^2 = s^2 N (1 + d/M), N ln N = y -> N = e^W(y)")
def inversions():
    d, N, s2, M, y = sp.symbols("d N s2 M y", positive=True)
    roots = sp.solve(sp.Eq(d**2, s2 * N * (1 + d / M)), d)
    pos = [r for r in roots if r.subs({N: 100, s2: 10, M: 100}).evalf() > 0]
    assert len(pos) == 1
    root = pos[0]
    worst = 0.0
    for nv, mv, crit in ((1000, None, "all"), (10**6, 32, "fact"), (77, 5000, "all")):
        mm = nv if mv is None else mv
        sv = (8 if crit == "all" else 2) * cap.outer_product_log_factor(nv, mm, crit)
        ref = float(root.subs({N: nv, M: mm, s2: sv}))
        got = cap.outer_product_required_dimension(nv, mv, crit)
        worst = max(worst, abs(got - ref) / ref)
        back = cap.outer_product_capacity(got, mv, crit)
        worst = max(worst, abs(back - nv) / nv)
    # N ln N = y  <=>  N = exp(W(y)):  W e^W = y
    Nsol = sp.exp(sp.LambertW(y))
    assert sp.simplify(sp.log(Nsol) - sp.LambertW(y)) == 0
    # e^W W = y is LambertW's defining identity: check it at rational points to 40 digits
    resid = (Nsol * sp.log(Nsol) - y).subs(y, sp.Rational(7, 3)).evalf(40)
    assert abs(resid) < 1e-30, resid
    for dv in (16.0, 100.0, 3000.0):
        yv = dv**2 / cap.TRAINED_LINEAR_C.value
        ref = float(sp.exp(sp.LambertW(yv)).evalf(30))
        worst = max(worst, abs(cap.trained_linear_capacity(dv) - ref) / ref)
        ref_mlp = float(sp.exp(sp.LambertW(dv * 4 * dv / cap.MLP_C_LOG.value)).evalf(30))
        worst = max(worst, abs(cap.mlp_capacity(4 * dv, dv) - ref_mlp) / ref_mlp)
        bits = dv**2 * 2.0  # information floor: N log2 N = params * b
        ref_f = float(sp.exp(sp.LambertW(bits * sp.log(2))).evalf(30))
        got_f = cap.facts_capacity("information_floor", parameters=dv**2)
        worst = max(worst, abs(got_f - ref_f) / ref_f)
    assert worst < 1e-9, worst
    return (
        f"positive quadratic root and Lambert-W inversions match numeric; max rel. diff {worst:.1e}"
    )


@check("information floor: N log2 M bits, N log2 M / b parameters; MLP fits are ~2 bits/param")
def information_floor():
    N, M, b = sp.symbols("N M b", positive=True)
    bits = N * sp.log(M, 2)
    assert sp.simplify(bits.subs(M, 2**10) - 10 * N) == 0
    for nv, mv, bv in ((10**5, 10**5, 2.0), (3000, 8, 0.5)):
        ref = float((bits / b).subs({N: nv, M: mv, b: bv}).evalf(30))
        got = cap.information_floor_parameters(nv, mv, bv)
        assert abs(got - ref) / ref < 1e-12, (got, ref)
    # md = 1.2 N at M = 32 and md = 0.35 N ln N at M = N give (N log2 M) / (2 md) bits/param
    at32 = float(5 / (2 * sp.Rational(12, 10)))
    atN = float(1 / (2 * sp.Rational(35, 100) * sp.log(2)))
    assert abs(at32 - 2.0833) < 1e-3 and abs(atN - 2.0609) < 1e-3
    return f"floor formula exact; MLP fits store {at32:.3f} (M=32) and {atN:.3f} (M=N) bits/param"


@check("geometric l2 bound: Phi_u.Phi_v >= 1 on a matching of size nu => ||Phi||_F^2 >= 2 nu")
def geometric_l2_matching():
    x, y = sp.symbols("x y", positive=True)  # ||Phi_u||, ||Phi_v||
    # Cauchy-Schwarz: 1 <= Phi_u.Phi_v <= x y, and x^2 + y^2 - 2 = (x - y)^2 + 2(xy - 1) >= 0
    assert sp.expand((x - y) ** 2 + 2 * (x * y - 1) - (x**2 + y**2 - 2)) == 0
    from memtheory import graphs

    g = graphs.cycle(10)
    st = cap.graph_storage(g)
    assert st["matching"] == 5 and abs(st["geom_l2_lower_matching"] - math.sqrt(10)) < 1e-12
    ps = cap.graph_storage(graphs.path_star(4, 5))  # arms of 4 nodes: perfect within arms
    assert ps["matching"] == 8
    return "x^2 + y^2 - 2 = (x-y)^2 + 2(xy-1) >= 0; cycle:10 bound sqrt(10) = sqrt(|V|)"
