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
            np.array([[0.3, 0.0], [0.0, 0.3]]), "He2(z1)+He2(z2)", "planted"
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
                        mi.population_loss(M + E, name, mode)
                        - mi.population_loss(M - E, name, mode)
                    ) / (2 * h)
            want = -(np.eye(2) - M @ M.T) @ grad
            got = mi.overlap_velocity(M, name, mode)
            err = float(np.abs(got - want).max() / max(1.0, np.abs(want).max()))
            assert err < 1e-6, (name, mode, err)
            worst = max(worst, err)
    return f"max relative difference {worst:.1e}"
