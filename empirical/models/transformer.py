"""Decoder-only Transformer (nanoGPT-style), the "TinyGPT" of the geometric-memory paper.

Pre-norm blocks ``x + Attn(LN(x))``, ``x + MLP(LN(x))`` with a GELU MLP, causal attention through
:func:`torch.nn.functional.scaled_dot_product_attention`, a final LayerNorm and a tied LM head:
``logits = LN_f(h) E^T`` where ``E`` is ``token_embedding``. Switches turn attention, the MLP,
the residual connections and LayerNorm off (the released code's ablations, notes §12), and
``pos`` picks a learned table, fixed sinusoidal positions (Vaswani et al. 2017) or none.

Source: Noroozizadeh et al. 2025, arXiv 2510.26745, Appendix B.2 (GPT-mid) and B.2.2 (tiny
graphs: 1 layer, width 32; the released notebooks use 1 head, notes §4.4). Init ``"default"``
is N(0, 0.02) for every weight (biases zero, residual projections N(0, 0.02/sqrt(2 n_layer)) as
in nanoGPT); ``"non_geometric"`` draws the tied embedding from N(0, 1) (notes §10.2). The
released code initializes its learned position table with torch's N(0, 1); here it is
``pos_init_std`` (0.02 by default).
"""

from __future__ import annotations

import math
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
from memtheory.checks import as_choice, as_float

POSITIONS = ("learned", "sinusoidal", "none")


@dataclass
class TransformerConfig:
    """Hyperparameters of :class:`Transformer` (defaults: the released tiny-graph model)."""

    vocab_size: int
    max_len: int = 16
    n_layer: int = 1
    d_model: int = 32
    n_head: int = 1
    d_mlp: int | None = None  # None -> 4 * d_model
    pos: str = "learned"
    attention: bool = True
    mlp: bool = True
    residual: bool = True
    layernorm: bool = True
    init: str = "default"
    dropout: float = 0.0
    tie_embeddings: bool = True
    freeze_embeddings: bool = False
    pos_init_std: float = DEFAULT_STD

    def __post_init__(self):
        self.vocab_size = check_width("vocab_size", self.vocab_size)
        self.max_len = check_width("max_len", self.max_len)
        self.n_layer = check_width("n_layer", self.n_layer)
        self.d_model = check_width("d_model", self.d_model)
        self.n_head = check_width("n_head", self.n_head)
        if self.d_model % self.n_head:
            raise ValueError(
                f"d_model must be divisible by n_head, got d_model={self.d_model}, "
                f"n_head={self.n_head}"
            )
        self.d_mlp = 4 * self.d_model if self.d_mlp is None else check_width("d_mlp", self.d_mlp)
        as_choice("pos", self.pos, POSITIONS)
        check_init(self.init)
        self.dropout = check_prob("dropout", self.dropout)
        self.pos_init_std = as_float("pos_init_std", self.pos_init_std, 0.0)


def sinusoidal_positions(max_len: int, d_model: int) -> torch.Tensor:
    r"""Fixed positions :math:`PE_{t,2i} = \sin(t/10000^{2i/d})`, :math:`PE_{t,2i+1} = \cos(\cdot)`.

    Vaswani et al. 2017 (arXiv 1706.03762), §3.5. Returns a (max_len, d_model) float32 tensor.
    """
    t = torch.arange(max_len, dtype=torch.float64)[:, None]
    freq = torch.exp(
        -math.log(10000.0) * torch.arange(0, d_model, 2, dtype=torch.float64) / d_model
    )
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(t * freq)
    pe[:, 1::2] = torch.cos(t * freq)[:, : d_model // 2]
    return pe.float()


class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention; ``scaled_dot_product_attention(is_causal=True)``."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.n_head = config.n_head
        self.dropout = config.dropout
        self.c_attn = nn.Linear(config.d_model, 3 * config.d_model)
        self.c_proj = nn.Linear(config.d_model, config.d_model)
        self.resid_drop = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (z.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True
        )
        y = y.transpose(1, 2).reshape(B, T, C)
        return self.resid_drop(self.c_proj(y))


class MLP(nn.Module):
    """``c_proj(GELU(c_fc(x)))`` with hidden width ``d_mlp``."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.d_model, config.d_mlp)
        self.c_proj = nn.Linear(config.d_mlp, config.d_model)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.c_proj(F.gelu(self.c_fc(x))))


class Block(nn.Module):
    """Pre-norm block: ``x + Attn(LN(x))`` then ``x + MLP(LN(x))`` (each part switchable)."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        norm = (lambda: nn.LayerNorm(config.d_model)) if config.layernorm else nn.Identity
        self.residual = config.residual
        self.ln_1 = norm() if config.attention else None
        self.attn = CausalSelfAttention(config) if config.attention else None
        self.ln_2 = norm() if config.mlp else None
        self.mlp = MLP(config) if config.mlp else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for ln, layer in ((self.ln_1, self.attn), (self.ln_2, self.mlp)):
            if layer is not None:
                out = layer(ln(x))
                x = x + out if self.residual else out
        return x


class Transformer(nn.Module):
    """Decoder-only Transformer with tied embeddings: ``forward(inputs (B,T)) -> (B,T,V)``."""

    causal = (
        True  # features at position t read tokens <= t only (empirical.training.train.model_loss)
    )

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.config = config
        d = config.d_model
        self.token_embedding = make_token_embedding(
            config.vocab_size, d, embedding_std(config.init), config.freeze_embeddings
        )
        if config.pos == "learned":
            self.pos_embedding = nn.Parameter(torch.empty(config.max_len, d))
            nn.init.normal_(self.pos_embedding, std=config.pos_init_std)
        else:
            self.pos_embedding = None
            if config.pos == "sinusoidal":
                self.register_buffer("pos_table", sinusoidal_positions(config.max_len, d))
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(d) if config.layernorm else nn.Identity()
        if config.tie_embeddings:
            self.lm_head_weight = None
        else:
            self.lm_head_weight = nn.Parameter(torch.empty(config.vocab_size, d))
            nn.init.normal_(self.lm_head_weight, std=embedding_std(config.init))
        self._init_weights()

    def _init_weights(self):
        proj_std = DEFAULT_STD / math.sqrt(2 * self.config.n_layer)
        for name, module in self.named_modules():
            if isinstance(module, nn.Linear):
                std = proj_std if name.endswith("c_proj") else DEFAULT_STD
                nn.init.normal_(module.weight, std=std)
                nn.init.zeros_(module.bias)

    @property
    def output_weight(self) -> torch.Tensor:
        """The LM-head matrix (``token_embedding`` itself when tied)."""
        return self.token_embedding if self.lm_head_weight is None else self.lm_head_weight

    def features(self, inputs: torch.Tensor) -> torch.Tensor:
        """The normalized last hidden state ``(B, T, d)``, the input of the head."""
        T = inputs.shape[1]
        if T > self.config.max_len:
            raise ValueError(f"sequence length {T} exceeds max_len={self.config.max_len}")
        x = F.embedding(inputs, self.token_embedding)
        if self.pos_embedding is not None:
            x = x + self.pos_embedding[:T]
        elif self.config.pos == "sinusoidal":
            x = x + self.pos_table[:T].to(x.dtype)
        x = self.drop(x)
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.linear(self.features(inputs), self.output_weight)
