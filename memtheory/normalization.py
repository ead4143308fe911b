"""Normalization identities of Multiple Physics Pretraining (MPP).

Source: McCabe et al., *Multiple Physics Pretraining for Physical Surrogate Models*, NeurIPS
2024 (arXiv 2310.02994), Sec. 3 (RevIN, normalized MSE, the shared field embedding); notes
``../shared/papers/multiple-physics-pretraining.md``. Arrays hold a history of frames with the
field axis last: shape ``(time, *space, fields)``; statistics run over every other axis (the
whole input history, as in the authors' code, not per frame).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from memtheory.checks import as_array, as_float, as_int

__all__ = [
    "EPS",
    "N_FIELDS",
    "revin_stats",
    "revin",
    "normalized_mse",
    "field_gradient_shares",
    "embedding_scale",
    "subsampled_embedding",
]

EPS = 1e-7  # the authors' code
N_FIELDS = 12  # MPP's global vocabulary of field types


def _history(x) -> np.ndarray:
    x = as_array("x", x)
    if x.ndim < 2:
        raise ValueError(f"x must have shape (time, *space, fields), got shape {x.shape}")
    return x


def revin_stats(x, eps: float = EPS) -> tuple[np.ndarray, np.ndarray]:
    """Per-field mean and standard deviation over the whole history (every axis but the last):

    .. math:: \\mu_c = \\operatorname{mean}(x_{\\cdot c}),\\qquad
              \\sigma_c = \\sqrt{\\operatorname{var}(x_{\\cdot c}) + \\epsilon}.
    """
    x = _history(x)
    eps = as_float("eps", eps, 0.0)
    axes = tuple(range(x.ndim - 1))
    return x.mean(axis=axes), np.sqrt(x.var(axis=axes) + eps)


def revin(g: Callable[[np.ndarray], np.ndarray], x, eps: float = EPS) -> np.ndarray:
    """Reversible instance normalization around an inner network ``g`` (MPP Sec. 3):

    .. math:: F(x)_c = \\sigma_c\\, g\\Big(\\frac{x-\\mu}{\\sigma}\\Big)_c + \\mu_c .

    With ``eps = 0``, :math:`F(ax + b) = aF(x) + b` exactly for any ``g``, per-field
    :math:`a > 0` and :math:`b` (``proofs_check.normalization.revin_equivariance``).
    """
    x = _history(x)
    mu, sigma = revin_stats(x, eps)
    if np.any(sigma == 0):
        raise ValueError("x has a constant field: its RevIN scale is 0 (use eps > 0)")
    out = np.asarray(g((x - mu) / sigma), dtype=np.float64)
    if out.shape[-1] != x.shape[-1]:
        raise ValueError(f"g must keep the field axis ({x.shape[-1]}), got shape {out.shape}")
    return sigma * out + mu


def normalized_mse(pred, target, eps: float = EPS) -> np.ndarray:
    """Per-field normalized MSE, the MPP training loss (Sec. 3):

    .. math:: \\mathcal L_c =
       \\frac{\\lVert \\hat y_c - y_c\\rVert^2}{\\lVert y_c\\rVert^2 + \\epsilon}.

    Invariant (for ``eps = 0``) under rescaling a field's prediction and target together.
    """
    pred, target = as_array("pred", pred), as_array("target", target)
    if pred.shape != target.shape or pred.ndim < 1:
        raise ValueError(
            f"pred and target must have one shape, got {pred.shape} and {target.shape}"
        )
    eps = as_float("eps", eps, 0.0)
    axes = tuple(range(pred.ndim - 1))
    return ((pred - target) ** 2).sum(axis=axes) / ((target**2).sum(axis=axes) + eps)


def field_gradient_shares(pred, target, *, loss: str = "nmse", eps: float = EPS) -> np.ndarray:
    """Share of each field in the squared gradient of the summed loss w.r.t. the prediction:

    .. math:: s_c = \\frac{\\lVert\\partial \\mathcal L/\\partial \\hat y_c\\rVert^2}
              {\\sum_{c'}\\lVert\\partial \\mathcal L/\\partial \\hat y_{c'}\\rVert^2},\\qquad
              \\frac{\\partial\\mathcal L}{\\partial \\hat y_c} =
              \\begin{cases} 2(\\hat y_c - y_c)/(\\lVert y_c\\rVert^2+\\epsilon) & \\text{nmse}\\\\
              2(\\hat y_c - y_c)/N & \\text{mse.}\\end{cases}

    Gradients are taken w.r.t. the network's normalized output (``RevIN`` multiplies by
    :math:`\\sigma_c`), so a field whose values and errors are scaled by :math:`s` gets a share
    :math:`\\propto s^0` under nmse and :math:`\\propto s^4` under mse.
    """
    pred, target = as_array("pred", pred), as_array("target", target)
    if pred.shape != target.shape or pred.ndim < 2:
        raise ValueError(
            f"pred and target must have one shape, got {pred.shape} and {target.shape}"
        )
    if loss not in ("nmse", "mse"):
        raise ValueError(f"loss must be 'nmse' or 'mse', got {loss!r}")
    axes = tuple(range(pred.ndim - 1))
    _, sigma = revin_stats(target, eps)
    err = pred - target
    if loss == "nmse":
        grad = 2 * err / ((target**2).sum(axis=axes) + eps)
    else:
        grad = 2 * err / target.size
    sq = ((sigma * grad) ** 2).sum(axis=axes)
    return sq / sq.sum()


def embedding_scale(present: int, n_fields: int = N_FIELDS) -> float:
    """MPP's rescaling of the sub-sampled field embedding: :math:`\\sqrt{n_{\\rm fields}/k}`.

    With ``k`` = ``present`` unit-variance fields and i.i.d. weights of variance :math:`v`, the
    embedding :math:`h = \\sqrt{n/k}\\sum_{c\\in S} x_c W_c` has variance :math:`n v` for every
    ``k`` (``proofs_check.normalization.embedding_variance``).
    """
    n_fields = as_int("n_fields", n_fields, 1)
    present = as_int("present", present, 1, n_fields)
    return float(np.sqrt(n_fields / present))


def subsampled_embedding(x, W, present) -> np.ndarray:
    """:math:`h = \\sqrt{n/k}\\, x W_S`: the 1x1 projection using only the present fields' rows.

    ``x``: shape ``(..., k)`` values of the present fields; ``W``: ``(n_fields, width)``;
    ``present``: the k field ids (distinct, in ``[0, n_fields)``).
    """
    x = as_array("x", x)
    W = as_array("W", W, ndim=2)
    ids = np.asarray(present)
    if ids.ndim != 1 or ids.size != x.shape[-1] or len(set(ids.tolist())) != ids.size:
        raise ValueError(f"present must list {x.shape[-1]} distinct field ids, got {present!r}")
    if ids.min() < 0 or ids.max() >= W.shape[0]:
        raise ValueError(f"present must hold field ids in [0, {W.shape[0]}), got {present!r}")
    return embedding_scale(ids.size, W.shape[0]) * (x @ W[ids])
