"""Claims of the heavy-tailed imbalance experiment (Kunstner et al. 2024, arXiv 2402.19449).

Each check reads the result of :func:`empirical.experiments.heavy_tailed.run.run` and returns one
:class:`~empirical.validate.claims.Measured` row per seed (or per optimizer); the tolerance is
written once, here.
"""

from __future__ import annotations

import math

from empirical.validate.claims import (
    AtLeast,
    AtMost,
    Category,
    Claim,
    Kind,
    Measured,
    NotReproducing,
    register,
)

PAPER = "Kunstner et al. 2024 (arXiv 2402.19449)"
EXPERIMENT = "heavy_tailed"
FIGURE = "heavy_tailed.png"
LABELS = {
    "tiered": "tiered Zipf data",
    "memory-onehot": "a Zipf memory with one-hot class rows",
    "memory-gaussian": "a Zipf memory with Gaussian unembeddings",
}


def _rows(result, problem, method):
    rows = [r for r in result["per_seed"] if r["problem"] == problem and r["method"] == method]
    if not rows:
        raise RuntimeError(f"the result has no {problem} run with {method}")
    return rows


def _check_ratio(problem, method):
    def check(result):
        pred = result["results"][problem]["predicted_ratio"]["gd" if method == "gd" else "sign"]
        return [
            Measured(
                r["half_time_ratio"],
                predicted=pred,
                seed=r["seed"],
                label=f"{problem}, {method} lr {r['lr']:.3g}",
                detail="group half-times "
                + ", ".join(f"{t:g}" for t in r["group_half_times"])
                + " (most frequent first; steps+1 = never)",
                figure=FIGURE,
            )
            for r in _rows(result, problem, method)
        ]

    return check


def lag_removed(ratio_method: float, ratio_gd: float) -> float:
    """Share of GD's rare-group lag that an optimizer removes, on a log scale:
    :math:`1-\\ln r_{\\mathrm{opt}}/\\ln r_{\\mathrm{GD}}` with ``r`` the half-time ratio
    (rarest over most frequent group). 1: every group halves together (the reduced model's
    sign descent); 0: the optimizer lags as GD does; ``nan`` when GD shows no lag (``r <= 1``).
    When GD's rarest group never halves, ``r_GD`` is a lower bound and so is the share."""
    if ratio_gd <= 1.0:
        return float("nan")
    return 1.0 - math.log(max(ratio_method, 1e-300)) / math.log(ratio_gd)


def _spearman(x) -> float:
    """Rank correlation of half-times with the group index (0 = most frequent); ties averaged."""
    import numpy as np
    from scipy.stats import spearmanr

    x = np.asarray(x, dtype=float)
    if np.ptp(x) == 0:
        return float("nan")
    return float(spearmanr(np.arange(len(x)), x).statistic)


def _check_lag_removed(problem, method):
    def check(result):
        gd = {r["seed"]: r for r in _rows(result, problem, "gd")}
        out = []
        for r in _rows(result, problem, method):
            g = gd[r["seed"]]
            ht = ", ".join(f"{t:g}" for t in r["group_half_times"])
            ht_gd = ", ".join(f"{t:g}" for t in g["group_half_times"])
            out.append(
                Measured(
                    lag_removed(r["half_time_ratio"], g["half_time_ratio"]),
                    predicted=1.0,
                    seed=r["seed"],
                    label=f"{problem}, {method} lr {r['lr']:.3g} vs GD lr {g['lr']:.3g}",
                    detail=f"half-time ratio {r['half_time_ratio']:.3g} vs GD's "
                    f"{g['half_time_ratio']:.3g}; group half-times {ht} (GD: {ht_gd}; most "
                    f"frequent first, steps+1 = never); rank correlation of half-time with "
                    f"rarity {_spearman(r['group_half_times']):.2f} (GD "
                    f"{_spearman(g['group_half_times']):.2f})",
                    figure=FIGURE,
                )
            )
        return out

    return check


def problem_of(claim_id: str) -> str | None:
    """The problem a claim id is about (``None`` for the reduced-model check)."""
    rest = claim_id.split(".", 1)[1]
    return next((p for p in LABELS if rest.startswith(p + "-")), None)


