"""Made-up factual-recall results on which each claim passes and fails."""

import math

LN32, LN8 = math.log(32), math.log(8)


def _seq(**over):
    row = {
        "seed": 0,
        "part": "sequential",
        "initial_loss": LN32,
        "hallucination_plateau": 2.09,
        "t_relation": 1700,
        "t_subject": 4400,
        "final_accuracy": 1.0,
    }
    row.update(over)
    return {
        "config": {"seq_steps": 8192, "seed": 0},
        "sequential": {
            "levels": {"init": LN32, "hallucination": LN8},
            "predicted": {"t_relation": 1691, "t_subject": 4382},
        },
        "per_seed": [row, dict(row, seed=1)],
        "tradeoff": [],
        "sweep": [],
    }


def _cell(h, m, acc, no_mlp, inside=True):
    return {
        "heads": h,
        "mlp_width": m,
        "accuracy": acc,
        "acc_no_mlp": no_mlp,
        "stored_in": "attention" if no_mlp >= 0.5 * acc else "mlp",
        "paper_boundary_success": inside,
        "steps_run": 100,
    }


def _grid(cells):
    return {"config": {"seed": 0}, "per_seed": [], "tradeoff": cells, "sweep": []}


GOOD_GRID = [
    _cell(1, 128, 0.45, 0.01, inside=False),
    _cell(2, 1, 0.40, 0.35, inside=False),
    _cell(2, 128, 0.995, 0.01),
    _cell(8, 1, 1.0, 0.9),
]
# the only MLP-stored cell at >= 99% has rich attention (H = 8 alone also stores the facts)
BAD_EITHER = [_cell(1, 128, 0.45, 0.01), _cell(8, 1, 1.0, 0.9), _cell(8, 64, 1.0, 0.02)]


def _sweep(rows):
    return {"config": {"seed": 0}, "per_seed": [], "tradeoff": [], "sweep": rows}


def _sw(d, params, lo, hi):
    return {
        "d": d,
        "params": params,
        "max_subjects": lo,
        "max_facts": lo * lo,
        "min_failing_subjects": hi,
        "facts_per_param": lo * lo / params,
        "tried": {},
    }


CASES = {
    "recall.seq-init-plateau": (_seq(), _seq(initial_loss=LN32 + 0.01)),
    "recall.seq-hallucination-plateau": (_seq(), _seq(hallucination_plateau=LN32)),
    "recall.seq-relation-first": (_seq(), _seq(t_relation=4500)),
    "recall.seq-escape-relation": (_seq(), _seq(t_relation=-1)),
    "recall.seq-escape-subject": (_seq(), _seq(t_subject=6000)),
    "recall.seq-converges": (_seq(), _seq(final_accuracy=0.95)),
    "recall.tradeoff-either-suffices": (_grid(GOOD_GRID), _grid(BAD_EITHER)),
    "recall.tradeoff-min-attention": (_grid(GOOD_GRID), _grid([_cell(1, 128, 0.995, 0.01)])),
    "recall.tradeoff-capacity-fit": (
        _grid(GOOD_GRID),
        _grid(GOOD_GRID + [_cell(8, 8, 0.7, 0.6, inside=True)]),
    ),
    "recall.sweep-facts-per-param": (
        _sweep([_sw(8, 384, 7, 9), _sw(16, 1536, 15, 17)]),
        _sweep([_sw(8, 384, 4, 5), _sw(16, 1536, 15, None)]),
    ),
    "recall.sweep-linear-scaling": (
        _sweep([_sw(8, 384, 7, 8), _sw(16, 1536, 14, 15)]),
        _sweep([_sw(8, 384, 7, 8), _sw(16, 1536, 8, 9)]),
    ),
}
