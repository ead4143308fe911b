"""``summary.md`` and the claim rows of a distributional result."""

from __future__ import annotations

from empirical.experiments.distributional.config import NAME, PAPER, TITLE
from empirical.validate import claim_rows as _rows


def claim_rows(result: dict) -> list[dict]:
    """The topic's claims judged on ``result`` (``empirical.validate.claim_rows``)."""
    from empirical.experiments.distributional.claims import CLAIMS

    return _rows.claim_rows(result, CLAIMS)


def notes(result: dict) -> list[str]:
    """Free-text notes: memory probes, clean metrics, the optimizer."""
    config = result["config"]
    probes = "; ".join(
        f"seed {m['seed']}: W_O2 {m['probe_wo2']:.2f}, W_K2 {m['probe_wk2']:.2f}, "
        f"W_K1 {m['probe_wk1']:.2f}, clean acc {m['clean_accuracy']:.3f}, "
        f"p(tau) {m['p_noise']:.3f}, p(answer) {m['p_answer']:.3f}"
        for m in result["per_seed"]
    )
    return [
        f"Birth-of-a-Transformer probes and clean metrics: {probes}",
        "Synthetic seeded bigram language (Zipf unigram, Dirichlet rows) instead of tiny "
        "Shakespeare; answers never equal the noise token or a trigger.",
        f"optimizer {config['optimizer']}, lr {config['lr']}, {config['steps']} steps, batch "
        f"{config['batch']}, d {config['d_model']}.",
    ]


def summary_markdown(result: dict) -> str:
    """The claims table, the notes and the times."""
    return _rows.summary_markdown(result, TITLE, PAPER, notes(result))


def write_outputs(result: dict, out, figure=None):
    """``results.jsonl``, ``summary.md`` and (``figure(path)``) ``distributional.png``."""
    return _rows.write_outputs(result, out, NAME, summary_markdown(result), figure)
