"""The grid of trained memories and its profiles (no torch)."""

from __future__ import annotations

import dataclasses
import itertools

from memtheory.checks import as_choice, as_float, as_int

MODELS = ("matrix", "learnable", "exponential")
OPTIMIZERS = ("sgd", "adam")
EXECUTORS = ("serial", "local", "submitit", "submitit-local")
#: the paper's seeds are 42, 43, ... (its runner's grid)
FIRST_SEED = 42
#: how many cells a grid may expand to (the paper's full grid is 40,320)
MAX_CELLS = 1_000_000


def _tuple(name, values, convert):
    if isinstance(values, (str, bytes)) or not isinstance(values, (tuple, list)) or not values:
        raise ValueError(f"{name} must be a non-empty tuple")
    out = tuple(convert(v) for v in values)
    if len(set(out)) != len(out):
        raise ValueError(f"{name} must not repeat a value, got {out}")
    return out


def _bool(name):
    def convert(v):
        if not isinstance(v, bool):
            raise ValueError(f"{name} must hold True/False, got {v!r}")
        return v

    return convert


@dataclasses.dataclass(frozen=True)
class Grid:
    """One product of axes (a slice of the paper's grid): every combination is a cell, for
    each of ``seeds`` seeds (None: the config's ``seeds``). ``samples`` = T, each a multiple of
    every batch size."""

    name: str
    dims: tuple[int, ...]
    lrs: tuple[float, ...]
    batches: tuple[int, ...]
    samples: tuple[int, ...]
    optimizers: tuple[str, ...] = ("sgd",)
    models: tuple[str, ...] = ("matrix",)
    layer_norms: tuple[bool, ...] = (False,)
    seeds: int | None = None

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"grid name must be a non-empty string, got {self.name!r}")
        put("dims", _tuple("dims", self.dims, lambda v: as_int("dims", v, 1, 10_000)))
        put("lrs", _tuple("lrs", self.lrs, lambda v: as_float("lrs", v, 0.0, None, low_open=True)))
        put("batches", _tuple("batches", self.batches, lambda v: as_int("batches", v, 1)))
        put("samples", _tuple("samples", self.samples, lambda v: as_int("samples", v, 1, 10**8)))
        for T, B in itertools.product(self.samples, self.batches):
            if T % B:
                raise ValueError(f"samples {T} must be a multiple of every batch size (got {B})")
        put(
            "optimizers",
            _tuple("optimizers", self.optimizers, lambda v: as_choice("optimizers", v, OPTIMIZERS)),
        )
        put("models", _tuple("models", self.models, lambda v: as_choice("models", v, MODELS)))
        put("layer_norms", _tuple("layer_norms", self.layer_norms, _bool("layer_norms")))
        if self.seeds is not None:
            put("seeds", as_int("seeds", self.seeds, 1, 1000))

    @property
    def size(self) -> int:
        """Cells per seed."""
        return (
            len(self.dims)
            * len(self.lrs)
            * len(self.batches)
            * len(self.samples)
            * len(self.optimizers)
            * len(self.models)
            * len(self.layer_norms)
        )


