"""Pull embeddings, weights and logits out of any model and hand them to ``memtheory.geometry``.

Everything comes out as float64 NumPy copies (the model is not modified). Conventions:

* :func:`embeddings` is the tied token embedding ``E`` (rows = tokens, node rows first);
* :func:`one_layer_weights` returns ``(E, W, b)`` of the 1-layer network
  ``logits = (E_u W^T + b) E^T`` (the model's own ``W``); ``memtheory.geometry.skewed_low_rank``
  writes logits as ``E W' E^T + 1 b^T E^T``, so :func:`skewed_probe` passes ``W' = W^T``;
* :func:`logit_matrix` is the (n, n) matrix of model logits for ``u -> v`` over node tokens,
  read at the position of ``u`` after the ``[EDGE]`` prefix when the model's vocabulary has the
  special tokens (the edge task's format, :mod:`empirical.tasks.edges`).

Diagnostics are those of the geometric-memory paper (Noroozizadeh et al. 2025, arXiv
2510.26745, §6 and the released tiny-graph analysis code, notes §6.2).
"""

from __future__ import annotations

import numpy as np
import torch

# the memory-recall probes of Birth of a Transformer (arXiv 2306.00802) live in their own module
# and are part of this one's interface
from empirical.measure.recall_probes import (
    associative_scores,
    ff_margin,
    ff_readout,
    key_memory_probe,
    logit_lens_accuracy,
    low_rank,
    output_memory_probe,
    previous_token_probe,
    readout_kl,
    recall_accuracy,
    recall_margins,
    soft_rank,
    truncate,
)
from empirical.tasks.tokens import SPECIALS, Vocab
from memtheory.checks import as_int

__all__ = [
    "embeddings",
    "one_layer_weights",
    "logit_matrix",
    "skewed_probe",
    "spectral_probe",
    "geometry_report",
    "associative_scores",
    "recall_accuracy",
    "recall_margins",
    "output_memory_probe",
    "key_memory_probe",
    "previous_token_probe",
    "ff_readout",
    "ff_margin",
    "readout_kl",
    "logit_lens_accuracy",
    "low_rank",
    "truncate",
    "soft_rank",
]


def _token_embedding(model) -> torch.Tensor:
    weight = getattr(model, "token_embedding", None)
    if not isinstance(weight, torch.Tensor) or weight.ndim != 2:
        raise ValueError(f"{type(model).__name__} has no 2-D token_embedding parameter")
    return weight


def _n_nodes(model, n_nodes) -> int:
    vocab = _token_embedding(model).shape[0]
    if n_nodes is None:
        return vocab
    return as_int("n_nodes", n_nodes, minimum=1, maximum=vocab)


def embeddings(model, n_nodes: int | None = None) -> np.ndarray:
    """Float64 copy of the tied token embedding, its first ``n_nodes`` rows when given."""
    E = _token_embedding(model).detach()
    return E[: _n_nodes(model, n_nodes)].to("cpu", torch.float64).numpy().copy()


def one_layer_weights(model, n_nodes: int | None = None):
    """``(E, W, b)`` of a :class:`empirical.models.OneLayer`, float64 (``b`` None without bias).

    Logits are ``(E_u W^T + b) E^T``; ``E`` is cut to the node rows when ``n_nodes`` is given.
    """
    W = getattr(model, "W", None)
    if not isinstance(W, torch.Tensor) or W.ndim != 2:
        raise ValueError(f"{type(model).__name__} is not a one-layer network (no matrix W)")
    b = getattr(model, "b", None)
    to_np = lambda t: t.detach().to("cpu", torch.float64).numpy().copy()  # noqa: E731
    return embeddings(model, n_nodes), to_np(W), None if b is None else to_np(b)


