"""``run(config) -> dict``: train this shard's cells (resuming from ``OUT/cells/``), summarize,
and with ``config.out`` write ``results.jsonl`` (one JSON line per cell), figures, summary.md."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from empirical.experiments.scaling_trained import cells as C
from empirical.experiments.scaling_trained.config import TrainedConfig
from empirical.experiments.scaling_trained.summary import summarize
from empirical.running.results import atomic_write_jsonl, atomic_write_text, to_jsonable
from empirical.running.sweep import Job, run_jobs

NAME = "scaling_trained"


def run(config: TrainedConfig) -> dict:
    """Train every cell of this shard that ``OUT/cells/`` does not hold yet, in jobs of
    ``cells_per_job`` cells through ``empirical.running.sweep.run_jobs`` (``config.executor``).

    Returns ``config``, ``cells`` (one row per cell of the shard, in grid order: its fields,
    ``grids``, ``error``, ``error_head``, ``error_tail``, ``initial_error``, ``final_loss``,
    ``steps``, ``wall_time``), ``summary`` (:func:`summary.summarize`), ``resumed`` (cells read
    back instead of trained) and ``wall_time``. Same config, same numbers (on CPU).
    """
    if not isinstance(config, TrainedConfig):
        raise ValueError("config must be a TrainedConfig")
    if config.executor.startswith("submitit") and not config.out:
        raise ValueError("executor submitit needs out (its logs and the cells go there)")
    t0 = time.perf_counter()
    shard = C.shard(C.expand(config), config.shard, config.num_shards)
    store = Path(config.out) / "cells" if config.out else None
    if store is not None:
        store.mkdir(parents=True, exist_ok=True)
    done = C.finished(store) if store is not None else {}
    todo = [c for c in shard if C.key(c) not in done]
    rows_by_key = dict(done)
    jobs = [
        Job(
            "empirical.experiments.scaling_trained.cells",
            "run_chunk",
            {"cells": chunk, "device": config.device, "out_dir": store and str(store)},
            name=f"{len(chunk)} cells",
        )
        for chunk in C.chunks(todo, config.cells_per_job)
    ]

    def on_result(_i, rows):
        for r in rows:
            rows_by_key[C.key(r)] = r

    run_jobs(
        jobs,
        on_result,
        executor=config.executor,
        workers=config.workers,
        folder=None if config.out is None else str(Path(config.out) / "submitit"),
        progress=config.progress,
    )
    rows = [dict(rows_by_key[C.key(c)], grids=list(c["grids"])) for c in shard]
    cfg = to_jsonable(dataclasses.asdict(config))
    result = {
        "config": cfg,
        "cells": rows,
        "summary": summarize(rows, cfg),
        "resumed": len(shard) - len(todo),
        "wall_time": time.perf_counter() - t0,
    }
    if config.out:
        write_outputs(result, config.out)
    return result


def write_outputs(result: dict, out) -> None:
    """``results.jsonl`` (one line per cell, with the experiment name and the config),
    the figures and ``summary.md``, each written atomically."""
    from empirical.experiments.scaling_trained.figures import save_figures
    from empirical.experiments.scaling_trained.report import summary_markdown
    from empirical.running.results import versions

    out = Path(out)
    v = versions()
    rows = [dict(r, experiment=NAME, versions=v) for r in result["cells"]]
    atomic_write_jsonl(out / "results.jsonl", rows)
    save_figures(result, out)
    atomic_write_text(out / "summary.md", summary_markdown(result))
