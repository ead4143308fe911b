"""The outer-product (correlation-matrix) memory: asymptotic laws and a finite-size Gaussian model.

:math:`W = \\sum_x u_{f_*(x)} e_x^\\top` with independent uniform unit embeddings and an argmax
readout (derived in ``docs/theory/capacity.md`` section 1, checked in ``proofs_check.capacity``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from memtheory.capacity.constants import (
    CRITERIA,
    MAX_SIZE,
    OUTER_PRODUCT_C_ALL,
    OUTER_PRODUCT_C_FACT,
    answers_arg,
    constant_value,
    facts_arg,
    target_error_arg,
)
from memtheory.checks import as_choice, as_float


def _log_factor(n: float, m: float, criterion: str) -> float:
    if criterion == "fact":
        return math.log(m)
    if n >= m:
        return 0.5 * (math.log(n) + math.log(m))
    return 0.25 * (math.sqrt(math.log(n)) + math.sqrt(math.log(m))) ** 2


def outer_product_log_factor(facts, answers=None, criterion="all") -> float:
    """The log factor :math:`L(N, M)` in :math:`d^2 = c\\,N\\,L` (asymptotic, derived).

    Signal 1 against Gaussian interference of variance :math:`\\sigma^2`: a typical fact
    beats the max of M-1 competitors when :math:`1/\\sigma^2 \\ge 2\\ln M` (``"fact"``,
    :math:`L=\\ln M`, c = 2). All N facts succeed when the worst of :math:`N(M-1)` margins is
    positive; with the correct score's own noise the large-deviation optimum gives
    :math:`1/\\sigma^2 = 4\\ln(NM)` for :math:`N \\ge M` and
    :math:`2(\\sqrt{\\ln N}+\\sqrt{\\ln M})^2` otherwise (``"all"``: c = 8 with
    :math:`L = \\ln(NM)/2` or :math:`((\\sqrt{\\ln N}+\\sqrt{\\ln M})/2)^2`; L = ln N at M = N).
    """
    n = facts_arg(facts)
    m = answers_arg(answers, n)
    return _log_factor(n, m, as_choice("criterion", criterion, CRITERIA))


def _noise(n: float, d: float, m: float) -> tuple[float, float]:
    k = n / m
    var_c = max(k - 1.0, 0.0) / d + max(n - k, 0.0) / d**2
    var_w = (k + 1.0) / d + max(n - k - 1.0, 0.0) / d**2
    return math.sqrt(var_c), math.sqrt(var_w)


class OuterProductNoise(NamedTuple):
    """Interference standard deviations of the correct and of a wrong score."""

    sigma_correct: float
    sigma_wrong: float


def outer_product_noise(facts, d, answers=None) -> OuterProductNoise:
    """Exact interference standard deviations of the outer-product memory (derived here).

    Model: the correlation-matrix memory of Kohonen (1972) and Anderson (1972), read out by
    argmax as in the capacity analysis of arXiv 2412.06538 Sec. 3; the variances are derived
    in ``docs/theory/capacity.md`` section 1 and checked symbolically in
    ``proofs_check.capacity.outer_product`` (``outer_product_noise``). ``d`` in
    [1, MAX_SIZE = 1e18].

    For :math:`W = \\sum_x u_{f(x)}e_x^\\top` with independent uniform unit embeddings in
    :math:`\\mathbb{R}^d` and classes of size :math:`k = N/M`:
    :math:`\\mathrm{Var}(\\text{correct score}) = (k-1)/d + (N-k)/d^2` (mean 1) and
    :math:`\\mathrm{Var}(\\text{wrong score}) = (k+1)/d + (N-k-1)/d^2` (mean 0), from
    :math:`\\mathbb{E}(a^\\top b)^2 = 1/d` for independent unit vectors (derived). Bijection:
    ``(N-1)/d^2`` and ``2/d + (N-2)/d^2``. Returns :class:`OuterProductNoise`
    ``(sigma_correct, sigma_wrong)``.
    """
    n = facts_arg(facts)
    m = answers_arg(answers, n)
    return OuterProductNoise(*_noise(n, as_float("d", d, 1.0, MAX_SIZE), m))


def _op_error(n: float, d: float, m: float) -> float:
    from memtheory.scaling import readout_error

    sc, sw = _noise(n, d, m)
    return readout_error(1.0, sc, sw, answers=m)


def outer_product_error(facts, d, answers=None) -> float:
    """Per-fact retrieval error of the outer-product memory in the Gaussian model (derived).

    :math:`\\Pr[\\text{error}] = \\int\\varphi(z)[1-\\Phi((1+\\sigma_c z)/\\sigma_w)^{M-1}]dz`
    with :math:`\\sigma_c,\\sigma_w` from :func:`outer_product_noise`, the M-1 wrong scores
    treated as independent Gaussians (:func:`memtheory.scaling.readout_error`).
    """
    n = facts_arg(facts)
    return _op_error(n, as_float("d", d, 1.0, MAX_SIZE), answers_arg(answers, n))


def outer_product_all_correct_probability(facts, d, answers=None) -> float:
    """Probability that all N facts are retrieved, :math:`(1-\\epsilon)^N` (independence)."""
    n = facts_arg(facts)
    err = outer_product_error(n, d, answers)
    return math.exp(n * math.log1p(-min(err, 1.0 - 1e-16)))


def _op_gaussian_gap(n: float, d: float, answers, target_error) -> float:
    """Positive when N facts fit in d under the Gaussian model (per-fact error <= target, or
    all facts correct with probability >= 1/2 when ``target_error`` is None)."""
    m = n if answers is None else float(answers)
    err = _op_error(n, d, m)
    if target_error is not None:
        return math.log(target_error) - math.log(max(err, 1e-300))
    return math.log(math.log(2.0)) - math.log(max(n * -math.log1p(-min(err, 1 - 1e-16)), 1e-300))


def _op_asym_d(n: float, answers, criterion: str, c) -> float:
    """Positive root of d^2 = c N L (1 + d/M) for real-valued N."""
    m = n if answers is None else float(answers)
    default = OUTER_PRODUCT_C_FACT if criterion == "fact" else OUTER_PRODUCT_C_ALL
    s2 = constant_value(c, default) * _log_factor(n, m, criterion)
    b = n * s2 / m
    return 0.5 * (b + math.sqrt(b * b + 4.0 * n * s2))


def outer_product_required_dimension(
    facts, answers=None, *, criterion="all", model="asymptotic", target_error=None, c=None
) -> float:
    """Smallest d for N facts in a d x d outer-product memory (real-valued).

    ``model="asymptotic"``: the positive root of :math:`d^2 = cNL(1 + d/M)` (interference
    variance :math:`N/d^2 + N/(Md)`, :func:`outer_product_log_factor`), i.e.
    :math:`d^2 \\approx cNL` when :math:`d \\ll M`; c = 2 (``"fact"``) or 8 (``"all"``), see
    :data:`OUTER_PRODUCT_C_FACT`, :data:`OUTER_PRODUCT_C_ALL`. ``model="gaussian"``: brentq
    in log d on the finite-size model: per-fact error equal to ``target_error`` if given, else
    all facts correct with probability 1/2 (``criterion`` is then ignored).
    """
    n = facts_arg(facts)
    if answers is not None:
        answers = answers_arg(answers)
    criterion = as_choice("criterion", criterion, CRITERIA)
    model = as_choice("model", model, ("asymptotic", "gaussian"))
    target_error = target_error_arg(target_error)
    if model == "asymptotic":
        return _op_asym_d(float(n), answers, criterion, c)
    from scipy.optimize import brentq

    def gap(logd):
        return _op_gaussian_gap(float(n), math.exp(logd), answers, target_error)

    lo, hi = 0.0, math.log(_op_asym_d(float(n), answers, "all", None)) + 1.0
    if gap(lo) >= 0:
        return 1.0
    while gap(hi) < 0:
        lo, hi = hi, hi + 1.0
        if hi > math.log(MAX_SIZE):
            raise ValueError(
                f"target_error {target_error:g} is not reached by any d <= {MAX_SIZE:g} for "
                f"facts={n} in the Gaussian model"
            )
    return math.exp(brentq(gap, lo, hi, xtol=1e-10))


def outer_product_capacity(
    d, answers=None, *, criterion="all", model="asymptotic", target_error=None, c=None
) -> float:
    """Largest number of facts N (real-valued) a d x d outer-product memory retrieves.

    The inverse in N of :func:`outer_product_required_dimension` (brentq on log N), e.g.
    :math:`d^2 = 8N\\ln N(1 + d/N)` for ``"all"`` with M = N (``answers=None``). Model: the
    correlation-matrix memory :math:`W = \\sum_x u_{f_*(x)}e_x^\\top` (Kohonen 1972;
    Anderson 1972) with random unit embeddings, whose thresholds are derived in
    ``docs/theory/capacity.md`` section 1 (the per-fact one equals the conjectured sharp top-1
    threshold :math:`d^2\\sim 2N\\log N` of arXiv 2605.05189; checked in
    ``proofs_check.capacity.outer_product``). ``d`` in [2, MAX_SIZE = 1e18].
    """
    from scipy.optimize import brentq

    d = as_float("d", d, 2.0, MAX_SIZE)
    if answers is not None:
        answers = answers_arg(answers)
    criterion = as_choice("criterion", criterion, CRITERIA)
    model = as_choice("model", model, ("asymptotic", "gaussian"))
    target_error = target_error_arg(target_error)

    def gap(logn):
        n = math.exp(logn)
        if model == "gaussian":
            return _op_gaussian_gap(n, d, answers, target_error)
        return math.log(d) - math.log(_op_asym_d(n, answers, criterion, c))

    lo, hi = math.log(2.0), math.log(max(4.0, d * d))
    if gap(lo) < 0:
        return 2.0
    while gap(hi) > 0:  # N grows until the memory no longer holds it; d <= MAX_SIZE bounds this
        lo, hi = hi, hi + 1.0
        if hi > 200.0:  # pragma: no cover - N > e^200 cannot fit in d <= 1e18
            raise ValueError(f"no finite capacity found for d={d:g}")
    return math.exp(brentq(gap, lo, hi, xtol=1e-12))
