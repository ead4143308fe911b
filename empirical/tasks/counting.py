"""Contextual-counting task generator (Golkar et al. 2024, arXiv 2406.02585, Sec. 2).

A sequence is ``BoS`` followed by ``length`` tokens over :math:`\\{0, 1, [, ]\\}` holding
``num_regions`` non-overlapping regions ``[ ... ]``; the target of region :math:`k` is the
number of 1s inside it (:func:`memtheory.counting.region_counts`). The paper trains at
``length = 512`` and ``num_regions = 4`` and evaluates at other lengths and region counts.

**Choices the paper leaves unconfirmed** (``../shared/papers/contextual-counting.md`` §1), made
here and documented in ``docs/experiments/counting.md``:

* ``length`` is the exact number of tokens after BoS (not a maximum);
* every region's inner length is uniform on :math:`\\{0, \\dots, m\\}`
  (``max_region_length`` :math:`= m`), so every count lies in :math:`\\{0, \\dots, m\\}` and the
  count vocabulary has :math:`m + 1` classes whatever the length;
* the ``length - \\sum_k (\\ell_k + 2)`` tokens outside the regions are split into the
  ``num_regions + 1`` gaps (before, between, after the regions) uniformly over all compositions
  (stars and bars), so regions sit anywhere in the sequence;
* every non-delimiter token, inside or outside a region, is 1 with probability ``p_one``
  (default 1/2): 1s outside regions are distractors.

It needs ``length >= num_regions * (max_region_length + 2)``. NumPy only (no torch).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_float, as_int
from memtheory.counting.tokens import BOS, CLOSE, ONE, OPEN

__all__ = ["CountingBatch", "sample_counting", "MAX_LENGTH", "MAX_BATCH_TOKENS"]

MAX_LENGTH = 1 << 16
MAX_BATCH_TOKENS = 1 << 26  # refuse to allocate more token cells than this


@dataclass(frozen=True)
class CountingBatch:
    """A batch of counting examples.

    Attributes:
        tokens: ``(batch, length + 1)`` int64, ``tokens[:, 0] == BoS``.
        counts: ``(batch, num_regions)`` int64, 1s per region (the targets).
        region: ``(batch, length + 1)`` int64 contextual position, ``-1`` outside regions.
        region_length: ``(batch, num_regions)`` int64 inner lengths.
    """

    tokens: np.ndarray
    counts: np.ndarray
    region: np.ndarray
    region_length: np.ndarray


def sample_counting(
    seed,
    batch: int,
    length: int,
    num_regions: int,
    max_region_length: int,
    p_one: float = 0.5,
) -> CountingBatch:
    """Sample ``batch`` counting examples (choices above); same seed, same batch.

    ``seed`` is an int or a ``numpy.random.Generator``. Raises ``ValueError`` naming the
    argument for out-of-range values, and for ``length < num_regions * (max_region_length + 2)``.
    """
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(as_int("seed", seed, minimum=0))
    )
    batch = as_int("batch", batch, minimum=1)
    length = as_int("length", length, minimum=2, maximum=MAX_LENGTH)
    num_regions = as_int("num_regions", num_regions, minimum=1)
    m = as_int("max_region_length", max_region_length, minimum=0)
    p_one = as_float("p_one", p_one, 0.0, 1.0)
    if num_regions * (m + 2) > length:
        raise ValueError(
            f"length must be >= num_regions * (max_region_length + 2) = {num_regions * (m + 2)},"
            f" got {length}"
        )
    if batch * (length + 1) > MAX_BATCH_TOKENS:
        raise ValueError(
            f"batch * (length + 1) must be <= {MAX_BATCH_TOKENS}, got {batch * (length + 1)}"
        )
    R = num_regions
    inner = rng.integers(0, m + 1, size=(batch, R))
    free = length - (inner + 2).sum(axis=1)  # tokens outside the regions, per example
    # uniform composition of `free` into R + 1 gaps: R bars among free + R slots (stars and bars)
    slots = int(free.max()) + R
    keys = rng.random((batch, slots))
    keys[np.arange(slots)[None, :] >= (free + R)[:, None]] = np.inf
    bars = np.sort(np.argsort(keys, axis=1)[:, :R], axis=1)
    gaps_before = (
        bars - np.arange(R)[None, :]
    )  # stars before bar k = outside tokens before region k
    starts = (
        1
        + gaps_before
        + np.concatenate(
            [np.zeros((batch, 1), np.int64), np.cumsum(inner + 2, axis=1)[:, :-1]], axis=1
        )
    )
    ends = starts + inner + 1
    tokens = (rng.random((batch, length + 1)) < p_one).astype(np.int64)
    rows = np.arange(batch)[:, None]
    tokens[rows, starts] = OPEN
    tokens[rows, ends] = CLOSE
    tokens[:, 0] = BOS
    pos = np.arange(length + 1)
    region = np.full((batch, length + 1), -1, np.int64)
    for k in range(R):
        inside = (pos[None, :] >= starts[:, k : k + 1]) & (pos[None, :] <= ends[:, k : k + 1])
        region[inside] = k
    ones = tokens == ONE
    counts = np.stack([(ones & (region == k)).sum(axis=1) for k in range(R)], axis=1)
    return CountingBatch(tokens, counts.astype(np.int64), region, inner.astype(np.int64))
