"""Associative vs geometric storage of a graph: bits and l2 norm (arXiv 2510.26745, Section 3.1,
Propositions 1-3; ``docs/theory/capacity.md`` section 6)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from memtheory.checks import as_choice

# --------------------------------------------------------------------------- graphs


def _greedy_matching_size(graph) -> int:
    """Size of a maximal matching found by leaf-first greedy matching.

    Matching a current leaf to its neighbour is always optimal, so the result is a maximum
    matching on forests, paths and cycles; on other graphs it is a valid (lower) matching size.
    """
    adj = [[] for _ in range(graph.n)]
    for u, v in graph.edges.tolist():
        adj[u].append(v)
        adj[v].append(u)
    deg = [len(a) for a in adj]
    matched = [False] * graph.n
    stack = [u for u in range(graph.n) if deg[u] == 1]
    size, cursor = 0, 0

    def match(u, v):
        matched[u] = matched[v] = True
        for x in (u, v):
            for w in adj[x]:
                if not matched[w]:
                    deg[w] -= 1
                    if deg[w] == 1:
                        stack.append(w)

    while True:
        while stack:
            u = stack.pop()
            if matched[u] or deg[u] != 1:
                continue
            match(u, next(v for v in adj[u] if not matched[v]))
            size += 1
        while cursor < graph.n and (matched[cursor] or deg[cursor] == 0):
            cursor += 1
        if cursor == graph.n:
            return size
        u = cursor
        match(u, next(v for v in adj[u] if not matched[v]))
        size += 1


@dataclass(frozen=True)
class GraphStorage:
    """Bits and l2 norms of associative vs geometric storage of one graph
    (:func:`graph_storage`); ``None`` where the paper gives no construction."""

    graph: str
    nodes: int
    edges: int
    direction: str
    tied: bool
    assoc_bits: float
    geom_bits: float | None
    geom_bits_jl: float | None
    assoc_l2: float
    geom_l2_lower: float
    matching: int
    geom_l2_lower_matching: float

    def as_dict(self) -> dict:
        return asdict(self)


def graph_storage(graph, direction="both", tied=True) -> GraphStorage:
    """Bits and l2 norm of associative vs geometric storage of a graph (arXiv 2510.26745,
    Section 3.1, Propositions 1-3; quoted).

    * associative bits :math:`|E|\\log_2|V|` (x2 for both directions); associative l2
      :math:`\\le\\sqrt{|E|}` (one-hot :math:`\\Phi`, :math:`W = A`; x :math:`\\sqrt2` both);
    * geometric bits :math:`|V|\\,m\\log_2\\Delta` (x2 untied) for the paper's constructions:
      path-star :math:`\\mathcal{G}_{d,\\ell}`: m = d arms, :math:`\\Delta=\\ell` cells (and the
      JL variant :math:`|V|\\log_2 d\\log_2\\ell`); cycle: m = 2, :math:`\\Delta=|V|/2`; path:
      m = 1, :math:`\\Delta=|V|`; grid r x c: m = 2, :math:`\\Delta=\\max(r,c)`; other graphs:
      None (no construction given);
    * geometric l2 :math:`\\ge\\sqrt{|V|}` (quoted, x :math:`\\sqrt2` untied) and the bound
      :math:`\\sqrt{2\\nu}` from a matching of size :math:`\\nu` (each matched edge needs
      :math:`\\|\\Phi_u\\|^2+\\|\\Phi_v\\|^2 \\ge 2` under :math:`\\Phi_u^\\top\\Phi_v\\ge1`;
      derived, valid for any graph, equals the quoted bound when a perfect matching exists).
    """
    from memtheory.graphs import as_graph

    graph = as_graph(graph)
    as_choice("direction", direction, ("both", "forward"))
    n_v, n_e = int(graph.n), int(graph.m)
    both = direction == "both"
    assoc_bits = n_e * math.log2(n_v) * (2 if both else 1)
    untied = 1 if tied else 2
    kind = graph.meta.get("kind")
    geom_bits = geom_bits_jl = None
    if kind == "path-star":
        deg, ell = int(graph.meta["degree"]), int(graph.meta["length"])
        geom_bits = n_v * deg * math.log2(ell) * untied
        geom_bits_jl = n_v * math.log2(max(deg, 2)) * math.log2(ell) * untied
    elif kind == "cycle":
        geom_bits = 2 * n_v * math.log2(n_v / 2) * untied
    elif kind == "path":
        geom_bits = n_v * math.log2(n_v) * untied
    elif kind == "grid":
        r, c = int(graph.meta["rows"]), int(graph.meta["cols"])
        geom_bits = 2 * n_v * math.log2(max(r, c, 2)) * untied
    nu = _greedy_matching_size(graph)
    return GraphStorage(
        graph=graph.name,
        nodes=n_v,
        edges=n_e,
        direction=direction,
        tied=bool(tied),
        assoc_bits=assoc_bits,
        geom_bits=geom_bits,
        geom_bits_jl=geom_bits_jl,
        assoc_l2=math.sqrt(n_e) * (math.sqrt(2) if both else 1.0),
        geom_l2_lower=math.sqrt(n_v) * (1.0 if tied else math.sqrt(2)),
        matching=nu,
        geom_l2_lower_matching=math.sqrt(2 * nu) * (1.0 if tied else math.sqrt(2)),
    )
