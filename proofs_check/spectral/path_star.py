"""Symbolic checks of ``memtheory.spectral.path_star``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import graphs, spectral
from memtheory.eigensolvers import dense_spectrum
from memtheory.spectral.path_star import path_star_eigenvalues
from proofs_check._core import check
from proofs_check.spectral import sym_transition


@check("Path-star: char. poly of -L = p_sym(x) * p_anti(x)^(d-1) (arm-symmetry reduction)")
def path_star_block_reduction():
    d, ell = 4, 3  # sqrt(d) = 2 keeps the characteristic polynomial rational (fast)
    g = graphs.path_star(d, ell)
    Q = sym_transition(g.n, g.edges.tolist())
    M = Q + Q.T - 2 * sp.eye(g.n)
    x = sp.Symbol("x")
    k = ell - 1
    deg = [2] * (k - 1) + [1]
    anti = sp.zeros(k, k)
    for i in range(k):
        anti[i, i] = -2
    for i in range(k - 1):
        anti[i, i + 1] = anti[i + 1, i] = sp.Rational(1, deg[i]) + sp.Rational(1, deg[i + 1])
    sym = sp.zeros(k + 1, k + 1)
    sym[1:, 1:] = anti
    sym[0, 0] = -2
    sym[0, 1] = sym[1, 0] = sp.sqrt(d) * (sp.Rational(1, d) + sp.Rational(1, deg[0]))
    lhs = M.charpoly(x).as_expr()
    rhs = sym.charpoly(x).as_expr() * anti.charpoly(x).as_expr() ** (d - 1)
    assert sp.expand(lhs - rhs) == 0
    # numeric: the symmetry route (used for large path-stars) vs dense eigh
    big = graphs.path_star(12, 10)
    w_dense, _ = dense_spectrum(spectral.neg_laplacian(big).toarray())
    w_block = path_star_eigenvalues(12, 9)
    err = float(np.max(np.abs(w_dense - w_block)))
    assert err < 1e-10, err
    return f"exact for d=4, l=3; block eigenvalues vs dense eigh on path_star(12, 10): {err:.1e}"
