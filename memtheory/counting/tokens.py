"""Vocabulary and reference labels of the contextual-counting task.

Golkar et al. 2024, *Contextual Counting* (arXiv 2406.02585), Sec. 2: sequences over
:math:`\\{0, 1, [, ]\\}` preceded by a beginning-of-sequence token (BoS), with non-overlapping
regions ``[ ... ]``; the target of region :math:`k` is the number of 1s inside it. The
*contextual position* (CP) of a token is the index of the region it lies in (delimiters included),
:math:`-1` outside every region (the paper writes "-" and counts regions from 1; here from 0).
"""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_int_array

ZERO, ONE, OPEN, CLOSE, BOS = 0, 1, 2, 3, 4
VOCAB_SIZE = 5
TOKEN_NAMES = {ZERO: "0", ONE: "1", OPEN: "[", CLOSE: "]", BOS: "BoS"}

__all__ = [
    "ZERO",
    "ONE",
    "OPEN",
    "CLOSE",
    "BOS",
    "VOCAB_SIZE",
    "TOKEN_NAMES",
    "as_tokens",
    "parse",
    "contextual_position",
    "region_counts",
]


def as_tokens(tokens) -> np.ndarray:
    """``tokens`` as a 1-D int64 array of valid ids: ``BoS`` first and only there, then a
    well-formed sequence (regions ``[ ... ]`` that neither nest nor stay open).

    Raises ``ValueError`` naming ``tokens`` otherwise.
    """
    t = as_int_array("tokens", tokens, minimum=0, maximum=VOCAB_SIZE - 1)
    if t.ndim != 1 or t.size < 1:
        raise ValueError(f"tokens must be a non-empty 1-D sequence, got shape {t.shape}")
    if t[0] != BOS or np.any(t[1:] == BOS):
        raise ValueError("tokens must start with BoS (id 4) and contain it only there")
    depth = np.cumsum((t == OPEN).astype(np.int64) - (t == CLOSE).astype(np.int64))
    if depth.min() < 0 or depth.max() > 1 or depth[-1] != 0:
        raise ValueError("tokens must hold non-nested, closed regions '[ ... ]'")
    return t


def parse(text: str) -> np.ndarray:
    """Tokens from a string such as ``"[ 1 0 ] 1 [ ]"`` (BoS is prepended)."""
    ids = {"0": ZERO, "1": ONE, "[": OPEN, "]": CLOSE}
    body = text.replace("[", " [ ").replace("]", " ] ").split()
    bad = [s for s in body if s not in ids]
    if bad:
        raise ValueError(f"text must use only 0, 1, [ and ], got {bad[0]!r}")
    return as_tokens([BOS] + [ids[s] for s in body])


def contextual_position(tokens) -> np.ndarray:
    """Region index of every token (delimiters included), ``-1`` outside all regions.

    :math:`\\mathrm{CP}_i = \\#\\{j \\le i: x_j = [\\} - 1` when position :math:`i` lies in a
    region, i.e. when :math:`\\#[_{\\le i} > \\#]_{< i}` (Golkar et al. 2024, Sec. 2.1).
    """
    t = as_tokens(tokens)
    opens = np.cumsum(t == OPEN)
    closes_before = np.cumsum(t == CLOSE) - (t == CLOSE)
    inside = opens > closes_before
    return np.where(inside, opens - 1, -1).astype(np.int64)


def region_counts(tokens) -> np.ndarray:
    """Number of 1s inside each region, in order: the task's target (Golkar et al. 2024, Sec. 2).

    :math:`y_k = \\#\\{i: x_i = 1, \\mathrm{CP}_i = k\\}`.
    """
    t = as_tokens(tokens)
    cp = contextual_position(t)
    n_regions = int(np.sum(t == OPEN))
    return np.bincount(cp[(t == ONE) & (cp >= 0)], minlength=n_regions).astype(np.int64)
