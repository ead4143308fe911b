"""Configuration of the multi_index experiment (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int


@dataclass(frozen=True)
class Config:
    """Flows from a uniform start in dimension ``d`` for every link in ``links`` (two-timescale
    and planted), and escape times over the dimensions ``dims`` for the links in
    ``slope_links``; ``seeds`` starts each. Trapping: ``trap_seeds`` uniform starts in dimension
    ``d`` for every symmetric link in ``trap_links``, each run with both flows."""

    d: int = 256
    links: tuple = ("z1+z1z2", "z1z2", "z1+He3(z2)")
    dims: tuple = (64, 128, 256)
    slope_links: tuple = ("z1z2",)
    seeds: int = 3
    finite_links: tuple = ("z1+z1z2",)
    finite_d: int = 200
    finite_seeds: int = 3
    finite_lr: float = 0.02
    finite_steps: int = 300
    finite_batch: int = 500
    finite_fit_batch: int = 2000
    trap_links: tuple = ("He3(z1)+He3(z2)", "He4(z1)+He4(z2)", "He2(z1)+He2(z2)")
    trap_seeds: int = 50
    # the slowest derived escape, He4 sum two-timescale, t ~ 1/(1152 m0^6), reaches 1e9 for
    # m0 = 0.01 (about 1% of starts at d = 256); 1e12 covers m0 >= 0.003 (fixed before measuring)
    trap_t_max: float = 1e12
    out: str | None = None

    def __post_init__(self):
        from memtheory.multi_index import LINKS

        as_int("d", self.d, 4, 10**8)
        as_int("seeds", self.seeds, 1, 1000)
        for name in (*self.links, *self.slope_links):
            if name not in LINKS:
                raise ValueError(f"links must be among {sorted(LINKS)}, got {name!r}")
        as_int("finite_d", self.finite_d, 2, 100_000)
        as_int("finite_seeds", self.finite_seeds, 2, 1000)
        as_int("finite_steps", self.finite_steps, 1, 10**7)
        as_int("finite_batch", self.finite_batch, 1, 10**6)
        as_int("finite_fit_batch", self.finite_fit_batch, 10, 10**7)
        as_float("finite_lr", self.finite_lr, 0.0, 1.0, low_open=True)
        if self.finite_d * max(self.finite_batch, self.finite_fit_batch) * 8 > 1 << 30:
            raise ValueError("finite_d x finite_fit_batch is above 1 GiB of float64")
        as_int("trap_seeds", self.trap_seeds, 1, 100_000)
        as_float("trap_t_max", self.trap_t_max, 0.0, 1e15, low_open=True)
        for name in self.trap_links:
            if name not in LINKS:
                raise ValueError(f"trap_links must be among {sorted(LINKS)}, got {name!r}")
        for name in self.finite_links:
            if name not in LINKS:
                raise ValueError(f"finite_links must be among {sorted(LINKS)}, got {name!r}")
        dims = tuple(as_int("dims", d, 4, 10**8) for d in self.dims)
        if len(dims) < 2 or list(dims) != sorted(set(dims)):
            raise ValueError(f"dims must be at least two increasing dimensions, got {self.dims}")
        object.__setattr__(self, "dims", dims)


PROFILES = {
    "quick": Config(),
    "paper": Config(
        d=1024,
        dims=(256, 512, 1024, 2048, 4096),
        slope_links=("z1z2", "z1+He3(z2)"),
        seeds=10,
        finite_links=("z1+z1z2", "z1z2"),
        finite_seeds=10,
        finite_lr=0.005,
        finite_steps=2000,
        finite_batch=2000,
        finite_fit_batch=20000,
        trap_seeds=200,
    ),
}
# quick: 70 s in the 2026-12-03 quick validation x 0.67 (cached quadrature rule: 124.4 -> 83.9
# CPU-s one thread, same machine and profiler)
EXPECTED_SECONDS = {"quick": 47.0, "paper": 3600.0}


def add_arguments(parser) -> None:
    parser.add_argument("--d", type=int, default=None, help="dimension of the flows")
