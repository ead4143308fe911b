"""The spectral experiment's package: config validation, a tiny run, its outputs and the CLI."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pytest

from empirical.experiments.spectral import __main__ as cli
from empirical.experiments.spectral import eigenbasis, metrics
from empirical.experiments.spectral.config import (
    PROFILES,
    SpectralConfig,
    experiment_graph,
    random_tree,
)
from empirical.experiments.spectral.run import run
from memtheory import graphs as G

TINY_EIGEN = eigenbasis.EigenbasisConfig(
    graphs=("cycle:8", "grid:3x3"),
    seeds=1,
    dim=4,
    init_std=1e-4,
    lr=0.05,
    steps=300,
    record_every=10,
)


def _tiny(**kw):
    base = dict(
        graphs=("cycle:6", "path:5"),
        heldout_graphs=(),
        steps=40,
        dim=8,
        seeds=1,
        record_every=20,
        eigenbasis=TINY_EIGEN,
    )
    base.update(kw)
    return SpectralConfig(**base)


def test_tiny_run_rows_and_outputs(tmp_path):
    result = run(_tiny(out=str(tmp_path), heldout_graphs=("random-tree:7:3",), heldout_seeds=2))
    assert [(r["graph"], r["graph_set"], r["seed"]) for r in result["runs"]] == [
        ("cycle:6", "paper", 0),
        ("path:5", "paper", 0),
        ("random-tree:7:3", "held-out", 0),
        ("random-tree:7:3", "held-out", 1),
    ]
    for r in result["runs"]:
        assert [h["step"] for h in r["history"]] == [0, 20, 40]
        assert r["predicted_rank"] == {"cycle:6": 3, "path:5": 2}.get(
            r["graph"], r["predicted_rank"]
        )
        assert 1.0 <= r["effective_rank"] <= r["n"]
    assert set(result["lemma5_fd_relative_error"]) == {"cycle:6", "path:5"}
    assert result["cycle_spectrum_max_error"] < 1e-10
    rows = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 4 and "history" not in rows[0]["metrics"]
    assert (tmp_path / "spectral.png").stat().st_size > 0
    assert "| cycle:6 | paper | 0 | 3 |" in (tmp_path / "summary.md").read_text()
    assert "| cycle:8 | 0 |" in (tmp_path / "summary.md").read_text()
    assert (tmp_path / "eigenbasis.png").stat().st_size > 0
    eig = [json.loads(x) for x in (tmp_path / "eigenbasis.jsonl").read_text().splitlines()]
    assert [r["metrics"]["graph"] for r in eig] == ["cycle:8", "grid:3x3"]


def test_eigenbasis_rows_follow_the_linear_theory():
    eig = eigenbasis.run_eigenbasis(TINY_EIGEN)
    assert set(eig["linearization_error"]) == {"cycle:8", "grid:3x3"}
    assert max(eig["linearization_error"].values()) < 1e-4
    for r in eig["runs"]:
        steps = r["history"]["steps"]
        assert steps[0] == 0 and steps[-1] == 300 and len(r["history"]["overlaps"]) == len(steps)
        assert r["early_clusters"] and r["early_judged"] == r["early_clusters"][:3]
        rates = np.array(r["growth"]["rates"])
        first = r["early_clusters"][0]
        assert rates[first] == rates.max()  # the fastest cluster is predicted to cross first
        # on the regular cycle the reduction is exact: the linear trajectory crosses on time
        if r["graph"] == "cycle:8":
            for k in r["early_clusters"]:
                assert r["crossing_linear"][k] == pytest.approx(
                    r["crossing_predicted"][k], rel=0.02
                )


def test_eigenbasis_helpers():
    steps = np.array([0, 10, 20])
    vals = np.array([1.0, 10.0, 100.0])
    assert eigenbasis.first_crossing(steps, vals, 1.0) == 0.0
    assert eigenbasis.first_crossing(steps, vals, 1000.0) == np.inf
    assert eigenbasis.first_crossing(steps, vals, 10**1.5) == pytest.approx(15.0)
    assert eigenbasis.spearman([1, 2, 3], [10, 30, 20]) == pytest.approx(0.5)
    assert np.isnan(eigenbasis.spearman([1], [2]))
    for bad in (
        {"graphs": ()},
        {"init_std": 0.0},
        {"init_std": 0.5},
        {"lr": 1.0},
        {"factor": 1.0},
        {"steps": 0},
        {"break_eps": 0.0},
    ):
        with pytest.raises(ValueError):
            dataclasses.replace(TINY_EIGEN, **bad)
    with pytest.raises(ValueError):
        _tiny(eigenbasis="yes")


def test_random_tree_is_a_seeded_tree():
    t = random_tree(30, 4)
    assert t.n == 30 and t.name == "random-tree:30:4"
    assert t.m == 29 and t.is_connected()  # n - 1 edges, connected: a tree
    np.testing.assert_array_equal(t.edges, random_tree(30, 4).edges)
    assert not np.array_equal(t.edges, random_tree(30, 5).edges)
    assert experiment_graph("random-tree:30:4").name == t.name
    for bad in ("random-tree:30", "random-tree:x:1", "random-tree:2:0"):
        with pytest.raises(ValueError):
            experiment_graph(bad)


def test_lemma5_check_detects_a_wrong_gradient(monkeypatch):
    g = G.parse_graph("cycle:5")
    assert metrics.lemma5_fd_error(g) < 1e-7
    real = metrics.spectral.lemma5_operator
    monkeypatch.setattr(metrics.spectral, "lemma5_operator", lambda g, V: 1.01 * real(g, V))
    assert metrics.lemma5_fd_error(g) > 1e-3


@pytest.mark.parametrize(
    "bad",
    [
        {"steps": 0},
        {"dim": 0},
        {"seeds": 0},
        {"heldout_seeds": 0},
        {"lr": 0.0},
        {"init_std": 0.0},
        {"fd_eps": float("nan")},
        {"out": ""},
        {"graphs": ("nope:3",)},
        {"graphs": ()},
        {"heldout_graphs": ("random-tree:1:0",)},
    ],
)
def test_bad_configs_raise(bad):
    with pytest.raises(ValueError):
        _tiny(**bad)


def test_cli_json_prints_runs_without_history(capsys, monkeypatch):
    monkeypatch.setitem(PROFILES, "quick", _tiny(graphs=("cycle:5",), eigenbasis=None))
    assert cli.main(["--json", "--steps", "20"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["graph"] == "cycle:5" and "history" not in rows[0]
    with pytest.raises(SystemExit) as info:
        cli.main(["--steps", "abc"])
    assert info.value.code == 2


def test_importing_the_topic_loads_no_torch():
    code = (
        "import sys, empirical.experiments.spectral.config, empirical.experiments.spectral.run;"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_topic_figures_leave_the_users_backend_and_pyplot_alone(tmp_path):
    code = f"""
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt
from empirical.experiments.capacity.figures import save_figures
from empirical.experiments.spectral.figures import save_figure
h = [{{"step": s, "effective_rank": 3.0, "energy_outside": 0.1}} for s in (0, 10)]
save_figure({{"runs": [{{"graph": "cycle:5", "seed": 0, "predicted_rank": 3, "history": h}}]}},
            {str(tmp_path / "s.png")!r})
pts = [{{"memory": k, "facts": n, "d": 8, "m": 8}}
       for k in ("outer_product", "trained_linear", "mlp") for n in (10, 20)]
c = {{"predicted_constant": 1.0, "constant": 1.1}}
save_figures({{"points": pts, "outer_product": c, "trained_linear": c,
               "mlp": dict(c, answers=32)}}, {str(tmp_path)!r})
print(matplotlib.get_backend(), plt.get_fignums())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["svg", "[]"]
    assert (tmp_path / "s.png").stat().st_size > 0 and (tmp_path / "capacity.png").exists()


@pytest.mark.slow
def test_quick_profile_end_to_end(tmp_path):
    assert cli.main(["--profile", "quick", "--out", str(tmp_path)]) == 0
    for name in ("results.jsonl", "summary.md", "spectral.png"):
        assert (tmp_path / name).exists()
    rows = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert {r["metrics"]["graph_set"] for r in rows} == {"paper", "held-out"}
