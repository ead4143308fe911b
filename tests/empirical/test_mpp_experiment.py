"""The mpp experiment's Fourier toy: the stacked conv nets (RevIN equivariance, shift
equivariance, independent models), a tiny run end to end with every claim judged, bad configs."""

import dataclasses

import numpy as np
import pytest
import torch

from empirical.experiments.mpp import toy_model as tm
from empirical.experiments.mpp.config import PROFILES, Config

TINY = dataclasses.replace(
    PROFILES["quick"],
    networks=2,
    draws=200,
    seeds=2,
    toy_grid=16,
    toy_history=3,
    toy_kmax=3,
    toy_width=4,
    toy_depth=2,
    batch=6,
    pretrain_samples=32,
    pretrain_steps=30,
    finetune_sizes=(2, 16),
    finetune_steps=20,
    widths=(1, 2),
    interference_samples=32,
    interference_steps=20,
    test_samples=16,
    toy_seeds=2,
)


def _params(G=3, width=5, depth=3, history=4):
    return tm.init_params(range(G), width=width, depth=depth, kernel=5, history=history)


def test_forward_is_affine_and_shift_equivariant():
    torch.manual_seed(0)
    params = _params()
    x = torch.randn(7, 3, 4, 16)
    y = tm.forward(params, x)
    assert y.shape == (7, 3, 16)
    a, b = 3.7, -2.0
    torch.testing.assert_close(tm.forward(params, a * x + b), a * y + b, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(tm.forward(params, x.roll(5, -1)), y.roll(5, -1))


def test_models_are_drawn_from_their_own_seeds_and_counted():
    a, b = _params(G=3), tm.init_params([2], width=5, depth=3, kernel=5, history=4)
    for pa, pb in zip(a, b, strict=True):
        torch.testing.assert_close(pa[2], pb[0])
    assert sum(p[0].numel() for p in a) == tm.count_params(5, 3, 5, 4)


def test_a_stack_trains_each_model_as_if_alone():
    rng = np.random.default_rng(0)
    hist = torch.from_numpy(rng.standard_normal((40, 4, 16))).float()
    targ = torch.from_numpy(rng.standard_normal((40, 16))).float()
    kw = {"steps": 15, "lr": 1e-2, "seed": 0}
    both = tm.init_params([0, 1], width=5, depth=3, kernel=5, history=4)
    off2, size2 = np.zeros((6, 2), dtype=np.int64), np.full((6, 2), 40)
    tm.train(both, hist, targ, off2, size2, draw_column=[0, 0], **kw)
    alone = tm.init_params([1], width=5, depth=3, kernel=5, history=4)
    tm.train(alone, hist, targ, off2[:, :1], size2[:, :1], draw_column=[0], **kw)
    for pb, pa in zip(both, alone, strict=True):
        torch.testing.assert_close(pb[1], pa[0], rtol=1e-4, atol=1e-5)
    assert not torch.allclose(both[0][0], both[0][1])


def test_tiny_run_has_every_part_and_every_claim_judges_it(tmp_path):
    from empirical.experiments.mpp.run import run
    from empirical.validate import claims as C

    result = run(dataclasses.replace(TINY, out=str(tmp_path)))
    tr, it = result["transfer"], result["interference"]
    assert [r["n_ft"] for r in tr["rows"]] == [2, 16, 2, 16]
    assert len(it["rows"]) == 2 * 2 * 3
    for r in tr["rows"] + it["rows"]:
        for k in ("pretrained", "scratch", "joint", "single"):
            if k in r:
                assert np.isfinite(r[k]) and r[k] > 0
    assert result["toy_cpu_seconds"] > 0
    assert (tmp_path / "mpp_toy.png").exists() and (tmp_path / "summary.md").exists()
    assert "Fourier toy" in (tmp_path / "summary.md").read_text()
    for claim in C.all_claims():
        if claim.experiment == "mpp":
            assert claim.judge(result)


def test_the_run_is_seeded():
    from empirical.experiments.mpp import transfer as tr

    cfg = dataclasses.replace(TINY, widths=(1, 2), toy_seeds=2)
    from empirical.running.runtime import torch_threads

    tests = tr.test_sets(cfg)
    with torch_threads(1):
        a, b = tr.interference(cfg, tests), tr.interference(cfg, tests)
    assert a == b


@pytest.mark.parametrize(
    "change, name",
    [
        ({"toy_kmax": 16}, "toy_kmax"),
        ({"toy_kernel": 4}, "toy_kernel"),
        ({"batch": 7}, "batch"),
        ({"finetune_sizes": (16, 4)}, "finetune_sizes"),
        ({"widths": (4,)}, "widths"),
        ({"nu_range": (-0.1, 0.1)}, "nu_range"),
        ({"c_range": (1.0, -1.0)}, "c_range"),
        ({"toy_dt": 0.0}, "toy_dt"),
    ],
)
def test_bad_config_names_the_field(change, name):
    with pytest.raises(ValueError, match=name):
        Config(**change)
