"""Passing and failing made-up results for the claims of ``experiments.gd_associative``."""

GOOD_SEED = {
    "seed": 0,
    "recursion_max_abs_error": 3e-14,
    "slope_predicted": 1.02,
    "slope_max_gap": 0.006,
    "loss_ratio": 1.006,
    "max_loss_increase": -3e-7,
    "hessian_rel_error": 1.3e-16,
}


def _seeds(**bad):
    """Two seeds: a good one and one with ``bad`` fields (or two good ones)."""
    return {"per_seed": [GOOD_SEED, dict(GOOD_SEED, seed=1, **bad)]}


def _run(loss_increases=0, first=-1, drops=0, err=1e-15):
    return {
        "loss_increases": loss_increases,
        "accuracy_drops": drops,
        "first_full_accuracy": first,
        "final_loss": 0.1,
        "reduced_map_error": err,
    }


def _spikes(small, large):
    return {
        "config": {"spike_etas": (1.0, 10.0), "spike_steps": 35},
        "spikes": {"threshold": 4.08, "1.0": small, "10.0": large},
    }


def _sweep(violations=0, rho=-0.96):
    return {
        "sweep": {
            "runs": 216,
            "runs_below_bound": 180,
            "spike_fraction_above_bound": 0.36,
            "violations_below_bound": violations,
            "median_first_full_by_eta": {0.1: 95.5, 10.0: 3.0},
            "corr_log_eta_log_median_first_full": rho,
        }
    }


def _under(n, measured, predicted):
    return {
        "underparameterized": {
            n: {
                "draws": 100,
                "gap_rate_predicted": predicted,
                "gap_rate_measured": measured,
                "mean_gap_predicted": 0.02,
                "mean_gap_measured": 0.02,
                "gd_error_equals_ce_minimizer_error": 1.0,
            }
        }
    }


SPIKY = _run(loss_increases=8, first=2, drops=6, err=5e-14)
CASES = {
    "gd.margin-recursion": (_seeds(), _seeds(recursion_max_abs_error=1e-6)),
    "gd.log-growth": (_seeds(), _seeds(slope_max_gap=0.05)),
    "gd.loss-rate": (_seeds(), _seeds(loss_ratio=1.2)),
    "gd.no-oscillation": (_seeds(), _seeds(max_loss_increase=1e-9)),
    "gd.hessian": (_seeds(), _seeds(hessian_rel_error=1e-8)),
    # a spike but no speed-up: the small step never reaches full accuracy either way
    "gd.spikes-large-step": (
        _spikes(_run(), SPIKY),
        _spikes(_run(first=2), SPIKY),
    ),
    "gd.monotone-small-step": (_spikes(_run(), SPIKY), _spikes(_run(loss_increases=1), SPIKY)),
    "gd.large-step-faster": (
        _spikes(_run(first=20), SPIKY),
        _spikes(_run(first=20), _run(loss_increases=3, first=-1)),
    ),
    "gd.reduced-map": (_spikes(_run(), SPIKY), _spikes(_run(), _run(err=1e-3))),
    "gd.sweep-monotone-below-bound": (_sweep(), _sweep(violations=1)),
    "gd.sweep-large-steps-faster": (_sweep(), _sweep(rho=0.2)),
    "gd.underparameterized-N3": (_under(3, 0.1, 0.1), _under(3, 0.0, 0.02)),
    "gd.underparameterized-N30": (_under(30, 0.91, 0.9), _under(30, 0.8, 0.91)),
}
