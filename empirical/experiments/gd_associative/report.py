"""Outputs of the GD-on-one-associative-memory experiment: the claim rows of ``result``,
``summary.md``, and the files written into ``config.out``."""

from __future__ import annotations

from pathlib import Path

from empirical.experiments.gd_associative.config import NAME, PAPER, PROFILES
from empirical.running import dynamics_outputs as outputs

TITLE = "GD on one associative memory"


def claim_rows(result: dict) -> list[dict]:
    """``result["claims"]``: one verdict row per claim of :mod:`.claims`."""
    from empirical.experiments.gd_associative.claims import CLAIMS, applies

    return [outputs.claim_row(c, result) for c in CLAIMS if applies(c.id, result["config"])]


def notes(result: dict) -> list[str]:
    """Free-text notes of ``summary.md``."""
    return [
        f"spikes: {result['spikes']}",
        f"sweep: {result['sweep']}",
        f"underparameterized: {result['underparameterized']}",
        "Measurement = torch GD on the full W in float64 (gradient written out; the "
        "Hessian check uses autograd); predictions = memtheory.dynamics.",
        "The orthonormal dynamics depend on p only (a permuted Zipf law here), not on the "
        "embeddings or targets, so the seed spread of log-growth and loss-rate is round-off.",
    ]


def summary_markdown(result: dict) -> str:
    """``summary.md``: one table row per claim, the notes, the times."""
    return outputs.summary_markdown(result, NAME, PROFILES, TITLE, PAPER, notes(result))


def write_outputs(config, result: dict, curves: dict) -> Path:
    """``results.jsonl``, ``curves.npz``, ``gd_associative.png`` and ``summary.md``."""
    from empirical.experiments.gd_associative.figures import figure

    return outputs.write_outputs(NAME, config, result, curves, summary_markdown(result), figure)
