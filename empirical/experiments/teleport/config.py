"""Configuration of the teleport experiment (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int


@dataclass(frozen=True)
class Config:
    """Quadratics :math:`\\tfrac12 w^\\top A w` with spectrum ``geomspace(1, kappa, d)`` for each
    condition number in ``conditions``; logistic regression on ``samples`` Gaussian rows in
    ``logistic_d`` dimensions with noisy labels (non-separable) and L2 weight ``l2``; ``steps``
    GD steps per run; ``tail_steps`` steps of plain GD on a separable, unregularized logistic
    regression on ``tail_samples`` rows in ``tail_d`` dimensions (the sublinear tail; the quick
    profile uses the paper profile's sizes here: at 200 rows, d = 10 and 2,000 steps the tail
    exponent was 0.44 +- 0.06, still far from its asymptotic 1); ``seeds`` draws of
    everything."""

    d: int = 20
    conditions: tuple = (1.0, 10.0, 100.0)
    samples: int = 200
    logistic_d: int = 10
    l2: float = 1e-3
    steps: int = 40
    tail_samples: int = 1000
    tail_d: int = 50
    tail_steps: int = 20000
    seeds: int = 5
    geometry_graphs: tuple = ("grid:4x4", "path-star:4x5", "cycle:15")
    geometry_d: int = 8
    geometry_steps: int = 2000
    out: str | None = None

    def __post_init__(self):
        as_int("d", self.d, 2, 2000)
        as_int("samples", self.samples, 2, 10**6)
        as_int("logistic_d", self.logistic_d, 1, 2000)
        as_int("steps", self.steps, 2, 10**5)
        as_int("tail_steps", self.tail_steps, 20, 10**7)
        as_int("tail_samples", self.tail_samples, 2, 10**6)
        as_int("tail_d", self.tail_d, 1, 2000)
        as_int("seeds", self.seeds, 1, 1000)
        as_float("l2", self.l2, 0.0)
        as_int("geometry_d", self.geometry_d, 1, 256)
        as_int("geometry_steps", self.geometry_steps, 1, 10**6)
        conds = tuple(as_float("conditions", c, 1.0) for c in self.conditions)
        if len(conds) < 2 or conds[0] != 1.0 or list(conds) != sorted(set(conds)):
            raise ValueError(
                "conditions must be increasing, start at 1 and hold at least two values, "
                f"got {self.conditions}"
            )
        object.__setattr__(self, "conditions", conds)


PROFILES = {
    "quick": Config(),
    "paper": Config(
        d=100,
        conditions=(1.0, 10.0, 100.0, 1000.0),
        samples=1000,
        logistic_d=50,
        steps=100,
        seeds=20,
    ),
}
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 37.0, "paper": 300.0}


def add_arguments(parser) -> None:
    parser.add_argument("--d", type=int, default=None, help="dimension of the quadratics")
    parser.add_argument("--steps", type=int, default=None, help="GD steps per run")
