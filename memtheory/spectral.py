r"""Spectral theory of geometric memory: the paper's Laplacian, Node2Vec dynamics, NetMF.

Source: Noroozizadeh, Nagarajan, Rosenfeld & Kumar (2025), "Deep sequence models tend to
memorize geometrically; it is unclear why", arXiv 2510.26745, Section 4 and Appendix F
(Eq. 1-4, Lemma 5, Observations 4 and 7, Remark 2); NetMF (Qiu et al. 2018, arXiv 1710.02971)
and InfiniteWalk (Chanpuriya & Musco 2020, arXiv 2006.00094).

Notation: :math:`A` adjacency, :math:`D` degrees, :math:`Q = D^{-1}A` (row-stochastic),
:math:`L = (I - Q) + (I - Q)^\top`, so :math:`-L = Q + Q^\top - 2I` is symmetric and its
eigenvectors are orthonormal. Node2Vec maximizes (Eq. 1)

.. math:: \mathcal{J}(V) = \sum_i \frac{1}{d_i}\sum_{j\sim i}\log p(i,j),\qquad
          P = \mathrm{row\_softmax}(VV^\top),

whose exact gradient is :math:`\nabla\mathcal{J} = C V` with
:math:`C = (Q - P) + (Q - P)^\top` (Lemma 5); gradient *ascent* is :math:`V \leftarrow V +
\eta\,CV`.

The predicted rank (:func:`predicted_rank`) is an *empirical* rule found from the exact dynamics;
where it fails is documented in ``docs/theory/spectral.md`` (the paper names the fixed point an
open problem).

CLI: ``python -m memtheory.spectral --graph cycle:15 [--k K] [--dynamics --steps N] [--json]``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from memtheory.checks import as_array, as_choice, as_float, as_int
from memtheory.eigensolvers import (
    CLUSTER_ATOL,
    _cluster_end,
    _dense_spectrum,
    eigen_clusters,
    top_eigenpairs,
)
from memtheory.graphs import Graph

__all__ = [
    "DENSE_MAX_N",
    "CLUSTER_ATOL",
    "RANK_RTOL",
    "transition_matrix",
    "laplacian",
    "neg_laplacian",
    "normalized_adjacency",
    "spectrum",
    "top_eigenpairs",
    "eigen_clusters",
    "node2vec_prediction",
    "predicted_rank",
    "row_softmax",
    "node2vec_objective",
    "lemma5_operator",
    "node2vec_gradient",
    "node2vec_dynamics",
    "DynamicsRecord",
    "FixedPoint",
    "ce_fixed_point",
    "deepwalk_filter",
    "netmf_matrix",
    "line_matrix",
    "infinitewalk_matrix",
    "TINY_GRAPHS",
    "observation4_row",
    "main",
]

#: graphs with at most this many nodes are diagonalized densely (``numpy.linalg.eigh``)
DENSE_MAX_N = 2000
#: singular values below ``RANK_RTOL * sigma_max`` do not count in the measured rank
RANK_RTOL = 1e-3


# --------------------------------------------------------------------------------------------
# operators
# --------------------------------------------------------------------------------------------
def _graph(graph) -> Graph:
    if not isinstance(graph, Graph):
        raise ValueError(
            f"graph must be a memtheory.graphs.Graph, got {type(graph).__name__} "
            "(build one with memtheory.graphs.parse_graph)"
        )
    return graph


def _degrees_for_inverse(graph: Graph) -> np.ndarray:
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
    g = _graph(graph)
    d = _degrees_for_inverse(g)
    return sp.csr_matrix(sp.diags(1.0 / d) @ g.adjacency())


def neg_laplacian(graph) -> sp.csr_matrix:
    r"""The paper's :math:`-L = D^{-1}A + (D^{-1}A)^\top - 2I` (symmetric CSR, float64).

    arXiv 2510.26745, Appendix F ("asymmetrically normalized random-walk Laplacian"); its
    entries are :math:`-L_{ij} = A_{ij}(1/d_i + 1/d_j)` off the diagonal and :math:`-2` on it.
    """
    g = _graph(graph)
    d = _degrees_for_inverse(g)
    u, v = g.edges[:, 0], g.edges[:, 1]
    w = 1.0 / d[u] + 1.0 / d[v]
    ids = np.arange(g.n)
    rows = np.concatenate([u, v, ids])
    cols = np.concatenate([v, u, ids])
    data = np.concatenate([w, w, np.full(g.n, -2.0)])
    return sp.csr_matrix((data, (rows, cols)), shape=(g.n, g.n))


def laplacian(graph) -> sp.csr_matrix:
    r"""The paper's Laplacian :math:`L = (I - D^{-1}A) + (I - D^{-1}A)^\top` (sparse CSR).

    arXiv 2510.26745, Appendix F. Symmetric; :math:`L\mathbf{1} = \mathbf{1} - D^{-1}A\,
    \mathbf{1}\cdot 0 + \ldots` vanishes only on regular graphs (Remark 2).
    """
    return sp.csr_matrix(-neg_laplacian(graph))


def normalized_adjacency(graph) -> sp.csr_matrix:
    r""":math:`D^{-1/2} A D^{-1/2}` (symmetric CSR), the matrix NetMF filters (arXiv 1710.02971)."""
    g = _graph(graph)
    d = _degrees_for_inverse(g)
    s = sp.diags(1.0 / np.sqrt(d))
    return sp.csr_matrix(s @ g.adjacency() @ s)


def spectrum(graph, k=None):
    r"""Eigenpairs of :math:`-L = D^{-1}A + (D^{-1}A)^\top - 2I`, eigenvalues descending.

    Returns ``(eigenvalues, eigenvectors)`` with orthonormal eigenvector columns. ``k=None``
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
    g = _graph(graph)
    n = g.n
    if k is None:
        if n > DENSE_MAX_N:
            raise ValueError(f"k must be given for graphs with n > {DENSE_MAX_N} (got n={n})")
        k = n
    k = as_int("k", k, minimum=1, maximum=n)
    if n <= DENSE_MAX_N:
        w, U = _dense_spectrum(neg_laplacian(g).toarray())
        kend = _cluster_end(w, k, CLUSTER_ATOL)
        return w[:kend], np.ascontiguousarray(U[:, :kend])
    ps = _path_star_structure(g)
    if ps is not None:
        w, basis = _path_star_top(g, ps, k)
        if w.size * n > 5e7:
            raise ValueError(
                f"k={k} extends to {w.size} eigenvectors of a {n}-node path-star (a degenerate "
                "cluster); use node2vec_prediction(..., sparse=True) for a sparse basis"
            )
        return w, basis.toarray()
    return top_eigenpairs(neg_laplacian(g), k)


