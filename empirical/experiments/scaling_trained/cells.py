"""Expand the grid into cells, pick a shard, and train a chunk of cells (a job's work).

A cell is the dict of a :class:`empirical.models.memories.zipf_memory.MemoryCell`'s fields; its
key is that dict as canonical JSON, so a finished cell is recognized on resume whatever job ran
it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

from empirical.experiments.scaling_trained.config import FIRST_SEED, TrainedConfig

#: the cell fields a grid sets (the rest come from the config or MemoryCell's defaults)
AXES = ("dim", "lr", "batch", "samples", "optimizer", "model", "layer_norm")


def expand(config: TrainedConfig) -> list[dict]:
    """Every cell of every grid, for every seed, in order, without duplicates (a cell in two
    grids is trained once). Each cell is a dict of ``MemoryCell`` fields plus ``grids`` (the
    names of the grids it belongs to)."""
    cells: dict[str, dict] = {}
    for grid in config.grids:
        axes = (
            grid.dims,
            grid.lrs,
            grid.batches,
            grid.samples,
            grid.optimizers,
            grid.models,
            grid.layer_norms,
        )
        seeds = range(grid.seeds or config.seeds)
        for seed_i, values in itertools.product(seeds, itertools.product(*axes)):
            cell = dict(zip(AXES, values, strict=True))
            cell.update(
                seed=FIRST_SEED + seed_i,
                tokens=config.tokens,
                answers=config.answers,
                alpha=config.alpha,
                w_init=config.w_init,
                betas=list(config.betas),
            )
            k = key(cell)
            if k in cells:
                if grid.name not in cells[k]["grids"]:
                    cells[k]["grids"].append(grid.name)
            else:
                cells[k] = dict(cell, grids=[grid.name])
    return list(cells.values())


def key(cell: dict) -> str:
    """Canonical identity of a cell: its MemoryCell fields as sorted JSON (not its grids)."""
    fields = {k: v for k, v in cell.items() if k in _CELL_FIELDS}
    fields["lr"] = float(fields["lr"])
    fields["alpha"] = float(fields["alpha"])
    fields["betas"] = [float(b) for b in fields["betas"]]
    return json.dumps(fields, sort_keys=True)


_CELL_FIELDS = set(AXES) | {"seed", "tokens", "answers", "alpha", "w_init", "betas"}


def shard(cells: list, index: int, count: int) -> list:
    """The cells ``i`` with ``i % count == index`` (task ``index`` of ``count``)."""
    return [c for i, c in enumerate(cells) if i % count == index]


def chunks(cells: list, size: int) -> list[list]:
    """Consecutive chunks of at most ``size`` cells."""
    return [cells[i : i + size] for i in range(0, len(cells), size)]


def chunk_name(cells: list[dict]) -> str:
    """File name of a chunk's rows: a hash of its cell keys (unique per content)."""
    h = hashlib.sha1("\n".join(key(c) for c in cells).encode()).hexdigest()[:16]
    return f"cells-{h}.jsonl"


def run_chunk(cells: list[dict], device: str = "cpu", out_dir: str | None = None) -> list[dict]:
    """Train ``cells`` one after another on one thread; with ``out_dir`` write their rows (one
    JSON line per cell) to ``out_dir/<chunk_name>`` atomically once all are done. Returns the
    rows: the cell's fields, its ``grids``, the measured errors, ``steps``, ``initial_error``,
    ``final_loss``, ``wall_time``."""
    from empirical.models.memories.zipf_memory import MemoryCell, train_cell
    from empirical.running.results import atomic_write_jsonl
    from empirical.running.runtime import resolve_device, torch_threads

    dev = str(resolve_device(device))
    rows = []
    with torch_threads(1):
        for c in cells:
            fields = {k: v for k, v in c.items() if k in _CELL_FIELDS}
            fields["betas"] = tuple(fields["betas"])
            row = train_cell(MemoryCell(**fields), device=dev)
            row["grids"] = list(c["grids"])
            rows.append(row)
    if out_dir is not None:
        atomic_write_jsonl(Path(out_dir) / chunk_name(cells), rows)
    return rows


def finished(out_dir) -> dict[str, dict]:
    """The rows already written under ``out_dir`` (the resume store), by cell key."""
    from empirical.running.results import read_jsonl

    done = {}
    folder = Path(out_dir)
    if folder.is_dir():
        for path in sorted(folder.glob("cells-*.jsonl")):
            for row in read_jsonl(path):
                done[key(row)] = row
    return done
