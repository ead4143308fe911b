"""Rotation-invariant comparisons of embeddings and diagnostics of geometric memory.

Embeddings are defined only up to an orthogonal rotation of their columns (``X -> X Q``), so
runs and seeds are compared here only through quantities that do not see ``Q``: principal
angles, subspace / spectral energy fractions, Procrustes distance, linear CKA and ranks
(Noroozizadeh, Nagarajan, Rosenfeld & Kumar 2025, "Deep sequence models tend to memorize
geometrically; it is unclear why", arXiv 2510.26745; notes ``geometric-memory.md`` section 13).

The memory diagnostics follow the paper (section 6.1: leaf/first-hop heatmap, path-by-path
distance matrix) and the authors' released tiny-graph analysis code (notes section 6.2:
"geometric level" = mean edge cosine, top-k edge recovery, the "skewed low-rank" decomposition
of a one-layer logit matrix).

Conventions: every embedding matrix is ``(n, m)``, one row per node; edge lists are ``(k, 2)``
integer arrays of *directed* edges ``(u, v)`` (build them with
:meth:`memtheory.graphs.Graph.directed_edges`); everything is computed in float64.
"""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array, as_choice, as_float, as_int

__all__ = [
    "column_space",
    "principal_angles",
    "subspace_energy",
    "spectral_energy",
    "procrustes_distance",
    "linear_cka",
    "effective_rank",
    "numerical_rank",
    "mean_edge_cosine",
    "topk_edge_recovery",
    "edge_top1_margin",
    "skewed_low_rank",
    "leaf_first_hop_contrast",
    "path_distance_matrix",
]

# Relative tolerance under which two scores count as tied (ranking metrics break ties
# pessimistically, so that round-off from a rotation cannot turn a tie into a "hit").
TIE_RTOL = 1e-9
# Tolerance for "orthonormal columns" in spectral_energy.
ORTHONORMAL_ATOL = 1e-8
# Block size (entries of a score block) used to bound memory in topk_edge_recovery.
_BLOCK_ENTRIES = 1 << 22


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------
def _matrix(name: str, value, rows: int | None = None) -> np.ndarray:
    """A finite float64 2-D array with at least one row and column (``rows`` rows if given)."""
    arr = as_array(name, value, ndim=2, shape=None if rows is None else (rows, None))
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one row and one column, got {arr.shape}")
    return arr