# --------------------------------------------------------------------------------------------
# path-star: exact symmetry reduction
# --------------------------------------------------------------------------------------------
def _path_star_structure(g: Graph):
    """Return (root, arms) if ``g`` is exactly a path-star with its ``meta``, else None."""
    meta = g.meta or {}
    if "arms" not in meta or "root" not in meta:
        return None
    arms = np.asarray(meta["arms"], dtype=np.int64)
    root = int(meta["root"])
    if arms.ndim != 2 or arms.shape[0] < 2 or 1 + arms.size != g.n:
        return None
    want = np.concatenate(
        [
            np.stack([np.full(arms.shape[0], root), arms[:, 0]], axis=1),
            np.stack([arms[:, :-1].ravel(), arms[:, 1:].ravel()], axis=1),
        ]
    )
    if want.shape[0] != g.m:
        return None

    def keys(e):
        return np.sort(np.minimum(e[:, 0], e[:, 1]) * g.n + np.maximum(e[:, 0], e[:, 1]))

    if not np.array_equal(keys(want), keys(g.edges)):
        return None
    return root, arms


def _path_star_blocks(d: int, k: int):
    """Symmetric ((k+1)x(k+1)) and antisymmetric (k x k) blocks of -L on a path-star.

    Nodes at depth 1..k on each arm (degree 2, the leaf degree 1), root degree d. A symmetric
    mode is (r, y/sqrt(d) on every arm); an antisymmetric one is c_a * y_j with sum(c) = 0.
    """
    deg = np.full(k, 2.0)
    deg[-1] = 1.0
    off = 1.0 / deg[:-1] + 1.0 / deg[1:]
    anti = np.diag(np.full(k, -2.0)) + np.diag(off, 1) + np.diag(off, -1)
    sym = np.zeros((k + 1, k + 1))
    sym[1:, 1:] = anti
    sym[0, 0] = -2.0
    sym[0, 1] = sym[1, 0] = np.sqrt(d) * (1.0 / d + 1.0 / deg[0])
    return sym, anti


