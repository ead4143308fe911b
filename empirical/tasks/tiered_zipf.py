"""Heavy-tailed classification data: Kunstner et al.'s tiered Zipf, and a Zipf associative memory.

* :func:`tiered_zipf_data`: the synthetic linear-softmax data of Kunstner et al. 2024
  (arXiv 2402.19449, authors' code; notes ``heavy-tailed-imbalance.md`` section 2): ``m`` tiers,
  tier ``i`` holds :math:`2^i` classes of :math:`2^{m-i}` samples each, so :math:`n = m2^m`
  samples, :math:`c = 2^m - 1` classes, :math:`d = (m+1)2^m` features, every tier ``1/m`` of the
  data. The class structure comes from :func:`memtheory.dynamics.tiered_zipf`; the inputs are
  i.i.d. :math:`\\mathcal U[0,1)` (the authors' default; ``inputs="gaussian"`` draws
  :math:`\\mathcal N(0,1)` instead).
* :func:`zipf_memory_data`: the toolkit's Zipf associative-memory task (Cabannes et al. 2024,
  arXiv 2402.18724 Sec. 2; Zipf inputs as in arXiv 2310.02984): ``N`` inputs with
  :math:`p(x)\\propto x^{-a}`, random targets in ``[M]``, Gaussian embeddings
  :math:`\\mathcal N(0, 1/d)`; the loss is the population cross-entropy weighted by ``p``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_choice, as_float, as_int

INPUTS = ("uniform", "gaussian")


@dataclass(frozen=True)
class TieredZipfData:
    """Samples ``X`` (n, d) float64, labels ``y`` (n,) int64, and per-class bookkeeping."""

    X: np.ndarray
    y: np.ndarray
    frequencies: np.ndarray  # (c,) class frequency pi_k (most frequent first)
    tier: np.ndarray  # (c,) tier of each class
    m: int


def tiered_zipf_data(m: int, seed: int = 0, inputs: str = "uniform") -> TieredZipfData:
    """Kunstner et al.'s tiered-Zipf data set of size parameter ``m`` (see module docstring)."""
    from memtheory.dynamics import tiered_zipf

    m = as_int("m", m, 1, 16)
    seed = as_int("seed", seed, 0)
    inputs = as_choice("inputs", inputs, INPUTS)
    tz = tiered_zipf(m)
    y = np.repeat(np.arange(tz.c, dtype=np.int64), tz.counts)
    rng = np.random.default_rng(seed)
    if inputs == "uniform":
        X = rng.random((tz.n, tz.d))
    else:
        X = rng.standard_normal((tz.n, tz.d))
    return TieredZipfData(X, y, np.asarray(tz.frequencies), np.asarray(tz.tier), m)


@dataclass(frozen=True)
class ZipfMemoryData:
    """Embeddings ``E`` (N, d), unembeddings ``U`` (M, d), ``targets`` (N,), ``p`` (N,)."""

    E: np.ndarray
    U: np.ndarray
    targets: np.ndarray
    p: np.ndarray


UNEMBEDDINGS = ("gaussian", "onehot")


def zipf_memory_data(
    n_inputs: int,
    n_outputs: int | None,
    dim: int,
    zipf_exponent: float = 1.0,
    seed: int = 0,
    unembedding: str = "gaussian",
) -> ZipfMemoryData:
    """Zipf associative-memory problem; inputs are ranked (index 0 most frequent).

    ``n_outputs=None`` stores the bijection :math:`f(x) = x` (``M = N``: the output classes are
    as imbalanced as the inputs); otherwise targets are uniform in ``[M]``.
    ``unembedding="onehot"`` uses :math:`u_y = e_y` of the standard basis (one weight row per
    class, as in a last layer; needs ``M <= dim``), ``"gaussian"`` draws
    :math:`\\mathcal N(0, 1/d)` rows.
    """
    from memtheory.scaling import zipf

    N = as_int("n_inputs", n_inputs, 2)
    M = N if n_outputs is None else as_int("n_outputs", n_outputs, 2)
    d = as_int("dim", dim, 1)
    a = as_float("zipf_exponent", zipf_exponent, 0.0, 20.0)
    unembedding = as_choice("unembedding", unembedding, UNEMBEDDINGS)
    if unembedding == "onehot" and M > d:
        raise ValueError(f"dim must be >= the number of outputs ({M}) for one-hot unembeddings")
    rng = np.random.default_rng(as_int("seed", seed, 0))
    E = rng.standard_normal((N, d)) / np.sqrt(d)
    if unembedding == "onehot":
        U = np.eye(M, d)
    else:
        U = rng.standard_normal((M, d)) / np.sqrt(d)
    targets = np.arange(N) if n_outputs is None else rng.integers(0, M, size=N)
    return ZipfMemoryData(E, U, targets.astype(np.int64), zipf(N, a))
