"""Made-up results for the numbers claims: one passing and one failing each."""


def _exact(counts=None, diff=1e-16):
    c = counts or {"P10": 5.0, "P1000": 3.0, "B1999": 2.0, "FP15": 1.0, "xVal": 1.0}
    return {"exact": {"tokens_per_number": c, "ln_identity_max_diff": diff}}


def _fn(scheme, jump=0.1, test=0.01, gap=0.01, seed=0):
    return {
        "scheme": scheme,
        "seed": seed,
        "jump_ratio": jump,
        "test_rel_error": test,
        "gap_rel_error": gap,
    }


def _fr(scheme, ratio, mae=0.02, bayes=0.018):
    return {
        "scheme": scheme,
        "seed": 0,
        "ratio": ratio,
        "mae": mae,
        "bayes_mae": bayes,
        "theory_ratio_map": 1.45,
        "theory_ratio_mean": 0.51,
    }


def _geo(scheme, trained, init):
    return {
        "scheme": scheme,
        "seed": 0,
        "trained": {"contrast": trained},
        "init": {"contrast": init},
    }


CASES = {
    "numbers.tokens-per-number": (
        _exact(),
        _exact({"P10": 5.0, "P1000": 3.0, "B1999": 3.0, "FP15": 1.0, "xVal": 1.0}),
    ),
    "numbers.layernorm-forgets-scale": (_exact(diff=2e-15), _exact(diff=1e-6)),
    "numbers.xval-position-recovers-x": (
        {"ray": [{"seed": 0, "recover_max_rel_error": 1e-15, "no_position_max_diff": 1e-15}]},
        {"ray": [{"seed": 0, "recover_max_rel_error": 1e-3, "no_position_max_diff": 1e-15}]},
    ),
    "numbers.xval-continuous": (
        {"function": [_fn("xVal", jump=0.1), _fn("P10", jump=1.0)]},
        {"function": [_fn("xVal", jump=0.9), _fn("P10", jump=1.0)]},
    ),
    "numbers.tokens-jump-at-buckets": (
        {"function": [_fn("xVal", jump=0.1), _fn("P10", jump=1.0), _fn("FP15", jump=0.95)]},
        {"function": [_fn("P10", jump=1.0), _fn("FP15", jump=1.0, test=0.2)]},
    ),
    "numbers.xval-interpolates-gap": (
        {"function": [_fn("xVal", gap=0.02), _fn("P10", gap=0.5)]},
        {"function": [_fn("xVal", gap=0.2)]},
    ),
    "numbers.tokens-miss-gap": (
        {"function": [_fn("xVal", gap=0.01), _fn("P1000", test=0.01, gap=0.1)]},
        {"function": [_fn("P1000", test=0.01, gap=0.1), _fn("FP15", test=0.01, gap=0.02)]},
    ),
    "numbers.tokens-overpredict-frequent": (
        {"frequency": [_fr("P10", 1.4), _fr("xVal", 0.5)]},
        {"frequency": [_fr("P10", 1.4), _fr("FP15", 1.4, mae=0.1)]},
    ),
    "numbers.token-head-is-map": (
        {"frequency": [_fr("P10", 1.40), _fr("FP15", 1.5), _fr("xVal", 0.3)]},
        {"frequency": [_fr("P10", 1.40), _fr("FP15", 1.1)]},
    ),
    "numbers.xval-no-frequency-bias": (
        {"frequency": [_fr("xVal", 0.5), _fr("P10", 1.4)]},
        {"frequency": [_fr("xVal", 1.3)]},
    ),
    "numbers.token-embeddings-ordered": (
        {"function": [_fn("FP15")], "geometry": [_geo("FP15", 0.3, 0.0)]},
        {"function": [_fn("FP15")], "geometry": [_geo("FP15", 0.3, 0.2)]},
    ),
}
