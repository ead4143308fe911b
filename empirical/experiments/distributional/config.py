"""Sizes and profiles of the distributional-associations experiment (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_choice, as_float, as_int

NAME = "distributional"
PAPER = "Chen, Bruna & Bietti 2024, arXiv 2406.03068"
TITLE = "Distributional associations (FF) vs in-context recall (attention)"
OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class DistributionalConfig:
    """Sizes of the noisy in-context recall experiment (paper: the released k = 1 script)."""

    vocab_size: int = 32
    seq_len: int = 64
    n_triggers: int = 1
    alpha: float = 0.5
    noise_token: int = 2
    d_model: int = 64
    ff_mult: int = 4
    optimizer: str = "adam"
    lr: float = 3e-3
    momentum: float = 0.9
    weight_decay: float = 1e-4
    batch: int = 64
    steps: int = 800
    test_batch: int = 512
    rhos: tuple = (0.0, 0.1, 0.2, 1.0)
    seeds: int = 2
    seed: int = 0
    threads: int = 1  # torch threads: small tensors on a shared CPU run best on one
    device: str = "cpu"
    out: str | None = None

    def __post_init__(self):
        as_int("vocab_size", self.vocab_size, 8)
        as_int("seq_len", self.seq_len, 8)
        as_int("n_triggers", self.n_triggers, 1)
        as_float("alpha", self.alpha, 0.0, 1.0, low_open=True, high_open=True)
        as_int("noise_token", self.noise_token, 0, self.vocab_size - 1)
        as_int("d_model", self.d_model, 4)
        as_int("ff_mult", self.ff_mult, 1)
        as_choice("optimizer", self.optimizer, OPTIMIZERS)
        as_float("lr", self.lr, 0.0, low_open=True)
        as_float("momentum", self.momentum, 0.0, 1.0, high_open=True)
        as_float("weight_decay", self.weight_decay, 0.0)
        as_int("batch", self.batch, 1)
        as_int("steps", self.steps, 1)
        as_int("test_batch", self.test_batch, 1)
        if not self.rhos or any(not 0.0 <= r <= 1.0 for r in self.rhos):
            raise ValueError("rhos must be truncation fractions in [0, 1]")
        as_int("seeds", self.seeds, 1)
        as_int("seed", self.seed, 0)
        as_int("threads", self.threads, 1)
        if self.device != "cpu":
            raise ValueError("device must be 'cpu' in this experiment")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
# quick: 111 s in the 2026-12-03 quick validation x 0.79 (labelled-position logits, fused Adam:
# 140.9 -> 111.1 CPU-s one thread, same machine and profiler)
EXPECTED_SECONDS = {"quick": 88}

PROFILES = {
    "quick": DistributionalConfig(),
    "paper": DistributionalConfig(
        vocab_size=65,
        seq_len=256,
        d_model=256,
        optimizer="sgd",
        lr=0.03,
        batch=512,
        steps=5000,
        test_batch=1024,
        seeds=3,
    ),
}


def add_arguments(parser) -> None:
    """The experiment's own flags (after the common ones of ``experiment_parser``)."""
    parser.add_argument("--steps", type=int, default=None, help="training steps per seed")
