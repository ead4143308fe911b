"""The numbers experiment: config validation, metrics, a tiny run that writes and resumes."""

import dataclasses
import json

import numpy as np
import pytest

from empirical.experiments.numbers import metrics as M
from empirical.experiments.numbers.config import PROFILES, Config


@pytest.mark.parametrize(
    "field, value, name",
    [
        ("schemes", ("P10", "P2"), "schemes"),
        ("schemes", (), "schemes"),
        ("n_head", 3, "d_model"),
        ("steps", 0, "steps"),
        ("gap", (0.5, 1.0), "gap"),
        ("gap", (1.2, 1.1), "gap"),
        ("high", 0.5, "high"),
        ("grid_step", 1e-9, "grid_step"),
        ("top_k", 100, "top_k"),
        ("exponents", (2, 1), "exponents"),
        ("device", "tpu", "device"),
        ("sigma", 0.0, "sigma"),
    ],
)
def test_config_rejects_bad_fields(field, value, name):
    with pytest.raises(ValueError, match=name):
        dataclasses.replace(PROFILES["quick"], **{field: value})


def test_profiles_are_valid_and_paper_is_the_reference_size():
    assert PROFILES["paper"].d_model == 768 and PROFILES["paper"].n_layer == 6
    assert PROFILES["quick"].out is None and isinstance(PROFILES["quick"], Config)


def test_jump_ratio_separates_smooth_from_stepped():
    a = np.linspace(0.8, 1.6, 801)
    af = np.linspace(0.8, 1.6, 8001)
    assert M.jump_ratio(a**2, af**2) == pytest.approx(0.1, rel=0.01)
    step = lambda x: np.round(x, 2) ** 2  # noqa: E731 - constant on 0.01 buckets
    assert M.jump_ratio(step(a), step(af)) == pytest.approx(1.0, rel=0.05)


def test_overprediction_counts_top_values():
    values = np.round(1 + 0.01 * np.arange(10), 2)
    prior = np.array([0.5] + [0.5 / 9] * 9)
    target = np.array([1.0, 1.05, 1.07, 1.09])
    assert M.overprediction(target, target, values, prior, 1) == 1.0
    assert M.overprediction(np.full(4, 1.001), target, values, prior, 1) == 4.0


def test_embedding_order_sees_a_curve_and_not_noise():
    rng = np.random.default_rng(0)
    t = np.linspace(0, np.pi, 200)
    curve = np.stack([np.cos(t), np.sin(t), 0.01 * rng.normal(size=200)], 1)
    perm = rng.permutation(200)
    o = M.embedding_order(curve[perm], t[perm])
    assert o["contrast"] > 0.5 and o["pc1_spearman"] > 0.9
    assert o["smooth_energy"] > 0.9
    noise = M.embedding_order(rng.normal(size=(200, 16)), t)
    assert abs(noise["contrast"]) < 0.05 and noise["pc1_spearman"] < 0.3


TINY = dict(
    schemes=("xVal", "P1000"),
    d_model=8,
    n_layer=1,
    n_head=1,
    d_ff=8,
    steps=3,
    batch=8,
    n_train=64,
    n_test=32,
    grid_step=0.01,
    refine=2,
)


@pytest.mark.slow
def test_tiny_run_writes_resumes_and_claims_read_it(tmp_path, monkeypatch):
    from empirical.experiments.numbers import run as R
    from empirical.validate.claims import all_claims

    cfg = dataclasses.replace(PROFILES["quick"], out=str(tmp_path), **TINY)
    res = R.run(cfg)
    assert {r["scheme"] for r in res["function"]} == {"xVal", "P1000"}
    assert [r["scheme"] for r in res["geometry"]] == ["P1000"] and len(res["ray"]) == 1
    assert res["exact"]["tokens_per_number"] == {
        "P10": 5.0,
        "P1000": 3.0,
        "B1999": 2.0,
        "FP15": 1.0,
        "xVal": 1.0,
    }
    for name in ("results.jsonl", "summary.md", "continuity_gap.png", "frequency_scatter.png"):
        assert (tmp_path / name).exists(), name
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == 2 + 2 + 1 + 1  # function x2, frequency x2, geometry, ray

    def boom(*a, **k):
        raise AssertionError("resume retrained a finished row")

    monkeypatch.setattr(R, "train", boom)
    again = R.run(cfg)
    assert json.dumps(again["function"], sort_keys=True) == json.dumps(
        res["function"], sort_keys=True
    )
    for claim in all_claims():
        if claim.id.startswith("numbers."):
            assert claim.judge(json.loads(json.dumps(again)))  # every check reads the result


@pytest.mark.slow
def test_same_seed_same_numbers():
    from empirical.experiments.numbers import run as R

    cfg = dataclasses.replace(PROFILES["quick"], **(TINY | {"schemes": ("xVal",)}))
    a, b = R.run(cfg), R.run(cfg)
    assert a["function"][0]["test_rel_error"] == b["function"][0]["test_rel_error"]
    assert a["frequency"][0]["ratio"] == b["frequency"][0]["ratio"]


@pytest.mark.parametrize(
    "argv, word",
    [(["--schemes", "P10,P7"], "schemes"), (["--steps", "0"], "steps")],
)
def test_cli_bad_flags_are_one_line_exit_2(argv, word, capsys):
    from empirical.running.experiment import experiment_main
    from memtheory.cli import run_cli

    code = run_cli(lambda a: experiment_main("numbers", a), argv, prog="numbers")
    err = capsys.readouterr().err
    assert code == 2 and word in err and err.count("\n") == 1
