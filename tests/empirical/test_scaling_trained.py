"""The trained associative memory of arXiv 2310.02984 (Sec. 4) and its sharded grid experiment."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from empirical.experiments.scaling_trained import cells as C
from empirical.experiments.scaling_trained import config as cfg
from empirical.experiments.scaling_trained import run as exp
from empirical.experiments.scaling_trained import summary as S
from empirical.models.memories import zipf_memory as zm
from memtheory import scaling as theory

# ------------------------------------------------------------------------------------------
# the model


def _params64(cell, seed=0):
    return {
        k: v.detach().double().requires_grad_(v.requires_grad)
        for k, v in zm.init_params(cell, torch.Generator().manual_seed(seed)).items()
    }


def test_logits_are_the_papers_formula():
    cell = zm.MemoryCell(dim=7, tokens=11, answers=3, model="learnable")
    p = _params64(cell)
    E, W, U = (p[k].detach().numpy() for k in ("E", "W", "U"))
    x = torch.tensor([0, 3, 10, 3])
    got = zm.logits(p, x, "learnable", False).detach().numpy()
    assert_allclose(got, E[[0, 3, 10, 3]] @ W @ U.T, rtol=1e-12)
    h = E[[0, 3, 10, 3]] @ W
    ln = h / np.sqrt((h**2).sum(axis=1, keepdims=True) + 1e-6)
    assert_allclose(zm.logits(p, x, "learnable", True).detach().numpy(), ln @ U.T, rtol=1e-12)
    pe = _params64(dataclasses.replace(cell, model="exponential"))
    Ee, Ue = pe["E"].detach().numpy(), pe["U"].detach().numpy()
    got = zm.logits(pe, x, "exponential", False).detach().numpy()
    assert_allclose(got, np.maximum(Ee[[0, 3, 10, 3]], 0) @ Ue.T, rtol=1e-12)


def test_init_scale_and_which_parameters_learn():
    cell = zm.MemoryCell(dim=400, tokens=300, answers=5)
    p = zm.init_params(cell, torch.Generator().manual_seed(1))
    for name in ("E", "U", "W"):
        assert abs(float(p[name].detach().var()) * 400 - 1.0) < 0.05, name  # N(0, 1/d)
    assert [k for k, v in p.items() if v.requires_grad] == ["W"]
    z = zm.init_params(dataclasses.replace(cell, w_init="zero"), torch.Generator())
    assert float(z["W"].detach().abs().max()) == 0.0
    lrn = zm.init_params(dataclasses.replace(cell, model="learnable"), torch.Generator())
    assert all(v.requires_grad for v in lrn.values())
    ex = zm.init_params(dataclasses.replace(cell, model="exponential"), torch.Generator())
    assert set(ex) == {"E", "U"} and all(v.requires_grad for v in ex.values())


def test_one_sgd_step_is_the_batch_mean_gradient():
    """W1 = W0 - lr E_x^T (softmax - onehot) U / B, computed independently in numpy."""
    cell = zm.MemoryCell(dim=6, tokens=9, answers=3, optimizer="sgd", lr=0.7, batch=4, samples=4)
    p = _params64(cell)
    E, W0, U = (p[k].detach().numpy().copy() for k in ("E", "W", "U"))
    x = torch.tensor([0, 5, 5, 8])
    opt = zm.make_optimizer(cell, p)
    loss = torch.nn.functional.cross_entropy(zm.logits(p, x, "matrix", False), x % 3)
    loss.backward()
    opt.step()
    Ex = E[x.numpy()]
    z = Ex @ W0 @ U.T
    soft = np.exp(z - z.max(axis=1, keepdims=True))
    soft /= soft.sum(axis=1, keepdims=True)
    onehot = np.eye(3)[x.numpy() % 3]
    expected = W0 - 0.7 * Ex.T @ (soft - onehot) @ U / 4
    assert_allclose(p["W"].detach().numpy(), expected, rtol=1e-10, atol=1e-14)


def test_adam_groups_scale_lr_by_d_and_sqrt_d_and_betas_zero_is_sign_like():
    cell = zm.MemoryCell(dim=16, model="learnable", optimizer="adam", lr=2.0)
    p = zm.init_params(cell, torch.Generator().manual_seed(0))
    opt = zm.make_optimizer(cell, p)
    lrs = sorted(g["lr"] for g in opt.param_groups)
    assert_allclose(lrs, [2.0 / 16, 2.0 / 4])
    assert all(g["betas"] == (0.0, 0.0) for g in opt.param_groups)
    off = zm.make_optimizer(dataclasses.replace(cell, lr_scaling=False), p)
    assert [g["lr"] for g in off.param_groups] == [2.0, 2.0]
    m = zm.MemoryCell(dim=5, tokens=7, answers=2, optimizer="adam", lr=1.0, batch=7, samples=7)
    pm = _params64(m)
    W0 = pm["W"].detach().clone()
    om = zm.make_optimizer(m, pm)
    x = torch.arange(7)
    torch.nn.functional.cross_entropy(zm.logits(pm, x, "matrix", False), x % 2).backward()
    g = pm["W"].grad.clone()
    om.step()
    big = g.abs() > 1e-4  # away from Adam's eps the first step is -lr/d sign(g)
    step = (pm["W"].detach() - W0)[big]
    assert_allclose(step.numpy(), (-np.sign(g[big].numpy()) / 5), rtol=1e-3)


def test_sgd_memory_stays_in_the_span_of_the_embeddings():
    """Gradients are associative memories (arXiv 2310.02984, Sec. 4): W_T - W_0 = E^T A U."""
    cell = zm.MemoryCell(dim=40, tokens=12, answers=3, lr=5.0, batch=8, samples=64, seed=3)
    gen = torch.Generator().manual_seed(cell.seed)
    p0 = zm.init_params(cell, gen)
    W0, E, U = (p0[k].detach().double().numpy() for k in ("W", "E", "U"))
    # train_cell draws the same parameters from the same seed; rebuild W_T by training
    out = {}
    orig = zm.errors

    def grab(c, params, prob):
        out["W"] = params["W"].detach().double().numpy()
        return orig(c, params, prob)

    zm.errors = grab
    try:
        zm.train_cell(cell)
    finally:
        zm.errors = orig
    delta = out["W"] - W0
    PE = E.T @ np.linalg.pinv(E.T)  # projector on the span of the input embeddings
    PU = U.T @ np.linalg.pinv(U.T)
    assert np.abs(delta).max() > 1e-3
    assert_allclose(PE @ delta @ PU, delta, atol=1e-5)


def test_errors_population_head_tail():
    cell = zm.MemoryCell(dim=4, tokens=6, answers=2, head=2, tail=3)
    params = {"E": torch.zeros(6, 4), "W": torch.eye(4), "U": torch.zeros(2, 4)}
    params["E"][:, 0] = torch.tensor([1.0, -1, 1, -1, -1, -1])  # token 4 is wrong (target 0)
    params["U"][0, 0], params["U"][1, 0] = 1.0, -1.0  # logit gap sign picks the answer
    p = zm.zipf_law(6, 2.0)
    e = zm.errors(cell, params, p)
    assert_allclose(e["error"], float(p[4]), rtol=1e-12)
    assert e["error_head"] == 0.0 and e["error_tail"] == pytest.approx(1 / 3)


def test_train_cell_seeded_one_pass_and_it_learns():
    cell = zm.MemoryCell(dim=20, lr=10.0, batch=64, samples=2048, seed=5)
    a, b = zm.train_cell(cell), zm.train_cell(cell)
    assert a["steps"] == 32
    for k in ("error", "error_head", "error_tail", "final_loss", "initial_error"):
        assert a[k] == b[k], k
    assert a["error"] < 0.5 * a["initial_error"]
    c = zm.train_cell(dataclasses.replace(cell, seed=6))
    assert c["initial_error"] != a["initial_error"] or c["error"] != a["error"]


@pytest.mark.parametrize(
    "bad",
    [
        {"samples": 1000, "batch": 64},
        {"model": "mlp"},
        {"optimizer": "rmsprop"},
        {"dim": 0},
        {"lr": 0.0},
        {"betas": (0.9,)},
        {"betas": (0.9, 1.0)},
        {"answers": 1},
        {"w_init": "ones"},
        {"layer_norm": 1},
    ],
)
def test_bad_cells_raise(bad):
    with pytest.raises(ValueError):
        zm.MemoryCell(**bad)


# ------------------------------------------------------------------------------------------
# the grid


def _tiny(**kw):
    grids = (
        cfg.Grid("a", (8, 16), (1.0,), (32,), (256, 512), ("sgd", "adam")),
        cfg.Grid("b", (16,), (1.0,), (32,), (512,), ("sgd",)),  # one cell shared with "a"
    )
    return cfg.TrainedConfig(**{"grids": grids, "seeds": 2, "tokens": 20, **kw})


def test_expand_dedups_and_shards_partition():
    config = _tiny()
    cells = C.expand(config)
    assert len(cells) == 2 * 2 * 2 * 2  # b's cell is one of a's
    shared = [c for c in cells if c["grids"] == ["a", "b"]]
    assert len(shared) == 2 and {c["seed"] for c in shared} == {42, 43}
    parts = [C.shard(cells, i, 3) for i in range(3)]
    keys = [C.key(c) for part in parts for c in part]
    assert sorted(keys) == sorted(C.key(c) for c in cells) and len(set(keys)) == len(keys)
    assert cfg.PAPER_GRID.size * 10 == 40320  # the released finer_dim file's rows


@pytest.mark.parametrize(
    "bad",
    [
        {"seeds": 0},
        {"shard": 3, "num_shards": 3},
        {"executor": "slurm"},
        {"grids": ()},
        {"cells_per_job": 0},
        {"betas": (0.0, 1.5)},
    ],
)
def test_bad_configs_raise(bad):
    with pytest.raises(ValueError):
        _tiny(**bad)


def test_bad_grid_raises():
    with pytest.raises(ValueError, match="multiple"):
        cfg.Grid("x", (8,), (1.0,), (32,), (100,))
    with pytest.raises(ValueError):
        cfg.Grid("x", (8,), (1.0, 1.0), (32,), (64,))


def test_run_writes_one_line_per_cell_and_resumes(tmp_path, monkeypatch):
    config = _tiny(out=str(tmp_path), cells_per_job=5)
    result = exp.run(config)
    assert result["resumed"] == 0 and len(result["cells"]) == 16
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == 16
    assert (tmp_path / "summary.md").exists() and (tmp_path / "trained_error_vs_T.png").exists()
    calls = []
    monkeypatch.setattr(C, "run_chunk", lambda **kw: calls.append(kw) or [])
    again = exp.run(config)
    assert calls == [] and again["resumed"] == 16
    assert [r["error"] for r in again["cells"]] == [r["error"] for r in result["cells"]]
    # an interrupted run: drop one chunk file, only its cells are trained again
    first = sorted((tmp_path / "cells").glob("cells-*.jsonl"))[0]
    n = len(first.read_text().splitlines())
    first.unlink()
    monkeypatch.undo()
    third = exp.run(config)
    assert third["resumed"] == 16 - n
    assert [r["error"] for r in third["cells"]] == [r["error"] for r in result["cells"]]


def test_shards_together_equal_the_whole(tmp_path):
    whole = exp.run(_tiny())
    parts = [exp.run(_tiny(shard=i, num_shards=2)) for i in range(2)]
    got = sorted((C.key(r), r["error"]) for p in parts for r in p["cells"])
    assert got == sorted((C.key(r), r["error"]) for r in whole["cells"])


def test_summary_predictions_are_memtheorys():
    rows = exp.run(_tiny())["cells"]
    s = S.summarize(rows, {"tokens": 20, "answers": 5, "alpha": 2.0})
    g = next(g for g in s["groups"] if g["optimizer"] == "sgd" and g["dim"] == 16)
    assert_allclose(g["floor"], 0.8 * theory.missing_mass(g["samples"], 2.0, facts=20), rtol=1e-12)
    assert_allclose(
        g["sgd_scheme"],
        theory.scheme_error(
            "sgd", d=16, samples=g["samples"], alpha=2.0, facts=20, answers=5, lr=1.0 / 32
        ),
        rtol=1e-12,
    )
    assert g["error"]["n"] == 2
    assert {p["dim"] for p in s["optimizer_pairs"]} == {8, 16}
    t = s["T_slopes"][0]
    assert t["values"] == [256, 512]
    assert_allclose(S.fit_decay([10, 100], [1.0, 0.1]), 1.0, rtol=1e-12)
    assert math.isnan(S.fit_decay([10, 100], [0.0, 0.1]))


@pytest.mark.slow
def test_submitit_local_executor_runs_and_resumes(tmp_path):
    pytest.importorskip("submitit")
    config = _tiny(out=str(tmp_path), executor="submitit-local", cells_per_job=8)
    result = exp.run(config)
    assert len(result["cells"]) == 16 and result["resumed"] == 0
    serial = exp.run(_tiny())
    assert sorted(r["error"] for r in result["cells"]) == sorted(
        r["error"] for r in serial["cells"]
    )
    assert exp.run(config)["resumed"] == 16


def test_cli_rejects_bad_flags_before_training(tmp_path):
    def cli(*argv):
        return subprocess.run(
            [sys.executable, "-m", "empirical.experiments.scaling_trained", *argv],
            capture_output=True,
            text=True,
        )

    r = cli("--profile", "paper")  # submitit without --out
    assert r.returncode == 2 and "needs out" in r.stderr
    r = cli("--shard", "3", "--num-shards", "2", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "shard" in r.stderr
    assert not (tmp_path / "x" / "cells").exists()
