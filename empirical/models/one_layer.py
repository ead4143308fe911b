r"""The 1-layer tied network of the geometric-memory tiny-graph notebooks.

.. math:: \mathrm{logits}(u) = (E_u W^\top + b)\,E^\top

applied position by position (the context is ignored): ``E`` is the tied (vocab, d) token
embedding, ``W`` a (d, d) matrix and ``b`` a bias. With ``E`` frozen it is the "associative"
control, "only one trainable matrix sandwiched between (un)embedding layers" (Noroozizadeh et al.
2025, arXiv 2510.26745, Appendix B.2.2; released notebooks, notes §4.4). ``dropout`` (the
regularizer notebook's knob, notes §10.2) is applied to the input embedding, as a GPT with
attention, MLP, LayerNorm and positions switched off would do.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from empirical.models._common import (
    DEFAULT_STD,
    check_init,
    check_prob,
    check_width,
    embedding_std,
    make_token_embedding,
)


@dataclass
class OneLayerConfig:
    """Hyperparameters of :class:`OneLayer` (width 32 star/grid, 512 cycle, 16 irregular)."""

    vocab_size: int
    d_model: int = 32
    bias: bool = True
    freeze_embeddings: bool = False
    init: str = "default"
    dropout: float = 0.0

    def __post_init__(self):
        self.vocab_size = check_width("vocab_size", self.vocab_size)
        self.d_model = check_width("d_model", self.d_model)
        check_init(self.init)
        self.dropout = check_prob("dropout", self.dropout)


class OneLayer(nn.Module):
    """``forward(inputs (B,T)) -> (E[inputs] W^T + b) E^T`` of shape (B, T, vocab)."""

    def __init__(self, config: OneLayerConfig):
        super().__init__()
        self.config = config
        self.token_embedding = make_token_embedding(
            config.vocab_size, config.d_model, embedding_std(config.init), config.freeze_embeddings
        )
        self.W = nn.Parameter(torch.empty(config.d_model, config.d_model))
        nn.init.normal_(self.W, std=DEFAULT_STD)
        self.b = nn.Parameter(torch.zeros(config.d_model)) if config.bias else None
        self.drop = nn.Dropout(config.dropout)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        x = self.drop(F.embedding(inputs, self.token_embedding))
        return F.linear(F.linear(x, self.W, self.b), self.token_embedding)
