"""The factual-recall topic package: config, model, boundary, outputs, resume, CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from empirical.experiments.factual_recall import config as C
from empirical.experiments.factual_recall import metrics
from empirical.experiments.factual_recall.boundary import paper_boundary_success
from empirical.models.memories.factual import OneLayerFactual, OneLayerFactualConfig
from empirical.running.experiment import experiment_main

TINY = C.FactualRecallConfig(
    seq_subjects=4,
    seq_relations=2,
    seq_answers=2,
    seq_noise=3,
    seq_len=6,
    seq_batch=16,
    seq_steps=12,
    tr_d=8,
    tr_head_dim=2,
    tr_cells=((1, 2), (2, 1), (2, 4)),
    tr_subjects=2,
    tr_answers=2,
    tr_seq_len=5,
    sw_dims=(4, 8),
    sw_heads=2,
    sw_max_subjects=4,
    sw_max_trials=2,
    batch=8,
    steps=3,
    eval_every=2,
    seeds=1,
)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(seq_subjects=15, seq_answers=8),
        dict(tr_cells=((0, 2),)),
        dict(tr_cells=((2, 0),)),
        dict(sw_dims=(8,), sw_heads=16),
        dict(sw_lrs=()),
        dict(workers=0),
        dict(device="cuda"),
    ],
)
def test_bad_config_rejected_before_training(kwargs):
    with pytest.raises(ValueError):
        C.FactualRecallConfig(**kwargs)


def test_config_and_claims_do_not_import_torch():
    code = (
        "import sys; import empirical.experiments.factual_recall.config, "
        "empirical.experiments.factual_recall.boundary, "
        "empirical.experiments.factual_recall.claims; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_paper_profile_carries_paper_settings():
    p = C.PROFILES["paper"]
    assert (p.seq_subjects, p.seq_relations, p.seq_answers, p.seq_steps, p.seq_batch) == (
        16,
        4,
        8,
        8192,
        1024,
    )
    assert (p.tr_d, p.tr_head_dim, p.tr_subjects, p.tr_answers, p.tr_seq_len) == (32, 8, 32, 8, 32)
    assert (p.steps, p.batch, p.lr, p.sw_heads) == (2**14, 1024, 1e-2, 8)
    assert tuple(p.sw_lrs) == (1e-2, 3e-3, 1e-3)
    # the paper-profile cells sit on both sides of the Fig. 4 (right) boundary
    sides = {paper_boundary_success(32 * 8 * h, 32 * m) for h, m in p.tr_cells}
    assert sides == {True, False}


def test_boundary_against_the_drawn_lines():
    # vertical line A = 1280; diagonal M = 2300 - A/2 on [1280, 4700]; attention alone beyond
    assert not paper_boundary_success(1279, 10**6)
    assert paper_boundary_success(1280, 1660) and not paper_boundary_success(1280, 1659)
    assert paper_boundary_success(2048, 1276) and not paper_boundary_success(2048, 1275)
    assert paper_boundary_success(4600, 0) and not paper_boundary_success(4598, 0)  # M = 0 line
    # scaled linearly with the number of facts
    assert paper_boundary_success(640, 830, facts=512)
    assert not paper_boundary_success(639, 10**6, facts=512)
    with pytest.raises(ValueError, match="facts"):
        paper_boundary_success(1, 1, facts=0)


def test_vocabulary_attention_equals_the_per_position_formula():
    torch.manual_seed(0)
    cfg = OneLayerFactualConfig(vocab_size=20, n_out=12, d_model=8, n_heads=3, d_head=4)
    m = OneLayerFactual(cfg)
    x = torch.randint(0, 20, (6, 7))
    e = m.embed[x]
    q = torch.einsum("hed,bd->bhe", m.wq, e[:, -1])
    k = torch.einsum("hed,btd->bhte", m.wk, e)
    v = torch.einsum("hed,btd->bhte", m.wv, e)
    att = torch.softmax(torch.einsum("bhe,bhte->bht", q, k) / math.sqrt(4), -1)
    ref = torch.einsum("hde,bhe->bd", m.wo, torch.einsum("bht,bhte->bhe", att, v))
    np.testing.assert_allclose(m.parts(x)["attn"].detach(), ref.detach(), rtol=0, atol=1e-6)


def test_early_stop_and_learning_rate_search_order():
    r = metrics.train_size(
        lrs=(1e-2, 1e-3),
        success=0.0,
        S=2,
        D=2,
        T=5,
        d=8,
        heads=2,
        head_dim=2,
        mlp_width=2,
        batch=8,
        steps=6,
        eval_every=2,
        stop_accuracy=0.0,
        seed=0,
    )
    assert r["steps_run"] == 2  # stopped at the first probe
    assert list(r["tried_lrs"]) == ["0.01"]  # the first learning rate already succeeded


def _run(tmp_path, monkeypatch, name):
    monkeypatch.setitem(C.PROFILES, "quick", TINY)
    out = tmp_path / name
    assert experiment_main("factual_recall", ["--out", str(out)]) == 0
    return out


def test_outputs_are_complete_and_reproducible(tmp_path, monkeypatch):
    claims = []
    for name in ("a", "b"):
        out = _run(tmp_path, monkeypatch, name)
        rows = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
        assert rows and all("config" in r and "metrics" in r for r in rows)
        claims.append([r["metrics"] for r in rows if r.get("kind") == "claim"])
        assert "| claim | prediction |" in (out / "summary.md").read_text()
        assert (out / "factual_recall.png").stat().st_size > 0
    assert claims[0] and claims[0] == claims[1]
    assert {c["id"] for c in claims[0]} >= {"seq-init-plateau", "tradeoff-capacity-fit"}


def test_rerun_resumes_the_one_layer_runs(tmp_path, monkeypatch):
    out = _run(tmp_path, monkeypatch, "r")
    before = (out / "results.jsonl").read_text()
    n = len((out / "cells.jsonl").read_text().splitlines())
    assert n >= len(TINY.tr_cells)

    def fail(**kw):
        raise AssertionError("a stored run was trained again")

    monkeypatch.setattr(metrics, "train_cell", fail)
    monkeypatch.setattr(metrics, "train_size", fail)
    _run(tmp_path, monkeypatch, "r")

    def one_layer_rows(text):
        rows = [json.loads(x) for x in text.splitlines()]
        return [r["metrics"] for r in rows if r["metrics"].get("part") in ("tradeoff", "sweep")]

    assert one_layer_rows(before) == one_layer_rows((out / "results.jsonl").read_text())
    assert len((out / "cells.jsonl").read_text().splitlines()) == n


def test_cli_rejects_bad_seeds(capsys):
    from memtheory.cli import run_cli

    code = run_cli(lambda argv: experiment_main("factual_recall", argv), ["--seeds", "0"], prog="f")
    assert code == 2
    assert "seeds" in capsys.readouterr().err


@pytest.mark.slow
def test_quick_profile_claims_hold_as_recorded():
    from empirical.experiments.factual_recall.claims import CLAIMS
    from empirical.experiments.factual_recall.run import run

    result = run(C.PROFILES["quick"])
    recorded = {c.id.split(".", 1)[1] for c in CLAIMS if c.not_reproducing is not None}
    paper_only = {c.id.split(".", 1)[1] for c in CLAIMS if "quick" not in c.profiles}
    for c in result["claims"]:
        if c["id"] not in recorded | paper_only:
            assert c["verdict"] == "holds", c
