"""Config and profiles of the heavy-tailed imbalance experiment (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int

NAME = "heavy_tailed"
PAPER = "Kunstner et al. 2024, arXiv 2402.19449"
METHODS = ("gd", "adam", "sign")
PROBLEMS = ("tiered", "memory-onehot", "memory-gaussian")


@dataclass(frozen=True)
class HeavyTailedConfig:
    """Sizes of the heavy-tailed imbalance experiment; ``out``: output folder or None."""

    m: int = 6  # tiers of the tiered-Zipf data (paper: 11; "smaller, longer": 7)
    steps: int = 300
    memory_inputs: int = 64  # N of the Zipf associative memory (bijection f(x) = x, M = N)
    memory_dim: int = 64  # d
    memory_groups: int = 4
    memory_steps: int = 300
    zipf_exponent: float = 1.0
    grid_gd: tuple = (-1.0, 2.5)  # log10 range of the half-decade step grid
    grid_adam: tuple = (-4.0, -0.5)
    grid_sign: tuple = (-5.0, -1.5)
    target_half_time: float = 10.0  # step at which the most frequent group should halve
    reduced_classes: int = 15
    reduced_steps: int = 200
    problems: tuple = PROBLEMS  # which problems to train (all three by default)
    methods: tuple = METHODS  # which optimizers to train (all three by default)
    fixed_lr: tuple = ()  # ((method, step size), ...): skip the grid for these optimizers
    seeds: int = 3
    seed: int = 0
    threads: int = 1
    device: str = "cpu"
    out: str | None = None

    def __post_init__(self):
        as_int("m", self.m, 2, 12)
        as_int("steps", self.steps, 2)
        as_int("memory_inputs", self.memory_inputs, 2)
        as_int("memory_dim", self.memory_dim, self.memory_inputs)
        as_int("memory_groups", self.memory_groups, 2, self.memory_inputs)
        as_int("memory_steps", self.memory_steps, 2)
        as_float("zipf_exponent", self.zipf_exponent, 0.0, 20.0)
        for name in ("grid_gd", "grid_adam", "grid_sign"):
            g = getattr(self, name)
            if len(g) != 2 or not g[0] <= g[1]:
                raise ValueError(f"{name} must be (low, high) log10 step sizes with low <= high")
        as_float("target_half_time", self.target_half_time, 1.0, self.steps)
        as_int("reduced_classes", self.reduced_classes, 2)
        as_int("reduced_steps", self.reduced_steps, 1)
        if not self.problems or not set(self.problems) <= set(PROBLEMS):
            raise ValueError(f"problems must be a non-empty subset of {PROBLEMS}")
        if not self.methods or not set(self.methods) <= set(METHODS):
            raise ValueError(f"methods must be a non-empty subset of {METHODS}")
        for pair in self.fixed_lr:
            if len(pair) != 2 or pair[0] not in METHODS:
                raise ValueError(f"fixed_lr must hold (method, step size) pairs, got {pair!r}")
            as_float(f"fixed_lr[{pair[0]}]", pair[1], 0.0, low_open=True)
        as_int("seeds", self.seeds, 1)
        as_int("seed", self.seed, 0)
        as_int("threads", self.threads, 1)
        if self.device != "cpu":
            raise ValueError("device must be 'cpu'")
        if self.out is not None and not str(self.out).strip():
            raise ValueError("out must be a folder path or None")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 28}

PROFILES = {
    "quick": HeavyTailedConfig(),
    "paper": HeavyTailedConfig(
        m=11, steps=1000, memory_inputs=1024, memory_dim=1024, memory_steps=2000, seeds=3
    ),
}
