"""The decoder's bias token: the bias law and the "balancing two curves" readout.

Golkar et al. 2024 (arXiv 2406.02585), Sec. 5 and the authors' blog: the counting head attends
equally to the :math:`n` 1-tokens of the queried region and to :math:`b` bias tokens (BoS:
:math:`b = 1`; the "]" tokens: :math:`b = R`, the number of regions). Its output is

.. math:: o(n) = \\frac{n\\,v_1 + b\\,v_b}{n + b},

so consecutive counts differ by :math:`o(n+1) - o(n) = b (v_1 - v_b)/((n+b)(n+b+1))`, i.e.
:math:`(v_1 - v_b)/((n+1)(n+2))` for :math:`b = 1`. With :math:`v_1 = e_1`, :math:`v_b = e_2` the
linear readout :math:`\\ell_c = 2c\\,o_1 - c^2 o_2 / b_{\\text{train}}` peaks at
:math:`c^* = n\\,b_{\\text{train}}/b`: exact when the bias count equals its training value, wrong
otherwise. Symbolic check: ``proofs_check.counting``.
"""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array, as_float, as_int

__all__ = ["bias_output", "bias_gap", "balance_logits", "balance_count"]


def _counts(n):
    arr = as_array("n", n)
    if np.any(arr < 0):
        raise ValueError("n must hold counts >= 0")
    return arr


def _vectors(v_one, v_bias):
    v1 = as_array("v_one", v_one, ndim=1)
    vb = as_array("v_bias", v_bias, ndim=1)
    if v1.shape != vb.shape:
        raise ValueError(f"v_bias must have the shape of v_one {v1.shape}, got {vb.shape}")
    return v1, vb


def bias_output(n, v_one, v_bias, *, bias_tokens: float = 1.0) -> np.ndarray:
    """Attention output :math:`o(n) = (n v_1 + b v_b)/(n + b)` (shape ``n.shape + v.shape``).

    ``n``: counts (>= 0); ``v_one``, ``v_bias``: value vectors of a 1-token and of a bias token;
    ``bias_tokens`` :math:`b > 0` equally attended bias tokens (1 for BoS).
    """
    n = _counts(n)
    v1, vb = _vectors(v_one, v_bias)
    b = as_float("bias_tokens", bias_tokens, 0.0, None, low_open=True)
    return (n[..., None] * v1 + b * vb) / (n[..., None] + b)


def bias_gap(n, v_one, v_bias) -> np.ndarray:
    """:math:`o(n+1) - o(n) = (v_1 - v_b)/((n+1)(n+2))` for one bias token (Golkar et al. 2024,
    Sec. 5: the resolution of the count decays as :math:`n^{-2}`)."""
    n = _counts(n)
    v1, vb = _vectors(v_one, v_bias)
    return (v1 - vb) / ((n[..., None] + 1.0) * (n[..., None] + 2.0))


def balance_logits(o, max_count: int, train_bias_tokens: float = 1.0) -> np.ndarray:
    """Readout :math:`\\ell_c = 2c\\,o_1 - c^2 o_2/b_{\\text{train}}`, :math:`c = 0..C`.

    ``o``: ``(..., 2)`` attention outputs with :math:`v_1 = e_1`, :math:`v_b = e_2`. For
    :math:`o = o(n)` with :math:`b` bias tokens,
    :math:`\\ell_c \\propto 2cn - c^2 b/b_{\\text{train}}`,
    maximal at :math:`c^* = n b_{\\text{train}}/b` (the "balance of two learned shapes").
    """
    o = as_array("o", o)
    if o.ndim < 1 or o.shape[-1] != 2:
        raise ValueError(f"o must have last axis of size 2, got shape {o.shape}")
    C = as_int("max_count", max_count, minimum=0)
    bt = as_float("train_bias_tokens", train_bias_tokens, 0.0, None, low_open=True)
    c = np.arange(C + 1, dtype=np.float64)
    return 2.0 * c * o[..., :1] - c**2 * o[..., 1:] / bt


def balance_count(n, *, bias_tokens: float, train_bias_tokens: float, max_count: int) -> np.ndarray:
    """Decoded count :math:`\\arg\\max_c \\ell_c` for true count ``n`` with ``bias_tokens`` bias
    tokens, when the readout was set for ``train_bias_tokens``: equals ``n`` whenever
    ``bias_tokens == train_bias_tokens`` (and ``n <= max_count``)."""
    o = bias_output(n, [1.0, 0.0], [0.0, 1.0], bias_tokens=bias_tokens)
    return np.argmax(balance_logits(o, max_count, train_bias_tokens), axis=-1)