def _path_star_eigenvalues(d: int, depth: int) -> np.ndarray:
    """All n eigenvalues of -L on a path-star, descending (antisymmetric ones d-1 times)."""
    sym, anti = _path_star_blocks(d, depth)
    w = np.concatenate([np.linalg.eigvalsh(sym), np.repeat(np.linalg.eigvalsh(anti), d - 1)])
    return np.sort(w)[::-1]


def _haar_sum_zero(d: int) -> sp.csc_matrix:
    """Sparse orthonormal basis (d x (d-1)) of {c : sum(c) = 0}: a generalized Haar basis.

    Each column is +1/|L| on a block L and -1/|R| on the adjacent block R (normalized);
    O(d log d) non-zeros in all.
    """
    rows, cols, vals = [], [], []
    stack = [(0, d)]
    col = 0
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        mid = (a + b) // 2
        nl, nr = mid - a, b - mid
        norm = np.sqrt(1.0 / nl + 1.0 / nr)
        rows.append(np.arange(a, b))
        cols.append(np.full(b - a, col))
        vals.append(np.concatenate([np.full(nl, 1.0 / nl), np.full(nr, -1.0 / nr)]) / norm)
        col += 1
        stack.extend([(a, mid), (mid, b)])
    return sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(d, d - 1)
    )


def _path_star_top(g: Graph, ps, k: int):
    """Top eigenvalues (cluster-complete) and a sparse orthonormal basis, by symmetry."""
    root, arms = ps
    d, depth = arms.shape
    sym, anti = _path_star_blocks(d, depth)
    ws, Ys = np.linalg.eigh(sym)
    wa, Ya = np.linalg.eigh(anti)
    # merge: each antisymmetric eigenvalue carries multiplicity d-1
    labels = [("s", i, ws[i]) for i in range(ws.size)] + [("a", i, wa[i]) for i in range(wa.size)]
    labels.sort(key=lambda t: -t[2])
    mult = np.array([1 if t[0] == "s" else d - 1 for t in labels])
    vals = np.array([t[2] for t in labels])
    full = np.repeat(vals, mult)
    kend = _cluster_end(full, k, CLUSTER_ATOL)
    H = _haar_sum_zero(d)
    node_of = arms.ravel()  # arm a, depth j -> node id (row-major a*depth + j)
    blocks, out_w = [], []
    count = 0
    for kind, i, lam in labels:
        if count >= kend:
            break
        if kind == "s":
            y = Ys[:, i]
            rows = np.concatenate([[root], node_of])
            data = np.concatenate([[y[0]], np.tile(y[1:] / np.sqrt(d), d)])
            col = sp.csc_matrix((data, (rows, np.zeros(rows.size, int))), shape=(g.n, 1))
            blocks.append(col)
            out_w.append(lam)
            count += 1
        else:
            y = Ya[:, i]
            K = sp.kron(H, sp.csc_matrix(y.reshape(-1, 1)), format="coo")  # (d*depth, d-1)
            col = sp.csc_matrix((K.data, (node_of[K.row], K.col)), shape=(g.n, d - 1))
            blocks.append(col)
            out_w.extend([lam] * (d - 1))
            count += d - 1
    return np.array(out_w), sp.hstack(blocks, format="csc")


# --------------------------------------------------------------------------------------------
# the Node2Vec prediction
# --------------------------------------------------------------------------------------------
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
    g = _graph(graph)
    _degrees_for_inverse(g)
    labels = g.components()
    ps = _path_star_structure(g) if g.n > DENSE_MAX_N else None
    if ps is not None:
        return _component_rank(_path_star_eigenvalues(*ps[1].shape))
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
    g = _graph(graph)
    if not isinstance(sparse, bool):
        raise ValueError(f"sparse must be True or False, got {sparse!r}")
    _degrees_for_inverse(g)
    ps = _path_star_structure(g)
    if k is None and ps is None and not g.is_connected():
        labels = g.components()
        cols = []
        for c in range(int(labels.max()) + 1):
            nodes = np.flatnonzero(labels == c)
            sub = _subgraph_neg_laplacian(g, nodes)
            if nodes.size <= DENSE_MAX_N:
                wc, Uc = _dense_spectrum(sub.toarray())
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
        _, basis = _path_star_top(g, ps, k)
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


