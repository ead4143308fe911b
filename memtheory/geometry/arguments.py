"""Argument checks and tolerances shared by the geometry modules."""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array

# Relative tolerance under which two scores count as tied (ranking metrics break ties
# pessimistically, so that round-off from a rotation cannot turn a tie into a "hit").
TIE_RTOL = 1e-9
# Tolerance for "orthonormal columns" in spectral_energy.


def matrix_arg(name: str, value, rows: int | None = None) -> np.ndarray:
    """A finite float64 2-D array with at least one row and column (``rows`` rows if given)."""
    arr = as_array(name, value, ndim=2, shape=None if rows is None else (rows, None))
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one row and one column, got {arr.shape}")
    return arr


def index_array(name: str, value, n: int, ndim: int | None = None) -> np.ndarray:
    """Integer node ids in ``[0, n-1]`` (integral floats accepted, other floats rejected)."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # pragma: no cover - exotic inputs
        raise ValueError(f"{name} must be an integer array of node ids") from exc
    if raw.dtype == bool or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise ValueError(f"{name} must be an integer array of node ids, got dtype {raw.dtype}")
    if np.issubdtype(raw.dtype, np.floating):
        if not np.all(np.isfinite(raw)) or np.any(raw != np.floor(raw)):
            raise ValueError(f"{name} must hold integer node ids (found non-integer values)")
    arr = raw.astype(np.int64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.min() < 0 or arr.max() >= n:
        raise ValueError(
            f"{name} must hold node ids in [0, {n - 1}], got values in [{arr.min()}, {arr.max()}]"
        )
    return arr


def edges_arg(name: str, value, n: int) -> np.ndarray:
    """A ``(k, 2)`` integer array of node ids in ``[0, n-1]``."""
    arr = index_array(name, value, n)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (k, 2), got {arr.shape}")
    return arr


def bool_arg(name: str, value) -> bool:
    """``value`` if it is a bool (numpy bools included), else ``ValueError``."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def row_norms_nonzero(X: np.ndarray, nodes: np.ndarray, what: str) -> np.ndarray:
    """Row norms of ``X``; ``ValueError`` if a row in ``nodes`` is zero (cosine undefined)."""
    norms = np.linalg.norm(X, axis=1)
    bad = np.unique(nodes[norms[nodes] == 0.0])
    if bad.size:
        raise ValueError(
            f"X must have nonzero rows at the {what} (cosine undefined); zero rows: "
            f"{bad[:10].tolist()}"
        )
    return norms
