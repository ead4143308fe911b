"""Claims of the scaling laws of associative memories (measured by ``experiments.scaling``)."""

from empirical._legacy_claims import Claim, Outcome, register

CABANNES = "Cabannes, Dohmatob & Bietti 2023 (arXiv 2310.02984)"
TOL = "exponent within 0.15 (absolute)"
TOL_WHY = (
    "Theorem 1 holds up to log factors; a factor ln d shifts a local log-log slope by 1/ln d = "
    "0.145 at d = 1000 (fixed before measuring, ScalingConfig.tolerance)"
)


def _exponent(sweep: str, scheme: str, finite: bool):
    def check(r):
        e = r[f"{sweep}_sweep"]["exponents"][scheme]
        pred = e["finite_size_predicted"] if finite else e["predicted"]
        ok = e["reproduces_finite_size"] if finite else e["reproduces"]
        lo, hi = e["fit_range"]
        se = e.get("seed_se")
        se_txt = f", seed s.e. {se:.3f}" if se is not None else ""
        return [
            Outcome(
                pred,
                e["measured"],
                bool(ok),
                f"decay exponent fitted over {sweep} in [{lo:g}, {hi:g}]{se_txt}",
                figure="scaling.png",
            )
        ]

    return check


SYMBOLIC = {
    ("T", "uniform"): "scaling.finite_data_constant",
    ("T", "threshold"): "scaling.finite_data_constant",
    ("d", "threshold"): "scaling.zipf_tail",
    ("d", "power"): "scaling.power_scheme_exponent",
}


def _claim(cid, sweep, scheme, finite, statement, prediction, expect="holds", check=None):
    register(
        Claim(
            id=cid,
            paper=f"{CABANNES}, Theorem 1 and Sec. 3",
            statement=statement,
            prediction=prediction,
            experiment="scaling",
            check=check or _exponent(sweep, scheme, finite),
            tolerance=TOL,
            tolerance_reason=TOL_WHY,
            symbolic_check=SYMBOLIC.get((sweep, scheme)),
            expect=expect,
        )
    )


_claim(
    "scaling.threshold-d-exponent",
    "d",
    "threshold",
    False,
    "Storing the d/8 most frequent tokens gives error ~ d^-(alpha-1) under Zipf(alpha).",
    "exponent alpha - 1 = 1 at alpha = 2 (memtheory.scaling.exponent_d)",
)
_claim(
    "scaling.power-d-exponent",
    "d",
    "power",
    False,
    "Frequency weighting q = p gives a slower decay, error ~ d^-(alpha-1)/(2 alpha).",
    "exponent (alpha-1)/(2 alpha) = 0.25 at alpha = 2 (memtheory.scaling.exponent_d)",
)
_claim(
    "scaling.uniform-d-exponent",
    "d",
    "uniform",
    True,
    "The naive scheme q = 1 overflows: its error barely falls with d below N/M.",
    "slope of memtheory.scaling.scheme_error('uniform') over the same d range",
)
_claim(
    "scaling.uniform-T-exponent",
    "T",
    "uniform",
    False,
    "With memory to spare, error ~ K_alpha T^(-1+1/alpha): only unseen tokens are wrong.",
    "exponent 1 - 1/alpha = 0.5 (memtheory.scaling.exponent_T)",
)
_claim(
    "scaling.threshold-T-exponent",
    "T",
    "threshold",
    False,
    "The thresholding scheme has the same T^(-1+1/alpha) law when d is not the bottleneck.",
    "exponent 1 - 1/alpha = 0.5 (memtheory.scaling.exponent_T)",
)
_claim(
    "scaling.power-T-exponent-asymptotic",
    "T",
    "power",
    False,
    "The q = p scheme also decays as T^(-1+1/alpha) (infinite d).",
    "exponent 1 - 1/alpha = 0.5 (memtheory.scaling.exponent_T, asymptotic in d)",
    expect="not-reproducing",
)
_claim(
    "scaling.power-T-finite-size",
    "T",
    "power",
    True,
    "At finite d = 1000 the q = p scheme's error sits on a floor set by d, as the finite-size "
    "model predicts.",
    "slope of memtheory.scaling.scheme_error('power') over the same T range",
)
