"""Chebyshev-filtered Lanczos with cut, residual and multiplicity checks; plain Lanczos."""

from __future__ import annotations

import contextlib

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from memtheory.eigensolvers.clusters import CLUSTER_ATOL
from memtheory.eigensolvers.parallel import row_parallel_matvec

#: the Chebyshev filter's degree (odd) is at most this ...
FILTER_MAX_DEGREE = 25
#: ... and low enough that the filter amplifies the top eigenvalue by at most this factor
FILTER_MAX_GAIN = 1e12


def lanczos_ritz_values(matvec, n: int, *, steps: int, seed: int = 0):
    """Plain Lanczos Ritz values: ``(distinct non-spurious values descending, max, min)``.

    ``steps`` steps of one matvec each, no reorthogonalization; used only to place the filter.
    Without reorthogonalization a converged Ritz value repeats ("ghosts": merged here) and
    spurious values appear: the Cullum-Willoughby test drops a simple Ritz value that is also
    an eigenvalue of the tridiagonal matrix without its first row and column (Cullum &
    Willoughby, *Lanczos Algorithms for Large Symmetric Eigenvalue Computations*, 1985, Ch. 4).
    """
    q = np.random.default_rng(seed).standard_normal(n)
    q /= np.linalg.norm(q)
    q_prev = np.zeros(n)
    alpha, beta = np.empty(steps), np.empty(steps)
    b = 0.0
    for j in range(steps):
        w = matvec(q)
        alpha[j] = q @ w
        w -= alpha[j] * q
        w -= b * q_prev
        b = beta[j] = np.linalg.norm(w)
        if b <= 1e-12 * max(1.0, abs(alpha[j])):  # an invariant subspace: Ritz values exact
            steps = j + 1
            break
        q_prev, q = q, w / b
    a, off = alpha[:steps], beta[: steps - 1]
    T = np.diag(a) + np.diag(off, 1) + np.diag(off, -1)
    theta = np.linalg.eigvalsh(T)[::-1]
    if steps < 3:
        return theta, float(theta[0]), float(theta[-1])
    theta_hat = np.linalg.eigvalsh(T[1:, 1:])
    tol = 1e-8 * max(float(theta[0] - theta[-1]), 1e-300)
    distinct = theta[np.concatenate([[True], np.diff(theta) < -tol])]
    copies = np.array([np.count_nonzero(np.abs(theta - x) <= tol) for x in distinct])
    pos = np.clip(np.searchsorted(theta_hat, distinct), 1, theta_hat.size - 1)
    gap_hat = np.minimum(np.abs(theta_hat[pos] - distinct), np.abs(theta_hat[pos - 1] - distinct))
    good = distinct[(copies > 1) | (gap_hat > tol)]
    return good, float(theta[0]), float(theta[-1])


def chebyshev_filter(M: sp.csr_matrix, *, lo: float, cut: float, degree: int, stack, Y=None):
    r"""Operator :math:`x \mapsto T_d(\hat M)\,x` with :math:`\hat M = (M - \frac{c+a}{2}I)
    / \frac{c-a}{2}`, deflated against orthonormal columns ``Y`` if given.

    :math:`T_d` is the Chebyshev polynomial of odd degree :math:`d`: :math:`|T_d| \le 1` on
    :math:`[a, c]` (``lo``, ``cut``), increasing and above 1 on :math:`(c, \infty)`, below
    :math:`-1` on :math:`(-\infty, a)`. Three-term recurrence :math:`y_{j+1} = 2\hat M y_j -
    y_{j-1}` with :math:`y_0 = x, y_1 = \hat M x`: one sparse product per degree, :math:`2\hat M`
    stored as one CSR matrix, multiplied in row blocks by threads entered on ``stack``.
    Deflated: :math:`(I - YY^\top)\,T_d(\hat M)\,(I - YY^\top)`.
    """
    n = M.shape[0]
    center, half_width = (cut + lo) / 2.0, (cut - lo) / 2.0
    M2 = sp.csr_matrix((M - center * sp.identity(n, format="csr")) * (2.0 / half_width))
    M2.sort_indices()
    matvec = stack.enter_context(row_parallel_matvec(M2))

    def apply(x):
        x = deflate(np.asarray(x, dtype=np.float64).reshape(n, -1), Y)
        y_prev, y = x, matvec(x)
        y *= 0.5
        for _ in range(degree - 1):
            y_next = matvec(y)
            y_next -= y_prev
            y_prev, y = y, y_next
        return deflate(y, Y)

    return spla.LinearOperator((n, n), matvec=apply, matmat=apply, dtype=np.float64)


