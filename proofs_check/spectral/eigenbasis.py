"""Symbolic checks of ``memtheory.spectral.eigenbasis`` (the small-initialization linearization)."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import graphs, spectral
from proofs_check._core import check
from proofs_check.spectral import sym_transition

# a non-regular graph (degrees 1, 3, 2, 2): the -2J/n term does not commute with -L here
_N, _EDGES = 4, [(0, 1), (1, 2), (2, 3), (1, 3)]


@check(
    "Jacobian of the Node2Vec gradient C(V)V at V = 0 is M0 (x) I, "
    "M0 = Q + Q^T - (2/n) 11^T = -L + 2I - (2/n) 11^T (n=4 non-regular, m=2)"
)
def small_init_linearization():
    n, m = _N, 2
    Q = sym_transition(n, _EDGES)
    V = sp.Matrix(n, m, lambda i, j: sp.Symbol(f"v{i}{j}", real=True))
    G = V * V.T
    Z = [sum(sp.exp(G[i, k]) for k in range(n)) for i in range(n)]
    P = sp.Matrix(n, n, lambda i, j: sp.exp(G[i, j]) / Z[i])
    R = Q - P
    grad = (R + R.T) * V  # Lemma 5 (checked in spectral.lemma5_gradient)
    at0 = {x: 0 for x in V}
    J1 = sp.ones(n, n)
    M0 = Q + Q.T - sp.Rational(2, n) * J1
    for i in range(n):
        for a in range(m):
            assert sp.simplify(grad[i, a].subs(at0)) == 0
            for j in range(n):
                for b in range(m):
                    d = sp.simplify(sp.diff(grad[i, a], V[j, b]).subs(at0))
                    want = M0[i, j] if a == b else 0
                    assert sp.simplify(d - want) == 0, (i, a, j, b, d, want)
    # M0 = -L + 2I - (2/n)J, with -L = Q + Q^T - 2I (the paper's Laplacian, App. F)
    negL = Q + Q.T - 2 * sp.eye(n)
    assert sp.simplify(M0 - (negL + 2 * sp.eye(n) - sp.Rational(2, n) * J1)) == sp.zeros(n, n)
    g = graphs.from_edges(n, np.array(_EDGES))
    M_num = spectral.small_init_operator(g)
    err = float(np.max(np.abs(np.array(M0, dtype=float) - M_num)))
    assert err < 1e-14, err
    # finite differences of the exact gradient: (grad(eps V) / eps - M0 V) = O(eps^2)
    rng = np.random.default_rng(0)
    Vn = rng.normal(size=(n, 3))
    errs = [spectral.linearization_error(g, e * Vn) for e in (1e-2, 5e-3)]
    ratio = errs[0] / errs[1]
    assert errs[1] < 1e-3 and 3.5 < ratio < 4.5, (errs, ratio)
    return (
        f"exact Jacobian = M0 (x) I; vs small_init_operator {err:.1e}; FD relative error "
        f"{errs[0]:.1e} -> {errs[1]:.1e} when eps halves (ratio {ratio:.2f}, O(eps^2))"
    )


@check("Quadratic term of Eq. 1 at V = 0: J(eps V) = -n log n + eps^2/2 tr(V^T M0 V) + O(eps^4)")
def small_init_objective():
    n, m = _N, 2
    Q = sym_transition(n, _EDGES)
    eps = sp.Symbol("eps", positive=True)
    V = sp.Matrix(n, m, lambda i, j: sp.Symbol(f"v{i}{j}", real=True))
    G = eps**2 * (V * V.T)
    J = sum(
        Q[i, j] * (G[i, j] - sp.log(sum(sp.exp(G[i, k]) for k in range(n))))
        for i in range(n)
        for j in range(n)
        if Q[i, j] != 0
    )
    M0 = Q + Q.T - sp.Rational(2, n) * sp.ones(n, n)
    series = sp.series(J, eps, 0, 4).removeO()
    want = -n * sp.log(n) + eps**2 / 2 * (V.T * M0 * V).trace()
    assert sp.simplify(sp.expand(series - want)) == 0
    return "series of Eq. 1 in eps to O(eps^4) equals -n log n + eps^2/2 tr(V^T M0 V) exactly"
