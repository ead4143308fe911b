r"""Eigen-solvers for the top of a sparse symmetric spectrum, cluster-aware.

:func:`top_eigenpairs` returns the top eigenpairs of a large sparse symmetric matrix (in this
toolkit :math:`-L`, see :mod:`memtheory.spectral`) without cutting a degenerate cluster at the
requested count. Three routes:

* shift-invert about a shift *proved* above :math:`\lambda_{\max}` by a banded Cholesky
  factorization (graphs with a small reverse Cuthill-McKee bandwidth: grids, paths, cycles);
* Chebyshev-filtered Lanczos (every other graph, e.g. random graphs): implicitly restarted
  Lanczos (ARPACK) on :math:`T_d(\hat M)`, where :math:`\hat M` maps the unwanted part of the
  spectrum onto :math:`[-1, 1]` (Saad, *Numerical Methods for Large Eigenvalue Problems*, 2nd
  ed. 2011, Sec. 8.3; Zhou & Saad 2007, "A Chebyshev-Davidson algorithm");
* plain implicitly restarted Lanczos (ARPACK), kept as a reference.

Numerical analysis only: no paper's formula lives here. Measurements are in
``docs/theory/spectral.md`` ("Benchmark") and ``benchmarks/spectral.py``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from memtheory.checks import as_array, as_choice, as_float, as_int

__all__ = ["CLUSTER_ATOL", "eigen_clusters", "top_eigenpairs"]

#: two eigenvalues of :math:`-L` closer than this belong to one degenerate cluster
CLUSTER_ATOL = 1e-8

_BLAS_SYMBOLS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)


def _openblas_handles():
    """(set, get) function pairs of every OpenBLAS loaded in this process (Linux; else [])."""
    handles = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            paths = {ln.split()[-1] for ln in fh if "openblas" in ln.lower() and ".so" in ln}
    except OSError:
        return handles
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for set_name, get_name in _BLAS_SYMBOLS:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                handles.append((getattr(lib, set_name), getattr(lib, get_name)))
                break
    return handles


@contextlib.contextmanager
def _single_thread_blas():
    """Run the block with OpenBLAS limited to one thread, then restore (best effort).

    ARPACK's Lanczos steps are level-2 BLAS calls on ``n x ncv`` blocks; on a 2-core machine a
    multi-threaded OpenBLAS spends most of its time synchronizing there (measured: 8 s instead
    of 74 s for ``eigsh`` on a 20,000-node graph under load). No-op when OpenBLAS is not found.
    """
    handles = _openblas_handles()
    saved = []
    for set_fn, get_fn in handles:
        try:
            saved.append((set_fn, int(get_fn())))
            set_fn(1)
        except (OSError, ValueError):  # pragma: no cover - exotic builds
            continue
    try:
        yield
    finally:
        for set_fn, old in saved:
            set_fn(old)


def eigen_clusters(eigenvalues, atol: float = CLUSTER_ATOL) -> list[tuple[int, int]]:
    r"""Split descending ``eigenvalues`` into degenerate clusters ``[(start, stop), ...]``.

    Consecutive eigenvalues closer than ``atol`` share a cluster (single linkage):
    :math:`i` and :math:`i+1` are in one cluster iff :math:`|\lambda_i - \lambda_{i+1}| \le`
    ``atol``. The clusters are the degenerate eigenspaces the paper's Node2Vec prediction
    keeps whole (arXiv 2510.26745, App. F: path-star clusters of multiplicity ``degree - 1``).
    """
    w = as_array("eigenvalues", eigenvalues, ndim=1)
    atol = as_float("atol", atol, 0.0)
    if w.size == 0:
        return []
    breaks = np.flatnonzero(np.abs(np.diff(w)) > atol) + 1
    edges = np.concatenate([[0], breaks, [w.size]])
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _cluster_end(w: np.ndarray, k: int, atol: float) -> int:
    """Smallest k' >= k such that w[k'-1] and w[k'] are not in the same cluster."""
    while k < w.size and abs(w[k - 1] - w[k]) <= atol:
        k += 1
    return k


#: shift-invert is used when the RCM-banded Cholesky factor has at most this many entries
BANDED_MAX_ENTRIES = 40_000_000
#: ... and its factorization at most this many flops (n * bandwidth^2)
BANDED_MAX_FLOPS = 2e10


def _rcm_band(M: sp.csr_matrix):
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


def _shift_invert_top(M, kk, tol, ncv, perm, inv, bw, sigma0):
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


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def _row_parallel_matvec(M: sp.csr_matrix, threads: int | None = None):
    """Yield ``matvec(x) -> M @ x`` (``x`` a vector or a block) on row blocks in threads.

    scipy's CSR product releases the GIL, so row blocks of equal nnz run in parallel: the
    calling thread takes the first block, persistent workers the others, handed over by a
    pair of locks each (a thread pool's futures cost about 0.15 ms per product more). On 2
    cores: 0.65 ms instead of 1.2-1.45 ms for an RCM-ordered 100,000-node random graph. One
    thread (or a small matrix): plain ``M @ x``.
    """
    n = M.shape[0]
    if threads is None:  # small products are not worth a thread hand-over
        threads = min(_cpu_count(), 4, max(1, M.nnz // 100_000))
    if threads <= 1:
        yield lambda x: M @ x
        return
    cuts = np.searchsorted(M.indptr, np.linspace(0, M.nnz, threads + 1))
    cuts[0], cuts[-1] = 0, n
    blocks = [(a, b, M[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]
    job: dict = {"x": None, "y": None, "stop": False, "error": None}

    def work(block, go, done):
        a, b, rows = block
        while True:
            go.acquire()
            if job["stop"]:
                return
            try:
                job["y"][a:b] = rows @ job["x"]
            except BaseException as exc:  # pragma: no cover - re-raised by the caller
                job["error"] = exc
            done.release()

    workers = []
    for block in blocks[1:]:
        go, done = threading.Lock(), threading.Lock()
        go.acquire()
        done.acquire()
        thread = threading.Thread(target=work, args=(block, go, done), daemon=True)
        thread.start()
        workers.append((thread, go, done))

    def matvec(x):
        y = np.empty(x.shape)
        job["x"], job["y"] = x, y
        for _, go, _ in workers:
            go.release()
        a, b, rows = blocks[0]
        y[a:b] = rows @ x
        for _, _, done in workers:
            done.acquire()
        if job["error"] is not None:  # pragma: no cover - e.g. out of memory in a worker
            raise job["error"]
        return y

    try:
        yield matvec
    finally:
        job["stop"] = True
        for thread, go, _ in workers:
            with contextlib.suppress(RuntimeError):  # already released by an interrupted call
                go.release()
            thread.join()


#: the Chebyshev filter's degree (odd) is at most this ...
FILTER_MAX_DEGREE = 25
#: ... and low enough that the filter amplifies the top eigenvalue by at most this factor
FILTER_MAX_GAIN = 1e12


def _lanczos_ritz_values(matvec, n: int, steps: int, seed: int = 0):
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


def _chebyshev_filter(M: sp.csr_matrix, lo: float, cut: float, degree: int, stack, Y=None):
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
    matvec = stack.enter_context(_row_parallel_matvec(M2))

    def apply(x):
        x = _deflate(np.asarray(x, dtype=np.float64).reshape(n, -1), Y)
        y_prev, y = x, matvec(x)
        y *= 0.5
        for _ in range(degree - 1):
            y_next = matvec(y)
            y_next -= y_prev
            y_prev, y = y, y_next
        return _deflate(y, Y)

    return spla.LinearOperator((n, n), matvec=apply, matmat=apply, dtype=np.float64)


def _deflate(X: np.ndarray, Y) -> np.ndarray:
    """``(I - YY^T) X`` for orthonormal columns ``Y``; ``X`` itself when ``Y`` is None."""
    return X if Y is None else X - Y @ (Y.T @ X)


def _rayleigh_ritz(M: sp.csr_matrix, Z: np.ndarray):
    """Ritz pairs of symmetric ``M`` on the column span of orthonormal ``Z``, descending."""
    H = Z.T @ (M @ Z)
    w, S = np.linalg.eigh((H + H.T) / 2.0)
    return w[::-1], Z @ S[:, ::-1]


def _filter_degree(top: float, lo: float, cut: float) -> int:
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


def _filtered_lanczos_top(M: sp.csr_matrix, kk: int, tol: float, ncv: int, perm=None, seed=0):
    r"""Top ``kk`` eigenpairs of symmetric ``M`` by Lanczos on a Chebyshev filter of ``M``.

    1. Reorder by reverse Cuthill-McKee, or ``perm`` (the matvec reads ``x`` with better
       locality: 1.2 ms instead of 1.5 ms on ``random_graph(100000, 10)``), and multiply in
       row blocks on all cores (:func:`_row_parallel_matvec`).
    2. Place the filter from :math:`s = \min(n - 1, \max(100, 24k), 800)` plain Lanczos steps
       (:data:`ESTIMATE_STEPS_PER_PAIR`, :func:`_lanczos_ritz_values`): cut :math:`c` just below
       the :math:`(k+1)`-th distinct non-spurious Ritz value (Cauchy interlacing: Ritz values
       lie below the eigenvalues of the same rank, so :math:`c < \lambda_{k+1}`), :math:`a` one
       percent of the spread below the smallest.
    3. ARPACK (``which="LA"``, relative tolerance ``tol``) on :math:`T_d(\hat M)`
       (:func:`_chebyshev_filter`), :math:`d` from :func:`_filter_degree`. :math:`T_d` maps
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
       :func:`_missed_copies` runs a few rounds of filtered subspace iteration on random
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
    with _row_parallel_matvec(Mp) as matvec:
        steps = min(n - 1, max(100, ESTIMATE_STEPS_PER_PAIR * kk), 800)
        good, top, bottom = _lanczos_ritz_values(matvec, n, steps, seed=seed)
    spread = top - bottom
    if not spread > 1e-12 * max(1.0, norm1) or good.size < 2:  # (numerically) a multiple of I
        return _plain_lanczos_top(Mp, kk, tol, ncv, perm, seed)
    cut = float(good[min(kk, good.size - 1)]) - 1e-6 * spread  # <= lambda_{kk+1}
    lo = bottom - 1e-2 * spread
    rng = np.random.default_rng(seed + 1)
    w, U = _filtered_eigsh(Mp, kk, lo, cut, top, tol, ncv, rng.standard_normal(n), norm1)
    if w is None:
        return _plain_lanczos_top(Mp, kk, tol, ncv, perm, seed)
    probes = None
    for _ in range(n):  # each round adds at least one missed copy
        # probe with the cut right below min(w): copies above it stand out most
        just_below = float(w[-1]) - 1e-6 * spread
        found, probes = _missed_copies(Mp, U, w, lo, just_below, top, rng, probes)
        cut = min(cut, just_below)
        if not found:
            break
        start = probes[:, :found].sum(axis=1)
        w2, U2 = _filtered_eigsh(Mp, found, lo, cut, top, tol, ncv, start, norm1, Y=U)
        if w2 is None:
            break
        w, U = _rayleigh_ritz(Mp, np.linalg.qr(np.hstack([U, U2]))[0])
    return w, _unpermute(U, perm)


def _filtered_eigsh(Mp, kk, lo, cut, top, tol, ncv, v0, norm1, Y=None):
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
            op = _chebyshev_filter(Mp, lo, cut, _filter_degree(top, lo, cut), stack, Y)
            v0 = _deflate(v0, Y)
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
        w, U = _rayleigh_ritz(Mp, U if Y is None else np.linalg.qr(_deflate(U, Y))[0])
        v0 = U.sum(axis=1)
        if w[-1] <= cut:  # the cut was above lambda_kk: lower it below the Ritz values
            cut = float(w[-1]) - 1e-3 * spread
            continue
        residual = np.linalg.norm(Mp @ U - U * w[None, :], axis=0)
        if residual.max() <= tol * norm1 or arpack_tol < 1e-15:
            return w, U
        arpack_tol /= 100.0
    return None, None


def _missed_copies(Mp, U, w, lo, cut, top, rng, probes=None):
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
        op = _chebyshev_filter(Mp, lo, cut, _filter_degree(top, lo, cut), stack, U)
        for _ in range(MULTIPLICITY_ROUNDS):
            X = op.matmat(X)
            X = np.linalg.qr(_deflate(X, U))[0]
            theta, X = _rayleigh_ritz(Mp, X)
            count = int(np.count_nonzero(theta >= w[-1] - CLUSTER_ATOL))
            if count:
                return count, X
            if theta[0] - previous < PROBE_SETTLED * (w[-1] - theta[0]):
                break  # settled below min(w)
            previous = theta[0]
    return 0, X


def _plain_lanczos_top(M, kk, tol, ncv, perm=None, seed: int = 0):
    """ARPACK's implicitly restarted Lanczos on ``M`` (descending); ``perm`` undoes a reorder."""
    v0 = np.random.default_rng(seed).standard_normal(M.shape[0])
    w, U = spla.eigsh(M, k=kk, which="LA", tol=tol, ncv=ncv, v0=v0)
    order = np.argsort(w)[::-1]
    w, U = w[order], U[:, order]
    return w, (U if perm is None else _unpermute(U, perm))


def _unpermute(U: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Rows of ``U`` computed in the order ``perm``, put back in the original order."""
    out = np.empty_like(U)
    out[perm] = U
    return out


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

    Returns eigenvalues (descending) and orthonormal eigenvector columns, at least ``k`` of
    them: ``guard`` extra eigenpairs beyond ``k`` are computed so that a degenerate cluster at
    the cut is seen whole; the result is extended to the end of that cluster (doubling the
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
      top of the spectrum (:func:`_filtered_lanczos_top`), checked afterwards with ``M``
      itself; every residual is at most ``tol`` :math:`\lVert M\rVert_1`. Random graphs and
      other graphs without a small bandwidth.
    * ``"lanczos"``: plain implicitly restarted Lanczos on ``M`` (ARPACK, ``tol`` its relative
      Ritz tolerance), the reference the filtered route is tested against.

    ``ncv`` defaults to ``max(2(k+guard)+1, k+guard+16)`` on the filtered route and
    ``max(2(k+guard)+1, k+guard+32)`` on the other two; ``guard`` to 1 on the Lanczos routes.
    Everything runs with single-threaded BLAS (``_single_thread_blas``: on 2 cores a threaded
    OpenBLAS makes ARPACK's small level-2 calls many times slower). Single-vector Lanczos sees
    an exactly degenerate eigenvalue only through rounding: the filtered route probes for missed
    copies (:func:`_missed_copies`), the plain one does not; neither is a proof (path-star
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
    band = perm = None
    if method in ("auto", "shift-invert"):
        perm, inv, bw = _rcm_band(M)
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
        with _single_thread_blas():
            try:
                th = spla.eigsh(M, k=1, which="LA", tol=1e-4, ncv=min(n, 32), maxiter=20)[0]
                top_est = max(top_est, float(th[0]))
            except spla.ArpackNoConvergence as exc:
                if len(exc.eigenvalues):
                    top_est = max(top_est, float(np.max(exc.eigenvalues)))
    while True:
        kk = min(k + guard, n - 1)
        if kk <= k or n <= 3 * kk:
            w, U = _dense_spectrum(M.toarray())
            kend = _cluster_end(w, k, CLUSTER_ATOL)
            return w[:kend].copy(), np.ascontiguousarray(U[:, :kend])
        filtered = band is None and method != "lanczos"
        nv = ncv if ncv is not None else max(2 * kk + 1, kk + (16 if filtered else 32))
        nv = min(as_int("ncv", nv, minimum=kk + 2), n)
        with _single_thread_blas():
            if band is not None:
                w, U = _shift_invert_top(M, kk, tol, nv, *band, sigma0=top_est)
            elif filtered:
                w, U = _filtered_lanczos_top(M, kk, tol, nv, perm)
            else:
                w, U = _plain_lanczos_top(M, kk, tol, nv)
        order = np.argsort(w)[::-1]
        w, U = w[order], U[:, order]
        kend = _cluster_end(w, k, CLUSTER_ATOL)
        if kend < w.size or kk >= n - 1:
            break
        guard *= 2
    return w[:kend].copy(), _reorthonormalize(U[:, :kend])


def _reorthonormalize(U: np.ndarray) -> np.ndarray:
    Qm, R = np.linalg.qr(U)
    return Qm * np.sign(np.diag(R))[None, :]


def _dense_spectrum(M: np.ndarray):
    w, U = np.linalg.eigh(M)
    return w[::-1].copy(), np.ascontiguousarray(U[:, ::-1])
