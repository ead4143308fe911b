"""The output folder of a tiny-graphs run as a resume store: ``results.jsonl`` rows by key and
``arrays/*.npz`` (final embeddings and logits). A row's key holds a fingerprint of the settings
that made it, so a rerun with the same ``out`` reuses exactly the rows made with the same
settings and trains the rest."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

from empirical.experiments.tiny_graphs.config import NAME
from empirical.running.results import append_jsonl, atomic_save_npz, read_jsonl, record, to_jsonable


def fingerprint(obj) -> str:
    """16 hex digits of the SHA-256 of ``obj`` as sorted JSON."""
    text = json.dumps(to_jsonable(obj), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def key(*parts) -> str:
    return "|".join(str(p) for p in parts)


def array_name(spec: str, model: str, self_edges: bool, seed: int) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in spec)
    return f"{safe}__{model}__{'self' if self_edges else 'noself'}__{seed}.npz"


class Store:
    """``results.jsonl`` (and ``arrays/``) of an output folder: finished rows by key."""

    def __init__(self, out):
        self.out = None if out is None else Path(out)
        rows = read_jsonl(self.out / "results.jsonl") if self.out is not None else []
        self.rows = {r["key"]: r for r in rows if "key" in r}
        self.found = frozenset(self.rows)  # the rows an earlier run left in the folder
        self.used: set = set()

    def get(self, key):
        if key in self.rows:
            self.used.add(key)
        return self.rows.get(key)

    def reused(self, kind: str) -> int:
        """How many rows of ``kind`` were read that an earlier run had written (not this one)."""
        return sum(self.rows[k].get("kind") == kind for k in self.used & self.found)

    def add(self, row: dict, arrays: dict | None = None, name: str | None = None) -> None:
        self.rows[row["key"]] = row
        if self.out is None:
            return
        if arrays is not None:
            atomic_save_npz(self.out / "arrays" / name, **arrays)
        append_jsonl(self.out / "results.jsonl", row)

    def arrays(self, name: str):
        if self.out is None or not (self.out / "arrays" / name).exists():
            return None
        with np.load(self.out / "arrays" / name) as z:
            return {k: z[k] for k in z.files}


def flat(row: dict) -> dict:
    """A results.jsonl row of kind ``run`` as a flat record (``graph, model, self_edges, seed``
    and the final metrics at top level; ``history`` and ``config`` kept)."""
    out = {k: row[k] for k in ("graph", "model", "self_edges", "seed")}
    out.update(row["metrics"])
    out["history"] = row["history"]
    out["config"] = row["config"]
    return out


def stored_rows(store, timing, cell, keys, train, kind, **fields) -> list[dict]:
    """The stored rows of every seed in ``keys`` (``{seed: key}``, in order), after training the
    seeds that have none with ``train(todo)`` (results ``{"seed", "final", "seconds"}``, and
    ``"history"`` when the trainer keeps one) and storing one record of ``kind`` for each."""
    todo = [s for s in keys if store.get(keys[s]) is None]
    if todo:
        t1 = time.perf_counter()
        for res in train(todo):
            s = res["seed"]
            history = {"history": res["history"]} if "history" in res else {}
            store.add(
                record(
                    NAME,
                    cell,
                    res["final"],
                    seed=s,
                    wall_time=res["seconds"],
                    kind=kind,
                    key=keys[s],
                    **fields,
                    **history,
                )
            )
        timing["train_s"] += time.perf_counter() - t1
    return [store.get(keys[s]) for s in keys]
