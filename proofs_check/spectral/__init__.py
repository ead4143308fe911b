"""Symbolic checks of the closed forms in :mod:`memtheory.spectral` (arXiv 2510.26745, Sec. 4).

Each check derives or verifies an identity with sympy and then compares it with the numeric
``memtheory.spectral`` function it justifies.

One module per ``memtheory.spectral`` module, under the same name.
"""

from __future__ import annotations

import sympy as sp


def sym_transition(n: int, edges) -> sp.Matrix:
    A = sp.zeros(n, n)
    for u, v in edges:
        A[u, v] = A[v, u] = 1
    deg = [sum(A[i, j] for j in range(n)) for i in range(n)]
    return sp.Matrix(n, n, lambda i, j: A[i, j] / deg[i])
