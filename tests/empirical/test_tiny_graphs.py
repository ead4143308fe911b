"""Tests of the tiny-graphs experiment (empirical/experiments/tiny_graphs/)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from empirical.experiments.tiny_graphs import aggregate as agg
from empirical.experiments.tiny_graphs import config as cfg
from empirical.experiments.tiny_graphs import metrics as mt
from empirical.experiments.tiny_graphs import run as rn
from empirical.experiments.tiny_graphs import train as tr
from empirical.experiments.tiny_graphs.__main__ import main
from empirical.experiments.tiny_graphs.report import judged
from empirical.running.results import read_jsonl

TINY = dict(
    graphs=("cycle:6",),
    models=("one-layer", "node2vec"),
    seeds=1,
    max_steps=12,
    eval_points=4,
    check_steps=5,
    check_dim=8,
    knob_seeds=0,
    assoc_fast_steps=3,
    figures=False,
)
DOCUMENTED = (
    "graph",
    "model",
    "self_edges",
    "seed",
    "topk_recovery",
    "mean_edge_cosine",
    "spectral_energy",
    "zigzag_energy",
)


def _neg_S_projector(graph) -> np.ndarray:
    """Projector on the eigenvectors of S = D^-1 A + (D^-1 A)^T with negative eigenvalue."""
    A = graph.adjacency().toarray()
    T = A / A.sum(axis=1, keepdims=True)
    w, U = np.linalg.eigh(T + T.T)
    N = U[:, w < -1e-9]
    return N @ N.T


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    config = cfg.TinyGraphsConfig(out=str(out), **TINY)
    return config, rn.run(config), out


def test_run_returns_documented_keys_and_writes_files(tiny_run):
    config, result, out = tiny_run
    assert set(result) >= {
        "records",
        "claims",
        "node2vec_check",
        "knobs",
        "assoc_fast",
        "wall_time",
    }
    assert len(result["assoc_fast"]) == 1
    assert [h["step"] for h in result["assoc_fast"][0]["history"]] == [0, 1, 2, 3]
    assert len(result["records"]) == 2 * 2  # 2 models x (with, without self-edges) x 1 seed
    for r in result["records"]:
        assert set(DOCUMENTED) <= set(r)
        assert r["history"][0]["step"] == 0 and r["history"][-1]["step"] == r["steps"] == 12
    assert set(result["claims"]) == {
        "memorize",
        "geometry-vs-frozen",
        "node2vec-exact",
        "self-edges-zigzag",
        "assoc-before-geometry",
        "knobs",
        "net-vs-frozen",
    }
    assert result["claims"]["knobs"] == {"settings": [], "contrasts": []}  # knob_seeds=0
    verdicts = {j["claim"].id: j["holds"] for j in judged(result)}
    assert verdicts["tiny.knobs-move-geometry"] is None  # not measured
    assert verdicts["tiny.node2vec-torch-exact"] is True
    assert (out / "summary.md").exists()  # run writes it when out is set
    rows = read_jsonl(out / "results.jsonl")
    runs = [r for r in rows if r["kind"] == "run"]
    assert len(runs) == 4 and all("config" in r and "versions" in r for r in runs)
    assert len([r for r in rows if r["kind"] == "node2vec_check"]) == 1
    assert len(list((out / "arrays").glob("*.npz"))) == 4
    names = rn.write_outputs(result, out, "test", figures=True)
    text = (out / "summary.md").read_text()
    assert "### tiny.node2vec-torch-exact: holds" in text and "Command: `test`" in text
    assert "embeddings.png" in names and all((out / n).stat().st_size > 0 for n in names)


def test_energies_lie_in_unit_interval(tiny_run):
    _, result, _ = tiny_run
    for r in result["records"]:
        for row in r["history"]:
            for key in ("spectral_energy", "zigzag_energy", "topk_recovery"):
                assert 0.0 <= row[key] <= 1.0
        assert_allclose(sum(r["spectral_profile"]), 1.0, atol=1e-9)


@given(st.integers(0, 2**31 - 1), st.sampled_from(["cycle:7", "grid:3x3", "path-star:3x3"]))
def test_measure_energies_bounded_and_zigzag_matches_negative_eigenspace(seed, spec):
    info = mt.graph_info(spec)
    n = info.graph.n
    P = _neg_S_projector(info.graph)
    assert_allclose(info.zigzag @ info.zigzag.T, P, atol=1e-9)
    rng = np.random.default_rng(seed)
    E = rng.normal(size=(n, 5))
    Z = rng.normal(size=(n, n))
    m = mt.measure(info, E, Z, self_edges=False)
    m_self = mt.measure(info, E, Z, self_edges=True)
    # skewed / full top-1 always score the graph's edges with the diagonal excluded
    for key in ("skewed_top1", "skewed_margin", "full_top1", "full_margin"):
        assert_allclose(m_self[key], m[key], rtol=1e-12)
    assert 0.0 <= m["spectral_energy"] <= 1.0 and 0.0 <= m["zigzag_energy"] <= 1.0
    assert_allclose(m["zigzag_energy"], np.sum((P @ E) ** 2) / np.sum(E**2), rtol=1e-10)
    # an embedding inside the zigzag space scores 1, one inside the prediction scores 1
    assert_allclose(mt.measure(info, info.zigzag, Z, False)["zigzag_energy"], 1.0, rtol=1e-12)
    assert_allclose(mt.measure(info, info.predicted, Z, False)["spectral_energy"], 1.0, rtol=1e-12)


def test_logit_diagonal_skew_equals_released_skew_for_bilinear_logits():
    from memtheory.geometry import edge_top1_margin, skewed_low_rank

    info = mt.graph_info("grid:3x3")
    rng = np.random.default_rng(3)
    E, W = rng.normal(size=(9, 6)), rng.normal(size=(6, 6))
    Z = E @ W @ E.T
    exact = skewed_low_rank(E, W, info.cos_edges)
    Zs = mt.logit_diagonal_skew(E, Z)
    assert_allclose(Zs, E @ exact.W_skewed @ E.T, atol=1e-10)
    ours = edge_top1_margin(Zs, info.cos_edges)
    assert_allclose([ours.top1_acc, ours.margin], [exact.top1_acc, exact.margin], rtol=1e-10)


def test_resume_skips_finished_records(tiny_run, tmp_path):
    config, first, out = tiny_run
    again = rn.run(config)
    assert again["timing"]["trained_cells"] == 0
    assert again["timing"]["reused_records"] == len(first["records"])
    key = lambda r: (r["graph"], r["model"], r["self_edges"], r["seed"])  # noqa: E731
    a = {key(r): r["spectral_energy"] for r in first["records"]}
    b = {key(r): r["spectral_energy"] for r in again["records"]}
    assert a == b
    # drop the last run record: only its cell is retrained, with the same numbers
    path = out / "results.jsonl"
    rows = read_jsonl(path)
    last = max(i for i, r in enumerate(rows) if r["kind"] == "run")
    dropped = rows.pop(last)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    third = rn.run(config)
    assert third["timing"]["trained_cells"] == 1
    assert third["timing"]["reused_records"] == len(first["records"]) - 1
    redo = [r for r in third["records"] if key(r) == key(dropped)][0]
    assert_allclose(redo["spectral_energy"], dropped["metrics"]["spectral_energy"], rtol=1e-12)


def test_bad_configs_fail_before_training(tmp_path, monkeypatch):
    def boom(*a, **k):  # pragma: no cover - must not be reached
        raise AssertionError("training started")

    monkeypatch.setattr(tr, "train_cell", boom)
    monkeypatch.setattr(rn, "train_cell", boom)
    with pytest.raises(ValueError, match="model"):
        cfg.TinyGraphsConfig(**{**TINY, "models": ("one-layer", "nope")})
    edge_file = tmp_path / "isolated.txt"
    edge_file.write_text("0 1\n1 2\n2 0\n3 4\n4 5\n5 3\n0 7\n")  # node 6 isolated
    with pytest.raises(ValueError, match="isolated"):
        cfg.TinyGraphsConfig(**{**TINY, "graphs": (str(edge_file),)})
    with pytest.raises(ValueError, match="knob_settings"):
        cfg.TinyGraphsConfig(**{**TINY, "knob_settings": ("default", "nope")})
    with pytest.raises(ValueError, match="contrast_seeds"):
        cfg.TinyGraphsConfig(**{**TINY, "contrast_seeds": -1})
    with pytest.raises(ValueError, match="n_head"):
        cfg.TinyGraphsConfig(
            **{
                **TINY,
                "models": ("transformer",),
                "width": 20,
                "large_irregular": True,
                "graphs": ("irregular",),
            }
        )
    for width in (0, -3):
        with pytest.raises(ValueError, match="width"):
            cfg.TinyGraphsConfig(**{**TINY, "width": width})
    with pytest.raises(ValueError):
        main(
            ["--only-graphs", "--graph", "cycle:6", "--models", "mlp", "--out", str(tmp_path / "x")]
        )
    assert not (tmp_path / "x").exists()


def test_node2vec_torch_matches_theory_at_a_few_steps():
    res = tr.node2vec_check("cycle:6", seed=1, steps=8, dim=8, segments=4)
    assert res["recorded_steps"] == [0, 2, 4, 6, 8]
    assert res["max_deviation"] < 1e-12
    # the trajectory moved, so agreement is not trivial
    res0 = tr.node2vec_check("cycle:6", seed=1, steps=0, dim=8, segments=1)
    assert res0["max_deviation"] == 0.0


def test_aggregation_and_claims_follow_the_records():
    base = {
        "graph": "cycle:6",
        "self_edges": False,
        "seed": 0,
        "mean_edge_cosine": 0.0,
        "zigzag_energy": 0.1,
        "steps_to_memorize": 2,
        "steps_to_geometry": 100,
        "zigzag_baseline": 0.5,
        "skewed_top1": 0.5,
        "history": [
            {"step": 0, "spectral_energy": 0.1},
            {"step": 50, "spectral_energy": 0.9},
            {"step": 100, "spectral_energy": 0.5},
        ],
    }
    recs = [
        {**base, "model": "one-layer", "topk_recovery": 1.0, "spectral_energy": 0.6},
        {**base, "model": "one-layer-frozen", "topk_recovery": 0.9, "spectral_energy": 0.2},
        {**base, "model": "node2vec", "topk_recovery": 1.0, "spectral_energy": 0.9},
    ]
    for r in recs:  # the best logged recovery equals the final one here
        r["history"] = [{**h, "topk_recovery": r["topk_recovery"]} for h in r["history"]]
    fast = [{"graph": "cycle:6", "seed": 0, "steps_to_memorize": 1, "history": [{}, {}]}]
    blocks = agg.aggregate(recs, [], [], fast)
    low = [c for c in blocks["memorize"]["cells"] if c["min_recovery"] < 1]
    assert [c["model"] for c in low] == ["one-layer-frozen"]
    cell = blocks["geometry-vs-frozen"]["cells"][0]
    assert_allclose(cell["trained_minus_frozen"]["one-layer"], 0.4)
    assert_allclose(cell["node2vec_minus_next"], 0.3)
    # 90% of the peak gain (0.1 -> 0.9) is first reached at step 50; the control needs 1 step
    (row,) = [m for m in blocks["assoc-before-geometry"]["per_model"] if m["model"] == "one-layer"]
    assert_allclose(row["delay_ratio"], 50.0)
    assert blocks["net-vs-frozen"]["cells"][0]["frozen_min_recovery"] == 0.9


def test_knob_contrast_is_a_welch_difference():
    knobs = []
    for setting, vals in (
        ("default, lr 1e-4", [0.9, 1.0, 0.8]),
        ("non-geometric, lr 1e-4", [0.3, 0.4, 0.35]),
    ):
        knobs += [
            {"setting": setting, "skewed_top1": v, "skewed_margin": 0.0, "topk_recovery": 1.0}
            for v in vals
        ]
    (c,) = agg.knob_table(knobs)["contrasts"]
    assert c["knob"] == "N(0, 1) init" and c["direction"] == -1
    assert_allclose(c["difference"], 0.35 - 0.9)
    assert_allclose(
        c["se"], np.sqrt(np.var([0.9, 1.0, 0.8], ddof=1) / 3 + np.var([0.3, 0.4, 0.35], ddof=1) / 3)
    )


def test_main_json_prints_documented_keys(tmp_path, capsys):
    argv = [
        "--only-graphs",
        "--graph",
        "cycle:5",
        "--models",
        "node2vec",
        "--seeds",
        "1",
        "--max-steps",
        "10",
        "--eval-points",
        "3",
        "--check-steps",
        "0",
        "--knob-seeds",
        "0",
        "--no-figures",
        "--no-self-edges",
        "--out",
        str(tmp_path),
        "--json",
    ]
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed) == 1 and set(DOCUMENTED) <= set(printed[0])
    assert printed[0]["graph"] == "cycle:5" and printed[0]["model"] == "node2vec"
    assert (tmp_path / "summary.md").exists()


@pytest.mark.slow
def test_quick_profile_runs_every_cell(tmp_path):
    config = cfg.PROFILES["quick"]
    import dataclasses

    result = rn.run(dataclasses.replace(config, out=str(tmp_path)))
    assert len(result["records"]) == 4 * 7 * 2 * 3
    assert all(j["holds"] is not None for j in judged(result))
    assert (tmp_path / "summary.md").exists()


def test_contrast_seeds_extend_the_grid_and_share_its_first_seeds(tmp_path):
    config = cfg.TinyGraphsConfig(
        **{**TINY, "models": ("one-layer", "one-layer-frozen"), "check_steps": 0},
        contrast_seeds=2,
        out=str(tmp_path),
    )
    result = rn.run(config)
    assert len(result["records"]) == 2 * 2  # 1 seed x 2 models x 2 edge sets
    assert len(result["contrast"]) == 2 * 2 * 2
    # the grid trains the contrast's seeds with its own (one batched run per cell, 4 cells);
    # reading them back is not a reuse of an earlier run's records: the folder was empty
    assert result["timing"]["trained_cells"] == 4
    assert result["timing"]["reused_records"] == 0
    again = rn.run(config)
    assert again["timing"]["trained_cells"] == 0
    assert again["timing"]["reused_records"] == 2 * 2 * 2  # the contrast's records (a superset)
    grid = {(r["graph"], r["model"], r["self_edges"], r["seed"]) for r in result["records"]}
    assert grid <= {
        (r["graph"], r["model"], r["self_edges"], r["seed"]) for r in result["contrast"]
    }
    cells = result["claims"]["net-vs-frozen"]["cells"]
    assert [c["net"]["n"] for c in cells] == [2, 2]
    assert {c["released_net"] for c in cells} == {1.0, 0.80}  # cycle, without / with self-edges


def test_memorization_counts_a_seed_once_it_reached_full_recovery():
    hist = [{"step": s, "topk_recovery": v} for s, v in ((0, 0.1), (10, 1.0), (20, 0.3))]
    rec = {
        "graph": "cycle:6",
        "model": "one-layer",
        "self_edges": False,
        "seed": 0,
        "topk_recovery": 0.3,
        "history": hist,
    }
    never = {
        **rec,
        "seed": 1,
        "topk_recovery": 0.9,
        "history": [{**h, "topk_recovery": min(h["topk_recovery"], 0.9)} for h in hist],
    }
    (cell,) = agg.memorization([rec])["cells"]
    assert cell["min_recovery"] == 1.0 and cell["min_final_recovery"] == 0.3
    (cell,) = agg.memorization([rec, never])["cells"]
    assert cell["min_recovery"] == 0.9 and cell["worst_seed"] == 1
