"""Float64 softmax attention used by the hand-built and random-weight networks.

:math:`\\mathrm{Attn}(Q, K, V)_i = \\sum_j \\mathrm{softmax}_j(q_i \\cdot k_j + M_{ij})\\, v_j` with
:math:`M_{ij} = -\\infty` for :math:`j > i` when causal (Vaswani et al. 2017); no positional code
(NoPE). Query rows are processed in chunks so that a 4,096-token sequence needs
``chunk x length`` floats at a time, never ``length^2``.
"""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array

__all__ = ["attention", "MAX_ATTENTION_CELLS"]

MAX_ATTENTION_CELLS = 1 << 24  # floats of a returned weight matrix
CHUNK_CELLS = 1 << 20  # floats per chunk of the score matrix


def attention(q, k, v, *, causal: bool, return_weights: bool = False):
    """Softmax attention of queries ``q`` ``(m, d)`` over keys ``k`` ``(n, d)`` and values ``v``
    ``(n, e)``; ``causal`` needs ``m == n`` and masks :math:`j > i`.

    Returns the ``(m, e)`` output, and the ``(m, n)`` weights when ``return_weights`` (then the
    whole matrix is allocated: ``m * n`` must stay below :data:`MAX_ATTENTION_CELLS`).
    """
    q = as_array("q", q, ndim=2)
    k = as_array("k", k, ndim=2)
    v = as_array("v", v, ndim=2)
    if q.shape[1] != k.shape[1]:
        raise ValueError(f"k must have {q.shape[1]} columns like q, got {k.shape[1]}")
    if v.shape[0] != k.shape[0]:
        raise ValueError(f"v must have {k.shape[0]} rows like k, got {v.shape[0]}")
    m, n = q.shape[0], k.shape[0]
    if causal and m != n:
        raise ValueError(f"q must have as many rows as k when causal ({n}), got {m}")
    if return_weights and m * n > MAX_ATTENTION_CELLS:
        raise ValueError(f"q rows x k rows must be <= {MAX_ATTENTION_CELLS} to return weights")
    chunk = max(1, CHUNK_CELLS // max(n, 1))
    out = np.empty((m, v.shape[1]))
    weights = np.empty((m, n)) if return_weights else None
    for start in range(0, m, chunk):
        stop = min(m, start + chunk)
        s = q[start:stop] @ k.T
        if causal:
            s = np.where(np.arange(n)[None, :] > np.arange(start, stop)[:, None], -np.inf, s)
        s = s - s.max(axis=1, keepdims=True)
        w = np.exp(s)
        w /= w.sum(axis=1, keepdims=True)
        out[start:stop] = w @ v
        if return_weights:
            weights[start:stop] = w
    return (out, weights) if return_weights else out
