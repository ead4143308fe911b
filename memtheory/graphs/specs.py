"""Graph specs (``cycle:15``, ``path-star:5x6``, ...) and edge-list files, and
:func:`as_graph`, the one entry point every memtheory function that takes a graph uses."""

from __future__ import annotations

import os
import re

import numpy as np

from memtheory.graphs.core import (
    BYTES_PER_ELEMENT,
    GRAPH_MAX_BYTES,
    Graph,
    bytes_text,
    from_edges,
    max_bytes_arg,
)
from memtheory.graphs.families import (
    cycle,
    grid,
    irregular,
    path,
    path_star,
    random_graph,
    tree_star,
)

GRAPH_SPECS = (
    "cycle:N",
    "path:N",
    "grid:RxC",
    "path-star:DEGREExLENGTH",
    "tree-star:DEGREExLENGTH",
    "irregular",
    "random:NxMEANDEGREE[:SEED]",
    "an edge-list file (one 'u v', 'u,v' or 'u=v' per line, '#' comments)",
)


_ID = re.compile(r"-?[0-9]+")
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c")
_SPLIT = re.compile(r"[ \t,=]+")


def _read_edge_file(filename: str, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Edge list of a text file: node ids are ASCII integers in ``[0, n-1]``, ``n = max id + 1``.

    Every error names the file and line. The ids are bounded *while reading* by what
    ``max_bytes`` allows (the largest id fixes ``n``), so a stray id such as ``10**12`` is
    refused at its line instead of allocating; a binary or non-ASCII file is named as such.
    """
    limit = max_bytes_arg(max_bytes)
    max_elements = None if limit is None else limit // BYTES_PER_ELEMENT
    rows = []
    try:
        fh = open(filename, "rb")
    except OSError as exc:
        raise ValueError(f"graph file {filename}: cannot be read ({exc.strerror})") from None
    with fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"graph file {filename}:{lineno}"
            bad = next((b for b in raw if b > 127 or (b < 32 and b not in _TEXT_CONTROLS)), None)
            if bad is not None:
                what = "is not ASCII" if bad > 127 else "is a control character"
                raise ValueError(
                    f"{where}: not a text edge list (byte 0x{bad:02x} {what}: a binary file?); "
                    "expected two integer node ids per line"
                )
            line = raw.decode("ascii").split("#", 1)[0].strip()
            if not line:
                continue
            parts = _SPLIT.split(line)
            if len(parts) != 2 or not all(_ID.fullmatch(q) for q in parts):
                shown = line if len(line) <= 40 else line[:37] + "..."
                raise ValueError(f"{where}: expected two integer node ids, got {shown!r}")
            u, v = (int(q) if len(q) <= 30 else 10**30 for q in parts)
            if u < 0 or v < 0:
                raise ValueError(f"{where}: node ids must be >= 0, got {min(u, v)}")
            if max_elements is not None and (max(u, v) + 1 + len(rows) + 1 > max_elements):
                raise ValueError(
                    f"{where}: node id {max(u, v)} (or the edge count) makes the graph larger "
                    f"than the bound max_bytes = {bytes_text(limit)} ({BYTES_PER_ELEMENT} bytes "
                    "per node and edge); relabel the node ids to 0..n-1"
                )
            rows.append((u, v))
    if not rows:
        raise ValueError(f"graph file {filename} holds no edges")
    arr = np.array(rows, dtype=np.int64)
    selfloop = np.flatnonzero(arr[:, 0] == arr[:, 1])
    if selfloop.size:
        raise ValueError(
            f"graph file {filename}: self-loop ({arr[selfloop[0], 0]}, {arr[selfloop[0], 0]}) "
            "(self-edges are added at training time, not stored in the graph)"
        )
    name = os.path.basename(filename)
    return from_edges(
        int(arr.max()) + 1,
        arr,
        name=name,
        meta={"kind": "edges", "file": filename},
        max_bytes=max_bytes,
    )


_DIGITS = re.compile(r"[0-9]{1,30}")


def parse_graph(spec: str, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Build a graph from a CLI spec such as ``cycle:15``, ``grid:4x4``, ``path-star:5x6``.

    Accepted forms: see :data:`GRAPH_SPECS`. A spec that names an existing file is read as an
    edge list (duplicates in either orientation are merged). The graph's size is computed from
    the spec and checked against ``max_bytes`` (default :data:`GRAPH_MAX_BYTES`,
    :func:`graph_bytes`) before anything is allocated; errors name the spec.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"graph must be a non-empty spec string, one of: {'; '.join(GRAPH_SPECS)}")
    spec = spec.strip()
    if os.path.isfile(spec):
        return _read_edge_file(spec, max_bytes)
    kind, _, arg = spec.partition(":")
    kind = kind.lower()

    def dims(text, count):
        parts = text.lower().split("x")
        if len(parts) != count or not all(_DIGITS.fullmatch(p.strip()) for p in parts):
            raise ValueError(f"graph spec {spec!r}: expected {kind}:{'x'.join(['INT'] * count)}")
        return [int(p) for p in parts]

    try:
        if kind == "cycle":
            return cycle(*dims(arg, 1), max_bytes=max_bytes)
        if kind == "path":
            return path(*dims(arg, 1), max_bytes=max_bytes)
        if kind == "grid":
            return grid(*dims(arg, 2), max_bytes=max_bytes)
        if kind in ("path-star", "pathstar", "star"):
            return path_star(*dims(arg, 2), max_bytes=max_bytes)
        if kind in ("tree-star", "treestar"):
            return tree_star(*dims(arg, 2), max_bytes=max_bytes)
        if kind == "irregular" and not arg:
            return irregular()
        if kind == "random":
            size, _, seed = arg.partition(":")
            parts = size.lower().split("x")
            if (
                len(parts) != 2
                or not _DIGITS.fullmatch(parts[0])
                or (seed and not _DIGITS.fullmatch(seed))
            ):
                raise ValueError(f"graph spec {spec!r}: expected random:NxMEANDEGREE[:SEED]")
            try:
                k = float(parts[1])
            except ValueError:
                raise ValueError(
                    f"graph spec {spec!r}: expected random:NxMEANDEGREE[:SEED]"
                ) from None
            return random_graph(
                int(parts[0]), k, seed=int(seed) if seed else 0, max_bytes=max_bytes
            )
    except ValueError as exc:
        text = str(exc)
        raise ValueError(text if spec in text else f"graph spec {spec!r}: {text}") from None
    raise ValueError(f"graph spec {spec!r} not understood; use one of: {'; '.join(GRAPH_SPECS)}")


def as_graph(graph, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """A :class:`Graph` as is, or a spec string built by :func:`parse_graph`.

    The one entry point every memtheory function that takes a ``graph`` goes through, so
    ``graph_storage("cycle:6")`` and ``graph_storage(cycle(6))`` agree.
    """
    if isinstance(graph, Graph):
        return graph
    if isinstance(graph, str):
        return parse_graph(graph, max_bytes=max_bytes)
    raise ValueError(
        "graph must be a memtheory.graphs.Graph or a spec string such as 'cycle:15' "
        f"({'; '.join(GRAPH_SPECS[:-1])}; or an edge-list file), got {type(graph).__name__}"
    )
