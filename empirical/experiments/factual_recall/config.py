"""Sizes and profiles of the factual-recall experiment (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int

NAME = "factual_recall"
PAPER = "Nichani, Lee & Bietti 2024, arXiv 2412.06538"
TITLE = "Factual recall: sequential learning, attention/MLP trade-off, facts vs parameters"
SUCCESS_ACCURACY = 0.99  # a fact set is "stored" at >= 99% test accuracy (the paper's criterion)


@dataclass(frozen=True)
class FactualRecallConfig:
    """Sizes of the factual-recall experiment (``seq_*``: Fig. 5; ``tr_*``: trade-off cells;
    ``sw_*``: facts-vs-parameters sweep; an empty ``tr_cells`` / ``sw_dims`` skips that part).

    The one-layer runs (trade-off and sweep) use AdamW (weight decay 0) on fresh batches for at
    most ``steps`` steps; every ``eval_every`` steps a fresh probe batch of ``batch`` samples is
    scored and training stops once its accuracy reaches ``stop_accuracy`` (the 99% criterion
    is then read on the fixed test set; ``stop_accuracy = 1.01`` never stops early).
    """

    seq_subjects: int = 16
    seq_relations: int = 4
    seq_answers: int = 8
    seq_noise: int = 20
    seq_len: int = 32
    seq_lr: float = 0.1
    seq_batch: int = 256  # paper: 1024
    seq_steps: int = 8192
    seq_init: float = 1e-5
    tr_d: int = 16
    tr_head_dim: int = 8
    tr_cells: tuple = ((1, 128), (2, 1), (2, 128), (8, 1))  # (heads H, MLP width m)
    tr_subjects: int = 12  # S = R
    tr_answers: int = 8
    tr_seq_len: int = 12
    lr: float = 1e-2  # trade-off (the paper's Fig. 4 right uses 1e-2)
    sw_dims: tuple = ()
    sw_heads: int = 8
    sw_attn_ratio: float = 1.0  # d_h = floor(ratio d / H)
    sw_mlp_ratio: float = 1.0  # m = floor(ratio d)
    sw_max_subjects: int = 64
    sw_max_trials: int = 6  # bisection probes per d
    sw_lrs: tuple = (1e-2, 3e-3, 1e-3)  # tried in this order; a size passes at the first success
    batch: int = 256
    steps: int = 3000
    eval_every: int = 250
    stop_accuracy: float = 0.995
    seeds: int = 2
    seed: int = 0
    threads: int = 1  # torch threads: small tensors on a shared CPU run best on one
    workers: int = 1  # processes for the one-layer runs (empirical.running.sweep)
    device: str = "cpu"
    progress: bool = False
    out: str | None = None

    def __post_init__(self):
        as_int("seq_subjects", self.seq_subjects, 1)
        as_int("seq_relations", self.seq_relations, 2)
        as_int("seq_answers", self.seq_answers, 2)
        if self.seq_subjects % self.seq_answers:
            raise ValueError("seq_subjects must be a multiple of seq_answers (structured facts)")
        as_int("seq_noise", self.seq_noise, 1)
        as_int("seq_len", self.seq_len, 3)
        as_float("seq_lr", self.seq_lr, 0.0, low_open=True)
        as_int("seq_batch", self.seq_batch, 1)
        as_int("seq_steps", self.seq_steps, 10)
        as_float("seq_init", self.seq_init, 0.0, low_open=True)
        as_int("tr_d", self.tr_d, 1)
        as_int("tr_head_dim", self.tr_head_dim, 1)
        for cell in self.tr_cells:
            if len(cell) != 2 or int(cell[0]) < 1 or int(cell[1]) < 1:
                raise ValueError(
                    "tr_cells must be (heads H >= 1, MLP width m >= 1) pairs (attention routes "
                    f"subject and relation; the ablation needs an MLP), got {cell!r}"
                )
        as_int("tr_subjects", self.tr_subjects, 1)
        as_int("tr_answers", self.tr_answers, 2)
        as_int("tr_seq_len", self.tr_seq_len, 3)
        as_float("lr", self.lr, 0.0, low_open=True)
        if self.sw_dims and min(self.sw_dims) < 4:
            raise ValueError("sw_dims must be model widths >= 4")
        as_int("sw_heads", self.sw_heads, 1)
        as_float("sw_attn_ratio", self.sw_attn_ratio, 0.0, low_open=True)
        as_float("sw_mlp_ratio", self.sw_mlp_ratio, 0.0)
        for d in self.sw_dims:
            if int(self.sw_attn_ratio * d) // self.sw_heads < 1:
                raise ValueError(f"sw_attn_ratio * d / sw_heads must be >= 1 (d = {d})")
        as_int("sw_max_subjects", self.sw_max_subjects, 2)
        as_int("sw_max_trials", self.sw_max_trials, 1)
        if not self.sw_lrs or min(self.sw_lrs) <= 0:
            raise ValueError("sw_lrs must be learning rates > 0")
        as_int("batch", self.batch, 1)
        as_int("steps", self.steps, 1)
        as_int("eval_every", self.eval_every, 1)
        as_float("stop_accuracy", self.stop_accuracy, 0.0)
        as_int("seeds", self.seeds, 1)
        as_int("seed", self.seed, 0)
        as_int("threads", self.threads, 1)
        as_int("workers", self.workers, 1)
        if self.device != "cpu":
            raise ValueError("device must be 'cpu' in this experiment")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 77, "paper": 3600}

PROFILES = {
    "quick": FactualRecallConfig(),
    # The paper's settings for every measured cell, on a CPU: Fig. 5 (batch 1024); Fig. 4 right
    # (d 32, d_h 8, S = R = 32, D = 8, |N| = 64, T = 32, lr 1e-2, 2^14 AdamW steps at batch 1024)
    # on cells on both sides of its boundary instead of the 13 x 13 grid; Fig. 4 left (H = 8,
    # d_h = floor(d / H), m = d, learning-rate search {1e-2, 3e-3, 1e-3}, 2^14 steps, batch 1024)
    # at d = 8 and 16 instead of 2^3 .. 2^7.5.
    "paper": FactualRecallConfig(
        seq_batch=1024,
        tr_d=32,
        tr_head_dim=8,
        tr_cells=((1, 128), (4, 64), (8, 8), (8, 64), (20, 1)),
        tr_subjects=32,
        tr_answers=8,
        tr_seq_len=32,
        sw_dims=(8, 16),
        sw_heads=8,
        sw_max_subjects=64,
        sw_max_trials=4,
        batch=1024,
        steps=2**14,
        eval_every=512,
        seeds=2,
        workers=2,
    ),
}
