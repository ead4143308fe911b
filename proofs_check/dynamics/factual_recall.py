"""Symbolic checks of ``memtheory.dynamics.factual_recall``."""

from __future__ import annotations

import math

import sympy as sp

from memtheory import dynamics as dy
from proofs_check._core import check
from proofs_check.dynamics import softmax_sym


@check("factual recall: softmax factorizes, loss = l_D(x) + l_R(y); plateaus ln(RD), ln D")
def factual_plateaus():
    x, y = sp.symbols("x y", real=True)
    R, D = 3, 4
    # logits over the R*D answers: subject signal x on matching index, relation signal y in block
    logits = [x * int(i == 0) + y * int(r == 0) for r in range(R) for i in range(D)]
    loss = -sp.log(softmax_sym(logits)[0])
    ell = sp.log(sp.exp(x) + D - 1) - x + sp.log(sp.exp(y) + R - 1) - y
    assert sp.simplify(sp.expand_log(sp.exp(-loss) - sp.exp(-ell), force=True)) == 0
    assert sp.simplify(loss.subs({x: 0, y: 0}) - sp.log(R * D)) == 0
    assert sp.limit(loss.subs(x, 0), y, sp.oo) == sp.log(D)
    pl = dy.factual_recall_plateaus(4, 8)
    ode = dy.sequential_learning_ode(16, 4, 8, t_max=300.0, n_points=50)
    err = max(abs(pl.init - math.log(32)), abs(ode.loss[0] - math.log(32)))
    err = max(err, abs(pl.hallucination - math.log(8)))
    assert err < 1e-12, err
    mid = float(ode.loss[-1])  # t = 300: relation learned, subject not yet
    assert abs(mid - math.log(8)) < 0.05, mid
    return (
        f"Z = (e^x+D-1)(e^y+R-1); ln(RD)={pl.init:.4f}, ln D={pl.hallucination:.4f}; "
        f"ODE loss at t=300 (R=4, D=8, S=16): {mid:.4f}"
    )


@check("factual recall: reduced 4-scalar flow = population gradient on the symmetric ansatz")
def sequential_ode_rhs():
    S, R, D = 4, 2, 2
    K = R * D
    a_s = sp.symbols(f"as0:{S}")
    a_r = sp.symbols(f"ar0:{R}")
    Vs = sp.Matrix(S, K, sp.symbols(f"vs0:{S * K}"))
    Vr = sp.Matrix(R, K, sp.symbols(f"vr0:{R * K}"))
    loss = 0
    for s in range(S):
        for r in range(R):
            logits = [a_s[s] * Vs[s, k] + a_r[r] * Vr[r, k] for k in range(K)]
            target = r * D + (s * D) // S
            loss += -sp.log(softmax_sym(logits)[target]) / (S * R)
    alpha, vp, vm = sp.Rational(7, 10), sp.Rational(4, 5), sp.Rational(-1, 5)
    beta, wp, wm = sp.Rational(11, 10), sp.Rational(1, 2), sp.Rational(-3, 10)
    point = {v: alpha for v in a_s} | {v: beta for v in a_r}
    for s in range(S):
        for k in range(K):
            point[Vs[s, k]] = vp if k % D == (s * D) // S else vm
    for r in range(R):
        for k in range(K):
            point[Vr[r, k]] = wp if k // D == r else wm

    def g(v):
        # fix every other parameter first (xreplace is fast), then differentiate in v
        one = loss.xreplace({k: val for k, val in point.items() if k != v})
        return float(sp.N(sp.diff(one, v).xreplace({v: point[v]}), 30))

    d_alpha = -g(a_s[0])
    d_delta = -(g(Vs[0, 0]) - g(Vs[0, 1]))  # subject 0 is in group 0: index 0 matches
    d_beta = -g(a_r[0])
    d_gamma = -(g(Vr[0, 0]) - g(Vr[0, D]))
    x, y = float(alpha * (vp - vm)), float(beta * (wp - wm))
    omq = (D - 1) / (math.exp(x) + D - 1)
    omr = (R - 1) / (math.exp(y) + R - 1)
    delta, gamma = float(vp - vm), float(wp - wm)
    pred = [
        delta * omq / S,
        float(alpha) * omq * D / ((D - 1) * S * R),
        gamma * omr / R,
        float(beta) * omr / (D * (R - 1)),
    ]
    got = [d_alpha, d_delta, d_beta, d_gamma]
    err = max(abs(u - v) for u, v in zip(got, pred, strict=True))
    assert err < 1e-14, (got, pred)
    # the flow stays on the ansatz: all subjects' a_s gradients equal
    spread = max(abs(g(v) - g(a_s[0])) for v in a_s)
    assert spread < 1e-14, spread
    return f"S=4, R=2, D=2: max |sympy population gradient - reduced rhs| = {err:.1e}"
