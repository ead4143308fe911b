"""Batched training (a model axis) gives the same runs as a Python loop over ``train``."""

import dataclasses

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from empirical.tasks.edges import edge_dataset, eq1_weights
from empirical.training.batched import looped_reference, model_at, train_batched
from empirical.training.train import TrainConfig
from memtheory.graphs import irregular, path_star

GRAPH = path_star(3, 3)  # 7 nodes, 12 directed edges
VOCAB = GRAPH.n + 9
INPUTS, LABELS = edge_dataset(GRAPH)
CFG = TrainConfig(
    steps=8,
    lr=0.02,
    batch_size=5,
    schedule="cosine",
    warmup=2,
    weight_decay=0.05,
    grad_clip=0.5,
    eval_steps=[0, 3],
    dtype="float64",
    seed=11,
    progress=False,
)


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def assert_runs_match(batched, looped, rtol=1e-9, atol=1e-10):
    assert set(batched["params"]) == set(looped["params"])
    for name, value in looped["params"].items():
        assert batched["params"][name].shape == value.shape, name
        assert_allclose(
            batched["params"][name].numpy(), value.numpy(), rtol=rtol, atol=atol, err_msg=name
        )
    assert_allclose(batched["final_loss"], looped["final_loss"], rtol=rtol, atol=atol)
    for hb, hl in zip(batched["history"], looped["history"], strict=True):
        assert [r["step"] for r in hb] == [r["step"] for r in hl]
        assert_allclose([r["loss"] for r in hb], [r["loss"] for r in hl], rtol=rtol, atol=atol)
        assert_allclose([r["lr"] for r in hb], [r["lr"] for r in hl], rtol=1e-12)


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("one-layer", {"d_model": 8}),
        ("one-layer-frozen", {"d_model": 8, "bias": False}),
        ("node2vec", {"dim": 6, "init_std": 0.5}),
        ("transformer", {"d_model": 8, "n_head": 2}),
        ("transformer-frozen", {"d_model": 8, "pos": "sinusoidal", "n_layer": 2}),
        ("transformer", {"d_model": 8, "attention": False, "residual": False, "d_mlp": 16}),
        ("mamba", {"d_model": 8, "d_state": 4}),
        ("mamba-frozen", {"d_model": 8, "d_state": 4, "scan": "reference", "n_layer": 2}),
        ("mamba", {"d_model": 8, "d_state": 4, "scan": "hillis-steele"}),  # the vmap path
    ],
)
def test_batched_equals_looped_minibatch_adamw(name, overrides):
    lrs = [0.02, 0.01, 0.05]
    batched = train_batched(name, VOCAB, INPUTS, LABELS, 3, CFG, overrides, lrs=lrs)
    looped = looped_reference(name, VOCAB, INPUTS, LABELS, 3, CFG, overrides, lrs=lrs)
    assert batched["seeds"] == [11, 12, 13]
    assert_runs_match(batched, looped)
    # the K models really differ (independent seeds), so the comparison is not trivial
    E = batched["params"]["token_embedding"]
    assert not torch.allclose(E[0], E[1])


def test_batched_equals_looped_full_batch_sgd_eq1_weights():
    graph = irregular()
    inputs, labels = edge_dataset(graph, prefix=False)
    cfg = dataclasses.replace(
        CFG,
        optimizer="sgd",
        batch_size=None,
        lr=graph.n * 0.05,
        schedule="constant",
        warmup=0,
        grad_clip=None,
    )
    args = ("node2vec", graph.n, inputs, labels, 4, cfg, {"dim": 5})
    w = eq1_weights(graph)
    batched = train_batched(*args, seeds=[7, 3, 9, 1], sample_weights=w)
    looped = looped_reference(*args, seeds=[7, 3, 9, 1], sample_weights=w)
    assert_runs_match(batched, looped)


def test_full_batch_transformer_float32_and_model_at():
    cfg = dataclasses.replace(CFG, batch_size=None, dtype="float32", steps=5)
    seen = []

    def eval_fn(model, step):
        seen.append(step)
        return {"emb_norm": float(model.token_embedding.norm())}

    batched = train_batched("transformer", VOCAB, INPUTS, LABELS, 2, cfg, eval_fn=eval_fn)
    looped = looped_reference("transformer", VOCAB, INPUTS, LABELS, 2, cfg)
    # float32 round-off is amplified by Adam on parameters with ~0 gradient, hence the atol
    assert_runs_match(batched, looped, rtol=1e-4, atol=1e-3)
    assert seen == [0, 0, 3, 3, 5, 5]
    assert batched["history"][1][-1]["step"] == 5 and "emb_norm" in batched["history"][1][-1]
    model = model_at(batched, 1)
    assert torch.equal(model.token_embedding, batched["params"]["token_embedding"][1])
    with torch.no_grad():
        logits = model.eval()(INPUTS)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), LABELS.reshape(-1))
    assert_allclose(loss.item(), batched["final_loss"][1], rtol=1e-5)


def test_batched_is_deterministic_and_validates():
    runs = [train_batched("one-layer", VOCAB, INPUTS, LABELS, 2, CFG) for _ in range(2)]
    for name in runs[0]["params"]:
        assert torch.equal(runs[0]["params"][name], runs[1]["params"][name])
    with pytest.raises(ValueError, match="model must be one of"):
        train_batched("gpt", VOCAB, INPUTS, LABELS, 2, CFG)
    with pytest.raises(ValueError, match="d_model"):
        train_batched("one-layer", VOCAB, INPUTS, LABELS, 2, CFG, {"d_model": 0})
    with pytest.raises(ValueError, match="n_models"):
        train_batched("one-layer", VOCAB, INPUTS, LABELS, 0, CFG)
    with pytest.raises(ValueError, match="seeds"):
        train_batched("one-layer", VOCAB, INPUTS, LABELS, 2, CFG, seeds=[1])
    with pytest.raises(ValueError, match="lrs"):
        train_batched("one-layer", VOCAB, INPUTS, LABELS, 2, CFG, lrs=[0.1, 0.1, 0.1])
    assert np.all(np.isfinite(runs[0]["final_loss"]))
