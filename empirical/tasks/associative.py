"""Associative-recall data: random facts and Zipf-distributed token streams, all seeded.

* Facts ``x -> f(x)`` over ``N`` inputs and ``M`` answers, as an int64 array ``targets`` with
  ``targets[x] = f(x)``:
  - :func:`identity_facts` (``M = N``, ``f(x) = x``; the capacity notebooks of arXiv 2412.06538,
    equivalent in law to a random bijection when the embeddings are i.i.d.);
  - :func:`random_facts` (uniform random answers in ``[M]``, or a random bijection for
    ``M = N``);
  - :func:`block_facts` (``f(x) = floor(x M / N)``, the MLP sweep of arXiv 2412.06538);
  - :func:`modular_facts` (``f(x) = x mod M``, the Zipf experiments of arXiv 2310.02984).
* Zipf data (arXiv 2310.02984, Sec. 2): :func:`zipf_samples` draws exactly ``T`` i.i.d. tokens,
  :func:`zipf_counts` their counts directly (a multinomial draw with the same law), with
  probabilities from :func:`memtheory.scaling.zipf` (rank ``x + 1`` for token index ``x``).
"""

from __future__ import annotations

import numpy as np

from memtheory import scaling
from memtheory.checks import as_float, as_int


def identity_facts(n: int) -> np.ndarray:
    """``f(x) = x`` for ``x < n`` (``M = N``)."""
    n = as_int("n", n, 1)
    return np.arange(n, dtype=np.int64)


def random_facts(n: int, answers: int | None = None, seed: int = 0) -> np.ndarray:
    """Random facts: ``answers=None`` a uniform random bijection of ``[n]``, else i.i.d. uniform
    answers in ``[answers]``. Exactly ``n`` int64 entries; same seed, same facts."""
    n = as_int("n", n, 1)
    rng = np.random.default_rng(seed)
    if answers is None:
        return rng.permutation(n).astype(np.int64)
    answers = as_int("answers", answers, 1)
    return rng.integers(0, answers, size=n, dtype=np.int64)


def block_facts(n: int, answers: int) -> np.ndarray:
    """``f(x) = floor(x M / N)``: ``n`` facts over ``answers`` blocks of (nearly) equal size."""
    n = as_int("n", n, 1)
    answers = as_int("answers", answers, 1)
    return (np.arange(n, dtype=np.int64) * answers) // n


def modular_facts(n: int, answers: int) -> np.ndarray:
    """``f(x) = x mod M`` (arXiv 2310.02984's experiments, ``M = 5``)."""
    n = as_int("n", n, 1)
    answers = as_int("answers", answers, 1)
    return np.arange(n, dtype=np.int64) % answers


def zipf_probabilities(n: int, alpha: float) -> np.ndarray:
    """``p(x) = (x+1)^{-alpha} / H_{n,alpha}`` for token index ``x`` in ``[0, n)``."""
    return np.asarray(scaling.zipf(n, alpha), dtype=np.float64)


def zipf_samples(n: int, alpha: float, samples: int, seed: int = 0) -> np.ndarray:
    """Exactly ``samples`` i.i.d. token indices from the Zipf law on ``[0, n)`` (int64)."""
    samples = as_int("samples", samples, 0)
    alpha = as_float("alpha", alpha, 0.0, None)
    p = zipf_probabilities(n, alpha)
    rng = np.random.default_rng(seed)
    return rng.choice(p.size, size=samples, p=p).astype(np.int64)


def zipf_counts(n: int, alpha: float, samples: int, seed: int = 0) -> np.ndarray:
    """Counts of each token among ``samples`` i.i.d. Zipf draws (multinomial; sums to
    ``samples`` exactly). Same law as ``bincount(zipf_samples(...))``, O(n) time for any T."""
    samples = as_int("samples", samples, 0)
    alpha = as_float("alpha", alpha, 0.0, None)
    p = zipf_probabilities(n, alpha)
    rng = np.random.default_rng(seed)
    return rng.multinomial(samples, p).astype(np.int64)