# --------------------------------------------------------------------------------------------
# Eq. 1 and Lemma 5
# --------------------------------------------------------------------------------------------
def row_softmax(X) -> np.ndarray:
    r"""Row-wise softmax :math:`P_{ij} = e^{X_{ij}}/\sum_k e^{X_{ik}}` (max-shifted, Eq. 2)."""
    X = as_array("X", X, ndim=2)
    Z = X - X.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def _embedding(graph: Graph, V) -> np.ndarray:
    V = as_array("V", V, ndim=2)
    if V.shape[0] != graph.n:
        raise ValueError(f"V must have shape (n={graph.n}, m), got {V.shape}")
    if V.shape[1] < 1:
        raise ValueError("V must have at least one column")
    return V


def _initial_embedding(g: Graph, V0, dim: int, init_std: float, seed: int) -> np.ndarray:
    """A copy of ``V0`` (checked to be ``(n, dim)``), or ``N(0, init_std^2)`` entries drawn with
    ``seed`` when ``V0`` is None."""
    if V0 is None:
        return np.random.default_rng(seed).normal(0.0, init_std, size=(g.n, dim))
    V = _embedding(g, V0).copy()
    if V.shape[1] != dim:
        raise ValueError(f"V0 must have shape (n={g.n}, dim={dim}), got {V.shape}")
    return V


def _dense_Q(g: Graph) -> np.ndarray:
    return transition_matrix(g).toarray()


def _objective_and_C(Q: np.ndarray, A_mask: np.ndarray, V: np.ndarray):
    G = V @ V.T
    Gmax = G.max(axis=1, keepdims=True)
    E = np.exp(G - Gmax)
    Z = E.sum(axis=1, keepdims=True)
    P = E / Z
    logP = G - Gmax - np.log(Z)
    J = float(np.sum(Q[A_mask] * logP[A_mask]))
    R = Q - P
    return J, R + R.T


def node2vec_objective(graph, V) -> float:
    r"""Eq. 1: :math:`\mathcal{J}(V) = \sum_i \frac{1}{d_i}\sum_{j\sim i}\log p(i,j)` (maximized).

    arXiv 2510.26745, Eq. 1, with :math:`P = \mathrm{row\_softmax}(VV^\top)` including
    :math:`k = i` in the denominator. Equals :math:`\sum_{ij} Q_{ij}\log P_{ij}`.
    """
    g = _graph(graph)
    V = _embedding(g, V)
    Q = _dense_Q(g)
    J, _ = _objective_and_C(Q, Q > 0, V)
    return J


def lemma5_operator(graph, V) -> np.ndarray:
    r"""Lemma 5 operator :math:`C = (D^{-1}A - P) + (D^{-1}A - P)^\top`.

    With :math:`P = \mathrm{row\_softmax}(VV^\top)`. arXiv 2510.26745, Eq. 3: the exact
    gradient of Eq. 1 is :math:`\partial\mathcal{J}/\partial V = CV`, so gradient ascent
    is :math:`V \leftarrow V + \eta\,CV` (``C`` is symmetric ``n x n``).
    """
    g = _graph(graph)
    V = _embedding(g, V)
    Q = _dense_Q(g)
    R = Q - row_softmax(V @ V.T)
    return R + R.T


def node2vec_gradient(graph, V) -> np.ndarray:
    r"""Exact gradient :math:`\nabla_V\mathcal{J} = C V` of Eq. 1 (Lemma 5)."""
    V = _embedding(_graph(graph), V)
    return lemma5_operator(graph, V) @ V


@dataclass
class DynamicsRecord:
    """One checkpoint of :func:`node2vec_dynamics` (all float64 numbers, angles in degrees)."""

    step: int
    objective: float  # Eq. 1, maximized
    loss: float  # -Eq. 1 (summed cross-entropy)
    singular_values: np.ndarray
    effective_rank: float
    numerical_rank: int  # singular values > RANK_RTOL * largest
    principal_angles_deg: np.ndarray  # predicted subspace vs top-k left singular space of V
    max_angle_deg: float
    energy_outside: float  # 1 - fraction of ||V||_F^2 in the predicted subspace
    cv_norm: float  # ||C V||_F = ||grad J||_F
    seconds: float

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["singular_values"] = self.singular_values.tolist()
        out["principal_angles_deg"] = self.principal_angles_deg.tolist()
        return out


