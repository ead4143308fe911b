"""Models of the factual-recall paper (Nichani, Lee & Bietti 2024, arXiv 2412.06538, Sec. 4).

* :class:`OneLayerFactual`: frozen random input embeddings and unembeddings
  :math:`\\mathcal N(0, 1/d)`; ``H`` softmax heads of dimension ``d_h`` whose query comes only from
  the last (EOS) position, scaled by :math:`1/\\sqrt{d_h}`, no positional encoding
  (:math:`Q,K,V\\sim\\mathcal N(0,1/d_h)`, output projection :math:`O\\sim\\mathcal N(0,1/d)`); a
  residual ReLU MLP of width ``m`` with bias; logits through the frozen unembedding::

      h = x_T + sum_h O_h V_h X^T softmax(X K_h^T Q_h x_T / sqrt(d_h))
      y = h + W_2 relu(W_1 h + b)

  Parameter count used by the paper's plots: :math:`4Hd_hd + 2md` (embeddings and biases
  excluded). ``n_heads = 0`` removes attention, ``mlp_width = 0`` removes the MLP. Keys and
  values depend on the token only (no positional encoding), so they are computed once per
  vocabulary token; the scores are gathered per position and the attention weights summed per
  token before the values: the same sums as per position, ``vocab_size`` projections instead of
  ``B T``.
* :class:`LinearAttentionFactual`: the simplified model of Fig. 5, one-hot (orthogonal)
  embeddings, linear attention without softmax, output
  :math:`\\sum_j (x_{EOS}^\\top A x_j) V^\\top x_j`; only the EOS row ``a`` of ``A`` matters, so
  the model keeps ``a`` (vocab,) and ``V`` (vocab, R*D), both initialized to ``init``
  (``1e-5`` in the paper).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from memtheory.checks import as_float, as_int


@dataclass(frozen=True)
class OneLayerFactualConfig:
    """Sizes of :class:`OneLayerFactual` (validated on construction)."""

    vocab_size: int
    n_out: int
    d_model: int = 32
    n_heads: int = 4
    d_head: int = 8
    mlp_width: int = 32
    seed: int = 0

    def __post_init__(self):
        as_int("vocab_size", self.vocab_size, 1)
        as_int("n_out", self.n_out, 1)
        as_int("d_model", self.d_model, 1)
        as_int("n_heads", self.n_heads, 0)
        as_int("d_head", self.d_head, 1)
        as_int("mlp_width", self.mlp_width, 0)
        as_int("seed", self.seed, 0)
        if self.n_heads == 0 and self.mlp_width == 0:
            raise ValueError("n_heads and mlp_width cannot both be 0 (the model stores nothing)")

    @property
    def attention_params(self) -> int:
        """:math:`4Hd_hd` (Q, K, V, O)."""
        return 4 * self.n_heads * self.d_head * self.d_model

    @property
    def mlp_params(self) -> int:
        """:math:`2md` (biases excluded)."""
        return 2 * self.mlp_width * self.d_model

    @property
    def paper_params(self) -> int:
        """The paper's count :math:`4Hd_hd + 2md`."""
        return self.attention_params + self.mlp_params


