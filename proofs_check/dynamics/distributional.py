"""Symbolic checks of ``memtheory.dynamics.distributional``."""

from __future__ import annotations

import math

import sympy as sp

from memtheory import dynamics as dy
from proofs_check._core import check


@check("noisy recall: min_q -a ln q - (1-a) ln(1-q) = h(a) at q = a; max h = ln 2")
def bayes_floor():
    a, q = sp.symbols("alpha q", positive=True)
    ce = -a * sp.log(q) - (1 - a) * sp.log(1 - q)
    qstar = sp.solve(sp.diff(ce, q), q)
    assert qstar == [a], qstar
    assert sp.simplify(sp.diff(ce, q, 2).subs(q, a)) != 0
    h = sp.simplify(ce.subs(q, a))
    hmax = sp.solve(sp.diff(h, a), a)
    assert (
        hmax == [sp.Rational(1, 2)] and sp.simplify(h.subs(a, sp.Rational(1, 2)) - sp.log(2)) == 0
    )
    err = 0.0
    for av in [0.1, 0.3, 0.5, 0.77]:
        err = max(err, abs(float(h.subs(a, av)) - dy.noisy_recall_bayes_floor(av)))
    err = max(err, abs(dy.noisy_recall_bayes_floor(0.5, 65) - (64 / 65) * math.log(2)))
    assert err < 1e-14, err
    return f"Bayes predictor q = alpha, floor h(alpha); max |sympy - numeric| {err:.1e}"
