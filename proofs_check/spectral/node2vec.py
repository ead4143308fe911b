"""Symbolic checks of ``memtheory.spectral.node2vec``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import graphs, spectral
from proofs_check._core import check
from proofs_check.spectral import sym_transition


@check("Lemma 5: dJ/dV = C V, C = (D^-1 A - P) + (D^-1 A - P)^T, for Eq. 1 (n=3, m=2)")
def lemma5_gradient():
    n, m = 3, 2
    edges = [(0, 1), (1, 2)]  # path 0-1-2: degrees 1, 2, 1
    Q = sym_transition(n, edges)
    V = sp.Matrix(n, m, lambda i, j: sp.Symbol(f"v{i}{j}", real=True))
    G = V * V.T
    Z = [sum(sp.exp(G[i, k]) for k in range(n)) for i in range(n)]
    J = sum(Q[i, j] * (G[i, j] - sp.log(Z[i])) for i in range(n) for j in range(n) if Q[i, j] != 0)
    P = sp.Matrix(n, n, lambda i, j: sp.exp(G[i, j]) / Z[i])
    R = Q - P
    CV = (R + R.T) * V
    grad = sp.Matrix(n, m, lambda i, j: sp.diff(J, V[i, j]))
    # exact: every entry of grad - C V is a rational function of the exp(v_i . v_j)
    for i in range(n):
        for j in range(m):
            diff = sp.together(sp.expand(grad[i, j] - CV[i, j]))
            num = sp.expand(sp.numer(diff))
            assert num == 0, f"entry ({i},{j}) differs: {num}"
    # numeric comparison with memtheory at a random point
    rng = np.random.default_rng(0)
    Vn = rng.normal(size=(n, m))
    subs = {V[i, j]: sp.Float(Vn[i, j], 30) for i in range(n) for j in range(m)}
    g_sym = np.array(grad.evalf(30, subs=subs), dtype=float)
    g = graphs.from_edges(n, np.array(edges))
    g_num = spectral.node2vec_gradient(g, Vn)
    C_num = spectral.lemma5_operator(g, Vn)
    C_sym = np.array((R + R.T).evalf(30, subs=subs), dtype=float)
    err = float(np.max(np.abs(g_sym - g_num)))
    errC = float(np.max(np.abs(C_sym - C_num)))
    assert err < 1e-12 and errC < 1e-12, (err, errC)
    return f"grad - CV == 0 exactly; vs node2vec_gradient {err:.1e}, lemma5_operator {errC:.1e}"
