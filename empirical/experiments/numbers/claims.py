"""Claims of the numbers topic (xVal, Golkar et al. 2023, arXiv 2310.02989).

Thresholds were fixed before the first measurement: 1e-12 for float64 identities, the jump ratio
against its two predictions (1/m = 0.1 for a continuous prediction, about 1 for a jumping one),
a 5% relative error as "trained" and "interpolates", and the frequency-bias ratio against 1
(no bias) with the Bayes model's values (MAP 1.45, posterior mean 0.51 at the quick setting) as
the prediction shown. Exception: ``numbers.token-head-is-map`` was added, with its tolerance
from the sampling error of R_5, after seed 0 of two token heads had been seen. Where the paper
gives no number (its tables are unconfirmed in the notes), the claim says so in ``paper``.
"""

from __future__ import annotations

from empirical.validate.claims import (
    AllOf,
    AtLeast,
    AtMost,
    Claim,
    Kind,
    Measured,
    Near,
    NotReproducing,
    register,
)

XVAL = "Golkar et al. 2023, xVal (arXiv 2310.02989)"
TRAINED = 0.05  # relative error on held-out in-distribution records: the model learned the task
# the control part of the trained-model claims: a verdict counts only if the model learned
LEARNED = AtMost(TRAINED, quantity="held-out rel. error")


def _fn(result, token: bool):
    return [r for r in result["function"] if (r["scheme"] != "xVal") == token]


def _fr(result, token: bool):
    return [r for r in result["frequency"] if (r["scheme"] != "xVal") == token]


register(
    Claim(
        id="numbers.tokens-per-number",
        kind=Kind.DERIVATION,
        paper=f"{XVAL}, baseline encodings of Charton 2021 (notes §1.6, §4 item 2: counts follow "
        "from the definitions)",
        statement="The codec writes 5, 3, 2, 1, 1 tokens per number for P10, P1000, B1999, FP15, "
        "xVal.",
        prediction="k = 5, 3, 2, 1, 1 (memtheory.numbers.TOKENS_PER_NUMBER)",
        experiment="numbers",
        check=lambda result: [
            Measured(
                v, predicted={"P10": 5, "P1000": 3, "B1999": 2, "FP15": 1, "xVal": 1}[s], label=s
            )
            for s, v in result["exact"]["tokens_per_number"].items()
        ],
        tolerance=Near(abs=0.0, quantity="tokens per number"),
        tolerance_reason="a count: exact",
    )
)

register(
    Claim(
        id="numbers.layernorm-forgets-scale",
        kind=Kind.DERIVATION,
        paper=f"{XVAL}, why inputs are normalized (notes §1.4)",
        statement="LN(x e) = sign(x) LN(e) for x != 0 (eps = 0): torch's float64 LayerNorm equals "
        "memtheory's sign(x) LN(e) for |x| from 1e-4 to 1e4.",
        prediction="max |difference| = 0",
        experiment="numbers",
        check=lambda result: [Measured(result["exact"]["ln_identity_max_diff"], predicted=0.0)],
        tolerance=AtMost(1e-12, quantity="max |LN(x e) - sign(x) LN(e)|"),
        tolerance_reason="float64 round-off of a d = 32 normalization is ~1e-15",
        symbolic_check="numbers.ln_scale_identity",
    )
)

register(
    Claim(
        id="numbers.xval-position-recovers-x",
        kind=Kind.DERIVATION,
        paper=f"{XVAL}, input embedding x e + p, multiply before adding the position (notes §1.2,"
        " §1.4)",
        statement="On the trained xVal weights, x is recovered exactly from LN(x e + p) by "
        "x = (b cot(theta) - a)/c, while without p LN(x e) = LN(3 x e).",
        prediction="recovery error 0; LN(x e) - LN(3 x e) = 0",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {"recovery": r["recover_max_rel_error"], "no position": r["no_position_max_diff"]},
                seed=r["seed"],
            )
            for r in result["ray"]
        ],
        tolerance=AllOf(
            parts={
                "recovery": AtMost(1e-9, quantity="max rel. error of recovered x"),
                "no position": AtMost(1e-12, quantity="max |LN(x e) - LN(3 x e)|"),
            }
        ),
        tolerance_reason="float64; the inverse divides by the small component b, so 1e-9 "
        "relative leaves room for b/c down to ~1e-6",
        symbolic_check="numbers.ln_speed",
    )
)

