"""Claims of the mpp topic (McCabe et al. 2023, arXiv 2310.02994)."""

from __future__ import annotations

from empirical.experiments.mpp import metrics
from empirical.validate.claims import (
    AllOf,
    AtLeast,
    AtMost,
    Between,
    Category,
    Claim,
    Kind,
    Measured,
    Near,
    NotReproducing,
    register,
)

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


# --- the Fourier toy (memtheory.periodic_pde; transfer.py). Thresholds fixed before the first
# measurement (2026-12-03) and not changed after it; the quick finetuning budget was (see
# mpp.transfer-gap-closes).

NOTE = "notes shared/papers/multiple-physics-pretraining.md"


def _small_data_row(result):
    t = metrics.transfer_table(result)[0]
    return [
        Measured(
            {"gap in standard errors": t["z"], "fraction of seeds won by pretraining": t["wins"]},
            label=f"n_ft = {t['n_ft']}",
            detail=f"pretrained {t['pretrained']}, scratch {t['scratch']}, gap {t['gap']}",
            figure="mpp_toy.png",
        )
    ]


register(
    Claim(
        id="mpp.transfer-small-data",
        kind=Kind.PAPER,
        paper=f"{PAPER}, transfer experiments ({NOTE}, Sec. 2 'Transfer' and Sec. 5 item 4): "
        "finetuning from MPP beats training from scratch at small finetuning sizes",
        statement="On the exact Fourier toy, a model pretrained on advection and diffusion and "
        "finetuned on advection-diffusion beats the same model trained from scratch (same "
        "initialization, rows, steps and learning rate) at the smallest finetuning size.",
        prediction="test NRMSE of scratch - pretrained > 0 at the smallest n_ft, every seed",
        experiment="mpp",
        check=_small_data_row,
        tolerance=AllOf(
            quantity="paired gap",
            parts={
                "gap in standard errors": AtLeast(2.0, quantity="z"),
                "fraction of seeds won by pretraining": AtLeast(1.0, quantity="fraction"),
            },
        ),
        tolerance_reason="a paired gap more than 2 standard errors (sd / sqrt(seeds)) above 0 "
        "and won by every seed: with 3 seeds no single lucky seed can carry it. The paper's "
        "setting is 2-D compressible flow and a Transformer; this is the toy analogue, so "
        "only the sign and its significance are judged, no magnitude",
    )
)


def _closing_row(table, key: str, size: str, what: str) -> list:
    """The ratio of ``key``'s mean at the largest ``size`` to that at the smallest."""
    first, last = table[0], table[-1]
    return [
        Measured(
            metrics.ratio(last[key].mean, first[key].mean),
            label=f"{size} {first[size]} -> {last[size]}",
            detail=f"{what} {first[key]} -> {last[key]}",
            figure="mpp_toy.png",
        )
    ]


def _gap_closes_row(result):
    return _closing_row(metrics.transfer_table(result), "gap", "n_ft", "gap")


register(
    Claim(
        id="mpp.transfer-gap-closes",
        kind=Kind.EXTENSION,
        paper=f"{PAPER}; {NOTE} Sec. 2 reports the transfer gain at all finetuning sizes and "
        "mentions (unconfirmed) a toy where pretraining helps 'at small data'; whether the gap "
        "closes is asked here",
        statement="The advantage of pretraining closes as finetuning data grows: the mean "
        "NRMSE gap at the largest n_ft is within 20% of the gap at the smallest.",
        prediction="mean gap(largest n_ft) / mean gap(smallest n_ft) in [-0.2, 0.2]",
        experiment="mpp",
        check=_gap_closes_row,
        tolerance=Between(-0.2, 0.2, quantity="gap ratio"),
        tolerance_reason="'closes' read as at least 80% of the small-data advantage gone over "
        "the profile's range of finetuning sizes (256x at quick), in either direction "
        "(a large reversal, pretraining hurting at large n_ft, would be negative transfer, "
        "not closing). Changed after the first quick run (the threshold was not): "
        "with 400 finetuning steps the scratch model was step-limited (NRMSE 0.053 at 256 and "
        "0.052 at 1024 samples) and the ratio was 0.25; the comparison needs a budget in which "
        "scratch can use its data, so quick now takes 1200 steps on sizes 4, 64, 1024 "
        "(and the paper profile 3000 steps up to 4096)",
    )
)


