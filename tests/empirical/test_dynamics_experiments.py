"""Training-dynamics experiments gd_associative and heavy_tailed (issue 7): Hessian, exact GD,
seeds, configs, outputs. factual_recall and distributional: test_factual_recall.py,
test_distributional.py."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from empirical.experiments import gd_associative, heavy_tailed
from memtheory import dynamics as dyn

TINY = {
    gd_associative: gd_associative.GDAssociativeConfig(
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
    ),
    heavy_tailed: heavy_tailed.HeavyTailedConfig(
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
    ),
}
MODULES = list(TINY)


def test_hessian_closed_form_matches_autograd():
    rng = np.random.default_rng(0)
    N, M, d_in, d_out = 5, 4, 3, 6
    E = rng.standard_normal((N, d_in))
    U = rng.standard_normal((M, d_out))
    W = rng.standard_normal((d_out, d_in))
    y = rng.integers(0, M, N)
    p = rng.dirichlet(np.ones(N))
    H_auto = gd_associative._autograd_hessian(W, E, U, y, p).reshape(d_out * d_in, -1)
    np.testing.assert_allclose(dyn.memory_hessian(W, E, U, y, p), H_auto, rtol=0, atol=1e-13)


def test_torch_gd_equals_theory_gd_and_recursion():
    rng = np.random.default_rng(1)
    E = rng.standard_normal((4, 3))
    U = rng.standard_normal((3, 5))
    y, p = np.array([0, 1, 2, 1]), np.array([0.4, 0.3, 0.2, 0.1])
    meas = gd_associative.torch_memory_gd(E, U, y, p, 0.7, 30)
    pred = dyn.memory_gd(E, U, y, p, 0.7, 30)
    np.testing.assert_allclose(meas["loss"], pred["loss"], rtol=1e-12)
    np.testing.assert_allclose(meas["margins"], pred["margins"], atol=1e-12)
    Eo = np.linalg.qr(rng.standard_normal((6, 6)))[0]
    orth = gd_associative.torch_memory_gd(Eo[:4], Eo[:3], y, p, 3.0, 50)
    np.testing.assert_allclose(
        orth["margins"], dyn.orthonormal_margin_recursion(p, 3, 3.0, 50), atol=1e-12
    )


BAD = [
    (gd_associative.GDAssociativeConfig, dict(n_inputs=8, dim=4)),
    (gd_associative.GDAssociativeConfig, dict(spike_etas=(1.0,))),
    (gd_associative.GDAssociativeConfig, dict(device="cuda")),
    (heavy_tailed.HeavyTailedConfig, dict(grid_gd=(1.0, 0.0))),
    (heavy_tailed.HeavyTailedConfig, dict(memory_dim=4, memory_inputs=8)),
]


@pytest.mark.parametrize("cls,kwargs", BAD)
def test_bad_config_rejected_before_training(cls, kwargs):
    with pytest.raises(ValueError):
        cls(**kwargs)


def test_cli_rejects_bad_override(capsys):
    from memtheory.cli import run_cli

    code = run_cli(gd_associative.main, ["--seeds", "0"], prog="gd")
    assert code == 2
    assert "seeds" in capsys.readouterr().err


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
    assert gd_associative.PROFILES["paper"].sweep_size == 10
    assert gd_associative.PROFILES["paper"].sweep_steps == 1000
    assert heavy_tailed.PROFILES["paper"].m == 11


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_quick_profile_runs(module):
    result = module.run(dataclasses.replace(module.PROFILES["quick"]))
    assert result["claims"]
    if module is gd_associative:
        verdicts = {c["id"]: c["verdict"] for c in result["claims"]}
        for cid in ("margin-recursion", "hessian", "no-oscillation", "reduced-map"):
            assert verdicts[cid] == "holds"
