"""Claims of the mpp topic (McCabe et al. 2023, arXiv 2310.02994)."""

from __future__ import annotations

from empirical.claims import AllOf, AtLeast, AtMost, Claim, Kind, Measured, Near, register

PAPER = "McCabe et al. 2023 (arXiv 2310.02994)"

register(
    Claim(
        id="mpp.revin-equivariance",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 3 (reversible instance normalization)",
        statement="With RevIN around any inner network, F(a x + b) = a F(x) + b per field, a > 0.",
        prediction="exact for eps = 0 (memtheory.normalization.revin)",
        experiment="mpp",
        check=lambda result: [
            Measured(r["error"], seed=r["seed"], label=f"network {r['network']}")
            for r in result["equivariance"]
        ],
        tolerance=AtMost(1e-10, quantity="relative error"),
        tolerance_reason="float64 rounding through a tanh network with a in [1e-2, 1e2]",
        symbolic_check="normalization.revin_equivariance",
    )
)


def _share_rows(result):
    rows = []
    for r in result["shares"]:
        n = len(r["nmse_shares"])
        rows.append(
            Measured(
                {
                    "largest nmse share deviation from 1/C": max(
                        abs(s - 1 / n) for s in r["nmse_shares"]
                    ),
                    "mse share of the largest field": max(r["mse_shares"]),
                },
                seed=r["seed"],
                label=f"scales {r['scales']}",
            )
        )
    return rows


register(
    Claim(
        id="mpp.nmse-equal-shares",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 3 (normalized MSE; without it large-scale fields dominate)",
        statement="Normalized MSE gives fields that differ only in scale equal gradient shares; "
        "plain MSE lets the largest-scale field take almost all of it.",
        prediction="nmse shares 1/C exactly; mse shares proportional to scale^4",
        experiment="mpp",
        check=_share_rows,
        tolerance=AllOf(
            quantity="gradient shares",
            parts={
                "largest nmse share deviation from 1/C": AtMost(1e-12, quantity="share"),
                "mse share of the largest field": AtLeast(0.99, quantity="share"),
            },
        ),
        tolerance_reason="exact under nmse; with scales 1, 10, 1000 mse gives 1 - 1e-8",
        symbolic_check="normalization.nmse_scale_invariance",
    )
)


def _embedding_rows(result):
    by_k = {}
    for r in result["embedding"]:
        by_k.setdefault(r["present"], []).append(r)
    ref = by_k[max(by_k)]
    ref_var = sum(r["variance"] for r in ref) / len(ref)
    rows = []
    for k, rs in sorted(by_k.items()):
        v = sum(r["variance"] for r in rs) / len(rs)
        se = (sum(r["variance_se"] ** 2 for r in rs) ** 0.5) / len(rs)
        z = (v - ref_var) / ((se**2 + (ref[0]["variance_se"] / len(ref) ** 0.5) ** 2) ** 0.5)
        rows.append(Measured(z, predicted=0.0, label=f"k = {k}", detail=f"variance {v:.4f}"))
    return rows


register(
    Claim(
        id="mpp.embedding-variance",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 3 (sub-sampled field embedding scaled by sqrt(12/k))",
        statement="With the sqrt(12/k) factor the field embedding has the same variance for any "
        "number k of present fields.",
        prediction="Var = 12 v for every k (memtheory.normalization.embedding_scale)",
        experiment="mpp",
        check=_embedding_rows,
        tolerance=Near(abs=4.0, quantity="(variance at k - at 12) in standard errors"),
        tolerance_reason="Monte-Carlo estimate; 4 standard errors keeps the family-wise false "
        "alarm rate below 1e-3 over 12 values of k",
        symbolic_check="normalization.embedding_variance",
    )
)
