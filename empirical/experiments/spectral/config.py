"""Graphs, dynamics settings and profiles of the spectral experiment (numpy only)."""

from __future__ import annotations

import dataclasses

from memtheory import graphs as G
from memtheory.graphs import TINY_GRAPHS

NAME = "spectral"


@dataclasses.dataclass(frozen=True)
class SpectralConfig:
    """Graphs, dynamics settings (the released Node2Vec run: dim 100, N(0,1), lr 0.01, 10^4
    steps, plain full-batch GD) and seeds. ``out``: output folder (``results.jsonl``,
    ``spectral.png``, ``summary.md``), or None."""

    graphs: tuple[str, ...] = TINY_GRAPHS
    steps: int = 10_000
    dim: int = 100
    lr: float = 0.01
    init_std: float = 1.0
    seeds: int = 3
    record_every: int = 250
    fd_eps: float = 1e-6
    out: str | None = None
    progress: bool = False

    def __post_init__(self):
        for spec in self.graphs:
            G.parse_graph(spec)
        for name in ("steps", "dim", "seeds", "record_every"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {getattr(self, name)}")
        if not self.lr > 0:
            raise ValueError(f"lr must be > 0, got {self.lr}")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
EXPECTED_SECONDS = {"quick": 7}

PROFILES = {
    "quick": SpectralConfig(),
    # the released notebook runs 10^4 epochs; paper profile also looks 10x further (Remark 2)
    "paper": SpectralConfig(steps=100_000, seeds=5, record_every=1000),
}


def add_arguments(parser) -> None:
    """The experiment's own flag: ``--steps``."""
    parser.add_argument("--steps", type=int, default=None, help="gradient steps (profile's)")
