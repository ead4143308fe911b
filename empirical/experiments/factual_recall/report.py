"""``summary.md`` and the claim rows of a factual-recall result."""

from __future__ import annotations

from empirical.experiments.factual_recall.config import NAME, PAPER, TITLE
from empirical.validate import claim_rows as _rows


def claim_rows(result: dict) -> list[dict]:
    """The topic's claims judged on ``result`` (``empirical.validate.claim_rows``)."""
    from empirical.experiments.factual_recall.claims import CLAIMS

    return _rows.claim_rows(result, CLAIMS)


def notes(result: dict) -> list[str]:
    """Free-text notes: the trade-off cells, the sweep's bisection, the population prediction."""
    grid_txt = "; ".join(
        f"H={r['heads']} m={r['mlp_width']}: acc {r['accuracy']:.3f} (no MLP "
        f"{r['acc_no_mlp']:.3f}, no attn {r['acc_no_attn']:.3f}; {r['stored_in']}; boundary "
        f"{'inside' if r['paper_boundary_success'] else 'outside'}; {r['steps_run']} steps)"
        for r in result["tradeoff"]
    )
    sweep_txt = "; ".join(
        f"d={r['d']}: S*={r['max_subjects']}, smallest S not stored "
        f"{r['min_failing_subjects']} ({r['params']} params, tried {r['tried']}, learning rates "
        f"{r['tried_lrs']})"
        for r in result["sweep"]
    )
    return [
        f"sequential (prediction from population GD): {result['sequential']['predicted']}",
        f"trade-off cells: {grid_txt or 'not run'}",
        f"sweep: {sweep_txt or 'not run'}",
    ]


def summary_markdown(result: dict) -> str:
    """The claims table, the notes and the times."""
    return _rows.summary_markdown(result, TITLE, PAPER, notes(result))


def write_outputs(result: dict, out, figure=None):
    """``results.jsonl``, ``summary.md`` and (``figure(path)``) ``factual_recall.png``."""
    return _rows.write_outputs(result, out, NAME, summary_markdown(result), figure)
