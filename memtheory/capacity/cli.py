"""``python -m memtheory.capacity --facts 1e5 [...]``: print the capacity table (no numpy on the
default path)."""

from __future__ import annotations

import json
import math

from memtheory.capacity.constants import MAX_FACTS, TARGET_ERROR_MIN
from memtheory.capacity.table import capacity_table, format_table
from memtheory.cli import ArgumentParser

# --------------------------------------------------------------------------- CLI


def _count(flag: str, text: str, minimum: int) -> int:
    """Parse a count written ``1e5``, ``100000`` or ``1_000_000``; one-line ValueError."""
    msg = f"{flag} must be an integer in [{minimum}, 1e15], got {text!r}"
    try:
        v = int(text)
    except ValueError:
        try:
            f = float(text)
        except ValueError:
            raise ValueError(msg) from None
        if not math.isfinite(f) or f != math.floor(f):
            raise ValueError(msg) from None
        v = int(f)
    if v < minimum or v > MAX_FACTS:
        raise ValueError(msg)
    return v


def _real(
    flag: str, text: str, low: float, high: float, high_open=False, minimum: float | None = None
) -> float:
    """Parse a real in (low, high] (or [minimum, high] when ``minimum`` is given)."""
    left = f"[{minimum:g}" if minimum is not None else f"({low:g}"
    msg = f"{flag} must be a finite number in {left}, {high:g}{')' if high_open else ']'}, "
    msg += f"got {text!r}"
    try:
        v = float(text)
    except ValueError:
        raise ValueError(msg) from None
    if not math.isfinite(v) or v <= low or v > high or (high_open and v == high):
        raise ValueError(msg)
    if minimum is not None and v < minimum:
        raise ValueError(msg)
    return v


def main(argv=None) -> int:
    """``python -m memtheory.capacity --facts 1e5 [...]``: print the capacity table."""
    p = ArgumentParser(
        prog="python -m memtheory.capacity",
        description="Memory size needed to store N facts, per memory scheme, with sources.",
    )
    p.add_argument("--facts", required=True, help="number of facts N (1e5, 100000, 1_000_000)")
    p.add_argument("--answers", help="number of possible answers M (default: N, a bijection)")
    p.add_argument("--bits-per-param", help="bits per parameter of the floor (default 2)")
    p.add_argument("--zipf-alpha", help="Zipf exponent > 1 of fact frequencies (adds rows)")
    p.add_argument("--target-error", help="per-fact error in (0, 1) (finite-size rows)")
    p.add_argument("--graph", help="graph spec, e.g. path-star:5x6, cycle:15 (adds rows)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    a = p.parse_args(argv)
    n = _count("--facts", a.facts, 2)
    m = None if a.answers is None else _count("--answers", a.answers, 2)
    b = None if a.bits_per_param is None else _real("--bits-per-param", a.bits_per_param, 0, 64)
    alpha = None if a.zipf_alpha is None else _real("--zipf-alpha", a.zipf_alpha, 1, 20)
    err = (
        None
        if a.target_error is None
        else _real("--target-error", a.target_error, 0, 1, high_open=True, minimum=TARGET_ERROR_MIN)
    )
    graph = None
    if a.graph is not None:
        from memtheory.graphs import parse_graph

        try:
            graph = parse_graph(a.graph)
        except ValueError as exc:
            raise ValueError(f"--graph: {exc}") from None
    rows = capacity_table(n, m, bits_per_param=b, alpha=alpha, target_error=err, graph=graph)
    if a.json:
        print(json.dumps(rows, indent=1))
    else:
        print(format_table(rows, n, n if m is None else m))
    return 0
