"""Graphs of the geometric-memory literature, as plain edge arrays.

A :class:`Graph` holds ``n`` nodes labelled ``0..n-1`` and an ``(m, 2)`` integer array of
undirected edges, each listed once in its *forward* orientation (parent -> child for trees,
``i -> i+1`` on paths and cycles, right/down on grids). Directed training examples are derived
from it by :meth:`Graph.directed_edges` (forward, backward or both, optionally with self-edges).

Source of the graphs: Noroozizadeh, Nagarajan, Rosenfeld & Kumar (2025), "Deep sequence models
tend to memorize geometrically; it is unclear why", arXiv 2510.26745, Appendix B.1 (path-star
:math:`\\mathcal{G}_{d,\\ell}`, :math:`n = 1 + d(\\ell-1)`), Appendix C.2 (tree-star,
:math:`n = 1 + d(2^{\\ell-1}-1)`) and Appendix C.3 (the tiny graphs, including the 16-node
irregular graph).
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from memtheory.checks import as_array, as_choice, as_float, as_int, as_int_array

__all__ = [
    "Graph",
    "as_graph",
    "from_edges",
    "path_star",
    "tree_star",
    "cycle",
    "path",
    "grid",
    "irregular",
    "random_graph",
    "parse_graph",
    "graph_bytes",
    "GRAPH_SPECS",
    "GRAPH_MAX_BYTES",
    "BYTES_PER_ELEMENT",
    "TINY_GRAPHS",
]

DIRECTIONS = ("forward", "backward", "both")
#: default memory bound of a graph built by this module (a parameter of every constructor)
GRAPH_MAX_BYTES = 1 << 30
#: bytes counted per node and per edge: the int64 edge array, its construction temporaries and
#: one CSR adjacency (measured peak of ``path_star`` + ``adjacency()``: about 50 per node + edge)
BYTES_PER_ELEMENT = 64
#: the paper's four tiny graphs (arXiv 2510.26745, Appendix C.3)
TINY_GRAPHS = ("path-star:4x5", "grid:4x4", "cycle:15", "irregular")
# meta entries that hold node ids, and are therefore relabelled by Graph.relabel
_NODE_META_KEYS = ("root", "arms", "leaves", "first_hops")


@dataclass(frozen=True, eq=False)
class Graph:
    """An undirected simple graph on nodes ``0..n-1``.

    Attributes:
        n: number of nodes.
        edges: ``(m, 2)`` int64 array, each undirected edge once, in forward orientation.
        name: a short label such as ``"cycle:15"`` (a label only: nothing parses it).
        meta: structure, always with ``kind`` (``"cycle"``, ``"path"``, ``"grid"``,
            ``"path-star"``, ``"tree-star"``, ``"irregular"``, ``"random"``, ``"edges"``) and the
            kind's shape (``rows``/``cols``, ``degree``/``length``, ...), e.g. path-star ``root``
            and ``arms`` (first hop -> leaf).

    The constructor is strict: it refuses self-loops, duplicate edges (in either orientation),
    ids outside ``[0, n-1]`` and non-integer ids with a ``ValueError``. :func:`from_edges` is the
    one documented path that *normalizes* an edge list (drops duplicates, keeping the first
    orientation seen) before calling it.
    """

    n: int
    edges: np.ndarray
    name: str = "graph"
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        n = as_int("n", self.n, minimum=1)
        edges = _edge_array("edges", self.edges, n)
        if edges.size and np.any(edges[:, 0] == edges[:, 1]):
            u = int(edges[np.flatnonzero(edges[:, 0] == edges[:, 1])[0], 0])
            raise ValueError(
                f"edges must not contain self-loops, got ({u}, {u}) (add self-edges at training "
                "time with directed_edges(self_edges=True))"
            )
        first = _first_occurrences(edges, n)
        if first.size != edges.shape[0]:
            dup = np.setdiff1d(np.arange(edges.shape[0]), first)[0]
            u, v = (int(x) for x in edges[dup])
            raise ValueError(
                f"edges must list each undirected edge once, got ({u}, {v}) twice (in either "
                "orientation); memtheory.graphs.from_edges drops duplicates"
            )
        meta = dict(self.meta or {})
        meta.setdefault("kind", "edges")
        object.__setattr__(self, "n", n)
        edges.setflags(write=False)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "meta", meta)

    @property
    def m(self) -> int:
        """Number of undirected edges."""
        return int(self.edges.shape[0])

    def __repr__(self) -> str:
        return f"Graph(name={self.name!r}, n={self.n}, m={self.m})"

    def adjacency(self) -> sp.csr_matrix:
        """Symmetric 0/1 adjacency matrix :math:`A` as float64 CSR (no self-loops)."""
        u, v = self.edges[:, 0], self.edges[:, 1]
        rows = np.concatenate([u, v])
        cols = np.concatenate([v, u])
        data = np.ones(rows.size, dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(self.n, self.n))

    def degrees(self) -> np.ndarray:
        """Node degrees :math:`D_{ii} = \\sum_j A_{ij}` (int64)."""
        return np.bincount(self.edges.ravel(), minlength=self.n).astype(np.int64)

    def components(self) -> np.ndarray:
        """Connected-component label of each node (labels 0..c-1)."""
        _, labels = csgraph.connected_components(self.adjacency(), directed=False)
        return labels

    def n_components(self) -> int:
        """Number of connected components."""
        return int(self.components().max()) + 1

    def is_connected(self) -> bool:
        """True when the graph has one connected component."""
        return self.n_components() == 1

    def directed_edges(self, direction: str = "both", self_edges: bool = False) -> np.ndarray:
        """Directed edge examples ``(u, v)`` as an int64 ``(k, 2)`` array.

        ``forward`` keeps each edge's stored orientation, ``backward`` reverses it, ``both``
        lists forward edges then backward edges (:math:`2m` rows); ``self_edges`` appends
        ``(u, u)`` for every node (paper v2/v3 "self-edges").
        """
        as_choice("direction", direction, DIRECTIONS)
        parts = []
        if direction in ("forward", "both"):
            parts.append(self.edges)
        if direction in ("backward", "both"):
            parts.append(self.edges[:, ::-1])
        if self_edges:
            ids = np.arange(self.n, dtype=np.int64)
            parts.append(np.stack([ids, ids], axis=1))
        return np.ascontiguousarray(np.concatenate(parts, axis=0))

    def relabel(self, perm) -> Graph:
        """Return the graph with node ``i`` renamed ``perm[i]`` (meta node ids follow)."""
        perm = as_array("perm", perm, shape=(self.n,), dtype=np.int64)
        if not np.array_equal(np.sort(perm), np.arange(self.n)):
            raise ValueError(f"perm must be a permutation of 0..{self.n - 1}")
        meta = dict(self.meta)
        for key in _NODE_META_KEYS:
            if key in meta:
                val = meta[key]
                meta[key] = int(perm[val]) if np.isscalar(val) else perm[np.asarray(val)]
        return Graph(self.n, perm[self.edges], self.name, meta)

    def with_name(self, name: str) -> Graph:
        """Copy with another name."""
        return dataclasses.replace(self, name=name)


def _edge_array(name: str, edges, n: int) -> np.ndarray:
    """``edges`` as an ``(m, 2)`` int64 array of ids in ``[0, n-1]`` (no truncation of floats)."""
    arr = as_int_array(name, edges)
    if arr.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (m, 2), got {arr.shape}")
    lo, hi = int(arr.min()), int(arr.max())
    if lo < 0 or hi >= n:
        raise ValueError(f"{name} must hold node ids in [0, {n - 1}], got [{lo}, {hi}]")
    return np.ascontiguousarray(arr)


def _first_occurrences(arr: np.ndarray, n: int) -> np.ndarray:
    """Sorted row indices of the first occurrence of each undirected edge (either orientation).

    The pair key ``min * n + max`` is used only while it fits in int64; beyond that the pairs
    are sorted lexicographically, so deduplication never overflows.
    """
    if arr.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    lo = np.minimum(arr[:, 0], arr[:, 1])
    hi = np.maximum(arr[:, 0], arr[:, 1])
    if n <= 3_037_000_499:  # n * n < 2**63
        _, first = np.unique(lo * n + hi, return_index=True)
    else:
        order = np.lexsort((hi, lo))
        new = np.ones(order.size, dtype=bool)
        new[1:] = (lo[order][1:] != lo[order][:-1]) | (hi[order][1:] != hi[order][:-1])
        # among equal pairs the stable lexsort keeps the smallest row index first
        first = order[new]
    return np.sort(first)


def graph_bytes(n: int, m: int) -> int:
    """Memory a graph of ``n`` nodes and ``m`` edges is counted at:
    ``BYTES_PER_ELEMENT * (n + m)``."""
    return BYTES_PER_ELEMENT * (int(n) + int(m))


def _bytes_text(b: float) -> str:
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.0f} B"


def _max_bytes(max_bytes):
    if max_bytes is None:
        return None
    return as_int("max_bytes", max_bytes, minimum=1)


def check_size(label: str, n: int, m: int, max_bytes=GRAPH_MAX_BYTES) -> None:
    """Raise ``ValueError`` naming ``label`` when ``graph_bytes(n, m)`` exceeds ``max_bytes``.

    Called with the sizes computed from a graph's parameters *before* anything is allocated.
    ``max_bytes=None`` disables the bound.
    """
    limit = _max_bytes(max_bytes)
    need = graph_bytes(n, m)
    if limit is not None and need > limit:
        raise ValueError(
            f"{label}: {n} nodes and {m} edges need about {_bytes_text(need)} "
            f"({BYTES_PER_ELEMENT} bytes per node and edge), above the bound max_bytes = "
            f"{_bytes_text(limit)}; pass a larger max_bytes to build it anyway"
        )


def from_edges(
    n, edges, name: str | None = None, meta: dict | None = None, *, max_bytes=GRAPH_MAX_BYTES
) -> Graph:
    """Graph on ``n`` nodes from an ``(m, 2)`` edge array: the one normalizing constructor.

    Duplicate edges (in either orientation) are dropped, keeping the first orientation seen;
    self-loops, ids outside ``[0, n-1]``, non-integer ids (``0.5``) and booleans are refused
    (add self-edges at training time with ``self_edges=True``). ``n`` and the edge count are
    checked against ``max_bytes`` (:func:`graph_bytes`) first. Deduplication cannot overflow,
    whatever ``n``.
    """
    n = as_int("n", n, minimum=1)
    arr = _edge_array("edges", edges, n)
    check_size(name or f"edges:{n}", n, arr.shape[0], max_bytes)
    if np.any(arr[:, 0] == arr[:, 1]):
        raise ValueError("edges must not contain self-loops (use self_edges=True instead)")
    meta = {"kind": "edges", **dict(meta or {})}
    return Graph(n, arr[_first_occurrences(arr, n)], name or f"edges:{n}", meta)


def path_star(degree, length, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """The path-star graph :math:`\\mathcal{G}_{d,\\ell}` (arXiv 2510.26745, Appendix B.1).

    A root with ``degree`` arms; ``length`` counts nodes from the root, so each arm has
    :math:`\\ell-1` non-root nodes, :math:`n = 1 + d(\\ell-1)` and :math:`m = d(\\ell-1)`.
    Node 0 is the root; arm ``i`` holds nodes ``1 + i(\\ell-1) .. (i+1)(\\ell-1)`` from first hop
    to leaf. ``meta`` has ``root``, ``arms`` (``(d, \\ell-1)``, first hop -> leaf), ``leaves``,
    ``first_hops``, ``degree`` and ``length``. Sizes are checked against ``max_bytes`` before
    anything is allocated (:func:`check_size`).
    """
    d = as_int("degree", degree, minimum=1)
    ell = as_int("length", length, minimum=2)
    k = ell - 1
    check_size(f"path-star:{d}x{ell}", 1 + d * k, d * k, max_bytes)
    arms = 1 + np.arange(d * k, dtype=np.int64).reshape(d, k)
    parents = np.concatenate([np.zeros((d, 1), dtype=np.int64), arms[:, :-1]], axis=1)
    edges = np.stack([parents.ravel(), arms.ravel()], axis=1)
    meta = {
        "root": 0,
        "arms": arms,
        "leaves": arms[:, -1].copy(),
        "first_hops": arms[:, 0].copy(),
        "kind": "path-star",
        "degree": d,
        "length": ell,
    }
    return Graph(1 + d * k, edges, f"path-star:{d}x{ell}", meta)


def tree_star(degree, length, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Tree-star :math:`\\mathcal{T}_{d,\\ell}` (arXiv 2510.26745, Appendix C.2).

    The root has ``degree`` children; every other non-leaf node has 2 children; root-to-leaf
    paths have ``length`` nodes. :math:`n = 1 + d(2^{\\ell-1}-1)`, with :math:`d\\,2^{\\ell-2}`
    leaves. Nodes are numbered breadth-first; ``meta`` has ``root``, ``leaves``, ``first_hops``,
    ``depth`` (per node) and ``subtree`` (index of the root's child above each node, -1 for root).
    :math:`n` doubles per level: it is computed and checked against ``max_bytes`` first.
    """
    d = as_int("degree", degree, minimum=1)
    ell = as_int("length", length, minimum=2, maximum=64)
    n_total = 1 + d * (2 ** (ell - 1) - 1)
    check_size(f"tree-star:{d}x{ell}", n_total, n_total - 1, max_bytes)
    level = np.arange(1, d + 1, dtype=np.int64)
    edges = [np.stack([np.zeros(d, dtype=np.int64), level], axis=1)]
    depth = [np.zeros(1, dtype=np.int64), np.ones(d, dtype=np.int64)]
    subtree = [np.array([-1]), np.arange(d)]
    nxt = d + 1
    for depth_i in range(2, ell):
        children = nxt + np.arange(2 * level.size, dtype=np.int64)
        edges.append(np.stack([np.repeat(level, 2), children], axis=1))
        subtree.append(np.repeat(subtree[-1], 2))
        depth.append(np.full(children.size, depth_i))
        nxt += children.size
        level = children
    meta = {
        "root": 0,
        "leaves": level.copy(),
        "first_hops": np.arange(1, d + 1, dtype=np.int64),
        "depth": np.concatenate(depth),
        "subtree": np.concatenate(subtree),
        "kind": "tree-star",
        "degree": d,
        "length": ell,
    }
    return Graph(nxt, np.concatenate(edges), f"tree-star:{d}x{ell}", meta)


