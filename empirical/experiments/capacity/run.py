"""``run(config) -> dict``: measure the capacities, fit the constants, and write
``results.jsonl``, ``capacity.png`` and ``summary.md`` into ``config.out`` when it is set."""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path

import numpy as np

from empirical.experiments.capacity.config import NAME, CapacityConfig
from empirical.experiments.capacity.figures import save_figures
from empirical.experiments.capacity.metrics import (
    fit_through_origin,
    largest_true,
    linear_constant,
    mlp_stores,
    outer_product_stores,
    trained_linear_stores,
    verdict,
)
from empirical.experiments.capacity.report import summary_markdown
from empirical.models.memories import assoc_memory as am
from empirical.running.results import (
    append_jsonl,
    atomic_write_jsonl,
    atomic_write_text,
    check_out_dir,
    read_jsonl,
    record,
    to_jsonable,
    versions,
)
from empirical.validate.claims import Spread
from memtheory import capacity as theory


def run(config: CapacityConfig) -> dict:
    """Measure the capacities and fit the constants. Pure: same config, same numbers (CPU).

    With ``config.out`` set, each measured boundary is appended to ``out/points.jsonl`` as it
    is measured, and a rerun with the same config (and package versions) takes the stored
    boundaries instead of measuring them again (resume after an interruption).

    Returns a dict with keys ``config``, ``points`` (one row per measured boundary: ``memory``,
    ``d``, ``m``, ``seed``, ``facts``, ``ratio`` = d^2/(N ln N) or m d / N, ``predicted_facts``,
    ``evaluations``, ``lr``), ``outer_product``, ``trained_linear``, ``mlp`` (fitted constants,
    per-size means and verdicts), ``ratio`` (outer-product over trained constant, measured at
    the common dimensions and from the fits, beside the predicted ratio), ``lr_check``,
    ``wall_time``.
    """
    if not isinstance(config, CapacityConfig):
        raise ValueError("config must be a CapacityConfig")
    if config.out:
        check_out_dir(config.out)
    import torch
    from tqdm import tqdm

    t0 = time.perf_counter()
    device = _device(config.device)
    old_threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    linear_train = am.TrainConfig(config.linear_steps, config.linear_lr, config.check_every)
    mlp_train = am.TrainConfig(config.mlp_steps, config.mlp_lr, config.check_every)

    def outer(d, seed):
        pred = theory.outer_product_capacity(d, criterion="all", model="gaussian")
        n, ev = largest_true(
            lambda n: outer_product_stores(n, d, seed, config.threshold, config.embeddings),
            start=max(2, round(pred)),
            lo=2,
        )
        return _point("outer_product", d, None, seed, n, pred, ev, None)

    def trained(d, seed, train, memory):
        pred = theory.trained_linear_capacity(d)
        return _trained_point(d, seed, pred, train, config, device, memory=memory)

    def mlp(d, m, seed):
        pred = theory.mlp_capacity(m, d, answers=config.mlp_answers)
        n, ev = largest_true(
            lambda n: mlp_stores(
                n,
                d,
                m,
                config.mlp_answers,
                seed,
                mlp_train,
                config.threshold,
                config.embeddings,
                device,
            ),
            start=max(2, round(pred)),
            lo=2,
            rel_tol=config.rel_tol,
            grow=1.25,
        )
        return _point("mlp", d, m, seed, n, pred, ev, config.mlp_lr)

    # every boundary to measure, keyed like the points it makes (resume matches on the key)
    tasks = [
        (("outer_product", d, None, s, None), lambda d=d, s=s: outer(d, s))
        for d in config.outer_dims
        for s in range(config.seeds)
    ]
    tasks += [
        (
            ("trained_linear", d, None, s, config.linear_lr),
            lambda d=d, s=s: trained(d, s, linear_train, "trained_linear"),
        )
        for d in config.trained_dims
        for s in range(config.trained_seeds)
    ]
    tasks += [
        (
            ("lr_check", config.lr_check_dim, None, 0, lr),
            lambda lr=lr: trained(
                config.lr_check_dim, 0, dataclasses.replace(linear_train, lr=lr), "lr_check"
            ),
        )
        for lr in config.lr_check
    ]
    tasks += [
        (("mlp", d, m, s, config.mlp_lr), lambda d=d, m=m, s=s: mlp(d, m, s))
        for d, m in config.mlp_sizes
        for s in range(config.trained_seeds)
    ]
    store = Path(config.out) / STORE if config.out else None
    done = _stored_points(store, config)
    points = []
    bar = tqdm(total=len(tasks), desc="capacity", disable=None, leave=False)
    try:
        for key, measure in tasks:
            point = done.get(key)
            if point is None:
                point = measure()
                if store is not None:
                    append_jsonl(store, {"config": _store_config(config), "point": point})
            points.append(point)
            bar.update()
    finally:
        bar.close()
        torch.set_num_threads(old_threads)

    result = {"config": dataclasses.asdict(config), "points": points}
    result.update(_summarize(points, config))
    result["wall_time"] = time.perf_counter() - t0
    if config.out:
        write_outputs(result, config.out)
    return result