def deflate(X: np.ndarray, Y) -> np.ndarray:
    """``(I - YY^T) X`` for orthonormal columns ``Y``; ``X`` itself when ``Y`` is None."""
    return X if Y is None else X - Y @ (Y.T @ X)


def rayleigh_ritz(M: sp.csr_matrix, Z: np.ndarray):
    """Ritz pairs of symmetric ``M`` on the column span of orthonormal ``Z``, descending."""
    H = Z.T @ (M @ Z)
    w, S = np.linalg.eigh((H + H.T) / 2.0)
    return w[::-1], Z @ S[:, ::-1]


def filter_degree(top: float, lo: float, cut: float) -> int:
    """Odd degree, at most FILTER_MAX_DEGREE, with T_d(top) at most about FILTER_MAX_GAIN."""
    x_top = 1.0 + 2.0 * (top - cut) / (cut - lo)
    degree = FILTER_MAX_DEGREE
    if x_top > 1.0:
        degree = min(degree, int(np.log(2.0 * FILTER_MAX_GAIN) / np.arccosh(x_top)))
    return max(3, degree - (1 - degree % 2))  # odd: T_d < -1 below lo


#: a filtered ARPACK run that needs more restarts than this lowers its cut and starts again
FILTER_MAX_RESTARTS = 60
#: plain Lanczos steps per wanted pair that place the filter
ESTIMATE_STEPS_PER_PAIR = 24
#: random probe vectors of the multiplicity check (at most this many missing copies per round)
MULTIPLICITY_PROBES = 4
#: ... in at most this many subspace-iteration rounds
MULTIPLICITY_ROUNDS = 6
#: ... stopping once a round raises the top probe value by less than this fraction of its
#: distance below min(w)
PROBE_SETTLED = 0.1


