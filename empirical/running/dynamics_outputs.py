"""Outputs shared by the dynamics topic packages ``gd_associative`` and ``heavy_tailed``.

The verdict rows a topic's ``run`` puts in ``result["claims"]`` are generated from its registered
claims (:func:`claim_row`), so a threshold lives once, in the topic's ``claims.py``; a row is a
dict ``{id, statement, prediction, measurement, spread, unit, tolerance, verdict}`` with the
spread of :class:`empirical.validate.claims.Spread` (``ddof = 1``) plus min and max.
:func:`write_outputs` writes ``results.jsonl``, ``curves.npz``, the figure and ``summary.md``
into ``config.out``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from empirical.validate.claim_rows import format_value, spread_cell
from empirical.validate.claims import Spread


def spread(values) -> dict:
    """Mean and standard deviation (:class:`Spread`, ddof 1; std 0 for one value), min, max and
    count of per-seed values; with a non-finite value the mean and std are nan."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0 or not np.isfinite(v).all():
        nan = float("nan")
        return {
            "mean": nan,
            "std": nan,
            "min": float(v.min(initial=nan)),
            "max": float(v.max(initial=nan)),
            "n": int(v.size),
        }
    s = Spread.of(v.tolist())
    std = s.sd if s.n > 1 else 0.0
    return {"mean": s.mean, "std": std, "min": float(v.min()), "max": float(v.max()), "n": s.n}


def claim_fields(cid, statement, prediction, values, holds, tolerance, unit="") -> dict:
    """One claim row. ``values``: the per-seed measurements; ``holds``: bool verdict."""
    s = spread(values)
    return {
        "id": cid,
        "statement": statement,
        "prediction": prediction,
        "measurement": s["mean"],
        "spread": s,
        "unit": unit,
        "tolerance": tolerance,
        "verdict": "holds" if bool(holds) else "does not reproduce",
    }


def claims_markdown(title: str, paper: str, command: str, claims: list) -> str:
    """The head of ``summary.md``: one table row per claim."""
    lines = [f"# {title}", "", f"Paper: {paper}", "", f"Command: `{command}`", ""]
    lines += [
        "| claim | prediction | measurement (mean) | spread over seeds (std; min..max; n) "
        "| tolerance | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for c in claims:
        sp = spread_cell(c["spread"])
        lines.append(
            f"| **{c['id']}**: {c['statement']} | {format_value(c['prediction'])} | "
            f"{format_value(c['measurement'])} {c['unit']} | {sp} | {c['tolerance']} | "
            f"{c['verdict']} |"
        )
    return "\n".join(lines) + "\n"


def claim_row(claim, result: dict) -> dict:
    """One registered claim judged on ``result``, as a :func:`claim_fields` row (``id``
    without the topic prefix; measurement and spread over the claim's rows; for a row measured
    as several parts, its first part)."""
    rows = claim.judge(result)

    def number(v):
        return next(iter(v.values())) if isinstance(v, dict) else v

    pred = rows[0].prediction
    return claim_fields(
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
    md = claims_markdown(title, paper, cmd, result["claims"])
    md += "\n" + "".join(f"- {n}\n" for n in notes)
    return md + (
        f"\nWall time: {result['wall_time']:.1f} s; CPU time of this process: "
        f"{result['cpu_time']:.1f} s (shared CPU: upper bounds)\n"
    )


def write_outputs(name, config, result: dict, curves: dict, summary: str, figure) -> Path:
    """``results.jsonl`` (one record per claim and per seed), ``curves.npz``, the figure
    ``NAME.png`` (``figure(result, curves, path)``) and ``summary.md`` in ``config.out``, each
    written atomically."""
    from empirical.running.results import (
        atomic_save_npz,
        atomic_write_jsonl,
        atomic_write_text,
        record,
    )

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
