"""Symbolic checks of ``memtheory.spectral.walks``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import graphs, spectral
from proofs_check._core import check
from proofs_check.spectral import sym_transition


@check("DeepWalk filter: (1/T) sum_{r=1}^T lam^r = lam(1 - lam^T)/((1 - lam)T), f(1) = 1")
def deepwalk_filter_closed_form():
    lam, r = sp.symbols("lambda r")
    T = sp.Symbol("T", integer=True, positive=True)
    closed = lam * (1 - lam**T) / ((1 - lam) * T)
    total = sp.summation(lam**r, (r, 1, T))
    # sympy returns a Piecewise (lam == 1: T, otherwise the geometric sum)
    assert isinstance(total, sp.Piecewise), total
    (at_one, _), (generic, _) = total.args
    assert sp.simplify(generic / T - closed) == 0
    assert at_one / T == 1
    assert sp.limit(closed, lam, 1) == 1
    for Tn in range(1, 9):  # exact polynomial identity for small T
        finite = sum(lam**q for q in range(1, Tn + 1)) / Tn
        assert sp.cancel(closed.subs(T, Tn) - finite) == 0
    xs = np.array([-1.0, -0.5, 0.0, 0.3, 0.999999, 1.0, 1.000001, 1.7])
    worst = 0.0
    for Tn in (1, 2, 5, 10, 40):
        num = spectral.deepwalk_filter(xs, Tn)
        ref = np.array(
            [
                float(sp.Rational(1, Tn) * sum(sp.Float(x, 40) ** q for q in range(1, Tn + 1)))
                for x in xs
            ]
        )
        worst = max(worst, float(np.max(np.abs(num - ref) / np.maximum(1.0, np.abs(ref)))))
    assert worst < 1e-12, worst
    return f"closed form == finite sum (symbolic T), f(1)=1; vs deepwalk_filter {worst:.1e}"


@check("NetMF with T = 1 is LINE: vol(G)/b * D^-1 A D^-1 (exact, path-star 3x3)")
def netmf_t1_is_line():
    g = graphs.path_star(3, 3)
    Q = sym_transition(g.n, g.edges.tolist())
    A = sp.zeros(g.n, g.n)
    for u, v in g.edges.tolist():
        A[u, v] = A[v, u] = 1
    deg = [sum(A.row(i)) for i in range(g.n)]
    vol = sum(deg)
    b = sp.Rational(2)
    Dinv = sp.diag(*[sp.Rational(1, d) for d in deg])
    netmf_t1 = (vol / (b * 1)) * Q * Dinv  # (vol/(bT)) (sum_{r<=T} P^r) D^-1 at T = 1
    line = (vol / b) * Dinv * A * Dinv
    assert (netmf_t1 - line).applyfunc(sp.simplify) == sp.zeros(g.n, g.n)
    num = spectral.netmf_matrix(g, T=1, b=2.0, log="none")
    ref = np.array(line, dtype=float)
    err = float(np.max(np.abs(num - ref)))
    err_log = float(np.max(np.abs(spectral.line_matrix(g, b=2.0) - np.log(np.maximum(ref, 1.0)))))
    assert err < 1e-12 and err_log < 1e-12, (err, err_log)
    return f"T=1 NetMF == LINE exactly; vs netmf_matrix {err:.1e}, line_matrix {err_log:.1e}"
