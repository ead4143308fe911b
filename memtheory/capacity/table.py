"""The capacity table: the memory each scheme needs for N facts, with its source."""

from __future__ import annotations

import math

from memtheory.capacity.constants import (
    BITS_PER_PARAM,
    MLP_C_LOG,
    MLP_C_M32,
    OUTER_PRODUCT_C_ALL,
    OUTER_PRODUCT_C_FACT,
    TRAINED_LINEAR_C,
    TRAINED_LINEAR_C_STATPHYS,
    TRANSFORMER_ATTN_FACTS_PER_UNIT,
    TRANSFORMER_FACTS_PER_PARAM,
    TRANSFORMER_MLP_FACTS_PER_UNIT,
    Constant,
    answers_arg,
    constant_value,
    facts_arg,
    target_error_arg,
)
from memtheory.capacity.graph_storage import graph_storage
from memtheory.capacity.outer_product import outer_product_required_dimension
from memtheory.capacity.schemes import required_dimension
from memtheory.capacity.trained import (
    information_floor_parameters,
    mlp_required_md,
    transformer_parameters,
)
from memtheory.checks import as_float

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
    facts, answers=None, *, bits_per_param=None, alpha=None, target_error=None, graph=None
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
    * ``alpha``: facts queried with Zipf(:math:`\\alpha`) frequencies (infinite data); rows
      for the ``threshold`` / ``power`` (:math:`\\rho = 1`) / ``uniform`` schemes of arXiv
      2310.02984 give the d whose expected error is ``target_error`` (0.01 if None).
    * ``graph``: a :class:`memtheory.graphs.Graph` or spec string; rows for associative and
      geometric storage of it (arXiv 2510.26745, Propositions 1-3; bits and l2 norm).
    """
    n = facts_arg(facts)
    m = answers_arg(answers, n)
    b = constant_value(bits_per_param, BITS_PER_PARAM, "bits_per_param")
    target_error = target_error_arg(target_error)
    if alpha is not None:
        alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
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
            d = outer_product_required_dimension(n, answers, criterion=crit)
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
        d = outer_product_required_dimension(
            n, answers, criterion="fact", model="gaussian", target_error=target_error
        )
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
        d = outer_product_required_dimension(n, answers, criterion="all", model="gaussian")
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
            transformer_parameters(d, heads=1, head_dim=d, width=4 * d),
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
            transformer_parameters(d, heads=1, head_dim=d, width=0),
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
            transformer_parameters(d, heads=0, head_dim=0, width=4 * d),
            bits,
            "N log2 M = 3 * 0.445 m d",
            TRANSFORMER_MLP_FACTS_PER_UNIT,
            False,
            n,
        )
    )

    if alpha is not None:
        from memtheory import scaling

        err = 0.01 if target_error is None else target_error
        labels = {"threshold": "q = 1 on top d/8", "power": "q = p", "uniform": "q = 1"}
        for sch in ("threshold", "power", "uniform"):
            try:
                d = scaling.required_dimension_for_error(err, sch, alpha=alpha, facts=n, answers=m)
            except ValueError:
                d = None
            beta = scaling.exponent_d(sch, alpha)
            rows.append(
                _row(
                    f"zipf_{sch}",
                    f"outer product, {labels[sch]}",
                    d,
                    None,
                    None if d is None else math.ceil(d) ** 2,
                    None,  # not every fact is stored: bits per parameter is not meaningful
                    f"error {err:g} at Zipf({alpha:g}); E ~ d^-{beta:.3g}",
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
        from memtheory.graphs import as_graph

        g = as_graph(graph)
        st = graph_storage(g)
        src = "arXiv 2510.26745 Sec. 3.1 (Appendix E), Propositions 1-3"
        ra = _row(
            "graph_associative",
            f"{g.name}, W = A, both directions",
            None,
            None,
            None,
            st.assoc_bits,
            "bits = 2|E| log2|V|, l2 <= sqrt(2|E|)",
            "quoted",
            False,
            "2510.26745 Props.1-3",
            src,
        )
        ra["l2"] = st.assoc_l2
        geo = "bits = |V| m log2(cells)" if st.geom_bits is not None else "bits: no construction"
        rg = _row(
            "graph_geometric",
            f"{g.name}, tied embeddings",
            None,
            None,
            None,
            st.geom_bits,
            f"{geo}, l2 >= sqrt(|V|)",
            "quoted",
            False,
            "2510.26745 Props.1-3",
            src,
        )
        rg["l2"] = st.geom_l2_lower
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
