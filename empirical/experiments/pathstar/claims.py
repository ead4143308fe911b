"""Claims of the in-weights path-star experiment (measured by ``empirical.experiments.pathstar``).

"Near chance" is decided with a binomial bound: the accuracy's distance from chance in units of
:math:`\\sigma = \\sqrt{c(1-c)/n}` (chance :math:`c = 1/d`, :math:`n` held-out paths) is at most
3; "far above chance" means at least 10 x chance.
"""

from __future__ import annotations

import math

from empirical.experiments.pathstar.report import TRANSIENT_DROP
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

GEOM = "Noroozizadeh, Nagarajan, Rosenfeld & Kumar 2025 (arXiv 2510.26745)"
BN = "Bachmann & Nagarajan 2024 (arXiv 2403.06963)"
MISSING = -math.inf  # a step that never came: an ordering that cannot hold


def _runs(result, recipe, tag=""):
    runs = [r for r in result["records"] if r["recipe"] == recipe and (r.get("tag") or "") == tag]
    if not runs:
        raise RuntimeError(f"no {recipe} run in this configuration")
    return runs


def _sigma(r) -> float:
    """Binomial sd of a chance-level guesser's accuracy over the held-out paths."""
    n = max(int(r.get("n_heldout_paths") or 1), 1)
    return math.sqrt(r["chance"] * (1 - r["chance"]) / n)


def _z(r, key) -> float:
    """``(accuracy - chance) / sigma``: how many binomial sds above chance."""
    return (r[key] - r["chance"]) / _sigma(r)


def _detail(r) -> str:
    return (
        f"{r['run_id']}: chance {r['chance']:.4f}, sigma {_sigma(r):.4f}, first token "
        f"{r['heldout_first_token_acc']:.3f}, exact {r['heldout_exact_match']:.3f}, restricted "
        f"{r['heldout_restricted_acc']:.3f}, train exact {r['train_exact_match']:.3f}"
    )


def _row(r, value, predicted="chance") -> Measured:
    return Measured(
        value,
        predicted=r["chance"] if predicted == "chance" else predicted,
        seed=r["seed"],
        label=f"d={r['degree']} l={r['length']}",
        detail=_detail(r),
    )


FAR = AtLeast(10.0, quantity="held-out first-token accuracy / chance")
NEAR_CHANCE = AtMost(3.0, quantity="(held-out first-token accuracy - chance) / sigma")

register(
    Claim(
        id="pathstar.heldout-above-chance",
        kind=Kind.PAPER,
        paper=f"{GEOM}, Obs. 1a",
        statement="After memorizing the edges and 75% of the paths, a Transformer finds the "
        "held-out paths (an l-fold composition) far above chance.",
        prediction="chance 1/degree for the first hop; exact match ~ 0 for an associative lookup",
        experiment="pathstar",
        check=lambda result: [
            _row(
                r,
                {
                    "exact": r["heldout_exact_match"],
                    "first/chance": r["heldout_first_token_acc"] / r["chance"],
                },
            )
            for r in _runs(result, "mixed")
        ],
        tolerance=AllOf(
            parts={
                "exact": AtLeast(0.5, quantity="held-out exact match"),
                "first/chance": FAR,
            }
        ),
        tolerance_reason="the CPU goal of the experiment (>= 50% exact); chance is 1/d <= 0.01 "
        "here, so 10 x chance is far above a guesser",
    )
)

register(
    Claim(
        id="pathstar.first-hop-learnable",
        kind=Kind.PAPER,
        paper=f"{GEOM}, Obs. 1c",
        statement="With the loss on the first path token only, the first hop is learned for "
        "held-out leaves.",
        prediction="chance 1/degree",
        experiment="pathstar",
        check=lambda result: [
            _row(r, r["heldout_first_token_acc"] / r["chance"])
            for r in _runs(result, "hardest-token")
        ],
        tolerance=FAR,
        tolerance_reason="an order of magnitude above chance",
    )
)

FITS = AtLeast(0.9, quantity="training-path exact match")


def _premise(r, fitted: float, what: str) -> str:
    """The row's detail, opened by "control did not train" when its premise fails."""
    head = "" if FITS.holds(FITS.margin(fitted)) else f"control did not train ({what}): "
    return head + _detail(r)


def _frozen(result):
    return [
        Measured(
            {"z": _z(r, "heldout_first_token_acc"), "fit": r["train_exact_match"]},
            predicted={"z": 0.0},
            seed=r["seed"],
            label=f"d={r['degree']} l={r['length']}",
            detail=_premise(r, r["train_exact_match"], "its training paths are not fit"),
        )
        for r in _runs(result, "frozen-embeddings")
    ]


