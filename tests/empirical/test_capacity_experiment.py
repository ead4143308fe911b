"""Capacity measurement: data, memories, bisection, trained memories, the experiment's contract."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from empirical.experiments.capacity import config as cfg
from empirical.experiments.capacity import metrics as exp
from empirical.experiments.capacity import run as capacity_run
from empirical.models.memories import assoc_memory as am
from empirical.running.experiment import experiment_main
from empirical.tasks import associative as tasks


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Tiny matrices: one thread is fastest, and a shared CPU makes thread hand-offs costly."""
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


# ------------------------------------------------------------------------------------------
# data generators


@given(
    n=st.integers(1, 300),
    answers=st.one_of(st.none(), st.integers(1, 50)),
    seed=st.integers(0, 2**31),
)
def test_random_facts_seeded_and_exact(n, answers, seed):
    a = tasks.random_facts(n, answers, seed=seed)
    b = tasks.random_facts(n, answers, seed=seed)
    assert a.shape == (n,) and a.dtype == np.int64
    np.testing.assert_array_equal(a, b)
    if answers is None:
        np.testing.assert_array_equal(np.sort(a), np.arange(n))  # a bijection
    else:
        assert a.min() >= 0 and a.max() < answers


def test_random_facts_depend_on_seed():
    assert not np.array_equal(tasks.random_facts(100, 10, seed=0), tasks.random_facts(100, 10, 1))


@given(n=st.integers(1, 500), answers=st.integers(1, 64))
def test_block_and_modular_facts(n, answers):
    blocks = tasks.block_facts(n, answers)
    assert blocks.shape == (n,) and blocks.dtype == np.int64
    assert blocks[0] == 0 and blocks.max() < answers
    assert np.all(np.diff(blocks) >= 0)  # floor(x M / N) is non-decreasing
    mod = tasks.modular_facts(n, answers)
    np.testing.assert_array_equal(mod, np.arange(n) % answers)


def test_identity_facts_and_bad_sizes():
    np.testing.assert_array_equal(tasks.identity_facts(4), [0, 1, 2, 3])
    for bad in (0, -3, 2.5, float("nan"), "abc"):
        with pytest.raises(ValueError, match="n must be"):
            tasks.random_facts(bad)


def test_embeddings_prefix_stable_and_normalised():
    big = am.unit_sphere_embeddings(50, 8, [3, 8, 0])
    small = am.unit_sphere_embeddings(20, 8, [3, 8, 0])
    np.testing.assert_array_equal(big[:20], small)
    assert_allclose(np.linalg.norm(big, axis=1), 1.0, atol=1e-12)
    g = am.gaussian_embeddings(4000, 16, 0)
    assert_allclose((g**2).sum(axis=1).mean(), 1.0, atol=0.02)


# ------------------------------------------------------------------------------------------
# outer-product memory


