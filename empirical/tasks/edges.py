"""Edge memorization of any ``memtheory`` graph: examples ``[EDGE] u -> v``.

Each directed edge ``(u, v)`` of :meth:`memtheory.graphs.Graph.directed_edges` (forward,
backward or both directions, optional self-edges ``u -> u``) becomes one row
``inputs = [EDGE, u]``, ``labels = [IGNORE, v]`` (the token contract of
:mod:`empirical.tasks.tokens`): ``v`` is predicted at the position of ``u``. Rows are in the
order of ``directed_edges`` (forward edges, then backward, then self-edges); the training loop
shuffles. Source: Noroozizadeh et al. 2025, arXiv 2510.26745, Appendix B.1
(:math:`\\mathcal{D}_{\\text{edge}}`) and the v2/v3 self-edge variants (notes §10.2).
"""

from __future__ import annotations

import numpy as np
import torch

from empirical.tasks.tokens import IGNORE, Vocab
from memtheory.checks import as_choice
from memtheory.graphs import DIRECTIONS, Graph

__all__ = ["edge_dataset", "edge_pairs", "edge_targets", "eq1_weights", "check_edge_graph"]


def check_edge_graph(graph: Graph, direction: str = "both", self_edges: bool = False) -> None:
    """Raise ``ValueError`` unless every node is the source of at least one training example.

    A node with no outgoing example (an isolated node, or a sink of a one-direction task) has no
    target set, so top-k recovery and Eq. 1's :math:`1/|N(i)|` are undefined for it.
    """
    if not isinstance(graph, Graph):
        raise ValueError(f"graph must be a memtheory.graphs.Graph, got {type(graph).__name__}")
    as_choice("direction", direction, DIRECTIONS)
    if self_edges:
        return
    pairs = graph.directed_edges(direction)
    out_deg = np.bincount(pairs[:, 0], minlength=graph.n) if pairs.size else np.zeros(graph.n)
    missing = np.flatnonzero(out_deg == 0)
    if missing.size:
        what = "isolated node" if direction == "both" else f"node without a {direction} edge"
        raise ValueError(
            f"graph {graph.name!r} has {missing.size} {what}(s) (e.g. node {int(missing[0])}); "
            "edge memorization needs a target for every node (add self_edges=True or drop them)"
        )


def edge_pairs(graph: Graph, direction: str = "both", self_edges: bool = False) -> np.ndarray:
    """The validated ``(k, 2)`` int64 array of directed examples ``(u, v)``."""
    check_edge_graph(graph, direction, self_edges)
    return graph.directed_edges(direction, self_edges=bool(self_edges))


def edge_dataset(
    graph: Graph,
    direction: str = "both",
    self_edges: bool = False,
    vocab: Vocab | None = None,
    prefix: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Edge examples as int64 tensors ``(inputs, labels)`` of shape (k, 2).

    ``inputs[r] = [EDGE, u]``, ``labels[r] = [IGNORE, v]`` for the r-th directed edge; ``k`` is
    ``2m`` for ``direction="both"``, ``m`` for one direction, plus ``n`` with ``self_edges``.
    ``vocab`` defaults to ``Vocab(graph.n)``. ``prefix=False`` drops the ``[EDGE]`` token (shape
    (k, 1), ``inputs = [u]``, ``labels = [v]``), which with a node-only vocabulary makes Node2Vec's
    softmax exactly that of Eq. 1.
    """
    pairs = torch.from_numpy(edge_pairs(graph, direction, self_edges))
    vocab = Vocab(graph.n) if vocab is None else vocab
    if vocab.n_nodes != graph.n:
        raise ValueError(f"vocab has {vocab.n_nodes} nodes but the graph has {graph.n}")
    u, v = pairs[:, 0:1], pairs[:, 1:2]
    if not prefix:
        return u.clone(), v.clone()
    inputs = torch.cat([torch.full_like(u, vocab.special("[EDGE]")), u], dim=1)
    labels = torch.cat([torch.full_like(v, IGNORE), v], dim=1)
    return inputs, labels


def edge_targets(
    graph: Graph, direction: str = "both", self_edges: bool = False
) -> list[np.ndarray]:
    """For each node ``u`` the sorted int64 array of its targets ``v`` (for top-k metrics)."""
    pairs = edge_pairs(graph, direction, self_edges)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    pairs = pairs[order]
    splits = np.searchsorted(pairs[:, 0], np.arange(1, graph.n))
    return [np.unique(t) for t in np.split(pairs[:, 1], splits)]


def eq1_weights(graph: Graph, direction: str = "both", self_edges: bool = False) -> torch.Tensor:
    r"""Per-row weights ``1/outdeg(u)`` (float64) for :func:`edge_dataset`'s rows.

    With them the training loop's weighted mean cross-entropy is
    :math:`-\mathcal{J}(V)/n` of Eq. 1 (arXiv 2510.26745): every node counts once, whatever its
    degree (the weights sum to ``n``).
    """
    pairs = edge_pairs(graph, direction, self_edges)
    out_deg = np.bincount(pairs[:, 0], minlength=graph.n).astype(np.float64)
    return torch.from_numpy(1.0 / out_deg[pairs[:, 0]])
