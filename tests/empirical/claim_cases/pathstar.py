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
        res(rec("frozen-embeddings", heldout_first_token_acc=0.02, train_exact_match=0.95)),
        # near chance (1.5 sigma), but the control fits only 43% of its training paths
        res(rec("frozen-embeddings", heldout_first_token_acc=0.02, train_exact_match=0.43)),
    ),
    "pathstar.forward-edges-fail": (
        res(rec("forward-edges", heldout_first_token_acc=0.0)),
        res(rec("forward-edges", heldout_first_token_acc=0.2)),
    ),
    "pathstar.backward-edges-reverse": (
        # the decision token is right, the copied leaf (exact match) is not
        res(rec("backward-edges", heldout_first_token_acc=0.98, heldout_exact_match=0.0)),
        res(rec("backward-edges", heldout_first_token_acc=0.3, heldout_exact_match=0.3)),
    ),
    "pathstar.incontext-chance": (
        # d = 3: chance 1/3, 500 test paths, sigma 0.0211
        res(
            rec(
                "in-context",
                chance=1 / 3,
                n_heldout_paths=500,
                heldout_restricted_acc=0.35,
                heldout_teacher_forced_per_position=[1.0, 0.34, 0.97, 1.0],
            )
        ),
        # at chance, but next-token training learned nothing after the decision token
        res(
            rec(
                "in-context",
                chance=1 / 3,
                n_heldout_paths=500,
                heldout_restricted_acc=0.34,
                heldout_teacher_forced_per_position=[1.0, 0.15, 0.11, 1.0],
            )
        ),
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
            *[
                mixed(tag="pause", seed=s, n_pause=k, steps_to_fit_train_paths=n)
                for s in (0, 1)
                for k, n in ((0, 400), (6, 300), (10, 200))
            ]
        ),
        # seed 1 converges no faster with 10 pauses
        res(
            *[
                mixed(tag="pause", seed=s, n_pause=k, steps_to_fit_train_paths=n)
                for s, k, n in ((0, 0, 400), (0, 10, 200), (1, 0, 300), (1, 10, 300))
            ]
        ),
    ),
    "pathstar.transient-is-prior": (
        res(
            rec(
                "staged",
                heldout_first_token_peak=0.8,
                heldout_first_token_acc=0.1,
                heldout_restricted_acc=0.9,
            )
        ),
        # restricted accuracy high, but there was no transient: the peak was 0.02 (4 x chance)
        res(
            rec(
                "staged",
                heldout_first_token_peak=0.02,
                heldout_first_token_acc=0.0,
                heldout_restricted_acc=0.9,
            )
        ),
    ),
}
