r"""Weight-tied, 1-hop, full-softmax Node2Vec (the geometric-memory paper's analysed model).

Logits ``V[u] V^T`` over the whole vocabulary, so that a cross-entropy step on edge examples
``u -> v`` is a step on Eq. 1 of Noroozizadeh et al. 2025 (arXiv 2510.26745, §4):

.. math:: \mathcal{J}(V) = \sum_i \frac{1}{|N(i)|}\sum_{j \in N(i)} \log p(i, j),\qquad
          p(i, j) = \frac{\exp(v_i^\top v_j)}{\sum_k \exp(v_i^\top v_k)}.

Lemma 5 (Eq. 3): :math:`\partial\mathcal{J}/\partial V = C V` with
:math:`C = (D^{-1}A - P) + (D^{-1}A - P)^\top`, :math:`P = \mathrm{row\_softmax}(VV^\top)`.
Gradient ascent on the *summed* :math:`\mathcal{J}` with step :math:`\eta` equals gradient descent
on the weighted mean cross-entropy :math:`-\mathcal{J}/n` (per-example weight ``1/deg(u)``, see
:func:`empirical.tasks.edges.eq1_weights`) with step :math:`n\eta` (notes §13, loss scaling).
Released config: dim 100, N(0, 1) init, plain full-batch GD, LR 0.01 (notes §4.4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from empirical.models._common import check_width, make_token_embedding
from memtheory.checks import as_float


@dataclass
class Node2VecConfig:
    """Hyperparameters of :class:`Node2Vec`."""

    vocab_size: int
    dim: int = 100
    init_std: float = 1.0

    def __post_init__(self):
        self.vocab_size = check_width("vocab_size", self.vocab_size)
        self.dim = check_width("dim", self.dim)
        self.init_std = as_float("init_std", self.init_std, 0.0)


class Node2Vec(nn.Module):
    """``forward(inputs (B,T)) -> V[inputs] V^T``, shape (B, T, vocab); ``V = token_embedding``."""

    def __init__(self, config: Node2VecConfig):
        super().__init__()
        self.config = config
        self.token_embedding = make_token_embedding(
            config.vocab_size, config.dim, config.init_std, freeze=False
        )

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.linear(F.embedding(inputs, self.token_embedding), self.token_embedding)


def node2vec_objective(V: torch.Tensor, adjacency) -> torch.Tensor:
    r"""Eq. 1, :math:`\mathcal{J}(V) = \sum_i |N(i)|^{-1}\sum_{j\in N(i)} \log p(i,j)` (maximized).

    ``V`` is an (n, d) tensor (any float dtype; float64 for checks against
    ``memtheory.spectral.lemma5_operator``), ``adjacency`` an (n, n) symmetric 0/1 matrix (dense,
    scipy sparse or tensor) whose rows all have at least one neighbour. Differentiable in ``V``:
    its gradient is :math:`C V` (Lemma 5).
    """
    if hasattr(adjacency, "toarray"):
        adjacency = adjacency.toarray()
    A = torch.as_tensor(np.asarray(adjacency) if not torch.is_tensor(adjacency) else adjacency)
    A = A.to(dtype=V.dtype, device=V.device)
    if V.ndim != 2 or A.shape != (V.shape[0], V.shape[0]):
        raise ValueError(
            f"adjacency must have shape ({V.shape[0]}, {V.shape[0]}) for V of shape "
            f"{tuple(V.shape)}, got {tuple(A.shape)}"
        )
    deg = A.sum(dim=1)
    if bool((deg <= 0).any()):
        raise ValueError("adjacency must have no isolated node (Eq. 1 divides by each degree)")
    log_p = torch.log_softmax(V @ V.T, dim=1)
    return ((A / deg[:, None]) * log_p).sum()