register(
    Claim(
        id="pathstar.frozen-embeddings-chance",
        kind=Kind.PAPER,
        paper=f"{GEOM}, App. E.1",
        statement="With frozen token embeddings the same model fits its training paths yet stays "
        "near chance on held-out leaves.",
        prediction="chance 1/degree on held-out leaves; the training paths fit",
        experiment="pathstar",
        check=_frozen,
        tolerance=AllOf(parts={"z": NEAR_CHANCE, "fit": FITS}),
        tolerance_reason="sampling error of a chance-level guesser over the held-out paths; a "
        "control counts only when it fits its own training data (the 0.9 of steps-to-fit)",
    )
)

register(
    Claim(
        id="pathstar.forward-edges-fail",
        kind=Kind.PAPER,
        paper=f"{GEOM}, Obs. 6",
        statement="Memorizing only forward edges, the model fails the forward path task.",
        prediction="chance 1/degree",
        experiment="pathstar",
        check=lambda result: [
            _row(r, _z(r, "heldout_first_token_acc"), predicted=0.0)
            for r in _runs(result, "forward-edges")
        ],
        tolerance=NEAR_CHANCE,
        tolerance_reason="sampling error of a chance-level guesser",
    )
)

register(
    Claim(
        id="pathstar.backward-edges-reverse",
        kind=Kind.PAPER,
        paper=f"{GEOM}, Obs. 6",
        statement="Memorizing only backward edges, the reversed (leaf to root) path task succeeds.",
        prediction="decision-token accuracy of the reversed path ~ 1",
        experiment="pathstar",
        check=lambda result: [
            _row(r, r["heldout_first_token_acc"]) for r in _runs(result, "backward-edges")
        ],
        tolerance=AtLeast(0.5, quantity="held-out decision-token accuracy"),
        tolerance_reason="success criterion of claim pathstar.heldout-above-chance, scored at "
        "the decision token (the leaf's parent, the held-out leaf fed): the leaf itself, the "
        "first reversed target, is never an output in backward edges, so exact match also "
        "measures whether an unseen output token is copied",
    )
)


def _after_decision(r) -> float:
    """Teacher-forced test accuracy at the target positions after the decision token (the
    Clever-Hans positions: each next node is in the prompt's edge list)."""
    tf = r.get("heldout_teacher_forced_per_position") or []
    after = tf[2:]
    return sum(after) / len(after) if after else MISSING


def _incontext(result):
    return [
        Measured(
            {"z": _z(r, "heldout_restricted_acc"), "after": _after_decision(r)},
            predicted={"z": 0.0},
            seed=r["seed"],
            label=f"d={r['degree']} l={r['length']}",
            detail=(
                ""
                if _after_decision(r) >= 0.9
                else "control did not train (the positions after the decision token are not "
                "learned): "
            )
            + _detail(r)
            + f", teacher-forced per position "
            f"{[round(v, 2) for v in r.get('heldout_teacher_forced_per_position') or []]}",
        )
        for r in _runs(result, "in-context")
    ]


register(
    Claim(
        id="pathstar.incontext-chance",
        kind=Kind.PAPER,
        paper=f"{BN}, Sec. 5; {GEOM}, Fig. 5",
        statement="In the in-context path-star task, next-token training learns every target "
        "position after the first hop (the Clever-Hans cheat) and leaves the first hop at "
        "chance.",
        prediction="chance 1/degree among the root's neighbours; later positions learned",
        experiment="pathstar",
        check=_incontext,
        tolerance=AllOf(
            parts={
                "z": Near(abs=3.0, quantity="(restricted first-token accuracy - chance) / sigma"),
                "after": AtLeast(0.9, quantity="teacher-forced accuracy after the decision token"),
            }
        ),
        tolerance_reason="restricted to the root's neighbours, a guesser is at chance up to "
        "binomial error; the control counts only when next-token training learned the rest of "
        "the path",
        not_reproducing=NotReproducing(
            "budget",
            "control did not train: the quick model (2 layers, width 32) trained 3000 steps of "
            "128 examples (10x the profile's 300; 114 CPU-s) reaches teacher-forced test "
            "accuracy 0.18 at the position after the decision token (1.00 only on the copied "
            "start and goal), restricted first token 0.35 at chance 0.33; Bachmann & Nagarajan "
            "train GPT-mid, beyond this CPU budget",
        ),
    )
)


def _step_gap(first, then) -> float:
    """``then - first`` in steps; a step that never came makes the order fail."""
    return MISSING if first is None or then is None else float(then - first)


