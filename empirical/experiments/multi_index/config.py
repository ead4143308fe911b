"""Configuration of the multi_index experiment (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_int


@dataclass(frozen=True)
class Config:
    """Flows from a uniform start in dimension ``d`` for every link in ``links`` (two-timescale
    and planted), and escape times over the dimensions ``dims`` for the links in
    ``slope_links``; ``seeds`` starts each."""

    d: int = 256
    links: tuple = ("z1+z1z2", "z1z2", "z1+He3(z2)")
    dims: tuple = (64, 128, 256)
    slope_links: tuple = ("z1z2",)
    seeds: int = 3
    out: str | None = None

    def __post_init__(self):
        from memtheory.multi_index import LINKS

        as_int("d", self.d, 4, 10**8)
        as_int("seeds", self.seeds, 1, 1000)
        for name in (*self.links, *self.slope_links):
            if name not in LINKS:
                raise ValueError(f"links must be among {sorted(LINKS)}, got {name!r}")
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
    ),
}
EXPECTED_SECONDS = {"quick": 90.0, "paper": 3600.0}


def add_arguments(parser) -> None:
    parser.add_argument("--d", type=int, default=None, help="dimension of the flows")
