"""Config and profiles of the GD-on-one-associative-memory experiment (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int

NAME = "gd_associative"
PAPER = "Cabannes, Simsek & Bietti 2024, arXiv 2402.18724"


@dataclass(frozen=True)
class GDAssociativeConfig:
    """Sizes of the GD-on-associative-memory experiment; ``out``: output folder or None."""

    n_inputs: int = 8  # N
    n_outputs: int = 5  # M
    dim: int = 16  # d >= max(N, M), orthonormal embeddings
    zipf_exponent: float = 1.0
    eta: float = 5.0
    steps: int = 2000
    spike_p1: float = 0.75
    spike_alpha: float = 0.95
    spike_etas: tuple = (1.0, 10.0)
    spike_steps: int = 35
    sweep_size: int = 6  # grid points per axis of (p1, eta, alpha); paper: 10
    sweep_steps: int = 300  # paper: 1000
    hessian_dim: int = 4
    under_n: tuple = (3, 30)
    under_draws: int = 100
    under_step_scale: float = 1.0  # GD step = scale * monotone_step_bound of each draw
    under_steps: int = 2000
    seeds: int = 3
    seed: int = 0
    threads: int = 1  # torch threads (tiny tensors: 1 is fastest on a shared CPU)
    device: str = "cpu"
    out: str | None = None

    def __post_init__(self):
        N = as_int("n_inputs", self.n_inputs, 1)
        M = as_int("n_outputs", self.n_outputs, 2)
        as_int("dim", self.dim, max(N, M))
        as_float("zipf_exponent", self.zipf_exponent, 0.0)
        as_float("eta", self.eta, 0.0, low_open=True)
        as_int("steps", self.steps, 20)
        as_float("spike_p1", self.spike_p1, 0.0, 1.0, low_open=True, high_open=True)
        as_float("spike_alpha", self.spike_alpha, -1.0, 1.0, low_open=True, high_open=True)
        if len(self.spike_etas) != 2 or not all(e > 0 for e in self.spike_etas):
            raise ValueError("spike_etas must be two positive step sizes (small, large)")
        as_int("spike_steps", self.spike_steps, 2)
        as_int("sweep_size", self.sweep_size, 2)
        as_int("sweep_steps", self.sweep_steps, 2)
        as_int("hessian_dim", self.hessian_dim, 2)
        if not self.under_n or any(int(n) < 2 for n in self.under_n):
            raise ValueError("under_n must be a non-empty tuple of sizes >= 2")
        as_int("under_draws", self.under_draws, 1)
        as_float("under_step_scale", self.under_step_scale, 0.0, low_open=True)
        as_int("under_steps", self.under_steps, 1)
        as_int("seeds", self.seeds, 1)
        as_int("seed", self.seed, 0)
        as_int("threads", self.threads, 1)
        if self.device != "cpu":
            raise ValueError("device must be 'cpu' (float64 dynamics on the CPU)")
        if self.out is not None and not str(self.out).strip():
            raise ValueError("out must be a folder path or None")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
EXPECTED_SECONDS = {"quick": 15}

PROFILES = {
    "quick": GDAssociativeConfig(),
    "paper": GDAssociativeConfig(
        n_inputs=5,
        n_outputs=5,
        dim=10,
        eta=10.0,
        steps=10000,
        sweep_size=10,
        sweep_steps=1000,
        under_n=(3, 30),
        under_draws=1000,
        under_steps=20000,
        seeds=5,
    ),
}
