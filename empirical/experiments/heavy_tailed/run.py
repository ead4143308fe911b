"""``run(config) -> dict``: every measurement of the heavy-tailed imbalance experiment.

Kunstner et al. 2024 (arXiv 2402.19449). Pure and seeded. The claims that judge the result are in
:mod:`.claims`; ``result["claims"]`` holds their verdict rows (generated from those claims by
:func:`.report.claim_rows`). With ``config.out`` set, ``results.jsonl``, ``curves.npz``, the
figure and ``summary.md`` are written there atomically.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import torch

from empirical.experiments.heavy_tailed import report
from empirical.experiments.heavy_tailed.config import NAME, HeavyTailedConfig
from empirical.experiments.heavy_tailed.metrics import (
    grid,
    group_losses,
    half_time_ratio,
    half_times,
    memory_problem,
    select_lr,
    tiered_problem,
    train_full_batch,
)
from empirical.running.runtime import torch_threads


def run(config: HeavyTailedConfig) -> dict:
    """Measure everything the package docstring lists; pure function of ``config``."""
    with torch_threads(config.threads):
        result, curves = _measure(config)
    result["claims"] = report.claim_rows(result)
    if config.out:
        report.write_outputs(config, result, curves)
    return result


def _measure(c: HeavyTailedConfig) -> tuple[dict, dict]:
    start, cpu0 = time.perf_counter(), time.process_time()
    grids = {"gd": grid(c.grid_gd), "adam": grid(c.grid_adam), "sign": grid(c.grid_sign)}
    predictions = reduced_predictions(c)
    results, curves, per_seed = {}, {}, []
    for problem in c.problems:
        steps = c.steps if problem == "tiered" else c.memory_steps
        logs = np.arange(steps + 1)
        lrs = {m: float(lr) for m, lr in c.fixed_lr}
        ratios = {k: [] for k in c.methods}
        for k in range(c.seeds):
            seed = c.seed + k
            if problem == "tiered":
                prob = tiered_problem(c.m, seed)
            else:
                prob = memory_problem(c, seed, problem.split("-")[1])
            items, params, weights, group, G = prob
            for method in c.methods:
                if method not in lrs:  # chosen on the first seed
                    lr = select_lr(*prob, method, grids[method], steps, c.target_half_time)
                    lrs[method] = float(lr)
                per, _ = train_full_batch(items, params, weights, method, lrs[method], steps, logs)
                gl = group_losses(per, weights, group, G)
                ratios[method].append(half_time_ratio(gl))
                per_seed.append(
                    {
                        "seed": seed,
                        "problem": problem,
                        "method": method,
                        "lr": lrs[method],
                        "group_half_times": half_times(gl),
                        "group_loss_final": gl[-1],
                        "half_time_ratio": ratios[method][-1],
                    }
                )
                if k == 0:
                    curves[f"{problem}_{method}"] = gl
            curves[f"{problem}_steps"] = logs
        results[problem] = {
            "lr": {m: lrs[m] for m in c.methods},
            "half_time_ratio": ratios,
            "steps": steps,
            "predicted_ratio": dict(zip(("gd", "sign"), predictions[problem], strict=True)),
        }
    result = {
        "experiment": NAME,
        "config": dataclasses.asdict(c),
        "per_seed": per_seed,
        "results": results,
        "reduced_model_error": reduced_model_errors(c),
        "wall_time": time.perf_counter() - start,
        "cpu_time": time.process_time() - cpu0,
    }
    return result, curves


def _reduced_ratios(pi, group, G) -> tuple[float, float]:
    """Half-time ratios (GD, sign descent) of the reduced one-hot model with class frequencies
    ``pi`` (orthonormal inputs, ``W0 = 0``), grouped as the measurement is (each group's loss
    weighted by its classes' frequencies). GD's ratio is essentially step-size free
    (:math:`t_{1/2}\\sim 1/(\\eta\\pi_k)`); sign descent's is 1."""
    from memtheory import dynamics as dyn

    pi = pi / pi.sum()
    n_red = int(np.ceil(8.0 / pi.min()))
    out = []
    for L in (
        dyn.orthonormal_class_losses(pi, lr=1.0, steps=n_red, method="gd"),
        dyn.orthonormal_class_losses(pi, lr=1.0 / 64, steps=2000, method="sign"),
    ):
        gl = np.stack(
            [(L[:, group == g] * pi[group == g]).sum(1) / pi[group == g].sum() for g in range(G)],
            1,
        )
        out.append(half_time_ratio(gl))
    return tuple(out)


def reduced_predictions(c: HeavyTailedConfig) -> dict:
    """``{problem: (GD ratio, sign ratio)}`` of the reduced one-hot model with each problem's
    class frequencies (the memories share theirs)."""
    from memtheory import dynamics as dyn
    from memtheory.scaling import zipf

    tz = dyn.tiered_zipf(c.m)
    pi_mem = zipf(c.memory_inputs, c.zipf_exponent)
    mem = _reduced_ratios(pi_mem, dyn.equal_mass_groups(pi_mem, c.memory_groups), c.memory_groups)
    return {
        "tiered": _reduced_ratios(np.asarray(tz.frequencies, float), tz.tier, c.m),
        "memory-onehot": mem,
        "memory-gaussian": mem,
    }


def reduced_model_errors(c: HeavyTailedConfig) -> dict:
    """Max abs difference between torch GD / sign descent on a one-hot memory of
    ``reduced_classes`` Zipf classes and :func:`memtheory.dynamics.orthonormal_class_losses`."""
    from memtheory import dynamics as dyn
    from memtheory.scaling import zipf

    C = c.reduced_classes
    pi_r = zipf(C, c.zipf_exponent)
    eye = torch.eye(C, dtype=torch.float64)
    y = torch.arange(C)

    def items(ps):
        return torch.nn.functional.cross_entropy(eye @ ps[0].T, y, reduction="none")

    errs = {}
    for method, eta in (("gd", 2.0), ("sign", 0.05)):
        per, _ = train_full_batch(
            items,
            [torch.zeros(C, C, dtype=torch.float64)],
            torch.as_tensor(pi_r),
            method,
            eta,
            c.reduced_steps,
            range(c.reduced_steps + 1),
        )
        pred = dyn.orthonormal_class_losses(pi_r, lr=eta, steps=c.reduced_steps, method=method)
        errs[method] = float(np.max(np.abs(per - pred)))
    return errs
