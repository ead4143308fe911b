"""Symbolic checks of ``memtheory.multi_index`` (Bietti, Bruna & Pillaud-Vivien 2023).

The reduction of the population gradient flow to the overlap M is derived in the module's
docstring (Stein's lemma); these checks verify it in the single-index case with sympy and in the
two-index case against a finite-difference gradient of the population loss.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import multi_index as mi
from proofs_check._core import check

_z, _v, _m = sp.symbols("z v m", real=True)
_GAUSS = sp.exp(-(_z**2) / 2) / sp.sqrt(2 * sp.pi)


def _expect(expr, *vars_):
    """E over independent standard Gaussians ``vars_`` of a polynomial ``expr``, by replacing
    each monomial with its moment, E[z^n] = (n-1)!! for even n and 0 for odd n."""
    poly = sp.Poly(sp.expand(expr), *vars_)
    out = 0
    for powers, coeff in poly.terms():
        moment = 1
        for n in powers:
            moment *= 0 if n % 2 else sp.factorial2(n - 1)
        out += coeff * moment
    return sp.simplify(out)


def _he(k, x):
    return sp.hermite_prob(k, x)


@check("planted single index: E[He_k(z*) He_k(z)] = k! m^k and the overlap ODE = Stein form")
def planted_single_index():
    zz = _m * _z + sp.sqrt(1 - _m**2) * _v  # corr(z*, zz) = m
    for k in range(1, 5):
        corr = _expect(_he(k, _z) * _he(k, zz), _z, _v)
        assert sp.simplify(corr - sp.factorial(k) * _m**k) == 0, (k, corr)
        loss = 2 * sp.factorial(k) - 2 * corr  # E[(He_k(z*) - He_k(z))^2]
        riemann = -(1 - _m**2) * sp.diff(loss, _m)
        stein = (
            2
            * (1 - _m**2)
            * _expect(
                sp.diff(_he(k, _z), _z) * sp.diff(_he(k, zz), _v) / sp.sqrt(1 - _m**2), _z, _v
            )
        )
        assert sp.simplify(riemann - stein) == 0, (k, riemann, stein)
        v_num = mi.overlap_velocity(
            np.array([[0.3, 0.0], [0.0, 0.3]]), "He2(z1)+He2(z2)", mode="planted"
        )
    # He2(z1)+He2(z2) is a sum of two planted He2 problems on the diagonal of M
    want = float((-(1 - _m**2) * sp.diff(2 * 2 - 2 * 2 * _m**2, _m)).subs(_m, 0.3))
    assert abs(v_num[0, 0] - want) < 1e-12 and abs(v_num[0, 1]) < 1e-12, v_num
    return "k = 1..4 exact; numeric two-index diagonal case matches"


@check("two-timescale link: A_m He_k(z) = E_xi[He_k(m z + sqrt(1-m^2) xi)] = m^k He_k(z)")
def mehler_averaging():
    for k in range(0, 6):
        avg = _expect(_he(k, _m * _z + sp.sqrt(1 - _m**2) * _v), _v)
        assert sp.simplify(avg - _m**k * _he(k, _z)) == 0, (k, avg)
    return "k = 0..5: the re-fitted link loss is sum_k c_k^2 k! (1 - m^(2k))"


@check("overlap ODE = -(I - M M^T) dL/dM (finite differences, both modes, every link)")
def overlap_ode_is_the_grassmann_gradient():
    rng = np.random.default_rng(0)
    worst = 0.0
    for name in mi.LINKS:
        for mode in mi.MODES:
            A = rng.standard_normal((2, 2))
            M = 0.6 * A / np.linalg.norm(A, 2)
            h = 1e-6
            grad = np.zeros((2, 2))
            for i in range(2):
                for j in range(2):
                    E = np.zeros((2, 2))
                    E[i, j] = h
                    grad[i, j] = (
                        mi.population_loss(M + E, name, mode=mode)
                        - mi.population_loss(M - E, name, mode=mode)
                    ) / (2 * h)
            want = -(np.eye(2) - M @ M.T) @ grad
            got = mi.overlap_velocity(M, name, mode=mode)
            err = float(np.abs(got - want).max() / max(1.0, np.abs(want).max()))
            assert err < 1e-6, (name, mode, err)
            worst = max(worst, err)
    return f"max relative difference {worst:.1e}"


@check("separable links f* = sum_i g(z_i): closed-form loss and flow = quadrature, both modes")
def separable_closed_form():
    """L_planted = 2 sum_k c_k^2 k! (r - sum_ij M_ij^k), L_2ts = sum_k c_k^2 k! (r - sum_ij
    P_ij^k), P = M M^T: E[He_k(z*_i) He_k(z_j)] = k! M_ij^k pairwise (checked symbolically above)
    and A_M He_k(a_i . z) = |a_i|^k He_k, a_i = M^T e_i, so <A_M f*, A_M f*> pairs a_i . a_j =
    P_ij. Compared here with the exact Gauss-Hermite quadrature at random overlaps."""
    rng = np.random.default_rng(1)
    worst = 0.0
    for name, link in mi.LINKS.items():
        if link.hermite_sum is None:
            continue
        for mode in mi.MODES:
            for _ in range(3):
                A = rng.standard_normal((2, 2))
                M = 0.8 * A / np.linalg.norm(A, 2)
                for fn in (mi.population_loss, mi.overlap_velocity):
                    a = np.asarray(fn(M, name, mode=mode, method="closed-form"))
                    b = np.asarray(fn(M, name, mode=mode, method="quadrature"))
                    err = float(np.abs(a - b).max() / max(1.0, np.abs(b).max()))
                    assert err < 1e-10, (name, mode, fn.__name__, err)
                    worst = max(worst, err)
    return f"max relative difference {worst:.1e}"


@check(
    "He3(z1)+He3(z2): planted drift 36 m^2 (1-m^2) keeps m < 0 below 0 (trap, loss E f*^2); "
    "two-timescale drift 36 m^5 (1-m^2) grows |m| of either sign; He4 sum: planted drift odd"
)
def planted_odd_trap():
    """On the face M = diag(1, m) (student 1 aligned, student 2 with overlap m on teacher 2),
    the closed-form losses are L_p = 24 - 12 (1 + m^3) and L_2ts = 12 - 6 (1 + m^6); the flow
    restricted to the face is m' = -(1 - m^2) dL/dm. Planted: m' = 36 m^2 (1 - m^2) >= 0 with
    a fixed point at m = 0, so m(0) < 0 gives m -> 0^- (never crossing, by uniqueness) and the
    loss -> 12 = E f*^2: trapped. Two-timescale: m' = 36 m^5 (1 - m^2), |m| grows for either
    sign: escapes. He4 sum: planted m' = 192 m^3 (1 - m^2), |m| grows for either sign. The trap
    is also a fixed point of the Stiefel flow (which adds the in-span rotation
    2 M skew(M^T K)): at M = e1 e1^T, M^T K is symmetric."""
    k3 = {"He3(z1)+He3(z2)": (3, 24, 12, 36), "He4(z1)+He4(z2)": (4, 96, 48, 192)}
    for name, (k, two_s, s, rate) in k3.items():
        c = sp.factorial(k)
        lp = two_s - 2 * c * (1 + _m**k)
        l2 = s - c * (1 + _m ** (2 * k))
        vp = sp.factor(-(1 - _m**2) * sp.diff(lp, _m))
        v2 = sp.factor(-(1 - _m**2) * sp.diff(l2, _m))
        assert sp.simplify(vp - rate * _m ** (k - 1) * (1 - _m**2)) == 0, (name, vp)
        assert sp.simplify(v2 - 2 * k * c * _m ** (2 * k - 1) * (1 - _m**2)) == 0, (name, v2)
        for m in (-0.3, 0.2):
            M = np.diag([1.0, m])
            for mode, v in (("planted", vp), ("two-timescale", v2)):
                num = mi.overlap_velocity(M, name, mode=mode, method="quadrature")
                assert abs(num[1, 1] - float(v.subs(_m, m))) < 1e-9, (name, mode, m, num)
        assert lp.subs(_m, 0) == s and l2.subs(_m, 0) == s - c  # trap: E f*^2; 2ts: half of it
    # odd k: the planted drift has the sign of m^2 (>= 0): m < 0 cannot cross 0
    assert set(sp.solve(sp.Eq(36 * _m**2 * (1 - _m**2), 0), _m)) == {-1, 0, 1}
    M = np.diag([1.0, 0.0])
    zs, z, w = mi._pairs(M, mi.LINKS["He3(z1)+He3(z2)"], 5)
    g = mi.LINKS["He3(z1)+He3(z2)"].grad
    K = (g(zs) * w[:, None]).T @ g(z)
    assert np.abs(M.T @ K - (M.T @ K).T).max() < 1e-12, M.T @ K
    return "planted m' = 36 m^2 (1-m^2), two-timescale 36 m^5 (1-m^2); He4 planted 192 m^3 (1-m^2)"


@check(
    "r = 2, i.i.d. symmetric overlaps: P(planted odd-sum trap) = 1/16 + 4 (1/2) E[F(a)^2; a>0]"
    " = 31/48 (greedy sign rule)"
)
def planted_trap_probability():
    """The sign rule (memtheory.multi_index.planted_sign_trap) traps when all four entries are
    negative (1/16) or when the largest is positive and its opposite entry negative: 4 choices
    of the largest, P = 4 x (1/2) int_0^inf phi(a) Phi(a)^2 da = 4 x (1/2)(1 - 1/8)/3."""
    a = sp.symbols("a", real=True)
    Phi = (1 + sp.erf(a / sp.sqrt(2))) / 2
    antider = Phi**3 / 3  # d/da Phi^3/3 = phi Phi^2
    assert sp.simplify(sp.diff(antider, a) - sp.diff(Phi, a) * Phi**2) == 0
    integral = sp.limit(antider, a, sp.oo) - antider.subs(a, 0)
    p = sp.Rational(1, 16) + 4 * sp.Rational(1, 2) * sp.nsimplify(integral)
    assert p == sp.Rational(31, 48), p
    rng = np.random.default_rng(0)
    draws = 0.1 * rng.standard_normal((20_000, 2, 2))
    freq = np.mean([mi.planted_sign_trap(M) for M in draws])
    assert abs(freq - 31 / 48) < 0.015, freq  # 4.4 binomial standard errors
    return f"31/48 = {31 / 48:.4f}; the rule on 20,000 Gaussian draws: {freq:.4f}"
