"""The graphs of the geometric-memory literature: path-star, tree-star, cycle, path, grid, the
16-node irregular graph and seeded connected random graphs (arXiv 2510.26745, Appendices B.1,
C.2, C.3). Every constructor computes its size and checks ``max_bytes`` first."""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_float, as_int
from memtheory.graphs.core import GRAPH_MAX_BYTES, Graph, check_size


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
    check_size(f"path-star:{d}x{ell}", 1 + d * k, d * k, max_bytes=max_bytes)
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
    check_size(f"tree-star:{d}x{ell}", n_total, n_total - 1, max_bytes=max_bytes)
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
    check_size(f"cycle:{n}", n, n, max_bytes=max_bytes)
    i = np.arange(n, dtype=np.int64)
    return Graph(n, np.stack([i, (i + 1) % n], axis=1), f"cycle:{n}", {"kind": "cycle"})


def path(n, *, max_bytes=GRAPH_MAX_BYTES) -> Graph:
    """Path graph on ``n`` nodes with edges ``i -> i+1`` (n >= 2; size checked first)."""
    n = as_int("n", n, minimum=2)
    check_size(f"path:{n}", n, n - 1, max_bytes=max_bytes)
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
    check_size(f"grid:{r}x{c}", r * c, r * (c - 1) + (r - 1) * c, max_bytes=max_bytes)
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
    check_size(f"random:{n}x{k:g}:{seed}", n, m_target, max_bytes=max_bytes)
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
