"""Configuration of the mpp experiment (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int


@dataclass(frozen=True)
class Config:
    """``networks`` random inner networks g (two-layer tanh, ``width``) on histories of
    ``frames`` x ``grid`` x 3 fields; field scales ``scales``; ``draws`` Monte-Carlo draws of the
    field embedding (width ``width``) per number of present fields; ``seeds`` repeats."""

    networks: int = 5
    frames: int = 16
    grid: int = 32
    width: int = 64
    scales: tuple = (1.0, 10.0, 1000.0)
    draws: int = 4000
    seeds: int = 3
    out: str | None = None

    def __post_init__(self):
        as_int("networks", self.networks, 1, 1000)
        as_int("frames", self.frames, 2, 10**4)
        as_int("grid", self.grid, 2, 4096)
        as_int("width", self.width, 1, 4096)
        as_int("draws", self.draws, 100, 10**7)
        as_int("seeds", self.seeds, 1, 1000)
        scales = tuple(as_float("scales", s, 0.0, low_open=True) for s in self.scales)
        if len(scales) < 2:
            raise ValueError(f"scales must hold at least two field scales, got {self.scales}")
        object.__setattr__(self, "scales", scales)
        if self.frames * self.grid * len(scales) * 8 > 1 << 30:
            raise ValueError("frames x grid x fields is above 1 GiB of float64")


PROFILES = {
    "quick": Config(),
    "paper": Config(networks=20, frames=16, grid=128, width=192, draws=20000, seeds=10),
}
EXPECTED_SECONDS = {"quick": 5.0, "paper": 120.0}
