"""Outputs of the heavy-tailed imbalance experiment: the claim rows of ``result``,
``summary.md``, and the files written into ``config.out``."""

from __future__ import annotations

from pathlib import Path

from empirical.experiments.heavy_tailed.config import NAME, PAPER, PROFILES
from empirical.running import dynamics_outputs as outputs

TITLE = "Heavy-tailed class imbalance: GD vs Adam vs sign descent"


def claim_rows(result: dict) -> list[dict]:
    """``result["claims"]``: one verdict row per claim of :mod:`.claims` whose problem ran."""
    from empirical.experiments.heavy_tailed.claims import CLAIMS, applies

    return [outputs.claim_row(c, result) for c in CLAIMS if applies(c.id, result["config"])]


def notes(result: dict) -> list[str]:
    """Free-text notes of ``summary.md``."""
    return [
        f"selected step sizes: { ({k: v['lr'] for k, v in result['results'].items()}) }",
        "half-time ratio = (first step at which the rarest group's loss is half its "
        "initial value) / (the same for the most frequent group); a group that never gets "
        "there counts as steps+1 (the ratio is then a lower bound).",
        "Step size: per optimizer, from a half-decade grid on the first seed, the stable run "
        "(finite, total loss never above its initial value) whose most frequent group halves "
        "closest to target_half_time steps"
        + (
            f"; fixed (no grid): {dict(result['config']['fixed_lr'])}."
            if result["config"].get("fixed_lr")
            else "."
        ),
        "Inputs of the tiered data: i.i.d. U[0,1) (the authors' default generator).",
    ]


def summary_markdown(result: dict) -> str:
    """``summary.md``: one table row per claim, the notes, the times."""
    return outputs.summary_markdown(result, NAME, PROFILES, TITLE, PAPER, notes(result))


def write_outputs(config, result: dict, curves: dict) -> Path:
    """``results.jsonl``, ``curves.npz``, ``heavy_tailed.png`` and ``summary.md``."""
    from empirical.experiments.heavy_tailed.figures import figure

    return outputs.write_outputs(NAME, config, result, curves, summary_markdown(result), figure)
