r"""The Node2Vec prediction: the rank and the subspace full-softmax tied Node2Vec converges to
(arXiv 2510.26745, Observation 4 / Proposition 10; an empirical rule, see
``docs/theory/spectral.md``)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from memtheory.checks import as_int
from memtheory.eigensolvers import (
    CLUSTER_ATOL,
    dense_spectrum,
    eigen_clusters,
    top_eigenpairs,
)
from memtheory.graphs import Graph, as_graph
from memtheory.spectral.operators import (
    DENSE_MAX_N,
    degrees_for_inverse,
    neg_laplacian,
    spectrum,
)
from memtheory.spectral.path_star import (
    path_star_eigenvalues,
    path_star_structure,
    path_star_top,
)


def _component_rank(wc: np.ndarray) -> int:
    """Rank contributed by one connected component, from its descending -L eigenvalues."""
    if wc.size == 1:
        return 1
    clusters = eigen_clusters(wc)
    if len(clusters) < 2:
        return 1
    a, b = clusters[1]
    return 1 + (b - a if wc[a] > -2.0 + CLUSTER_ATOL else 0)


def predicted_rank(graph) -> int:
    r"""Rank that exact full-softmax tied Node2Vec dynamics collapse to (empirical rule).

    **Rule (found from the dynamics, arXiv 2510.26745 Observation 4, open problem 2):** each
    connected component contributes its top (near-constant) eigenvector of :math:`-L`
    restricted to it, plus its whole second eigenvalue cluster (the "Fiedler" cluster), the
    latter only if its eigenvalue exceeds :math:`-2` (directions with a negative eigenvalue of
    :math:`S = D^{-1}A + (D^{-1}A)^\top` cannot be absorbed into :math:`\mathrm{null}(C)`, since
    :math:`P + P^\top` has eigenvalues in about :math:`[0, 2]`)::

        rank = sum over components c of  1 + [lambda_2(c) > -2] * multiplicity(lambda_2(c))

    It holds (measured, ``dim=100``, ``N(0,1)`` init, ``lr=0.01``, ``10^4``-``3 10^5``
    steps, rank = singular values above ``1e-3`` of the largest) on cycles (proved below for
    circulant fixed points), paths, square grids, path-stars, the 3x3 tree-star and the tiny
    path-star / grid / cycle of the paper. It **fails** on the paper's irregular graph
    (measured 4, rule 3: both modes of the chord-split 12-cycle pair stay), on rectangular
    grids (4x6: measured 3, rule 2: both coordinate modes stay) and on random graphs (n=20,
    mean degree 4: measured 7; n=30, degree 6: 10; rule 2); see ``docs/theory/spectral.md``.

    Cycle argument: if :math:`P` is circulant with :math:`\hat P(1) = \hat Q(1) = \cos x`,
    Jensen gives :math:`\hat P(2) = 2\,\mathbb{E}\cos^2 - 1 \ge \cos 2x = \hat Q(2)`, with
    equality only if :math:`P` has no mass on the diagonal; so :math:`C` is negative on the
    second harmonic and a fixed point cannot retain it.
    """
    g = as_graph(graph)
    degrees_for_inverse(g)
    labels = g.components()
    ps = path_star_structure(g) if g.n > DENSE_MAX_N else None
    if ps is not None:
        return _component_rank(path_star_eigenvalues(*ps[1].shape))
    total = 0
    for c in range(int(labels.max()) + 1):
        nodes = np.flatnonzero(labels == c)
        if nodes.size == 1:
            raise ValueError(f"graph has an isolated node {int(nodes[0])}")
        sub = _subgraph_neg_laplacian(g, nodes)
        if nodes.size <= DENSE_MAX_N:
            wc = np.linalg.eigvalsh(sub.toarray())[::-1]
        else:
            wc, _ = top_eigenpairs(sub, min(8, nodes.size))
        total += _component_rank(wc)
    return int(total)


def _subgraph_neg_laplacian(g: Graph, nodes: np.ndarray) -> sp.csr_matrix:
    M = neg_laplacian(g)
    return sp.csr_matrix(M[nodes][:, nodes])


def node2vec_prediction(graph, k=None, *, sparse: bool = False):
    r"""Orthonormal basis of the subspace full-softmax tied Node2Vec converges to.

    The top ``k`` eigenvectors of :math:`-L` (the near-constant one included), ``k`` defaulting
    to :func:`predicted_rank` and extended to the end of a degenerate cluster (never cut).
    arXiv 2510.26745, Observation 4 / Proposition 10. Per connected component the basis is
    the component's own top eigenvectors (on a disconnected graph a global top-``k`` could mix
    components in the wrong proportion), when ``k`` is ``None``.

    Returns an ``(n, k')`` float64 array, or a ``scipy.sparse`` CSC matrix with
    ``sparse=True`` (path-star graphs: built from the arm-symmetry reduction with a Haar basis
    of the ``(d-1)``-fold clusters, :math:`O(d\log d\,\ell)` non-zeros).
    """
    g = as_graph(graph)
    if not isinstance(sparse, bool):
        raise ValueError(f"sparse must be True or False, got {sparse!r}")
    degrees_for_inverse(g)
    ps = path_star_structure(g)
    if k is None and ps is None and not g.is_connected():
        labels = g.components()
        cols = []
        for c in range(int(labels.max()) + 1):
            nodes = np.flatnonzero(labels == c)
            sub = _subgraph_neg_laplacian(g, nodes)
            if nodes.size <= DENSE_MAX_N:
                wc, Uc = dense_spectrum(sub.toarray())
            else:
                wc, Uc = top_eigenpairs(sub, min(8, nodes.size))
            r = _component_rank(wc)
            block = np.zeros((g.n, r))
            block[nodes] = Uc[:, :r]
            cols.append(block)
        basis = np.concatenate(cols, axis=1)
        return sp.csc_matrix(basis) if sparse else basis
    if k is None:
        k = predicted_rank(g)
    k = as_int("k", k, minimum=1, maximum=g.n)
    if ps is not None and g.n > DENSE_MAX_N:
        _, basis = path_star_top(g, ps, k)
        if sparse:
            return basis
        if basis.shape[1] * g.n > 5e7:
            raise ValueError(
                f"the prediction has {basis.shape[1]} columns on {g.n} nodes (a whole "
                "degenerate cluster); pass sparse=True"
            )
        return basis.toarray()
    _, U = spectrum(g, k)
    return sp.csc_matrix(U) if sparse else U
