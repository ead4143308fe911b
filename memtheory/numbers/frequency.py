r"""Frequency bias: a classifier over value tokens versus a regression (MSE) head.

xVal's ERA5 temperature experiment shows token encodings over-predicting values that are
frequent in the training data ("horizontal stripes", Golkar et al. 2023, arXiv 2310.02989;
notes ``../shared/papers/xval.md`` §2.2). The toolkit's model of it: values :math:`v_j` with prior
:math:`\pi_j` (Zipf over a random order), observed through :math:`x=v+\sigma\xi`,
:math:`\xi\sim\mathcal N(0,1)`. A head trained with cross-entropy tends to the posterior
:math:`\pi(j\mid x)\propto\pi_j\,\phi((x-v_j)/\sigma)`, so its argmax is the MAP
:math:`\hat\jmath(x)=\arg\max_j\pi(j\mid x)`; an MSE head tends to the posterior mean
:math:`\hat v(x)=\sum_j\pi(j\mid x)\,v_j`. The over-prediction ratio of the :math:`k` most
frequent values is

.. math:: R_k = \frac{P(\text{prediction}\in\text{top-}k)}{P(v\in\text{top-}k)}
          =\frac{\sum_j\pi_j\int\phi(\xi)\,\mathbf 1[\hat y(v_j+\sigma\xi)\in\text{top-}k]
          \,d\xi}{\sum_{j\in\text{top-}k}\pi_j},

with the posterior mean rounded to the nearest value :math:`v_j` before the comparison (the
same resolution the token heads have). :math:`R_k > 1` means the frequent values are
over-predicted. Integrals on a fixed grid of :math:`\xi` (float64, deterministic).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_array, as_float, as_int
from memtheory.result_fields import FieldsAsDict

_XI = np.linspace(-8.0, 8.0, 4001)
_W = np.exp(-0.5 * _XI**2)
_W = _W / _W.sum()


def zipf_prior(n: int, exponent: float, seed: int) -> np.ndarray:
    r""":math:`\pi_j\propto r_j^{-s}` with ranks :math:`r` a seeded random permutation of
    :math:`1..n` (so frequency is unrelated to the value's size)."""
    n = as_int("n", n, minimum=2)
    s = as_float("exponent", exponent, 0.0)
    seed = as_int("seed", seed, minimum=0)
    ranks = np.random.default_rng(seed).permutation(n) + 1
    w = ranks.astype(np.float64) ** (-s)
    return w / w.sum()


def _posterior(values: np.ndarray, prior: np.ndarray, x: np.ndarray, sigma: float):
    z = (x[:, None] - values[None, :]) / sigma
    logp = np.log(prior)[None, :] - 0.5 * z * z
    logp -= logp.max(axis=1, keepdims=True)
    post = np.exp(logp)
    return post / post.sum(axis=1, keepdims=True)


@dataclass(frozen=True, eq=False)
class BayesPredictions(FieldsAsDict):
    r"""The two Bayes-optimal heads on observations ``x`` (:func:`bayes_predictions`).

    ``map`` (len(x),): :math:`v_{\hat\jmath(x)}`, the MAP value (cross-entropy head).
    ``mean`` (len(x),): :math:`\hat v(x)=\sum_j\pi(j\mid x)\,v_j`, the posterior mean (MSE head).

    Holds arrays, so it compares by identity (``eq=False``).
    """

    map: np.ndarray
    mean: np.ndarray


@dataclass(frozen=True)
class OverpredictionRatio(FieldsAsDict):
    r"""Over-prediction ratios :math:`R_k` of the top-k values (:func:`overprediction_ratio`).

    ``map``: :math:`R_k` of the MAP prediction.
    ``mean``: :math:`R_k` of the posterior mean rounded to the nearest value.
    ``top_mass``: :math:`P(v\in\text{top-}k)`, the prior mass of the k most frequent values.
    """

    map: float
    mean: float
    top_mass: float


def bayes_predictions(values, prior, x, *, sigma: float) -> BayesPredictions:
    r""":class:`BayesPredictions` (``map`` :math:`v_{\hat\jmath(x)}`, ``mean`` :math:`\hat v(x)`)
    for observations ``x`` (module docstring)."""
    values, prior, sigma = _check(values, prior, sigma)
    x = as_array("x", x, ndim=1)
    post = _posterior(values, prior, x, sigma)
    return BayesPredictions(map=values[np.argmax(post, axis=1)], mean=post @ values)


def _check(values, prior, sigma):
    values = as_array("values", values, ndim=1)
    prior = as_array("prior", prior, shape=values.shape)
    if values.shape[0] < 2 or np.any(np.diff(values) <= 0):
        raise ValueError("values must be at least 2 strictly increasing numbers")
    if np.any(prior <= 0) or abs(prior.sum() - 1) > 1e-9:
        raise ValueError("prior must be positive and sum to 1")
    return values, prior, as_float("sigma", sigma, 0.0, low_open=True)


def overprediction_ratio(values, prior, *, sigma: float, k: int) -> OverpredictionRatio:
    r""":math:`R_k` (module docstring) of the MAP and of the rounded posterior mean: an
    :class:`OverpredictionRatio` (``map`` :math:`R_k^{MAP}`, ``mean`` :math:`R_k^{mean}`,
    ``top_mass`` :math:`P(v\in\text{top-}k)`)."""
    values, prior, sigma = _check(values, prior, sigma)
    k = as_int("k", k, minimum=1, maximum=values.shape[0] - 1)
    top = np.zeros(values.shape[0], dtype=bool)
    top[np.argsort(-prior, kind="stable")[:k]] = True
    hit_map = hit_mean = 0.0
    for j in range(values.shape[0]):  # one value at a time: memory O(grid x values)
        post = _posterior(values, prior, values[j] + sigma * _XI, sigma)
        j_map = np.argmax(post, axis=1)
        mean = post @ values
        j_mean = np.clip(np.searchsorted(values, mean), 1, values.shape[0] - 1)
        nearer_left = (mean - values[j_mean - 1]) <= (values[j_mean] - mean)
        j_mean = np.where(nearer_left, j_mean - 1, j_mean)
        hit_map += prior[j] * float(_W[top[j_map]].sum())
        hit_mean += prior[j] * float(_W[top[j_mean]].sum())
    mass = float(prior[top].sum())
    return OverpredictionRatio(
        map=float(hit_map / mass),
        mean=float(hit_mean / mass),
        top_mass=mass,
    )
