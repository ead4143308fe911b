r"""Distributional associations vs in-context reasoning: the Bayes floor of noisy recall and the
rank truncation (Chen, Bruna & Bietti 2024, arXiv 2406.03068; ``docs/theory/dynamics.md``
section 3)."""

from __future__ import annotations

import math

import numpy as np

from memtheory.checks import as_array, as_float, as_int
from memtheory.dynamics.arguments import matrix_arg


def binary_entropy(alpha):
    r"""Binary entropy in nats, :math:`h(a) = -a\ln a - (1-a)\ln(1-a)`, with ``h(0) = h(1) = 0``.

    Range ``[0, ln 2]``, maximum at ``a = 1/2``. Scalar in, float out; arrays elementwise.
    """
    a = as_array("alpha", alpha)
    if np.any(a < 0) or np.any(a > 1):
        raise ValueError("alpha must be in [0, 1]")
    from scipy.special import xlogy

    out = -xlogy(a, a) - xlogy(1.0 - a, 1.0 - a)
    return float(out) if out.ndim == 0 else out


def noisy_recall_bayes_floor(noise, vocab_size=None) -> float:
    r"""Bayes floor of the cross-entropy at trigger positions of noisy in-context recall.

    After a trigger the next token is the fixed noise token :math:`\tau` with probability
    :math:`\alpha` (``noise``), otherwise the sequence's output :math:`\bar y`. A predictor that
    knows
    :math:`\bar y` (the best any predictor can do, since knowing more cannot hurt) puts mass
    :math:`\alpha` on :math:`\tau` and :math:`1-\alpha` on :math:`\bar y`, with loss the binary
    entropy :math:`h(\alpha)` (``docs/theory/dynamics.md`` section 3, arXiv
    2406.03068 task). With ``vocab_size`` ``V`` given and :math:`\bar y` uniform over the
    vocabulary, :math:`\bar y = \tau` (probability ``1/V``) has loss 0, so the floor is
    :math:`(1 - 1/V)\,h(\alpha)`.
    """
    h = binary_entropy(as_float("noise", noise, 0.0, 1.0))
    if vocab_size is None:
        return h
    V = as_int("vocab_size", vocab_size, 2)
    return (1.0 - 1.0 / V) * h


def low_rank_truncation(W, rho) -> np.ndarray:
    r"""Best rank-:math:`\lfloor\rho\min(W.\mathrm{shape})\rfloor` approximation of ``W`` (SVD).

    :math:`\rho = 1` returns ``W`` (up to round-off), :math:`\rho = 0` returns 0 (the layer is
    removed). The LASER-style truncation of arXiv 2406.03068 (``docs/theory/dynamics.md`` section
    3, rank
    :math:`\lfloor\rho d\rfloor`); Eckart-Young: no rank-``r`` matrix is closer in Frobenius or
    spectral norm.
    """
    W = matrix_arg("W", W, (None, None))
    rho = as_float("rho", rho, 0.0, 1.0)
    k = min(W.shape)
    r = min(k, int(math.floor(rho * k + 1e-9)))
    if r == 0:
        return np.zeros_like(W)
    Uw, s, Vt = np.linalg.svd(W, full_matrices=False)
    return (Uw[:, :r] * s[:r]) @ Vt[:r]


def truncation_error(W, rank) -> float:
    r"""Eckart-Young error of the best rank-``rank`` approximation:
    :math:`\lVert W - W_r\rVert_F = \sqrt{\sum_{i>r}\sigma_i^2}` (``docs/theory/dynamics.md``
    section 3)."""
    W = matrix_arg("W", W, (None, None))
    rank = as_int("rank", rank, 0, min(W.shape))
    s = np.linalg.svd(W, compute_uv=False)
    return float(math.sqrt(float((s[rank:] ** 2).sum())))
