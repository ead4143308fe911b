"""How many facts fit in a memory of a given size, and the smallest memory for N facts.

Memories (N facts :math:`x \\mapsto f_*(x)` over M answers; ``answers=None`` means M = N, the
bijection :math:`f_*(x)=x` of the capacity notebooks; ``ln`` is the natural log):

* **Linear d x d memory, outer-product (correlation-matrix) rule**
  :math:`W = \\sum_x u_{f_*(x)} e_x^\\top`, argmax readout, independent uniform unit
  embeddings. Derived here: signal 1, interference variance :math:`N/d^2 + N/(Md)`, so a
  typical fact is retrieved when :math:`d^2 \\gtrsim 2N\\ln M` and *all* facts when
  :math:`d^2 \\gtrsim 8N\\ln N` (M = N). The first coincides with the conjectured sharp top-1
  threshold :math:`d^2\\sim 2n\\log n` of arXiv 2605.05189 (quoted). A finite-size Gaussian
  model (:func:`outer_product_error`) is solved numerically.
* **Trained linear memory** (cross-entropy, Adam): fit :math:`d^2 \\approx 1.3\\,N\\ln N` at 99%
  accuracy (arXiv 2412.06538, Section 4.1 / authors' notebook); statistical-physics capacity
  :math:`p_c\\ln p_c/d^2 = 1/2` (arXiv 2605.10795, quoted).
* **MLP memory** :math:`V\\,\\mathrm{ReLU}(We_x+b)`, width m, input dimension d: fits
  :math:`md \\approx 0.35\\,N\\ln N` (M = N) and :math:`md \\approx 1.2\\,N` (M = 32), arXiv
  2412.06538. Both equal :math:`md \\approx 0.35\\,N\\ln M` (1.2/ln 32 = 0.346): ~2 bits per
  parameter.
* **One-layer transformer**: :math:`4Hd_hd + 2md` parameters, 0.15 facts per parameter
  (arXiv 2412.06538, Fig. 4 left); through attention or MLP alone from the trade-off boundary
  of Fig. 4 right.
* **Information floor**: :math:`N\\log_2 M` bits; at ``b`` bits per parameter,
  :math:`N\\log_2 M/b` parameters.
* **Graph storage** (arXiv 2510.26745, Propositions 1-3): bits and l2 norm of associative vs
  geometric storage.

Every fitted or quoted constant is a :class:`Constant` with its source; pass ``c=`` to
override. CLI: ``python -m memtheory.capacity --facts 1e5`` (numpy only at load).
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass

from memtheory.checks import as_choice, as_float, as_int
from memtheory.cli import ArgumentParser, run_cli

__all__ = [
    "Constant",
    "OUTER_PRODUCT_C_FACT",
    "OUTER_PRODUCT_C_ALL",
    "TRAINED_LINEAR_C",
    "TRAINED_LINEAR_C_STATPHYS",
    "MLP_C_LOG",
    "MLP_C_M32",
    "TRANSFORMER_FACTS_PER_PARAM",
    "TRANSFORMER_ATTN_FACTS_PER_UNIT",
    "TRANSFORMER_MLP_FACTS_PER_UNIT",
    "BITS_PER_PARAM",
    "CONSTANTS",
    "SCHEMES",
    "lambert_w",
    "outer_product_log_factor",
    "outer_product_noise",
    "outer_product_error",
    "outer_product_all_correct_probability",
    "outer_product_capacity",
    "outer_product_required_dimension",
    "trained_linear_capacity",
    "mlp_required_md",
    "mlp_capacity",
    "mlp_required_width",
    "transformer_parameters",
    "transformer_capacity",
    "information_bits",
    "information_floor_parameters",
    "facts_capacity",
    "required_dimension",
    "required_parameters",
    "graph_storage",
    "capacity_table",
    "main",
]


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

SCHEMES = (
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
_MAX_FACTS = 10**15
CRITERIA = ("fact", "all")


# --------------------------------------------------------------------------- helpers


def _facts(facts) -> int:
    return as_int("facts", facts, minimum=2, maximum=_MAX_FACTS)


def _answers(answers, n: int | None = None) -> int:
    if answers is None:
        if n is None:
            raise ValueError("answers must be given when facts is unknown")
        return n
    return as_int("answers", answers, minimum=2, maximum=_MAX_FACTS)


def _const(c, default: Constant, name: str = "c") -> float:
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


def _solve_n_log_n(y: float) -> float:
    """N with N ln N = y (N >= 1)."""
    return math.exp(lambert_w(y))


# --------------------------------------------------------------------------- outer product


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
    n = _facts(facts)
    m = _answers(answers, n)
    return _log_factor(n, m, as_choice("criterion", criterion, CRITERIA))


def _noise(n: float, d: float, m: float) -> tuple[float, float]:
    k = n / m
    var_c = max(k - 1.0, 0.0) / d + max(n - k, 0.0) / d**2
    var_w = (k + 1.0) / d + max(n - k - 1.0, 0.0) / d**2
    return math.sqrt(var_c), math.sqrt(var_w)


def outer_product_noise(facts, d, answers=None) -> tuple[float, float]:
    """Exact interference standard deviations of the outer-product memory.

    For :math:`W = \\sum_x u_{f(x)}e_x^\\top` with independent uniform unit embeddings in
    :math:`\\mathbb{R}^d` and classes of size :math:`k = N/M`:
    :math:`\\mathrm{Var}(\\text{correct score}) = (k-1)/d + (N-k)/d^2` (mean 1) and
    :math:`\\mathrm{Var}(\\text{wrong score}) = (k+1)/d + (N-k-1)/d^2` (mean 0), from
    :math:`\\mathbb{E}(a^\\top b)^2 = 1/d` for independent unit vectors (derived). Bijection:
    ``(N-1)/d^2`` and ``2/d + (N-2)/d^2``. Returns ``(sigma_correct, sigma_wrong)``.
    """
    n = _facts(facts)
    m = _answers(answers, n)
    return _noise(n, as_float("d", d, 1.0, None), m)


def _op_error(n: float, d: float, m: float) -> float:
    from memtheory.scaling import readout_error

    sc, sw = _noise(n, d, m)
    return readout_error(1.0, sc, sw, m)


def outer_product_error(facts, d, answers=None) -> float:
    """Per-fact retrieval error of the outer-product memory in the Gaussian model (derived).

    :math:`\\Pr[\\text{error}] = \\int\\varphi(z)[1-\\Phi((1+\\sigma_c z)/\\sigma_w)^{M-1}]dz`
    with :math:`\\sigma_c,\\sigma_w` from :func:`outer_product_noise`, the M-1 wrong scores
    treated as independent Gaussians (:func:`memtheory.scaling.readout_error`).
    """
    n = _facts(facts)
    return _op_error(n, as_float("d", d, 1.0, None), _answers(answers, n))


def outer_product_all_correct_probability(facts, d, answers=None) -> float:
    """Probability that all N facts are retrieved, :math:`(1-\\epsilon)^N` (independence)."""
    n = _facts(facts)
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
    s2 = _const(c, default) * _log_factor(n, m, criterion)
    b = n * s2 / m
    return 0.5 * (b + math.sqrt(b * b + 4.0 * n * s2))


def outer_product_required_dimension(
    facts, answers=None, criterion="all", model="asymptotic", target_error=None, c=None
) -> float:
    """Smallest d for N facts in a d x d outer-product memory (real-valued).

    ``model="asymptotic"``: the positive root of :math:`d^2 = cNL(1 + d/M)` (interference
    variance :math:`N/d^2 + N/(Md)`, :func:`outer_product_log_factor`), i.e.
    :math:`d^2 \\approx cNL` when :math:`d \\ll M`; c = 2 (``"fact"``) or 8 (``"all"``), see
    :data:`OUTER_PRODUCT_C_FACT`, :data:`OUTER_PRODUCT_C_ALL`. ``model="gaussian"``: brentq
    in log d on the finite-size model: per-fact error equal to ``target_error`` if given, else
    all facts correct with probability 1/2 (``criterion`` is then ignored).
    """
    n = _facts(facts)
    if answers is not None:
        answers = _answers(answers)
    criterion = as_choice("criterion", criterion, CRITERIA)
    model = as_choice("model", model, ("asymptotic", "gaussian"))
    if target_error is not None:
        target_error = as_float(
            "target_error", target_error, 0.0, 1.0, low_open=True, high_open=True
        )
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
    return math.exp(brentq(gap, lo, hi, xtol=1e-10))


def outer_product_capacity(
    d, answers=None, criterion="all", model="asymptotic", target_error=None, c=None
) -> float:
    """Largest number of facts N (real-valued) a d x d outer-product memory retrieves.

    The inverse in N of :func:`outer_product_required_dimension` (brentq on log N), e.g.
    :math:`d^2 = 8N\\ln N(1 + d/N)` for ``"all"`` with M = N (``answers=None``).
    """
    from scipy.optimize import brentq

    d = as_float("d", d, 2.0, 1e12)
    if answers is not None:
        answers = _answers(answers)
    criterion = as_choice("criterion", criterion, CRITERIA)
    model = as_choice("model", model, ("asymptotic", "gaussian"))
    if target_error is not None:
        target_error = as_float(
            "target_error", target_error, 0.0, 1.0, low_open=True, high_open=True
        )

    def gap(logn):
        n = math.exp(logn)
        if model == "gaussian":
            return _op_gaussian_gap(n, d, answers, target_error)
        return math.log(d) - math.log(_op_asym_d(n, answers, criterion, c))

    lo, hi = math.log(2.0), math.log(max(4.0, d * d))
    if gap(lo) < 0:
        return 2.0
    while gap(hi) > 0:
        lo, hi = hi, hi + 1.0
    return math.exp(brentq(gap, lo, hi, xtol=1e-12))


# --------------------------------------------------------------------------- trained linear


def trained_linear_capacity(d, answers=None, c=None, statphys=False) -> float:
    """Facts a trained d x d linear memory stores: :math:`d^2 = cN\\ln M`.

    M = N (default): :math:`N\\ln N = d^2/c`, :math:`N = e^{W(d^2/c)}` (Lambert W). Fixed M:
    :math:`N = d^2/(c\\ln M)`. c = 1.3 (fit, :data:`TRAINED_LINEAR_C`) or 2 with
    ``statphys=True`` (:data:`TRAINED_LINEAR_C_STATPHYS`). The fit was made at M = N; the
    :math:`\\ln M` dependence for other M is the extreme-value form (assumes :math:`M\\gtrsim d`).
    """
    d = as_float("d", d, 1.0, 1e12)
    cc = _const(c, TRAINED_LINEAR_C_STATPHYS if statphys else TRAINED_LINEAR_C)
    if answers is None:
        return _solve_n_log_n(d * d / cc)
    m = _answers(answers)
    return d * d / (cc * math.log(m))


# --------------------------------------------------------------------------- MLP


def mlp_required_md(facts, answers=None, c=None) -> float:
    """Product :math:`md` an MLP memory needs for N facts (fit, arXiv 2412.06538 Sec. 4.2).

    :math:`md = 1.2\\,N` at M = 32 (:data:`MLP_C_M32`), otherwise :math:`md = 0.35\\,N\\ln M`
    (:data:`MLP_C_LOG`, fitted at M = N).
    """
    n = _facts(facts)
    m = _answers(answers, n)
    if m == 32 and c is None:
        return MLP_C_M32.value * n
    return _const(c, MLP_C_LOG) * n * math.log(m)


def mlp_capacity(m, d, answers=None, c=None) -> float:
    """Facts an MLP memory of width ``m`` and input dimension ``d`` stores (inverse of
    :func:`mlp_required_md`; M = N solved with Lambert W)."""
    width = as_float("m", m, 1.0, 1e12)
    d = as_float("d", d, 1.0, 1e12)
    md = width * d
    if answers is None:
        return _solve_n_log_n(md / _const(c, MLP_C_LOG))
    a = _answers(answers)
    if a == 32 and c is None:
        return md / MLP_C_M32.value
    return md / (_const(c, MLP_C_LOG) * math.log(a))


def mlp_required_width(facts, d, answers=None, c=None) -> float:
    """Width m needed at input dimension d: :math:`m = (md)_{\\rm req}/d`."""
    d = as_float("d", d, 1.0, 1e12)
    return mlp_required_md(facts, answers, c) / d


# --------------------------------------------------------------------------- transformer


def transformer_parameters(d, heads, head_dim, mlp_width) -> int:
    """Trainable parameters of the one-layer transformer of arXiv 2412.06538, Sec. 4.1:
    :math:`4Hd_hd` (Q, K, V, O) :math:`+ 2md` (MLP in/out), embeddings and biases excluded."""
    d = as_int("d", d, minimum=1)
    h = as_int("heads", heads, minimum=0)
    dh = as_int("head_dim", head_dim, minimum=0)
    m = as_int("mlp_width", mlp_width, minimum=0)
    return 4 * h * dh * d + 2 * m * d


TRANSFORMER_FIT_ANSWERS = 8  # D = 8 answers per relation in the Fig. 4 sweeps


def _transformer_units(through, d, heads, head_dim, mlp_width, c) -> float:
    """Facts at D = 8 answers for the given (real-valued) sizes."""
    attn = heads * head_dim * d
    mlp = mlp_width * d
    if through == "both":
        return _const(c, TRANSFORMER_FACTS_PER_PARAM) * (4.0 * attn + 2.0 * mlp)
    if through == "attention":
        return _const(c, TRANSFORMER_ATTN_FACTS_PER_UNIT) * attn
    return _const(c, TRANSFORMER_MLP_FACTS_PER_UNIT) * mlp


def _facts_from_bits(bits: float, answers) -> float:
    """N with N log2 M = bits (M = N when answers is None)."""
    if answers is None:
        return _solve_n_log_n(bits * math.log(2.0))
    return bits / math.log2(answers)


def transformer_capacity(
    d, heads, head_dim, mlp_width, c=None, through="both", answers=TRANSFORMER_FIT_ANSWERS
) -> float:
    """Facts a one-layer transformer stores (fits of arXiv 2412.06538, Fig. 4); real sizes ok.

    At the fits' D = 8 answers: ``"both"``: :math:`N = 0.15(4Hd_hd+2md)` (Fig. 4 left);
    ``"attention"``: :math:`N = 0.223\\,Hd_hd` (no MLP); ``"mlp"``: :math:`N = 0.445\\,md`
    (Fig. 4 right boundary, read at N = 1024 and extrapolated linearly). For other M
    (``answers``; None means M = N) the fit is transferred at constant *bits* per parameter,
    :math:`N\\log_2 M = 3 N_{D=8}` (an assumption of this toolkit, not a paper's fit).
    """
    through = as_choice("through", through, ("both", "attention", "mlp"))
    d = as_float("d", d, 1.0, None)
    h = as_float("heads", heads, 0.0, None)
    dh = as_float("head_dim", head_dim, 0.0, None)
    m = as_float("mlp_width", mlp_width, 0.0, None)
    facts8 = _transformer_units(through, d, h, dh, m, c)
    if answers == TRANSFORMER_FIT_ANSWERS:
        return facts8
    if answers is not None:
        answers = _answers(answers)
    return _facts_from_bits(facts8 * math.log2(TRANSFORMER_FIT_ANSWERS), answers)


# --------------------------------------------------------------------------- information


def information_bits(facts, answers=None) -> float:
    """:math:`N\\log_2 M` bits in N uniformly random facts over M answers (arXiv 2412.06538,
    Sec. 2; the basis of its lower bounds)."""
    n = _facts(facts)
    return n * math.log2(_answers(answers, n))


def information_floor_parameters(facts, answers=None, bits_per_param=None) -> float:
    """Parameters needed at ``b`` bits per parameter: :math:`N\\log_2 M / b` (b = 2 default,
    :data:`BITS_PER_PARAM`)."""
    b = _const(bits_per_param, BITS_PER_PARAM, "bits_per_param")
    return information_bits(facts, answers) / b


# --------------------------------------------------------------------------- dispatch


def facts_capacity(
    scheme,
    d=None,
    m=None,
    answers=None,
    heads=None,
    head_dim=None,
    parameters=None,
    bits_per_param=None,
    c=None,
    target_error=None,
) -> float:
    """Facts that fit in a memory of the given size (the "facts for a size" direction).

    ``outer_product`` / ``outer_product_all``: ``d`` (asymptotic law, or the Gaussian model
    when ``target_error`` is given); ``trained_linear`` / ``trained_linear_statphys``: ``d``;
    ``mlp``: ``m``, ``d``; ``transformer*``: ``d``, ``heads``, ``head_dim``, ``m``;
    ``information_floor``: ``parameters`` (M = N solved with Lambert W when ``answers`` is None).
    """
    scheme = as_choice("scheme", scheme, SCHEMES)

    def need(name, v):
        if v is None:
            raise ValueError(f"{name} must be given for scheme {scheme!r}")
        return v

    if scheme in ("outer_product", "outer_product_all"):
        crit = "fact" if scheme == "outer_product" else "all"
        model = "gaussian" if target_error is not None else "asymptotic"
        return outer_product_capacity(need("d", d), answers, crit, model, target_error, c)
    if scheme in ("trained_linear", "trained_linear_statphys"):
        return trained_linear_capacity(need("d", d), answers, c, scheme.endswith("statphys"))
    if scheme == "mlp":
        return mlp_capacity(need("m", m), need("d", d), answers, c)
    if scheme.startswith("transformer"):
        through = {"transformer": "both", "transformer_attention": "attention"}.get(scheme, "mlp")
        return transformer_capacity(
            need("d", d), heads or 0, head_dim or 0, m or 0, c=c, through=through, answers=answers
        )
    params = as_float("parameters", need("parameters", parameters), 0.0, None, low_open=True)
    bits = params * _const(bits_per_param, BITS_PER_PARAM, "bits_per_param")
    if answers is None:  # N log2 N = bits
        return _solve_n_log_n(bits * math.log(2.0))
    return bits / math.log2(_answers(answers))


def required_dimension(
    facts,
    scheme,
    answers=None,
    c=None,
    target_error=None,
    mlp_ratio=4.0,
    attn_ratio=1.0,
) -> float | None:
    """Smallest model dimension d for N facts (real-valued; round up yourself).

    Linear schemes: the d of the d x d memory (closed form, or brentq for the outer-product
    Gaussian model when ``target_error`` is given). ``mlp``: d with :math:`m = r_{mlp}d`,
    :math:`d = \\sqrt{(md)_{req}/r_{mlp}}`. Transformers: :math:`Hd_h = r_{attn}d`,
    :math:`m = r_{mlp}d`, so the parameter count is :math:`(4r_{attn}+2r_{mlp})d^2`; the
    transformer fits (made at D = 8) are transferred to M answers at constant bits per
    parameter (see :func:`transformer_capacity`). ``information_floor``: None (no architecture).
    """
    n = _facts(facts)
    scheme = as_choice("scheme", scheme, SCHEMES)
    r_mlp = as_float("mlp_ratio", mlp_ratio, 0.0, 1e6, low_open=True)
    r_attn = as_float("attn_ratio", attn_ratio, 0.0, 1e6, low_open=True)
    if scheme in ("outer_product", "outer_product_all"):
        crit = "fact" if scheme == "outer_product" else "all"
        model = "gaussian" if target_error is not None else "asymptotic"
        return outer_product_required_dimension(n, answers, crit, model, target_error, c)
    if scheme in ("trained_linear", "trained_linear_statphys"):
        default = TRAINED_LINEAR_C_STATPHYS if scheme.endswith("statphys") else TRAINED_LINEAR_C
        return math.sqrt(_const(c, default) * n * math.log(_answers(answers, n)))
    if scheme == "mlp":
        return math.sqrt(mlp_required_md(n, answers, c) / r_mlp)
    if scheme.startswith("transformer"):
        # facts at the fits' D = 8 carrying the same bits: N log2 M / log2 8
        n8 = n * math.log2(_answers(answers, n)) / math.log2(TRANSFORMER_FIT_ANSWERS)
        if scheme == "transformer":
            params = n8 / _const(c, TRANSFORMER_FACTS_PER_PARAM)
            return math.sqrt(params / (4.0 * r_attn + 2.0 * r_mlp))
        if scheme == "transformer_attention":
            return math.sqrt(n8 / (_const(c, TRANSFORMER_ATTN_FACTS_PER_UNIT) * r_attn))
        return math.sqrt(n8 / (_const(c, TRANSFORMER_MLP_FACTS_PER_UNIT) * r_mlp))
    return None


def required_parameters(
    facts,
    scheme,
    answers=None,
    c=None,
    target_error=None,
    mlp_ratio=4.0,
    attn_ratio=1.0,
    bits_per_param=None,
) -> float:
    """Parameters of the smallest memory for N facts (real-valued, at the real-valued d).

    :math:`d^2` (linear), :math:`2md` (MLP), :math:`4Hd_hd + 2md` (transformer, restricted to
    the attention or MLP part for ``transformer_attention`` / ``transformer_mlp``),
    :math:`N\\log_2 M/b` (``information_floor``).
    """
    scheme = as_choice("scheme", scheme, SCHEMES)
    if scheme == "information_floor":
        return information_floor_parameters(facts, answers, bits_per_param)
    d = required_dimension(facts, scheme, answers, c, target_error, mlp_ratio, attn_ratio)
    if scheme.startswith("outer_product") or scheme.startswith("trained_linear"):
        return d * d
    if scheme == "mlp":
        return 2.0 * mlp_ratio * d * d
    if scheme == "transformer":
        return (4.0 * attn_ratio + 2.0 * mlp_ratio) * d * d
    if scheme == "transformer_attention":
        return 4.0 * attn_ratio * d * d
    return 2.0 * mlp_ratio * d * d


# --------------------------------------------------------------------------- graphs


def _greedy_matching_size(graph) -> int:
    """Size of a maximal matching found by leaf-first greedy matching.

    Matching a current leaf to its neighbour is always optimal, so the result is a maximum
    matching on forests, paths and cycles; on other graphs it is a valid (lower) matching size.
    """
    adj = [[] for _ in range(graph.n)]
    for u, v in graph.edges.tolist():
        adj[u].append(v)
        adj[v].append(u)
    deg = [len(a) for a in adj]
    matched = [False] * graph.n
    stack = [u for u in range(graph.n) if deg[u] == 1]
    size, cursor = 0, 0

    def match(u, v):
        matched[u] = matched[v] = True
        for x in (u, v):
            for w in adj[x]:
                if not matched[w]:
                    deg[w] -= 1
                    if deg[w] == 1:
                        stack.append(w)

    while True:
        while stack:
            u = stack.pop()
            if matched[u] or deg[u] != 1:
                continue
            match(u, next(v for v in adj[u] if not matched[v]))
            size += 1
        while cursor < graph.n and (matched[cursor] or deg[cursor] == 0):
            cursor += 1
        if cursor == graph.n:
            return size
        u = cursor
        match(u, next(v for v in adj[u] if not matched[v]))
        size += 1


def graph_storage(graph, direction="both", tied=True) -> dict:
    """Bits and l2 norm of associative vs geometric storage of a graph (arXiv 2510.26745,
    Section 3.1, Propositions 1-3; quoted).

    * associative bits :math:`|E|\\log_2|V|` (x2 for both directions); associative l2
      :math:`\\le\\sqrt{|E|}` (one-hot :math:`\\Phi`, :math:`W = A`; x :math:`\\sqrt2` both);
    * geometric bits :math:`|V|\\,m\\log_2\\Delta` (x2 untied) for the paper's constructions:
      path-star :math:`\\mathcal{G}_{d,\\ell}`: m = d arms, :math:`\\Delta=\\ell` cells (and the
      JL variant :math:`|V|\\log_2 d\\log_2\\ell`); cycle: m = 2, :math:`\\Delta=|V|/2`; path:
      m = 1, :math:`\\Delta=|V|`; grid r x c: m = 2, :math:`\\Delta=\\max(r,c)`; other graphs:
      None (no construction given);
    * geometric l2 :math:`\\ge\\sqrt{|V|}` (quoted, x :math:`\\sqrt2` untied) and the bound
      :math:`\\sqrt{2\\nu}` from a matching of size :math:`\\nu` (each matched edge needs
      :math:`\\|\\Phi_u\\|^2+\\|\\Phi_v\\|^2 \\ge 2` under :math:`\\Phi_u^\\top\\Phi_v\\ge1`;
      derived, valid for any graph, equals the quoted bound when a perfect matching exists).
    """
    as_choice("direction", direction, ("both", "forward"))
    n_v, n_e = int(graph.n), int(graph.m)
    both = direction == "both"
    assoc_bits = n_e * math.log2(n_v) * (2 if both else 1)
    untied = 1 if tied else 2
    kind = graph.name.split(":", 1)[0]
    geom_bits = geom_bits_jl = None
    if kind == "path-star":
        deg, ell = int(graph.meta["degree"]), int(graph.meta["length"])
        geom_bits = n_v * deg * math.log2(ell) * untied
        geom_bits_jl = n_v * math.log2(max(deg, 2)) * math.log2(ell) * untied
    elif kind == "cycle":
        geom_bits = 2 * n_v * math.log2(n_v / 2) * untied
    elif kind == "path":
        geom_bits = n_v * math.log2(n_v) * untied
    elif kind == "grid":
        r, c = (int(x) for x in graph.name.split(":", 1)[1].split("x"))
        geom_bits = 2 * n_v * math.log2(max(r, c, 2)) * untied
    nu = _greedy_matching_size(graph)
    return {
        "graph": graph.name,
        "nodes": n_v,
        "edges": n_e,
        "direction": direction,
        "tied": bool(tied),
        "assoc_bits": assoc_bits,
        "geom_bits": geom_bits,
        "geom_bits_jl": geom_bits_jl,
        "assoc_l2": math.sqrt(n_e) * (math.sqrt(2) if both else 1.0),
        "geom_l2_lower": math.sqrt(n_v) * (1.0 if tied else math.sqrt(2)),
        "matching": nu,
        "geom_l2_lower_matching": math.sqrt(2 * nu) * (1.0 if tied else math.sqrt(2)),
    }


# --------------------------------------------------------------------------- table


def _row(
    scheme,
    memory,
    d,
    width,
    params,
    bits,
    formula,
    kind,
    asymptotic,
    cite,
    source,
    constant=None,
    facts=None,
):
    d = None if d is None else int(math.ceil(d - 1e-9))
    width = None if width is None else int(math.ceil(width - 1e-9))
    params = None if params is None else int(math.ceil(params - 1e-9))
    return {
        "scheme": scheme,
        "memory": memory,
        "d": d,
        "width": width,
        "parameters": params,
        "bits": bits,
        "bits_per_param": None if not params or bits is None else bits / params,
        "facts_per_param": None if not params or facts is None else facts / params,
        "l2": None,
        "formula": formula,
        "constant": constant,
        "kind": kind,
        "asymptotic": bool(asymptotic),
        "cite": cite,
        "source": source,
    }


def _const_row(scheme, memory, d, width, params, bits, formula, const: Constant, asymptotic, facts):
    return _row(
        scheme,
        memory,
        d,
        width,
        params,
        bits,
        formula,
        const.kind,
        asymptotic,
        const.cite,
        const.source,
        const.value,
        facts,
    )


def capacity_table(
    facts, answers=None, bits_per_param=None, zipf_alpha=None, target_error=None, graph=None
) -> list[dict]:
    """Rows of ``python -m memtheory.capacity``: the memory each scheme needs for N facts.

    Keys: ``scheme, memory, d, width, parameters, bits, bits_per_param, facts_per_param, l2,
    formula, constant, kind, asymptotic, cite, source``. ``d`` and ``width`` are the real-valued
    solutions rounded up, ``parameters`` is recomputed from the rounded sizes, ``bits`` is
    :math:`N\\log_2 M`. Transformers use :math:`Hd_h = d`, :math:`m = 4d`; the MLP uses
    :math:`m = 4d`.

    * ``target_error``: the outer-product rows use the finite-size Gaussian model (per-fact
      error = ``target_error``; all facts correct with probability 1/2) instead of the
      asymptotic laws.
    * ``zipf_alpha``: facts queried with Zipf(:math:`\\alpha`) frequencies (infinite data); rows
      for the ``threshold`` / ``power`` (:math:`\\rho = 1`) / ``uniform`` schemes of arXiv
      2310.02984 give the d whose expected error is ``target_error`` (0.01 if None).
    * ``graph``: a :class:`memtheory.graphs.Graph` or spec string; rows for associative and
      geometric storage of it (arXiv 2510.26745, Propositions 1-3; bits and l2 norm).
    """
    n = _facts(facts)
    m = _answers(answers, n)
    b = _const(bits_per_param, BITS_PER_PARAM, "bits_per_param")
    if target_error is not None:
        target_error = as_float(
            "target_error", target_error, 0.0, 1.0, low_open=True, high_open=True
        )
    if zipf_alpha is not None:
        zipf_alpha = as_float("zipf_alpha", zipf_alpha, 1.0, 20.0, low_open=True)
    bits = n * math.log2(m)
    log_m = "ln N" if m == n else "ln M"
    rows = []

    floor = information_floor_parameters(n, m, b)
    b_src = BITS_PER_PARAM.source if bits_per_param is None else "b given by the user"
    rows.append(
        _row(
            "information_floor",
            f"any memory at {b:g} bits/param",
            None,
            None,
            floor,
            bits,
            "params = N log2 M / b",
            "derived",
            False,
            "2412.06538 Sec.2",
            "N log2 M bits: arXiv 2412.06538 Sec. 2 (lower bounds); " + b_src,
            b,
            n,
        )
    )

    if target_error is None:
        for scheme, crit, const in (
            ("outer_product", "fact", OUTER_PRODUCT_C_FACT),
            ("outer_product_all", "all", OUTER_PRODUCT_C_ALL),
        ):
            d = outer_product_required_dimension(n, answers, crit, c=None)
            what = "typical fact" if crit == "fact" else "all facts"
            law = f"d^2 = {const.value:g} N {log_m if crit == 'fact' or m == n else 'L(N,M)'}"
            extra = " (1 + d/M)"
            rows.append(
                _const_row(
                    scheme,
                    "linear d x d, outer-product rule",
                    d,
                    None,
                    math.ceil(d) ** 2,
                    bits,
                    f"{law}{extra}: {what}",
                    const,
                    True,
                    n,
                )
            )
    else:
        d = outer_product_required_dimension(n, answers, "fact", "gaussian", target_error)
        rows.append(
            _const_row(
                "outer_product",
                "linear d x d, outer-product rule",
                d,
                None,
                math.ceil(d) ** 2,
                bits,
                f"Gaussian model: per-fact error {target_error:g}",
                OUTER_PRODUCT_C_FACT,
                False,
                n,
            )
        )
        d = outer_product_required_dimension(n, answers, "all", "gaussian")
        rows.append(
            _const_row(
                "outer_product_all",
                "linear d x d, outer-product rule",
                d,
                None,
                math.ceil(d) ** 2,
                bits,
                "Gaussian model: P(all facts correct) = 1/2",
                OUTER_PRODUCT_C_ALL,
                False,
                n,
            )
        )
    for scheme, const in (
        ("trained_linear", TRAINED_LINEAR_C),
        ("trained_linear_statphys", TRAINED_LINEAR_C_STATPHYS),
    ):
        d = required_dimension(n, scheme, m)
        rows.append(
            _const_row(
                scheme,
                "linear d x d, trained (cross-entropy)",
                d,
                None,
                math.ceil(d) ** 2,
                bits,
                f"d^2 = {const.value:g} N {log_m}",
                const,
                True,
                n,
            )
        )
    d = math.ceil(required_dimension(n, "mlp", m))
    width = math.ceil(mlp_required_md(n, m) / d)
    mlp_const = MLP_C_M32 if m == 32 else MLP_C_LOG
    rows.append(
        _const_row(
            "mlp",
            "MLP V relu(W e + b), m ~ 4d",
            d,
            width,
            2 * d * width,
            bits,
            "m d = 1.2 N" if m == 32 else f"m d = 0.35 N {log_m}",
            mlp_const,
            True,
            n,
        )
    )
    d = math.ceil(required_dimension(n, "transformer", m))
    rows.append(
        _const_row(
            "transformer",
            "1-layer transformer, H d_h = d, m = 4d",
            d,
            4 * d,
            transformer_parameters(d, 1, d, 4 * d),
            bits,
            "N log2 M = 3 * 0.15 (4 H d_h d + 2 m d)",
            TRANSFORMER_FACTS_PER_PARAM,
            False,
            n,
        )
    )
    d = math.ceil(required_dimension(n, "transformer_attention", m))
    rows.append(
        _const_row(
            "transformer_attention",
            "facts in attention, H d_h = d, no MLP",
            d,
            None,
            transformer_parameters(d, 1, d, 0),
            bits,
            "N log2 M = 3 * 0.223 H d_h d",
            TRANSFORMER_ATTN_FACTS_PER_UNIT,
            False,
            n,
        )
    )
    d = math.ceil(required_dimension(n, "transformer_mlp", m))
    rows.append(
        _const_row(
            "transformer_mlp",
            "facts in the MLP, m = 4d (attn not counted)",
            d,
            4 * d,
            transformer_parameters(d, 0, 0, 4 * d),
            bits,
            "N log2 M = 3 * 0.445 m d",
            TRANSFORMER_MLP_FACTS_PER_UNIT,
            False,
            n,
        )
    )

    if zipf_alpha is not None:
        from memtheory import scaling

        err = 0.01 if target_error is None else target_error
        labels = {"threshold": "q = 1 on top d/8", "power": "q = p", "uniform": "q = 1"}
        for sch in ("threshold", "power", "uniform"):
            try:
                d = scaling.required_dimension_for_error(err, sch, zipf_alpha, n, None, m)
            except ValueError:
                d = None
            beta = scaling.exponent_d(sch, zipf_alpha)
            rows.append(
                _row(
                    f"zipf_{sch}",
                    f"outer product, {labels[sch]}",
                    d,
                    None,
                    None if d is None else math.ceil(d) ** 2,
                    None,  # not every fact is stored: bits per parameter is not meaningful
                    f"error {err:g} at Zipf({zipf_alpha:g}); E ~ d^-{beta:.3g}",
                    "derived",
                    False,
                    "2310.02984 Thm 1 (model)",
                    "arXiv 2310.02984 Thm 1 heuristic made a Gaussian model "
                    "(memtheory.scaling.scheme_error); exponent: Sec. 3",
                    None,
                    n,
                )
            )

    if graph is not None:
        from memtheory.graphs import Graph, parse_graph

        g = graph if isinstance(graph, Graph) else parse_graph(graph)
        st = graph_storage(g)
        src = "arXiv 2510.26745 Sec. 3.1 (Appendix E), Propositions 1-3"
        ra = _row(
            "graph_associative",
            f"{g.name}, W = A, both directions",
            None,
            None,
            None,
            st["assoc_bits"],
            "bits = 2|E| log2|V|, l2 <= sqrt(2|E|)",
            "quoted",
            False,
            "2510.26745 Props.1-3",
            src,
        )
        ra["l2"] = st["assoc_l2"]
        geo = "bits = |V| m log2(cells)" if st["geom_bits"] is not None else "bits: no construction"
        rg = _row(
            "graph_geometric",
            f"{g.name}, tied embeddings",
            None,
            None,
            None,
            st["geom_bits"],
            f"{geo}, l2 >= sqrt(|V|)",
            "quoted",
            False,
            "2510.26745 Props.1-3",
            src,
        )
        rg["l2"] = st["geom_l2_lower"]
        rows += [ra, rg]
    return rows


def _cell(key: str, v) -> str:
    if v is None:
        return "-"
    if key == "asymptotic":
        return "yes" if v else "no"
    if isinstance(v, bool) or isinstance(v, str):
        return str(v)
    if isinstance(v, int):
        return str(v) if v < 10**7 else f"{v:.3g}"
    return f"{v:.3g}"


_COLUMNS = (
    ("scheme", "scheme"),
    ("d", "d"),
    ("width", "m"),
    ("parameters", "params"),
    ("bits", "bits"),
    ("bits_per_param", "bits/param"),
    ("l2", "l2"),
    ("formula", "formula"),
    ("kind", "kind"),
    ("asymptotic", "asym"),
    ("cite", "source (arXiv)"),
)


def format_table(rows: list[dict], facts: int, answers: int) -> str:
    """Plain-text table of :func:`capacity_table` rows."""
    body = [[_cell(k, r[k]) for k, _ in _COLUMNS] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, (_, h) in enumerate(_COLUMNS)]
    out = [
        f"N = {facts} facts, M = {answers} answers: {facts * math.log2(answers):.4g} bits",
        "  ".join(h.ljust(w) for (_, h), w in zip(_COLUMNS, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    out += ["  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)).rstrip() for b in body]
    out.append(
        "kind: fit = constant fitted in the paper, derived = derived here (python -m "
        "proofs_check), quoted = a paper's stated result; asym = asymptotic form. ln = natural log."
    )
    return "\n".join(out)


# --------------------------------------------------------------------------- CLI


def _count(flag: str, text: str, minimum: int) -> int:
    """Parse a count written ``1e5``, ``100000`` or ``1_000_000``; one-line ValueError."""
    msg = f"{flag} must be an integer in [{minimum}, 1e15], got {text!r}"
    try:
        v = int(text)
    except ValueError:
        try:
            f = float(text)
        except ValueError:
            raise ValueError(msg) from None
        if not math.isfinite(f) or f != math.floor(f):
            raise ValueError(msg) from None
        v = int(f)
    if v < minimum or v > _MAX_FACTS:
        raise ValueError(msg)
    return v


def _real(flag: str, text: str, low: float, high: float, high_open=False) -> float:
    msg = f"{flag} must be a finite number in ({low:g}, {high:g}{')' if high_open else ']'}, "
    msg += f"got {text!r}"
    try:
        v = float(text)
    except ValueError:
        raise ValueError(msg) from None
    if not math.isfinite(v) or v <= low or v > high or (high_open and v == high):
        raise ValueError(msg)
    return v


def main(argv=None) -> int:
    """``python -m memtheory.capacity --facts 1e5 [...]``: print the capacity table."""
    p = ArgumentParser(
        prog="python -m memtheory.capacity",
        description="Memory size needed to store N facts, per memory scheme, with sources.",
    )
    p.add_argument("--facts", required=True, help="number of facts N (1e5, 100000, 1_000_000)")
    p.add_argument("--answers", help="number of possible answers M (default: N, a bijection)")
    p.add_argument("--bits-per-param", help="bits per parameter of the floor (default 2)")
    p.add_argument("--zipf-alpha", help="Zipf exponent > 1 of fact frequencies (adds rows)")
    p.add_argument("--target-error", help="per-fact error in (0, 1) (finite-size rows)")
    p.add_argument("--graph", help="graph spec, e.g. path-star:5x6, cycle:15 (adds rows)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    a = p.parse_args(argv)
    n = _count("--facts", a.facts, 2)
    m = None if a.answers is None else _count("--answers", a.answers, 2)
    b = None if a.bits_per_param is None else _real("--bits-per-param", a.bits_per_param, 0, 64)
    alpha = None if a.zipf_alpha is None else _real("--zipf-alpha", a.zipf_alpha, 1, 20)
    err = (
        None
        if a.target_error is None
        else _real("--target-error", a.target_error, 0, 1, high_open=True)
    )
    graph = None
    if a.graph is not None:
        from memtheory.graphs import parse_graph

        try:
            graph = parse_graph(a.graph)
        except ValueError as exc:
            raise ValueError(f"--graph: {exc}") from None
    rows = capacity_table(n, m, b, alpha, err, graph)
    if a.json:
        print(json.dumps(rows, indent=1))
    else:
        print(format_table(rows, n, n if m is None else m))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m memtheory.capacity"))