def _measure(step, J, V, CV, basis, t0) -> DynamicsRecord:
    from memtheory import geometry

    s = np.linalg.svd(V, compute_uv=False)
    k = basis.shape[1]
    U = np.linalg.svd(V, full_matrices=False)[0][:, :k]
    ang = np.degrees(geometry.principal_angles(basis, U))
    inside = geometry.subspace_energy(V, basis)
    return DynamicsRecord(
        step=int(step),
        objective=J,
        loss=-J,
        singular_values=s,
        effective_rank=geometry.effective_rank(V),
        numerical_rank=int(np.sum(s > RANK_RTOL * s[0])),
        principal_angles_deg=ang,
        max_angle_deg=float(ang.max()),
        energy_outside=float(1.0 - inside),
        cv_norm=float(np.linalg.norm(CV)),
        seconds=time.perf_counter() - t0,
    )


def node2vec_dynamics(
    graph,
    dim=100,
    steps=10_000,
    lr=0.01,
    init_std=1.0,
    seed=0,
    record_every=1000,
    k=None,
    V0=None,
):
    r"""Exact full-batch gradient ascent on Eq. 1 in float64: :math:`V \leftarrow V + \eta\,CV`.

    arXiv 2510.26745, Lemma 5 (Eq. 3) and Observations 4/7: tied embeddings ``V`` (``n x dim``,
    :math:`\mathcal{N}(0, \text{init\_std}^2)` from ``seed`` unless ``V0`` is given), full
    softmax, summed objective (so ``lr`` is the paper's :math:`\eta`). The released setting is
    ``dim=100``, ``init_std=1``, ``lr=0.01``, ``10^4`` steps.

    Returns ``(V, records)``: the final embeddings and a list of :class:`DynamicsRecord` at
    step 0, every ``record_every`` steps and the last step: objective and loss, singular
    values, effective rank (Roy & Vetterli), numerical rank (:data:`RANK_RTOL`), principal
    angles between the predicted subspace (:func:`node2vec_prediction` with ``k``) and the
    top-``k`` left singular vectors of ``V``, energy of ``V`` outside the prediction and
    :math:`\lVert CV\rVert_F`.
    """
    g = _graph(graph)
    dim = as_int("dim", dim, minimum=1)
    steps = as_int("steps", steps, minimum=0)
    lr = as_float("lr", lr, 0.0, low_open=True)
    init_std = as_float("init_std", init_std, 0.0, low_open=True)
    seed = as_int("seed", seed, minimum=0)
    record_every = as_int("record_every", record_every, minimum=1)
    Q = _dense_Q(g)
    mask = Q > 0
    V = _initial_embedding(g, V0, dim, init_std, seed)
    basis = node2vec_prediction(g, k)
    t0 = time.perf_counter()
    records = []
    for t in range(steps + 1):
        J, C = _objective_and_C(Q, mask, V)
        CV = C @ V
        if t % record_every == 0 or t == steps:
            records.append(_measure(t, J, V, CV, basis, t0))
        if t == steps:
            break
        V = V + lr * CV
        if not np.all(np.isfinite(V[:1])):  # cheap divergence check
            raise FloatingPointError(f"dynamics diverged at step {t + 1} (lr={lr} too large?)")
    return V, records


# --------------------------------------------------------------------------------------------
# the CE fixed point by quasi-Newton
# --------------------------------------------------------------------------------------------
@dataclass
class FixedPoint:
    """A stationary point of Eq. 1 found by L-BFGS (:func:`ce_fixed_point`)."""

    V: np.ndarray
    objective: float
    grad_norm: float  # ||C V||_F at V
    rank: int  # singular values > RANK_RTOL * largest
    effective_rank: float
    singular_values: np.ndarray
    iterations: int
    converged: bool
    message: str
    info: dict = field(default_factory=dict)