class OneLayerFactual(nn.Module):
    """One attention layer (EOS query) plus a residual MLP over frozen random embeddings."""

    def __init__(self, config: OneLayerFactualConfig):
        super().__init__()
        self.config = c = config
        g = torch.Generator().manual_seed(c.seed)
        d, H, dh = c.d_model, c.n_heads, c.d_head

        def normal(*shape, std):
            return torch.randn(*shape, generator=g) * std

        self.register_buffer("embed", normal(c.vocab_size, d, std=1 / math.sqrt(d)))
        self.register_buffer("unembed", normal(c.n_out, d, std=1 / math.sqrt(d)))
        if H > 0:
            self.wq = nn.Parameter(normal(H, dh, d, std=1 / math.sqrt(dh)))
            self.wk = nn.Parameter(normal(H, dh, d, std=1 / math.sqrt(dh)))
            self.wv = nn.Parameter(normal(H, dh, d, std=1 / math.sqrt(dh)))
            self.wo = nn.Parameter(normal(H, d, dh, std=1 / math.sqrt(d)))
        if c.mlp_width > 0:
            m = c.mlp_width
            self.w1 = nn.Parameter(normal(m, d, std=1 / math.sqrt(d)))
            self.b1 = nn.Parameter(torch.zeros(m))
            self.w2 = nn.Parameter(normal(d, m, std=1 / math.sqrt(m)))

    def parts(self, inputs: torch.Tensor) -> dict:
        """The residual pieces at the last position: ``x`` (EOS embedding), ``attn``, ``mlp``."""
        c = self.config
        last = self.embed[inputs[:, -1]]  # (B, d): the query position (EOS)
        out = {"x": last}
        if c.n_heads > 0:
            # keys and values depend on the token only: project the vocabulary once, gather the
            # scores per position and pool the attention per token (same sums as per position,
            # vocab_size instead of B T projections)
            B, T = inputs.shape
            H = c.n_heads
            q = torch.einsum("hed,bd->bhe", self.wq, last)
            k = torch.einsum("hed,vd->hve", self.wk, self.embed)
            v = torch.einsum("hed,vd->hve", self.wv, self.embed)
            idx = inputs[:, None, :].expand(B, H, T)
            scores = torch.einsum("bhe,hve->bhv", q, k).gather(2, idx)
            att = torch.softmax(scores / math.sqrt(c.d_head), -1)
            pooled = att.new_zeros(B, H, c.vocab_size).scatter_add(2, idx, att)
            mix = torch.einsum("bhv,hve->bhe", pooled, v)
            out["attn"] = torch.einsum("hde,bhe->bd", self.wo, mix)
            out["attention"] = att
        else:
            out["attn"] = torch.zeros_like(last)
        h = last + out["attn"]
        if c.mlp_width > 0:
            out["mlp"] = torch.relu(h @ self.w1.T + self.b1) @ self.w2.T
        else:
            out["mlp"] = torch.zeros_like(last)
        return out

    def forward(self, inputs: torch.Tensor, ablate: str | None = None) -> torch.Tensor:
        """Logits ``(B, n_out)`` at the last position; ``ablate`` in {None, "attn", "mlp"} zeroes
        that block's contribution to the output (attention still feeds the MLP unless ablated).
        """
        p = self.parts(inputs) if ablate != "attn" else self._parts_without_attention(inputs)
        y = p["x"] + p["attn"] + (p["mlp"] if ablate != "mlp" else 0.0)
        return y @ self.unembed.T

    def _parts_without_attention(self, inputs):
        c = self.config
        last = self.embed[inputs][:, -1]
        mlp = torch.zeros_like(last)
        if c.mlp_width > 0:
            mlp = torch.relu(last @ self.w1.T + self.b1) @ self.w2.T
        return {"x": last, "attn": torch.zeros_like(last), "mlp": mlp}


@dataclass(frozen=True)
class LinearAttentionConfig:
    """Sizes of :class:`LinearAttentionFactual` (one-hot embeddings: ``d = vocab_size``)."""

    vocab_size: int
    n_out: int
    init: float = 1e-5

    def __post_init__(self):
        as_int("vocab_size", self.vocab_size, 1)
        as_int("n_out", self.n_out, 1)
        as_float("init", self.init, 0.0, None)


class LinearAttentionFactual(nn.Module):
    """:math:`f(z) = \\sum_j a_{z_j} V_{z_j,:}` with ``a = A[EOS, :]`` (arXiv 2412.06538 Fig. 5)."""

    def __init__(self, config: LinearAttentionConfig):
        super().__init__()
        self.config = c = config
        self.a = nn.Parameter(torch.full((c.vocab_size,), float(c.init), dtype=torch.float64))
        self.v = nn.Parameter(
            torch.full((c.vocab_size, c.n_out), float(c.init), dtype=torch.float64)
        )

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits ``(B, n_out)``; one-hot tokens: :math:`x_j^\\top` picks rows of ``a``, ``V``."""
        return (self.token_counts(inputs) * self.a) @ self.v

    def token_counts(self, inputs: torch.Tensor) -> torch.Tensor:
        """``(B, vocab)`` float64 counts of each token in each sequence (the sum over ``j``)."""
        counts = torch.zeros(inputs.shape[0], self.config.vocab_size, dtype=torch.float64)
        return counts.scatter_add_(1, inputs, torch.ones_like(inputs, dtype=torch.float64))
