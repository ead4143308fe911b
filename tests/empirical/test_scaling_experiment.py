"""Zipf scaling measurement: data, memory schemes, slopes, the experiment's contract."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from empirical.experiments.scaling import config as cfg
from empirical.experiments.scaling import metrics
from empirical.experiments.scaling import run as exp
from empirical.models.memories import assoc_memory as am
from empirical.running.experiment import experiment_main
from empirical.tasks import associative as tasks
from memtheory import scaling as theory

# ------------------------------------------------------------------------------------------
# data


@given(
    n=st.integers(1, 200),
    alpha=st.floats(1.05, 3.0),
    samples=st.integers(0, 5000),
    seed=st.integers(0, 2**31),
)
def test_zipf_counts_and_samples_seeded_and_exact(n, alpha, samples, seed):
    c = tasks.zipf_counts(n, alpha, samples, seed=seed)
    assert c.shape == (n,) and c.dtype == np.int64 and c.sum() == samples and c.min() >= 0
    np.testing.assert_array_equal(c, tasks.zipf_counts(n, alpha, samples, seed=seed))
    x = tasks.zipf_samples(n, alpha, samples, seed=seed)
    assert x.shape == (samples,) and x.dtype == np.int64
    assert samples == 0 or (x.min() >= 0 and x.max() < n)
    np.testing.assert_array_equal(x, tasks.zipf_samples(n, alpha, samples, seed=seed))


def test_zipf_probabilities_follow_the_law():
    p = tasks.zipf_probabilities(50, 2.0)
    assert_allclose(p.sum(), 1.0, rtol=1e-12)
    assert_allclose(p[0] / p[9], 10.0**2, rtol=1e-12)  # rank 1 vs rank 10
    c = tasks.zipf_counts(50, 2.0, 200_000, seed=0)
    assert_allclose(c / c.sum(), p, atol=5e-3)


def test_zipf_bad_arguments():
    for kwargs in ({"samples": -1}, {"alpha": float("nan")}, {"samples": 2.5}):
        args = {"n": 10, "alpha": 2.0, "samples": 10, **kwargs}
        with pytest.raises(ValueError):
            tasks.zipf_counts(**args)


# ------------------------------------------------------------------------------------------
# schemes


def test_scheme_weights_definitions():
    counts = np.array([5, 0, 3, 3, 1, 0])
    np.testing.assert_array_equal(am.scheme_weights(counts, "uniform"), [1, 0, 1, 1, 1, 0])
    assert_allclose(am.scheme_weights(counts, "power", rho=0.5), np.sqrt(counts / 12.0), rtol=1e-12)
    # top-3 by count, ties broken by the smaller index; never an unseen token
    np.testing.assert_array_equal(am.scheme_weights(counts, "threshold", top=3), [1, 0, 1, 1, 0, 0])
    np.testing.assert_array_equal(
        am.scheme_weights(counts, "threshold", top=10), [1, 0, 1, 1, 1, 0]
    )
    with pytest.raises(ValueError, match="scheme"):
        am.scheme_weights(counts, "fill")
    with pytest.raises(ValueError, match="top"):
        am.scheme_weights(counts, "threshold")


@given(n=st.integers(5, 40), samples=st.integers(1, 200), seed=st.integers(0, 1000))
def test_error_with_orthonormal_embeddings_is_the_unseen_mass(n, samples, seed):
    """d >= N, one-hot (exactly orthonormal) embeddings: every seen token is stored exactly and
    an unseen one ties (counted wrong), so the uniform scheme's error is the unseen mass."""
    d = n + 3
    basis = np.eye(d)[np.random.default_rng(seed).permutation(d)]  # exactly orthonormal
    E, U = basis[:n], basis[n : n + 3]
    p = tasks.zipf_probabilities(n, 1.5)
    y = tasks.modular_facts(n, 3)
    counts = tasks.zipf_counts(n, 1.5, samples, seed=seed)
    err = am.zipf_memory_error(E, U, y, am.scheme_weights(counts, "uniform"), p)
    assert_allclose(err, p[counts == 0].sum(), atol=1e-12)


