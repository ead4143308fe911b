"""The heavy_tailed topic package: half-times, the reduced model, configs, CLI, outputs."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from empirical.experiments.heavy_tailed.config import PROFILES, HeavyTailedConfig
from empirical.running.experiment import experiment_main
from empirical.validate.claims import get
from memtheory.cli import run_cli

TINY = HeavyTailedConfig(
    m=3,
    steps=20,
    memory_inputs=8,
    memory_dim=8,
    memory_groups=2,
    memory_steps=20,
    grid_gd=(-1.0, -1.0),
    grid_adam=(-3.0, -3.0),
    grid_sign=(-3.0, -3.0),
    reduced_classes=4,
    reduced_steps=10,
    seeds=1,
)
# the result fields of ``--json`` before the topic became a package (issue 13), and the ones added
JSON_FIELDS = {"experiment", "config", "claims", "per_seed", "results", "wall_time", "cpu_time"}
JSON_FIELDS_ADDED = {"reduced_model_error"}


def test_half_times_of_hand_made_curves():
    from empirical.experiments.heavy_tailed.metrics import half_time_ratio, half_times

    t = np.arange(11.0)
    gl = np.stack([np.exp(-t), 1 / (1 + 0.2 * t), np.ones_like(t)], 1)
    # exp(-t) <= 1/2 first at t = 1; 1/(1 + t/5) <= 1/2 at t = 5; never -> len = 11
    np.testing.assert_array_equal(half_times(gl), [1.0, 5.0, 11.0])
    assert half_time_ratio(gl) == 11.0


def test_group_losses_weight_items_within_a_group():
    from empirical.experiments.heavy_tailed.metrics import group_losses

    per = np.array([[1.0, 3.0, 10.0]])
    out = group_losses(per, np.array([0.25, 0.75, 1.0]), np.array([0, 0, 1]), 2)
    np.testing.assert_allclose(out, [[0.25 * 1 + 0.75 * 3, 10.0]], rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(grid_gd=(1.0, 0.0)),
        dict(memory_dim=4, memory_inputs=8),
        dict(problems=("tiered", "cifar")),
        dict(problems=()),
        dict(methods=("gd", "lbfgs")),
        dict(fixed_lr=(("gd", -1.0),)),
        dict(seeds=0),
    ],
)
def test_bad_config_rejected_before_training(kwargs):
    with pytest.raises(ValueError):
        HeavyTailedConfig(**kwargs)


def test_cli_rejects_bad_override(capsys):
    code = run_cli(lambda argv: experiment_main("heavy_tailed", argv), ["--seeds", "0"], "ht")
    assert code == 2
    assert "seeds" in capsys.readouterr().err


def test_run_writes_outputs_reproducibly(tmp_path):
    from empirical.experiments.heavy_tailed.run import run

    claims = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run(dataclasses.replace(TINY, out=str(out)))
        assert set(result) == JSON_FIELDS | JSON_FIELDS_ADDED
        rows = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
        claims.append([r["metrics"] for r in rows if r.get("kind") == "claim"])
        assert "| claim | prediction |" in (out / "summary.md").read_text()
        assert (out / "heavy_tailed.png").stat().st_size > 0
        assert "tiered_gd" in np.load(out / "curves.npz")
    assert claims[0] and claims[0] == claims[1]
    assert len(claims[0]) == 1 + 3 * 3  # the reduced model and three claims per problem


def test_one_problem_runs_alone():
    from empirical.experiments.heavy_tailed.run import run

    result = run(dataclasses.replace(TINY, problems=("memory-onehot",)))
    assert set(result["results"]) == {"memory-onehot"}
    assert {c["id"] for c in result["claims"]} == {
        "reduced-model-exact",
        "memory-onehot-gd-rare-slow",
        "memory-onehot-adam-all-groups",
        "memory-onehot-sign-all-groups",
    }


def test_gd_alone_at_a_fixed_step_skips_the_grid():
    from empirical.experiments.heavy_tailed.run import run

    cfg = dataclasses.replace(
        TINY, problems=("tiered",), methods=("gd",), fixed_lr=(("gd", 0.5),), grid_gd=(9.0, 9.0)
    )
    result = run(cfg)  # a grid step of 1e9 diverges: only the fixed step can have run
    assert result["results"]["tiered"]["lr"] == {"gd": 0.5}
    assert {c["id"] for c in result["claims"]} == {"reduced-model-exact", "tiered-gd-rare-slow"}


def test_reduced_model_is_reproduced_exactly():
    from empirical.experiments.heavy_tailed.run import reduced_model_errors

    result = {"reduced_model_error": reduced_model_errors(TINY)}
    assert all(r.holds for r in get("imbalance.reduced-model-exact").judge(result))


def test_paper_profile_carries_paper_sizes():
    assert PROFILES["paper"].m == 11
    assert PROFILES["paper"].steps == 1000


@pytest.mark.slow
def test_quick_profile_runs():
    from empirical.experiments.heavy_tailed.run import run

    result = run(PROFILES["quick"])
    verdicts = {c["id"]: c["verdict"] for c in result["claims"]}
    assert verdicts["reduced-model-exact"] == "holds"


def test_lag_removed_limits():
    from empirical.experiments.heavy_tailed.claims import lag_removed

    assert lag_removed(1.0, 30.0) == 1.0  # every group together
    assert lag_removed(30.0, 30.0) == 0.0  # as far behind as GD
    assert abs(lag_removed(30.0**0.5, 30.0) - 0.5) < 1e-12
    assert lag_removed(2.0, 1.0) != lag_removed(2.0, 1.0)  # GD without a lag: nan


def test_cpu_runs_parse_and_reject_a_bad_name(capsys):
    from empirical.experiments.heavy_tailed.cpu_runs import CPU_RUNS, main

    assert CPU_RUNS["tiered-m7"].m == 7
    with pytest.raises(SystemExit) as exc:
        main(["no-such-run", "--out", "x"])
    assert exc.value.code == 2
    assert "no-such-run" in capsys.readouterr().err
