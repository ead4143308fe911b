"""Configuration of the counting experiment (no torch import)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_choice, as_float, as_int

MASKS = ("causal", "noncausal")
POSITIONS = ("nope", "rope", "absolute")


def _ints(name, values, minimum):
    if not values:
        raise ValueError(f"{name} must be a non-empty tuple of integers >= {minimum}")
    return tuple(as_int(name, v, minimum=minimum) for v in values)


@dataclass(frozen=True)
class Config:
    """Sizes of the counting experiment.

    Task (``empirical.tasks.counting``): ``length`` tokens after BoS, ``regions`` regions of
    inner length uniform on ``0..max_region_length``, tokens 1 with probability ``p_one``.
    ``train_regions`` (default empty: always ``regions``) draws each training batch's region
    count from this tuple (values in ``1..regions``), so the number of "]" tokens is no longer a
    constant of training (an extension, not in the paper).
    Evaluation: ``ood_lengths`` (same regions) and ``ood_regions`` (same length; only the first
    ``min(R, regions)`` regions are queried, so every query label was trained).
    Model: 1-layer 1-head encoder of width ``width`` (MLP ``4 width``) and a cross-attention-only
    decoder; every ``mask`` x ``position`` variant is trained with ``seeds`` seeds.
    Theory: the hand-built counter at ``theory_lengths`` x ``1..theory_max_regions``.
    """

    length: int = 48
    regions: int = 4
    max_region_length: int = 6
    p_one: float = 0.5
    train_regions: tuple = ()
    ood_lengths: tuple = (96, 192)
    ood_regions: tuple = (2, 3, 5, 6)
    masks: tuple = MASKS
    positions: tuple = POSITIONS
    width: int = 32
    steps: int = 200
    batch: int = 32
    lr: float = 3e-3
    eval_batch: int = 512
    seeds: int = 2
    theory_lengths: tuple = (8, 64, 512, 4096)
    theory_max_regions: int = 16
    theory_sequences: int = 2
    device: str = "cpu"
    threads: int = 1
    progress: bool = False
    out: str | None = None

    def __post_init__(self):
        as_int("length", self.length, minimum=2, maximum=1 << 14)
        as_int("regions", self.regions, minimum=1)
        m = as_int("max_region_length", self.max_region_length, minimum=0)
        as_float("p_one", self.p_one, 0.0, 1.0)
        for r in self.train_regions:
            as_int("train_regions", r, minimum=1, maximum=self.regions)
        _ints("ood_lengths", self.ood_lengths, 2)
        _ints("ood_regions", self.ood_regions, 1)
        for name, need in [("length", self.length)] + [
            ("ood_lengths", x) for x in self.ood_lengths
        ]:
            if need < self.regions * (m + 2):
                raise ValueError(
                    f"{name} must be >= regions * (max_region_length + 2) = "
                    f"{self.regions * (m + 2)}, got {need}"
                )
        if max(self.ood_regions) * (m + 2) > self.length:
            raise ValueError(
                f"ood_regions must satisfy R * (max_region_length + 2) <= length = {self.length},"
                f" got R = {max(self.ood_regions)}"
            )
        if not self.masks or not self.positions:
            raise ValueError("masks and positions must be non-empty")
        for x in self.masks:
            as_choice("masks", x, MASKS)
        for x in self.positions:
            as_choice("positions", x, POSITIONS)
        as_int("width", self.width, minimum=2, maximum=4096)
        if self.width % 2:
            raise ValueError(f"width must be even (RoPE rotates pairs), got {self.width}")
        as_int("steps", self.steps, minimum=0)
        as_int("batch", self.batch, minimum=1, maximum=1 << 16)
        as_float("lr", self.lr, 0.0, 1.0, low_open=True)
        as_int("eval_batch", self.eval_batch, minimum=1, maximum=1 << 16)
        as_int("seeds", self.seeds, minimum=1, maximum=1000)
        _ints("theory_lengths", self.theory_lengths, 2)
        as_int("theory_max_regions", self.theory_max_regions, minimum=1, maximum=256)
        as_int("theory_sequences", self.theory_sequences, minimum=1, maximum=1000)
        as_choice("device", self.device, ("cpu", "cuda", "auto"))
        as_int("threads", self.threads, minimum=1, maximum=256)

    @property
    def classes(self) -> int:
        """Count classes ``0..max_region_length``."""
        return self.max_region_length + 1


PROFILES = {
    "quick": Config(),
    # a CPU run long enough for the causal models to learn (about 40 CPU-s per model at 2,000
    # steps): causal and non-causal NoPE and RoPE, one seed
    "cpu-2000": Config(
        steps=2000,
        batch=64,
        seeds=1,
        positions=("nope", "rope"),
        theory_lengths=(8, 64),
        theory_max_regions=4,
        theory_sequences=1,
    ),
    # paper (Golkar et al. 2024, Sec. 3): length 512 and 4 regions; width, steps, optimizer,
    # region lengths and seeds are unconfirmed there, so the values below are this toolkit's
    "paper": Config(
        length=512,
        regions=4,
        max_region_length=32,
        ood_lengths=(1024, 2048),
        ood_regions=(2, 3, 5, 6, 8),
        width=128,
        steps=20000,
        batch=128,
        lr=1e-3,
        eval_batch=1024,
        seeds=5,
        theory_lengths=(8, 64, 512, 4096, 8192),
        theory_max_regions=16,
        theory_sequences=4,
        device="auto",
    ),
}
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 38.0, "cpu-2000": 200.0, "paper": 4 * 3600.0}


def add_arguments(parser):
    parser.add_argument("--steps", type=int, default=None, help="training steps per model")
    parser.add_argument("--length", type=int, default=None, help="training sequence length")
    parser.add_argument("--width", type=int, default=None, help="model width")