register(
    Claim(
        id="numbers.xval-continuous",
        kind=Kind.PAPER,
        paper=f"{XVAL}, modified number inference makes the model end-to-end continuous (notes "
        "§1.3, §4 item 1; stated, no number given)",
        statement="xVal's predicted number is a continuous function of the input number: "
        "refining the input grid 10x shrinks the largest output step about 10x.",
        prediction="jump ratio J(h/10)/J(h) = 0.1 for a C^1 prediction",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {"jump ratio": r["jump_ratio"], "test rel. error": r["test_rel_error"]},
                predicted={"jump ratio": 0.1},
                seed=r["seed"],
                label=r["scheme"],
                figure="continuity_gap.png",
            )
            for r in _fn(result, token=False)
        ],
        tolerance=AllOf(
            parts={
                "jump ratio": AtMost(0.3, quantity="J(h/10)/J(h)"),
                "test rel. error": LEARNED,
            }
        ),
        tolerance_reason="0.3 is far from both predictions (0.1 continuous, ~1 jumping); a "
        "model counts only if it learned the task (5% rel. error)",
    )
)

register(
    Claim(
        id="numbers.tokens-jump-at-buckets",
        kind=Kind.PAPER,
        paper=f"{XVAL}, digit/bucket encodings change discontinuously at bucket boundaries "
        "(notes §4 item 1; no number given)",
        statement="Every token encoding's prediction jumps: refining the input grid 10x does not "
        "shrink its largest output step.",
        prediction="jump ratio about 1 (output constant on each 3-digit input bucket)",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {"jump ratio": r["jump_ratio"], "test rel. error": r["test_rel_error"]},
                predicted={"jump ratio": 1.0},
                seed=r["seed"],
                label=r["scheme"],
                figure="continuity_gap.png",
            )
            for r in _fn(result, token=True)
        ],
        tolerance=AllOf(
            parts={
                "jump ratio": AtLeast(0.5, quantity="J(h/10)/J(h)"),
                "test rel. error": LEARNED,
            }
        ),
        tolerance_reason="0.5 is far from both predictions (0.1 continuous, ~1 jumping); the "
        "control counts only if it learned the task",
    )
)

register(
    Claim(
        id="numbers.xval-interpolates-gap",
        kind=Kind.PAPER,
        paper=f"{XVAL}, planetary orbits: no training sample with a in (1, 1.16), only xVal "
        "predicts continuously in the gap (notes §2.3; rebuilt here on (a, a^2))",
        statement="xVal trained on a in [0.8, 1.6] without (1, 1.16) predicts a^2 inside the gap "
        "within 5% relative error.",
        prediction="a continuous prediction interpolates: gap error of the order of the "
        "in-distribution error",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {"gap rel. error": r["gap_rel_error"], "test rel. error": r["test_rel_error"]},
                seed=r["seed"],
                label=r["scheme"],
                figure="continuity_gap.png",
            )
            for r in _fn(result, token=False)
        ],
        tolerance=AllOf(
            parts={
                "gap rel. error": AtMost(0.05, quantity="rel. error in the gap"),
                "test rel. error": LEARNED,
            }
        ),
        tolerance_reason="5% is the 'trained' level; the gap is asked to be as good as that",
    )
)

register(
    Claim(
        id="numbers.tokens-miss-gap",
        kind=Kind.PAPER,
        paper=f"{XVAL}, planetary orbits: token encodings do not fill the (1, 1.16) gap "
        "(notes §2.3, §4 item 4; rebuilt here on (a, a^2))",
        statement="Every token encoding's error inside the held-out gap is at least 3x its "
        "in-distribution error.",
        prediction="gap tokens never trained: the gap error is far above the test error",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {
                    "gap / test error": r["gap_rel_error"] / max(r["test_rel_error"], 1e-12),
                    "test rel. error": r["test_rel_error"],
                },
                seed=r["seed"],
                label=r["scheme"],
                figure="continuity_gap.png",
            )
            for r in _fn(result, token=True)
        ],
        tolerance=AllOf(
            parts={
                "gap / test error": AtLeast(3.0, quantity="gap rel. error / test rel. error"),
                "test rel. error": LEARNED,
            }
        ),
        tolerance_reason="a factor 3 separates 'fails in the gap' from seed noise of the "
        "test error; the control counts only if it learned the task",
    )
)

register(
    Claim(
        id="numbers.tokens-overpredict-frequent",
        kind=Kind.PAPER,
        paper=f"{XVAL}, temperature data: token encodings over-predict frequent values "
        "(horizontal stripes; notes §2.2, §4 item 5; no number given)",
        statement="Token heads predict the 5 most frequent values of a Zipf prior more often "
        "than they occur (R_5 >= 1.1).",
        prediction="a cross-entropy head tends to the MAP: R_5 = theory_ratio_map "
        "(memtheory.numbers.overprediction_ratio)",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {"R_k": r["ratio"], "MAE / Bayes MAE": r["mae"] / r["bayes_mae"]},
                predicted={"R_k": r["theory_ratio_map"]},
                seed=r["seed"],
                label=r["scheme"],
                figure="frequency_scatter.png",
            )
            for r in _fr(result, token=True)
        ],
        tolerance=AllOf(
            parts={
                "R_k": AtLeast(1.1, quantity="over-prediction ratio R_5"),
                "MAE / Bayes MAE": AtMost(1.5, quantity="MAE / Bayes-MAP MAE"),
            }
        ),
        tolerance_reason="1.1 is 10% above no bias (1.0), below the MAP's 1.45; trained = "
        "within 1.5x of the Bayes predictor's error",
    )
)

