"""Capacity laws of trained memories: linear (cross-entropy), MLP, one-layer transformer, and the
information floor (fits and quoted results of arXiv 2412.06538 and Allen-Zhu & Li; see
``docs/theory/capacity.md`` sections 2-5).
"""

from __future__ import annotations

import math

from memtheory.capacity.constants import (
    BITS_PER_PARAM,
    MAX_SIZE,
    MLP_C_LOG,
    MLP_C_M32,
    TRAINED_LINEAR_C,
    TRAINED_LINEAR_C_STATPHYS,
    TRANSFORMER_ATTN_FACTS_PER_UNIT,
    TRANSFORMER_FACTS_PER_PARAM,
    TRANSFORMER_MLP_FACTS_PER_UNIT,
    answers_arg,
    constant_value,
    facts_arg,
    size_arg,
    solve_n_log_n,
)
from memtheory.checks import as_choice, as_float, as_int

# --------------------------------------------------------------------------- trained linear


def trained_linear_capacity(d, answers=None, *, c=None, statphys=False) -> float:
    """Facts a trained d x d linear memory stores: :math:`d^2 = cN\\ln M`.

    M = N (default): :math:`N\\ln N = d^2/c`, :math:`N = e^{W(d^2/c)}` (Lambert W). Fixed M:
    :math:`N = d^2/(c\\ln M)`. c = 1.3 (fit, :data:`TRAINED_LINEAR_C`) or 2 with
    ``statphys=True`` (:data:`TRAINED_LINEAR_C_STATPHYS`). The fit was made at M = N; the
    :math:`\\ln M` dependence for other M is the extreme-value form (assumes :math:`M\\gtrsim d`).
    """
    d = as_float("d", d, 1.0, MAX_SIZE)
    cc = constant_value(c, TRAINED_LINEAR_C_STATPHYS if statphys else TRAINED_LINEAR_C)
    if answers is None:
        return solve_n_log_n(d * d / cc)
    m = answers_arg(answers)
    return d * d / (cc * math.log(m))


# --------------------------------------------------------------------------- MLP


def mlp_required_md(facts, answers=None, *, c=None) -> float:
    """Product :math:`md` an MLP memory needs for N facts (fit, arXiv 2412.06538 Sec. 4.2).

    :math:`md = 1.2\\,N` at M = 32 (:data:`MLP_C_M32`), otherwise :math:`md = 0.35\\,N\\ln M`
    (:data:`MLP_C_LOG`, fitted at M = N).
    """
    n = facts_arg(facts)
    m = answers_arg(answers, n)
    if m == 32 and c is None:
        return MLP_C_M32.value * n
    return constant_value(c, MLP_C_LOG) * n * math.log(m)


def mlp_capacity(width, d, answers=None, *, c=None) -> float:
    """Facts an MLP memory :math:`V\\,\\mathrm{ReLU}(We_x+b)` of hidden width ``width`` (m) and
    input dimension ``d`` stores: :math:`md = 0.35\\,N\\ln M` (:math:`md = 1.2\\,N` at M = 32),
    the fits of arXiv 2412.06538 Sec. 4.2 (``docs/theory/capacity.md`` section 3), inverted;
    M = N solved with Lambert W. Real-valued sizes in (0, MAX_SIZE = 1e18]."""
    width = size_arg("width", width)
    d = size_arg("d", d)
    md = width * d
    if answers is None:
        return solve_n_log_n(md / constant_value(c, MLP_C_LOG))
    a = answers_arg(answers)
    if a == 32 and c is None:
        return md / MLP_C_M32.value
    return md / (constant_value(c, MLP_C_LOG) * math.log(a))


def mlp_required_width(facts, d, answers=None, *, c=None) -> float:
    """Width m needed at input dimension d: :math:`m = (md)_{\\rm req}/d` (arXiv 2412.06538
    Sec. 4.2 fit, :func:`mlp_required_md`)."""
    d = size_arg("d", d)
    return mlp_required_md(facts, answers, c=c) / d


