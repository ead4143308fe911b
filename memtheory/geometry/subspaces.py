r"""Rotation-invariant comparisons of embeddings: principal angles, subspace and spectral energy,
Procrustes distance, linear CKA, effective and numerical rank (``docs/theory/geometry.md``)."""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_float
from memtheory.geometry.arguments import bool_arg, matrix_arg

ORTHONORMAL_ATOL = 1e-8


def _center(X: np.ndarray) -> np.ndarray:
    return X - X.mean(axis=0, keepdims=True)


def column_space(A, rtol: float | None = None) -> np.ndarray:
    """Orthonormal basis (``n x r``) of the column space of ``A`` (``n x p``), via the SVD.

    Singular values at most ``rtol * sigma_max`` are treated as zero; the default ``rtol`` is
    numpy's ``matrix_rank`` rule ``max(n, p) * eps``. Raises ``ValueError`` if ``A`` is zero.
    """
    A = matrix_arg("A", A)
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
    A = matrix_arg("A", A)
    B = matrix_arg("B", B, rows=A.shape[0])
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
    X = matrix_arg("X", X)
    basis = matrix_arg("basis", basis, rows=X.shape[0])
    center = bool_arg("center", center)
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
    released spectral-bias bars, ``docs/theory/geometry.md``), normalized so that runs of different
    scale compare. Invariant to ``X -> X Q`` and to scaling ``X``; inside a degenerate
    eigenspace only the *sum* over the cluster is basis-independent.
    """
    X = matrix_arg("X", X)
    V = matrix_arg("eigvecs", eigvecs, rows=X.shape[0])
    center = bool_arg("center", center)
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

    Used to compare embeddings across seeds (``docs/theory/geometry.md``: never compare raw
    coordinates).
    """
    X = matrix_arg("X", X)
    Y = matrix_arg("Y", Y, rows=X.shape[0])
    scale = bool_arg("scale", scale)
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
    X = matrix_arg("X", X)
    Y = matrix_arg("Y", Y, rows=X.shape[0])
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
    X = matrix_arg("X", X)
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
    X = matrix_arg("X", X)
    rtol = as_float("rtol", rtol, 0.0, 1.0, low_open=True, high_open=True)
    s = np.linalg.svd(X, compute_uv=False)
    if s[0] == 0.0:
        return 0
    return int(np.sum(s > rtol * s[0]))
