"""Escape-time slopes from the experiment's rows (numpy only)."""

from __future__ import annotations

import math

import numpy as np

# Derived here (not the paper's, whose exponents are unconfirmed): with the re-fitted link a
# direction whose lowest coupling Hermite degree is k escapes as dm/dt ~ m^(2k-1) from
# m0 ~ d^(-1/2), so t ~ d^(k-1) for k >= 2 (log d for k = 1).
PREDICTED_SLOPE = {"z1z2": 1.0, "z1+He3(z2)": 2.0}


def escape_slope(rows: list[dict], link: str) -> tuple[float, list]:
    """Least-squares slope of log(median escape time over seeds) against log d."""
    dims = sorted({r["d"] for r in rows if r["link"] == link})
    med = [
        float(np.median([r["escape_time"] for r in rows if r["link"] == link and r["d"] == d]))
        for d in dims
    ]
    if len(dims) < 2 or not all(math.isfinite(m) and m > 0 for m in med):
        return math.nan, med
    return float(np.polyfit(np.log(dims), np.log(med), 1)[0]), med


# A start is trapped when its loss at the end of the flow (t = trap_t_max, or alignment) is still at
# least this fraction of E f*^2: the planted He3-sum trap sits at 1 (one direction learned),
# an escaped flow at ~0. Fixed before measuring.
TRAP_LEVEL = 0.1


def trap_table(rows: list[dict]) -> list[dict]:
    """Per (link, mode): starts, trapped count and fraction (final loss >= TRAP_LEVEL x E f*^2),
    the sign rule's predicted fraction and its per-start agreement (planted; None without a
    rule), and the final overlap of the first trapped start."""
    out = []
    for key in dict.fromkeys((r["link"], r["mode"]) for r in rows):
        sel = [r for r in rows if (r["link"], r["mode"]) == key]
        trapped = [r["final_over_energy"] >= TRAP_LEVEL for r in sel]
        pred = [r["predicted_trapped"] for r in sel]
        has_rule = key[1] == "planted" and all(p is not None for p in pred)
        first = next((r for r, t in zip(sel, trapped, strict=True) if t), None)
        out.append(
            {
                "link": key[0],
                "mode": key[1],
                "n": len(sel),
                "trapped": int(sum(trapped)),
                "fraction": float(np.mean(trapped)),
                "predicted_fraction": float(np.mean(pred)) if has_rule else None,
                "agreement": (
                    float(np.mean([p == t for p, t in zip(pred, trapped, strict=True)]))
                    if has_rule
                    else None
                ),
                "trapped_example": None
                if first is None
                else {
                    "seed": first["seed"],
                    "M0": first["M0"],
                    "final_M": first["final_M"],
                    "final_over_energy": first["final_over_energy"],
                },
            }
        )
    return out
