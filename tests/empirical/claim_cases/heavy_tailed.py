"""Passing and failing made-up results for the claims of ``experiments.heavy_tailed``."""

PROBLEMS = ("tiered", "memory-onehot", "memory-gaussian")


def _row(problem, method, ratio, seed=0):
    return {
        "seed": seed,
        "problem": problem,
        "method": method,
        "lr": 0.01,
        "group_half_times": [10.0, 10.0 * ratio],
        "group_loss_final": [0.1, 0.2],
        "half_time_ratio": ratio,
    }


def _result(problem, ratios):
    """A result with two seeds of ``problem``; ``ratios[method]`` = the two seeds' ratios."""
    return {
        "per_seed": [
            _row(problem, m, r, seed) for m, rs in ratios.items() for seed, r in enumerate(rs)
        ],
        "results": {problem: {"predicted_ratio": {"gd": 27.6, "sign": 1.0}}},
    }


def _reduced(err):
    return {"reduced_model_error": {"gd": 1e-15, "sign": err}}


CASES = {"imbalance.reduced-model-exact": (_reduced(1e-15), _reduced(1e-6))}
for p in PROBLEMS:
    CASES[f"imbalance.{p}-gd-rare-slow"] = (
        _result(p, {"gd": [18.0, 20.0]}),
        _result(p, {"gd": [18.0, 3.0]}),
    )
    for m in ("adam", "sign"):
        CASES[f"imbalance.{p}-{m}-all-groups"] = (
            _result(p, {"gd": [18.0, 20.0], m: [1.3, 1.5]}),
            _result(p, {"gd": [18.0, 20.0], m: [1.3, 9.0]}),
        )
