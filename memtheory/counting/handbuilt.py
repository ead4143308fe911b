"""The hand-built two-layer causal NoPE counter of Propositions 1-2 (Golkar et al. 2024,
arXiv 2406.02585, Sec. 4), in float64 with explicit weights.

**Layer 1** (causal self-attention, one head, no positional code). Every token's query is the
constant :math:`\\beta`; the key is 1 on BoS, "[" and "]" and 0 elsewhere, so token :math:`i`
attends uniformly to BoS and the :math:`D_i` delimiters at or before it (weights on other tokens
are :math:`e^{-\\beta}` relative). With value :math:`[\\,=+1`, :math:`]\\,=-1`, the output is

.. math:: a_i = \\frac{\\#[_{\\le i} - \\#]_{\\le i}}{D_i + 1} =
   \\begin{cases} 1/(2k) & \\text{inside region } k = 1, 2, \\dots \\\\ 0 & \\text{outside,}
   \\end{cases}

because inside region :math:`k` there are :math:`k` openings and :math:`k-1` closings. An MLP of
:math:`3K` ReLUs turns :math:`a_i` into the one-hot contextual position: the tent
:math:`t_k(a) = \\max(0, 1 - |a - 1/(2k)|/w_k)`, :math:`w_k = 1/(4k(k+1))`, is 1 at
:math:`a = 1/(2k)` and 0 at every other :math:`1/(2k')` and at 0 (Proposition 2: a causal NoPE
layer infers CP, here for up to ``max_regions`` :math:`= K` regions).

**Layer 2** (the decoder's cross-attention: Proposition 1, one more layer counts). The query of
region :math:`k` scores token :math:`j` by
:math:`\\beta (t_k(a_j) + [x_j = 1] + 2[x_j = \\text{bias}])`: the :math:`n` 1-tokens of region
:math:`k` and the bias token(s) score :math:`2\\beta`, all others
at most :math:`\\beta`. With values :math:`v_1 = e_1`, :math:`v_b = e_2` the output is the bias
law :math:`o(n) = (n e_1 + b e_2)/(n + b)` (:mod:`memtheory.counting.bias`) and the readout
:math:`\\ell_c = 2c\\,o_1 - c^2 o_2/b_{\\text{train}}` peaks at :math:`c = n`.

``bias="bos"``: :math:`b = 1` whatever the sequence, so the network counts exactly at every
length and every number of regions up to :math:`K`. ``bias="close"``: the "]" tokens are the
bias, :math:`b = R`; the readout is set for :math:`b_{\\text{train}} = ` ``train_regions``, so it
is exact at every length when :math:`R` equals ``train_regions`` and decodes
:math:`n\\,R_{\\text{train}}/R` otherwise (Golkar et al. 2024, Sec. 5: "]"-biased solutions
generalize to new lengths but not to new numbers of regions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_choice, as_float, as_int
from memtheory.counting.attention import MAX_ATTENTION_CELLS, attention
from memtheory.counting.bias import balance_logits
from memtheory.counting.tokens import BOS, CLOSE, ONE, OPEN, VOCAB_SIZE, as_tokens
from memtheory.result_fields import FieldsAsDict

__all__ = [
    "HandBuilt",
    "HandBuiltForward",
    "handbuilt_network",
    "handbuilt_forward",
    "handbuilt_counts",
    "BIASES",
]

BIASES = ("bos", "close")
MAX_REGIONS = 4096


@dataclass(frozen=True, eq=False)
class HandBuilt:
    """Weights of the hand-built counter (see the module docstring for the formulas)."""

    max_regions: int
    max_count: int
    bias: str
    train_regions: int
    beta: float
    embed: np.ndarray  # (vocab, 1): BoS/delimiter indicator used as layer-1 key
    value1: np.ndarray  # (vocab, 1): +1 for "[", -1 for "]"
    mlp_in: np.ndarray  # (3K,) offsets of the tent ReLUs, x - c + w, x - c, x - c - w
    mlp_out: np.ndarray  # (3K, K) tent weights (1/w, -2/w, 1/w)
    centers: np.ndarray  # (K,) 1/(2k)


def handbuilt_network(
    *,
    max_regions: int = 16,
    max_count: int = 64,
    bias: str = "bos",
    train_regions: int = 4,
    beta: float = 100.0,
) -> HandBuilt:
    """Build the counter for up to ``max_regions`` regions and counts up to ``max_count``.

    ``beta`` (> 0, default 100): attention sharpness; weights off the attended set are
    :math:`e^{-\\beta}` relative, i.e. :math:`< 10^{-40}` per token at the default.
    """
    K = as_int("max_regions", max_regions, minimum=1, maximum=MAX_REGIONS)
    C = as_int("max_count", max_count, minimum=0)
    bias = as_choice("bias", bias, BIASES)
    R0 = as_int("train_regions", train_regions, minimum=1)
    beta = as_float("beta", beta, 0.0, None, low_open=True)
    k = np.arange(1, K + 1, dtype=np.float64)
    centers = 1.0 / (2.0 * k)
    w = 1.0 / (4.0 * k * (k + 1.0))
    embed = np.zeros((VOCAB_SIZE, 1))
    embed[[BOS, OPEN, CLOSE], 0] = 1.0
    value1 = np.zeros((VOCAB_SIZE, 1))
    value1[OPEN, 0], value1[CLOSE, 0] = 1.0, -1.0
    mlp_in = np.concatenate([-centers + w, -centers, -centers - w])
    mlp_out = np.zeros((3 * K, K))
    idx = np.arange(K)
    mlp_out[idx, idx] = 1.0 / w
    mlp_out[K + idx, idx] = -2.0 / w
    mlp_out[2 * K + idx, idx] = 1.0 / w
    return HandBuilt(K, C, bias, R0, beta, embed, value1, mlp_in, mlp_out, centers)


@dataclass(frozen=True, eq=False)
class HandBuiltForward(FieldsAsDict):
    """The intermediate values of one forward pass of the counter (:func:`handbuilt_forward`).

    ``a`` (length+1,): layer-1 attention output per token, :math:`1/(2k)` inside region k, else 0.
    ``cp_onehot`` (length+1, K): MLP output, the one-hot contextual position of each token.
    ``o`` (num_queries, 2): decoder cross-attention output, the bias law :math:`o(n)` per region.
    ``decoder_weights`` (num_queries, length+1): decoder attention weights, or ``None`` when
    the sequence is too long to keep them (more than ``MAX_ATTENTION_CELLS`` cells).
    ``logits`` (num_queries, max_count+1): readout :math:`\\ell_c` per queried region.

    Holds arrays, so it compares by identity (``eq=False``).
    """

    a: np.ndarray
    cp_onehot: np.ndarray
    o: np.ndarray
    decoder_weights: np.ndarray | None
    logits: np.ndarray


def handbuilt_forward(net: HandBuilt, tokens, num_queries: int | None = None) -> HandBuiltForward:
    """Run the counter on one sequence (BoS first).

    Returns a :class:`HandBuiltForward`: ``a`` (layer-1 output per token), ``cp_onehot``
    ``(length+1, K)`` (MLP output), ``o`` ``(num_queries, 2)`` (decoder attention output),
    ``decoder_weights`` ``(num_queries, length+1)`` and ``logits``
    ``(num_queries, max_count+1)``. ``num_queries`` defaults to the number of regions in
    ``tokens`` and is at most ``max_regions``.
    """
    t = as_tokens(tokens)
    R = int(np.sum(t == OPEN))
    nq = R if num_queries is None else as_int("num_queries", num_queries, minimum=1)
    if nq > net.max_regions:
        raise ValueError(f"num_queries must be <= max_regions = {net.max_regions}, got {nq}")
    if nq < 1:
        raise ValueError("tokens must contain at least one region when num_queries is not given")
    # layer 1: constant query beta, key = BoS/delimiter indicator, causal, NoPE
    q1 = np.full((t.size, 1), net.beta)
    a = attention(q1, net.embed[t], net.value1[t], causal=True)[:, 0]
    hidden = np.maximum(0.0, a[:, None] + net.mlp_in[None, :])
    cp_onehot = hidden @ net.mlp_out
    # layer 2: cross-attention from region queries; key = [t_1..t_K, is_one + 2 is_bias]
    is_one = (t == ONE).astype(np.float64)
    is_bias = (t == (BOS if net.bias == "bos" else CLOSE)).astype(np.float64)
    keys = np.concatenate([cp_onehot, (is_one + 2.0 * is_bias)[:, None]], axis=1)
    queries = np.zeros((nq, net.max_regions + 1))
    queries[np.arange(nq), np.arange(nq)] = net.beta
    queries[:, -1] = net.beta
    values = np.stack([is_one, is_bias], axis=1)
    if t.size * nq <= MAX_ATTENTION_CELLS:
        o, w = attention(queries, keys, values, causal=False, return_weights=True)
    else:
        o, w = attention(queries, keys, values, causal=False), None
    b_train = 1.0 if net.bias == "bos" else float(net.train_regions)
    logits = balance_logits(o, net.max_count, b_train)
    return HandBuiltForward(a=a, cp_onehot=cp_onehot, o=o, decoder_weights=w, logits=logits)


def handbuilt_counts(net: HandBuilt, tokens, num_queries: int | None = None) -> np.ndarray:
    """Counts decoded by the counter: :math:`\\arg\\max_c \\ell_c` per queried region."""
    return np.argmax(handbuilt_forward(net, tokens, num_queries).logits, axis=1)
