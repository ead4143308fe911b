"""The distributional topic package: config, outputs, reproducibility, CLI."""

from __future__ import annotations

import json

import pytest

from empirical.experiments.distributional import config as C
from empirical.running.experiment import experiment_main

TINY = C.DistributionalConfig(
    vocab_size=10, seq_len=16, d_model=8, ff_mult=1, batch=4, steps=3, test_batch=32, seeds=2
)


@pytest.mark.parametrize(
    "kwargs", [dict(alpha=1.0), dict(rhos=(1.5,)), dict(optimizer="lbfgs"), dict(seeds=0)]
)
def test_bad_config_rejected_before_training(kwargs):
    with pytest.raises(ValueError):
        C.DistributionalConfig(**kwargs)


def test_paper_profile_carries_paper_settings():
    p = C.PROFILES["paper"]
    assert (p.d_model, p.seq_len, p.vocab_size, p.alpha) == (256, 256, 65, 0.5)
    assert (p.optimizer, p.lr, p.momentum, p.weight_decay, p.batch, p.steps) == (
        "sgd",
        0.03,
        0.9,
        1e-4,
        512,
        5000,
    )


def test_outputs_are_complete_and_reproducible(tmp_path, monkeypatch):
    monkeypatch.setitem(C.PROFILES, "quick", TINY)
    claims = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert experiment_main("distributional", ["--out", str(out)]) == 0
        rows = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
        assert rows and all("config" in r and "metrics" in r for r in rows)
        claims.append([r["metrics"] for r in rows if r.get("kind") == "claim"])
        assert "| claim | prediction |" in (out / "summary.md").read_text()
        assert (out / "distributional.png").stat().st_size > 0
    assert claims[0] and claims[0] == claims[1]
    assert all(c["verdict"] in ("holds", "does not reproduce") for c in claims[0])
    assert len(claims[0]) == 8


def test_json_output_has_the_result_fields(capsys, monkeypatch):
    monkeypatch.setitem(C.PROFILES, "quick", TINY)
    assert experiment_main("distributional", ["--json", "--seeds", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"experiment", "config", "claims", "per_seed", "bayes_floor", "wall_time"} <= set(out)
    assert "curves" not in out


def test_steps_flag_sets_the_training_steps(capsys, monkeypatch):
    monkeypatch.setitem(C.PROFILES, "quick", TINY)
    assert experiment_main("distributional", ["--json", "--seeds", "1", "--steps", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["config"]["steps"] == 2
    with pytest.raises(ValueError, match="steps"):
        experiment_main("distributional", ["--steps", "0"])


@pytest.mark.slow
def test_quick_profile_claims_hold_as_recorded():
    from empirical.experiments.distributional.claims import CLAIMS
    from empirical.experiments.distributional.run import run

    result = run(C.PROFILES["quick"])
    recorded = {c.id.split(".", 1)[1] for c in CLAIMS if c.not_reproducing is not None}
    for c in result["claims"]:
        if c["id"] not in recorded:
            assert c["verdict"] == "holds", c
