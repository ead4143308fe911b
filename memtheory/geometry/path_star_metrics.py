r"""Path-star diagnostics of geometric memory: the leaf / first-hop heatmap and the path-by-path
distance matrix (arXiv 2510.26745, Figs. 6a, 16, 17; ``docs/theory/geometry.md``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_choice
from memtheory.geometry.arguments import TIE_RTOL, index_array, matrix_arg, row_norms_nonzero
from memtheory.result_fields import FieldsAsDict


def _cosine_distance(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    na = np.linalg.norm(A, axis=-1)
    nb = np.linalg.norm(B, axis=-1)
    cos = (A @ B.T) / np.outer(na, nb)
    return 1.0 - np.clip(cos, -1.0, 1.0)


@dataclass(frozen=True, eq=False)
class LeafHopContrast(FieldsAsDict):
    r"""The leaf / first-hop heatmap and its summaries (:func:`leaf_first_hop_contrast`).

    ``heatmap`` (d, d): :math:`H_{ij} = 1 - \cos(x_{\mathrm{leaf}_i}, x_{\mathrm{hop}_j})`.
    ``diag_mean``: mean of the diagonal of ``heatmap`` (a leaf to its own first hop).
    ``offdiag_mean``: mean of the off-diagonal entries.
    ``contrast``: ``offdiag_mean - diag_mean`` (positive when a leaf is nearer its own first hop).
    ``diag_rank_acc``: fraction of rows whose unique minimum is the diagonal (chance 1/d).

    Holds an array, so it compares by identity (``eq=False``).
    """

    heatmap: np.ndarray
    diag_mean: float
    offdiag_mean: float
    contrast: float
    diag_rank_acc: float


def leaf_first_hop_contrast(X, leaves, first_hops) -> LeafHopContrast:
    r"""Leaf / first-hop cosine-distance heatmap (arXiv 2510.26745, Figs. 6a and 16).

    :math:`H_{ij} = 1 - \cos(x_{\mathrm{leaf}_i}, x_{\mathrm{hop}_j})` for the ``d`` arms
    given by ``leaves`` and ``first_hops`` (equal length ``d >= 2``; the paper uses the
    held-out test arms). Geometry shows as a low diagonal. Returns a :class:`LeafHopContrast`:
    ``heatmap`` (``d x d``), ``diag_mean``, ``offdiag_mean``,
    ``contrast = offdiag_mean - diag_mean`` (positive when a leaf is closer to its own first
    hop), and ``diag_rank_acc``: the fraction of rows whose unique minimum is the diagonal (a
    tie within ``1e-9`` counts as a miss; chance is 1/d).
    Invariant to ``X -> X Q``, to row scaling and to relabeling nodes.
    """
    X = matrix_arg("X", X)
    n = X.shape[0]
    leaves = index_array("leaves", leaves, n, ndim=1)
    first_hops = index_array("first_hops", first_hops, n, ndim=1)
    if first_hops.shape != leaves.shape:
        raise ValueError(
            f"first_hops must have the same length as leaves ({leaves.size}), got {first_hops.size}"
        )
    d = leaves.size
    if d < 2:
        raise ValueError(f"leaves must hold at least 2 arms, got {d}")
    row_norms_nonzero(X, np.concatenate([leaves, first_hops]), "leaves and first hops")
    H = _cosine_distance(X[leaves], X[first_hops])
    off = ~np.eye(d, dtype=bool)
    diag = np.diag(H)
    other_min = np.where(off, H, np.inf).min(axis=1)
    return LeafHopContrast(
        heatmap=H,
        diag_mean=float(np.mean(diag)),
        offdiag_mean=float(np.mean(H[off])),
        contrast=float(np.mean(H[off]) - np.mean(diag)),
        diag_rank_acc=float(np.mean(diag < other_min - TIE_RTOL)),
    )


def path_distance_matrix(
    X, arms, *, metric: str = "cosine", normalizer: str = "mean"
) -> np.ndarray:
    r"""The paper's path-by-path distance matrix (arXiv 2510.26745, Fig. 17), root excluded.

    ``arms`` is a ``(d, L)`` array of node ids, arm ``i`` listing its ``L = \ell - 1`` non-root
    nodes :math:`v^{(i)}_1..v^{(i)}_L` (``Graph.meta["arms"]`` of ``path_star``; the root must
    not be included). With ``d(.,.)`` the cosine distance :math:`1-\cos` or the Euclidean
    distance (``metric``), and ``normalizer="mean"`` (default, true means):

    .. math:: D_{ii} = \binom{L}{2}^{-1}\sum_{1\le k<m\le L} d(v^{(i)}_k, v^{(i)}_m),\qquad
              D_{ij} = L^{-2}\sum_{k=1}^{L}\sum_{m=1}^{L} d(v^{(i)}_k, v^{(j)}_m).

    The paper defines both as averages but prints the normalizers :math:`\binom{\ell}{2}` and
    :math:`\ell^2` (with :math:`\ell = L+1` counting the root), which do not match the
    :math:`\binom{L}{2}` and :math:`L^2` terms summed (``docs/theory/geometry.md``).
    ``normalizer="paper"``
    reproduces the printed formula (``D_ii`` times :math:`\binom{L}{2}/\binom{L+1}{2}
    = (L-1)/(L+1)`, ``D_ij`` times :math:`L^2/(L+1)^2`); it shrinks the diagonal more than the
    off-diagonal, so only true means compare within-path to between-path distances fairly.
    Requires ``L >= 2``. Invariant to ``X -> X Q`` and to relabeling nodes.
    """
    X = matrix_arg("X", X)
    n = X.shape[0]
    arms = index_array("arms", arms, n, ndim=2)
    metric = as_choice("metric", metric, ("cosine", "euclidean"))
    normalizer = as_choice("normalizer", normalizer, ("mean", "paper"))
    d, L = arms.shape
    if L < 2:
        raise ValueError(f"arms must list at least 2 nodes per arm (root excluded), got {L}")
    flat = arms.ravel()
    P = X[flat]
    if metric == "cosine":
        row_norms_nonzero(X, flat, "arm nodes")
        Dn = _cosine_distance(P, P)
    else:
        sq = np.sum(P * P, axis=1)
        Dn = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * (P @ P.T), 0.0))
        Dn[np.arange(flat.size), np.arange(flat.size)] = 0.0
    blocks = Dn.reshape(d, L, d, L).sum(axis=(1, 3))
    D = blocks / (L * L)
    iu = np.triu_indices(L, k=1)
    within = np.array([Dn[i * L : (i + 1) * L, i * L : (i + 1) * L][iu].mean() for i in range(d)])
    D[np.arange(d), np.arange(d)] = within
    if normalizer == "paper":
        off = ~np.eye(d, dtype=bool)
        D[off] *= (L * L) / ((L + 1) ** 2)
        D[~off] *= (L - 1) / (L + 1)
    return D
