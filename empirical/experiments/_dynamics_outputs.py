"""Outputs shared by the dynamics topic packages ``gd_associative`` and ``heavy_tailed``.

The verdict rows a topic's ``run`` puts in ``result["claims"]`` are generated from its registered
claims (:func:`claim_row`), so a threshold lives once, in the topic's ``claims.py``; the row has
the fields of :func:`empirical.experiments._dynamics_report.claim`. :func:`write_outputs` writes
``results.jsonl``, ``curves.npz``, the figure and ``summary.md`` into ``config.out``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from empirical.experiments import _dynamics_report as shared


def claim_row(claim, result: dict) -> dict:
    """One registered claim judged on ``result``, as a ``_dynamics_report.claim`` row (``id``
    without the topic prefix; measurement and spread over the claim's rows; for a row measured
    as several parts, its first part)."""
    rows = claim.judge(result)

    def number(v):
        return next(iter(v.values())) if isinstance(v, dict) else v

    pred = rows[0].prediction
    return shared.claim(
        claim.id.split(".", 1)[1],
        claim.statement,
        number(pred) if pred is not None else claim.prediction,
        [float(number(r.measurement)) for r in rows],
        all(r.holds for r in rows),
        claim.tolerance.text,
    )


def command(name: str, profiles: dict, cfg: dict) -> str:
    """The command that reproduces the config ``cfg`` (a dict; its profile's, when it is one)."""

    def strip(d):
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items() if k != "out"}

    prof = next(
        (k for k, v in profiles.items() if strip(dataclasses.asdict(v)) == strip(cfg)), None
    )
    flags = f" --profile {prof}" if prof else " (a custom config)"
    out = f" --out {cfg['out']}" if cfg.get("out") else ""
    return f"python -m empirical.experiments.{name}{flags}{out}"


def summary_markdown(result: dict, name, profiles, title, paper, notes) -> str:
    """``summary.md``: one table row per claim, the notes, the wall and CPU times."""
    cmd = command(name, profiles, result["config"])
    md = shared.summary_markdown(title, paper, cmd, result["claims"], notes)
    return md + (
        f"\nWall time: {result['wall_time']:.1f} s; CPU time of this process: "
        f"{result['cpu_time']:.1f} s (shared CPU: upper bounds)\n"
    )


def write_outputs(name, config, result: dict, curves: dict, summary: str, figure) -> Path:
    """``results.jsonl`` (one record per claim and per seed), ``curves.npz``, the figure
    ``NAME.png`` (``figure(result, curves, path)``) and ``summary.md`` in ``config.out``, each
    written atomically."""
    from empirical.results import atomic_save_npz, atomic_write_jsonl, atomic_write_text, record

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = [
        record(name, config, c, wall_time=result["wall_time"], kind="claim")
        for c in result["claims"]
    ]
    rows += [record(name, config, m, seed=m["seed"], kind="seed") for m in result["per_seed"]]
    atomic_write_jsonl(out / "results.jsonl", rows)
    atomic_save_npz(out / "curves.npz", **curves)
    figure(result, curves, out / f"{name}.png")
    atomic_write_text(out / "summary.md", summary)
    return out
