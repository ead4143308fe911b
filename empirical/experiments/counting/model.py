"""The trained counter: a 1-layer 1-head encoder and a cross-attention-only decoder
(Golkar et al. 2024, arXiv 2406.02585, Sec. 3 and the cross-attention ablation of Sec. 5).

Encoder (pre-LayerNorm): :math:`h = x + \\mathrm{Attn}(\\mathrm{LN}(x))`,
:math:`h \\leftarrow h + \\mathrm{MLP}(\\mathrm{LN}(h))`, :math:`e = \\mathrm{LN}(h)`, with
:math:`x` the token embedding (plus a sinusoidal code for ``absolute``); the attention is causal
or not, and ``rope`` rotates its queries and keys (Su et al. 2021). Decoder: one learned query
per region label, :math:`o_r = \\sum_j \\mathrm{softmax}_j(q_r \\cdot W_K e_j/\\sqrt d)\\, W_V e_j`,
logits :math:`W_O o_r` over the counts: no MLP, no self-attention, so the output is a linear
map of a convex combination of encoder values (the paper's "balancing two learned shapes").
"""

from __future__ import annotations

import math

import torch
from torch import nn

from memtheory.counting import VOCAB_SIZE


def _sinusoid(n: int, d: int, device) -> torch.Tensor:
    pos = torch.arange(n, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2, device=device) / d)
    out = torch.zeros(n, d, device=device)
    out[:, 0::2] = torch.sin(pos * freq)
    out[:, 1::2] = torch.cos(pos * freq)
    return out


def _rope(x: torch.Tensor) -> torch.Tensor:
    """Rotate consecutive pairs of features by position-dependent angles (RoPE)."""
    n, d = x.shape[-2], x.shape[-1]
    pos = torch.arange(n, device=x.device, dtype=x.dtype)[:, None]
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2, device=x.device) / d)
    ang = pos * freq
    cos, sin = torch.cos(ang), torch.sin(ang)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin
    out[..., 1::2] = x1 * sin + x2 * cos
    return out


class CountingModel(nn.Module):
    """Encoder-decoder counter; ``forward(tokens)`` returns logits ``(B, queries, classes)``."""

    def __init__(self, width: int, causal: bool, position: str, queries: int, classes: int):
        super().__init__()
        self.causal, self.position, self.width = causal, position, width
        self.embed = nn.Embedding(VOCAB_SIZE, width)
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(width), nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.proj = nn.Linear(width, width, bias=False)
        self.mlp = nn.Sequential(
            nn.Linear(width, 4 * width), nn.ReLU(), nn.Linear(4 * width, width)
        )
        self.queries = nn.Parameter(torch.randn(queries, width) / math.sqrt(width))
        self.dec_k = nn.Linear(width, width, bias=False)
        self.dec_v = nn.Linear(width, width, bias=False)
        self.readout = nn.Linear(width, classes)

    def encode(self, tokens: torch.Tensor):
        """Encoder outputs ``(B, N, d)`` and its attention weights ``(B, N, N)``."""
        B, N = tokens.shape
        x = self.embed(tokens)
        if self.position == "absolute":
            x = x + _sinusoid(N, self.width, tokens.device)
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        if self.position == "rope":
            q, k = _rope(q), _rope(k)
        s = q @ k.transpose(1, 2) / math.sqrt(self.width)
        if self.causal:
            mask = torch.ones(N, N, dtype=torch.bool, device=tokens.device).triu(1)
            s = s.masked_fill(mask, float("-inf"))
        w = torch.softmax(s, dim=-1)
        h = x + self.proj(w @ v)
        h = h + self.mlp(self.ln2(h))
        return self.ln3(h), w

    def decode(self, enc: torch.Tensor, n_queries: int | None = None):
        """Logits ``(B, Q, classes)`` and the decoder's attention ``(B, Q, N)``."""
        q = self.queries if n_queries is None else self.queries[:n_queries]
        s = torch.einsum("qd,bnd->bqn", q, self.dec_k(enc)) / math.sqrt(self.width)
        w = torch.softmax(s, dim=-1)
        o = w @ self.dec_v(enc)
        return self.readout(o), w

    def forward(self, tokens: torch.Tensor, n_queries: int | None = None) -> torch.Tensor:
        return self.decode(self.encode(tokens)[0], n_queries)[0]
