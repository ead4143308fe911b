"""Profiles of the numbers experiment (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_choice, as_float, as_int
from memtheory.numbers import SCHEMES


@dataclass(frozen=True)
class Config:
    """One run: every encoding in ``schemes`` trained on the function task (with a gap) and on
    the frequency task, ``seeds`` times.

    Model: the xVal reference encoder at small size (pre-LN, GELU, learned positions, token head
    ``d -> d_ff -> |V|`` without bias, number head ``d -> d_ff -> 1`` with bias; notes §1.3,
    §1.5). Loss: cross-entropy on the masked tokens plus ``mse_weight`` times the MSE of the
    number head at a masked ``[NUM]`` (xVal only; the paper's weight is unconfirmed).
    """

    schemes: tuple = SCHEMES
    seeds: int = 1
    d_model: int = 32
    n_layer: int = 2
    n_head: int = 2
    d_ff: int = 64
    dropout: float = 0.0
    steps: int = 600
    batch: int = 64
    lr: float = 3e-3
    mse_weight: float = 1.0
    n_train: int = 4096
    n_test: int = 2048
    # function task: (a, a^2), a uniform on [low, high] minus the open gap (the paper's (1, 1.16))
    low: float = 0.8
    high: float = 1.6
    gap: tuple = (1.0, 1.16)
    grid_step: float = 1e-3
    refine: int = 10
    # frequency task: (v + sigma xi, v), v on 1.00..1.99 with a Zipf prior
    n_values: int = 100
    exponents: tuple = (-3, -2)  # 3-digit exponents the tasks' values need (0.1 to 9.99)
    zipf_exponent: float = 1.0
    sigma: float = 0.03
    top_k: int = 5
    device: str = "cpu"
    threads: int = 1
    progress: bool = False
    out: str | None = None

    def __post_init__(self):
        if not self.schemes:
            raise ValueError("schemes must name at least one encoding")
        for s in self.schemes:
            as_choice("schemes", s, SCHEMES)
        as_int("seeds", self.seeds, minimum=1, maximum=100)
        as_int("d_model", self.d_model, minimum=4, maximum=4096)
        as_int("n_layer", self.n_layer, minimum=1, maximum=48)
        as_int("n_head", self.n_head, minimum=1, maximum=64)
        if self.d_model % self.n_head:
            raise ValueError(f"d_model must be a multiple of n_head={self.n_head}")
        as_int("d_ff", self.d_ff, minimum=1, maximum=65536)
        as_float("dropout", self.dropout, 0.0, 1.0, high_open=True)
        as_int("steps", self.steps, minimum=1, maximum=10**7)
        as_int("batch", self.batch, minimum=1, maximum=65536)
        as_float("lr", self.lr, 0.0, 1.0, low_open=True)
        as_float("mse_weight", self.mse_weight, 0.0)
        as_int("n_train", self.n_train, minimum=16, maximum=10**7)
        as_int("n_test", self.n_test, minimum=16, maximum=10**7)
        low = as_float("low", self.low, 1e-3, 1e3)
        high = as_float("high", self.high, low, 1e3, low_open=True)
        if len(self.gap) != 2:
            raise ValueError(f"gap must be a pair (g0, g1), got {self.gap!r}")
        g0 = as_float("gap[0]", self.gap[0], low, high, low_open=True)
        as_float("gap[1]", self.gap[1], g0, high, low_open=True, high_open=True)
        step = as_float("grid_step", self.grid_step, 0.0, (high - low) / 4, low_open=True)
        refine = as_int("refine", self.refine, minimum=2, maximum=1000)
        if (high - low) / step * refine > 2e6:
            raise ValueError("grid_step too small: the refined grid would exceed 2e6 points")
        as_int("n_values", self.n_values, minimum=10, maximum=900)
        as_float("zipf_exponent", self.zipf_exponent, 0.0, 10.0)
        as_float("sigma", self.sigma, 0.0, 1.0, low_open=True)
        as_int("top_k", self.top_k, minimum=1, maximum=self.n_values - 1)
        if len(self.exponents) != 2 or not -300 <= self.exponents[0] <= self.exponents[1] <= 300:
            raise ValueError(
                f"exponents must be a pair e_min <= e_max in [-300, 300], got {self.exponents!r}"
            )
        as_choice("device", self.device, ("cpu", "cuda", "auto"))
        as_int("threads", self.threads, minimum=1, maximum=256)


PROFILES = {
    "quick": Config(),
    # the reference model of the released code (d 768, 6 heads, 6 layers, d_ff 3072, dropout
    # 0.1, notes §1.5); the paper's step counts and data sizes are unconfirmed, these are ours
    "paper": Config(
        seeds=3,
        d_model=768,
        n_layer=6,
        n_head=6,
        d_ff=3072,
        dropout=0.1,
        steps=20000,
        batch=256,
        lr=1e-4,
        n_train=65536,
        n_test=8192,
        device="auto",
        progress=True,
    ),
}
# quick: 94 s in the 2026-12-03 quick validation x 0.83 (heads at the masked positions, fused
# AdamW: 153.8 -> 127.1 CPU-s one thread, same machine and profiler)
EXPECTED_SECONDS = {"quick": 78.0, "paper": 4 * 3600.0}


def add_arguments(parser):
    parser.add_argument("--steps", type=int, default=None, help="training steps per model")
    parser.add_argument(
        "--schemes",
        type=lambda s: tuple(x.strip() for x in s.split(",") if x.strip()),
        default=None,
        help=f"comma-separated encodings (default: all of {','.join(SCHEMES)})",
    )
