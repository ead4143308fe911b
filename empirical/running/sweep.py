"""Run a list of jobs in local processes, in this process, or as a SLURM job array (submitit).

A job is ``(module, function, kwargs)``: the function is imported by name in the worker, so jobs
pickle cheaply and run the same way on a laptop and on a cluster. Results come back in completion
order through :func:`run_jobs`, which calls ``on_result(job_index, result)`` as each finishes, so
the caller can write them as they arrive (and resume after an interruption).

Executors:
- ``serial``: in this process (debugging, ``--workers 1``);
- ``local``: a ``concurrent.futures.ProcessPoolExecutor`` with ``workers`` processes (default);
- ``submitit``: ``submitit.AutoExecutor`` (a SLURM job array on a cluster, local processes
  elsewhere); ``submitit-local`` forces submitit's ``LocalExecutor`` (used by the tests).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

EXECUTORS = ("serial", "local", "submitit", "submitit-local")


@dataclass(frozen=True)
class Job:
    """One unit of work: ``module.function(**kwargs)``."""

    module: str
    function: str
    kwargs: dict = field(default_factory=dict)
    name: str = ""


def call_job(job: Job):
    """Import ``job.module`` and call ``job.function(**job.kwargs)`` (runs in the worker)."""
    func = getattr(importlib.import_module(job.module), job.function)
    return func(**job.kwargs)


def _limit_threads():
    # each worker gets one BLAS/torch thread, so N workers do not oversubscribe N cores
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass


def run_jobs(
    jobs: Sequence[Job],
    on_result: Callable[[int, object], None],
    executor: str = "local",
    workers: int | None = None,
    folder: str | None = None,
    slurm: dict | None = None,
    progress: bool = True,
) -> None:
    """Run ``jobs`` and hand each result to ``on_result(index, result)`` as it completes.

    ``workers`` defaults to the number of CPU cores. ``folder`` holds submitit's logs
    (required for the submitit executors). ``slurm`` passes parameters such as
    ``{"slurm_partition": "gpu", "gpus_per_node": 1, "timeout_min": 60}`` to submitit.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}; got {executor!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers}")
    if not jobs:
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=len(jobs), desc="claims", unit="job", disable=not progress)
    try:
        if executor == "serial" or (executor == "local" and workers == 1):
            for i, job in enumerate(jobs):
                bar.set_postfix_str(job.name or job.function)
                on_result(i, call_job(job))
                bar.update()
        elif executor == "local":
            n = min(workers or os.cpu_count() or 1, len(jobs))
            with ProcessPoolExecutor(max_workers=n, initializer=_limit_threads) as pool:
                pending = {pool.submit(call_job, job): i for i, job in enumerate(jobs)}
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        i = pending.pop(fut)
                        on_result(i, fut.result())
                        bar.update()
        else:
            _run_submitit(jobs, on_result, executor, workers, folder, slurm or {}, bar)
    finally:
        bar.close()


def _run_submitit(jobs, on_result, executor, workers, folder, slurm, bar):
    try:
        import submitit
    except ImportError as exc:
        raise ValueError(
            "executor submitit needs the 'cluster' extra: pip install submitit"
        ) from exc
    if folder is None:
        raise ValueError("folder is required for the submitit executors (logs go there)")
    if executor == "submitit-local":
        ex = submitit.LocalExecutor(folder=folder)
        ex.update_parameters(timeout_min=slurm.get("timeout_min", 120))
    else:
        ex = submitit.AutoExecutor(folder=folder)
        params = {"timeout_min": 120, "slurm_array_parallelism": workers or 64}
        params.update(slurm)
        ex.update_parameters(**params)
    with ex.batch():
        futures = [ex.submit(call_job, job) for job in jobs]
    pending = dict(enumerate(futures))
    import time

    while pending:
        for i, fut in list(pending.items()):
            if fut.done():
                del pending[i]
                on_result(i, fut.result())
                bar.update()
        if pending:
            time.sleep(0.5)