def _index_array(name: str, value, n: int, ndim: int | None = None) -> np.ndarray:
    """Integer node ids in ``[0, n-1]`` (integral floats accepted, other floats rejected)."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # pragma: no cover - exotic inputs
        raise ValueError(f"{name} must be an integer array of node ids") from exc
    if raw.dtype == bool or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise ValueError(f"{name} must be an integer array of node ids, got dtype {raw.dtype}")
    if np.issubdtype(raw.dtype, np.floating):
        if not np.all(np.isfinite(raw)) or np.any(raw != np.floor(raw)):
            raise ValueError(f"{name} must hold integer node ids (found non-integer values)")
    arr = raw.astype(np.int64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.min() < 0 or arr.max() >= n:
        raise ValueError(
            f"{name} must hold node ids in [0, {n - 1}], got values in [{arr.min()}, {arr.max()}]"
        )
    return arr


def _edges(name: str, value, n: int) -> np.ndarray:
    arr = _index_array(name, value, n)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (k, 2), got {arr.shape}")
    return arr


def _bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _center(X: np.ndarray) -> np.ndarray:
    return X - X.mean(axis=0, keepdims=True)


def column_space(A, rtol: float | None = None) -> np.ndarray:
    """Orthonormal basis (``n x r``) of the column space of ``A`` (``n x p``), via the SVD.

    Singular values at most ``rtol * sigma_max`` are treated as zero; the default ``rtol`` is
    numpy's ``matrix_rank`` rule ``max(n, p) * eps``. Raises ``ValueError`` if ``A`` is zero.
    """
    A = _matrix("A", A)
    if rtol is None:
        rtol = max(A.shape) * np.finfo(np.float64).eps
    rtol = as_float("rtol", rtol, 0.0, 1.0, low_open=True, high_open=True)
    return _orth("A", A, rtol)


def _orth(name: str, A: np.ndarray, rtol: float | None = None) -> np.ndarray:
    if rtol is None:
        rtol = max(A.shape) * np.finfo(np.float64).eps
    U, s, _ = np.linalg.svd(A, full_matrices=False)
    if s.size == 0 or s[0] == 0.0:
        raise ValueError(f"{name} must have a nonzero column (its column space is empty)")
    r = int(np.sum(s > rtol * s[0]))
    return U[:, :r]


# --------------------------------------------------------------------------------------------
# subspace comparisons
# --------------------------------------------------------------------------------------------
def principal_angles(A, B) -> np.ndarray:
    r"""Principal angles (radians, ascending) between the column spaces of ``A`` and ``B``.

    With orthonormal bases :math:`Q_A, Q_B` of :math:`\mathrm{col}(A)` (``n x p``) and
    :math:`\mathrm{col}(B)` (``n x q``), the cosines of the angles are the singular values of
    :math:`Q_A^\top Q_B` (Björck & Golub 1973). Small angles are taken from the sines instead
    (singular values of :math:`Q_B - Q_A Q_A^\top Q_B`, Knyazev & Argentati 2002), so angles
    near 0 are accurate to round-off rather than to :math:`\sqrt{\epsilon}`. Returns
    :math:`\min(\mathrm{rank}\,A, \mathrm{rank}\,B)` angles in :math:`[0, \pi/2]`.

    Invariant under ``A -> A R``, ``B -> B S`` for any invertible ``R, S`` (only the column
    spaces matter) and under a common left rotation ``A -> Q A, B -> Q B``. Used to compare
    an embedding's column space with the spectral prediction of arXiv 2510.26745, Section 4.
    """
    A = _matrix("A", A)
    B = _matrix("B", B, rows=A.shape[0])
    QA = _orth("A", A)
    QB = _orth("B", B)
    if QA.shape[1] < QB.shape[1]:
        QA, QB = QB, QA
    C = QA.T @ QB
    cos = np.clip(np.linalg.svd(C, compute_uv=False), 0.0, 1.0)  # descending
    sin = np.clip(np.linalg.svd(QB - QA @ C, compute_uv=False)[::-1], 0.0, 1.0)  # ascending
    small = cos**2 >= 0.5
    theta = np.where(small, np.arcsin(sin), np.arccos(cos))
    return np.sort(theta)


def subspace_energy(X, basis, center: bool = False) -> float:
    r"""Fraction of :math:`\lVert X\rVert_F^2` inside :math:`\mathrm{span}(\text{basis})`.

    .. math:: \mathcal{E}(X) = \lVert Q^\top \tilde X\rVert_F^2 / \lVert \tilde X\rVert_F^2
              \in [0, 1]

    where :math:`Q` is an orthonormal basis of the columns of ``basis`` (``n x k``,
    orthonormalized here) and :math:`\tilde X = X` or, with ``center=True``,
    :math:`X - \mathbf{1}\bar x^\top` (the mean embedding over nodes removed). One minus it is
    the "energy outside the predicted subspace" of the Node2Vec dynamics (arXiv 2510.26745,
    Section 4, Fig. 7b uses the per-eigenvector version, see :func:`spectral_energy`).
    Invariant to ``X -> X Q`` for orthogonal ``Q`` and to scaling ``X``.
    """
    X = _matrix("X", X)
    basis = _matrix("basis", basis, rows=X.shape[0])
    center = _bool("center", center)
    Xc = _center(X) if center else X
    total = float(np.sum(Xc * Xc))
    if total == 0.0:
        what = "X minus its mean row" if center else "X"
        raise ValueError(f"X must have nonzero energy ({what} is zero)")
    Q = _orth("basis", basis)
    inside = float(np.sum((Q.T @ Xc) ** 2))
    return float(min(max(inside / total, 0.0), 1.0))


def spectral_energy(X, eigvecs, center: bool = False) -> np.ndarray:
    r"""Per-eigenvector energy fractions :math:`\lVert e_i^\top X\rVert^2/\lVert X\rVert_F^2`.

    ``eigvecs`` (``n x k``) must have orthonormal columns (checked to ``1e-8``); the fractions
    are non-negative and sum to at most 1 (exactly 1 for a full basis of :math:`\mathbb{R}^n`).
    With ``center=True`` the mean row of ``X`` is removed first. Squared version of the
    paper's spectral projection :math:`\lVert V^\top e_i\rVert_2` (arXiv 2510.26745, Fig. 7b;
    released spectral-bias bars, notes section 6.2), normalized so that runs of different
    scale compare. Invariant to ``X -> X Q`` and to scaling ``X``; inside a degenerate
    eigenspace only the *sum* over the cluster is basis-independent.
    """
    X = _matrix("X", X)
    V = _matrix("eigvecs", eigvecs, rows=X.shape[0])
    center = _bool("center", center)
    if V.shape[1] > V.shape[0]:
        raise ValueError(f"eigvecs must have at most n={V.shape[0]} columns, got {V.shape[1]}")
    err = float(np.max(np.abs(V.T @ V - np.eye(V.shape[1]))))
    if err > ORTHONORMAL_ATOL:
        raise ValueError(
            f"eigvecs must have orthonormal columns (max |V^T V - I| = {err:.2e} > "
            f"{ORTHONORMAL_ATOL:g})"
        )
    Xc = _center(X) if center else X
    total = float(np.sum(Xc * Xc))
    if total == 0.0:
        raise ValueError("X must have nonzero energy (X is zero after centering)")
    frac = np.sum((V.T @ Xc) ** 2, axis=1) / total
    return np.clip(frac, 0.0, 1.0)


def procrustes_distance(X, Y, scale: bool = True) -> float:
    r"""Orthogonal Procrustes distance between two configurations of the same ``n`` nodes.

    Both are column-centered (:math:`\tilde X, \tilde Y`); columns may differ in number
    (the narrower one is padded with zeros). With :math:`\nu = \lVert\tilde Y^\top\tilde
    X\rVert_*` (nuclear norm, the optimum of :math:`\max_Q \mathrm{tr}(Q^\top \tilde Y^\top
    \tilde X)`, Schönemann 1966):

    * ``scale=True``: both are normalized to unit Frobenius norm and an optimal isotropic
      scale is allowed, :math:`d = \sqrt{1 - \nu^2}\in[0,1]` with :math:`\nu` computed on the
      normalized pair; :math:`d^2` equals ``scipy.spatial.procrustes``' disparity. Invariant
      to rotation, translation and scaling of either argument, and symmetric.
    * ``scale=False``: raw centered configurations,
      :math:`d = \min_Q \lVert\tilde X - \tilde Y Q\rVert_F
      = \sqrt{\lVert\tilde X\rVert_F^2 + \lVert\tilde Y\rVert_F^2 - 2\nu}` (a metric on
      configurations modulo rotation and translation; not scale-invariant).

    Used to compare embeddings across seeds (notes section 13: never compare raw coordinates).
    """
    X = _matrix("X", X)
    Y = _matrix("Y", Y, rows=X.shape[0])
    scale = _bool("scale", scale)
    Xc, Yc = _center(X), _center(Y)
    width = max(Xc.shape[1], Yc.shape[1])
    Xc = np.pad(Xc, ((0, 0), (0, width - Xc.shape[1])))
    Yc = np.pad(Yc, ((0, 0), (0, width - Yc.shape[1])))
    if scale:
        nx, ny = float(np.linalg.norm(Xc)), float(np.linalg.norm(Yc))
        if nx == 0.0:
            raise ValueError("X must not be constant across rows (zero norm after centering)")
        if ny == 0.0:
            raise ValueError("Y must not be constant across rows (zero norm after centering)")
        Xc, Yc = Xc / nx, Yc / ny
    # optimal rotation R = U V^T from the SVD of Yc^T Xc; the residual is formed explicitly
    # (not as ||X||^2 + ||Y||^2 - 2 nu) so that distances near 0 keep full precision
    U, sv, Vt = np.linalg.svd(Yc.T @ Xc)
    s_opt = float(np.sum(sv)) if scale else 1.0
    return float(np.linalg.norm(Xc - s_opt * (Yc @ (U @ Vt))))


def linear_cka(X, Y) -> float:
    r"""Linear centered kernel alignment (Kornblith, Norouzi, Lee & Hinton 2019, Eq. 5).

    .. math:: \mathrm{CKA}(X, Y) = \frac{\lVert \tilde Y^\top \tilde X\rVert_F^2}
              {\lVert \tilde X^\top \tilde X\rVert_F\,\lVert \tilde Y^\top \tilde Y\rVert_F}
              \in [0, 1]

    with column-centered :math:`\tilde X, \tilde Y` (equivalently HSIC of the linear kernels
    :math:`K = \tilde X\tilde X^\top`, :math:`L = \tilde Y\tilde Y^\top`). Invariant to
    orthogonal transforms and isotropic scaling of either argument (not to general invertible
    maps). ``X`` is ``n x p``, ``Y`` is ``n x q``.
    """
    X = _matrix("X", X)
    Y = _matrix("Y", Y, rows=X.shape[0])
    Xc, Yc = _center(X), _center(Y)
    n = X.shape[0]
    if max(X.shape[1], Y.shape[1]) > n:  # kernel form is cheaper
        K, L = Xc @ Xc.T, Yc @ Yc.T
        num, dx, dy = float(np.sum(K * L)), float(np.linalg.norm(K)), float(np.linalg.norm(L))
    else:
        num = float(np.linalg.norm(Yc.T @ Xc) ** 2)
        dx, dy = float(np.linalg.norm(Xc.T @ Xc)), float(np.linalg.norm(Yc.T @ Yc))
    if dx == 0.0:
        raise ValueError("X must not be constant across rows (zero after centering)")
    if dy == 0.0:
        raise ValueError("Y must not be constant across rows (zero after centering)")
    return float(min(max(num / (dx * dy), 0.0), 1.0))


def effective_rank(X) -> float:
    r"""Effective rank (Roy & Vetterli 2007, Eq. 2): exp of the entropy of the spectrum.

    .. math:: \mathrm{erank}(X) = \exp\Big(-\sum_i p_i \log p_i\Big),\quad
              p_i = \sigma_i / \textstyle\sum_j \sigma_j

    over the singular values :math:`\sigma_i` of ``X`` (no centering; center first if the
    mean embedding should not count). :math:`1 \le \mathrm{erank} \le \mathrm{rank}`; equal to
    :math:`k` for :math:`k` equal nonzero singular values. Invariant to rotations on either
    side and to scaling. Tracks the low-rank collapse of Node2Vec (arXiv 2510.26745,
    Observation 4).
    """
    X = _matrix("X", X)
    s = np.linalg.svd(X, compute_uv=False)
    total = float(np.sum(s))
    if total == 0.0:
        raise ValueError("X must not be the zero matrix (effective rank undefined)")
    p = s[s > 0] / total
    return float(np.exp(-np.sum(p * np.log(p))))


def numerical_rank(X, rtol: float = 1e-6) -> int:
    r"""Number of singular values of ``X`` above ``rtol`` times the largest (0 for ``X = 0``).

    Invariant to rotations on either side and to scaling.
    """
    X = _matrix("X", X)
    rtol = as_float("rtol", rtol, 0.0, 1.0, low_open=True, high_open=True)
    s = np.linalg.svd(X, compute_uv=False)
    if s[0] == 0.0:
        return 0
    return int(np.sum(s > rtol * s[0]))


# --------------------------------------------------------------------------------------------
# memory diagnostics on graphs
# --------------------------------------------------------------------------------------------
def _row_norms_nonzero(X: np.ndarray, nodes: np.ndarray, what: str) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1)
    bad = np.unique(nodes[norms[nodes] == 0.0])
    if bad.size:
        raise ValueError(
            f"X must have nonzero rows at the {what} (cosine undefined); zero rows: "
            f"{bad[:10].tolist()}"
        )
    return norms


def mean_edge_cosine(X, edges) -> float:
    r"""The released code's "geometric level": mean cosine over directed edges.

    .. math:: g(X) = \frac{1}{|E|}\sum_{(u,v)\in E} \frac{x_u^\top x_v}
              {\lVert x_u\rVert\,\lVert x_v\rVert} \in [-1, 1]

    over the rows of the list ``edges`` as given (duplicates count as often as listed;
    self-edges contribute 1). Source: released tiny-graph analysis
    (``compute_associative_geometric_curves``, notes section 6.2), which adds ``1e-8`` to the
    denominator; here the cosine is exact and a zero embedding on an edge raises
    ``ValueError``. Invariant to ``X -> X Q``, to scaling each row, and to relabeling nodes.
    """
    X = _matrix("X", X)
    E = _edges("edges", edges, X.shape[0])
    norms = _row_norms_nonzero(X, E.ravel(), "edge endpoints")
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


def topk_edge_recovery(
    embeddings=None,
    edges=None,
    k=None,
    self_edges: bool = False,
    *,
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
    all-equal scores, into hits). Cost: :math:`O(n^2 m)` time in blocks of about 4M scores
    (a 20001-node path-star with m = 64 takes about 20 s on 2 busy cores).
    Invariant to ``X -> X Q`` (embeddings) and to relabeling nodes.
    """
    if (embeddings is None) == (scores is None):
        raise ValueError("embeddings and scores: give exactly one of them")
    if edges is None:
        raise ValueError("edges must be given (a (k, 2) array of directed edges)")
    self_edges = _bool("self_edges", self_edges)
    as_choice("average", average, ("edges", "nodes"))
    if embeddings is not None:
        X = _matrix("embeddings", embeddings)
        n = X.shape[0]

        def block(rows):
            return X[rows] @ X.T

    else:
        S = _matrix("scores", scores)
        n = S.shape[0]
        if S.shape != (n, n):
            raise ValueError(f"scores must be a square (n, n) matrix, got {S.shape}")

        def block(rows):
            return S[rows].copy()

    E = _edges("edges", edges, n)
    if not self_edges and np.any(E[:, 0] == E[:, 1]):
        raise ValueError("edges contains self-edges (u, u) but self_edges=False")
    n_cand = n if self_edges else n - 1
    if n_cand < 1:
        raise ValueError("embeddings/scores must have at least 2 nodes when self_edges=False")
    src, dst, indptr = _out_neighbours(E, n)
    deg = np.diff(indptr)
    if k is None:
        k_node = deg
    else:
        k = as_int("k", k, minimum=1, maximum=n_cand)
        k_node = np.full(n, k, dtype=np.int64)

    hits = np.zeros(src.shape[0], dtype=bool)
    sources = np.flatnonzero(deg > 0)
    step = max(1, _BLOCK_ENTRIES // max(n, 1))
    for start in range(0, sources.size, step):
        rows = sources[start : start + step]
        B = block(rows)
        scale = np.maximum(B.max(axis=1), -B.min(axis=1))  # max_w |S_uw|, diagonal included
        tau = TIE_RTOL * np.maximum(scale, np.finfo(np.float64).tiny)
        if not self_edges:
            B[np.arange(rows.size), rows] = -np.inf
        ids = np.arange(indptr[rows[0]], indptr[rows[-1] + 1])
        local = np.repeat(np.arange(rows.size), deg[rows])
        target = B[local, dst[ids]] - tau[local]
        # v is a hit iff fewer than k_u *other* candidates score >= S_uv - tau, i.e. iff the
        # (k_u + 1)-th largest entry of the row (v included, masked entries = -inf) is below
        # S_uv - tau; rows are grouped by k_u so that the partition runs vectorized.
        kk = k_node[rows]
        kth = np.full(rows.size, -np.inf)
        for kv in np.unique(kk):
            if kv + 1 > n:
                continue
            if kk[0] == kv and kk[-1] == kv and np.all(kk == kv):
                B.partition(n - kv - 1, axis=1)  # in place: B is not needed afterwards
                kth[:] = B[:, n - kv - 1]
            else:
                sel = np.flatnonzero(kk == kv)
                kth[sel] = np.partition(B[sel], n - kv - 1, axis=1)[:, n - kv - 1]
        hits[ids] = target > kth[local]
    if average == "edges":
        return float(np.mean(hits))
    per_node = np.add.reduceat(hits.astype(np.float64), indptr[sources]) / deg[sources]
    return float(np.mean(per_node))


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


def edge_top1_margin(scores, edges, self_edges: bool = False) -> dict:
    r"""Top-1 edge accuracy and edge margin of an ``n x n`` score / logit matrix.

    For each source row :math:`u` with at least one edge in ``edges`` (candidates: all
    columns, the diagonal excluded unless ``self_edges``):

    * ``top1_acc``: fraction of those rows whose argmax is a true out-neighbour, i.e.
      :math:`\max_{v\in N(u)} S_{uv} > \max_{w\notin N(u)} S_{uw}` (a tie within
      :math:`10^{-9}\max|S_{u\cdot}|` counts as wrong; a row with no non-edge candidate is
      right). Its denominator is the number of sources, so a perfect model scores 1,
      unlike the logged "edge accuracy" whose ceiling is #sources/#edges (notes section 6.2).
    * ``margin``: mean over rows having both kinds of candidates of
      :math:`\max_{v\in N(u)} S_{uv} - \max_{w\notin N(u)} S_{uw}`.

    Definitions of the released "skewed" diagnostics (notes sections 6.2 and 10.3: the
    published accuracies are multiples of 1/n, e.g. star 14/17 = 82.35%, grid 9/16 = 56.25%).
    """
    S = _matrix("scores", scores)
    n = S.shape[0]
    if S.shape != (n, n):
        raise ValueError(f"scores must be a square (n, n) matrix, got {S.shape}")
    E = _edges("edges", edges, n)
    self_edges = _bool("self_edges", self_edges)
    top1, margin = _top1_margin(S, _edge_mask(E, n, self_edges), self_edges)
    return {"top1_acc": top1, "margin": margin}


def skewed_low_rank(E, W, edges, b=None, self_edges: bool = False) -> dict:
    r"""The released "skewed low-rank" decomposition of a one-layer logit matrix.

    For logits :math:`Z = E W E^\top + \mathbf{1} b^\top E^\top` (tied embedding ``E``,
    ``n x m``; bilinear core ``W``, ``m x m``; optional output bias ``b`` of length ``m``,
    kept unchanged), take the thin SVD :math:`E = U\Sigma V_h` (numpy convention, rows of
    :math:`V_h` are right singular vectors), :math:`\lambda = \mathrm{diag}(V_h W V_h^\top)`,
    :math:`W' = V_h^\top \mathrm{diag}(\lambda) V_h` and :math:`Z' = E W' E^\top
    (+\mathbf{1}b^\top E^\top)`. Since :math:`E W E^\top = U\Sigma (V_h W V_h^\top)\Sigma
    U^\top`, :math:`W'` keeps exactly the part of :math:`W` diagonal in the embedding's
    singular basis (the "geometric" part); an associative solution loses its accuracy under
    this projection (notes sections 6.2, 10.2-10.3; arXiv 2510.26745 v2/v3 released code).

    Returns ``top1_acc`` and ``margin`` of :math:`Z'` (see :func:`edge_top1_margin`),
    ``full_top1_acc`` and ``full_margin`` of :math:`Z`, ``lambda`` and ``W_skewed``.

    Invariant to the reparametrization ``E -> E Q, W -> Q^T W Q, b -> Q^T b`` (which leaves
    :math:`Z` unchanged) and to relabeling nodes, provided the singular values of ``E`` are
    distinct: inside a repeated singular value :math:`V_h` is not unique and neither is
    :math:`\lambda` (e.g. exact cos/sin pairs of a cycle embedding).
    """
    E = _matrix("E", E)
    n, m = E.shape
    W = _matrix("W", W)
    if W.shape != (m, m):
        raise ValueError(f"W must have shape ({m}, {m}) to match E's {m} columns, got {W.shape}")
    if b is not None:
        b = as_array("b", b, shape=(m,))
    self_edges = _bool("self_edges", self_edges)
    edge_arr = _edges("edges", edges, n)
    is_edge = _edge_mask(edge_arr, n, self_edges)
    _, _, Vh = np.linalg.svd(E, full_matrices=False)
    lam = np.einsum("ij,jk,ik->i", Vh, W, Vh)
    W_skewed = (Vh.T * lam) @ Vh
    bias = np.zeros(n) if b is None else E @ b
    Z_full = E @ W @ E.T + bias[None, :]
    Z_skew = E @ W_skewed @ E.T + bias[None, :]
    top1, margin = _top1_margin(Z_skew, is_edge, self_edges)
    full_top1, full_margin = _top1_margin(Z_full, is_edge, self_edges)
    return {
        "top1_acc": top1,
        "margin": margin,
        "full_top1_acc": full_top1,
        "full_margin": full_margin,
        "lambda": lam,
        "W_skewed": W_skewed,
    }


def _cosine_distance(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    na = np.linalg.norm(A, axis=-1)
    nb = np.linalg.norm(B, axis=-1)
    cos = (A @ B.T) / np.outer(na, nb)
    return 1.0 - np.clip(cos, -1.0, 1.0)


def leaf_first_hop_contrast(X, leaves, first_hops) -> dict:
    r"""Leaf / first-hop cosine-distance heatmap (arXiv 2510.26745, Figs. 6a and 16).

    :math:`H_{ij} = 1 - \cos(x_{\mathrm{leaf}_i}, x_{\mathrm{hop}_j})` for the ``d`` arms
    given by ``leaves`` and ``first_hops`` (equal length ``d >= 2``; the paper uses the
    held-out test arms). Geometry shows as a low diagonal. Returns ``heatmap`` (``d x d``),
    ``diag_mean``, ``offdiag_mean``, ``contrast = offdiag_mean - diag_mean`` (positive when a
    leaf is closer to its own first hop), and ``diag_rank_acc``: the fraction of rows whose
    unique minimum is the diagonal (a tie within ``1e-9`` counts as a miss; chance is 1/d).
    Invariant to ``X -> X Q``, to row scaling and to relabeling nodes.
    """
    X = _matrix("X", X)
    n = X.shape[0]
    leaves = _index_array("leaves", leaves, n, ndim=1)
    first_hops = _index_array("first_hops", first_hops, n, ndim=1)
    if first_hops.shape != leaves.shape:
        raise ValueError(
            f"first_hops must have the same length as leaves ({leaves.size}), got {first_hops.size}"
        )
    d = leaves.size
    if d < 2:
        raise ValueError(f"leaves must hold at least 2 arms, got {d}")
    _row_norms_nonzero(X, np.concatenate([leaves, first_hops]), "leaves and first hops")
    H = _cosine_distance(X[leaves], X[first_hops])
    off = ~np.eye(d, dtype=bool)
    diag = np.diag(H)
    other_min = np.where(off, H, np.inf).min(axis=1)
    return {
        "heatmap": H,
        "diag_mean": float(np.mean(diag)),
        "offdiag_mean": float(np.mean(H[off])),
        "contrast": float(np.mean(H[off]) - np.mean(diag)),
        "diag_rank_acc": float(np.mean(diag < other_min - TIE_RTOL)),
    }


def path_distance_matrix(X, arms, metric: str = "cosine", normalizer: str = "mean") -> np.ndarray:
    r"""The paper's path-by-path distance matrix (arXiv 2510.26745, Fig. 17), root excluded.

    ``arms`` is a ``(d, L)`` array of node ids, arm ``i`` listing its ``L = \ell - 1`` non-root
    nodes :math:`v^{(i)}_1..v^{(i)}_L` (``Graph.meta["arms"]`` of ``path_star``; the root must
    not be included). With ``d(.,.)`` the cosine distance :math:`1-\cos` or the Euclidean
    distance (``metric``), and ``normalizer="mean"`` (default, true means):

    .. math:: D_{ii} = \binom{L}{2}^{-1}\sum_{1\le k<m\le L} d(v^{(i)}_k, v^{(i)}_m),\qquad
              D_{ij} = L^{-2}\sum_{k=1}^{L}\sum_{m=1}^{L} d(v^{(i)}_k, v^{(j)}_m).

    The paper defines both as averages but prints the normalizers :math:`\binom{\ell}{2}` and
    :math:`\ell^2` (with :math:`\ell = L+1` counting the root), which do not match the
    :math:`\binom{L}{2}` and :math:`L^2` terms summed (notes section 13). ``normalizer="paper"``
    reproduces the printed formula (``D_ii`` times :math:`\binom{L}{2}/\binom{L+1}{2}
    = (L-1)/(L+1)`, ``D_ij`` times :math:`L^2/(L+1)^2`); it shrinks the diagonal more than the
    off-diagonal, so only true means compare within-path to between-path distances fairly.
    Requires ``L >= 2``. Invariant to ``X -> X Q`` and to relabeling nodes.
    """
    X = _matrix("X", X)
    n = X.shape[0]
    arms = _index_array("arms", arms, n, ndim=2)
    metric = as_choice("metric", metric, ("cosine", "euclidean"))
    normalizer = as_choice("normalizer", normalizer, ("mean", "paper"))
    d, L = arms.shape
    if L < 2:
        raise ValueError(f"arms must list at least 2 nodes per arm (root excluded), got {L}")
    flat = arms.ravel()
    P = X[flat]
    if metric == "cosine":
        _row_norms_nonzero(X, flat, "arm nodes")
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
