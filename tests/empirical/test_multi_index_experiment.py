"""The multi_index experiment: a tiny run end to end, the SGD simulation, bad configs."""

import numpy as np
import pytest

from empirical.experiments.multi_index.config import Config
from empirical.experiments.multi_index.finite import sgd_overlaps
from memtheory import multi_index as mi


def test_sgd_starts_on_the_flows_start_and_stays_orthonormal():
    out = sgd_overlaps(
        "z1+z1z2",
        "two-timescale",
        30,
        0,
        lr=0.05,
        steps=20,
        batch=64,
        fit_batch=256,
        record_every=5,
        start_seed=4,
    )
    np.testing.assert_allclose(out["M"][0], mi.random_overlap(30, 2, seed=4), atol=1e-12)
    np.testing.assert_allclose(out["t"], [0.0, 0.25, 0.5, 0.75, 1.0], atol=1e-12)
    assert np.all(np.linalg.svd(out["M"], compute_uv=False) <= 1 + 1e-12)


def test_tiny_run_has_every_part(tmp_path):
    from empirical.experiments.multi_index.run import run

    cfg = Config(
        d=32,
        links=("z1+z1z2",),
        dims=(16, 32),
        seeds=2,
        finite_d=20,
        finite_steps=20,
        finite_batch=64,
        finite_fit_batch=256,
        finite_lr=0.05,
        trap_links=("He3(z1)+He3(z2)",),
        trap_seeds=2,
        out=str(tmp_path),
    )
    result = run(cfg)
    assert {r["mode"] for r in result["flows"]} == set(mi.MODES)
    assert len(result["escape"]) == 4 and len(result["finite"]) == 1
    assert len(result["trap"]) == 4 and {r["mode"] for r in result["trap"]} == set(mi.MODES)
    assert (tmp_path / "result.json").exists() and (tmp_path / "summary.md").exists()
    assert (tmp_path / "multi_index_trap.png").exists()
    assert "Symmetric targets" in (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize(
    "kw",
    [
        {"dims": (64,)},
        {"links": ("nope",)},
        {"finite_lr": 0.0},
        {"finite_seeds": 1},
        {"trap_links": ("nope",)},
        {"trap_seeds": 0},
    ],
)
def test_bad_config_is_refused(kw):
    with pytest.raises(ValueError):
        Config(**kw)
