"""Proposition 3: a non-causal NoPE encoder with a permutation-invariant head cannot count in
context (Golkar et al. 2024, arXiv 2406.02585, Sec. 4).

Without a positional code and without a causal mask, every encoder layer is permutation
equivariant, :math:`f(P X) = P f(X)`; a head that is invariant over positions (here the
decoder's cross-attention from fixed region queries followed by a linear readout,
:math:`\\sum_j \\mathrm{softmax}_j(q_r \\cdot k_j) v_j`) then gives
:math:`g(f(P X)) = g(f(X))`. Two sequences with the same multiset of tokens get the same
output, yet ``[ 1 1 ] [ ]`` has counts (2, 0) and ``[ 1 ] [ 1 ]`` has (1, 1): such a model
errs on one of them whatever its weights. :func:`random_encoder_decoder` draws weights and
:func:`encoder_decoder_logits` evaluates the model, causal or not, in float64.
"""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_int
from memtheory.counting.attention import attention
from memtheory.counting.tokens import VOCAB_SIZE, as_tokens

__all__ = ["random_encoder_decoder", "encoder_decoder_logits", "MULTISET_PAIR"]

# two sequences with equal token multisets and different targets (Sec. 4)
MULTISET_PAIR = ("[ 1 1 ] [ ]", "[ 1 ] [ 1 ]")


def random_encoder_decoder(
    seed: int, *, width: int = 16, layers: int = 1, queries: int = 2, classes: int = 8
) -> dict:
    """Gaussian weights (std :math:`1/\\sqrt{\\text{fan-in}}`) of an encoder with ``layers``
    single-head attention + ReLU-MLP blocks (residual, NoPE) and a cross-attention decoder with
    ``queries`` region queries and a ``classes``-way linear readout."""
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    d = as_int("width", width, minimum=1, maximum=4096)
    n_layers = as_int("layers", layers, minimum=1, maximum=64)
    nq = as_int("queries", queries, minimum=1, maximum=4096)
    nc = as_int("classes", classes, minimum=1, maximum=4096)

    def g(*shape):
        return rng.standard_normal(shape) / np.sqrt(shape[0])

    blocks = [
        {
            "wq": g(d, d),
            "wk": g(d, d),
            "wv": g(d, d),
            "w1": g(d, 2 * d),
            "b1": 0.1 * rng.standard_normal(2 * d),
            "w2": g(2 * d, d),
        }
        for _ in range(n_layers)
    ]
    return {
        "embed": rng.standard_normal((VOCAB_SIZE, d)),
        "blocks": blocks,
        "queries": rng.standard_normal((nq, d)),
        "wk": g(d, d),
        "wv": g(d, d),
        "readout": g(d, nc),
    }


def encoder_decoder_logits(weights: dict, tokens, causal: bool) -> np.ndarray:
    """Logits ``(queries, classes)`` of the model on one sequence (BoS first), NoPE;
    ``causal`` masks the encoder's attention to :math:`j \\le i`."""
    t = as_tokens(tokens)
    h = weights["embed"][t]
    for blk in weights["blocks"]:
        h = h + attention(h @ blk["wq"], h @ blk["wk"], h @ blk["wv"], causal=bool(causal))
        h = h + np.maximum(0.0, h @ blk["w1"] + blk["b1"]) @ blk["w2"]
    o = attention(weights["queries"], h @ weights["wk"], h @ weights["wv"], causal=False)
    return o @ weights["readout"]