def ce_fixed_point(graph, dim, *, V0=None, init_std=1.0, seed=0, gtol=1e-9, max_iter=20_000):
    r"""Stationary point of the exact population loss (Eq. 1) by L-BFGS in float64.

    Minimizes :math:`-\mathcal{J}(V)` with its exact gradient :math:`-CV` (Lemma 5) from ``V0``
    (default :math:`\mathcal{N}(0, \text{init\_std}^2)`, ``seed``) until the projected
    gradient is below ``gtol``. arXiv 2510.26745, Appendix F.1 explains why no closed form
    exists (:math:`C = 0` would need :math:`p(i,i) = 0`). On non-regular graphs the supremum
    is approached only as the constant direction grows (Remark 2), so L-BFGS may stop on
    ``max_iter`` with a small but nonzero gradient: check ``grad_norm`` and ``converged``.
    """
    from scipy.optimize import minimize

    g = _graph(graph)
    dim = as_int("dim", dim, minimum=1)
    init_std = as_float("init_std", init_std, 0.0, low_open=True)
    seed = as_int("seed", seed, minimum=0)
    gtol = as_float("gtol", gtol, 0.0, low_open=True)
    max_iter = as_int("max_iter", max_iter, minimum=1)
    Q = _dense_Q(g)
    mask = Q > 0
    V0 = _initial_embedding(g, V0, dim, init_std, seed)

    def fun(x):
        V = x.reshape(g.n, dim)
        J, C = _objective_and_C(Q, mask, V)
        return -J, -(C @ V).ravel()

    res = minimize(
        fun,
        V0.ravel().copy(),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": gtol, "ftol": 0.0, "maxcor": 30},
    )
    V = res.x.reshape(g.n, dim)
    J, C = _objective_and_C(Q, mask, V)
    gn = float(np.linalg.norm(C @ V))
    s = np.linalg.svd(V, compute_uv=False)
    from memtheory import geometry

    return FixedPoint(
        V=V,
        objective=J,
        grad_norm=gn,
        rank=int(np.sum(s > RANK_RTOL * s[0])),
        effective_rank=geometry.effective_rank(V),
        singular_values=s,
        iterations=int(res.nit),
        converged=bool(gn <= max(gtol, 1e-12) * max(1.0, np.sqrt(g.n * dim))),
        message=str(res.message),
        info={"nfev": int(res.nfev)},
    )


# --------------------------------------------------------------------------------------------
# NetMF / DeepWalk / LINE / InfiniteWalk
# --------------------------------------------------------------------------------------------
def deepwalk_filter(lam, T):
    r"""DeepWalk spectral filter :math:`f(\lambda) = \frac1T\sum_{r=1}^T\lambda^r =
    \frac{\lambda(1-\lambda^T)}{(1-\lambda)T}`, with :math:`f(1) = 1`.

    NetMF (Qiu et al. 2018, arXiv 1710.02971, Section 3); for :math:`\lambda > 0` evaluated as
    :math:`-\lambda\,\mathrm{expm1}(T\log\lambda)/((1-\lambda)T)` (no cancellation near 1),
    for :math:`\lambda \le 0` by the closed form. Accepts a scalar or an array.
    """
    T = as_int("T", T, minimum=1)
    arr = as_array("lam", lam)
    lam_a = np.atleast_1d(arr).astype(np.float64)
    out = np.empty_like(lam_a)
    one = lam_a == 1.0
    pos = (lam_a > 0) & ~one
    neg = lam_a <= 0
    lp = lam_a[pos]
    out[pos] = -lp * np.expm1(T * np.log(lp)) / ((1.0 - lp) * T)
    ln = lam_a[neg]
    out[neg] = ln * (1.0 - ln**T) / ((1.0 - ln) * T)
    out[one] = 1.0
    return float(out[0]) if arr.ndim == 0 else out.reshape(arr.shape)


def _dense_guard(g: Graph, what: str, limit: int = 5000):
    if g.n > limit:
        raise ValueError(f"graph has n={g.n} nodes; {what} is dense and needs n <= {limit}")


def netmf_matrix(graph, T=10, b=1.0, log: str = "truncated"):
    r"""NetMF matrix of DeepWalk with window ``T`` and ``b`` negatives (arXiv 1710.02971, Thm 2).

    .. math:: M = \frac{\mathrm{vol}(G)}{bT}\Big(\sum_{r=1}^{T}(D^{-1}A)^r\Big)D^{-1},

    returned as :math:`\log\max(M, 1)` (``log="truncated"``, the authors' xptree/NetMF code),
    :math:`\log M` (``log="plain"``, ``-inf`` where :math:`M = 0`) or :math:`M` (``log="none"``).
    ``T = 1`` is LINE (:func:`line_matrix`). Dense; ``n <= 5000``.
    """
    g = _graph(graph)
    T = as_int("T", T, minimum=1)
    b = as_float("b", b, 0.0, low_open=True)
    as_choice("log", log, ("truncated", "plain", "none"))
    _dense_guard(g, "the NetMF matrix")
    d = _degrees_for_inverse(g)
    A = g.adjacency().toarray()
    P = A / d[:, None]
    S = np.zeros_like(P)
    Pr = np.eye(g.n)
    for _ in range(T):
        Pr = Pr @ P
        S += Pr
    M = (d.sum() / (b * T)) * S / d[None, :]
    if log == "none":
        return M
    if log == "truncated":
        return np.log(np.maximum(M, 1.0))
    with np.errstate(divide="ignore"):
        return np.log(M)


