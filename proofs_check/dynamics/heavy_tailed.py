"""Symbolic checks of ``memtheory.dynamics.heavy_tailed``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import dynamics as dy
from proofs_check._core import check


@check("Kunstner: tiers hold 1/m of the data, n = m 2^m, c = 2^m - 1; sign descent m_t = 2 eta t")
def tiered_and_sign():
    m, i = sp.symbols("m i", integer=True, positive=True)
    n = sp.summation(2**i * 2 ** (m - i), (i, 0, m - 1))
    c = sp.summation(2**i, (i, 0, m - 1))
    assert sp.simplify(n - m * 2**m) == 0 and sp.simplify(c - (2**m - 1)) == 0
    for mv in (3, 5, 7):
        tz = dy.tiered_zipf(mv)
        assert tz.n == int(n.subs(m, mv)) == int(tz.counts.sum())
        assert tz.c == int(c.subs(m, mv)) and tz.d == (mv + 1) * 2**mv
    # sign descent on one-hot memory: gradient column x is p(x)(q - onehot(f(x))), q in (0,1)^M:
    # correct entry negative, others positive, whatever p(x) -> margin +2 eta per step
    eta, px, sf, sw, k = sp.symbols("eta p s_f s_w k", positive=True)
    Mm = 1 + k  # M >= 2 outputs
    z = sp.exp(sf) + (Mm - 1) * sp.exp(sw)
    gf, gw = px * (sp.exp(sf) / z - 1), px * sp.exp(sw) / z
    assert gw.is_positive  # wrong-class entries: positive gradient for any p(x) > 0
    assert sp.simplify(gf + (Mm - 1) * gw) == 0  # columns sum to 0, so gf = -(M-1) gw < 0
    inc = -eta * sp.sign(gf) + eta * sp.sign(gw)
    assert inc.subs({sp.sign(gf): -1, sp.sign(gw): 1}) == 2 * eta
    pi = dy.tiered_zipf(4).frequencies
    L = dy.orthonormal_class_losses(pi, lr=0.3, steps=20, method="sign")
    ref = np.log1p((pi.size - 1) * np.exp(-2 * 0.3 * np.arange(21)))
    err = float(np.abs(L - ref[:, None]).max())
    assert err < 1e-15, err
    return f"sums verified; sign-descent class losses = log(1+(c-1)e^(-2 eta t)), error {err:.1e}"
