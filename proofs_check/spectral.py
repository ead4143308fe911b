"""Symbolic checks of the closed forms in :mod:`memtheory.spectral` (arXiv 2510.26745, Sec. 4).

Each check derives or verifies an identity with sympy and then compares it with the numeric
``memtheory.spectral`` function it justifies.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import graphs, spectral
from memtheory.eigensolvers import dense_spectrum
from memtheory.spectral.path_star import path_star_eigenvalues
from proofs_check._core import check


def _sym_transition(n: int, edges) -> sp.Matrix:
    A = sp.zeros(n, n)
    for u, v in edges:
        A[u, v] = A[v, u] = 1
    deg = [sum(A[i, j] for j in range(n)) for i in range(n)]
    return sp.Matrix(n, n, lambda i, j: A[i, j] / deg[i])


@check("Lemma 5: dJ/dV = C V, C = (D^-1 A - P) + (D^-1 A - P)^T, for Eq. 1 (n=3, m=2)")
def lemma5_gradient():
    n, m = 3, 2
    edges = [(0, 1), (1, 2)]  # path 0-1-2: degrees 1, 2, 1
    Q = _sym_transition(n, edges)
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


@check("Cycle C_n: eigenvalues of -L are 2cos(2 pi k/n) - 2 (circulant)")
def cycle_eigenvalues():
    j, t = sp.symbols("j theta", real=True)
    # on C_n, D^-1 A = A/2, so -L = A - 2I acts as x_j -> x_{j+1} + x_{j-1} - 2 x_j; the
    # Fourier mode x_j = e^{i theta j} is an eigenvector with eigenvalue e^{i theta} +
    # e^{-i theta} - 2 = 2 cos(theta) - 2
    x = sp.exp(sp.I * t * j)
    lhs = x.subs(j, j + 1) + x.subs(j, j - 1) - 2 * x
    rhs = (sp.exp(sp.I * t) + sp.exp(-sp.I * t) - 2) * x
    assert sp.expand(sp.powsimp(sp.expand(lhs - rhs))) == 0
    assert (
        sp.simplify((sp.exp(sp.I * t) + sp.exp(-sp.I * t) - 2).rewrite(sp.cos)) == 2 * sp.cos(t) - 2
    )
    # periodicity: theta = 2 pi k / n makes the wrap-around rows agree (e^{i theta n} = 1)
    n, k = sp.symbols("n k", integer=True, positive=True)
    assert sp.exp(sp.I * 2 * sp.pi * k / n * n) == 1
    worst = 0.0
    for size in (3, 8, 15, 16):
        w, _ = spectral.spectrum(graphs.cycle(size))
        exact = np.sort([2 * np.cos(2 * np.pi * q / size) - 2 for q in range(size)])[::-1]
        worst = max(worst, float(np.max(np.abs(w - exact))))
    assert worst < 1e-10, worst
    return f"identity exact; spectrum(cycle(n)) vs 2cos(2 pi k/n)-2, n=3,8,15,16: {worst:.1e}"


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
    Q = _sym_transition(g.n, g.edges.tolist())
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


@check("Path-star: char. poly of -L = p_sym(x) * p_anti(x)^(d-1) (arm-symmetry reduction)")
def path_star_block_reduction():
    d, ell = 4, 3  # sqrt(d) = 2 keeps the characteristic polynomial rational (fast)
    g = graphs.path_star(d, ell)
    Q = _sym_transition(g.n, g.edges.tolist())
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
