"""Symbolic checks of ``memtheory.teleport`` (Mishkin, Bietti & Gower 2024, arXiv 2403.03362).

Each check derives the identity with sympy and compares it with the numeric function that uses it.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import teleport as tp
from proofs_check._core import check


@check("d/dw 1/2 |grad f|^2 = Hess f . grad f (the teleport ascent direction is one HVP)")
def ascent_direction_is_hvp():
    x, y = sp.symbols("x y", real=True)
    f = sp.exp(x - y) + x**4 / 4 + x * y**2 + sp.log(1 + sp.exp(2 * y))
    w = sp.Matrix([x, y])
    g = sp.Matrix([sp.diff(f, v) for v in w])
    H = sp.hessian(f, w)
    lhs = sp.Matrix([sp.diff((g.T * g)[0] / 2, v) for v in w])
    assert sp.simplify(lhs - H * g) == sp.zeros(2, 1)
    return "exact for a non-quadratic f"


@check("KKT of max 1/2|grad f|^2 s.t. f <= f0: H g = lambda g (gradient is a Hessian eigenvector)")
def kkt_gradient_is_eigenvector():
    # For f = 1/2 w^T A w with A = diag(a1, a2), solve the Lagrange system on the level set:
    # every solution has w on one eigen-axis, i.e. H g = A (A w) is parallel to g = A w.
    a1, a2, f0, lam = sp.symbols("a1 a2 f0 lambda", positive=True)
    x, y = sp.symbols("x y", real=True)
    A = sp.diag(a1, a2)
    w = sp.Matrix([x, y])
    g = A * w
    obj = (g.T * g)[0] / 2
    con = (w.T * A * w)[0] / 2 - f0
    eqs = [sp.diff(obj - lam * con, v) for v in (x, y)] + [con]
    sols = sp.solve(eqs, [x, y, lam], dict=True)
    assert sols, "no KKT point found"
    for s in sols:
        gs = g.subs(s)
        hg = (A * gs).subs(s)
        assert sp.simplify(hg - s[lam] * gs) == sp.zeros(2, 1), s
    # numeric: the solver's exit point satisfies it on a random quadratic
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    A_num = (Q * np.geomspace(1, 10, 6)) @ Q.T
    r = tp.teleport(tp.quadratic(A_num), rng.standard_normal(6), tol=1e-10)
    assert r.kkt_residual < 1e-9, r.kkt_residual
    return f"{len(sols)} KKT points, each an eigen-axis; solver residual {r.kkt_residual:.1e}"


@check(
    "f = 1/2 w^T A w: max{|grad f|^2 : f <= f0} = 2 f0 lambda_max; 1/lambda_max step hits w* = 0"
)
def quadratic_teleport_identities():
    a1, a2, f0, u = sp.symbols("a1 a2 f0 u", positive=True)
    # with u = a1 x^2 in [0, 2 f0] on the level set a1 x^2 + a2 y^2 = 2 f0:
    grad_sq = a1 * u + a2 * (2 * f0 - u)  # a1^2 x^2 + a2^2 y^2
    assert sp.simplify(sp.diff(grad_sq, u) - (a1 - a2)) == 0  # linear: max at an end point
    at_top = grad_sq.subs(u, 2 * f0)
    assert sp.simplify(at_top - 2 * f0 * a1) == 0
    # the sub-level set interior has f < f0, hence a smaller value: the max is on the boundary
    c = sp.sqrt(2 * f0 / a1)
    w = sp.Matrix([c, 0])
    after = w - (1 / a1) * sp.diag(a1, a2) * w
    assert sp.simplify(after) == sp.zeros(2, 1)
    A_num = np.diag([3.0, 1.0, 0.5])
    assert abs(tp.quadratic_max_grad_norm_sq(A_num, 2.0) - 12.0) < 1e-12
    assert abs(tp.quadratic_sublevel_radius_sq(A_num, 2.0) - 8.0) < 1e-12
    return "max = 2 f0 a_max on the top axis; one 1/a_max step reaches 0"


@check("logistic loss: Hess = (1/n) X^T diag(s(1-s)) X + l2 I, s = sigmoid(y x^T w)")
def logistic_hessian():
    w1, w2, l2 = sp.symbols("w1 w2 l2", real=True)
    X = sp.Matrix([[1, 2], [-1, sp.Rational(1, 2)], [3, -1]])
    yv = [1, -1, 1]
    w = sp.Matrix([w1, w2])
    f = sum(sp.log(1 + sp.exp(-yi * (X[i, :] * w)[0])) for i, yi in enumerate(yv)) / 3
    f += l2 / 2 * (w.T * w)[0]
    H = sp.hessian(f, [w1, w2])
    point = {w1: sp.Rational(3, 10), w2: sp.Rational(-7, 10), l2: sp.Rational(1, 10)}
    H_num = np.array(H.subs(point).evalf(30), dtype=float)
    prob = tp.logistic_regression(
        np.array(X, dtype=float), np.array(yv, dtype=float), l2=float(point[l2])
    )
    w_num = np.array([0.3, -0.7])
    H_code = np.column_stack([prob.hvp(w_num, e) for e in np.eye(2)])
    err = float(np.abs(H_code - H_num).max())
    assert err < 1e-13, err
    g_sym = np.array([float(sp.diff(f, v).subs(point)) for v in (w1, w2)])
    assert np.abs(prob.grad(w_num) - g_sym).max() < 1e-13
    return f"max |H_code - H_sympy| = {err:.1e}"