register(
    Claim(
        id="numbers.xval-no-frequency-bias",
        kind=Kind.PAPER,
        paper=f"{XVAL}, temperature data: xVal's regression head shows no stripes (notes §2.2, "
        "§4 item 5; no number given)",
        statement="xVal's MSE head does not over-predict the frequent values (R_5 <= 1).",
        prediction="an MSE head tends to the posterior mean: R_5 = theory_ratio_mean",
        experiment="numbers",
        check=lambda result: [
            Measured(
                {"R_k": r["ratio"], "MAE / Bayes MAE": r["mae"] / r["bayes_mae"]},
                predicted={"R_k": r["theory_ratio_mean"]},
                seed=r["seed"],
                label=r["scheme"],
                figure="frequency_scatter.png",
            )
            for r in _fr(result, token=False)
        ],
        tolerance=AllOf(
            parts={
                "R_k": AtMost(1.0, quantity="over-prediction ratio R_5"),
                "MAE / Bayes MAE": AtMost(1.5, quantity="MAE / Bayes-mean MAE"),
            }
        ),
        tolerance_reason="1.0 is no bias; trained = within 1.5x of the Bayes predictor's error",
    )
)


register(
    Claim(
        id="numbers.token-head-is-map",
        kind=Kind.MODEL,
        paper=f"{XVAL}, frequency bias of token encodings (notes §2.2); the Bayes model is the "
        "toolkit's (memtheory.numbers.frequency)",
        statement="A token head's over-prediction ratio R_5 equals the Bayes MAP's, computed "
        "from the prior and the noise alone, within 0.15.",
        prediction="R_5 of the MAP, memtheory.numbers.overprediction_ratio (no fitted parameter)",
        experiment="numbers",
        check=lambda result: [
            Measured(
                r["ratio"],
                predicted=r["theory_ratio_map"],
                seed=r["seed"],
                label=r["scheme"],
                figure="frequency_scatter.png",
            )
            for r in _fr(result, token=True)
        ],
        tolerance=Near(abs=0.15, quantity="over-prediction ratio R_5"),
        tolerance_reason="sampling sd of R_5 on 2,048 test records with top-5 mass 0.44 is "
        "~0.04; 0.15 allows that plus a head not exactly at the posterior",
    )
)


def _geometry(result):
    trained = {(r["scheme"], r["seed"]): r["test_rel_error"] for r in result["function"]}
    return [
        Measured(
            {
                "trained contrast": r["trained"]["contrast"],
                "init contrast": r["init"]["contrast"],
                "test rel. error": trained[(r["scheme"], r["seed"])],
            },
            seed=r["seed"],
            label=r["scheme"],
            figure="embedding_geometry.png",
        )
        for r in result["geometry"]
    ]


register(
    Claim(
        id="numbers.token-embeddings-ordered",
        kind=Kind.EXTENSION,
        paper=f"{XVAL} imposes one ray (geometric); the question whether token encodings "
        "learn an order is the toolkit's (issue 14; geometry metrics of arXiv 2510.26745)",
        statement="Per-number token embeddings trained only on local facts (a -> a^2) come out "
        "ordered: value neighbours are more aligned than random pairs by >= 0.1 in cosine, "
        "while at initialization they are not.",
        prediction="hypothesis (geometric memory): adjacent - random cosine >= 0.1 trained, ~0 "
        "at init",
        experiment="numbers",
        check=_geometry,
        tolerance=AllOf(
            parts={
                "trained contrast": AtLeast(0.1, quantity="adjacent - random cosine (trained)"),
                "init contrast": AtMost(0.05, quantity="adjacent - random cosine (init)"),
                "test rel. error": LEARNED,
            }
        ),
        tolerance_reason="0.1 is several times the init spread (random Gaussian rows, ~1/sqrt(d)"
        " per pair, averaged over n pairs); fixed before measuring",
        not_reproducing=NotReproducing(
            "budget",
            "quick profile (d 32, 600 steps, seed 0): adjacent - random cosine FP15 0.084, "
            "P1000 0.113, B1999 0.100 (at init -0.007, -0.001, -0.009); no global order: "
            "|rank corr. of PC1 with the value| <= 0.053, energy on the 5 smoothest chain modes "
            "0.020-0.034 vs chance 0.020. Weak local alignment, no curve: associative, not "
            "geometric, at this size (3 seeds: mean contrast 0.092-0.102, 4 of 9 rows >= 0.1); "
            "the paper profile (GPU) was not run here.",
        ),
    )
)
