"""Result files: atomic writes, one JSON line per result, and the versions that made it.

Every experiment writes through these helpers so that an interrupted run never leaves a
half-written file: data go to a temporary file in the same folder, which is then renamed.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np


def _file_mode() -> int:
    """Permissions a plain ``open(path, "w")`` would give (mkstemp's are 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, _file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then rename)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def new_figure(nrows: int = 1, ncols: int = 1, **subplots_kw):
    """``(figure, axes)`` like ``plt.subplots``, but outside pyplot: the figure is not registered
    with pyplot and renders through the Agg canvas, so a library call never switches or touches
    the backend a user (a notebook) has chosen. Save it with :func:`atomic_save_figure`."""
    from matplotlib.figure import Figure

    figsize = subplots_kw.pop("figsize", None)
    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **subplots_kw)


def atomic_save_figure(fig, path, dpi: int = 100) -> Path:
    """Render matplotlib figure ``fig`` to ``path`` atomically (format from the suffix); a
    pyplot figure is closed afterwards."""
    import io
    import sys

    buf = io.BytesIO()
    fig.savefig(buf, dpi=dpi, format=Path(path).suffix.lstrip(".") or "png")
    plt = sys.modules.get("matplotlib.pyplot")
    number = getattr(fig, "number", None)  # set only on figures pyplot manages
    if plt is not None and number is not None and plt.fignum_exists(number):
        plt.close(fig)
    return atomic_write_bytes(path, buf.getvalue())


def check_out_dir(path, flag: str = "--out") -> Path:
    """Make sure ``path`` is (or can be made) a writable folder before any work starts.

    Raises ``ValueError`` naming ``flag`` when it is a file, cannot be created or is not
    writable, so that a long run never dies at its first write.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ValueError(f"{flag} {path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path, prefix=".write-check.", suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise ValueError(f"{flag} {path}: cannot write there ({exc.strerror or exc})") from exc
    return path


def to_jsonable(obj):
    """Convert dataclasses, numpy scalars/arrays, paths and non-finite floats to JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, Path):
        return str(obj)
    return obj


def atomic_write_json(path, obj, indent: int | None = 2) -> Path:
    """Write ``obj`` as JSON atomically."""
    return atomic_write_text(path, json.dumps(to_jsonable(obj), indent=indent) + "\n")


def atomic_write_jsonl(path, rows) -> Path:
    """Write an iterable of records as JSON lines, atomically (the whole file is replaced)."""
    text = "".join(json.dumps(to_jsonable(r)) + "\n" for r in rows)
    return atomic_write_text(path, text)


def append_jsonl(path, row) -> Path:
    """Append one record to a JSON-lines file, atomically (read, extend, replace)."""
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    return atomic_write_text(path, old + json.dumps(to_jsonable(row)) + "\n")


def read_jsonl(path) -> list[dict]:
    """Read a JSON-lines file of records (objects); a missing file reads as no rows.

    Raises ``ValueError`` naming the file and line for undecodable text, a line that is not
    JSON, or a line that is not an object.
    """
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a UTF-8 JSON-lines file ({exc.reason})") from exc
    rows = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{i}: not a JSON line ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{i}: expected a JSON object, got {type(row).__name__}")
        rows.append(row)
    return rows


def atomic_save_npz(path, **arrays) -> Path:
    """``numpy.savez_compressed`` to ``path`` atomically."""
    import io

    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return atomic_write_bytes(path, buf.getvalue())


def write_topic_outputs(out, result: dict, topic: str) -> dict:
    """Write a topic's ``result.json``, ``summary.md`` (``TOPIC.report.summary_markdown``) and
    figures (``TOPIC.figures.save_figures``, if the topic has it) into ``out``, atomically; the
    figures' names go into ``result["figures"]``. Returns ``result``."""
    import importlib

    out = Path(out)
    pkg = f"empirical.experiments.{topic}"
    try:
        figures = importlib.import_module(f"{pkg}.figures")
    except ModuleNotFoundError:
        figures = None
    if figures is not None:
        result["figures"] = figures.save_figures(result, out)
    report = importlib.import_module(f"{pkg}.report")
    atomic_write_json(out / "result.json", result)
    atomic_write_text(out / "summary.md", report.summary_markdown(result))
    return result


def versions() -> dict:
    """Versions of Python and the packages that produce numbers here."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for mod in ("numpy", "scipy", "torch", "sympy", "memtheory"):
        m = sys.modules.get(mod)
        if m is None and mod in ("torch", "sympy"):
            continue  # not loaded, so it made none of these numbers (and importing costs seconds)
        if m is None:
            try:
                m = __import__(mod)
            except ImportError:
                continue
        out[mod] = getattr(m, "__version__", "?")
    return out


def record(experiment: str, config, metrics: dict, *, seed=None, wall_time=None, **extra) -> dict:
    """One result row: experiment name, full config, seed, metrics, versions and wall time."""
    row = {"experiment": experiment, "config": to_jsonable(config), "seed": seed}
    row.update(to_jsonable(extra))
    row["metrics"] = to_jsonable(metrics)
    row["versions"] = versions()
    row["wall_time"] = wall_time
    return row
