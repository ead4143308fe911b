"""What the scaling experiment measures: every scheme's population error, and log-log slopes."""

from __future__ import annotations

import math

import numpy as np

from empirical.models.memories import assoc_memory as am

SCHEMES = am.SCHEMES


def threshold_top(d: int, ratio: float) -> int:
    """Tokens the threshold scheme stores: ``P = floor(d / ratio)`` (arXiv 2310.02984, Prop. 4)."""
    return int(math.floor(d / ratio))


def measure_errors(
    counts, inputs, outputs, targets, probabilities, d, rho, threshold_ratio
) -> dict[str, float]:
    """Population error of every scheme's memory for one data set and one embedding draw."""
    out = {}
    for scheme in SCHEMES:
        q = am.scheme_weights(counts, scheme, rho=rho, top=threshold_top(d, threshold_ratio))
        out[scheme] = am.zipf_memory_error(inputs, outputs, targets, q, probabilities)
    return out


def fit_slope(x, y, lo: float, hi: float) -> float:
    """Least-squares slope of ``log y`` against ``log x`` over ``lo <= x <= hi`` (y > 0)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sel = (x >= lo) & (x <= hi) & (y > 0)
    if sel.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[sel]), np.log(y[sel]), 1)[0])


def exponent_summary(grid, errors, predicted_curve, predicted_exp, lo, hi, tol) -> dict:
    """errors: (seeds, len(grid)). Decay exponents are reported positive (error ~ x^-beta):
    the fitted exponent of the seed mean, its seed standard error, the asymptotic and the
    finite-size (slope of ``predicted_curve`` over the same range) predictions."""
    mean = errors.mean(axis=0)
    measured = -fit_slope(grid, mean, lo, hi)
    per_seed = [-fit_slope(grid, row, lo, hi) for row in errors]
    per_seed = [s for s in per_seed if math.isfinite(s)]
    se = float(np.std(per_seed, ddof=1) / math.sqrt(len(per_seed))) if len(per_seed) > 1 else None
    finite = -fit_slope(grid, predicted_curve, lo, hi)
    return {
        "fit_range": [lo, hi],
        "measured": measured,
        "seed_se": se,
        "predicted": predicted_exp,
        "difference": measured - predicted_exp,
        "tolerance": tol,
        "reproduces": bool(abs(measured - predicted_exp) <= tol),
        "finite_size_predicted": finite,
        "reproduces_finite_size": bool(abs(measured - finite) <= tol),
    }
