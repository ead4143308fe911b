"""Symbolic checks of ``memtheory.capacity.schemes``."""

from __future__ import annotations

import sympy as sp

from memtheory import capacity as cap
from proofs_check._core import check


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
        got = cap.outer_product_required_dimension(nv, mv, criterion=crit)
        worst = max(worst, abs(got - ref) / ref)
        back = cap.outer_product_capacity(got, mv, criterion=crit)
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
