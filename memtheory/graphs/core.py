"""The :class:`Graph` type, its one normalizing constructor :func:`from_edges`, and the memory
bound every constructor checks before allocating (:func:`check_size`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from memtheory.checks import as_array, as_choice, as_int, as_int_array

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
        edges = edge_array("edges", self.edges, n)
        if edges.size and np.any(edges[:, 0] == edges[:, 1]):
            u = int(edges[np.flatnonzero(edges[:, 0] == edges[:, 1])[0], 0])
            raise ValueError(
                f"edges must not contain self-loops, got ({u}, {u}) (add self-edges at training "
                "time with directed_edges(self_edges=True))"
            )
        first = first_occurrences(edges, n)
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


def edge_array(name: str, edges, n: int) -> np.ndarray:
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


def first_occurrences(arr: np.ndarray, n: int) -> np.ndarray:
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


def bytes_text(b: float) -> str:
    """``b`` bytes as a short text (``1.5 GiB``)."""
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.0f} B"


def max_bytes_arg(max_bytes):
    """``max_bytes`` checked as a positive int, or ``None`` (no bound)."""
    if max_bytes is None:
        return None
    return as_int("max_bytes", max_bytes, minimum=1)


def check_size(label: str, n: int, m: int, *, max_bytes=GRAPH_MAX_BYTES) -> None:
    """Raise ``ValueError`` naming ``label`` when ``graph_bytes(n, m)`` exceeds ``max_bytes``.

    Called with the sizes computed from a graph's parameters *before* anything is allocated.
    ``max_bytes=None`` disables the bound.
    """
    limit = max_bytes_arg(max_bytes)
    need = graph_bytes(n, m)
    if limit is not None and need > limit:
        raise ValueError(
            f"{label}: {n} nodes and {m} edges need about {bytes_text(need)} "
            f"({BYTES_PER_ELEMENT} bytes per node and edge), above the bound max_bytes = "
            f"{bytes_text(limit)}; pass a larger max_bytes to build it anyway"
        )


def from_edges(
    n, edges, *, name: str | None = None, meta: dict | None = None, max_bytes=GRAPH_MAX_BYTES
) -> Graph:
    """Graph on ``n`` nodes from an ``(m, 2)`` edge array: the one normalizing constructor.

    Duplicate edges (in either orientation) are dropped, keeping the first orientation seen;
    self-loops, ids outside ``[0, n-1]``, non-integer ids (``0.5``) and booleans are refused
    (add self-edges at training time with ``self_edges=True``). ``n`` and the edge count are
    checked against ``max_bytes`` (:func:`graph_bytes`) first. Deduplication cannot overflow,
    whatever ``n``.
    """
    n = as_int("n", n, minimum=1)
    arr = edge_array("edges", edges, n)
    check_size(name or f"edges:{n}", n, arr.shape[0], max_bytes=max_bytes)
    if np.any(arr[:, 0] == arr[:, 1]):
        raise ValueError("edges must not contain self-loops (use self_edges=True instead)")
    meta = {"kind": "edges", **dict(meta or {})}
    return Graph(n, arr[first_occurrences(arr, n)], name or f"edges:{n}", meta)