def cycle(n, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Cycle :math:`C_n` with edges ``i -> (i+1) mod n`` (n >= 3; size checked first)."""
    n = as_int("n", n, minimum=3)
    check_size(f"cycle:{n}", n, n, max_bytes)
    i = np.arange(n, dtype=np.int64)
    return Graph(n, np.stack([i, (i + 1) % n], axis=1), f"cycle:{n}", {"kind": "cycle"})


def path(n, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Path graph on ``n`` nodes with edges ``i -> i+1`` (n >= 2; size checked first)."""
    n = as_int("n", n, minimum=2)
    check_size(f"path:{n}", n, n - 1, max_bytes)
    i = np.arange(n - 1, dtype=np.int64)
    return Graph(n, np.stack([i, i + 1], axis=1), f"path:{n}", {"kind": "path"})


def grid(rows, cols, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """``rows x cols`` grid, row-major labels ``r*cols + c``, edges right then down.

    ``meta`` holds ``rows`` and ``cols``; the size ``rows*cols`` is checked first.
    """
    r = as_int("rows", rows, minimum=1)
    c = as_int("cols", cols, minimum=1)
    if r * c < 2:
        raise ValueError("rows*cols must be >= 2 for a grid with an edge")
    check_size(f"grid:{r}x{c}", r * c, r * (c - 1) + (r - 1) * c, max_bytes)
    ids = np.arange(r * c, dtype=np.int64).reshape(r, c)
    right = np.stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()], axis=1)
    down = np.stack([ids[:-1, :].ravel(), ids[1:, :].ravel()], axis=1)
    meta = {"kind": "grid", "rows": r, "cols": c}
    return Graph(r * c, np.concatenate([right, down]), f"grid:{r}x{c}", meta)


