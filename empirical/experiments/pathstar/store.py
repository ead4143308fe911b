"""The path-star output folder: ``config.json``, one ``results.jsonl`` record per finished run
(resume skips the runs already there with the same config hash), ``summary.json``,
``summary.txt`` and ``summary.md``, and the paths of ``checkpoints/`` and ``figures/``. Every
write is atomic."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from empirical.running.results import append_jsonl, atomic_write_json, atomic_write_text, read_jsonl

#: config fields that do not change what a run measures (they are left out of the hash)
NOT_HASHED = frozenset(
    {
        "figures",
        "progress",
        "variants",
        "checkpoint_every",
        "device",
        "workers",
        "num_threads",
        "eval_heldout_max",
        "out",
    }
)


def config_hash(config) -> str:
    """Short hash of the fields that change the measurements: a stored record is reused only
    when it was made by a config with the same hash."""
    d = {k: v for k, v in dataclasses.asdict(config).items() if k not in NOT_HASHED}
    return hashlib.sha1(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:10]


def checkpoint_dir(out) -> Path | None:
    """Where the runs' training checkpoints go (``None`` without an output folder)."""
    return None if out is None else Path(out) / "checkpoints"


def figure_dir(out) -> Path | None:
    """Where the figures go (``None`` without an output folder)."""
    return None if out is None else Path(out) / "figures"


def start(config, chash: str) -> dict:
    """Write ``config.json`` and return the finished records of this config by run id."""
    if config.out is None:
        return {}
    out = Path(config.out)
    atomic_write_json(out / "config.json", {"config": config, "hash": chash})
    return {
        row["run_id"]: row
        for row in read_jsonl(out / "results.jsonl")
        if row.get("config_hash") == chash
    }


def save_record(config, rec: dict) -> None:
    """Append one finished run's record to ``results.jsonl``."""
    if config.out is not None:
        append_jsonl(Path(config.out) / "results.jsonl", rec)


def save_summary(config, summary: list, throughput: dict, text: str, markdown: str) -> None:
    """Write ``summary.json`` (aggregated rows, throughput), ``summary.txt`` (the report) and
    ``summary.md`` (its Markdown tables, quoted by the docs)."""
    if config.out is None:
        return
    out = Path(config.out)
    atomic_write_json(out / "summary.json", {"summary": summary, "throughput": throughput})
    atomic_write_text(out / "summary.txt", text)
    atomic_write_text(out / "summary.md", markdown)