def test_mean_unseen_mass_matches_theory():
    """The data generator's unseen mass averages to memtheory.scaling.missing_mass (exact)."""
    n, alpha, T = 300, 2.0, 200
    p = tasks.zipf_probabilities(n, alpha)
    mass = [p[tasks.zipf_counts(n, alpha, T, seed=s) == 0].sum() for s in range(400)]
    se = np.std(mass) / math.sqrt(len(mass))
    assert abs(np.mean(mass) - theory.missing_mass(T, alpha, facts=n)) < 4 * se


def test_fit_slope_exact_on_a_power_law():
    x = np.geomspace(10, 1000, 9)
    assert_allclose(metrics.fit_slope(x, 3.0 * x**-0.7, 10, 1000), -0.7, rtol=1e-10)
    assert_allclose(metrics.fit_slope(x, 3.0 * x**-0.7, 50, 400), -0.7, rtol=1e-10)
    assert math.isnan(metrics.fit_slope(x, x, 2000, 3000))


# ------------------------------------------------------------------------------------------
# the experiment


def _tiny(**kw):
    base = dict(
        tokens_d=200,
        samples_d=10_000,
        dims=(10, 20, 40),
        fit_d=(10, 40),
        fit_d_uniform=(10, 40),
        tokens_T=300,
        dim_T=100,
        samples_T=(50, 100, 200),
        fit_T=(50, 200),
        seeds=2,
    )
    base.update(kw)
    return cfg.ScalingConfig(**base)


def test_run_tiny_returns_documented_keys(tmp_path):
    result = exp.run(_tiny())
    assert {"config", "d_sweep", "T_sweep", "finite_data_constant", "wall_time"} <= set(result)
    for key, size in (("d_sweep", 3), ("T_sweep", 3)):
        sw = result[key]
        assert {"grid", "errors", "mean", "std", "predicted", "exponents"} <= set(sw)
        for s in metrics.SCHEMES:
            errs = np.array(sw["errors"][s])
            assert errs.shape == (2, size)
            assert np.all((errs >= 0) & (errs <= 1))
            e = sw["exponents"][s]
            assert {
                "fit_range",
                "measured",
                "seed_se",
                "predicted",
                "difference",
                "tolerance",
                "reproduces",
                "finite_size_predicted",
                "reproduces_finite_size",
            } <= set(e)
    assert len(result["T_sweep"]["missing_mass"]) == 3
    again = exp.run(_tiny(out=str(tmp_path)))
    assert again["d_sweep"]["errors"] == result["d_sweep"]["errors"]
    rows = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 2 * (3 + 3) + 1
    assert (tmp_path / "scaling.png").stat().st_size > 0
    assert "Does not reproduce" in (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize(
    "bad",
    [
        {"alpha": 1.0},
        {"alpha": float("inf")},
        {"answers": 1},
        {"seeds": 0},
        {"dims": (10,)},
        {"dims": (20, 10)},
        {"fit_d": (100, 200)},
        {"fit_T": (1, 2, 3)},
        {"tolerance": -0.1},
        {"embeddings": "cube"},
        {"samples_T": (0, 10)},
    ],
)
def test_bad_configs_raise_before_work(bad):
    with pytest.raises(ValueError):
        _tiny(**bad)


def test_run_rejects_non_config():
    with pytest.raises(ValueError):
        exp.run(None)


def test_config_is_frozen_and_has_out():
    c = _tiny()
    assert c.out is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.seeds = 3


@pytest.mark.slow
def test_quick_profile_end_to_end(tmp_path):
    assert experiment_main("scaling", ["--profile", "quick", "--out", str(tmp_path)]) == 0
    for name in ("results.jsonl", "summary.md", "scaling.png"):
        assert (tmp_path / name).exists()