STORE = "points.jsonl"  # one line per measured boundary, appended as it is measured


def _store_config(config: CapacityConfig) -> dict:
    """What a stored point depends on: the config without ``out``, and the code's versions."""
    cfg = {k: v for k, v in dataclasses.asdict(config).items() if k != "out"}
    return to_jsonable({"config": cfg, "versions": versions()})


def _point_key(p: dict) -> tuple:
    return (p["memory"], p["d"], p["m"], p["seed"], p["lr"])


def _stored_points(store: Path | None, config: CapacityConfig) -> dict:
    """Points of an interrupted run with the same config and versions, by key (resume).

    A store made by different code with the same versions is not detected: delete
    ``points.jsonl`` after changing the measurement code."""
    if store is None:
        return {}
    want = _store_config(config)
    return {_point_key(r["point"]): r["point"] for r in read_jsonl(store) if r["config"] == want}


def _trained_point(d, seed, pred, train, config, device, memory="trained_linear"):
    n, ev = largest_true(
        lambda n: trained_linear_stores(
            n, d, seed, train, config.threshold, config.embeddings, device
        ),
        start=max(2, round(pred)),
        lo=2,
        rel_tol=config.rel_tol,
        grow=1.25,
    )
    return _point(memory, d, None, seed, n, pred, ev, train.lr)


def _point(memory, d, m, seed, n, pred, evaluations, lr) -> dict:
    if m is None:
        ratio = d * d / (n * math.log(n)) if n >= 2 else float("nan")
    else:
        ratio = m * d / n if n >= 1 else float("nan")
    return {
        "memory": memory,
        "d": d,
        "m": m,
        "seed": seed,
        "facts": int(n),
        "ratio": ratio,
        "predicted_facts": float(pred),
        "evaluations": len(evaluations),
        "lr": lr,
    }


def _per_size(rows, key):
    """Per size: mean facts, their seed-to-seed sd (``Spread``, ``ddof = 1``; None for one
    seed), mean ratio and the predicted facts."""
    out = []
    for size in sorted({key(r) for r in rows}):
        sel = [r for r in rows if key(r) == size]
        facts = Spread.of([r["facts"] for r in sel])
        ratios = np.array([r["ratio"] for r in sel], dtype=float)
        out.append(
            {
                "size": size,
                "facts_mean": facts.mean,
                "facts_std": facts.sd if facts.n > 1 else None,
                "ratio_mean": float(ratios.mean()),
                "predicted_facts": sel[0]["predicted_facts"],
            }
        )
    return out


