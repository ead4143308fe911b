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