@dataclasses.dataclass(frozen=True)
class TrainedConfig:
    """The grids, the fixed task (N = ``tokens``, M = ``answers``, Zipf ``alpha``), the
    initialization of W, Adam's betas, ``seeds`` (42, 43, ...), and how the cells run.

    ``shard``/``num_shards``: this process runs the cells whose index ``i`` (in the expanded,
    de-duplicated grid) has ``i % num_shards == shard`` (the paper's runner shards by task id
    the same way). ``executor``: ``serial`` (this process), ``local`` (processes),
    ``submitit`` (a SLURM job array; local processes without SLURM) or ``submitit-local``;
    ``cells_per_job`` cells per job; ``workers`` processes (default: the CPU cores).
    ``out``: folder of ``cells/*.jsonl`` (the resume store), ``results.jsonl``, the figures and
    ``summary.md``.
    """

    grids: tuple[Grid, ...]
    seeds: int = 3
    tokens: int = 100
    answers: int = 5
    alpha: float = 2.0
    w_init: str = "gaussian"
    betas: tuple[float, float] = (0.0, 0.0)
    shard: int = 0
    num_shards: int = 1
    executor: str = "serial"
    workers: int | None = None
    cells_per_job: int = 64
    device: str = "cpu"
    progress: bool = False
    out: str | None = None

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        if not isinstance(self.grids, (tuple, list)) or not self.grids:
            raise ValueError("grids must be a non-empty tuple of Grid")
        if not all(isinstance(g, Grid) for g in self.grids):
            raise ValueError("grids must hold Grid instances")
        put("grids", tuple(self.grids))
        put("seeds", as_int("seeds", self.seeds, 1, 1000))
        put("tokens", as_int("tokens", self.tokens, 2, 10**6))
        put("answers", as_int("answers", self.answers, 2, self.tokens))
        put("alpha", as_float("alpha", self.alpha, 0.0, 20.0))
        as_choice("w_init", self.w_init, ("gaussian", "zero"))
        if not isinstance(self.betas, (tuple, list)) or len(self.betas) != 2:
            raise ValueError(f"betas must be a pair in [0, 1), got {self.betas!r}")
        put("betas", tuple(as_float("betas", b, 0.0, 1.0, high_open=True) for b in self.betas))
        put("num_shards", as_int("num_shards", self.num_shards, 1))
        put("shard", as_int("shard", self.shard, 0, self.num_shards - 1))
        as_choice("executor", self.executor, EXECUTORS)
        if self.workers is not None:
            put("workers", as_int("workers", self.workers, 1))
        put("cells_per_job", as_int("cells_per_job", self.cells_per_job, 1))
        as_choice("device", self.device, ("cpu", "cuda", "auto"))
        if not isinstance(self.progress, bool):
            raise ValueError(f"progress must be True or False, got {self.progress!r}")
        if self.out is not None and not isinstance(self.out, str):
            raise ValueError(f"out must be a folder path (str) or None, got {self.out!r}")
        total = sum(g.size * (g.seeds or self.seeds) for g in self.grids)
        if total > MAX_CELLS:
            raise ValueError(f"the grids expand to {total} cells, more than {MAX_CELLS}")


def add_arguments(parser) -> None:
    """The grid's own flags (sharding and executor)."""
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        default=None,
        help="serial (default), local processes, or submitit (SLURM job array)",
    )
    parser.add_argument("--workers", type=int, default=None, help="parallel processes or jobs")
    parser.add_argument(
        "--shard", type=int, default=None, help="run only the cells i with i %% num-shards == shard"
    )
    parser.add_argument(
        "--num-shards", dest="num_shards", type=int, default=None, help="number of shards"
    )
    parser.add_argument(
        "--cells-per-job", dest="cells_per_job", type=int, default=None, help="cells per job"
    )


# --- the paper's grid (its released runner) and the quick slices

PAPER_GRID = Grid(
    name="paper",
    dims=(10, 20, 50, 100, 200, 500, 1000),
    lrs=(0.1, 1.0, 10.0, 100.0),
    batches=(16, 64, 256, 1024),
    samples=(1024, 10240, 102400),
    optimizers=("sgd", "adam"),
    models=("matrix", "exponential", "learnable"),
    layer_norms=(False, True),
)

#: the grid on which the SGD-as-a-scheme agreement rule was found (claims test it elsewhere)
DISCOVERY_GRID = "sgd-map"

QUICK_GRIDS = (
    # error against d, SGD and Adam in the paper's large-batch setting (10 seeds, as the paper)
    Grid("d", (10, 20, 50, 100, 200), (0.1,), (1024,), (102400,), ("sgd", "adam"), seeds=10),
    # error against T: the matrix memory, and learned embeddings against the statistical floor
    Grid("T", (100,), (0.1,), (1024,), (1024, 10240, 102400), seeds=10),
    Grid("T-learned", (100,), (1.0,), (16,), (1024, 10240), models=("learnable",), seeds=5),
    # the SGD-as-a-scheme map across (d, B, lr): where the rule was found ...
    Grid(DISCOVERY_GRID, (10, 100, 200), (0.1, 1.0, 10.0, 100.0), (16, 64, 1024), (10240,)),
    # ... and cells not used to find it
    Grid("sgd-map-test", (20, 500), (0.1, 100.0), (256, 1024), (1024, 102400)),
    # Adam against SGD at equal (B, lr, T), large batches
    Grid("optimizers", (100,), (0.1, 1.0, 10.0, 100.0), (256, 1024), (102400,), ("sgd", "adam")),
)

# rough wall time on 2 idle CPU cores (paper: the full grid, for a cluster)
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 59, "paper": 40320 * 5}

PROFILES = {
    "quick": TrainedConfig(grids=QUICK_GRIDS, seeds=3),
    "paper": TrainedConfig(grids=(PAPER_GRID,), seeds=10, executor="submitit", cells_per_job=100),
}
