"""``run(config) -> dict``: train the two-layer model per seed and measure (see the package
docstring). With ``config.out`` set, ``results.jsonl``, ``summary.md`` and
``distributional.png`` are written there atomically."""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from empirical.experiments.distributional import metrics
from empirical.experiments.distributional.config import NAME, DistributionalConfig
from empirical.running.runtime import torch_threads
from empirical.tasks.noisy_recall import build_language


def run(config: DistributionalConfig) -> dict:
    """Measure the claims of the package docstring; pure function of ``config``."""
    with torch_threads(config.threads):
        return _run(config)


def _run(c: DistributionalConfig) -> dict:
    from memtheory import dynamics as dyn

    start, cpu0 = time.perf_counter(), time.process_time()
    task = metrics.make_task(c)
    language = build_language(task)
    per_seed, curves = [], {}
    for k in range(c.seeds):
        seed = c.seed + k
        model, losses = metrics.train_two_layer(c, task, language, seed)
        m = metrics.evaluate(model, c, task, language, seed)
        m["seed"] = seed
        m["final_train_loss"] = float(np.mean(losses[-max(1, c.steps // 20) :]))
        per_seed.append(m)
        curves[f"train_loss_{seed}"] = losses
    result = {
        "experiment": NAME,
        "config": dataclasses.asdict(c),
        "per_seed": per_seed,
        "bayes_floor": float(dyn.noisy_recall_bayes_floor(c.alpha)),
    }
    from empirical.experiments.distributional import report

    result["claims"] = report.claim_rows(result)
    result["wall_time"] = time.perf_counter() - start
    result["cpu_time"] = time.process_time() - cpu0
    if c.out:
        from empirical.experiments.distributional import figures

        report.write_outputs(result, c.out, lambda path: figures.figure(result, curves, path))
    return result
