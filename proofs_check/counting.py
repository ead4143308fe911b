"""Symbolic checks of ``memtheory.counting`` (Golkar et al. 2024, arXiv 2406.02585, Sec. 5).

The bias law of the counting head, its gap, and the "balancing two curves" readout, each derived
with sympy and compared with the numeric functions in ``memtheory.counting.bias``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory.counting import bias as cb
from proofs_check._core import check


@check("equal attention to n ones and b bias tokens: o(n) = (n v1 + b vb)/(n+b)")
def bias_law():
    n, b, s = sp.symbols("n b s", positive=True)
    v1, vb = sp.symbols("v1 vb", real=True)
    # n + b tokens share the score s, all others are masked: softmax weight e^s/((n+b) e^s)
    w = sp.exp(s) / ((n + b) * sp.exp(s))
    o = sp.simplify(n * w * v1 + b * w * vb)
    assert sp.simplify(o - (n * v1 + b * vb) / (n + b)) == 0, o
    worst = 0.0
    rng = np.random.default_rng(0)
    for nv in range(0, 40):
        for bv in (1, 3, 4):
            x1, xb = rng.standard_normal(3), rng.standard_normal(3)
            sym = np.array(
                [float(o.subs({n: nv, b: bv, v1: a, vb: c})) for a, c in zip(x1, xb, strict=True)]
            )
            num = cb.bias_output(nv, x1, xb, bias_tokens=bv)
            worst = max(worst, float(np.abs(sym - num).max()))
    assert worst < 1e-12, worst
    return f"softmax over n+b equal scores gives the law; max |sympy - bias_output| {worst:.1e}"


@check("o(n+1) - o(n) = (v1 - vb)/((n+1)(n+2)) for one bias token (BoS)")
def bias_gap():
    n = sp.symbols("n", nonnegative=True)
    v1, vb = sp.symbols("v1 vb", real=True)
    o = (n * v1 + vb) / (n + 1)
    gap = sp.factor(sp.simplify(o.subs(n, n + 1) - o))
    assert sp.simplify(gap - (v1 - vb) / ((n + 1) * (n + 2))) == 0, gap
    ns = np.arange(0, 200)
    x1, xb = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    direct = cb.bias_output(ns + 1, x1, xb) - cb.bias_output(ns, x1, xb)
    worst = float(np.abs(direct - cb.bias_gap(ns, x1, xb)).max())
    assert worst < 1e-12, worst
    return f"gap = {gap}; numeric difference vs bias_gap up to n=199: {worst:.1e}"


@check(
    "readout l_c = 2c o1 - c^2 o2/b_train on o(n) = (n, b)/(n+b): l_n - l_c = (n-c)^2/(n+b)"
    " when b = b_train, argmax c* = n b_train/b otherwise"
)
def balance_readout():
    n, c, b, bt = sp.symbols("n c b b_t", positive=True)
    o1, o2 = n / (n + b), b / (n + b)
    ell = 2 * c * o1 - c**2 * o2 / bt
    same = sp.simplify(ell.subs({bt: b, c: n}) - ell.subs(bt, b))
    assert sp.simplify(same - (n - c) ** 2 / (n + b)) == 0, same
    cstar = sp.solve(sp.diff(ell, c), c)
    assert len(cstar) == 1 and sp.simplify(cstar[0] - n * bt / b) == 0, cstar
    # numeric: exact decoding when b = b_train, the predicted wrong count otherwise
    ns = np.arange(0, 65)
    for b_true, b_train in ((1, 1), (4, 4), (8, 4), (2, 4)):
        got = cb.balance_count(ns, bias_tokens=b_true, train_bias_tokens=b_train, max_count=64)
        want = np.minimum(np.rint(ns * b_train / b_true), 64)
        ties = np.abs(ns * b_train / b_true % 1 - 0.5) < 1e-9
        assert np.all((got == want) | ties), (b_true, b_train, got, want)
    return "l_n - l_c = (n-c)^2/(n+b) >= 0; c* = n b_train/b; balance_count agrees on n <= 64"
