"""``run(config) -> dict`` of the counting experiment (see the package docstring).

With ``config.out`` set, the theory rows go to ``theory.json`` and every trained model's row
is appended to ``results.jsonl`` as soon as it is measured; a rerun with the same config reads
them back and trains only what is missing (an interrupted run resumes). A folder written under
another config is refused. Figures and ``summary.md`` are written at the end.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

from empirical.experiments.counting import metrics, theory
from empirical.experiments.counting.report import summary_markdown
from empirical.running.results import (
    append_jsonl,
    atomic_write_json,
    atomic_write_text,
    read_jsonl,
    to_jsonable,
    versions,
)


def _config_dict(cfg) -> dict:
    d = to_jsonable(dataclasses.asdict(cfg))
    for k in ("out", "progress", "device", "threads"):
        d.pop(k, None)
    return d


def _load(out: Path, cfg) -> tuple[dict | None, list[dict]]:
    import json

    path = out / "theory.json"
    if not path.exists():
        return None, []
    saved = json.loads(path.read_text(encoding="utf-8"))
    if saved.get("config") != _config_dict(cfg):
        raise ValueError(f"out holds a run with another config ({path}); use a new folder")
    return saved["theory"], read_jsonl(out / "results.jsonl")


def _evaluate(model, cfg, seed, device) -> dict:
    from empirical.experiments.counting.train import accuracy

    ind = accuracy(model, cfg, seed, cfg.length, cfg.regions, device)
    ood_len = {str(L): accuracy(model, cfg, seed, L, cfg.regions, device) for L in cfg.ood_lengths}
    ood_reg = {str(R): accuracy(model, cfg, seed, cfg.length, R, device) for R in cfg.ood_regions}
    probe = metrics.region_probe(model, cfg, seed, device)
    more = [v["accuracy"] for R, v in ood_reg.items() if int(R) > cfg.regions]
    fewer = [v["accuracy"] for R, v in ood_reg.items() if int(R) < cfg.regions]
    return {
        "accuracy": ind["accuracy"],
        "sequence_accuracy": ind["sequence_accuracy"],
        "per_count": ind["per_count"],
        "ood_length": {k: v["accuracy"] for k, v in ood_len.items()},
        "ood_regions": {k: v["accuracy"] for k, v in ood_reg.items()},
        "ood_length_accuracy": float(np.mean([v["accuracy"] for v in ood_len.values()])),
        "ood_regions_accuracy": float(np.mean([v["accuracy"] for v in ood_reg.values()])),
        "ood_more_regions_accuracy": float(np.mean(more)) if more else None,
        "ood_fewer_regions_accuracy": float(np.mean(fewer)) if fewer else None,
        "encoder": metrics.encoder_attention(model, cfg, seed, device),
        "probe_accuracy": probe["probe_accuracy"],
        "probe_baseline": probe["probe_baseline"],
        "probe_chance": probe["probe_chance"],
        "pca": probe["pca"],
        "decoder": metrics.decoder_attention(model, cfg, seed, device),
    }


def run(config) -> dict:
    """Theory rows, then one trained model per mask x position x seed (resumable)."""
    import torch  # noqa: F401  (imported here: the config and CLI parsing stay torch-free)

    from empirical.experiments.counting.train import train_model
    from empirical.running.runtime import resolve_device, torch_threads

    cfg = config
    device = resolve_device(cfg.device)
    out = Path(cfg.out) if cfg.out else None
    t_start = time.perf_counter()
    theory_rows, runs = _load(out, cfg) if out else (None, [])
    if theory_rows is None:
        t0 = time.perf_counter()
        theory_rows = {
            "handbuilt": theory.handbuilt_rows(cfg),
            "proposition3": theory.proposition3_rows(),
            "gap": theory.gap_row(),
        }
        theory_rows["seconds"] = time.perf_counter() - t0
        if out:
            out.mkdir(parents=True, exist_ok=True)
            atomic_write_json(
                out / "theory.json", {"config": _config_dict(cfg), "theory": theory_rows}
            )
    done = {(r["mask"], r["position"], r["seed"]) for r in runs}
    todo = [
        (m, p, s)
        for m in cfg.masks
        for p in cfg.positions
        for s in range(cfg.seeds)
        if (m, p, s) not in done
    ]
    bar = None
    if cfg.progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="counting models")
    with torch_threads(cfg.threads):
        for mask, position, seed in todo:
            t0 = time.perf_counter()
            model, info = train_model(cfg, mask, position, seed, device)
            row = {"mask": mask, "position": position, "seed": seed, **info}
            row.update(_evaluate(model, cfg, seed, device))
            row["seconds"] = time.perf_counter() - t0
            runs.append(row)
            if out:
                append_jsonl(out / "results.jsonl", row)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    result = {
        "config": _config_dict(cfg),
        "theory": theory_rows,
        "runs": to_jsonable(runs),
        "wall_seconds": time.perf_counter() - t_start,
        "device": str(device),
        "versions": versions(),
    }
    if out:
        from empirical.experiments.counting.figures import save_figures

        result["figures"] = save_figures(result, out)
        atomic_write_json(out / "result.json", result)
        atomic_write_text(out / "summary.md", summary_markdown(result))
    return result