def irregular() -> Graph:
    """The paper's 16-node irregular graph (released tiny-graph definition).

    Two components: nodes 0..11 form a 12-cycle with chords 1-3 and 5-8 (14 edges); nodes
    12..15 form a :math:`K_4` (6 edges); 20 edges in all.
    """
    ring = [(i, (i + 1) % 12) for i in range(12)] + [(1, 3), (5, 8)]
    k4 = [(a, b) for a in range(12, 16) for b in range(a + 1, 16)]
    return Graph(16, np.array(ring + k4, dtype=np.int64), "irregular", {"kind": "irregular"})


def random_graph(n, mean_degree, seed=0, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Seeded connected random graph with ``n`` nodes and mean degree ``mean_degree``.

    A uniformly random Hamiltonian path (``n-1`` edges, so the graph is connected) plus
    uniformly random extra node pairs until :math:`m = \\mathrm{round}(n\\,\\bar k/2)` distinct
    edges; apart from the path this is the Erdos-Renyi :math:`G(n, m)` model. Time and memory
    are proportional to :math:`n + m`: sparse graphs draw pairs and reject repeats, graphs whose
    extra edges fill more than half of the free pairs draw the *missing* pairs instead (the
    complement), so even the complete graph costs one pass. ``meta``: ``kind``, ``seed``,
    ``mean_degree``; sizes are checked against ``max_bytes`` first.
    """
    n = as_int("n", n, minimum=2)
    k = as_float("mean_degree", mean_degree, 2 * (n - 1) / n, n - 1)
    seed = as_int("seed", seed, minimum=0)
    m_target = max(n - 1, int(round(n * k / 2)))
    check_size(f"random:{n}x{k:g}:{seed}", n, m_target, max_bytes)
    rng = np.random.default_rng(seed)
    order = rng.permutation(n).astype(np.int64)
    edges = np.stack([order[:-1], order[1:]], axis=1)
    keys = np.minimum(edges[:, 0], edges[:, 1]) * n + np.maximum(edges[:, 0], edges[:, 1])
    free = n * (n - 1) // 2 - (n - 1)  # pairs not on the path
    need = m_target - (n - 1)
    if need > free // 2:
        extra = _dense_extra_keys(n, keys, need, rng)
    else:
        while keys.size < m_target:
            short = m_target - keys.size
            u = rng.integers(0, n, size=2 * short + 16)
            v = rng.integers(0, n, size=2 * short + 16)
            ok = u != v
            new = np.minimum(u[ok], v[ok]) * n + np.maximum(u[ok], v[ok])
            new = new[~np.isin(new, keys)]
            _, first = np.unique(new, return_index=True)
            new = new[np.sort(first)][:short]
            keys = np.concatenate([keys, new])
        extra = keys[n - 1 :]
    extra_edges = np.stack([extra // n, extra % n], axis=1)
    all_edges = np.concatenate([edges, extra_edges])
    meta = {"kind": "random", "seed": seed, "mean_degree": k}
    return Graph(n, all_edges, f"random:{n}x{k:g}:{seed}", meta)


def _dense_extra_keys(n: int, path_keys: np.ndarray, need: int, rng) -> np.ndarray:
    """``need`` distinct pair keys off the path, uniformly at random, in random order.

    Enumerates the free pairs once (at most twice the edges drawn, since ``need`` is more than
    half of them) and takes a uniformly random subset by a random permutation.
    """
    iu, ju = np.triu_indices(n, k=1)
    pairs = iu.astype(np.int64) * n + ju
    del iu, ju
    pairs = pairs[~np.isin(pairs, path_keys)]
    return pairs[rng.permutation(pairs.size)[:need]]


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
    limit = _max_bytes(max_bytes)
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
                    f"than the bound max_bytes = {_bytes_text(limit)} ({BYTES_PER_ELEMENT} bytes "
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
