"""Argument checks shared by the dynamics modules: matrices, probability vectors, labels."""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array

# Largest number of GD steps any simulator accepts (keeps a typo from hanging a session).
MAX_STEPS = 10_000_000
# Tolerance on sum(p) == 1.
PROB_SUM_ATOL = 1e-8


def matrix_arg(name: str, value, shape: tuple) -> np.ndarray:
    """A finite float64 matrix of the given ``shape`` (``None`` = free axis), non-empty."""
    arr = as_array(name, value, ndim=2, shape=shape)
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one row and one column, got {arr.shape}")
    return arr


def probabilities_arg(name: str, value, n: int | None = None, *, normalized: bool = True):
    """A non-negative float64 vector (of length ``n``), summing to 1 when ``normalized``."""
    arr = as_array(name, value, ndim=1, shape=None if n is None else (n,))
    if arr.size < 1:
        raise ValueError(f"{name} must be non-empty")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative (found {arr.min()!r})")
    if normalized and abs(arr.sum() - 1.0) > PROB_SUM_ATOL:
        raise ValueError(f"{name} must sum to 1 (within {PROB_SUM_ATOL}), got {arr.sum()!r}")
    return arr


def labels_arg(name: str, value, n: int, m: int) -> np.ndarray:
    """``n`` integer labels in ``[0, m-1]`` (integral floats accepted, bools refused)."""
    raw = np.asarray(value)
    if raw.dtype == bool or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise ValueError(f"{name} must be an integer array with values in [0, {m - 1}]")
    if np.issubdtype(raw.dtype, np.floating) and (
        not np.all(np.isfinite(raw)) or np.any(raw != np.floor(raw))
    ):
        raise ValueError(f"{name} must hold integers in [0, {m - 1}] (found non-integer values)")
    arr = raw.astype(np.int64)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if np.any(arr < 0) or np.any(arr >= m):
        raise ValueError(f"{name} must hold integers in [0, {m - 1}]")
    return arr
