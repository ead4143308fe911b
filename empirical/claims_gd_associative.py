"""Claims of ``experiments.gd_associative`` (TRANSITIONAL flat module).

The experiment returns its own claim rows (``result["claims"]``: id, prediction, per-seed
``spread``, tolerance, verdict); a registered claim here names the row it reads.
"""

from empirical._legacy_claims import Claim, Outcome, register

PAPERS = {
    "gd_associative": "Cabannes, Simsek & Bietti 2024 (arXiv 2402.18724)",
    "factual_recall": "Nichani, Lee & Bietti 2024 (arXiv 2412.06538)",
    "distributional": "Chen, Bruna & Bietti 2024 (arXiv 2406.03068)",
    "heavy_tailed": "Kunstner et al. 2024 (arXiv 2402.19449)",
}
PREFIX = {
    "gd_associative": "gd",
    "factual_recall": "recall",
    "distributional": "distr",
    "heavy_tailed": "imbalance",
}


def _row(key):
    def check(result):
        rows = {c["id"]: c for c in result["claims"]}
        if key not in rows:
            raise RuntimeError(f"experiment returned no claim row {key!r}")
        c = rows[key]
        s = c["spread"]
        detail = (
            f"{c['statement']}; spread std {s['std']:.3g}, min {s['min']:.4g}, max "
            f"{s['max']:.4g}, n = {s.get('n', 0)}; tolerance: {c['tolerance']}"
        )
        return [Outcome(c["prediction"], c["measurement"], c["verdict"] == "holds", detail)]

    return check


def _claim(exp, key, section, statement, tolerance, reason, expect="holds", symbolic=None):
    register(
        Claim(
            id=f"{PREFIX[exp]}.{key}",
            paper=f"{PAPERS[exp]}, {section}",
            statement=statement,
            prediction="memtheory.dynamics (value in each row)",
            experiment=exp,
            check=_row(key),
            tolerance=tolerance,
            tolerance_reason=reason,
            expect=expect,
            symbolic_check=f"dynamics.{symbolic}" if symbolic else None,
        )
    )


# 1. gradient descent on one associative memory
G = "gd_associative"
_claim(
    G,
    "margin-recursion",
    "Sec. 3 (orthonormal embeddings)",
    "Full-matrix GD margins equal the scalar margin recursion.",
    "max |difference| < 1e-9",
    "float64 round-off accumulated over the steps",
    symbolic="margin_recursion",
)
_claim(
    G,
    "log-growth",
    "Sec. 3",
    "Margins grow like the logarithm of time.",
    "|slope in ln t - flow slope| < 0.02",
    "discrete vs continuous time over the last decade",
    symbolic="margin_flow_solution",
)
_claim(
    G,
    "loss-rate",
    "Sec. 3",
    "The loss decays as N(M-1)/(eta M t).",
    "|ratio - 1| < 0.15",
    "o(1) corrections (M-1) m e^-m at the finite T measured",
    symbolic="loss_asymptote",
)
_claim(
    G,
    "no-oscillation",
    "Sec. 3",
    "With orthonormal embeddings the loss never increases.",
    "largest one-step increase <= 0",
    "monotone by the closed form",
)
_claim(
    G,
    "hessian",
    "Sec. 4 (Hessian of the cross-entropy)",
    "The closed-form Hessian equals autograd's.",
    "relative difference < 1e-12",
    "float64 round-off",
    symbolic="hessian_closed_form",
)
_claim(
    G,
    "spikes-large-step",
    "Sec. 4 (two correlated, imbalanced tokens)",
    "Above the step-size bound the loss spikes, yet full accuracy comes sooner.",
    "at least one spike and earlier full accuracy",
    "a qualitative claim: any spike counts",
    symbolic="two_particle_threshold",
)
_claim(
    G,
    "monotone-small-step",
    "Sec. 4",
    "Below the bound the loss decreases monotonically.",
    "exactly 0 loss increases",
    "descent lemma",
    symbolic="two_particle_threshold",
)
_claim(
    G,
    "large-step-faster",
    "Sec. 4",
    "The large step reaches full accuracy strictly earlier.",
    "strictly earlier",
    "ordering claim",
)
_claim(
    G,
    "reduced-map",
    "Sec. 4",
    "Torch GD follows the reduced 2-D margin map.",
    "max |difference| < 1e-9",
    "float64 round-off",
    symbolic="two_particle_map",
)
_claim(
    G,
    "sweep-monotone-below-bound",
    "Sec. 4 (sweep over p1, eta, alpha)",
    "No run below the monotone bound ever increases its loss.",
    "exactly 0 runs",
    "descent lemma with the global Hessian bound",
)
_claim(
    G,
    "sweep-large-steps-faster",
    "Sec. 4 (sweep)",
    "Over the sweep, larger steps reach full accuracy sooner.",
    "negative correlation",
    "sign of a correlation",
)
for n in (3, 30):
    _claim(
        G,
        f"underparameterized-N{n}",
        "Sec. 4.3 (d = 2)",
        f"With d = 2 and N = {n}, the cross-entropy minimizer found by GD has worse 0-1 "
        "error than the best linear rule on the predicted fraction of random draws.",
        "measured rate > 0 and within 0.05 of the predicted rate",
        "binomial error of 100 draws is ~0.05",
    )
