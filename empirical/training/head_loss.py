r"""Cross-entropy of a large output head, computed in row chunks that stay in cache (issue 18).

At the labelled positions of a step the loss is

.. math::

    L = \sum_i \omega_i \big(\log\textstyle\sum_v e^{z_{iv}} - z_{i y_i}\big), \qquad
    z = F W^\top,\quad \omega_i = w_i / \textstyle\sum_j w_j

(:math:`F` the features, :math:`W` the :math:`V \times d` output weight, :math:`w` the position
weights, uniform by default: the mean), with gradients
:math:`\partial L / \partial F = G W` and :math:`\partial L / \partial W = G^\top F`,
:math:`G_{iv} = \omega_i(\mathrm{softmax}(z_i)_v - [v = y_i])`.

``F.linear`` + ``F.cross_entropy`` form :math:`z` and :math:`G` at full size: on the path-star
G(10^4, 6) run that is 691 x 50,010 float32 (138 MB) written and read about eight times per step
(the log-softmax, its output, the zero-filled gradient of the gather, the log-softmax backward),
plus fresh pages from the kernel for each of those buffers. :func:`head_loss` forms the same
quantities for ``rows`` positions at a time in one reused buffer of about 12 MB, and forms
:math:`G` in the forward, in place, so each chunk of logits is written once and read in cache:
the head's forward + backward goes from 407 to 132 ms there on 2 threads (201 ms for the plain
one when glibc backs large buffers with huge pages; ``benchmarks/head_loss.py``).
Each chunk is formed as :math:`z / \ln 2` (the features scaled by :math:`\log_2 e`, a
``rows x d`` product) so that the exponentials are ``exp2``, which torch 2.13 runs 2.6-3.6x
faster than ``exp`` on CPU; the loss adds :math:`\ln 2\,(\max - z_{y})` back.
The values are the same up to float rounding (checked in float64 to 1e-12 in
``tests/empirical/test_head_loss.py``). Small heads (at most one chunk) take the plain path,
so every run with a small vocabulary computes exactly what it did before.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

__all__ = ["CHUNK_ELEMENTS", "head_loss", "weighted_cross_entropy"]

# logits per chunk: 3 * 2^20 float32 = 12 MB (fastest of 16..256 rows measured on 20k, 50k
# and 100k vocabularies: 157, 62 and 31 rows)
CHUNK_ELEMENTS = 3 << 20
_LN2 = math.log(2.0)
_LOG2E = 1.0 / _LN2


def weighted_cross_entropy(logits, targets, weights=None) -> torch.Tensor:
    r"""Mean cross-entropy of ``logits`` (``(M, V)``) against ``targets`` (``M``), or
    :math:`\sum_i w_i\,\mathrm{CE}_i / \sum_i w_i` with position weights ``weights`` (``M``):
    the small-head path of :func:`head_loss` and the loss of
    :func:`empirical.training.train.masked_loss`."""
    if weights is None:
        return F.cross_entropy(logits, targets)
    ce = F.cross_entropy(logits, targets, reduction="none")
    w = weights.to(ce.dtype)
    return (w * ce).sum() / w.sum()


def head_loss(
    feats: torch.Tensor,
    weight: torch.Tensor,
    targets: torch.Tensor,
    weights: torch.Tensor | None = None,
    chunk_elements: int | None = None,
) -> torch.Tensor:
    r"""Weighted mean cross-entropy of ``feats @ weight.T`` (``(M, V)`` logits, never formed
    whole when ``M V > chunk_elements``) against ``targets`` (``M`` class indices);
    ``weights`` (``M``, non-negative, positive sum) weights the positions, ``None`` is the mean.
    ``chunk_elements`` (default :data:`CHUNK_ELEMENTS`) bounds the logits formed at a time.
    Same value and gradients as ``F.cross_entropy(F.linear(feats, weight), targets)`` (or its
    weighted mean), up to float rounding; see the module docstring for the formula."""
    if feats.ndim != 2 or weight.ndim != 2 or feats.shape[1] != weight.shape[1]:
        raise ValueError(
            f"feats (M, d) and weight (V, d) must share d, got {tuple(feats.shape)} and "
            f"{tuple(weight.shape)}"
        )
    m, vocab = feats.shape[0], weight.shape[0]
    if targets.shape != (m,):
        raise ValueError(f"targets must have shape ({m},), got {tuple(targets.shape)}")
    chunk_elements = CHUNK_ELEMENTS if chunk_elements is None else chunk_elements
    if chunk_elements < 1:
        raise ValueError(f"chunk_elements must be >= 1, got {chunk_elements}")
    if weights is not None and weights.shape != (m,):
        raise ValueError(f"weights must have shape ({m},), got {tuple(weights.shape)}")
    if m * vocab <= chunk_elements or m == 0:
        return weighted_cross_entropy(F.linear(feats, weight), targets, weights)
    rows = max(1, chunk_elements // vocab)
    if weights is None:
        omega = torch.full((m,), 1.0 / m, dtype=feats.dtype, device=feats.device)
    else:
        omega = weights.to(feats.dtype) / weights.to(feats.dtype).sum()
    if torch.is_grad_enabled() and (feats.requires_grad or weight.requires_grad):
        return _ChunkedHeadLoss.apply(feats, weight, targets, omega, rows)
    with torch.no_grad():
        return _chunked(feats, weight, targets, omega, rows, False, False)[0]


def _chunked(feats, weight, targets, omega, rows, grad_feats, grad_weight):
    """The loss (and, if asked, :math:`G W` and :math:`G^\\top F`), ``rows`` positions at a
    time in one reused ``(rows, V)`` buffer."""
    m = feats.shape[0]
    buf = torch.empty(min(rows, m), weight.shape[0], dtype=feats.dtype, device=feats.device)
    loss = torch.zeros((), dtype=feats.dtype, device=feats.device)
    gf = torch.empty_like(feats) if grad_feats else None
    gw = torch.zeros_like(weight) if grad_weight else None
    for i in range(0, m, rows):
        f, t, om = feats[i : i + rows], targets[i : i + rows], omega[i : i + rows, None]
        z = torch.mm(f * _LOG2E, weight.T, out=buf[: f.shape[0]])  # the logits / ln 2
        picked = z.gather(1, t[:, None])
        top = z.amax(1, keepdim=True)
        z.sub_(top).exp2_()  # in place: torch.logsumexp would allocate and pass twice more
        total = z.sum(1, keepdim=True)
        loss += (om * (total.log() + _LN2 * (top - picked))).sum()
        if not (grad_feats or grad_weight):
            continue
        z.mul_(om / total)  # omega_i softmax(z_i)
        z[torch.arange(f.shape[0], device=z.device), t] -= om[:, 0]  # G for these rows
        if grad_feats:
            torch.mm(z, weight, out=gf[i : i + rows])
        if grad_weight:
            gw.addmm_(z.T, f)
    return loss, gf, gw


class _ChunkedHeadLoss(torch.autograd.Function):
    """:func:`_chunked` as an autograd function: the gradients are formed in the forward
    (the loss is a scalar, so the backward only scales them)."""

    @staticmethod
    def forward(ctx, feats, weight, targets, omega, rows):
        need_f, need_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        loss, gf, gw = _chunked(feats, weight, targets, omega, rows, need_f, need_w)
        ctx.save_for_backward(*(g for g in (gf, gw) if g is not None))
        ctx.need = (need_f, need_w)
        return loss

    @staticmethod
    def backward(ctx, grad_loss):
        saved = iter(ctx.saved_tensors)
        gf = next(saved) * grad_loss if ctx.need[0] else None
        gw = next(saved) * grad_loss if ctx.need[1] else None
        return gf, gw, None, None, None
