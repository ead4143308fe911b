"""The spectral experiment's checks of the theory itself: Lemma 5's gradient against finite
differences, and the cycle's closed-form spectrum (arXiv 2510.26745, Lemma 5 and App. C.3)."""

from __future__ import annotations

import numpy as np

from memtheory import graphs as G
from memtheory import spectral


def lemma5_fd_error(graph, dim=3, seed=0, eps=1e-6) -> float:
    r"""Relative error :math:`\lVert g_{fd} - CV\rVert_F / \lVert CV\rVert_F` between Lemma 5's
    gradient :math:`CV` (Eq. 3) and a central finite difference of Eq. 1."""
    rng = np.random.default_rng(seed)
    V = rng.normal(size=(graph.n, dim))
    grad = spectral.lemma5_operator(graph, V) @ V
    fd = np.zeros_like(V)
    for i in range(graph.n):
        for j in range(dim):
            Vp, Vm = V.copy(), V.copy()
            Vp[i, j] += eps
            Vm[i, j] -= eps
            fd[i, j] = (
                spectral.node2vec_objective(graph, Vp) - spectral.node2vec_objective(graph, Vm)
            ) / (2 * eps)
    return float(np.linalg.norm(fd - grad) / np.linalg.norm(grad))


def cycle_spectrum_error(n: int = 15) -> float:
    r""":math:`\max_k |\lambda_k(-L) - (2\cos(2\pi k / n) - 2)|` on the cycle :math:`C_n`."""
    w, _ = spectral.spectrum(G.cycle(n))
    exact = np.sort(2 * np.cos(2 * np.pi * np.arange(n) / n) - 2)[::-1]
    return float(np.max(np.abs(np.sort(w)[::-1] - exact)))
