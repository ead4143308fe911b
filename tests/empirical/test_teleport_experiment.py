"""The teleport experiment end to end on a tiny config: outputs written, every claim judged."""

import dataclasses
import json

import pytest

from empirical.experiments.teleport.config import PROFILES
from empirical.experiments.teleport.run import run, separable_row
from empirical.validate.claims import all_claims

TINY = dataclasses.replace(
    PROFILES["quick"],
    d=4,
    conditions=(1.0, 10.0),
    samples=40,
    logistic_d=3,
    steps=6,
    tail_samples=60,
    tail_d=3,
    tail_steps=300,
    seeds=2,
    geometry_graphs=("cycle:6",),
    geometry_d=2,
    geometry_steps=20,
)


def test_tiny_run_writes_outputs_and_every_claim_judges(tmp_path):
    result = run(dataclasses.replace(TINY, out=str(tmp_path)))
    assert {"quadratic", "logistic", "separable", "geometry"} <= set(result)
    assert json.loads((tmp_path / "result.json").read_text())["separable"]
    assert "separable data without L2" in (tmp_path / "summary.md").read_text()
    claims = [c for c in all_claims() if c.experiment == "teleport"]
    assert any(c.id == "teleport.gd-sublinear-tail" for c in claims)
    for claim in claims:
        assert claim.judge(result), claim.id


def test_separable_tail_is_sublinear_and_seeded():
    a, b = separable_row(TINY, 0), separable_row(TINY, 0)
    assert a == b
    assert 0.99 < a["tail_step_ratio"] < 1.0  # f still falls, slower than any fixed geometric rate
    assert a["tail_exponent"] > 0


def test_bad_tail_sizes_are_refused():
    with pytest.raises(ValueError, match="tail_steps"):
        dataclasses.replace(TINY, tail_steps=5)
    with pytest.raises(ValueError, match="tail_d"):
        dataclasses.replace(TINY, tail_d=0)