def filtered_lanczos_top(M: sp.csr_matrix, kk: int, *, tol: float, ncv: int, perm=None, seed=0):
    r"""Top ``kk`` eigenpairs of symmetric ``M`` by Lanczos on a Chebyshev filter of ``M``.

    1. Reorder by reverse Cuthill-McKee, or ``perm`` (the matvec reads ``x`` with better
       locality: 1.2 ms instead of 1.5 ms on ``random_graph(100000, 10)``), and multiply in
       row blocks on all cores (:func:`row_parallel_matvec`).
    2. Place the filter from :math:`s = \min(n - 1, \max(100, 24k), 800)` plain Lanczos steps
       (:data:`ESTIMATE_STEPS_PER_PAIR`, :func:`lanczos_ritz_values`): cut :math:`c` just below
       the :math:`(k+1)`-th distinct non-spurious Ritz value (Cauchy interlacing: Ritz values
       lie below the eigenvalues of the same rank, so :math:`c < \lambda_{k+1}`), :math:`a` one
       percent of the spread below the smallest.
    3. ARPACK (``which="LA"``, relative tolerance ``tol``) on :math:`T_d(\hat M)`
       (:func:`chebyshev_filter`), :math:`d` from :func:`filter_degree`. :math:`T_d` maps
       :math:`(c, \infty)` increasingly above 1, :math:`[a, c]` into :math:`[-1, 1]` and
       :math:`(-\infty, a)` below :math:`-1`, so the top of :math:`T_d(\hat M)` is the top of
       ``M`` with the gaps near the cut magnified: Lanczos needs about ``d`` times fewer steps
       (and reorthogonalizations) for about 1.4 times the matvecs (measured at ``d = 25``).
    4. Rayleigh-Ritz with ``M`` itself, then checks. *Cut*: every Ritz value must exceed
       :math:`c` (then no eigenvalue of ``M`` above the smallest one returned is missing: it
       would have a larger filtered value); if not, or if ARPACK needs more than
       :data:`FILTER_MAX_RESTARTS` restarts, the cut is lowered and ARPACK starts again from
       the current vectors. *Residual*: :math:`\lVert Mu - \lambda u\rVert \le`
       ``tol`` :math:`\lVert M\rVert_1` for every pair, else ARPACK reruns 100x tighter.
       *Multiplicity*: single-vector Krylov sees an exactly degenerate eigenspace only through
       rounding, and fast convergence leaves little rounding to grow; so
       :func:`missed_copies` runs a few rounds of filtered subspace iteration on random
       vectors deflated against the pairs found. A probe Ritz value at or above the smallest
       one found proves a missed eigenvalue: ARPACK then runs on the deflated filter for it,
       and the probe repeats. A test, not a proof: it sees copies the filter separates from
       the eigenvalues below within :data:`MULTIPLICITY_ROUNDS` rounds.

    Saad, *Numerical Methods for Large Eigenvalue Problems* (2nd ed., SIAM 2011), Sec. 8.3
    (polynomial filtering); Zhou & Saad, "A Chebyshev-Davidson algorithm for large symmetric
    eigenproblems", SIAM J. Matrix Anal. Appl. 29 (2007).
    """
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    n = M.shape[0]
    if perm is None:
        perm = reverse_cuthill_mckee(M, symmetric_mode=True)
    Mp = sp.csr_matrix(M[perm][:, perm])
    Mp.sort_indices()
    norm1 = float(abs(Mp).sum(axis=0).max())
    with row_parallel_matvec(Mp) as matvec:
        steps = min(n - 1, max(100, ESTIMATE_STEPS_PER_PAIR * kk), 800)
        good, top, bottom = lanczos_ritz_values(matvec, n, steps=steps, seed=seed)
    spread = top - bottom
    if not spread > 1e-12 * max(1.0, norm1) or good.size < 2:  # (numerically) a multiple of I
        return plain_lanczos_top(Mp, kk, tol=tol, ncv=ncv, perm=perm, seed=seed)
    cut = float(good[min(kk, good.size - 1)]) - 1e-6 * spread  # <= lambda_{kk+1}
    lo = bottom - 1e-2 * spread
    rng = np.random.default_rng(seed + 1)
    w, U = filtered_eigsh(
        Mp, kk, lo=lo, cut=cut, top=top, tol=tol, ncv=ncv, v0=rng.standard_normal(n), norm1=norm1
    )
    if w is None:
        return plain_lanczos_top(Mp, kk, tol=tol, ncv=ncv, perm=perm, seed=seed)
    probes = None
    for _ in range(n):  # each round adds at least one missed copy
        # probe with the cut right below min(w): copies above it stand out most
        just_below = float(w[-1]) - 1e-6 * spread
        found, probes = missed_copies(
            Mp, U, w, lo=lo, cut=just_below, top=top, rng=rng, probes=probes
        )
        cut = min(cut, just_below)
        if not found:
            break
        start = probes[:, :found].sum(axis=1)
        w2, U2 = filtered_eigsh(
            Mp, found, lo=lo, cut=cut, top=top, tol=tol, ncv=ncv, v0=start, norm1=norm1, Y=U
        )
        if w2 is None:
            break
        w, U = rayleigh_ritz(Mp, np.linalg.qr(np.hstack([U, U2]))[0])
    return w, unpermute(U, perm)


