"""Sizes, budgets and profiles of the capacity experiment (no torch here)."""

from __future__ import annotations

import dataclasses

from memtheory.checks import as_choice, as_float, as_int

NAME = "capacity"


@dataclasses.dataclass(frozen=True)
class CapacityConfig:
    """Sizes, budgets and tolerances of the capacity measurement.

    ``threshold``: the accuracy that counts as "stored" (1.0 = every fact, as the issue asks;
    the paper's fits used 0.99). ``rel_tol``: bisection stops once the bracket is within this
    fraction for the trained memories (the outer-product memory is bisected to the integer).

    ``tolerance`` (relative, on a constant ``c``): a measured constant "reproduces" a prediction
    when ``|c_meas / c_pred - 1| <= tolerance``. Justification, fixed before measuring: the
    predicted constants are asymptotic (or fitted at other sizes and at 99% accuracy), and the
    next-order corrections to ``d^2 = c N ln N`` are of relative size ``ln ln N / ln N``, which
    is 0.30 at N ~ 500 (the quick sizes); a smaller tolerance would test sub-leading terms the
    formulas do not claim. The finite-size Gaussian model of the outer-product memory is compared
    with the same tolerance on N itself.

    ``out``: output folder (``results.jsonl``, ``capacity.png``, ``summary.md``), or None.
    """

    outer_dims: tuple[int, ...] = (8, 12, 16, 24, 32, 64, 128, 256)
    trained_dims: tuple[int, ...] = (8, 12, 16, 24, 32)
    mlp_sizes: tuple[tuple[int, int], ...] = ((8, 8), (8, 16), (16, 16))
    mlp_answers: int = 32
    seeds: int = 5
    trained_seeds: int = 1
    threshold: float = 1.0
    embeddings: str = "sphere"
    linear_lr: float = 1.0
    linear_steps: int = 2048
    lr_check: tuple[float, ...] = (1000.0,)
    lr_check_dim: int = 16
    mlp_lr: float = 3e-2
    mlp_steps: int = 2048
    check_every: int = 16
    rel_tol: float = 0.03
    tolerance: float = 0.30
    device: str = "cpu"
    threads: int = 1
    out: str | None = None

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        put("outer_dims", _dims("outer_dims", self.outer_dims))
        put("trained_dims", _dims("trained_dims", self.trained_dims))
        sizes = []
        for pair in self.mlp_sizes:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(f"mlp_sizes must hold (d, m) pairs, got {pair!r}")
            sizes.append((as_int("mlp_sizes d", pair[0], 2), as_int("mlp_sizes m", pair[1], 1)))
        put("mlp_sizes", tuple(sizes))
        put("mlp_answers", as_int("mlp_answers", self.mlp_answers, 2))
        put("seeds", as_int("seeds", self.seeds, 1))
        put("trained_seeds", as_int("trained_seeds", self.trained_seeds, 1))
        put("threshold", as_float("threshold", self.threshold, 0.0, 1.0, low_open=True))
        as_choice("embeddings", self.embeddings, ("sphere", "gaussian"))
        put("linear_lr", as_float("linear_lr", self.linear_lr, 0.0, None, low_open=True))
        put("linear_steps", as_int("linear_steps", self.linear_steps, 1))
        put(
            "lr_check",
            tuple(as_float("lr_check", v, 0.0, None, low_open=True) for v in self.lr_check),
        )
        put("lr_check_dim", as_int("lr_check_dim", self.lr_check_dim, 2))
        put("mlp_lr", as_float("mlp_lr", self.mlp_lr, 0.0, None, low_open=True))
        put("mlp_steps", as_int("mlp_steps", self.mlp_steps, 1))
        put("check_every", as_int("check_every", self.check_every, 1))
        put("rel_tol", as_float("rel_tol", self.rel_tol, 0.0, 1.0, high_open=True))
        put("tolerance", as_float("tolerance", self.tolerance, 0.0, None, low_open=True))
        as_choice("device", self.device, ("cpu", "cuda", "auto"))
        put("threads", as_int("threads", self.threads, 1))
        if self.out is not None and (not isinstance(self.out, str) or not self.out.strip()):
            raise ValueError(f"out must be a folder path or None, got {self.out!r}")


def _dims(name, dims) -> tuple[int, ...]:
    if not isinstance(dims, (tuple, list)) or len(dims) == 0:
        raise ValueError(f"{name} must be a non-empty tuple of dimensions >= 2, got {dims!r}")
    return tuple(as_int(name, d, 2) for d in dims)


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 49}

PROFILES = {
    "quick": CapacityConfig(),
    "paper": CapacityConfig(
        outer_dims=(16, 32, 64, 128, 256, 512, 1024),
        trained_dims=(8, 11, 16, 23, 32, 45, 64, 91, 128, 181, 256),
        mlp_sizes=tuple((d, a * d) for d in (8, 11, 16, 23, 32, 45, 64, 91) for a in (1, 2, 4, 8)),
        seeds=5,
        trained_seeds=5,
        linear_lr=1000.0,
        linear_steps=4096,
        lr_check=(1.0,),
        mlp_steps=32768,
        rel_tol=0.01,
        device="auto",
    ),
}
