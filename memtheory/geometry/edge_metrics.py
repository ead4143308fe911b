r"""Memory diagnostics on a graph's edges: mean edge cosine, top-k edge recovery, top-1 edge margin
and the released "skewed low-rank" decomposition (arXiv 2510.26745 released code;
``docs/theory/geometry.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from memtheory.checks import as_array, as_choice, as_int
from memtheory.eigensolvers.parallel import cpu_count
from memtheory.geometry.arguments import (
    TIE_RTOL,
    bool_arg,
    edges_arg,
    matrix_arg,
    row_norms_nonzero,
)
from memtheory.result_fields import FieldsAsDict

# Block size (entries of a score block) used to bound memory in topk_edge_recovery.
_BLOCK_ENTRIES = 1 << 22


def mean_edge_cosine(X, edges) -> float:
    r"""The released code's "geometric level": mean cosine over directed edges.

    .. math:: g(X) = \frac{1}{|E|}\sum_{(u,v)\in E} \frac{x_u^\top x_v}
              {\lVert x_u\rVert\,\lVert x_v\rVert} \in [-1, 1]

    over the rows of the list ``edges`` as given (duplicates count as often as listed;
    self-edges contribute 1). Source: released tiny-graph analysis
    (``compute_associative_geometric_curves``, ``docs/theory/geometry.md``), which adds ``1e-8`` to
    the
    denominator; here the cosine is exact and a zero embedding on an edge raises
    ``ValueError``. Invariant to ``X -> X Q``, to scaling each row, and to relabeling nodes.
    """
    X = matrix_arg("X", X)
    E = edges_arg("edges", edges, X.shape[0])
    norms = row_norms_nonzero(X, E.ravel(), "edge endpoints")
    u, v = E[:, 0], E[:, 1]
    cos = np.einsum("ij,ij->i", X[u], X[v]) / (norms[u] * norms[v])
    return float(np.mean(np.clip(cos, -1.0, 1.0)))


def _out_neighbours(E: np.ndarray, n: int):
    """Distinct directed edges sorted by source, with CSR-style offsets."""
    key = np.unique(E[:, 0] * n + E[:, 1])
    src, dst = key // n, key % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, src + 1, 1)
    return src, dst, np.cumsum(indptr)


def _recovery_setup(embeddings, edges, k, self_edges, scores, average):
    """Validated inputs of the top-k recovery functions: ``(block, n, dst, indptr, deg, k_node,
    self_edges)``, ``block(rows)`` giving the score rows of ``rows``."""
    if (embeddings is None) == (scores is None):
        raise ValueError("embeddings and scores: give exactly one of them")
    if edges is None:
        raise ValueError("edges must be given (a (k, 2) array of directed edges)")
    self_edges = bool_arg("self_edges", self_edges)
    as_choice("average", average, ("edges", "nodes"))
    if embeddings is not None:
        X = matrix_arg("embeddings", embeddings)
        n = X.shape[0]

        def block(rows):
            return X[rows] @ X.T

    else:
        S = matrix_arg("scores", scores)
        n = S.shape[0]
        if S.shape != (n, n):
            raise ValueError(f"scores must be a square (n, n) matrix, got {S.shape}")

        def block(rows):
            return S[rows].copy()

    E = edges_arg("edges", edges, n)
    if not self_edges and np.any(E[:, 0] == E[:, 1]):
        raise ValueError("edges contains self-edges (u, u) but self_edges=False")
    n_cand = n if self_edges else n - 1
    if n_cand < 1:
        raise ValueError("embeddings/scores must have at least 2 nodes when self_edges=False")
    _, dst, indptr = _out_neighbours(E, n)
    deg = np.diff(indptr)
    if k is None:
        k_node = deg
    else:
        k = as_int("k", k, minimum=1, maximum=n_cand)
        k_node = np.full(n, k, dtype=np.int64)
    return block, n, dst, indptr, deg, k_node, self_edges


def _hits(block, n, dst, indptr, deg, k_node, self_edges, sources) -> np.ndarray:
    """Hit flags of every distinct edge (only those of ``sources``, sorted, are filled)."""
    hits = np.zeros(dst.shape[0], dtype=bool)
    step = max(1, _BLOCK_ENTRIES // max(n, 1))
    starts = range(0, sources.size, step)

    def run(start):
        rows = sources[start : start + step]
        _block_hits(block(rows), rows, deg, indptr, dst, k_node, self_edges, hits)

    workers = min(cpu_count(), len(starts))
    if workers <= 1:
        for start in starts:
            run(start)
    else:  # numpy and BLAS release the GIL: one block per core, one BLAS thread each
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, starts))
    return hits


def topk_edge_recovery(
    embeddings=None,
    edges=None,
    *,
    k=None,
    self_edges: bool = False,
    scores=None,
    average: str = "edges",
) -> float:
    r"""Top-k edge recovery, the released code's "associative memorization" measure.

    Give exactly one of ``embeddings`` (``n x m``; scores :math:`S = XX^\top`) or ``scores``
    (an ``n x n`` score or logit matrix, row = source, column = candidate target). The
    diagonal is masked unless ``self_edges``. For each distinct directed edge :math:`(u,v)`
    in ``edges``, it is *recovered* when :math:`v` is among the top-:math:`k_u` candidates of
    row :math:`u`, with :math:`k_u = k` or, for ``k=None``, :math:`k_u = \deg^+(u)` (the number
    of distinct targets of :math:`u`: the paper's memorization criterion, each vertex's
    neighbours among its top-deg scores).

    ``average="edges"`` returns recovered / #distinct directed edges (released
    ``metrics.topk_recovery_percent`` / 100, with :math:`k=5` there); ``average="nodes"``
    returns the mean over sources of recovered(u)/deg(u) (released notebook helper
    ``compute_topk_recovery_percent``, which uses :math:`k_u=\min(\deg u, 5)`; identical to
    ``k=None`` on the tiny graphs, whose degrees are at most 5).

    Ties are broken pessimistically: :math:`v` counts only if fewer than :math:`k_u` other
    candidates score at least :math:`S_{uv} - \tau`, with :math:`\tau = 10^{-9}\max_w|S_{uw}|`
    over the whole row, diagonal included (the released code breaks ties by ``argpartition``
    order; the two agree without ties, and this one cannot turn a rotation's round-off, or
    all-equal scores, into hits). Exact, blocked: score rows are formed in blocks of about 4M
    scores (BLAS), one block per core; no row is sorted (see :func:`_block_hits`). Cost:
    :math:`O(n^2 m)` arithmetic and a few passes over the :math:`n^2` scores, :math:`O(n)`
    memory per block: about 6 s for a 20001-node path-star with m = 64 on 2 busy cores (20-27 s
    with a partial sort per row before); measurements in ``docs/theory/geometry.md``. For
    :math:`10^5` nodes and more, :func:`topk_edge_recovery_sampled` gives the same quantity
    from a random sample of source rows, each decided exactly, with its standard error.
    Invariant to ``X -> X Q`` (embeddings) and to relabeling nodes.
    """
    block, n, dst, indptr, deg, k_node, self_edges = _recovery_setup(
        embeddings, edges, k, self_edges, scores, average
    )
    sources = np.flatnonzero(deg > 0)
    hits = _hits(block, n, dst, indptr, deg, k_node, self_edges, sources)
    return _recovery(hits, indptr, deg, sources, average)


def _recovery(hits, indptr, deg, sources, average: str) -> float:
    """Recovered / edges (``"edges"``) or the mean over ``sources`` of recovered / out-degree."""
    if average == "edges":
        return float(np.mean(hits))
    per_node = np.add.reduceat(hits.astype(np.float64), indptr[sources]) / deg[sources]
    return float(np.mean(per_node))


class SampledRecovery(NamedTuple):
    """Top-k edge recovery estimated from ``sources`` draws of ``population`` source rows."""

    estimate: float  # the estimate of topk_edge_recovery(...) (same k, average)
    stderr: float  # its standard error (0 when every source row was used)
    sources: int  # rows drawn (with replacement), or N when every row was used
    population: int  # source rows with at least one out-edge (N)


def topk_edge_recovery_sampled(
    embeddings=None,
    edges=None,
    *,
    k=None,
    self_edges: bool = False,
    scores=None,
    average: str = "edges",
    sources: int = 2048,
    seed: int = 0,
) -> SampledRecovery:
    r""":func:`topk_edge_recovery` from a random sample of source rows, for large graphs.

    ``sources`` draws of a source row :math:`u` (with replacement, ``seed``), with probability
    :math:`p_u = d_u / \sum_w d_w` for ``average="edges"`` (:math:`d_u` its out-edges) and
    :math:`1/N` for ``average="nodes"``. Every drawn row is decided exactly as in
    :func:`topk_edge_recovery` (full score row, same tie rule), so the only error is sampling.
    With :math:`f_u = h_u / d_u` the fraction of row :math:`u`'s edges recovered, the
    Hansen-Hurwitz estimator (Hansen & Hurwitz 1943; Cochran 1977, *Sampling Techniques*,
    Sec. 9A.2) is the mean of :math:`f` over the draws, unbiased for either average
    (:math:`E[f_U] = \sum_u p_u f_u`), with standard error :math:`\mathrm{sd}(f)/\sqrt{s}`.
    Drawing rows in proportion to their edges keeps hubs (the path-star centre) from being
    missed. The standard error is only as good as the sample's spread: when almost every
    :math:`f_u` is 0 (or 1) and few draws differ, it is too small. With ``sources >= N`` (the
    rows with out-edges) every row is used and the result equals :func:`topk_edge_recovery`
    (stderr 0). Cost :math:`O(s\,n\,m)` (``docs/theory/geometry.md``).
    """
    block, n, dst, indptr, deg, k_node, self_edges = _recovery_setup(
        embeddings, edges, k, self_edges, scores, average
    )
    s = as_int("sources", sources, minimum=2)
    seed = as_int("seed", seed, minimum=0)
    population = np.flatnonzero(deg > 0)
    N = population.size
    if s >= N:
        hits = _hits(block, n, dst, indptr, deg, k_node, self_edges, population)
        return SampledRecovery(_recovery(hits, indptr, deg, population, average), 0.0, N, N)
    d = deg[population].astype(np.float64)
    prob = d / d.sum() if average == "edges" else None
    draws = np.random.default_rng(seed).choice(population, size=s, replace=True, p=prob)
    rows = np.unique(draws)
    hits = _hits(block, n, dst, indptr, deg, k_node, self_edges, rows)
    f_rows = np.add.reduceat(hits.astype(np.float64), indptr[rows]) / deg[rows]
    f = f_rows[np.searchsorted(rows, draws)]
    return SampledRecovery(float(f.mean()), float(f.std(ddof=1) / np.sqrt(s)), int(s), int(N))


def _block_hits(B, rows, deg, indptr, dst, k_node, self_edges, hits) -> None:
    """Fill ``hits`` for the edges whose sources are ``rows``; ``B`` holds their score rows.

    Edge (u, v) is a hit iff at most ``k_u`` candidates w (v included, the diagonal excluded
    unless ``self_edges``) score ``S_uw >= S_uv - tau_u``, i.e. iff ``S_uv - tau_u`` exceeds
    the (k_u+1)-th largest score ``kth_u`` of the row. No row is sorted: a threshold
    ``t_u <= kth_u`` (the (k_u+1)-th largest of a strided sample of the row's columns) or the
    row's lowest edge threshold, whichever is higher, keeps only a few candidates per row; a
    row with at most ``k_u`` candidates has all its edges recovered, and ``kth_u`` of the other
    rows is read off their sorted candidates (exact: every score >= kth_u is a candidate).
    """
    n = B.shape[1]
    local_rows = np.arange(rows.size)
    scale = np.maximum(B.max(axis=1), -B.min(axis=1))  # max_w |S_uw|, diagonal included
    tau = TIE_RTOL * np.maximum(scale, np.finfo(np.float64).tiny)
    if not self_edges:
        B[local_rows, rows] = -np.inf
    counts = deg[rows]  # the edges of rows (any sorted subset of the sources), in CSR order
    ids = np.arange(counts.sum()) + np.repeat(indptr[rows] - (np.cumsum(counts) - counts), counts)
    local = np.repeat(local_rows, counts)
    target = B[local, dst[ids]] - tau[local]
    kk = k_node[rows]
    lowest = np.full(rows.size, np.inf)
    np.minimum.at(lowest, local, target)
    # a lower bound of kth_u: the (k_u+1)-th largest of every stride-th column
    stride = max(1, n // max(256, 32 * (int(kk.max()) + 1)))
    sample = -np.sort(-B[:, ::stride], axis=1)
    pos = np.minimum(kk, sample.shape[1] - 1)
    sub_kth = np.where(kk < sample.shape[1], sample[local_rows, pos], -np.inf)
    threshold = np.maximum(lowest, sub_kth)
    r, c = np.nonzero(B >= threshold[:, None])
    count = np.bincount(r, minlength=rows.size)
    sure = count <= kk  # then threshold = lowest > kth_u: every edge of the row is a hit
    hits[ids] = sure[local]
    if sure.all():
        return
    vals = B[r, c]
    order = np.lexsort((-vals, r))  # by row, scores descending
    starts = np.concatenate([[0], np.cumsum(count)[:-1]])
    todo = np.flatnonzero(~sure)
    kth = np.full(rows.size, np.inf)
    kth[todo] = vals[order][starts[todo] + kk[todo]]
    undecided = ~sure[local]
    hits[ids[undecided]] = target[undecided] > kth[local[undecided]]


def _edge_mask(E: np.ndarray, n: int, self_edges: bool) -> np.ndarray:
    mask = np.zeros((n, n), dtype=bool)
    mask[E[:, 0], E[:, 1]] = True
    if not self_edges and np.any(E[:, 0] == E[:, 1]):
        raise ValueError("edges contains self-edges (u, u) but self_edges=False")
    return mask


def _top1_margin(L: np.ndarray, is_edge: np.ndarray, self_edges: bool) -> tuple[float, float]:
    n = L.shape[0]
    allowed = np.ones((n, n), dtype=bool)
    if not self_edges:
        np.fill_diagonal(allowed, False)
    pos = is_edge & allowed
    neg = ~is_edge & allowed
    has_pos = pos.any(axis=1)
    has_neg = neg.any(axis=1)
    max_pos = np.where(pos, L, -np.inf).max(axis=1)
    max_neg = np.where(neg, L, -np.inf).max(axis=1)
    scale = np.max(np.where(allowed, np.abs(L), 0.0), axis=1)
    tau = TIE_RTOL * scale
    rows = has_pos
    correct = (~has_neg[rows]) | (max_pos[rows] > max_neg[rows] + tau[rows])
    top1 = float(np.mean(correct))
    both = has_pos & has_neg
    margin = float(np.mean(max_pos[both] - max_neg[both])) if both.any() else float("nan")
    return top1, margin


@dataclass(frozen=True)
class Top1Margin(FieldsAsDict):
    """Top-1 edge accuracy and edge margin of a score matrix (:func:`edge_top1_margin`).

    ``top1_acc``: fraction of source rows whose top-scoring candidate is a true out-neighbour.
    ``margin``: mean of (best edge score - best non-edge score) over rows having both; NaN if none.
    """

    top1_acc: float
    margin: float


def edge_top1_margin(scores, edges, self_edges: bool = False) -> Top1Margin:
    r"""Top-1 edge accuracy and edge margin of an ``n x n`` score / logit matrix.

    For each source row :math:`u` with at least one edge in ``edges`` (candidates: all
    columns, the diagonal excluded unless ``self_edges``):

    * ``top1_acc``: fraction of those rows whose argmax is a true out-neighbour, i.e.
      :math:`\max_{v\in N(u)} S_{uv} > \max_{w\notin N(u)} S_{uw}` (a tie within
      :math:`10^{-9}\max|S_{u\cdot}|` counts as wrong; a row with no non-edge candidate is
      right). Its denominator is the number of sources, so a perfect model scores 1,
      unlike the logged "edge accuracy" whose ceiling is #sources/#edges
      (``docs/theory/geometry.md``).
    * ``margin``: mean over rows having both kinds of candidates of
      :math:`\max_{v\in N(u)} S_{uv} - \max_{w\notin N(u)} S_{uw}`.

    Definitions of the released "skewed" diagnostics (``docs/theory/geometry.md``: the
    published accuracies are multiples of 1/n, e.g. star 14/17 = 82.35%, grid 9/16 = 56.25%).
    """
    S = matrix_arg("scores", scores)
    n = S.shape[0]
    if S.shape != (n, n):
        raise ValueError(f"scores must be a square (n, n) matrix, got {S.shape}")
    E = edges_arg("edges", edges, n)
    self_edges = bool_arg("self_edges", self_edges)
    top1, margin = _top1_margin(S, _edge_mask(E, n, self_edges), self_edges)
    return Top1Margin(top1_acc=top1, margin=margin)


@dataclass(frozen=True, eq=False)
class SkewedLowRank(FieldsAsDict):
    r"""The skewed low-rank decomposition of a one-layer logit matrix (:func:`skewed_low_rank`).

    ``top1_acc``: top-1 edge accuracy of the skewed logits :math:`Z'` (:func:`edge_top1_margin`).
    ``margin``: edge margin of :math:`Z'`.
    ``full_top1_acc``: top-1 edge accuracy of the full logits :math:`Z`.
    ``full_margin``: edge margin of :math:`Z`.
    ``lambda_`` (m,): :math:`\lambda = \mathrm{diag}(V_h W V_h^\top)` (key ``"lambda"`` in
    :meth:`as_dict`; ``lambda`` is a Python keyword).
    ``W_skewed`` (m, m): :math:`W' = V_h^\top \mathrm{diag}(\lambda) V_h`.

    Holds arrays, so it compares by identity (``eq=False``).
    """

    top1_acc: float
    margin: float
    full_top1_acc: float
    full_margin: float
    lambda_: np.ndarray
    W_skewed: np.ndarray


def skewed_low_rank(E, W, edges, *, b=None, self_edges: bool = False) -> SkewedLowRank:
    r"""The released "skewed low-rank" decomposition of a one-layer logit matrix.

    For logits :math:`Z = E W E^\top + \mathbf{1} b^\top E^\top` (tied embedding ``E``,
    ``n x m``; bilinear core ``W``, ``m x m``; optional output bias ``b`` of length ``m``,
    kept unchanged), take the thin SVD :math:`E = U\Sigma V_h` (numpy convention, rows of
    :math:`V_h` are right singular vectors), :math:`\lambda = \mathrm{diag}(V_h W V_h^\top)`,
    :math:`W' = V_h^\top \mathrm{diag}(\lambda) V_h` and :math:`Z' = E W' E^\top
    (+\mathbf{1}b^\top E^\top)`. Since :math:`E W E^\top = U\Sigma (V_h W V_h^\top)\Sigma
    U^\top`, :math:`W'` keeps exactly the part of :math:`W` diagonal in the embedding's
    singular basis (the "geometric" part); an associative solution loses its accuracy under
    this projection (``docs/theory/geometry.md``; arXiv 2510.26745 v2/v3 released code).

    Returns ``top1_acc`` and ``margin`` of :math:`Z'` (see :func:`edge_top1_margin`),
    ``full_top1_acc`` and ``full_margin`` of :math:`Z`, ``lambda_`` and ``W_skewed``
    (a :class:`SkewedLowRank`).

    Invariant to the reparametrization ``E -> E Q, W -> Q^T W Q, b -> Q^T b`` (which leaves
    :math:`Z` unchanged) and to relabeling nodes, provided the singular values of ``E`` are
    distinct: inside a repeated singular value :math:`V_h` is not unique and neither is
    :math:`\lambda` (e.g. exact cos/sin pairs of a cycle embedding).
    """
    E = matrix_arg("E", E)
    n, m = E.shape
    W = matrix_arg("W", W)
    if W.shape != (m, m):
        raise ValueError(f"W must have shape ({m}, {m}) to match E's {m} columns, got {W.shape}")
    if b is not None:
        b = as_array("b", b, shape=(m,))
    self_edges = bool_arg("self_edges", self_edges)
    edge_arr = edges_arg("edges", edges, n)
    is_edge = _edge_mask(edge_arr, n, self_edges)
    _, _, Vh = np.linalg.svd(E, full_matrices=False)
    lam = np.einsum("ij,jk,ik->i", Vh, W, Vh)
    W_skewed = (Vh.T * lam) @ Vh
    bias = np.zeros(n) if b is None else E @ b
    Z_full = E @ W @ E.T + bias[None, :]
    Z_skew = E @ W_skewed @ E.T + bias[None, :]
    top1, margin = _top1_margin(Z_skew, is_edge, self_edges)
    full_top1, full_margin = _top1_margin(Z_full, is_edge, self_edges)
    return SkewedLowRank(
        top1_acc=top1,
        margin=margin,
        full_top1_acc=full_top1,
        full_margin=full_margin,
        lambda_=lam,
        W_skewed=W_skewed,
    )
