"""Symbolic checks of ``memtheory.dynamics.gd_associative``."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from memtheory import dynamics as dy
from proofs_check._core import check
from proofs_check.dynamics import softmax_sym


@check("orthonormal GD: m_{t+1} = m_t + eta p M / (e^m + M - 1), m_1 = eta p (symbolic M)")
def margin_recursion():
    eta, p, sf, sw = sp.symbols("eta p s_f s_w", real=True)
    M = sp.symbols("M", positive=True, integer=True)
    z = sp.exp(sf) + (M - 1) * sp.exp(sw)
    q_f, q_w = sp.exp(sf) / z, sp.exp(sw) / z
    # orthonormal e, u: score (y, x) moves by -eta p(x) (q_y - 1{y = f(x)}); all wrong classes
    # get the same update, so they stay equal
    dsf = -eta * p * (q_f - 1)
    dsw = -eta * p * q_w
    m = sp.symbols("m", real=True)
    inc = sp.simplify((dsf - dsw).subs(sf, sw + m))
    claim = eta * p * M / (sp.exp(m) + M - 1)
    assert sp.simplify(inc - claim) == 0, inc
    assert sp.simplify(claim.subs(m, 0) - eta * p) == 0
    # numeric: iterate the symbolic increment for 6 steps and compare
    pv, Mv, ev = [0.5, 0.3, 0.2], 4, 2.5
    f = sp.lambdify((m, p), claim.subs({M: Mv, eta: ev}), "math")
    mm = np.zeros(3)
    ref = [mm.copy()]
    for _ in range(6):
        mm = mm + np.array([f(a, b) for a, b in zip(mm, pv, strict=True)])
        ref.append(mm.copy())
    got = dy.orthonormal_margin_recursion(pv, Mv, lr=ev, steps=6)
    err = float(np.abs(np.array(ref) - got).max())
    assert err < 1e-13, err
    return (
        f"increment simplifies to eta p M/(e^m+M-1); max |sympy - numeric| over 6 steps {err:.1e}"
    )


@check("gradient flow e^m + (M-1) m = eta p M t + 1, m - log(eta p M t) -> 0")
def margin_flow_solution():
    eta, p, t = sp.symbols("eta p t", positive=True)
    M = sp.symbols("M", positive=True)
    m = sp.Function("m")(t)
    implicit = sp.exp(m) + (M - 1) * m - (eta * p * M * t + 1)
    dm = sp.solve(sp.diff(implicit, t), sp.diff(m, t))[0]
    assert sp.simplify(dm - eta * p * M / (sp.exp(m) + M - 1)) == 0
    assert sp.simplify(implicit.subs(m, 0).subs(t, 0)) == 0
    # m = log(c - (M-1) m) with m ~ log c, so m - log c = log(1 - (M-1) m / c) -> 0
    c = sp.symbols("c", positive=True)
    gap = sp.log(1 - (M - 1) * sp.log(c) / c)
    assert sp.limit(gap, c, sp.oo) == 0
    # numeric: the flow solves the implicit equation, and tracks log(eta p M t)
    pv, Mv, ev = np.array([0.7, 0.3]), 3, 2.0
    tt = np.array([0.5, 10.0, 1e6])
    mf = dy.orthonormal_margin_flow(pv, Mv, lr=ev, t=tt)
    resid = np.exp(mf) + (Mv - 1) * mf - (ev * pv * Mv * tt[:, None] + 1)
    rel = float(np.abs(resid / (ev * pv * Mv * tt[:, None] + 1)).max())
    assert rel < 1e-13, rel
    dev = float(np.abs(mf[-1] - np.log(ev * pv * Mv * 1e6)).max())
    assert dev < 1e-4, dev
    return (
        f"implicit solution satisfies the ODE; numeric residual {rel:.1e}; "
        f"|m - log(eta p M t)| at t=1e6: {dev:.1e}"
    )


@check("loss asymptote: t * L_t -> N (M-1) / (eta M), independent of p")
def loss_asymptote():
    eta, p, t, M, ell = sp.symbols("eta p t M ell", positive=True)
    # per-token loss log(1 + (M-1) e^{-m}) ~ (M-1) e^{-m} as m -> oo
    assert sp.limit(sp.log(1 + (M - 1) * sp.exp(-ell)) / ((M - 1) * sp.exp(-ell)), ell, sp.oo) == 1
    # e^{m} = eta p M t + 1 - (M-1) m with m = log(eta p M t) + o(1)
    em = eta * p * M * t + 1 - (M - 1) * sp.log(eta * p * M * t)
    per_token = sp.limit(t * p * (M - 1) / em, t, sp.oo)
    assert sp.simplify(per_token - (M - 1) / (eta * M)) == 0, per_token
    # sum over N tokens: N (M-1)/(eta M), whatever p
    pv = np.array([0.5, 0.25, 0.15, 0.1])
    Mv, ev, T = 5, 3.0, 20_000
    L = dy.orthonormal_loss(pv, Mv, lr=ev, steps=T)
    ratio = float(L[-1] / dy.orthonormal_loss_asymptote(pv.size, Mv, lr=ev, t=T))
    # relative correction ~ (M-1) log(eta p M t) / (eta p M t), largest for the rarest token
    bound = max((Mv - 1) * math.log(ev * q * Mv * T) / (ev * q * Mv * T) for q in pv)
    assert abs(ratio - 1) < 3 * bound, (ratio, bound)
    return (
        f"per-token limit (M-1)/(eta M) -> N(M-1)/(eta M); exact recursion / asymptote at "
        f"t={T}: {ratio:.6f} (predicted correction <= {bound:.1e})"
    )


@check("Hessian: sum_x p(x) Cov_x(u) (x) e_x e_x^T equals sympy's Hessian (d_out=2, d_in=2, M=3)")
def hessian_closed_form():
    w = sp.symbols("w0:4", real=True)
    W = sp.Matrix(2, 2, w)
    E = sp.Matrix([[1, sp.Rational(1, 2)], [sp.Rational(-1, 3), 1]])
    U = sp.Matrix([[1, 0], [0, 1], [sp.Rational(1, 2), sp.Rational(-2, 3)]])
    targets = [2, 0]
    p = [sp.Rational(2, 3), sp.Rational(1, 3)]
    loss = 0
    for x in range(2):
        s = [(U[y, :] * W * E[x, :].T)[0, 0] for y in range(3)]
        loss += p[x] * (-sp.log(softmax_sym(s)[targets[x]]))
    H = sp.hessian(loss, w)
    point = {
        w[0]: sp.Rational(3, 10),
        w[1]: sp.Rational(-7, 10),
        w[2]: sp.Rational(1, 5),
        w[3]: sp.Rational(9, 10),
    }
    Hs = np.array(H.xreplace(point).evalf(30).tolist(), dtype=np.float64)
    Wn = np.array([[0.3, -0.7], [0.2, 0.9]])
    Hn = dy.memory_hessian(
        Wn,
        np.array(E.tolist(), dtype=float),
        np.array(U.tolist(), dtype=float),
        targets,
        [2 / 3, 1 / 3],
    )
    err = float(np.abs(Hs - Hn).max())
    assert err < 1e-13, err
    g = sp.Matrix([sp.diff(loss, v) for v in w]).xreplace(point).evalf(30)
    gn = dy.memory_gradient(
        Wn,
        np.array(E.tolist(), dtype=float),
        np.array(U.tolist(), dtype=float),
        targets,
        [2 / 3, 1 / 3],
    ).ravel()
    gerr = float(np.abs(np.array(g.tolist(), dtype=float).ravel() - gn).max())
    assert gerr < 1e-14, gerr
    return f"max |sympy Hessian - memory_hessian| = {err:.1e}; gradient {gerr:.1e} (C-order vec(W))"


@check("two particles: margins obey m' = m + 2 eta K diag(p) sigma(-m), K = [[1,-a],[-a,1]]")
def two_particle_map():
    a, eta, p1 = sp.symbols("alpha eta p1", real=True)
    w = sp.symbols("w0:4", real=True)
    W = sp.Matrix(2, 2, w)
    e = [sp.Matrix([1, 0]), sp.Matrix([a, sp.sqrt(1 - a**2)])]
    u = [sp.Matrix([1, 0]), sp.Matrix([0, 1])]
    p = [p1, 1 - p1]
    loss = 0
    margins = []
    for x in range(2):
        s = [(u[y].T * W * e[x])[0, 0] for y in range(2)]
        loss += p[x] * (-sp.log(softmax_sym(s)[x]))
        margins.append(s[x] - s[1 - x])
    grad = sp.Matrix(2, 2, [sp.diff(loss, v) for v in w])
    W1 = W - eta * grad
    sig = [1 / (1 + sp.exp(mx)) for mx in margins]  # sigma(-m)
    for x in range(2):
        new = (u[x].T * W1 * e[x])[0, 0] - (u[1 - x].T * W1 * e[x])[0, 0]
        claim = margins[x] + 2 * eta * (p[x] * sig[x] - a * p[1 - x] * sig[1 - x])
        for av, ev, pv, wv in [
            (
                sp.Rational(19, 20),
                10,
                sp.Rational(3, 4),
                (sp.Rational(1, 3), -1, sp.Rational(2, 7), 2),
            ),
            (
                sp.Rational(-1, 3),
                sp.Rational(1, 2),
                sp.Rational(1, 5),
                (3, sp.Rational(1, 4), -2, 0),
            ),
        ]:
            pt = {a: av, eta: ev, p1: pv} | dict(zip(w, wv, strict=True))
            diff = sp.N((new - claim).subs(pt), 30)
            assert abs(diff) < 1e-25, diff
    out = dy.two_particle_dynamics(0.75, 0.95, lr=10.0, steps=35)
    E, U = dy.two_particle_embeddings(0.95)
    ref = dy.memory_gd(E, U, [0, 1], [0.75, 0.25], lr=10.0, steps=35)
    err = float(np.abs(out.margins - ref.margins).max())
    assert err < 1e-11, err
    return (
        "map exact at rational points (30 digits); "
        f"reduced map vs full GD over 35 steps at eta=10: {err:.1e}"
    )


@check(
    "two particles: 2/lambda_max(Hess L(0)) = 8/(1+sqrt(1-4 p1 p2 (1-a^2))) = descent-lemma bound"
)
def two_particle_threshold():
    a, p1 = sp.symbols("alpha p1", positive=True)
    p2 = 1 - p1
    e1, e2 = sp.Matrix([1, 0]), sp.Matrix([a, sp.sqrt(1 - a**2)])
    C = p1 * e1 * e1.T + p2 * e2 * e2.T
    cov0 = sp.Rational(1, 2) * sp.eye(2) - sp.Rational(1, 4) * sp.ones(2, 2)  # W=0, U=I, q=1/2
    # H(0) = cov0 (x) C (C-order vec(W)); Kronecker eigenvalues are products, cov0 has {0, 1/2}
    lam_c = (1 + sp.sqrt(1 - 4 * p1 * p2 * (1 - a**2))) / 2
    assert sp.simplify(C.trace() - 1) == 0
    assert sp.simplify(C.det() - p1 * p2 * (1 - a**2)) == 0
    lam = sp.symbols("lam")
    assert sp.simplify(sp.expand((C - lam * sp.eye(2)).det().subs(lam, lam_c))) == 0
    assert set(cov0.eigenvals()) == {0, sp.Rational(1, 2)}
    vals = []
    for p1v, av in [(0.75, 0.95), (0.6, 0.5), (0.9, 0.0)]:
        Hn = dy.memory_hessian(
            np.zeros((2, 2)), *dy.two_particle_embeddings(av), [0, 1], [p1v, 1 - p1v]
        )
        thr_h = 2 / float(np.linalg.eigvalsh(Hn)[-1])
        thr = dy.two_particle_step_threshold(p1v, av)
        bound = dy.monotone_step_bound(dy.two_particle_embeddings(av)[0], np.eye(2), [p1v, 1 - p1v])
        assert abs(thr - thr_h) < 1e-12 * thr and abs(thr - bound) < 1e-12 * thr
        vals.append(thr)
    return f"lambda_max(H(0)) = lambda_max(C)/2; eta_c(0.75, 0.95) = {vals[0]:.6f}, matches 2/eig"
