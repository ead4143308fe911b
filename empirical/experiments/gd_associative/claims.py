"""Claims of the GD-on-one-associative-memory experiment (Cabannes, Simsek & Bietti 2024).

Each check reads the result of :func:`empirical.experiments.gd_associative.run.run` and returns
one :class:`~empirical.validate.claims.Measured` row per seed (or per step size, per problem
size); the tolerance is written once, here.
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
    register,
)

PAPER = "Cabannes, Simsek & Bietti 2024 (arXiv 2402.18724)"
EXPERIMENT = "gd_associative"
UNDER_N = (3, 30)  # the d = 2 problem sizes of both profiles
FIGURE = "gd_associative.png"


def applies(claim_id: str, config: dict) -> bool:
    """Whether a config measures the claim (the d = 2 claims need their N in ``under_n``)."""
    prefix = "gd.underparameterized-N"
    return not claim_id.startswith(prefix) or int(claim_id[len(prefix) :]) in config["under_n"]


def _per_seed(key, predicted=None):
    def check(result):
        return [
            Measured(
                r[key],
                predicted=r["slope_predicted"] if predicted == "slope" else predicted,
                seed=r["seed"],
                figure=FIGURE,
            )
            for r in result["per_seed"]
        ]

    return check


def _spike_runs(result):
    """``(small, large, steps)``: the spike runs at the small and the large step size."""
    cfg = result["config"]
    small, large = (result["spikes"][str(e)] for e in cfg["spike_etas"])
    return small, large, cfg["spike_steps"]


def _steps_earlier(result) -> int:
    """How many steps earlier the large step first reaches full accuracy than the small one
    (a run that never does counts as ``spike_steps + 1``, a lower bound)."""
    small, large, steps = _spike_runs(result)

    def first(run):
        return run["first_full_accuracy"] if run["first_full_accuracy"] >= 0 else steps + 1

    return first(small) - first(large)


def _check_spikes(result):
    small, large, steps = _spike_runs(result)
    eta_s, eta_l = result["config"]["spike_etas"]
    thr = result["spikes"]["threshold"]
    return [
        Measured(
            {"loss increases": large["loss_increases"], "steps earlier": _steps_earlier(result)},
            label=f"eta {eta_l:g} > bound {thr:.3g}",
            detail=f"{large['accuracy_drops']} accuracy drops; full accuracy at step "
            f"{large['first_full_accuracy']} (eta {eta_s:g}: {small['first_full_accuracy']}; "
            f"-1 = not within {steps} steps)",
            figure=FIGURE,
        )
    ]


def _check_monotone_small(result):
    small, _, steps = _spike_runs(result)
    eta_s = result["config"]["spike_etas"][0]
    thr = result["spikes"]["threshold"]
    return [
        Measured(
            small["loss_increases"],
            predicted=0,
            label=f"eta {eta_s:g} <= bound {thr:.3g}",
            detail=f"full accuracy at step {small['first_full_accuracy']} "
            f"(-1 = not within {steps})",
            figure=FIGURE,
        )
    ]


def _check_faster(result):
    small, large, steps = _spike_runs(result)
    eta_s, eta_l = result["config"]["spike_etas"]
    return [
        Measured(
            _steps_earlier(result),
            label=f"eta {eta_l:g} vs {eta_s:g}",
            detail=f"first step at full accuracy {large['first_full_accuracy']} vs "
            f"{small['first_full_accuracy']} (-1 = not within {steps} steps)",
            figure=FIGURE,
        )
    ]


def _check_reduced_map(result):
    return [
        Measured(result["spikes"][str(e)]["reduced_map_error"], 0.0, label=f"eta {e:g}")
        for e in result["config"]["spike_etas"]
    ]


def _check_sweep_monotone(result):
    s = result["sweep"]
    return [
        Measured(
            s["violations_below_bound"],
            predicted=0,
            label=f"{s['runs_below_bound']} of {s['runs']} runs below the bound",
            detail=f"fraction of runs above the bound with a loss increase: "
            f"{s['spike_fraction_above_bound']}",
            figure=FIGURE,
        )
    ]


def _check_sweep_faster(result):
    s = result["sweep"]
    med = s["median_first_full_by_eta"]
    return [
        Measured(
            s["corr_log_eta_log_median_first_full"],
            label=f"{len(med)} step sizes",
            detail="median first step at full accuracy by eta: "
            + ", ".join(f"{float(e):.3g}: {v:g}" for e, v in med.items()),
            figure=FIGURE,
        )
    ]


def _check_under(n):
    def check(result):
        u = result["underparameterized"]
        r = u[n] if n in u else u[str(n)]
        rate = r["gap_rate_measured"]
        return [
            Measured(
                {"rate": rate, "rate vs predicted": rate},
                predicted={"rate vs predicted": r["gap_rate_predicted"]},
                label=f"N = {n}, {r['draws']} draws",
                detail=f"predicted rate {r['gap_rate_predicted']:.3g}; GD error = minimizer "
                f"error in {r['gd_error_equals_ce_minimizer_error']:.0%} of draws; mean gap "
                f"{r['mean_gap_measured']:.3g} (predicted {r['mean_gap_predicted']:.3g})",
                figure=FIGURE,
            )
        ]

    return check


CLAIMS = [
    Claim(
        id="gd.margin-recursion",
        kind=Kind.DERIVATION,
        paper=f"{PAPER}, Sec. 3 (orthonormal embeddings)",
        statement="Full-matrix GD margins equal the scalar margin recursion.",
        prediction="memtheory.dynamics.orthonormal_margin_recursion, at every step and input",
        experiment=EXPERIMENT,
        check=_per_seed("recursion_max_abs_error", 0.0),
        tolerance=AtMost(1e-9, strict=True, quantity="max |m_t - recursion|"),
        tolerance_reason="float64 round-off accumulated over the steps (about 1e-13 per 1000 "
        "steps at margins of order 10)",
        symbolic_check="dynamics.margin_recursion",
    ),
    Claim(
        id="gd.log-growth",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 3",
        statement="Margins grow like the logarithm of time.",
        prediction="slope dm/d ln t over the last decade = the continuous-time flow's "
        "(memtheory.dynamics.orthonormal_margin_flow; tends to 1)",
        experiment=EXPERIMENT,
        check=_per_seed("slope_max_gap"),
        tolerance=AtMost(0.02, quantity="max over inputs |slope - flow slope|"),
        tolerance_reason="discrete against continuous time over the last decade: the Euler "
        "error of the flow is O(eta / t0), below 0.02 at t0 = T/10 for the profiles' eta and T",
        symbolic_check="dynamics.margin_flow_solution",
    ),
    Claim(
        id="gd.loss-rate",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 3",
        statement="The loss decays as N(M-1)/(eta M t).",
        prediction="L_T eta M T / (N (M-1)) = 1 (memtheory.dynamics.orthonormal_loss_asymptote)",
        experiment=EXPERIMENT,
        check=_per_seed("loss_ratio", 1.0),
        tolerance=Near(abs=0.15, quantity="L_T eta M T / (N (M-1))"),
        tolerance_reason="o(1) corrections ((M-1) m e^-m and the p-dependent offset) at the "
        "finite T measured",
        symbolic_check="dynamics.loss_asymptote",
    ),
    Claim(
        id="gd.no-oscillation",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 3",
        statement="With orthonormal embeddings the loss never increases.",
        prediction="largest one-step loss increase 0",
        experiment=EXPERIMENT,
        check=_per_seed("max_loss_increase", 0.0),
        tolerance=AtMost(0.0, quantity="largest one-step loss increase"),
        tolerance_reason="monotone by the closed form: any increase, however small, refutes it",
    ),
    Claim(
        id="gd.hessian",
        kind=Kind.DERIVATION,
        paper=f"{PAPER}, Sec. 4 (Hessian of the cross-entropy)",
        statement="The closed-form Hessian equals autograd's.",
        prediction="memtheory.dynamics.memory_hessian",
        experiment=EXPERIMENT,
        check=_per_seed("hessian_rel_error", 0.0),
        tolerance=AtMost(1e-12, strict=True, quantity="max |H - H_autograd| / max |H_autograd|"),
        tolerance_reason="float64 round-off of a sum of a few dozen terms",
        symbolic_check="dynamics.hessian_closed_form",
    ),
    Claim(
        id="gd.spikes-large-step",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 4 (two correlated, imbalanced tokens)",
        statement="Above the step-size bound the loss spikes, yet full accuracy comes sooner.",
        prediction="at least one loss increase above memtheory.dynamics."
        "two_particle_step_threshold, and full accuracy earlier than at the small step",
        experiment=EXPERIMENT,
        check=_check_spikes,
        tolerance=AllOf(
            parts={
                "loss increases": AtLeast(1, quantity="loss increases"),
                "steps earlier": AtLeast(1, quantity="steps earlier to full accuracy"),
            }
        ),
        tolerance_reason="a qualitative claim: one spike and one step earlier are the least "
        "that can be counted",
        symbolic_check="dynamics.two_particle_threshold",
    ),
    Claim(
        id="gd.monotone-small-step",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 4",
        statement="Below the bound the loss decreases monotonically.",
        prediction="0 loss increases (descent lemma)",
        experiment=EXPERIMENT,
        check=_check_monotone_small,
        tolerance=AtMost(0, quantity="loss increases"),
        tolerance_reason="the descent lemma allows none",
        symbolic_check="dynamics.two_particle_threshold",
    ),
    Claim(
        id="gd.large-step-faster",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 4",
        statement="The large step reaches full accuracy strictly earlier.",
        prediction="the large step reaches full accuracy first",
        experiment=EXPERIMENT,
        check=_check_faster,
        tolerance=AtLeast(1, quantity="steps earlier to full accuracy"),
        tolerance_reason="an ordering claim: strictly earlier is one step",
    ),
    Claim(
        id="gd.reduced-map",
        kind=Kind.DERIVATION,
        paper=f"{PAPER}, Sec. 4",
        statement="Torch GD follows the reduced 2-D margin map.",
        prediction="memtheory.dynamics.two_particle_dynamics",
        experiment=EXPERIMENT,
        check=_check_reduced_map,
        tolerance=AtMost(1e-9, strict=True, quantity="max |margin - reduced map|"),
        tolerance_reason="float64 round-off over a few dozen steps",
        symbolic_check="dynamics.two_particle_map",
    ),
    Claim(
        id="gd.sweep-monotone-below-bound",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 4 (sweep over p1, eta, alpha)",
        statement="No run below the monotone bound ever increases its loss.",
        prediction="0 runs (descent lemma with the global Hessian bound)",
        experiment=EXPERIMENT,
        check=_check_sweep_monotone,
        tolerance=AtMost(0, quantity="runs with a loss increase below the bound"),
        tolerance_reason="the descent lemma allows none",
    ),
    Claim(
        id="gd.sweep-large-steps-faster",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 4 (sweep)",
        statement="Over the sweep, larger steps reach full accuracy sooner.",
        prediction="negative correlation of log eta with log median first step at full accuracy",
        experiment=EXPERIMENT,
        check=_check_sweep_faster,
        tolerance=AtMost(0.0, strict=True, quantity="corr(log eta, log median first step)"),
        tolerance_reason="the sign of a correlation: the paper states a direction, no size",
    ),
] + [
    Claim(
        id=f"gd.underparameterized-N{n}",
        kind=Kind.PAPER,
        paper=f"{PAPER}, Sec. 4.3 (d = 2)",
        statement=f"With d = 2 and N = {n}, the cross-entropy minimizer found by GD has worse 0-1 "
        "error than the best linear rule on the predicted fraction of random draws.",
        prediction="the logistic minimizer's rate (memtheory.dynamics.underparameterized_gap)",
        experiment=EXPERIMENT,
        check=_check_under(n),
        tolerance=AllOf(
            parts={
                "rate": AtLeast(0.0, strict=True, quantity="measured rate"),
                "rate vs predicted": Near(abs=0.05, quantity="measured rate"),
            }
        ),
        tolerance_reason="the binomial standard error of a rate from 100 draws is at most 0.05; "
        "a zero rate would not show the claimed gap",
    )
    for n in UNDER_N
]

for _claim in CLAIMS:
    register(_claim)