def _summarize(points, config) -> dict:
    tol = config.tolerance
    outer = [p for p in points if p["memory"] == "outer_product"]
    trained = [p for p in points if p["memory"] == "trained_linear"]
    mlp = [p for p in points if p["memory"] == "mlp"]
    c_all = theory.OUTER_PRODUCT_C_ALL.value
    c_tr = theory.TRAINED_LINEAR_C.value
    c_stat = theory.TRAINED_LINEAR_C_STATPHYS.value
    c_mlp = theory.MLP_C_M32.value
    out: dict = {}

    c_outer = linear_constant([p["d"] for p in outer], [p["facts"] for p in outer])
    outer_sizes = _per_size(outer, lambda r: r["d"])
    largest = outer_sizes[-1]
    out["outer_product"] = {
        "constant": c_outer,
        "per_d": outer_sizes,
        "vs_asymptotic": verdict(c_outer, c_all, tol),
        "vs_gaussian_model_largest_d": {
            "d": largest["size"],
            **verdict(largest["facts_mean"], largest["predicted_facts"], tol),
        },
        "predicted_constant": c_all,
        "predicted_source": theory.OUTER_PRODUCT_C_ALL.source,
    }
    c_trained = linear_constant([p["d"] for p in trained], [p["facts"] for p in trained])
    trained_sizes = _per_size(trained, lambda r: r["d"])
    out["trained_linear"] = {
        "constant": c_trained,
        "per_d": trained_sizes,
        "vs_fit": verdict(c_trained, c_tr, tol),
        "vs_statphys": verdict(c_trained, c_stat, tol),
        "predicted_constant": c_tr,
        "statphys_constant": c_stat,
        "lr": config.linear_lr,
        "steps": config.linear_steps,
    }
    common = sorted(set(config.outer_dims) & set(config.trained_dims))
    per_common = []
    for d in common:
        ro = float(np.mean([p["ratio"] for p in outer if p["d"] == d]))
        rt = float(np.mean([p["ratio"] for p in trained if p["d"] == d]))
        n_gauss = theory.outer_product_capacity(d, criterion="all", model="gaussian")
        finite = d * d / (n_gauss * math.log(n_gauss)) / c_tr if n_gauss > 1 else float("nan")
        per_common.append(
            {"d": d, "outer": ro, "trained": rt, "ratio": ro / rt, "predicted_finite_size": finite}
        )
    if per_common:
        common_ratio = float(np.mean([r["ratio"] for r in per_common]))
        finite_ratio = float(np.mean([r["predicted_finite_size"] for r in per_common]))
    else:
        common_ratio = finite_ratio = None
    out["ratio"] = {
        "predicted": c_all / c_tr,
        "fitted_constants": c_outer / c_trained,
        "fitted_verdict": verdict(c_outer / c_trained, c_all / c_tr, tol),
        "common_dims": per_common,
        "common_dims_mean": common_ratio,
        "predicted_finite_size_common_dims": finite_ratio,
        "verdict": verdict(common_ratio, c_all / c_tr, tol) if per_common else None,
        "finite_size_verdict": (verdict(common_ratio, finite_ratio, tol) if per_common else None),
    }
    if mlp:
        md = [p["d"] * p["m"] for p in mlp]
        c_m = fit_through_origin([p["facts"] for p in mlp], md)
        out["mlp"] = {
            "constant": c_m,
            "answers": config.mlp_answers,
            "per_size": _per_size(mlp, lambda r: (r["d"], r["m"])),
            "vs_fit": verdict(c_m, c_mlp, tol),
            "predicted_constant": c_mlp,
            "lr": config.mlp_lr,
            "steps": config.mlp_steps,
        }
    out["lr_check"] = [
        {
            "lr": p["lr"],
            "d": p["d"],
            "facts": p["facts"],
            "ratio": p["ratio"],
            "baseline_lr": config.linear_lr,
            "baseline_facts": next(
                (q["facts"] for q in trained if q["d"] == p["d"] and q["seed"] == 0), None
            ),
        }
        for p in points
        if p["memory"] == "lr_check"
    ]
    return out


def write_outputs(result: dict, out) -> None:
    """results.jsonl (one record per boundary plus the summary record), figure, summary.md."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = result["config"]
    rows = [record(NAME, cfg, p, seed=p["seed"]) for p in result["points"]]
    summary = {k: v for k, v in result.items() if k not in ("config", "points")}
    rows.append(record(NAME, cfg, summary, wall_time=result["wall_time"], kind="summary"))
    atomic_write_jsonl(out / "results.jsonl", rows)
    save_figures(result, out)
    atomic_write_text(out / "summary.md", summary_markdown(result))


def _device(name: str) -> str:
    if name == "auto":
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    return name
