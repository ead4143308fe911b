"""Symbolic checks of ``memtheory.spectral.operators``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from memtheory import graphs, spectral
from proofs_check._core import check


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
