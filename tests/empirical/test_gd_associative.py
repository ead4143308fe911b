"""The gd_associative topic package: Hessian and GD against the theory, configs, CLI, outputs."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from empirical.experiments.gd_associative.config import PROFILES, GDAssociativeConfig
from empirical.running.experiment import experiment_main
from empirical.validate.claims import get
from memtheory import dynamics as dyn
from memtheory.cli import run_cli

TINY = GDAssociativeConfig(
    n_inputs=4,
    n_outputs=3,
    dim=5,
    steps=40,
    spike_steps=10,
    sweep_size=2,
    sweep_steps=10,
    under_n=(3,),
    under_draws=3,
    under_steps=20,
    seeds=1,
)
# the result fields of ``--json`` before the topic became a package (issue 13: unchanged)
JSON_FIELDS = {
    "experiment",
    "config",
    "claims",
    "per_seed",
    "spikes",
    "sweep",
    "underparameterized",
    "wall_time",
    "cpu_time",
}


def test_hessian_closed_form_matches_autograd():
    from empirical.experiments.gd_associative.metrics import autograd_hessian

    rng = np.random.default_rng(0)
    N, M, d_in, d_out = 5, 4, 3, 6
    E = rng.standard_normal((N, d_in))
    U = rng.standard_normal((M, d_out))
    W = rng.standard_normal((d_out, d_in))
    y = rng.integers(0, M, N)
    p = rng.dirichlet(np.ones(N))
    H_auto = autograd_hessian(W, E, U, y, p).reshape(d_out * d_in, -1)
    np.testing.assert_allclose(dyn.memory_hessian(W, E, U, y, p), H_auto, rtol=0, atol=1e-13)


def test_torch_gd_equals_theory_gd_and_recursion():
    from empirical.experiments.gd_associative.metrics import torch_memory_gd

    rng = np.random.default_rng(1)
    E = rng.standard_normal((4, 3))
    U = rng.standard_normal((3, 5))
    y, p = np.array([0, 1, 2, 1]), np.array([0.4, 0.3, 0.2, 0.1])
    meas = torch_memory_gd(E, U, y, p, 0.7, 30)
    pred = dyn.memory_gd(E, U, y, p, lr=0.7, steps=30)
    np.testing.assert_allclose(meas["loss"], pred.loss, rtol=1e-12)
    np.testing.assert_allclose(meas["margins"], pred.margins, atol=1e-12)
    Eo = np.linalg.qr(rng.standard_normal((6, 6)))[0]
    orth = torch_memory_gd(Eo[:4], Eo[:3], y, p, 3.0, 50)
    np.testing.assert_allclose(
        orth["margins"], dyn.orthonormal_margin_recursion(p, 3, lr=3.0, steps=50), atol=1e-12
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(n_inputs=8, dim=4),
        dict(spike_etas=(1.0,)),
        dict(device="cuda"),
        dict(seeds=0),
        dict(out=" "),
    ],
)
def test_bad_config_rejected_before_training(kwargs):
    with pytest.raises(ValueError):
        GDAssociativeConfig(**kwargs)


def test_cli_rejects_bad_override(capsys):
    code = run_cli(lambda argv: experiment_main("gd_associative", argv), ["--seeds", "0"], "gd")
    assert code == 2
    assert "seeds" in capsys.readouterr().err


def test_run_writes_outputs_reproducibly(tmp_path):
    from empirical.experiments.gd_associative.run import run

    claims = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run(dataclasses.replace(TINY, out=str(out)))
        assert set(result) == JSON_FIELDS
        rows = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
        assert rows and all("config" in r and "metrics" in r for r in rows)
        claims.append([r["metrics"] for r in rows if r.get("kind") == "claim"])
        summary = (out / "summary.md").read_text()
        assert "| claim | prediction |" in summary and "(a custom config)" in summary
        assert (out / "gd_associative.png").stat().st_size > 0
        assert "orth_margins" in np.load(out / "curves.npz")
    assert claims[0] and claims[0] == claims[1]
    assert {c["id"] for c in claims[0]} >= {"margin-recursion", "hessian", "reduced-map"}


def test_json_output_has_the_old_fields(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(PROFILES, "quick", TINY)
    assert experiment_main("gd_associative", ["--json", "--out", str(tmp_path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == JSON_FIELDS
    assert "--profile quick" in (tmp_path / "summary.md").read_text()


def test_derivation_claims_hold_on_a_tiny_run():
    from empirical.experiments.gd_associative.run import run

    result = run(TINY)
    for cid in ("gd.margin-recursion", "gd.hessian", "gd.reduced-map", "gd.no-oscillation"):
        assert all(r.holds for r in get(cid).judge(result)), cid


def test_paper_profile_carries_paper_sizes():
    assert PROFILES["paper"].sweep_size == 10
    assert PROFILES["paper"].sweep_steps == 1000


@pytest.mark.slow
def test_quick_profile_runs():
    from empirical.experiments.gd_associative.run import run

    result = run(PROFILES["quick"])
    verdicts = {c["id"]: c["verdict"] for c in result["claims"]}
    for cid in ("margin-recursion", "hessian", "no-oscillation", "reduced-map"):
        assert verdicts[cid] == "holds"