# --------------------------------------------------------------------------- transformer


def transformer_parameters(d, *, heads, head_dim, width) -> int:
    """Trainable parameters of the one-layer transformer of arXiv 2412.06538, Sec. 4.1:
    :math:`4Hd_hd` (Q, K, V, O) :math:`+ 2md` (MLP in/out), embeddings and biases excluded."""
    d = as_int("d", d, minimum=1)
    h = as_int("heads", heads, minimum=0)
    dh = as_int("head_dim", head_dim, minimum=0)
    m = as_int("width", width, minimum=0)
    return 4 * h * dh * d + 2 * m * d


TRANSFORMER_FIT_ANSWERS = 8  # D = 8 answers per relation in the Fig. 4 sweeps


def _transformer_units(through, d, heads, head_dim, width, c) -> float:
    """Facts at D = 8 answers for the given (real-valued) sizes."""
    attn = heads * head_dim * d
    mlp = width * d
    if through == "both":
        return constant_value(c, TRANSFORMER_FACTS_PER_PARAM) * (4.0 * attn + 2.0 * mlp)
    if through == "attention":
        return constant_value(c, TRANSFORMER_ATTN_FACTS_PER_UNIT) * attn
    return constant_value(c, TRANSFORMER_MLP_FACTS_PER_UNIT) * mlp


def _facts_from_bits(bits: float, answers) -> float:
    """N with N log2 M = bits (M = N when answers is None)."""
    if answers is None:
        return solve_n_log_n(bits * math.log(2.0))
    return bits / math.log2(answers)


def transformer_capacity(
    d, *, heads, head_dim, width, c=None, through="both", answers=TRANSFORMER_FIT_ANSWERS
) -> float:
    """Facts a one-layer transformer stores (fits of arXiv 2412.06538, Fig. 4); real sizes ok.

    At the fits' D = 8 answers: ``"both"``: :math:`N = 0.15(4Hd_hd+2md)` (Fig. 4 left);
    ``"attention"``: :math:`N = 0.223\\,Hd_hd` (no MLP); ``"mlp"``: :math:`N = 0.445\\,md`
    (Fig. 4 right boundary, read at N = 1024 and extrapolated linearly). For other M
    (``answers``; None means M = N) the fit is transferred at constant *bits* per parameter,
    :math:`N\\log_2 M = 3 N_{D=8}` (an assumption of this toolkit, not a paper's fit).
    """
    through = as_choice("through", through, ("both", "attention", "mlp"))
    d = size_arg("d", d)
    h = as_float("heads", heads, 0.0, MAX_SIZE)
    dh = as_float("head_dim", head_dim, 0.0, MAX_SIZE)
    m = as_float("width", width, 0.0, MAX_SIZE)
    facts8 = _transformer_units(through, d, h, dh, m, c)
    if answers == TRANSFORMER_FIT_ANSWERS:
        return facts8
    if answers is not None:
        answers = answers_arg(answers)
    return _facts_from_bits(facts8 * math.log2(TRANSFORMER_FIT_ANSWERS), answers)


# --------------------------------------------------------------------------- information


def information_bits(facts, answers=None) -> float:
    """:math:`N\\log_2 M` bits in N uniformly random facts over M answers (arXiv 2412.06538,
    Sec. 2; the basis of its lower bounds)."""
    n = facts_arg(facts)
    return n * math.log2(answers_arg(answers, n))


def information_floor_parameters(facts, answers=None, bits_per_param=None) -> float:
    """Parameters needed at ``b`` bits per parameter: :math:`N\\log_2 M / b` (b = 2 default,
    :data:`BITS_PER_PARAM`)."""
    b = constant_value(bits_per_param, BITS_PER_PARAM, "bits_per_param")
    return information_bits(facts, answers) / b