def applies(claim_id: str, config: dict) -> bool:
    """Whether a config measures the claim: its problem and the optimizers it compares ran."""
    problem = problem_of(claim_id)
    if problem is None:
        return True
    method = claim_id.split(".", 1)[1][len(problem) + 1 :].split("-")[0]
    return problem in config["problems"] and {"gd", method} <= set(config["methods"])


def _check_reduced(result):
    return [Measured(e, 0.0, label=m) for m, e in result["reduced_model_error"].items()]


_GAUSSIAN = (
    "share of GD's log lag removed {q}, {n} and {b} at N = 64 (quick), 128 (1000 steps, 3 seeds) "
    "and 256 (1000 steps, 2 seeds; cpu_runs memory-gaussian-N*): it levels off below the 0.5 "
    "tolerance, and the group half-times stay ordered by frequency (rank correlation 1.00 on "
    "every seed). With Gaussian unembeddings every class shares every weight coordinate, so "
    "per-coordinate normalization cannot undo the pi_k scaling of the gradient; N = 1024 (the "
    "paper profile) does not run on this CPU"
)
NOT_REPRODUCING = {
    "imbalance.memory-gaussian-adam-all-groups": NotReproducing(
        Category.REFUTED, _GAUSSIAN.format(q="0.20-0.22", n="0.32-0.33", b="0.31-0.32")
    ),
    "imbalance.memory-gaussian-sign-all-groups": NotReproducing(
        Category.REFUTED, _GAUSSIAN.format(q="0.30-0.32", n="0.40-0.41", b="0.41-0.43")
    ),
}
KINDS = {"tiered": Kind.PAPER, "memory-onehot": Kind.PAPER, "memory-gaussian": Kind.EXTENSION}

CLAIMS = [
    Claim(
        id="imbalance.reduced-model-exact",
        kind=Kind.DERIVATION,
        paper=f"{PAPER}, Sec. 3 (one-hot linear model)",
        statement="Per-class losses of GD and sign descent follow the reduced closed form.",
        prediction="memtheory.dynamics.orthonormal_class_losses",
        experiment=EXPERIMENT,
        check=_check_reduced,
        tolerance=AtMost(1e-10, strict=True, quantity="max |per-class loss - closed form|"),
        tolerance_reason="float64 round-off over a few hundred steps",
        symbolic_check="dynamics.tiered_and_sign",
    )
]
for _problem, _label in LABELS.items():
    CLAIMS.append(
        Claim(
            id=f"imbalance.{_problem}-gd-rare-slow",
            kind=KINDS[_problem],
            paper=f"{PAPER}, Sec. 2-3, Fig. 1",
            statement=f"On {_label}, GD leaves the rare classes behind.",
            prediction="half-time ratio of the reduced one-hot model under GD (about the "
            "frequency ratio of the groups; the constant is not claimed: the data are not "
            "one-hot)",
            experiment=EXPERIMENT,
            check=_check_ratio(_problem, "gd"),
            tolerance=AtLeast(4.0, strict=True, quantity="half-loss-time ratio rarest/frequent"),
            tolerance_reason="rare classes lag by their frequency ratio in the reduced model "
            "(>= 27 here); 4 leaves room for the non-one-hot data",
        )
    )
    for _method in ("adam", "sign"):
        _id = f"imbalance.{_problem}-{_method}-all-groups"
        CLAIMS.append(
            Claim(
                id=_id,
                kind=KINDS[_problem],
                paper=f"{PAPER}, Sec. 2-3, Fig. 1",
                statement=f"On {_label}, {_method} makes progress on every group: it removes "
                "most of the rare groups' lag that GD shows.",
                prediction="the reduced one-hot model under sign descent: every group halves "
                "together (share of GD's lag removed = 1)",
                experiment=EXPERIMENT,
                check=_check_lag_removed(_problem, _method),
                tolerance=AtLeast(0.5, quantity="share of GD's log half-time lag removed"),
                tolerance_reason="the midpoint, on the log scale of half-time ratios, between "
                "GD (0) and the reduced model's sign descent (1): the optimizer is closer to "
                "'every group together' than to GD. Compared with GD on the same data and "
                "seed, so it scales with the imbalance, which a fixed ratio threshold did not",
                not_reproducing=NOT_REPRODUCING.get(_id),
            )
        )

for _claim in CLAIMS:
    register(_claim)
