"""Shift-invert Lanczos about a shift certified above the top eigenvalue by a banded Cholesky."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

#: shift-invert is used when the RCM-banded Cholesky factor has at most this many entries
BANDED_MAX_ENTRIES = 40_000_000
#: ... and its factorization at most this many flops (n * bandwidth^2)
BANDED_MAX_FLOPS = 2e10


def rcm_band(M: sp.csr_matrix):
    """Reverse Cuthill-McKee permutation of symmetric ``M`` and the resulting bandwidth."""
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    perm = reverse_cuthill_mckee(sp.csr_matrix(M), symmetric_mode=True)
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size)
    C = sp.coo_matrix(M)
    bw = int(np.max(np.abs(inv[C.row] - inv[C.col]))) if C.nnz else 0
    return perm, inv, bw


def _banded_cholesky_of_shift(M: sp.csr_matrix, sigma: float, inv: np.ndarray, bw: int):
    r"""Upper banded Cholesky factor of ``sigma*I - M`` in RCM order, or None if not PD.

    Success proves :math:`\sigma > \lambda_{\max}(M)` (Sylvester), so shift-invert about
    ``sigma`` returns the *top* eigenvalues.
    """
    n = M.shape[0]
    B = sp.coo_matrix(sigma * sp.identity(n, format="csr") - M)
    i, j = inv[B.row], inv[B.col]
    keep = i <= j
    ab = np.zeros((bw + 1, n))
    ab[bw + i[keep] - j[keep], j[keep]] = B.data[keep]
    try:
        return sla.cholesky_banded(ab, lower=False, check_finite=False)
    except np.linalg.LinAlgError:
        return None


def shift_invert_top(M, kk, *, tol, ncv, perm, inv, bw, sigma0):
    """eigsh in shift-invert mode about sigma > lambda_max, with a banded Cholesky solve."""
    n = M.shape[0]
    margin = 1e-4
    for _ in range(40):
        sigma = sigma0 + margin
        cb = _banded_cholesky_of_shift(M, sigma, inv, bw)
        if cb is not None:
            break
        margin *= 4.0
    else:  # pragma: no cover - would need lambda_max > 1e20
        raise RuntimeError("no shift above the top eigenvalue was found")

    def solve(x):
        x = np.asarray(x).reshape(n, -1)
        y = np.empty_like(x, dtype=np.float64)
        y[perm] = -sla.cho_solve_banded((cb, False), x[perm], check_finite=False)
        return y  # (M - sigma I)^{-1} x

    op = spla.LinearOperator((n, n), matvec=solve, matmat=solve, dtype=np.float64)
    v0 = np.random.default_rng(0).standard_normal(n)
    w, U = spla.eigsh(M, k=kk, sigma=sigma, which="LM", OPinv=op, tol=tol, ncv=ncv, v0=v0)
    return w, U
