"""The factual-recall and distributional experiments (issue 7): seeds, configs, outputs.

gd_associative and heavy_tailed are tested in test_gd_associative.py and test_heavy_tailed.py.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from empirical.experiments import distributional, factual_recall

TINY = {
    factual_recall: factual_recall.FactualRecallConfig(
        seq_subjects=4,
        seq_relations=2,
        seq_answers=2,
        seq_noise=3,
        seq_len=6,
        seq_batch=16,
        seq_steps=12,
        tr_d=8,
        tr_head_dim=2,
        tr_heads=(1,),
        tr_widths=(2,),
        tr_subjects=2,
        tr_answers=2,
        tr_seq_len=5,
        sw_dims=(4,),
        sw_max_subjects=2,
        batch=8,
        steps=3,
        seeds=1,
    ),
    distributional: distributional.DistributionalConfig(
        vocab_size=10,
        seq_len=16,
        d_model=8,
        ff_mult=1,
        batch=4,
        steps=3,
        test_batch=32,
        seeds=1,
    ),
}
MODULES = list(TINY)


BAD = [
    (factual_recall.FactualRecallConfig, dict(seq_subjects=15, seq_answers=8)),
    (factual_recall.FactualRecallConfig, dict(tr_heads=(0, 2))),
    (distributional.DistributionalConfig, dict(alpha=1.0)),
    (distributional.DistributionalConfig, dict(rhos=(1.5,))),
    (distributional.DistributionalConfig, dict(optimizer="lbfgs")),
]


@pytest.mark.parametrize("cls,kwargs", BAD)
def test_bad_config_rejected_before_training(cls, kwargs):
    with pytest.raises(ValueError):
        cls(**kwargs)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_main_writes_outputs_reproducibly(module, tmp_path, monkeypatch):
    """Two runs from the same seed write the same claim measurements; outputs are complete."""
    monkeypatch.setitem(module.PROFILES, "quick", TINY[module])
    claims = []
    for run in ("a", "b"):
        out = tmp_path / run
        assert module.main(["--out", str(out)]) == 0
        rows = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
        assert rows and all("config" in r and "metrics" in r for r in rows)
        claims.append([r["metrics"] for r in rows if r.get("kind") == "claim"])
        summary = (out / "summary.md").read_text()
        assert "| claim | prediction |" in summary and "verdict" in summary
        assert list(out.glob("*.png"))
    assert claims[0] and claims[0] == claims[1]
    assert all(c["verdict"] in ("holds", "does not reproduce") for c in claims[0])


def test_paper_profiles_carry_paper_sizes():
    fp = factual_recall.PROFILES["paper"]
    assert (fp.seq_subjects, fp.seq_relations, fp.seq_answers, fp.seq_steps) == (16, 4, 8, 8192)
    assert (fp.tr_d, fp.tr_head_dim, fp.tr_subjects, fp.steps) == (32, 8, 32, 2**14)
    dp = distributional.PROFILES["paper"]
    assert (dp.d_model, dp.seq_len, dp.alpha, dp.lr, dp.batch, dp.steps) == (
        256,
        256,
        0.5,
        0.03,
        512,
        5000,
    )


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_quick_profile_runs(module):
    result = module.run(dataclasses.replace(module.PROFILES["quick"]))
    assert result["claims"]
