"""One entry point per direction over every memory scheme: facts for a size, size for facts."""

from __future__ import annotations

import math

from memtheory.capacity.constants import (
    BITS_PER_PARAM,
    CAPACITY_SCHEMES,
    MAX_SIZE,
    TRAINED_LINEAR_C,
    TRAINED_LINEAR_C_STATPHYS,
    TRANSFORMER_ATTN_FACTS_PER_UNIT,
    TRANSFORMER_FACTS_PER_PARAM,
    TRANSFORMER_MLP_FACTS_PER_UNIT,
    answers_arg,
    constant_value,
    facts_arg,
    solve_n_log_n,
    target_error_arg,
)
from memtheory.capacity.outer_product import (
    outer_product_capacity,
    outer_product_required_dimension,
)
from memtheory.capacity.trained import (
    TRANSFORMER_FIT_ANSWERS,
    information_floor_parameters,
    mlp_capacity,
    mlp_required_md,
    trained_linear_capacity,
    transformer_capacity,
)
from memtheory.checks import as_choice, as_float

# --------------------------------------------------------------------------- dispatch


_OUTER = ("outer_product", "outer_product_all")
#: sizes each scheme needs in facts_capacity
_NEEDS = {
    "outer_product": ("d",),
    "outer_product_all": ("d",),
    "trained_linear": ("d",),
    "trained_linear_statphys": ("d",),
    "mlp": ("width", "d"),
    "transformer": ("d", "heads", "head_dim", "width"),
    "transformer_attention": ("d", "heads", "head_dim"),
    "transformer_mlp": ("d", "width"),
    "information_floor": ("parameters",),
}


def _scheme_target_error(scheme: str, target_error):
    """``target_error`` checked, and refused for the schemes that have no finite-size model."""
    target_error = target_error_arg(target_error)
    if target_error is not None and scheme not in _OUTER:
        raise ValueError(
            f"target_error applies only to the outer_product schemes (the Gaussian model), "
            f"not to {scheme!r}"
        )
    return target_error


