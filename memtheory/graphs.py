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

from memtheory.checks import as_array, as_choice, as_float, as_int

__all__ = [
    "Graph",
    "from_edges",
    "path_star",
    "tree_star",
    "cycle",
    "path",
    "grid",
    "irregular",
    "random_graph",
    "parse_graph",
    "GRAPH_SPECS",
]

DIRECTIONS = ("forward", "backward", "both")
# meta entries that hold node ids, and are therefore relabelled by Graph.relabel
_NODE_META_KEYS = ("root", "arms", "leaves", "first_hops")


@dataclass(frozen=True, eq=False)
class Graph:
    """An undirected simple graph on nodes ``0..n-1``.

    Attributes:
        n: number of nodes.
        edges: ``(m, 2)`` int64 array, each undirected edge once, in forward orientation.
        name: a short label such as ``"cycle:15"``.
        meta: extra structure, e.g. path-star ``root`` and ``arms`` (first hop -> leaf).
    """

    n: int
    edges: np.ndarray
    name: str = "graph"
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        n = as_int("n", self.n, minimum=1)
        edges = np.asarray(self.edges, dtype=np.int64).reshape(-1, 2)
        object.__setattr__(self, "n", n)
        edges.setflags(write=False)
        object.__setattr__(self, "edges", edges)

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


def _clean_edges(n: int, edges, name: str = "edges") -> np.ndarray:
    arr = as_array(name, edges, dtype=np.int64)
    if arr.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (m, 2), got {arr.shape}")
    if arr.min() < 0 or arr.max() >= n:
        got = f"[{arr.min()}, {arr.max()}]"
        raise ValueError(f"{name} must hold node ids in [0, {n - 1}], got {got}")
    if np.any(arr[:, 0] == arr[:, 1]):
        raise ValueError(f"{name} must not contain self-loops (use self_edges=True instead)")
    # drop duplicates (either orientation), keeping the first orientation seen
    key = np.minimum(arr[:, 0], arr[:, 1]) * n + np.maximum(arr[:, 0], arr[:, 1])
    _, first = np.unique(key, return_index=True)
    return arr[np.sort(first)]


def from_edges(n, edges, name: str | None = None, meta: dict | None = None) -> Graph:
    """Graph on ``n`` nodes from an ``(m, 2)`` edge array.

    Duplicate edges (in either orientation) are dropped, keeping the first orientation seen;
    self-loops are rejected (add them at training time with ``self_edges=True``).
    """
    n = as_int("n", n, minimum=1)
    return Graph(n, _clean_edges(n, edges), name or f"edges:{n}", dict(meta or {}))


def path_star(degree, length) -> Graph:
    """The path-star graph :math:`\\mathcal{G}_{d,\\ell}` (arXiv 2510.26745, Appendix B.1).

    A root with ``degree`` arms; ``length`` counts nodes from the root, so each arm has
    :math:`\\ell-1` non-root nodes, :math:`n = 1 + d(\\ell-1)` and :math:`m = d(\\ell-1)`.
    Node 0 is the root; arm ``i`` holds nodes ``1 + i(\\ell-1) .. (i+1)(\\ell-1)`` from first hop
    to leaf. ``meta`` has ``root``, ``arms`` (``(d, \\ell-1)``, first hop -> leaf), ``leaves``,
    ``first_hops``, ``degree`` and ``length``.
    """
    d = as_int("degree", degree, minimum=1)
    ell = as_int("length", length, minimum=2)
    k = ell - 1
    arms = 1 + np.arange(d * k, dtype=np.int64).reshape(d, k)
    parents = np.concatenate([np.zeros((d, 1), dtype=np.int64), arms[:, :-1]], axis=1)
    edges = np.stack([parents.ravel(), arms.ravel()], axis=1)
    meta = {
        "root": 0,
        "arms": arms,
        "leaves": arms[:, -1].copy(),
        "first_hops": arms[:, 0].copy(),
        "degree": d,
        "length": ell,
    }
    return Graph(1 + d * k, edges, f"path-star:{d}x{ell}", meta)


def tree_star(degree, length) -> Graph:
    """Tree-star :math:`\\mathcal{T}_{d,\\ell}` (arXiv 2510.26745, Appendix C.2).

    The root has ``degree`` children; every other non-leaf node has 2 children; root-to-leaf
    paths have ``length`` nodes. :math:`n = 1 + d(2^{\\ell-1}-1)`, with :math:`d\\,2^{\\ell-2}`
    leaves. Nodes are numbered breadth-first; ``meta`` has ``root``, ``leaves``, ``first_hops``,
    ``depth`` (per node) and ``subtree`` (index of the root's child above each node, -1 for root).
    """
    d = as_int("degree", degree, minimum=1)
    ell = as_int("length", length, minimum=2, maximum=40)
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
        "degree": d,
        "length": ell,
    }
    return Graph(nxt, np.concatenate(edges), f"tree-star:{d}x{ell}", meta)


def cycle(n) -> Graph:
    """Cycle :math:`C_n` with edges ``i -> (i+1) mod n`` (n >= 3)."""
    n = as_int("n", n, minimum=3)
    i = np.arange(n, dtype=np.int64)
    return Graph(n, np.stack([i, (i + 1) % n], axis=1), f"cycle:{n}")


def path(n) -> Graph:
    """Path graph on ``n`` nodes with edges ``i -> i+1`` (n >= 2)."""
    n = as_int("n", n, minimum=2)
    i = np.arange(n - 1, dtype=np.int64)
    return Graph(n, np.stack([i, i + 1], axis=1), f"path:{n}")


