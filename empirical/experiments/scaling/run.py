"""``run(config) -> dict``: measure every scheme's error against d and against T, fit the
exponents, and (with ``config.out``) write results.jsonl, scaling.png and summary.md."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

from empirical.experiments.scaling.config import ScalingConfig
from empirical.experiments.scaling.figures import save_figures
from empirical.experiments.scaling.metrics import SCHEMES, exponent_summary, measure_errors
from empirical.experiments.scaling.report import summary_markdown
from empirical.models.memories import assoc_memory as am
from empirical.running.results import atomic_write_jsonl, atomic_write_text, record
from empirical.tasks import associative as tasks
from memtheory import scaling as theory

NAME = "scaling"


def run(config: ScalingConfig) -> dict:
    """Measure the errors, fit the exponents. Pure: same config, same numbers.

    Returns a dict with keys ``config``, ``d_sweep`` and ``T_sweep``. Each sweep holds ``grid``
    (the dims or sample sizes), ``errors`` (scheme -> seeds x grid list), ``mean``, ``std``,
    ``predicted`` (scheme -> ``memtheory.scaling.scheme_error`` on the grid) and ``exponents``
    (scheme -> fit range, measured decay exponent, its seed standard error, the asymptotic
    predicted exponent, the finite-size predicted slope over the same range, verdicts). Also
    ``missing_mass`` (exact, on the T grid) and ``wall_time``.
    """
    if not isinstance(config, ScalingConfig):
        raise ValueError("config must be a ScalingConfig")
    from tqdm import tqdm

    t0 = time.perf_counter()
    c = config
    tol = c.tolerance
    bar = tqdm(
        total=c.seeds * (len(c.dims) + len(c.samples_T)),
        desc="scaling",
        disable=None if c.progress else True,
        leave=False,
    )
    # --- error against d at fixed T
    p = tasks.zipf_probabilities(c.tokens_d, c.alpha)
    y = tasks.modular_facts(c.tokens_d, c.answers)
    err_d = {s: np.zeros((c.seeds, len(c.dims))) for s in SCHEMES}
    for seed in range(c.seeds):
        counts = tasks.zipf_counts(c.tokens_d, c.alpha, c.samples_d, seed=[seed, 0])
        for j, d in enumerate(c.dims):
            E = am.make_embeddings(c.embeddings, c.tokens_d, d, [seed, d, 1])
            U = am.make_embeddings(c.embeddings, c.answers, d, [seed, d, 2])
            errs = measure_errors(counts, E, U, y, p, d, c.rho, c.threshold_ratio)
            for s in SCHEMES:
                err_d[s][seed, j] = errs[s]
            bar.update()
    # --- error against T at fixed d
    pT = tasks.zipf_probabilities(c.tokens_T, c.alpha)
    yT = tasks.modular_facts(c.tokens_T, c.answers)
    err_T = {s: np.zeros((c.seeds, len(c.samples_T))) for s in SCHEMES}
    for seed in range(c.seeds):
        E = am.make_embeddings(c.embeddings, c.tokens_T, c.dim_T, [seed, c.dim_T, 3])
        U = am.make_embeddings(c.embeddings, c.answers, c.dim_T, [seed, c.dim_T, 4])
        for j, T in enumerate(c.samples_T):
            counts = tasks.zipf_counts(c.tokens_T, c.alpha, T, seed=[seed, T, 5])
            errs = measure_errors(counts, E, U, yT, pT, c.dim_T, c.rho, c.threshold_ratio)
            for s in SCHEMES:
                err_T[s][seed, j] = errs[s]
            bar.update()
    bar.close()

    kw = {"answers": c.answers, "rho": c.rho, "threshold_ratio": c.threshold_ratio}
    pred_d = {
        s: np.array(
            [
                theory.scheme_error(
                    s, d=d, samples=c.samples_d, alpha=c.alpha, facts=c.tokens_d, **kw
                )
                for d in c.dims
            ]
        )
        for s in SCHEMES
    }
    pred_T = {
        s: np.array(
            [
                theory.scheme_error(s, d=c.dim_T, samples=T, alpha=c.alpha, facts=c.tokens_T, **kw)
                for T in c.samples_T
            ]
        )
        for s in SCHEMES
    }
    d_grid = np.array(c.dims, dtype=float)
    T_grid = np.array(c.samples_T, dtype=float)
    exps_d, exps_T = {}, {}
    for s in SCHEMES:
        lo, hi = c.fit_d_uniform if s == "uniform" else c.fit_d
        exps_d[s] = exponent_summary(
            d_grid, err_d[s], pred_d[s], theory.exponent_d(s, c.alpha, rho=c.rho), lo, hi, tol
        )
        exps_T[s] = exponent_summary(
            T_grid, err_T[s], pred_T[s], theory.exponent_T(s, c.alpha), *c.fit_T, tol
        )

    def sweep(grid, errs, preds, exps, **extra):
        return {
            "grid": list(grid),
            "errors": {s: errs[s].tolist() for s in SCHEMES},
            "mean": {s: errs[s].mean(axis=0).tolist() for s in SCHEMES},
            "std": {s: errs[s].std(axis=0).tolist() for s in SCHEMES},
            "predicted": {s: preds[s].tolist() for s in SCHEMES},
            "exponents": exps,
            **extra,
        }

    mm = theory.missing_mass(T_grid, c.alpha, facts=c.tokens_T)
    result = {
        "config": dataclasses.asdict(c),
        "d_sweep": sweep(c.dims, err_d, pred_d, exps_d, samples=c.samples_d, tokens=c.tokens_d),
        "T_sweep": sweep(
            c.samples_T,
            err_T,
            pred_T,
            exps_T,
            dim=c.dim_T,
            tokens=c.tokens_T,
            missing_mass=np.asarray(mm, dtype=float).tolist(),
        ),
        "finite_data_constant": theory.finite_data_constant(c.alpha),
        "wall_time": time.perf_counter() - t0,
    }
    if c.out:
        write_outputs(result, c.out)
    return result


def write_outputs(result: dict, out) -> None:
    """Write results.jsonl (one record per sweep point and seed, plus the summary), the
    figure and summary.md into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = result["config"]
    rows = []
    for key, var in (("d_sweep", "d"), ("T_sweep", "T")):
        sw = result[key]
        for j, g in enumerate(sw["grid"]):
            for seed in range(cfg["seeds"]):
                metrics = {s: sw["errors"][s][seed][j] for s in SCHEMES}
                rows.append(record(NAME, cfg, metrics, seed=seed, sweep=var, value=g))
    summary = {k: {"exponents": result[k]["exponents"]} for k in ("d_sweep", "T_sweep")}
    summary["finite_data_constant"] = result["finite_data_constant"]
    rows.append(record(NAME, cfg, summary, wall_time=result["wall_time"], kind="summary"))
    atomic_write_jsonl(out / "results.jsonl", rows)
    save_figures(result, out)
    atomic_write_text(out / "summary.md", summary_markdown(result))
