"""Top eigenpairs of a large sparse symmetric matrix without cutting a degenerate cluster."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from threadpoolctl import threadpool_limits

from memtheory.checks import as_choice, as_float, as_int
from memtheory.eigensolvers.clusters import CLUSTER_ATOL, cluster_end, dense_spectrum
from memtheory.eigensolvers.filtered import filtered_lanczos_top, plain_lanczos_top
from memtheory.eigensolvers.shift_invert import (
    BANDED_MAX_ENTRIES,
    BANDED_MAX_FLOPS,
    rcm_band,
    shift_invert_top,
)

#: ``top_eigenpairs`` refuses ``M`` when ``max|M - M^T| > SYMMETRY_RTOL * max|M|``
SYMMETRY_RTOL = 1e-12


class Eigenpairs(NamedTuple):
    """Eigenvalues (descending) and orthonormal eigenvector columns; unpacks as ``w, U``."""

    values: np.ndarray
    vectors: np.ndarray


def top_eigenpairs(
    M,
    k,
    *,
    tol: float = 1e-9,
    ncv: int | None = None,
    guard: int | None = None,
    method: str = "auto",
):
    r"""Top-``k`` eigenpairs of a large sparse symmetric matrix, cluster-aware.

    Returns :class:`Eigenpairs` (eigenvalues descending, orthonormal eigenvector columns), at
    least ``k`` of them; ``M`` must be symmetric (checked to :data:`SYMMETRY_RTOL`). ``guard``
    extra eigenpairs beyond ``k`` are computed so that a degenerate cluster at the cut is seen
    whole; the result is extended to the end of that cluster (doubling the
    guard while the last computed eigenvalue still ties with it, :data:`CLUSTER_ATOL`).

    Methods (``method="auto"`` picks the first that applies):

    * ``"shift-invert"``: when the reverse Cuthill-McKee bandwidth ``b`` keeps the banded
      Cholesky factor small (``b <= 4 sqrt(n)``, ``n(b+1) <= BANDED_MAX_ENTRIES`` and
      ``n b^2 <= BANDED_MAX_FLOPS``: grids and other 2-D-like graphs), factor
      :math:`\sigma I - M` by LAPACK's banded Cholesky at a shift :math:`\sigma` just above
      :math:`\lambda_{\max}`. Success of the factorization *proves* :math:`\sigma >
      \lambda_{\max}`, so the eigenvalues nearest :math:`\sigma` are the top ones (the shift
      starts :math:`10^{-4}` above a cheap lower estimate of :math:`\lambda_{\max}` and is
      raised until the factorization succeeds); then ARPACK runs in shift-invert mode.
      Near-degenerate tops (grids: gaps of :math:`10^{-6}` on a spectrum of width 4) become
      well separated.
    * ``"filtered-lanczos"``: ARPACK on a Chebyshev polynomial of ``M`` that magnifies the
      top of the spectrum (:func:`filtered_lanczos_top`), checked afterwards with ``M``
      itself; every residual is at most ``tol`` :math:`\lVert M\rVert_1`. Random graphs and
      other graphs without a small bandwidth.
    * ``"lanczos"``: plain implicitly restarted Lanczos on ``M`` (ARPACK, ``tol`` its relative
      Ritz tolerance), the reference the filtered route is tested against.

    ``ncv`` defaults to ``max(2(k+guard)+1, k+guard+16)`` on the filtered route and
    ``max(2(k+guard)+1, k+guard+32)`` on the other two; ``guard`` to 1 on the Lanczos routes.
    Everything runs with single-threaded BLAS (``threadpoolctl``: on 2 cores a threaded
    OpenBLAS makes ARPACK's small level-2 calls many times slower). Single-vector Lanczos sees
    an exactly degenerate eigenvalue only through rounding: the filtered route probes for missed
    copies (:func:`missed_copies`), the plain one does not; neither is a proof (path-star
    graphs are handled by symmetry in :func:`memtheory.spectral.spectrum`).

    References: Lehoucq, Sorensen & Yang, *ARPACK Users' Guide* (SIAM 1998) for the implicitly
    restarted Lanczos both Lanczos routes call; Saad, *Numerical Methods for Large Eigenvalue
    Problems* (2nd ed., SIAM 2011), Sec. 8.3 (Chebyshev filters) and Sec. 4.1 (shift-invert);
    Sylvester's law of inertia for the certified shift.
    """
    if not sp.issparse(M) and not isinstance(M, np.ndarray):
        raise ValueError("M must be a scipy.sparse matrix or a numpy array")
    n = M.shape[0]
    if M.ndim != 2 or M.shape[1] != n:
        raise ValueError(f"M must be square, got shape {M.shape}")
    k = as_int("k", k, minimum=1, maximum=n)
    tol = as_float("tol", tol, 0.0)
    as_choice("method", method, ("auto", "filtered-lanczos", "lanczos", "shift-invert"))
    M = sp.csr_matrix(M)
    if not np.all(np.isfinite(M.data)):
        raise ValueError("M must contain only finite values (found nan or inf)")
    asym = abs(M - M.T)
    scale = float(abs(M).max()) if M.nnz else 0.0
    if asym.nnz and float(asym.max()) > SYMMETRY_RTOL * scale:
        raise ValueError(
            f"M must be symmetric: max |M - M^T| = {float(asym.max()):.3g} exceeds "
            f"{SYMMETRY_RTOL:g} x max |M| (the Lanczos routes assume a symmetric matrix)"
        )
    band = perm = None
    if method in ("auto", "shift-invert"):
        perm, inv, bw = rcm_band(M)
        small = (
            bw <= 4.0 * np.sqrt(n)  # 2-D-like graphs; a band of width ~n is just dense
            and n * (bw + 1) <= BANDED_MAX_ENTRIES
            and n * float(bw) ** 2 <= BANDED_MAX_FLOPS
        )
        if method == "shift-invert" or small:
            band = (perm, inv, bw)
    if guard is None:  # Lanczos pays for every extra pair at the bulk edge; shift-invert not
        guard = 1 if band is None else max(4, k // 4)
    guard = as_int("guard", guard, minimum=1)
    top_est = None
    if band is not None:
        # a cheap lower estimate of lambda_max: Rayleigh quotient of the constant vector and a
        # short, loose Lanczos run; the Cholesky test then certifies the shift above it
        ones = np.ones(n) / np.sqrt(n)
        top_est = float(ones @ (M @ ones))
        with threadpool_limits(limits=1, user_api="blas"):
            try:
                th = spla.eigsh(M, k=1, which="LA", tol=1e-4, ncv=min(n, 32), maxiter=20)[0]
                top_est = max(top_est, float(th[0]))
            except spla.ArpackNoConvergence as exc:
                if len(exc.eigenvalues):
                    top_est = max(top_est, float(np.max(exc.eigenvalues)))
    while True:
        kk = min(k + guard, n - 1)
        if kk <= k or n <= 3 * kk:
            w, U = dense_spectrum(M.toarray())
            kend = cluster_end(w, k, CLUSTER_ATOL)
            return Eigenpairs(w[:kend].copy(), np.ascontiguousarray(U[:, :kend]))
        filtered = band is None and method != "lanczos"
        nv = ncv if ncv is not None else max(2 * kk + 1, kk + (16 if filtered else 32))
        nv = min(as_int("ncv", nv, minimum=kk + 2), n)
        with threadpool_limits(limits=1, user_api="blas"):
            if band is not None:
                w, U = shift_invert_top(
                    M, kk, tol=tol, ncv=nv, perm=band[0], inv=band[1], bw=band[2], sigma0=top_est
                )
            elif filtered:
                w, U = filtered_lanczos_top(M, kk, tol=tol, ncv=nv, perm=perm)
            else:
                w, U = plain_lanczos_top(M, kk, tol=tol, ncv=nv)
        order = np.argsort(w)[::-1]
        w, U = w[order], U[:, order]
        kend = cluster_end(w, k, CLUSTER_ATOL)
        if kend < w.size or kk >= n - 1:
            break
        guard *= 2
    return Eigenpairs(w[:kend].copy(), _reorthonormalize(U[:, :kend]))


def _reorthonormalize(U: np.ndarray) -> np.ndarray:
    Qm, R = np.linalg.qr(U)
    return Qm * np.sign(np.diag(R))[None, :]