def grid(rows, cols) -> Graph:
    """``rows x cols`` grid, row-major labels ``r*cols + c``, edges right then down."""
    r = as_int("rows", rows, minimum=1)
    c = as_int("cols", cols, minimum=1)
    if r * c < 2:
        raise ValueError("rows*cols must be >= 2 for a grid with an edge")
    ids = np.arange(r * c, dtype=np.int64).reshape(r, c)
    right = np.stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()], axis=1)
    down = np.stack([ids[:-1, :].ravel(), ids[1:, :].ravel()], axis=1)
    return Graph(r * c, np.concatenate([right, down]), f"grid:{r}x{c}")


def irregular() -> Graph:
    """The paper's 16-node irregular graph (released tiny-graph definition).

    Two components: nodes 0..11 form a 12-cycle with chords 1-3 and 5-8 (14 edges); nodes
    12..15 form a :math:`K_4` (6 edges); 20 edges in all.
    """
    ring = [(i, (i + 1) % 12) for i in range(12)] + [(1, 3), (5, 8)]
    k4 = [(a, b) for a in range(12, 16) for b in range(a + 1, 16)]
    return Graph(16, np.array(ring + k4, dtype=np.int64), "irregular")


def random_graph(n, mean_degree, seed=0) -> Graph:
    """Seeded connected random graph with ``n`` nodes and mean degree ``mean_degree``.

    A uniformly random Hamiltonian path (``n-1`` edges, so the graph is connected) plus
    uniformly random extra node pairs until :math:`m = \\mathrm{round}(n\\,\\bar k/2)` distinct
    edges; apart from the path this is the Erdos-Renyi :math:`G(n, m)` model.
    """
    n = as_int("n", n, minimum=2)
    k = as_float("mean_degree", mean_degree, 2 * (n - 1) / n, n - 1)
    seed = as_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    m_target = max(n - 1, int(round(n * k / 2)))
    order = rng.permutation(n).astype(np.int64)
    edges = np.stack([order[:-1], order[1:]], axis=1)
    keys = np.minimum(edges[:, 0], edges[:, 1]) * n + np.maximum(edges[:, 0], edges[:, 1])
    while keys.size < m_target:
        need = m_target - keys.size
        u = rng.integers(0, n, size=2 * need + 16)
        v = rng.integers(0, n, size=2 * need + 16)
        ok = u != v
        new = np.minimum(u[ok], v[ok]) * n + np.maximum(u[ok], v[ok])
        new = new[~np.isin(new, keys)]
        _, first = np.unique(new, return_index=True)
        new = new[np.sort(first)][:need]
        keys = np.concatenate([keys, new])
    extra = keys[n - 1 :]
    extra_edges = np.stack([extra // n, extra % n], axis=1)
    all_edges = np.concatenate([edges, extra_edges])
    return Graph(n, all_edges, f"random:{n}x{k:g}:{seed}", {"seed": seed})


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


def _read_edge_file(filename: str) -> Graph:
    rows = []
    with open(filename, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = re.split(r"[\s,=]+", line)
            if len(parts) != 2 or not all(p.lstrip("-").isdigit() for p in parts):
                where = f"graph file {filename}:{lineno}"
                raise ValueError(f"{where}: expected two node ids, got {line!r}")
            rows.append((int(parts[0]), int(parts[1])))
    if not rows:
        raise ValueError(f"graph file {filename} holds no edges")
    arr = np.array(rows, dtype=np.int64)
    if arr.min() < 0:
        raise ValueError(f"graph file {filename}: node ids must be >= 0")
    name = os.path.basename(filename)
    return from_edges(int(arr.max()) + 1, arr, name=name)


def parse_graph(spec: str) -> Graph:
    """Build a graph from a CLI spec such as ``cycle:15``, ``grid:4x4``, ``path-star:5x6``.

    Accepted forms: see :data:`GRAPH_SPECS`. A spec that names an existing file is read as an
    edge list (duplicates in either orientation are merged).
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"graph must be a non-empty spec string, one of: {'; '.join(GRAPH_SPECS)}")
    spec = spec.strip()
    if os.path.isfile(spec):
        return _read_edge_file(spec)
    kind, _, arg = spec.partition(":")
    kind = kind.lower()

    def dims(text, count):
        parts = text.lower().split("x")
        if len(parts) != count or not all(p.strip().isdigit() for p in parts):
            raise ValueError(f"graph spec {spec!r}: expected {kind}:{'x'.join(['INT'] * count)}")
        return [int(p) for p in parts]

    if kind == "cycle":
        return cycle(*dims(arg, 1))
    if kind == "path":
        return path(*dims(arg, 1))
    if kind == "grid":
        return grid(*dims(arg, 2))
    if kind in ("path-star", "pathstar", "star"):
        return path_star(*dims(arg, 2))
    if kind in ("tree-star", "treestar"):
        return tree_star(*dims(arg, 2))
    if kind == "irregular" and not arg:
        return irregular()
    if kind == "random":
        size, _, seed = arg.partition(":")
        parts = size.lower().split("x")
        try:
            n, k = int(parts[0]), float(parts[1])
            s = int(seed) if seed else 0
        except (ValueError, IndexError):
            raise ValueError(f"graph spec {spec!r}: expected random:NxMEANDEGREE[:SEED]") from None
        return random_graph(n, k, seed=s)
    raise ValueError(f"graph spec {spec!r} not understood; use one of: {'; '.join(GRAPH_SPECS)}")
