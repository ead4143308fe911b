"""Claims of ``experiments.distributional`` (TRANSITIONAL flat module).

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


# 3. distributional associations vs in-context reasoning
D = "distributional"
_claim(
    D,
    "bayes-floor",
    "Sec. 3 (noisy in-context recall)",
    "The loss at trigger positions reaches the Bayes floor h(alpha).",
    "within 10% on every seed",
    "finite training",
    expect="not-reproducing",
    symbolic="bayes_floor",
)
_claim(
    D,
    "calibration",
    "Sec. 3",
    "The model predicts the noise token with probability alpha.",
    "within 0.1 of alpha on every seed",
    "sampling noise of the test batch",
)
_claim(
    D,
    "ff-stores-noise",
    "Sec. 4 (per-layer probes)",
    "The second feed-forward layer carries the noise bigram.",
    ">= 0.9 on every seed",
    "logit-lens fraction of positions",
)
_claim(
    D,
    "ff-noise-margin",
    "Sec. 4",
    "The FF probe gives the noise token a positive margin.",
    "> 0 on every seed",
    "sign claim",
)
_claim(
    D,
    "attn-recalls",
    "Sec. 4",
    "The second attention layer carries the in-context answer.",
    ">= 0.9 on every seed",
    "logit-lens fraction of positions",
)
_claim(
    D,
    "truncation-raises-accuracy",
    "Sec. 5 (low-rank truncation)",
    "Removing the second FF layer raises clean in-context accuracy.",
    "> 0 on every seed",
    "sign claim",
)
for rho in ("0.1", "0.2"):
    _claim(
        D,
        f"truncation-rho-{rho}",
        "Sec. 5",
        f"Keeping a rank-{rho} d truncation of the FF output matrix raises clean accuracy.",
        ">= 0 on every seed",
        "sign claim (the paper's magnitude is unconfirmed)",
        expect="not-reproducing",
    )