def _interference_low_row(result):
    t = metrics.interference_table(result)[0]
    return [
        Measured(
            {"log excess in standard errors": t["z"], "fraction of seeds joint worse": t["worse"]},
            label=f"width {t['width']}",
            detail=f"log excess {t['log_excess']}",
            figure="mpp_toy.png",
        )
    ]


register(
    Claim(
        id="mpp.interference-low-capacity",
        kind=Kind.EXTENSION,
        paper=f"{PAPER}; {NOTE} Sec. 2: multi-task training hurts some tasks at the small "
        "model size and results improve with scale (unconfirmed numbers); capacity as the "
        "cause is the toolkit's question",
        statement="At the smallest width, one model trained on all three systems has a higher "
        "test NRMSE than one model per system (same steps and samples per system).",
        prediction="mean over systems of log(NRMSE joint / NRMSE single) > 0, every seed",
        experiment="mpp",
        check=_interference_low_row,
        tolerance=AllOf(
            quantity="paired log excess",
            parts={
                "log excess in standard errors": AtLeast(2.0, quantity="z"),
                "fraction of seeds joint worse": AtLeast(1.0, quantity="fraction"),
            },
        ),
        tolerance_reason="the same significance rule as mpp.transfer-small-data: more than 2 "
        "standard errors above 0 and every seed; the log ratio weighs the three systems equally "
        "although their NRMSE differ",
    )
)


def _interference_closes_row(result):
    return _closing_row(metrics.interference_table(result), "log_excess", "width", "log excess")


register(
    Claim(
        id="mpp.interference-closes",
        kind=Kind.EXTENSION,
        paper=f"{PAPER}; {NOTE} Sec. 2 (multi-task cost at small size, gains with scale)",
        statement="Multi-task interference closes as capacity grows: the joint model's log "
        "excess at the largest width is within half of its excess at the smallest width.",
        prediction="log excess(largest width) / log excess(smallest width) in [-0.5, 0.5]",
        experiment="mpp",
        check=_interference_closes_row,
        tolerance=Between(-0.5, 0.5, quantity="excess ratio"),
        tolerance_reason="a relative measure (log of the NRMSE ratio), so that errors shrinking "
        "with width do not close the gap by themselves; 'closes' read as at least half of the "
        "low-capacity excess gone over the profile's range of widths (8x at quick, 16x at paper)",
        not_reproducing=NotReproducing(
            Category.REFUTED,
            "the excess does not close with width: log excess 0.392 +- 0.113, 0.376 +- 0.093, "
            "0.414 +- 0.037 at widths 2, 4, 16 (quick, 600 steps, ratio 1.06) and 0.392 +- "
            "0.056, 0.472 +- 0.068, 0.493 +- 0.051 at widths 2, 8, 32 with 2400 steps (paper "
            "profile, ratio 1.26), 3 seeds. It is carried by diffusion (joint/single NRMSE 0.0164 "
            "/ 0.0050 at width 16, 0.0064 / 0.0018 at width 32) and advection (0.057 / 0.050, "
            "0.020 / 0.016), while on advection-diffusion the joint model is as good or better "
            "(0.036 / 0.040, 0.0150 / 0.0151). On diffusion the joint/single ratio grows with "
            "width (2.5x, 3.3x, 3.5x at widths 2, 8, 32, paper profile). A likely reason, not "
            "tested: a single-system model knows c = 0 (or nu = 0), which the joint model must "
            "read from 4 frames, and that inference error is not a capacity limit",
        ),
    )
)