def filtered_eigsh(Mp, kk, *, lo, cut, top, tol, ncv, v0, norm1, Y=None):
    """ARPACK on the (deflated) filter with the cut and residual checks; (None, None) if lost."""
    n = Mp.shape[0]
    spread = top - lo
    arpack_tol = tol
    ncv = min(ncv, n - (0 if Y is None else Y.shape[1]))
    if kk >= ncv:
        return None, None
    for _ in range(8):
        if not cut > lo:
            return None, None
        with contextlib.ExitStack() as stack:
            op = chebyshev_filter(
                Mp, lo=lo, cut=cut, degree=filter_degree(top, lo, cut), stack=stack, Y=Y
            )
            v0 = deflate(v0, Y)
            try:
                _, U = spla.eigsh(
                    op,
                    k=kk,
                    which="LA",
                    tol=arpack_tol,
                    ncv=ncv,
                    v0=v0,
                    maxiter=FILTER_MAX_RESTARTS,
                )
            except spla.ArpackNoConvergence:
                cut -= 0.1 * (cut - lo)
                continue
        w, U = rayleigh_ritz(Mp, U if Y is None else np.linalg.qr(deflate(U, Y))[0])
        v0 = U.sum(axis=1)
        if w[-1] <= cut:  # the cut was above lambda_kk: lower it below the Ritz values
            cut = float(w[-1]) - 1e-3 * spread
            continue
        residual = np.linalg.norm(Mp @ U - U * w[None, :], axis=0)
        if residual.max() <= tol * norm1 or arpack_tol < 1e-15:
            return w, U
        arpack_tol /= 100.0
    return None, None


def missed_copies(Mp, U, w, *, lo, cut, top, rng, probes=None):
    """Probe for eigenvalues >= min(w) that the Krylov run missed: ``(count, probe block)``.

    Subspace iteration of :data:`MULTIPLICITY_PROBES` vectors (random, or ``probes`` from the
    previous call, which keeps their amplification) with the filter deflated against ``U``,
    Rayleigh-Ritz with ``M`` after each of at most :data:`MULTIPLICITY_ROUNDS` rounds. A Ritz
    value is a lower bound of the eigenvalue it approximates (Courant-Fischer), so ``count``
    Ritz values at or above ``min(w)`` prove that many missed eigenvalues; the block's first
    ``count`` columns approximate them. Stops early once the top probe value has settled
    below ``min(w)`` (:data:`PROBE_SETTLED`).
    """
    n = Mp.shape[0]
    b = min(MULTIPLICITY_PROBES, n - U.shape[1])
    if b <= 0:
        return 0, None
    X = rng.standard_normal((n, b)) if probes is None else probes[:, -b:]
    previous = -np.inf
    with contextlib.ExitStack() as stack:
        op = chebyshev_filter(
            Mp, lo=lo, cut=cut, degree=filter_degree(top, lo, cut), stack=stack, Y=U
        )
        for _ in range(MULTIPLICITY_ROUNDS):
            X = op.matmat(X)
            X = np.linalg.qr(deflate(X, U))[0]
            theta, X = rayleigh_ritz(Mp, X)
            count = int(np.count_nonzero(theta >= w[-1] - CLUSTER_ATOL))
            if count:
                return count, X
            if theta[0] - previous < PROBE_SETTLED * (w[-1] - theta[0]):
                break  # settled below min(w)
            previous = theta[0]
    return 0, X


def plain_lanczos_top(M, kk, *, tol, ncv, perm=None, seed: int = 0):
    """ARPACK's implicitly restarted Lanczos on ``M`` (descending); ``perm`` undoes a reorder."""
    v0 = np.random.default_rng(seed).standard_normal(M.shape[0])
    w, U = spla.eigsh(M, k=kk, which="LA", tol=tol, ncv=ncv, v0=v0)
    order = np.argsort(w)[::-1]
    w, U = w[order], U[:, order]
    return w, (U if perm is None else unpermute(U, perm))


def unpermute(U: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Rows of ``U`` computed in the order ``perm``, put back in the original order."""
    out = np.empty_like(U)
    out[perm] = U
    return out
