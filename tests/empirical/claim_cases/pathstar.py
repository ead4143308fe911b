"""Made-up path-star results: one passing and one failing result per claim."""


def rec(recipe, tag="", **kw):
    """A path-star record with the fields the claims read (d = 200: chance 0.005, 50 held-out
    leaves, binomial sd 0.00998)."""
    base = {
        "recipe": recipe,
        "tag": tag,
        "run_id": f"{recipe}-{tag}",
        "seed": 0,
        "degree": 200,
        "length": 5,
        "n_pause": 5,
        "chance": 0.005,
        "n_heldout_paths": 50,
        "heldout_first_token_acc": 0.0,
        "heldout_exact_match": 0.0,
        "heldout_restricted_acc": 0.0,
        "heldout_first_token_peak": 0.0,
        "train_exact_match": 1.0,
        "heldout_contrast": 0.0,
        "first_step_contrast_above_0.2": None,
        "first_step_heldout_path_right": None,
        "steps_to_fit_train_paths": None,
    }
    base.update(kw)
    return base


def res(*records):
    return {"records": list(records)}


def mixed(**kw):
    return rec("mixed", **kw)


CASES = {
    "pathstar.heldout-above-chance": (
        res(mixed(heldout_exact_match=0.9, heldout_first_token_acc=0.95)),
        # exact match fine, first token only 8 x chance
        res(mixed(heldout_exact_match=0.9, heldout_first_token_acc=0.04)),
    ),
    "pathstar.first-hop-learnable": (
        res(rec("hardest-token", heldout_first_token_acc=0.06)),  # 12 x chance
        res(rec("hardest-token", heldout_first_token_acc=0.045)),  # 9 x chance
    ),
    "pathstar.frozen-embeddings-chance": (
        res(rec("frozen-embeddings", heldout_first_token_acc=0.02)),  # 1.5 sigma
        res(rec("frozen-embeddings", heldout_first_token_acc=0.04)),  # 3.5 sigma
    ),
    "pathstar.forward-edges-fail": (
        res(rec("forward-edges", heldout_first_token_acc=0.0)),
        res(rec("forward-edges", heldout_first_token_acc=0.2)),
    ),
    "pathstar.backward-edges-reverse": (
        res(rec("backward-edges", heldout_exact_match=0.8)),
        res(rec("backward-edges", heldout_exact_match=0.3)),
    ),
    "pathstar.incontext-chance": (
        # d = 3: chance 1/3, 500 test paths, sigma 0.0211
        res(rec("in-context", chance=1 / 3, n_heldout_paths=500, heldout_restricted_acc=0.35)),
        res(rec("in-context", chance=1 / 3, n_heldout_paths=500, heldout_restricted_acc=0.45)),
    ),
    "pathstar.geometry-before-paths": (
        res(
            mixed(
                heldout_contrast=0.7,
                **{"first_step_contrast_above_0.2": 12, "first_step_heldout_path_right": 84},
            )
        ),
        res(
            mixed(
                heldout_contrast=0.7,
                **{"first_step_contrast_above_0.2": 84, "first_step_heldout_path_right": 84},
            )
        ),
    ),
    "pathstar.pauses-converge-faster": (
        res(
            mixed(steps_to_fit_train_paths=300),
            mixed(tag="pause", n_pause=0, steps_to_fit_train_paths=400),
            mixed(tag="pause", n_pause=10, steps_to_fit_train_paths=200),
        ),
        res(
            mixed(steps_to_fit_train_paths=300),
            mixed(tag="pause", n_pause=0, steps_to_fit_train_paths=300),
            mixed(tag="pause", n_pause=10, steps_to_fit_train_paths=367),
        ),
    ),
    "pathstar.transient-is-prior": (
        res(rec("staged", heldout_first_token_acc=0.0, heldout_restricted_acc=0.9)),
        res(rec("staged", heldout_first_token_acc=0.0, heldout_restricted_acc=0.3)),
    ),
}
