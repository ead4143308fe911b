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

Modules: :mod:`~memtheory.graphs.core` (:class:`Graph`, :func:`from_edges`, the memory bound),
:mod:`~memtheory.graphs.families` (the constructors) and :mod:`~memtheory.graphs.specs` (specs,
edge-list files, :func:`as_graph`); every public name is re-exported here.
"""

from memtheory.graphs.core import (
    BYTES_PER_ELEMENT,
    DIRECTIONS,
    GRAPH_MAX_BYTES,
    TINY_GRAPHS,
    Graph,
    check_size,
    from_edges,
    graph_bytes,
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
from memtheory.graphs.specs import GRAPH_SPECS, as_graph, parse_graph

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
    "DIRECTIONS",
    "check_size",
]
