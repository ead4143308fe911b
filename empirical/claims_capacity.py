"""Claims of the associative-memory capacity papers (measured by ``experiments.capacity``)."""

from empirical._legacy_claims import Claim, Outcome, register

NICHANI = "Nichani, Lee & Bietti 2024 (arXiv 2412.06538)"
TOL = "relative error <= 30% on the fitted constant"
TOL_WHY = (
    "the laws hold up to log factors: ln ln N / ln N ~ 0.30 at the N ~ 500 measured here "
    "(fixed before measuring, CapacityConfig.tolerance)"
)


def _verdict_outcome(v: dict, detail: str = "") -> list:
    rel = v["relative_error"]
    return [
        Outcome(
            v["predicted"],
            v["measured"],
            bool(v["reproduces"]),
            f"relative error {rel:+.1%}. {detail}".strip(),
            figure="capacity.png",
        )
    ]


def _common(**kw):
    return register(Claim(experiment="capacity", tolerance=TOL, tolerance_reason=TOL_WHY, **kw))


_common(
    id="cap.outer-product-d2-nlogn",
    paper=f"{NICHANI}, Sec. 4.1; Barnfield et al. (arXiv 2605.05189)",
    statement="A d x d outer-product (correlation-matrix) memory over random unit embeddings "
    "stores all N facts at 100% accuracy up to d^2 = c N ln N.",
    prediction="c = 8 for all facts correct at M = N (memtheory.capacity.OUTER_PRODUCT_C_ALL, "
    "derived from the Gaussian signal/noise model)",
    check=lambda r: _verdict_outcome(
        r["outer_product"]["vs_asymptotic"], "fitted d^2/(N ln N) over d = 8..256, 5 seeds"
    ),
    symbolic_check="capacity.outer_product_noise",
)
_common(
    id="cap.outer-product-finite-size",
    paper=f"{NICHANI}, Sec. 4.1 (finite-size model derived here)",
    statement="At the largest d measured, the number of facts an outer-product memory stores "
    "matches the finite-size Gaussian model.",
    prediction="memtheory.capacity.outer_product_capacity(d, criterion='all', model='gaussian')",
    check=lambda r: _verdict_outcome(r["outer_product"]["vs_gaussian_model_largest_d"]),
)
_common(
    id="cap.trained-linear-d2-nlogn",
    paper=f"{NICHANI}, Sec. 4.1 (authors' fit d^2 ~ 1.3 N log N at 99%)",
    statement="A trained (cross-entropy, Adam) d x d linear memory stores N facts up to "
    "d^2 = c N ln N with c about 1.3.",
    prediction="c = 1.3 (memtheory.capacity.TRAINED_LINEAR_C, a paper's fit)",
    check=lambda r: _verdict_outcome(r["trained_linear"]["vs_fit"], "d = 8..32 (quick)"),
    symbolic_check="capacity.inversions",
)
_common(
    id="cap.trained-linear-statphys",
    paper="Statistical-physics capacity p_c ln p_c / d^2 = 1/2 (arXiv 2605.10795)",
    statement="The trained linear memory's capacity constant is 2 (p_c ln p_c = d^2 / 2).",
    prediction="c = 2 (memtheory.capacity.TRAINED_LINEAR_C_STATPHYS, quoted)",
    check=lambda r: _verdict_outcome(
        r["trained_linear"]["vs_statphys"],
        "measured at d <= 32 only; the constant still rises with d",
    ),
    expect="not-reproducing",
)
_common(
    id="cap.outer-vs-trained-ratio",
    paper=NICHANI,
    statement="Training a linear memory stores several times more facts than the outer-product "
    "rule at the same d: the ratio of constants is 8 / 1.3.",
    prediction="OUTER_PRODUCT_C_ALL / TRAINED_LINEAR_C = 6.15",
    check=lambda r: _verdict_outcome(r["ratio"]["fitted_verdict"], "ratio of fitted constants"),
)
_common(
    id="cap.mlp-md-proportional-N",
    paper=f"{NICHANI}, Sec. 4.2 (authors' fit m d ~ 1.2 N at M = 32)",
    statement="An MLP memory of width m and input dimension d stores N facts with m d = c N.",
    prediction="c = 1.2 (memtheory.capacity.MLP_C_M32, a paper's fit)",
    check=lambda r: _verdict_outcome(r["mlp"]["vs_fit"]),
)
