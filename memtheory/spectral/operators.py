r"""The paper's operators on a graph: :math:`Q = D^{-1}A`, :math:`L`, :math:`-L`, and the spectrum
of :math:`-L` without cutting a degenerate cluster (arXiv 2510.26745, Eq. 3 and Appendix F)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from memtheory.checks import as_int
from memtheory.eigensolvers import (
    CLUSTER_ATOL,
    Eigenpairs,
    cluster_end,
    dense_spectrum,
    top_eigenpairs,
)
from memtheory.graphs import Graph, as_graph
from memtheory.spectral.path_star import path_star_structure, path_star_top

#: graphs with at most this many nodes are diagonalized densely (``numpy.linalg.eigh``)
DENSE_MAX_N = 2000
#: singular values below ``RANK_RTOL * sigma_max`` do not count in the measured rank
RANK_RTOL = 1e-3
#: spectrum() refuses a request whose eigenvectors and Lanczos basis exceed this many bytes
SPECTRUM_MAX_BYTES = 2 << 30


def degrees_for_inverse(graph: Graph) -> np.ndarray:
    d = graph.degrees()
    if np.any(d == 0):
        iso = np.flatnonzero(d == 0)
        raise ValueError(
            f"graph has {iso.size} isolated node(s) (e.g. node {int(iso[0])}); D^-1 is "
            "undefined: remove them or add an edge"
        )
    return d.astype(np.float64)


def transition_matrix(graph) -> sp.csr_matrix:
    r"""Random-walk transition matrix :math:`Q = D^{-1}A` (CSR, rows sum to 1).

    arXiv 2510.26745, Eq. 3. Raises ``ValueError`` naming ``graph`` for an isolated node.
    """
    g = as_graph(graph)
    d = degrees_for_inverse(g)
    return sp.csr_matrix(sp.diags(1.0 / d) @ g.adjacency())


def neg_laplacian(graph) -> sp.csr_matrix:
    r"""The paper's :math:`-L = D^{-1}A + (D^{-1}A)^\top - 2I` (symmetric CSR, float64).

    arXiv 2510.26745, Appendix F ("asymmetrically normalized random-walk Laplacian"); its
    entries are :math:`-L_{ij} = A_{ij}(1/d_i + 1/d_j)` off the diagonal and :math:`-2` on it.
    """
    g = as_graph(graph)
    d = degrees_for_inverse(g)
    u, v = g.edges[:, 0], g.edges[:, 1]
    w = 1.0 / d[u] + 1.0 / d[v]
    ids = np.arange(g.n)
    rows = np.concatenate([u, v, ids])
    cols = np.concatenate([v, u, ids])
    data = np.concatenate([w, w, np.full(g.n, -2.0)])
    return sp.csr_matrix((data, (rows, cols)), shape=(g.n, g.n))


def laplacian(graph) -> sp.csr_matrix:
    r"""The paper's Laplacian :math:`L = (I - D^{-1}A) + (I - D^{-1}A)^\top` (sparse CSR).

    arXiv 2510.26745, Appendix F (the "asymmetrically normalized random-walk Laplacian").
    Symmetric, with :math:`L_{ii} = 2` and :math:`L_{ij} = -A_{ij}(1/d_i + 1/d_j)` off the
    diagonal. Since :math:`D^{-1}A\mathbf{1} = \mathbf{1}`,
    :math:`L\mathbf{1} = \mathbf{1} - (D^{-1}A)^\top\mathbf{1}`, whose entry :math:`j` is
    :math:`1 - \sum_{i\sim j} 1/d_i`: the constant vector is in the kernel exactly when every
    node's neighbours have inverse degrees summing to 1, e.g. on regular graphs (Remark 2).
    """
    return sp.csr_matrix(-neg_laplacian(graph))


def normalized_adjacency(graph) -> sp.csr_matrix:
    r""":math:`D^{-1/2} A D^{-1/2}` (symmetric CSR), the matrix NetMF filters (arXiv 1710.02971)."""
    g = as_graph(graph)
    d = degrees_for_inverse(g)
    s = sp.diags(1.0 / np.sqrt(d))
    return sp.csr_matrix(s @ g.adjacency() @ s)


def spectrum(graph, k=None):
    r"""Eigenpairs of :math:`-L = D^{-1}A + (D^{-1}A)^\top - 2I`, eigenvalues descending.

    Returns :class:`~memtheory.eigensolvers.Eigenpairs` ``(values, vectors)`` with
    orthonormal eigenvector columns (unpacks as ``w, U``). ``k=None``
    returns all ``n`` (dense graphs only, :data:`DENSE_MAX_N`); otherwise at least ``k``: the
    request is **extended to the end of the degenerate cluster** that contains the ``k``-th
    eigenvalue (clusters: gaps below :data:`CLUSTER_ATOL`), so that a cluster is never cut, and
    the returned count can exceed ``k``. Dense ``eigh`` for ``n <= DENSE_MAX_N``; path-star
    graphs (``meta`` from :func:`memtheory.graphs.path_star`) use their exact arm-symmetry block
    reduction; other graphs :func:`memtheory.eigensolvers.top_eigenpairs` (banded shift-invert
    or Chebyshev-filtered Lanczos with a probe for missed exact copies: a test, not a proof,
    measured in ``docs/theory/spectral.md``).

    arXiv 2510.26745, Appendix F; cycle eigenvalues :math:`2\cos(2\pi j/n) - 2`.
    """
    g = as_graph(graph)
    n = g.n
    if k is None:
        if n > DENSE_MAX_N:
            raise ValueError(f"k must be given for graphs with n > {DENSE_MAX_N} (got n={n})")
        k = n
    k = as_int("k", k, minimum=1, maximum=n)
    if n <= DENSE_MAX_N:
        w, U = dense_spectrum(neg_laplacian(g).toarray())
        kend = cluster_end(w, k, CLUSTER_ATOL)
        return Eigenpairs(w[:kend], np.ascontiguousarray(U[:, :kend]))
    if 8 * n * (3 * k + 64) > SPECTRUM_MAX_BYTES:
        raise ValueError(
            f"k={k} eigenvectors of a {n}-node graph need about "
            f"{8 * n * (3 * k + 64) / 2**30:.3g} GiB (Lanczos basis included), above "
            f"{SPECTRUM_MAX_BYTES / 2**30:.3g} GiB; request fewer eigenpairs"
        )
    ps = path_star_structure(g)
    if ps is not None:
        w, basis = path_star_top(g, ps, k)
        if w.size * n > 5e7:
            raise ValueError(
                f"k={k} extends to {w.size} eigenvectors of a {n}-node path-star (a degenerate "
                "cluster); use node2vec_prediction(..., sparse=True) for a sparse basis"
            )
        return Eigenpairs(w, basis.toarray())
    return top_eigenpairs(neg_laplacian(g), k)
