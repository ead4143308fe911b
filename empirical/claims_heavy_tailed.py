"""Claims of ``experiments.heavy_tailed`` (TRANSITIONAL flat module).

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


# 4. heavy-tailed class imbalance
H = "heavy_tailed"
_claim(
    H,
    "reduced-model-exact",
    "Sec. 3 (one-hot linear model)",
    "Per-class losses of GD and sign descent follow the reduced closed form.",
    "max |difference| < 1e-10",
    "float64 round-off",
    symbolic="tiered_and_sign",
)
for prob, label in (
    ("tiered", "tiered Zipf data"),
    ("memory-onehot", "a Zipf memory with one-hot class rows"),
    ("memory-gaussian", "a Zipf memory with Gaussian unembeddings"),
):
    _claim(
        H,
        f"{prob}-gd-rare-slow",
        "Sec. 2-3, Fig. 1",
        f"On {label}, GD leaves the rare classes behind.",
        "half-loss-time ratio rarest/most frequent > 4 on every seed",
        "rare classes lag by their frequency ratio in the reduced model",
    )
    for method in ("adam", "sign"):
        bad = prob != "memory-onehot"
        _claim(
            H,
            f"{prob}-{method}-all-groups",
            "Sec. 2-3, Fig. 1",
            f"On {label}, {method} does not leave the rare classes behind.",
            "half-loss-time ratio < 2 on every seed",
            "sign descent moves every class at the same rate in the reduced model",
            expect="not-reproducing" if bad else "holds",
        )