def logit_matrix(model, n_nodes: int, prefix: bool | None = None) -> np.ndarray:
    """(n, n) float64 logits ``Z[u, v]`` of target node ``v`` given source node ``u``.

    Inputs are ``[[EDGE], u]`` (logits read at the last position) when ``prefix`` is True, and
    ``[u]`` when False; ``None`` picks ``[EDGE]`` when the vocabulary holds the specials (size
    ``n_nodes + 9``). Runs in eval mode without gradients, on the model's device.
    """
    n = _n_nodes(model, n_nodes)
    vocab_size = _token_embedding(model).shape[0]
    if prefix is None:
        prefix = vocab_size >= n + len(SPECIALS)
    device = _token_embedding(model).device
    u = torch.arange(n, device=device)[:, None]
    inputs = u
    if prefix:
        edge = Vocab(n).special("[EDGE]")
        if edge >= vocab_size:
            raise ValueError(f"vocabulary of {vocab_size} tokens has no [EDGE] token for n={n}")
        inputs = torch.cat([torch.full_like(u, edge), u], dim=1)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(inputs)[:, -1, :n]
    finally:
        model.train(was_training)
    return logits.to("cpu", torch.float64).numpy().copy()


def skewed_probe(model, edges, n_nodes: int, self_edges: bool = False) -> dict:
    """``memtheory.geometry.skewed_low_rank`` of a one-layer network's node block.

    Returns ``{"skewed_top1", "skewed_margin", "full_top1", "full_margin"}`` (notes §6.2).
    """
    from memtheory.geometry import skewed_low_rank

    E, W, b = one_layer_weights(model, n_nodes)
    out = skewed_low_rank(E, W.T, edges, b=b, self_edges=self_edges)
    return {
        "skewed_top1": out.top1_acc,
        "skewed_margin": out.margin,
        "full_top1": out.full_top1_acc,
        "full_margin": out.full_margin,
    }


def spectral_probe(model, eigvecs, n_nodes: int | None = None, center: bool = False):
    """Per-eigenvector energy fractions of the node embeddings (``geometry.spectral_energy``).

    ``eigvecs`` is an (n, k) orthonormal basis, e.g. eigenvectors of :math:`-L` from
    ``memtheory.spectral``; returns a float64 array of length k.
    """
    from memtheory.geometry import spectral_energy

    n = np.asarray(eigvecs).shape[0] if n_nodes is None else n_nodes
    return spectral_energy(embeddings(model, n), eigvecs, center=center)


def geometry_report(
    model,
    edges,
    n_nodes: int,
    self_edges: bool = False,
    subspace=None,
    k: int | None = None,
) -> dict:
    """The tiny-graph diagnostics of one model, as a flat dict of floats.

    * ``topk_recovery``: top-k edge recovery from the model's logits (:func:`logit_matrix`;
      ``k=None`` is the paper's top-deg criterion), ``embedding_topk_recovery`` the same on
      :math:`EE^\\top` (released metric);
    * ``mean_edge_cosine``: the "geometric level"; ``effective_rank`` of the node embeddings;
    * ``subspace_energy``: energy of the node embeddings inside ``subspace`` (an (n, k) basis,
      e.g. the predicted Node2Vec subspace) when given;
    * for one-layer networks, ``skewed_top1`` / ``skewed_margin`` (:func:`skewed_probe`).
    """
    from memtheory import geometry

    E = embeddings(model, n_nodes)
    Z = logit_matrix(model, n_nodes)
    out = {
        "topk_recovery": geometry.topk_edge_recovery(
            scores=Z, edges=edges, k=k, self_edges=self_edges
        ),
        "embedding_topk_recovery": geometry.topk_edge_recovery(
            E, edges, k=k, self_edges=self_edges
        ),
        "mean_edge_cosine": geometry.mean_edge_cosine(E, edges),
        "effective_rank": geometry.effective_rank(E),
    }
    if subspace is not None:
        out["subspace_energy"] = geometry.subspace_energy(E, subspace)
    if isinstance(getattr(model, "W", None), torch.Tensor):
        out.update(skewed_probe(model, edges, n_nodes, self_edges=self_edges))
    return out