def line_matrix(graph, b=1.0, log: str = "truncated"):
    r"""LINE (NetMF with ``T = 1``): :math:`\log(\mathrm{vol}(G)\,D^{-1}AD^{-1}) - \log b`.

    arXiv 1710.02971, Section 3.1; ``log`` as in :func:`netmf_matrix`.
    """
    return netmf_matrix(graph, T=1, b=b, log=log)


def infinitewalk_matrix(graph):
    r"""InfiniteWalk limit :math:`M_\infty = J + \mathrm{vol}(G)\,D^{-1/2}(L_{\mathrm{sym}}^{+} -
    I)D^{-1/2}` (Chanpuriya & Musco 2020, arXiv 2006.00094, Eq. 6).

    :math:`L_{\mathrm{sym}} = I - D^{-1/2}AD^{-1/2}`, :math:`J` all-ones; the graph must be
    connected. On a non-bipartite graph it is the limit :math:`M_\infty = \lim_{T\to\infty}
    T\,(M_T - J)` of the NetMF matrix (:func:`netmf_matrix` with ``b = 1``, ``log="none"``),
    since :math:`\frac1T\sum_{r\le T}\lambda^r \cdot T \to \lambda/(1-\lambda)`. Dense;
    ``n <= 5000``.
    """
    g = _graph(graph)
    _dense_guard(g, "the InfiniteWalk matrix")
    d = _degrees_for_inverse(g)
    if not g.is_connected():
        raise ValueError("graph must be connected for the InfiniteWalk limit matrix")
    Ls = np.eye(g.n) - normalized_adjacency(g).toarray()
    Lp = sla.pinvh(Ls)
    s = 1.0 / np.sqrt(d)
    return np.ones((g.n, g.n)) + d.sum() * (s[:, None] * (Lp - np.eye(g.n)) * s[None, :])


# --------------------------------------------------------------------------------------------
# Observation 4 summary
# --------------------------------------------------------------------------------------------
#: the paper's four tiny graphs (arXiv 2510.26745, Appendix C.3)
TINY_GRAPHS = ("path-star:4x5", "grid:4x4", "cycle:15", "irregular")


def observation4_row(graph, steps=10_000, dim=100, lr=0.01, seed=0) -> dict:
    """One row of the Observation-4 table: run :func:`node2vec_dynamics` and summarize it.

    Keys: graph, n, predicted_rank, effective_rank, numerical_rank (singular values above
    :data:`RANK_RTOL` of the largest), max_angle_deg (predicted subspace vs the top
    ``predicted_rank`` left singular vectors of V), energy_outside, cv_norm, steps, seconds.
    """
    g = _graph(graph)
    t0 = time.perf_counter()
    _, recs = node2vec_dynamics(g, dim=dim, steps=steps, lr=lr, seed=seed, record_every=steps)
    last = recs[-1]
    return {
        "graph": g.name,
        "n": g.n,
        "predicted_rank": predicted_rank(g),
        "effective_rank": last.effective_rank,
        "numerical_rank": last.numerical_rank,
        "max_angle_deg": last.max_angle_deg,
        "energy_outside": last.energy_outside,
        "cv_norm": last.cv_norm,
        "steps": steps,
        "seconds": time.perf_counter() - t0,
    }


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------
def _format_clusters(w: np.ndarray) -> list[dict]:
    return [
        {"eigenvalue": float(w[a:b].mean()), "multiplicity": b - a, "start": a}
        for a, b in eigen_clusters(w)
    ]


