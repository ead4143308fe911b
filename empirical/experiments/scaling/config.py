"""Sizes, fit ranges and profiles of the scaling measurement (no torch)."""

from __future__ import annotations

import dataclasses

from memtheory.checks import as_choice, as_float, as_int

#: decay exponents are judged against |measured - predicted| <= this (absolute): Theorem 1 of
#: arXiv 2310.02984 holds up to log factors, and a factor ``ln d`` (or ``ln T``) shifts a local
#: log-log slope by ``1/ln d`` = 0.145 at d = 1000 (fixed before measuring)
EXPONENT_TOLERANCE = 0.15
#: the tolerance of the two exponents whose competitor is close: half the gap between power's
#: 0.25 and uniform's finite-size slope 0.128 over d in [10, 200] at alpha = 2 (0.122 / 2), so
#: neither window contains the other's exponent (issue 12, Sec. 3)
CLOSE_EXPONENT_TOLERANCE = 0.06


def _geom_int(lo: float, hi: float, n: int) -> tuple[int, ...]:
    import numpy as np

    return tuple(int(round(x)) for x in np.geomspace(lo, hi, n))


@dataclasses.dataclass(frozen=True)
class ScalingConfig:
    """Sizes, fit ranges and the tolerance of the scaling measurement.

    ``d`` sweep: ``tokens_d`` tokens, ``samples_d`` samples, memory sizes ``dims``; slopes fitted
    over ``fit_d`` (inclusive), except for ``uniform``, fitted over ``fit_d_uniform``: the
    infinite-vocabulary theory (overflow, exponent 0) describes a finite vocabulary only while
    ``d`` is below the overflow point ``~ tokens_d / answers``. ``T`` sweep: ``tokens_T`` tokens,
    memory size ``dim_T``, sample sizes ``samples_T``, slopes fitted over ``fit_T``, chosen so
    that the distinct seen tokens (about ``1.2 sqrt(T)`` at alpha = 2) stay well below
    ``dim_T / threshold_ratio`` and the memory is not the bottleneck.

    ``tolerance`` (absolute, on an exponent) is shown in the summary's verdict columns; the
    claims carry their own numeric tolerances (``EXPONENT_TOLERANCE`` and
    ``CLOSE_EXPONENT_TOLERANCE``). ``out``: output folder (results.jsonl, scaling.png,
    summary.md), or None.
    """

    alpha: float = 2.0
    answers: int = 5
    rho: float = 1.0
    threshold_ratio: float = 8.0
    embeddings: str = "sphere"
    tokens_d: int = 1000
    samples_d: int = 1_000_000
    dims: tuple[int, ...] = (10, 16, 25, 40, 63, 100, 158, 251, 398, 631, 1000)
    fit_d: tuple[float, float] = (10.0, 1000.0)
    fit_d_uniform: tuple[float, float] = (10.0, 200.0)
    tokens_T: int = 5000
    dim_T: int = 1000
    samples_T: tuple[int, ...] = (100, 178, 316, 562, 1000, 1778, 3162, 5623, 10000, 30000)
    fit_T: tuple[float, float] = (100.0, 10000.0)
    seeds: int = 10
    tolerance: float = EXPONENT_TOLERANCE
    progress: bool = False
    out: str | None = None

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        put("alpha", as_float("alpha", self.alpha, 1.0, None, low_open=True))
        put("answers", as_int("answers", self.answers, 2))
        put("rho", as_float("rho", self.rho, 0.0, None, low_open=True))
        put(
            "threshold_ratio",
            as_float("threshold_ratio", self.threshold_ratio, 0.0, None, low_open=True),
        )
        as_choice("embeddings", self.embeddings, ("sphere", "gaussian"))
        put("tokens_d", as_int("tokens_d", self.tokens_d, 2))
        put("samples_d", as_int("samples_d", self.samples_d, 1))
        put("dims", _sizes("dims", self.dims, 2))
        put("tokens_T", as_int("tokens_T", self.tokens_T, 2))
        put("dim_T", as_int("dim_T", self.dim_T, 2))
        put("samples_T", _sizes("samples_T", self.samples_T, 1))
        put("fit_d", _range("fit_d", self.fit_d, self.dims))
        put("fit_d_uniform", _range("fit_d_uniform", self.fit_d_uniform, self.dims))
        put("fit_T", _range("fit_T", self.fit_T, self.samples_T))
        put("seeds", as_int("seeds", self.seeds, 1))
        put("tolerance", as_float("tolerance", self.tolerance, 0.0, None, low_open=True))
        if not isinstance(self.progress, bool):
            raise ValueError(f"progress must be True or False, got {self.progress!r}")
        if self.out is not None and not isinstance(self.out, str):
            raise ValueError(f"out must be a folder path (str) or None, got {self.out!r}")


def _sizes(name, values, minimum) -> tuple[int, ...]:
    if not isinstance(values, (tuple, list)) or len(values) < 2:
        raise ValueError(f"{name} must be a tuple of at least 2 sizes >= {minimum}")
    out = tuple(as_int(name, v, minimum) for v in values)
    if any(b <= a for a, b in zip(out, out[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing, got {out}")
    return out


def _range(name, rng, grid) -> tuple[float, float]:
    if not isinstance(rng, (tuple, list)) or len(rng) != 2:
        raise ValueError(f"{name} must be a (low, high) pair")
    lo = as_float(f"{name} low", rng[0], 0.0, None, low_open=True)
    hi = as_float(f"{name} high", rng[1], lo, None, low_open=True)
    if sum(lo <= g <= hi for g in grid) < 2:
        raise ValueError(f"{name} must contain at least 2 grid points, got ({lo}, {hi})")
    return (lo, hi)


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 18}

PROFILES = {
    "quick": ScalingConfig(),
    "paper": ScalingConfig(
        tokens_d=1000,
        samples_d=10_000_000,
        dims=_geom_int(10, 1000, 20),
        tokens_T=20000,
        dim_T=4000,
        samples_T=_geom_int(100, 100000, 16),
        fit_T=(100.0, 100000.0),
        seeds=100,
    ),
}
