"""Claims of ``experiments.factual_recall`` (TRANSITIONAL flat module).

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


# 2. factual recall
F = "factual_recall"
_claim(
    F,
    "seq-init-plateau",
    "Sec. 5 (sequential learning)",
    "Linear attention with orthogonal embeddings starts on a plateau at ln(R D).",
    "within 2% on every seed",
    "the plateau is the initial loss up to init 1e-5",
    symbolic="factual_plateaus",
)
_claim(
    F,
    "seq-hallucination-plateau",
    "Sec. 5",
    "A second plateau at ln D: the relation is known but not the subject (hallucination).",
    "within 10% on every seed",
    "a saddle passage, not a fixed point",
    symbolic="factual_plateaus",
)
_claim(
    F,
    "seq-relation-first",
    "Sec. 5",
    "The relation is learned before the subject.",
    "on every seed",
    "ordering claim",
)
for name in ("relation", "subject"):
    _claim(
        F,
        f"seq-escape-{name}",
        "Sec. 5",
        f"The {name} loss halves at the step the reduced gradient flow predicts.",
        "within 10% on every seed",
        "minibatch noise around the population recursion",
        symbolic="sequential_ode_rhs",
    )
_claim(
    F,
    "seq-converges",
    "Sec. 5",
    "Sequential learning converges to every fact.",
    "accuracy > 0.99 on every seed",
    "memorization criterion",
)
_claim(
    F,
    "tradeoff-either-suffices",
    "Sec. 4 (one-layer transformer)",
    "Facts can be stored in attention or in the MLP: cells of both kinds exist.",
    "at least one cell of each kind",
    "existence claim",
)
_claim(
    F,
    "tradeoff-min-attention",
    "Sec. 4",
    "A single head cannot route every fact, whatever the MLP width.",
    "best accuracy below 99%",
    "memorization criterion",
)
_claim(
    F,
    "tradeoff-capacity-fit",
    "Sec. 4, Fig. 4 (fit N ~ 0.15 params)",
    "The paper's fit predicts which (H, m) cells store the facts.",
    ">= 0.75 of cells classified correctly",
    "the fit is a guide line read off a figure",
    expect="not-reproducing",
)
_claim(
    F,
    "sweep-facts-per-param",
    "Sec. 4 (facts vs parameters)",
    "A one-layer transformer stores about 0.15 facts per parameter.",
    "within a factor 3 of the fit at every d",
    "CPU step budget, bisection resolution",
    expect="not-reproducing",
)
_claim(
    F,
    "sweep-linear-scaling",
    "Sec. 4",
    "Stored facts grow linearly with parameters.",
    "log-log slope in [0.6, 1.4]",
    "few points and bisection resolution",
)
