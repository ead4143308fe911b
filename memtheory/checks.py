"""Argument validation shared by every memtheory function.

Each helper raises ``ValueError`` whose message starts with the argument's name and states the
allowed range, so that a CLI can print it as one line.
"""

from __future__ import annotations

import math
import numbers

# numpy is imported inside as_array only, so that fast CLIs (memtheory.capacity) can validate
# scalars without paying numpy's import time.


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_int(name: str, value, minimum: int | None = 1, maximum: int | None = None) -> int:
    """Return ``value`` as a Python int in [minimum, maximum] or raise ``ValueError``.

    Accepts ints, integral numpy scalars and integral finite floats (``1e5``); rejects bools.
    """
    rng = _int_range(minimum, maximum)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be an integer {rng}, got {_describe(value)}")
    if isinstance(value, numbers.Integral):
        out = int(value)
    else:
        fv = float(value)
        if not math.isfinite(fv) or fv != math.floor(fv):
            raise ValueError(f"{name} must be an integer {rng}, got {_describe(value)}")
        out = int(fv)
    if (minimum is not None and out < minimum) or (maximum is not None and out > maximum):
        raise ValueError(f"{name} must be an integer {rng}, got {out}")
    return out


def _int_range(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f"in [{minimum}, {maximum}]"
    if minimum is not None:
        return f">= {minimum}"
    if maximum is not None:
        return f"<= {maximum}"
    return "(any)"


def as_float(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float in the given interval or raise ``ValueError``."""
    lo_b = "(" if low_open else "["
    hi_b = ")" if high_open else "]"
    rng = f"in {lo_b}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi_b}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number {rng}, got {_describe(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number {rng}, got {out}")
    if low is not None and (out < low or (low_open and out == low)):
        raise ValueError(f"{name} must be a finite number {rng}, got {out}")
    if high is not None and (out > high or (high_open and out == high)):
        raise ValueError(f"{name} must be a finite number {rng}, got {out}")
    return out


def as_array(
    name: str,
    value,
    *,
    ndim: int | None = None,
    shape: tuple | None = None,
    dtype=None,
):
    """Return ``value`` as a finite float64 (or ``dtype``) array with the given ndim/shape.

    ``shape`` may contain ``None`` for free axes, e.g. ``(n, None)``. ``dtype=None`` means
    float64. Strings, bytes and booleans are refused (``"10"`` is not a number of samples);
    so are non-integral or out-of-range values when ``dtype`` is an integer type (use
    :func:`as_int_array` for integer ids with a range).
    """
    import numpy as np

    if dtype is None:
        dtype = np.float64
    raw = _numeric(name, value)
    want = np.dtype(dtype)
    if raw.dtype.kind == "b" and want.kind != "b":
        raise ValueError(f"{name} must be numeric, got booleans")
    if want.kind in "iu":
        arr = _integral(name, raw, want)
    else:
        try:
            arr = raw.astype(want)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"{name} must be a numeric array, got {_describe(value)}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(
            s is not None and s != a for s, a in zip(shape, arr.shape, strict=False)
        ):
            want_s = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want_s}, got {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values (found nan or inf)")
    return arr


def as_int_array(name: str, value, minimum: int | None = None, maximum: int | None = None):
    """Return ``value`` as an int64 array with entries in [minimum, maximum].

    Integers and integral finite floats are accepted; booleans, strings, non-integral floats
    (``0.5``, ``2.7``) and values outside the range raise ``ValueError`` naming ``name``, so
    nothing is silently truncated or wrapped around.
    """
    import numpy as np

    raw = _numeric(name, value)
    if raw.dtype.kind == "b":
        raise ValueError(f"{name} must hold integers, got booleans")
    arr = _integral(name, raw, np.dtype(np.int64))
    if arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if (minimum is not None and lo < minimum) or (maximum is not None and hi > maximum):
            rng = _int_range(minimum, maximum)
            raise ValueError(f"{name} must hold integers {rng}, got values in [{lo}, {hi}]")
    return arr


def _numeric(name: str, value):
    """``np.asarray(value)``, refusing strings, bytes and other non-numeric content."""
    import numpy as np

    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be numeric, got the string {_describe(value)}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array, got {_describe(value)}") from exc
    if raw.dtype.kind == "O":
        flat = raw.ravel()
        if any(isinstance(v, (str, bytes, bool)) or not isinstance(v, numbers.Real) for v in flat):
            raise ValueError(f"{name} must be a numeric array, got {_describe(value)}")
        try:
            raw = np.asarray(flat.tolist(), dtype=np.float64).reshape(raw.shape)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"{name} must be a numeric array, got {_describe(value)}") from exc
    elif raw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got {_describe(value)} (dtype {raw.dtype})")
    return raw


def _integral(name: str, raw, want):
    """Cast ``raw`` (bool/int/float array) to integer dtype ``want`` without truncating."""
    import numpy as np

    info = np.iinfo(want)
    if raw.dtype.kind == "f":
        if not np.all(np.isfinite(raw)) or np.any(raw != np.floor(raw)):
            raise ValueError(f"{name} must hold integers (found non-integer values)")
        if raw.size and (raw.min() < info.min or raw.max() >= 2.0**63):
            raise ValueError(f"{name} must hold integers in [{info.min}, {info.max}]")
    elif raw.dtype.kind == "u" and raw.size and raw.max() > info.max:
        raise ValueError(f"{name} must hold integers <= {info.max}")
    return raw.astype(want)


def as_range(name: str, value, low: float | None = None) -> tuple[float, float]:
    """A pair ``(lo, hi)`` of finite floats with ``low <= lo <= hi``, or ``ValueError`` naming
    ``name``."""
    try:
        lo, hi = value
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}") from exc
    lo, hi = as_float(f"{name}[0]", lo, low), as_float(f"{name}[1]", hi, low)
    if hi < lo:
        raise ValueError(f"{name} must have low <= high, got {value!r}")
    return lo, hi


def as_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices`` or raise ``ValueError`` listing them."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}; got {value!r}")
    return value
