"""Pieces of the training loop's state, shared by :func:`empirical.training.train.train` and
:func:`empirical.training.batched.train_batched`: the seeded minibatch order (resumable), SIGINT
turned into a flag checked between steps, atomic ``torch.save``, and the named profiler ranges
that ``benchmarks/pathstar_profile.py`` reads."""

from __future__ import annotations

import contextlib
import io
import signal
import threading
from pathlib import Path

import torch

from empirical.running.results import atomic_write_bytes


def atomic_torch_save(obj, path: Path) -> None:
    """``torch.save`` to a temporary file, then rename (an interrupted save leaves the old file)."""
    buf = io.BytesIO()
    torch.save(obj, buf)
    atomic_write_bytes(path, buf.getvalue())


class Batches:
    """Row indices per step: full batch, or slices of per-epoch permutations (seeded)."""

    def __init__(self, n_rows: int, batch_size: int | None, seed: int):
        self.n_rows = n_rows
        self.batch_size = None if batch_size is None or batch_size >= n_rows else batch_size
        self.generator = torch.Generator().manual_seed(seed)
        self.perm = None
        self.pos = 0

    def next(self):
        """The next minibatch's row indices (``None``: the full batch)."""
        if self.batch_size is None:
            return None
        if self.perm is None or self.pos + self.batch_size > self.n_rows:
            self.perm = torch.randperm(self.n_rows, generator=self.generator)
            self.pos = 0
        idx = self.perm[self.pos : self.pos + self.batch_size]
        self.pos += self.batch_size
        return idx

    def state(self) -> dict:
        return {"generator": self.generator.get_state(), "perm": self.perm, "pos": self.pos}

    def load(self, state: dict) -> None:
        self.generator.set_state(state["generator"])
        self.perm, self.pos = state["perm"], state["pos"]


class InterruptFlag:
    """Turns SIGINT into a flag checked between steps (main thread only)."""

    def __init__(self, active: bool):
        self.active = active and threading.current_thread() is threading.main_thread()
        self.raised = False
        self.previous = None

    def __enter__(self):
        if self.active:
            self.previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum, frame):
        self.raised = True

    def __exit__(self, *exc):
        if self.active:
            signal.signal(signal.SIGINT, self.previous)
        return False


def phase(name: str):
    """A named range for ``torch.profiler`` (``benchmarks/pathstar_profile.py`` reads them);
    a no-op unless a profiler is running."""
    if torch.autograd.profiler._is_profiler_enabled:
        return torch.profiler.record_function(name)
    return contextlib.nullcontext()