def facts_capacity(
    scheme,
    *,
    d=None,
    width=None,
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
    ``mlp``: ``width``, ``d``; ``transformer``: ``d``, ``heads``, ``head_dim``, ``width``;
    ``transformer_attention``: ``d``, ``heads``, ``head_dim``; ``transformer_mlp``: ``d``,
    ``width``; ``information_floor``: ``parameters`` (M = N solved with Lambert W when
    ``answers`` is None). A size the scheme needs must be given (``ValueError`` otherwise).
    Laws and sources: :func:`outer_product_capacity`, :func:`trained_linear_capacity`,
    :func:`mlp_capacity`, :func:`transformer_capacity` (``docs/theory/capacity.md``).

    Round trip: for every ``facts`` in [2, 1e15] and ``answers`` in [2, 1e15] (or None),
    ``facts_capacity(scheme, **sizes(required_dimension(facts, scheme, answers)))`` returns
    ``facts`` (sizes are real-valued, so ``d`` below 1 is accepted for the MLP and transformers).
    """
    scheme = as_choice("scheme", scheme, CAPACITY_SCHEMES)
    target_error = _scheme_target_error(scheme, target_error)
    given = {
        "d": d,
        "width": width,
        "heads": heads,
        "head_dim": head_dim,
        "parameters": parameters,
    }
    missing = [name for name in _NEEDS[scheme] if given[name] is None]
    if missing:
        raise ValueError(
            f"{', '.join(missing)} must be given for scheme {scheme!r} (it needs "
            f"{', '.join(_NEEDS[scheme])})"
        )
    if scheme in _OUTER:
        crit = "fact" if scheme == "outer_product" else "all"
        model = "gaussian" if target_error is not None else "asymptotic"
        return outer_product_capacity(
            d, answers, criterion=crit, model=model, target_error=target_error, c=c
        )
    if scheme in ("trained_linear", "trained_linear_statphys"):
        return trained_linear_capacity(d, answers, c=c, statphys=scheme.endswith("statphys"))
    if scheme == "mlp":
        return mlp_capacity(width, d, answers, c=c)
    if scheme.startswith("transformer"):
        through = {"transformer": "both", "transformer_attention": "attention"}.get(scheme, "mlp")
        return transformer_capacity(
            d,
            heads=0 if heads is None else heads,
            head_dim=0 if head_dim is None else head_dim,
            width=0 if width is None else width,
            c=c,
            through=through,
            answers=answers,
        )
    params = as_float("parameters", parameters, 0.0, MAX_SIZE**2, low_open=True)
    bits = params * constant_value(bits_per_param, BITS_PER_PARAM, "bits_per_param")
    if answers is None:  # N log2 N = bits
        return solve_n_log_n(bits * math.log(2.0))
    return bits / math.log2(answers_arg(answers))


def required_dimension(
    facts,
    scheme,
    answers=None,
    *,
    c=None,
    target_error=None,
    mlp_ratio=4.0,
    attn_ratio=1.0,
) -> float | None:
    """Smallest model dimension d for N facts (real-valued; round up yourself).

    Linear schemes: the d of the d x d memory (closed form, or brentq for the outer-product
    Gaussian model when ``target_error`` is given; the other schemes refuse ``target_error``).
    ``mlp``: d with :math:`m = r_{mlp}d`, :math:`d = \\sqrt{(md)_{req}/r_{mlp}}` (arXiv
    2412.06538 Sec. 4.2 fit). Transformers: :math:`Hd_h = r_{attn}d`, :math:`m = r_{mlp}d`, so
    the parameter count is :math:`(4r_{attn}+2r_{mlp})d^2`; the transformer fits (arXiv
    2412.06538 Fig. 4, made at D = 8) are transferred to M answers at constant bits per
    parameter (see :func:`transformer_capacity`). ``information_floor``: None (no architecture).
    Inverse of :func:`facts_capacity` over ``facts`` in [2, 1e15].
    """
    n = facts_arg(facts)
    scheme = as_choice("scheme", scheme, CAPACITY_SCHEMES)
    target_error = _scheme_target_error(scheme, target_error)
    r_mlp = as_float("mlp_ratio", mlp_ratio, 0.0, 1e6, low_open=True)
    r_attn = as_float("attn_ratio", attn_ratio, 0.0, 1e6, low_open=True)
    if scheme in _OUTER:
        crit = "fact" if scheme == "outer_product" else "all"
        model = "gaussian" if target_error is not None else "asymptotic"
        return outer_product_required_dimension(
            n, answers, criterion=crit, model=model, target_error=target_error, c=c
        )
    if scheme in ("trained_linear", "trained_linear_statphys"):
        default = TRAINED_LINEAR_C_STATPHYS if scheme.endswith("statphys") else TRAINED_LINEAR_C
        return math.sqrt(constant_value(c, default) * n * math.log(answers_arg(answers, n)))
    if scheme == "mlp":
        return math.sqrt(mlp_required_md(n, answers, c=c) / r_mlp)
    if scheme.startswith("transformer"):
        # facts at the fits' D = 8 carrying the same bits: N log2 M / log2 8
        n8 = n * math.log2(answers_arg(answers, n)) / math.log2(TRANSFORMER_FIT_ANSWERS)
        if scheme == "transformer":
            params = n8 / constant_value(c, TRANSFORMER_FACTS_PER_PARAM)
            return math.sqrt(params / (4.0 * r_attn + 2.0 * r_mlp))
        if scheme == "transformer_attention":
            return math.sqrt(n8 / (constant_value(c, TRANSFORMER_ATTN_FACTS_PER_UNIT) * r_attn))
        return math.sqrt(n8 / (constant_value(c, TRANSFORMER_MLP_FACTS_PER_UNIT) * r_mlp))
    return None


def required_parameters(
    facts,
    scheme,
    answers=None,
    *,
    c=None,
    target_error=None,
    mlp_ratio=4.0,
    attn_ratio=1.0,
    bits_per_param=None,
) -> float:
    """Parameters of the smallest memory for N facts (real-valued, at the real-valued d).

    :math:`d^2` (linear), :math:`2md` (MLP), :math:`4Hd_hd + 2md` (transformer, restricted to
    the attention or MLP part for ``transformer_attention`` / ``transformer_mlp``; parameter
    count of arXiv 2412.06538 Sec. 4.1), :math:`N\\log_2 M/b` (``information_floor``, arXiv
    2412.06538 Sec. 2). ``target_error`` is checked and applies to the outer-product schemes only.
    """
    scheme = as_choice("scheme", scheme, CAPACITY_SCHEMES)
    target_error = _scheme_target_error(scheme, target_error)
    if scheme == "information_floor":
        return information_floor_parameters(facts, answers, bits_per_param)
    r_mlp = as_float("mlp_ratio", mlp_ratio, 0.0, 1e6, low_open=True)
    r_attn = as_float("attn_ratio", attn_ratio, 0.0, 1e6, low_open=True)
    d = required_dimension(
        facts, scheme, answers, c=c, target_error=target_error, mlp_ratio=r_mlp, attn_ratio=r_attn
    )
    if scheme.startswith("outer_product") or scheme.startswith("trained_linear"):
        return d * d
    if scheme == "mlp":
        return 2.0 * r_mlp * d * d
    if scheme == "transformer":
        return (4.0 * r_attn + 2.0 * r_mlp) * d * d
    if scheme == "transformer_attention":
        return 4.0 * r_attn * d * d
    return 2.0 * r_mlp * d * d
