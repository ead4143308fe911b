"""Summaries of the Fourier toy's rows, shared by the claims, the report and the figure."""

from __future__ import annotations

import math

from empirical.validate.claims import Spread

Z_CAP = 1e6  # a z-score with zero spread (a finite stand-in so tolerances can judge it)


def _z(values) -> float:
    """Mean over standard error (sd / sqrt(n), ddof 1) of paired differences; +-Z_CAP when
    every difference is equal and non-zero, nan for fewer than two."""
    sp = Spread.of(values)
    if sp.n < 2:
        return math.nan
    if sp.sd == 0:
        return math.copysign(Z_CAP, sp.mean) if sp.mean else 0.0
    return sp.mean / (sp.sd / math.sqrt(sp.n))


def transfer_table(result: dict) -> list[dict]:
    """Per finetuning size: pretrained and scratch NRMSE (Spread over seeds), the paired gap
    scratch - pretrained (Spread), its z-score and the fraction of seeds where pretraining wins."""
    rows = result["transfer"]["rows"]
    out = []
    for n in result["transfer"]["sizes"]:
        rs = sorted((r for r in rows if r["n_ft"] == n), key=lambda r: r["seed"])
        gaps = [r["scratch"] - r["pretrained"] for r in rs]
        out.append(
            {
                "n_ft": n,
                "pretrained": Spread.of([r["pretrained"] for r in rs]),
                "scratch": Spread.of([r["scratch"] for r in rs]),
                "gap": Spread.of(gaps),
                "z": _z(gaps),
                "wins": sum(g > 0 for g in gaps) / len(gaps),
            }
        )
    return out


def interference_table(result: dict) -> list[dict]:
    """Per width: joint and single NRMSE per system (Spread over seeds), and the log excess
    per seed, mean over systems of log(joint / single), with its Spread, z-score and the
    fraction of seeds where the joint model is worse."""
    rows = result["interference"]["rows"]
    out = []
    for w in result["interference"]["widths"]:
        rs = [r for r in rows if r["width"] == w]
        seeds = sorted({r["seed"] for r in rs})
        systems = list(dict.fromkeys(r["system"] for r in rs))
        per_seed = [
            sum(math.log(r["joint"] / r["single"]) for r in rs if r["seed"] == s) / len(systems)
            for s in seeds
        ]
        out.append(
            {
                "width": w,
                "joint": {
                    s: Spread.of([r["joint"] for r in rs if r["system"] == s]) for s in systems
                },
                "single": {
                    s: Spread.of([r["single"] for r in rs if r["system"] == s]) for s in systems
                },
                "log_excess": Spread.of(per_seed),
                "z": _z(per_seed),
                "worse": sum(e > 0 for e in per_seed) / len(per_seed),
            }
        )
    return out


def ratio(late: float, early: float) -> float:
    """``late / early`` when ``early > 0``, else ``inf`` (a gap that never opened cannot
    close)."""
    return late / early if early > 0 else math.inf
