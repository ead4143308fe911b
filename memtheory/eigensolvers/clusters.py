"""Degenerate clusters of a descending spectrum, and the dense reference eigensolver."""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array, as_float

#: two eigenvalues of :math:`-L` closer than this belong to one degenerate cluster
CLUSTER_ATOL = 1e-8


def eigen_clusters(eigenvalues, atol: float = CLUSTER_ATOL) -> list[tuple[int, int]]:
    r"""Split descending ``eigenvalues`` into degenerate clusters ``[(start, stop), ...]``.

    Consecutive eigenvalues closer than ``atol`` share a cluster (single linkage):
    :math:`i` and :math:`i+1` are in one cluster iff :math:`|\lambda_i - \lambda_{i+1}| \le`
    ``atol``. The clusters are the degenerate eigenspaces the paper's Node2Vec prediction
    keeps whole (arXiv 2510.26745, App. F: path-star clusters of multiplicity ``degree - 1``).
    """
    w = as_array("eigenvalues", eigenvalues, ndim=1)
    atol = as_float("atol", atol, 0.0)
    if w.size == 0:
        return []
    breaks = np.flatnonzero(np.abs(np.diff(w)) > atol) + 1
    edges = np.concatenate([[0], breaks, [w.size]])
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def cluster_end(w: np.ndarray, k: int, atol: float = CLUSTER_ATOL) -> int:
    """Smallest k' >= k such that ``w[k'-1]`` and ``w[k']`` are not in the same cluster (``w``
    descending): the count that extends a top-``k`` request to the end of its cluster."""
    while k < w.size and abs(w[k - 1] - w[k]) <= atol:
        k += 1
    return k


def dense_spectrum(M: np.ndarray):
    """All eigenpairs of dense symmetric ``M`` (``numpy.linalg.eigh``), eigenvalues descending."""
    w, U = np.linalg.eigh(M)
    return w[::-1].copy(), np.ascontiguousarray(U[:, ::-1])
