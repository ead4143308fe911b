"""Where and how torch runs: device choice, seeding, thread count, evaluation mode.

One home for these so that every experiment selects ``cuda`` the same way, seeds the same RNGs
and measures in evaluation mode without leaking state into training.
"""

from __future__ import annotations

import contextlib
import random

import numpy as np
import torch

from memtheory.checks import as_choice, as_int

DEVICES = ("cpu", "cuda", "auto")


def resolve_device(name: str = "cpu") -> torch.device:
    """``"cpu"``, ``"cuda"`` (error if absent) or ``"auto"`` (cuda when available)."""
    as_choice("device", name, DEVICES)
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but torch.cuda.is_available() is False")
    return torch.device(name)


def set_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global RNG and torch (CPU and CUDA)."""
    seed = as_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 (the global RNG is what is seeded)
    torch.manual_seed(seed)


@contextlib.contextmanager
def torch_threads(n: int):
    """Run a block with ``torch.set_num_threads(n)``, restoring the previous value after."""
    old = torch.get_num_threads()
    torch.set_num_threads(as_int("threads", n, minimum=1))
    try:
        yield
    finally:
        torch.set_num_threads(old)


@contextlib.contextmanager
def eval_mode(model):
    """``model.eval()`` and ``torch.no_grad()`` for a block; the previous mode is restored."""
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    try:
        with torch.no_grad():
            yield model
    finally:
        if was_training:
            model.train()
