"""Made-up counting results: one passing and one failing per claim."""

import copy


def _hb(bias, length, regions, exact, err=1e-15):
    return {
        "bias": bias,
        "length": length,
        "regions": regions,
        "sequences": 2,
        "exact_fraction": exact,
        "bias_law_error": err if bias == "bos" else None,
        "max_count": 5,
    }


def _run(mask, position, seed, acc, ood_regions=None, bias="bos", mass=0.8, probe=0.97):
    bos, close = (0.3, 0.05) if bias == "bos" else (0.05, 0.3)
    return {
        "mask": mask,
        "position": position,
        "seed": seed,
        "accuracy": acc,
        "ood_regions_accuracy": acc if ood_regions is None else ood_regions,
        "decoder": {"bos": bos, "close": close, "bias_token": bias},
        "encoder": {"delimiter_mass": mass, "delimiter_uniformity": 0.9},
        "probe_accuracy": probe,
        "probe_baseline": 0.3,
        "probe_chance": 0.3,
    }


GOOD = {
    "config": {"regions": 4},
    "theory": {
        "handbuilt": [
            _hb("bos", 8, 1, 1.0),
            _hb("bos", 4096, 16, 1.0),
            _hb("close", 512, 4, 1.0),
            _hb("close", 512, 8, 0.0),
        ],
        "gap": {"law_error": 1e-16, "gap_error": 2e-16},
        "proposition3": [
            {"seed": 0, "noncausal_max_diff": 1e-16, "causal_max_diff": 0.3},
        ],
    },
    "runs": [
        _run("causal", "nope", 0, 0.99),
        _run("causal", "rope", 0, 0.97, ood_regions=0.5, bias="close"),
        _run("noncausal", "nope", 0, 0.4),
        _run("noncausal", "rope", 0, 0.5),
        _run("noncausal", "absolute", 0, 0.6),
    ],
}


def _bad(mutate):
    bad = copy.deepcopy(GOOD)
    mutate(bad)
    return bad


def _set(path, value):
    def mutate(res):
        obj = res
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value

    return mutate


CASES = {
    "counting.handbuilt-counts-exactly": (
        GOOD,
        _bad(_set(["theory", "handbuilt", 1, "exact_fraction"], 0.5)),
    ),
    "counting.bias-law": (GOOD, _bad(_set(["theory", "gap", "gap_error"], 1e-6))),
    "counting.close-bias-new-lengths": (
        GOOD,
        _bad(_set(["theory", "handbuilt", 2, "exact_fraction"], 0.5)),
    ),
    "counting.close-bias-not-new-region-counts": (
        GOOD,
        _bad(_set(["theory", "handbuilt", 3, "exact_fraction"], 1.0)),
    ),
    "counting.noncausal-nope-permutation-invariant": (
        GOOD,
        _bad(_set(["theory", "proposition3", 0, "noncausal_max_diff"], 1e-3)),
    ),
    "counting.causal-near-100": (GOOD, _bad(_set(["runs", 1, "accuracy"], 0.8))),
    "counting.noncausal-fails": (GOOD, _bad(_set(["runs", 4, "accuracy"], 0.9))),
    "counting.bos-bias-predicts-new-region-counts": (
        GOOD,
        _bad(_set(["runs", 1, "ood_regions_accuracy"], 0.97)),
    ),
    "counting.encoder-computes-region": (GOOD, _bad(_set(["runs", 0, "probe_accuracy"], 0.5))),
}
