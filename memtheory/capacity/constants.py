"""Constants of the capacity laws (each with its kind and source) and shared argument checks.

Every fitted or quoted constant is a :class:`Constant`; the laws live in
:mod:`memtheory.capacity.outer_product`, :mod:`memtheory.capacity.trained` and
:mod:`memtheory.capacity.schemes`. Derivations: ``docs/theory/capacity.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from memtheory.checks import as_float, as_int


@dataclass(frozen=True)
class Constant:
    """A named constant of a capacity law: value, ``kind`` and source.

    ``kind`` is ``"fit"`` (fitted to experiments in a paper), ``"derived"`` (derived in this
    module and checked in ``proofs_check.capacity``) or ``"quoted"`` (a theorem, conjecture or
    claim of a paper, not re-derived here).
    """

    value: float
    kind: str
    source: str
    law: str
    cite: str = ""


OUTER_PRODUCT_C_FACT = Constant(
    2.0,
    "derived",
    "Gaussian extreme value over M-1 competitors (this module); equals the conjectured sharp "
    "top-1 threshold d^2 ~ 2 n log n, arXiv 2605.05189 (quoted)",
    "d^2 = c N ln M (typical fact retrieved)",
    cite="derived here; = conj. 2605.05189",
)
OUTER_PRODUCT_C_ALL = Constant(
    8.0,
    "derived",
    "union over N facts x (M-1) competitors with the correct score's own noise (this module)",
    "d^2 = c N L(N,M), L = ln N at M = N (all facts retrieved)",
    cite="derived here",
)
TRAINED_LINEAR_C = Constant(
    1.3,
    "fit",
    "arXiv 2412.06538 Sec. 4.1 (authors' linear-memory notebook, Adam, 99% accuracy, M = N)",
    "d^2 = c N ln N",
    cite="2412.06538 Sec.4.1 fit",
)
TRAINED_LINEAR_C_STATPHYS = Constant(
    2.0,
    "quoted",
    "arXiv 2605.10795 (abstract): p_c log p_c / d^2 = 1/2",
    "d^2 = c N ln N",
    cite="2605.10795 abstract",
)
MLP_C_LOG = Constant(
    0.35,
    "fit",
    "arXiv 2412.06538 Sec. 4.2 (MLP sweep, 99% accuracy, M = N); used as m d = c N ln M",
    "m d = c N ln M",
    cite="2412.06538 Sec.4.2 fit",
)
MLP_C_M32 = Constant(
    1.2,
    "fit",
    "arXiv 2412.06538 Sec. 4.2 (MLP sweep, 99% accuracy, M = 32)",
    "m d = c N",
    cite="2412.06538 Sec.4.2 fit",
)
TRANSFORMER_FACTS_PER_PARAM = Constant(
    0.15,
    "fit",
    "arXiv 2412.06538 Fig. 4 left (guide line, H = 8, D = 8, S = R, 99% accuracy)",
    "N = c (4 H d_h d + 2 m d)",
    cite="2412.06538 Fig.4 left",
)
TRANSFORMER_ATTN_FACTS_PER_UNIT = Constant(
    1024 / 4600,
    "fit",
    "arXiv 2412.06538 Fig. 4 right, boundary MLP = 2300 - attn/2 read at MLP = 0 "
    "(N = 1024, D = 8, d = 32; extrapolated linearly in N)",
    "N = c H d_h d",
    cite="2412.06538 Fig.4 right",
)
TRANSFORMER_MLP_FACTS_PER_UNIT = Constant(
    1024 / 2300,
    "fit",
    "arXiv 2412.06538 Fig. 4 right, boundary read at attention -> 0 (N = 1024, D = 8, d = 32; "
    "extrapolated linearly in N; a minimal attention, about 40 d, is still needed to route)",
    "N = c m d",
    cite="2412.06538 Fig.4 right",
)
BITS_PER_PARAM = Constant(
    2.0,
    "quoted",
    "Allen-Zhu & Li, Physics of LMs 3.3 (about 2 bits of knowledge per parameter)",
    "params = N log2 M / b",
    cite="Allen-Zhu&Li PoLM 3.3",
)
CONSTANTS = {
    "OUTER_PRODUCT_C_FACT": OUTER_PRODUCT_C_FACT,
    "OUTER_PRODUCT_C_ALL": OUTER_PRODUCT_C_ALL,
    "TRAINED_LINEAR_C": TRAINED_LINEAR_C,
    "TRAINED_LINEAR_C_STATPHYS": TRAINED_LINEAR_C_STATPHYS,
    "MLP_C_LOG": MLP_C_LOG,
    "MLP_C_M32": MLP_C_M32,
    "TRANSFORMER_FACTS_PER_PARAM": TRANSFORMER_FACTS_PER_PARAM,
    "TRANSFORMER_ATTN_FACTS_PER_UNIT": TRANSFORMER_ATTN_FACTS_PER_UNIT,
    "TRANSFORMER_MLP_FACTS_PER_UNIT": TRANSFORMER_MLP_FACTS_PER_UNIT,
    "BITS_PER_PARAM": BITS_PER_PARAM,
}

#: the memory schemes of the capacity laws (facts_capacity, required_dimension, the table)
CAPACITY_SCHEMES = (
    "outer_product",
    "outer_product_all",
    "trained_linear",
    "trained_linear_statphys",
    "mlp",
    "transformer",
    "transformer_attention",
    "transformer_mlp",
    "information_floor",
)
MAX_FACTS = 10**15
CRITERIA = ("fact", "all")
#: largest dimension / width / head count any capacity function accepts (keeps powers finite)
MAX_SIZE = 1e18
#: smallest per-fact error the Gaussian model resolves (memtheory.scaling.readout_error works in
#: log space down to 1e-300)
TARGET_ERROR_MIN = 1e-300


def facts_arg(facts) -> int:
    """``facts`` checked as an integer in [2, MAX_FACTS]."""
    return as_int("facts", facts, minimum=2, maximum=MAX_FACTS)


def answers_arg(answers, n: int | None = None) -> int:
    """``answers`` checked as an integer in [2, MAX_FACTS]; ``None`` means ``n`` (M = N)."""
    if answers is None:
        if n is None:
            raise ValueError("answers must be given when facts is unknown")
        return n
    return as_int("answers", answers, minimum=2, maximum=MAX_FACTS)


def constant_value(c, default: Constant, name: str = "c") -> float:
    """``default.value`` when ``c`` is None, else ``c`` checked as a number in (0, 1e6]."""
    if c is None:
        return default.value
    return as_float(name, c, 0.0, 1e6, low_open=True)


def lambert_w(y) -> float:
    """Principal branch :math:`W(y)` for :math:`y \\ge 0` (Halley iteration, pure Python).

    Used to invert :math:`N\\ln N = y`: :math:`N = y / W(y)` (= :math:`e^{W(y)}`).
    """
    y = as_float("y", y, 0.0, None)
    if y == 0.0:
        return 0.0
    w = math.log1p(y) if y < 3.0 else math.log(y) - math.log(math.log(y))
    for _ in range(100):
        ew = math.exp(w)
        f = w * ew - y
        step = f / (ew * (w + 1.0) - (w + 2.0) * f / (2.0 * w + 2.0))
        w -= step
        if abs(step) <= 1e-15 * max(1.0, abs(w)):
            break
    return w


def solve_n_log_n(y: float) -> float:
    """N with :math:`N\\ln N = y` (N >= 1): :math:`N = e^{W(y)}` (:func:`lambert_w`)."""
    return math.exp(lambert_w(y))


def target_error_arg(target_error) -> float | None:
    """``target_error`` checked as a number in [TARGET_ERROR_MIN, 1); ``None`` passes through."""
    if target_error is None:
        return None
    return as_float("target_error", target_error, TARGET_ERROR_MIN, 1.0, high_open=True)


def size_arg(name: str, value, low: float = 0.0) -> float:
    """A real-valued size (dimension, width, head count) checked in (low, MAX_SIZE]."""
    return as_float(name, value, low, MAX_SIZE, low_open=True)