def _orthonormal(n, d, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    return q[:n]


@given(
    d=st.integers(2, 40),
    frac=st.floats(0.05, 1.0),
    answers=st.integers(1, 10),
    seed=st.integers(0, 1000),
)
def test_outer_product_with_orthonormal_embeddings_stores_everything(d, frac, answers, seed):
    n = max(1, int(frac * d))
    E = _orthonormal(n, d, seed)
    U = _orthonormal(answers, d, seed + 1) if answers <= d else None
    if U is None:
        return
    y = tasks.random_facts(n, answers, seed=seed)
    assert am.outer_product_recall(E, U, y).all()
    W = am.outer_product_memory(E, U, y)
    assert am.linear_recall(W, E, U, y).all()


def test_outer_product_both_code_paths_agree_and_unstored_ties_are_errors():
    rng = np.random.default_rng(0)
    n, d, m = 300, 64, 5
    E = am.unit_sphere_embeddings(n, d, 1)
    U = am.unit_sphere_embeddings(m, d, 2)
    y = tasks.modular_facts(n, m)
    q = np.where(rng.random(n) < 0.1, rng.random(n), 0.0)  # |S| < d: kernel path
    assert 0 < (q > 0).sum() < d
    W = am.outer_product_memory(E, U, y, q)
    np.testing.assert_array_equal(am.outer_product_recall(E, U, y, q), am.linear_recall(W, E, U, y))
    # one-hot embeddings: an unstored token has W e_x = 0 exactly, all scores tie: wrong
    basis = np.eye(11)
    E, U = basis[:8], basis[8:]
    y = tasks.modular_facts(8, 3)
    q = np.array([1, 1, 0, 1, 0, 1, 1, 1], dtype=float)
    np.testing.assert_array_equal(am.outer_product_recall(E, U, y, q), q > 0)


def test_memory_input_validation():
    E = am.unit_sphere_embeddings(5, 4, 0)
    U = am.unit_sphere_embeddings(3, 4, 1)
    with pytest.raises(ValueError, match="targets"):
        am.outer_product_recall(E, U, np.array([0, 1, 2, 3, 0]))
    with pytest.raises(ValueError, match="dimension"):
        am.outer_product_recall(E, am.unit_sphere_embeddings(3, 5, 1), np.zeros(5, int))
    with pytest.raises(ValueError, match="weights"):
        am.outer_product_recall(E, U, np.zeros(5, int), weights=-np.ones(5))


# ------------------------------------------------------------------------------------------
# bisection


@given(boundary=st.integers(0, 5000), start=st.integers(1, 6000), grow=st.floats(1.1, 4.0))
def test_largest_true_finds_the_boundary(boundary, start, grow):
    calls = []

    def pred(n):
        calls.append(n)
        return n <= boundary

    n, seen = exp.largest_true(pred, start=start, lo=1, grow=grow)
    assert n == max(boundary, 0)
    assert len(calls) == len(set(calls)) == len(seen)  # each n asked once


@given(boundary=st.integers(1, 5000), start=st.integers(1, 6000), rel=st.floats(0.0, 0.2))
def test_largest_true_relative_tolerance(boundary, start, rel):
    n, _ = exp.largest_true(lambda n: n <= boundary, start=start, lo=1, rel_tol=rel)
    assert n <= boundary  # always a known-true point
    assert boundary - n <= max(1, rel * n)


def test_largest_true_edges():
    assert exp.largest_true(lambda n: False, start=10, lo=2)[0] == 1
    assert exp.largest_true(lambda n: True, start=10, lo=2, hi=40)[0] == 40
    assert exp.largest_true(lambda n: n <= 7, start=100, lo=2, hi=50)[0] == 7


def test_fitted_constant_recovers_exact_law():
    d = np.array([16.0, 32, 64])
    # N solving d^2 = 3 N ln N exactly (fixed point iteration)
    n = d**2 / 3
    for _ in range(200):
        n = d**2 / (3 * np.log(n))
    assert_allclose(exp.linear_constant(d, n), 3.0, rtol=1e-10)


# ------------------------------------------------------------------------------------------
# trained memories


def test_tiny_trained_linear_memory_stores_all_facts():
    n, d = 12, 8
    E = am.unit_sphere_embeddings(n, d, [0, d, 0])
    U = am.unit_sphere_embeddings(n, d, [0, d, 1])
    y = tasks.identity_facts(n)
    W, info = am.train_linear_memory(E, U, y, am.TrainConfig(steps=400, lr=1.0, check_every=8))
    assert info["accuracy"] == 1.0 and info["steps"] < 400
    assert am.linear_recall(W, E, U, y).all()


def test_tiny_mlp_memory_stores_all_facts_and_is_seeded():
    n, d, m = 24, 8, 16
    E = am.unit_sphere_embeddings(n, d, 0)
    U = am.unit_sphere_embeddings(4, d, 1)
    y = tasks.block_facts(n, 4)
    cfg = am.TrainConfig(steps=600, lr=3e-2, check_every=8)
    p1, info = am.train_mlp_memory(E, U, y, m, cfg, seed=5)
    p2, _ = am.train_mlp_memory(E, U, y, m, cfg, seed=5)
    assert info["accuracy"] == 1.0
    assert am.correct_mask(am.mlp_features(p1, E), U, y).all()
    for k in ("W", "b", "V"):
        np.testing.assert_array_equal(p1[k], p2[k])


# ------------------------------------------------------------------------------------------
# the experiment


def _tiny_config(**kw):
    base = dict(
        outer_dims=(8, 16),
        trained_dims=(8,),
        mlp_sizes=((4, 4),),
        mlp_answers=4,
        seeds=2,
        trained_seeds=1,
        linear_steps=64,
        mlp_steps=64,
        lr_check=(),
        rel_tol=0.1,
    )
    base.update(kw)
    return cfg.CapacityConfig(**base)


def test_run_tiny_returns_documented_keys(tmp_path):
    result = capacity_run.run(_tiny_config())
    for key in (
        "config",
        "points",
        "outer_product",
        "trained_linear",
        "mlp",
        "ratio",
        "lr_check",
        "wall_time",
    ):
        assert key in result
    for p in result["points"]:
        assert {
            "memory",
            "d",
            "m",
            "seed",
            "facts",
            "ratio",
            "predicted_facts",
            "evaluations",
            "lr",
        } <= set(p)
        assert p["facts"] >= 1
    assert len([p for p in result["points"] if p["memory"] == "outer_product"]) == 4
    o = result["outer_product"]
    assert {"constant", "per_d", "vs_asymptotic", "predicted_constant"} <= set(o)
    assert {"measured", "predicted", "relative_error", "tolerance", "reproduces"} <= set(
        o["vs_asymptotic"]
    )
    assert result["ratio"]["common_dims"][0]["d"] == 8
    assert result["ratio"]["verdict"] is not None
    capacity_run.write_outputs(result, tmp_path)
    rows = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len(result["points"]) + 1
    assert (tmp_path / "capacity.png").stat().st_size > 0
    text = (tmp_path / "summary.md").read_text()
    assert "d^2/(N ln N)" in text and "Does not reproduce" in text
    assert result["trained_linear"]["per_d"][0]["facts_std"] is None  # one seed: no spread
    assert "n/a (1 seed)" in text and result["outer_product"]["per_d"][0]["facts_std"] >= 0


def test_predicates_are_deterministic():
    train = am.TrainConfig(steps=64, lr=1.0, check_every=8)
    for n in (10, 20, 30):
        assert exp.outer_product_stores(n, 16, 0) == exp.outer_product_stores(n, 16, 0)
    a = [exp.trained_linear_stores(n, 8, 1, train) for n in (15, 25, 40)]
    assert a == [exp.trained_linear_stores(n, 8, 1, train) for n in (15, 25, 40)]
    assert a[0] and not a[-1]  # 15 facts fit in an 8 x 8 memory, 40 do not


@pytest.mark.parametrize(
    "bad",
    [
        {"seeds": 0},
        {"trained_dims": ()},
        {"trained_seeds": -1},
        {"threshold": 0.0},
        {"threshold": 1.5},
        {"outer_dims": (1,)},
        {"outer_dims": 16},
        {"mlp_sizes": ((8,),)},
        {"tolerance": 0.0},
        {"tolerance": float("nan")},
        {"embeddings": "cube"},
        {"linear_lr": -1.0},
        {"rel_tol": 1.0},
        {"device": "tpu"},
    ],
)
def test_bad_configs_raise_before_work(bad):
    with pytest.raises(ValueError):
        _tiny_config(**bad)


def test_run_rejects_non_config_and_cli_rejects_bad_flags(capsys):
    with pytest.raises(ValueError):
        capacity_run.run({"seeds": 1})
    with pytest.raises(SystemExit) as info:
        experiment_main("capacity", ["--profile", "huge"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        experiment_main("capacity", ["--seeds", "abc"])
    assert info.value.code == 2


@pytest.mark.slow
def test_quick_profile_end_to_end(tmp_path):
    assert experiment_main("capacity", ["--profile", "quick", "--out", str(tmp_path)]) == 0
    for name in ("results.jsonl", "summary.md", "capacity.png"):
        assert (tmp_path / name).exists()


def test_run_with_out_writes_its_outputs(tmp_path):
    out = tmp_path / "cap"
    result = capacity_run.run(_tiny_config(out=str(out), mlp_sizes=()))
    assert "mlp" not in result
    rows = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len(result["points"]) + 1
    assert (out / "capacity.png").stat().st_size > 0
    assert (out / "summary.md").read_text().startswith("# Associative-memory capacity")


def test_config_is_frozen_and_importing_the_topic_loads_no_torch():
    import subprocess
    import sys

    with pytest.raises(AttributeError):
        _tiny_config().seeds = 3
    code = (
        "import sys, empirical.experiments.capacity, empirical.experiments.capacity.config;"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_claims_tolerance_is_the_configs():
    from empirical.experiments.capacity import claims

    for name, profile in cfg.PROFILES.items():
        assert profile.tolerance == claims.TOL, name


def test_rerun_with_out_resumes_from_stored_points(tmp_path, monkeypatch):
    config = _tiny_config(out=str(tmp_path), mlp_sizes=())
    first = capacity_run.run(config)
    stored = (tmp_path / capacity_run.STORE).read_text().splitlines()
    assert len(stored) == len(first["points"])

    def boom(*args, **kwargs):
        raise AssertionError("measured again instead of resuming")

    monkeypatch.setattr(capacity_run, "outer_product_stores", boom)
    monkeypatch.setattr(capacity_run, "trained_linear_stores", boom)
    again = capacity_run.run(config)
    assert again["points"] == json.loads(json.dumps(first["points"]))
    assert again["outer_product"]["constant"] == first["outer_product"]["constant"]
    # another config does not take the stored points
    with pytest.raises(AssertionError, match="measured again"):
        capacity_run.run(_tiny_config(out=str(tmp_path), mlp_sizes=(), threshold=0.9))
