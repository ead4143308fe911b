"""A row-parallel sparse matrix product for the eigensolvers (BLAS threads: ``threadpoolctl``)."""

from __future__ import annotations

import contextlib
import os
import threading

import numpy as np
import scipy.sparse as sp


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask on Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def row_parallel_matvec(M: sp.csr_matrix, threads: int | None = None):
    """Yield ``matvec(x) -> M @ x`` (``x`` a vector or a block) on row blocks in threads.

    scipy's CSR product releases the GIL, so row blocks of equal nnz run in parallel: the
    calling thread takes the first block, persistent workers the others, handed over by a
    pair of locks each (a thread pool's futures cost about 0.15 ms per product more). On 2
    cores: 0.65 ms instead of 1.2-1.45 ms for an RCM-ordered 100,000-node random graph. One
    thread (or a small matrix): plain ``M @ x``.
    """
    n = M.shape[0]
    if threads is None:  # small products are not worth a thread hand-over
        threads = min(cpu_count(), 4, max(1, M.nnz // 100_000))
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
