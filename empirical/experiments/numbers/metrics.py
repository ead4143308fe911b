r"""What the numbers experiment measures (numpy, float64).

- :func:`rel_error`: :math:`\mathrm{mean}_i |\hat y_i-y_i|/|y_i|`.
- :func:`jump_ratio`: continuity. With :math:`J(h)=\max_i|\hat y(a_{i+1})-\hat y(a_i)|` on a grid
  of step :math:`h`, the ratio :math:`J(h/m)/J(h)` is about :math:`1/m` for a :math:`C^1`
  prediction and about 1 for a prediction that jumps (a token encoding's output is constant on
  each 3-digit input bucket and jumps at its edges).
- :func:`overprediction`: the frequency-bias ratio :math:`R_k` of
  :mod:`memtheory.numbers.frequency` measured on predictions.
- :func:`embedding_order`: the geometric-memory question on per-number embeddings sorted by value,
  with the toolkit's geometry metrics (:func:`memtheory.geometry.mean_edge_cosine` on the chain of
  value neighbours vs random pairs; :func:`memtheory.geometry.spectral_energy` on the smoothest
  modes of that chain) and the rank correlation of the first principal component with the value.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from memtheory.geometry import mean_edge_cosine, spectral_energy


def rel_error(pred, true) -> float:
    pred, true = np.asarray(pred, dtype=np.float64), np.asarray(true, dtype=np.float64)
    return float(np.mean(np.abs(pred - true) / np.abs(true)))


def max_jump(pred) -> float:
    return float(np.max(np.abs(np.diff(np.asarray(pred, dtype=np.float64)))))


def jump_ratio(pred_coarse, pred_fine) -> float:
    """:math:`J(h/m)/J(h)` (module docstring); ``inf`` if the coarse prediction is constant."""
    jc = max_jump(pred_coarse)
    return float(max_jump(pred_fine) / jc) if jc > 0 else float("inf")


def nearest(values: np.ndarray, x) -> np.ndarray:
    """Index of the nearest entry of the sorted ``values`` for each ``x`` (ties to the left)."""
    x = np.asarray(x, dtype=np.float64)
    j = np.clip(np.searchsorted(values, x), 1, values.shape[0] - 1)
    return np.where(x - values[j - 1] <= values[j] - x, j - 1, j)


def overprediction(pred, target, values, prior, k: int) -> float:
    r""":math:`R_k=P(\mathrm{round}(\hat y)\in\text{top-}k)/P(y\in\text{top-}k)` on a sample,
    rounding to the nearest grid value."""
    top = np.zeros(len(values), dtype=bool)
    top[np.argsort(-np.asarray(prior), kind="stable")[:k]] = True
    in_pred = top[nearest(values, pred)].mean()
    in_true = top[nearest(values, target)].mean()
    return float(in_pred / in_true)


def dct_modes(n: int, k: int) -> np.ndarray:
    r"""The ``k`` smoothest non-constant eigenvectors of the path graph's Laplacian on ``n``
    nodes: :math:`v_j(i)=\sqrt{2/n}\cos(\pi j(i+\tfrac12)/n)`, :math:`j=1..k` (orthonormal)."""
    i = np.arange(n)[:, None] + 0.5
    j = np.arange(1, k + 1)[None, :]
    return np.sqrt(2.0 / n) * np.cos(np.pi * j * i / n)


def embedding_order(X, value, seed: int = 0, modes: int = 5) -> dict:
    """Order statistics of embeddings ``X`` (one row per number) against their ``value``:
    ``adjacent_cos`` (mean cosine of value neighbours, centered rows), ``random_cos`` (mean
    cosine of random pairs), ``contrast`` (their difference), ``pc1_spearman`` (|rank
    correlation| of the first principal component with the value), ``smooth_energy`` (energy
    on the ``modes`` smoothest chain modes) and ``smooth_energy_chance`` (``modes/(n-1)``)."""
    X = np.asarray(X, dtype=np.float64)
    order = np.argsort(np.asarray(value, dtype=np.float64), kind="stable")
    Xc = X[order] - X[order].mean(axis=0)
    n = Xc.shape[0]
    chain = np.stack([np.arange(n - 1), np.arange(1, n)], axis=1)
    rng = np.random.default_rng(seed)
    u = rng.integers(0, n, size=4 * n)
    v = (u + rng.integers(2, n - 1, size=4 * n)) % n  # never a value neighbour or itself
    adj = mean_edge_cosine(Xc, chain)
    rnd = mean_edge_cosine(Xc, np.stack([u, v], axis=1))
    _, _, vt = np.linalg.svd(Xc, full_matrices=False)
    rho = spearmanr(Xc @ vt[0], np.arange(n)).statistic
    energy = float(np.sum(spectral_energy(Xc, dct_modes(n, modes))))
    return {
        "n": n,
        "adjacent_cos": adj,
        "random_cos": rnd,
        "contrast": adj - rnd,
        "pc1_spearman": float(abs(rho)),
        "smooth_energy": energy,
        "smooth_energy_chance": modes / (n - 1),
    }
