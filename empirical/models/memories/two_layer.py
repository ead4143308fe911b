"""Two-layer Transformer of the noisy in-context recall paper, with per-layer outputs for probes.

Chen, Bruna & Bietti 2024 (arXiv 2406.03068, Sec. 3 and the released script), itself the
simplified model of Bietti et al. 2023 (arXiv 2306.00802, Sec. 4): frozen random token
embeddings :math:`w_E` and unembedding :math:`w_U` (:math:`\\mathcal N(0, 1/d)`), frozen random
absolute positional embeddings, one causal head per layer with :math:`W_Q = I` and learned
:math:`W_K, W_V, W_O`, scores scaled by :math:`1/\\sqrt d`, a two-layer ReLU feed-forward layer of
hidden width ``ff_mult * d`` in both blocks (``ff_layers`` selects which exist), residual
connections and no LayerNorm::

    h0 = w_E(x) + p;  h1 = h0 + attn1(h0);  h1' = h1 + ff1(h1);
    h2 = h1' + attn2(h1');  h2' = h2 + ff2(h2);  logits = h2' w_U^T

``forward(inputs, return_parts=True)`` also returns every block's output (``attn1``, ``ff1``,
``attn2``, ``ff2``), the residual streams and the attention maps, for the per-layer probes of
:mod:`empirical.measure.recall_probes`. ``ff_override`` replaces a feed-forward block's weight
matrices (e.g. by a low-rank truncation) without touching the trained module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from memtheory.checks import as_int

FF_LAYERS = ((), (1,), (2,), (1, 2))


@dataclass(frozen=True)
class TwoLayerConfig:
    """Sizes of :class:`TwoLayerTransformer` (validated on construction)."""

    vocab_size: int = 64
    seq_len: int = 128
    d_model: int = 64
    ff_mult: int = 4
    ff_layers: tuple = (1, 2)
    seed: int = 0

    def __post_init__(self):
        as_int("vocab_size", self.vocab_size, 2)
        as_int("seq_len", self.seq_len, 2)
        as_int("d_model", self.d_model, 2)
        as_int("ff_mult", self.ff_mult, 1)
        as_int("seed", self.seed, 0)
        if tuple(self.ff_layers) not in FF_LAYERS:
            raise ValueError(f"ff_layers must be one of {FF_LAYERS}, got {self.ff_layers!r}")


class FeedForward(nn.Module):
    """:math:`x\\mapsto W_2\\,\\mathrm{ReLU}(W_1 x)` (no bias, as in the papers' FF)."""

    def __init__(self, d: int, hidden: int, g: torch.Generator):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(hidden, d, generator=g) / math.sqrt(d))
        self.w2 = nn.Parameter(torch.randn(d, hidden, generator=g) / math.sqrt(hidden))

    def forward(self, x, w1=None, w2=None):
        w1 = self.w1 if w1 is None else w1
        w2 = self.w2 if w2 is None else w2
        return torch.relu(x @ w1.T) @ w2.T


class Attention(nn.Module):
    """Causal single head with :math:`W_Q = I`; returns the output and the attention map."""

    def __init__(self, d: int, g: torch.Generator):
        super().__init__()
        s = 1 / math.sqrt(d)
        self.wk = nn.Parameter(torch.randn(d, d, generator=g) * s)
        self.wv = nn.Parameter(torch.randn(d, d, generator=g) * s)
        self.wo = nn.Parameter(torch.randn(d, d, generator=g) * s)

    def mixed(self, h):
        """``(att @ (h W_V^T), att)``: the values mixed by the causal attention map, before
        :math:`W_O` (position-wise, so it can be applied at chosen positions only)."""
        T = h.shape[1]
        k = h @ self.wk.T
        scores = h @ k.transpose(1, 2) / math.sqrt(h.shape[-1])
        mask = torch.ones(T, T, dtype=torch.bool, device=h.device).tril()
        att = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        return att @ (h @ self.wv.T), att

    def forward(self, h):
        mixed, att = self.mixed(h)
        return mixed @ self.wo.T, att


class TwoLayerTransformer(nn.Module):
    """The two-layer model; see the module docstring for the equations."""

    def __init__(self, config: TwoLayerConfig):
        super().__init__()
        self.config = c = config
        g = torch.Generator().manual_seed(c.seed)
        d = c.d_model
        self.register_buffer("embed", torch.randn(c.vocab_size, d, generator=g) / math.sqrt(d))
        self.register_buffer("unembed", torch.randn(c.vocab_size, d, generator=g) / math.sqrt(d))
        self.register_buffer("pos", torch.randn(c.seq_len, d, generator=g) / math.sqrt(d))
        self.attn1 = Attention(d, g)
        self.attn2 = Attention(d, g)
        self.ff = nn.ModuleDict(
            {str(i): FeedForward(d, c.ff_mult * d, g) for i in sorted(set(c.ff_layers))}
        )

    def forward(self, inputs: torch.Tensor, return_parts: bool = False, ff_override=None):
        """Logits ``(B, T, V)``; with ``return_parts`` also a dict of per-block outputs.

        ``ff_override``: ``{layer: (w1, w2)}`` weights used instead of that FF layer's own, or
        ``{layer: None}`` to remove the layer.
        """
        ff_override = ff_override or {}
        T = inputs.shape[1]
        parts = {}
        h = self.embed[inputs] + self.pos[:T]
        parts["embed"] = h
        for layer, attn in ((1, self.attn1), (2, self.attn2)):
            a, att = attn(h)
            parts[f"attn{layer}"], parts[f"att_map{layer}"] = a, att
            h = h + a
            key = str(layer)
            f = torch.zeros_like(h)
            if key in self.ff and not (layer in ff_override and ff_override[layer] is None):
                w = ff_override.get(layer, (None, None))
                f = self.ff[key](h, *w)
            parts[f"ff{layer}"] = f
            h = h + f
            parts[f"resid{layer}"] = h
        logits = h @ self.unembed.T
        return (logits, parts) if return_parts else logits

    def labelled_logits(self, inputs: torch.Tensor, labels: torch.Tensor, ignore: int = -100):
        """``(logits, labels)`` at the labelled positions only (``labels != ignore``): (n, V), (n,).

        The same function as :meth:`forward` read at those rows: everything after the second
        attention's mixing is position-wise (:math:`W_O`, residual, FF2, unembedding), so it is
        formed only where a label is (16% of the positions of the distributional quick batch);
        keys and values still see every position. About 40% less work per training step.
        """
        T = inputs.shape[1]
        rows, cols = torch.nonzero(labels != ignore, as_tuple=True)
        h = self.embed[inputs] + self.pos[:T]
        a, _ = self.attn1(h)
        h = h + a
        if "1" in self.ff:
            h = h + self.ff["1"](h)
        mixed, _ = self.attn2.mixed(h)
        h2 = h[rows, cols] + mixed[rows, cols] @ self.attn2.wo.T
        if "2" in self.ff:
            h2 = h2 + self.ff["2"](h2)
        return h2 @ self.unembed.T, labels[rows, cols]