register(
    Claim(
        id="pathstar.geometry-before-paths",
        kind=Kind.PAPER,
        paper=f"{GEOM}, Obs. 2, Figs. 6 and 16",
        statement="On held-out paths a leaf is closer to its own first hop than to other first "
        "hops, and this geometry appears before any held-out path is right.",
        prediction="leaf/first-hop cosine-distance contrast > 0, earlier than held-out success",
        experiment="pathstar",
        check=lambda result: [
            _row(
                r,
                {
                    "lead": _step_gap(
                        r.get("first_step_contrast_above_0.2"),
                        r.get("first_step_heldout_path_right"),
                    ),
                    "contrast": r["heldout_contrast"],
                },
                predicted=None,
            )
            for r in _runs(result, "mixed")
        ],
        tolerance=AllOf(
            parts={
                "lead": AtLeast(
                    0.0,
                    strict=True,
                    quantity="step(first held-out path right) - step(contrast > 0.2)",
                ),
                "contrast": AtLeast(0.0, strict=True, quantity="final contrast"),
            }
        ),
        tolerance_reason="an ordering claim on the log-spaced evaluation steps",
    )
)


def _pauses(result):
    """One row per graph seed of the pause runs: steps to fit the training paths with the fewest
    pauses minus with the most (positive: more pauses converge faster)."""
    rows = []
    by_seed: dict = {}
    for r in _runs(result, "mixed", "pause"):
        by_seed.setdefault(r["seed"], []).append(r)
    for seed, rs in sorted(by_seed.items()):
        rs = sorted(rs, key=lambda r: r["n_pause"])
        steps = [(r["n_pause"], r["steps_to_fit_train_paths"]) for r in rs]
        every = sorted({r.get("eval_every") for r in rs}, key=str)
        rows.append(
            Measured(
                _step_gap(steps[-1][1], steps[0][1]),
                predicted="> 0",
                seed=seed,
                label=f"d={rs[0]['degree']} l={rs[0]['length']}",
                detail=f"steps to fit the training paths (exact >= 0.9) by pause count: {steps}; "
                f"evaluated every {every} steps",
            )
        )
    return rows


register(
    Claim(
        id="pathstar.pauses-converge-faster",
        kind=Kind.PAPER,
        paper=f"{GEOM}, App. D.2, Fig. 22",
        statement="More pause tokens make training converge in fewer steps.",
        prediction="steps to fit the training paths fall with the number of pauses",
        experiment="pathstar",
        check=_pauses,
        tolerance=AtLeast(0.0, strict=True, quantity="steps(fewest pauses) - steps(most pauses)"),
        tolerance_reason="an ordering claim, every graph seed, on evenly spaced evaluation steps "
        "(the resolution, 10 steps in the quick profile, decides ties)",
        not_reproducing=NotReproducing(
            "refuted",
            "3 graph seeds, evaluated every 10 steps, d = 200, l = 6 (the paper's pause count "
            "range 0-10; GPT-mid on G(10^4, 6) does not fit on CPU): the training paths fit "
            "(exact >= 0.9) at steps 220 / 240 / 250 with 0 pauses and 290 / 300 / 320 with 10 "
            "pauses: more pauses converge 60-70 steps slower in every seed",
        ),
    )
)


def _transient(result):
    rows = []
    for r in _runs(result, "staged"):
        peak, final = r["heldout_first_token_peak"], r["heldout_first_token_acc"]
        rows.append(
            Measured(
                {
                    "drop": peak - final,
                    "peak/chance": peak / r["chance"],
                    "gap": r["heldout_restricted_acc"] - final,
                    "restricted/chance": r["heldout_restricted_acc"] / r["chance"],
                },
                seed=r["seed"],
                label=f"d={r['degree']} l={r['length']}",
                detail=f"first-token peak {peak:.3f} at step "
                f"{r.get('heldout_first_token_peak_step')} -> final {final:.3f}; " + _detail(r),
            )
        )
    return rows


register(
    Claim(
        id="pathstar.transient-is-prior",
        kind=Kind.EXTENSION,
        paper=f"{GEOM}, App. D.3 (the transient; its explanation is the toolkit's own)",
        statement="The staged recipe's held-out accuracy rises and then falls after fitting the "
        "training paths, and then the geometry is intact: restricted to held-out first hops, the "
        "argmax stays right.",
        prediction="a transient peak (far above chance, then a drop); then restricted accuracy - "
        "unrestricted accuracy >= 0.5",
        experiment="pathstar",
        check=_transient,
        tolerance=AllOf(
            parts={
                "drop": AtLeast(TRANSIENT_DROP, quantity="peak - final first-token accuracy"),
                "peak/chance": AtLeast(10.0, quantity="peak first-token accuracy / chance"),
                "gap": AtLeast(0.5, quantity="restricted - unrestricted first-token accuracy"),
                "restricted/chance": AtLeast(10.0, quantity="restricted accuracy / chance"),
            }
        ),
        tolerance_reason="the transient must occur (a peak 10 x chance, a drop of the boundary "
        "table's 0.1) before its explanation is tested; the gap separates a prior towards "
        "training answers from lost geometry (restricted accuracy near chance)",
    )
)