def _print_observation4(args) -> int:
    from memtheory.graphs import parse_graph

    steps = as_int("steps", args.steps, minimum=1)
    rows = [
        observation4_row(parse_graph(spec), steps=steps, dim=args.dim, lr=args.lr, seed=args.seed)
        for spec in TINY_GRAPHS
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    print(
        f"| graph | n | predicted rank | effective rank | numerical rank (>{RANK_RTOL:g} s_max) "
        "| max angle to prediction | energy outside | ||CV||_F | steps | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['graph']} | {r['n']} | {r['predicted_rank']} | {r['effective_rank']:.3f} | "
            f"{r['numerical_rank']} | {r['max_angle_deg']:.3f}° | {r['energy_outside']:.2e} | "
            f"{r['cv_norm']:.2e} | {r['steps']} | {r['seconds']:.1f} |"
        )
    return 0


def main(argv=None) -> int:
    """``python -m memtheory.spectral``: spectrum of -L, predicted rank, optional dynamics."""
    from memtheory.cli import ArgumentParser
    from memtheory.graphs import GRAPH_SPECS, parse_graph

    parser = ArgumentParser(
        prog="python -m memtheory.spectral",
        description="Top of the spectrum of -L = D^-1 A + (D^-1 A)^T - 2I, the predicted "
        "Node2Vec rank and subspace (arXiv 2510.26745, Section 4), and optionally the exact "
        "full-batch Node2Vec dynamics.",
    )
    parser.add_argument("--graph", default=None, help="graph spec: " + "; ".join(GRAPH_SPECS))
    parser.add_argument(
        "--observation4",
        action="store_true",
        help="print the Observation-4 table for the paper's four tiny graphs (uses --steps)",
    )
    parser.add_argument("--k", type=int, default=None, help="eigenpairs to show (default 10)")
    parser.add_argument("--dynamics", action="store_true", help="run node2vec_dynamics")
    parser.add_argument("--steps", type=int, default=10_000, help="dynamics steps")
    parser.add_argument("--dim", type=int, default=100, help="embedding dimension")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate eta")
    parser.add_argument("--seed", type=int, default=0, help="init seed")
    parser.add_argument("--record-every", type=int, default=None, help="checkpoint spacing")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.observation4:
        return _print_observation4(args)
    if args.graph is None:
        parser.error("the following arguments are required: --graph (or --observation4)")
    g = parse_graph(args.graph)
    k = as_int("k", 10 if args.k is None else args.k, minimum=1)
    k = min(k, g.n)
    w, _ = spectrum(g, k)
    rank = predicted_rank(g)
    basis = node2vec_prediction(g)
    out = {
        "graph": g.name,
        "n": g.n,
        "m": g.m,
        "components": g.n_components(),
        "top_eigenvalues": w.tolist(),
        "clusters": _format_clusters(w),
        "predicted_rank": rank,
        "predicted_subspace_shape": list(basis.shape),
    }
    if g.n <= 40:
        out["predicted_subspace"] = np.round(np.asarray(basis), 6).tolist()
    if args.dynamics:
        steps = as_int("steps", args.steps, minimum=1)
        every = args.record_every or max(1, steps // 10)
        _, recs = node2vec_dynamics(
            g, dim=args.dim, steps=steps, lr=args.lr, seed=args.seed, record_every=every
        )
        out["dynamics"] = [
            {
                key: r.as_dict()[key]
                for key in (
                    "step",
                    "objective",
                    "effective_rank",
                    "numerical_rank",
                    "max_angle_deg",
                    "energy_outside",
                    "cv_norm",
                    "seconds",
                )
            }
            for r in recs
        ]
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{g.name}: n={g.n}, m={g.m}, components={out['components']}")
    print("top of the spectrum of -L (cluster: eigenvalue x multiplicity):")
    for c in out["clusters"]:
        print(f"  {c['start']:4d}  {c['eigenvalue']:+.10f}  x{c['multiplicity']}")
    print(f"predicted Node2Vec rank: {rank} (basis shape {tuple(basis.shape)})")
    if "predicted_subspace" in out:
        print("predicted subspace (orthonormal columns, rows = nodes):")
        for i, row in enumerate(np.asarray(basis)):
            print(f"  {i:3d} " + " ".join(f"{x:+.4f}" for x in row))
    if args.dynamics:
        print(f"dynamics: dim={args.dim}, lr={args.lr}, seed={args.seed}")
        print(
            f"  {'step':>7} {'objective':>12} {'eff.rank':>9} {'rank':>5} "
            f"{'max angle':>10} {'E_out':>9} {'|CV|_F':>9}"
        )
        for r in out["dynamics"]:
            print(
                f"  {r['step']:7d} {r['objective']:12.6f} {r['effective_rank']:9.3f} "
                f"{r['numerical_rank']:5d} {r['max_angle_deg']:9.3f}° "
                f"{r['energy_outside']:9.2e} {r['cv_norm']:9.2e}"
            )
    return 0


if __name__ == "__main__":
    from memtheory.cli import run_cli

    sys.exit(run_cli(main, prog="python -m memtheory.spectral"))
