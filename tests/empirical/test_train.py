"""Training loop: determinism, resume == uninterrupted (bitwise), Ctrl-C, schedule, Eq. 1 step,
and the probes on a trained model."""

import os
import signal

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from empirical.measure import probes
from empirical.models import build_model
from empirical.tasks.edges import edge_dataset, eq1_weights
from empirical.training.train import TrainConfig, lr_at, resolve_device, set_seed, train
from memtheory.graphs import cycle, irregular, path_star


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def params_of(model):
    return [p.detach().clone() for p in model.state_dict().values()]


def assert_same_params(a, b):
    for x, y in zip(params_of(a), params_of(b), strict=True):
        assert torch.equal(x, y)


def _data():
    return edge_dataset(path_star(4, 5))  # 32 rows, vocab 26


def test_same_seed_same_numbers():
    inputs, labels = _data()
    cfg = TrainConfig(steps=15, batch_size=8, seed=3, eval_every=5, progress=False)
    runs = []
    for _ in range(2):
        model = build_model("one-layer", 26, seed=1, dropout=0.1)
        runs.append((model, train(model, inputs, labels, cfg)))
    assert_same_params(runs[0][0], runs[1][0])
    assert [r["loss"] for r in runs[0][1]["history"]] == [r["loss"] for r in runs[1][1]["history"]]
    # another data seed gives other numbers
    model = build_model("one-layer", 26, seed=1, dropout=0.1)
    train(model, inputs, labels, TrainConfig(steps=15, batch_size=8, seed=4, progress=False))
    assert not torch.equal(model.W, runs[0][0].W)


RESUME_CFG = dict(
    steps=12,
    batch_size=10,
    schedule="cosine",
    warmup=3,
    seed=2,
    eval_steps=[0, 1, 5, 9],
    weight_decay=0.01,
    grad_clip=1.0,
    progress=False,
)


def _eval(model, step):
    return {"norm": float(model.token_embedding.norm())}


def _uninterrupted(name, **kw):
    inputs, labels = _data()
    model = build_model(name, 26, seed=0, **kw)
    return model, train(model, inputs, labels, TrainConfig(**RESUME_CFG), eval_fn=_eval)


@pytest.mark.parametrize("name", ["transformer", "one-layer"])
def test_resume_after_interrupt_in_eval_equals_uninterrupted(tmp_path, name):
    kw = {"dropout": 0.2}
    ref_model, ref = _uninterrupted(name, **kw)
    inputs, labels = _data()
    ckpt = tmp_path / "ckpt.pt"

    def interrupting(model, step):
        if step == 5:
            raise KeyboardInterrupt
        return _eval(model, step)

    model = build_model(name, 26, seed=0, **kw)
    with pytest.raises(KeyboardInterrupt):
        train(model, inputs, labels, TrainConfig(**RESUME_CFG), interrupting, ckpt)
    assert ckpt.exists()
    fresh = build_model(name, 26, seed=99, **kw)  # weights come from the checkpoint
    out = train(
        fresh, inputs, labels, TrainConfig(**RESUME_CFG), eval_fn=_eval, checkpoint_path=ckpt
    )
    assert out["resumed_from"] == 5
    assert_same_params(fresh, ref_model)
    assert out["history"] == ref["history"]
    assert out["final_loss"] == ref["final_loss"]


def test_ctrl_c_saves_and_resumes_bitwise(tmp_path):
    ref_model, ref = _uninterrupted("mamba")
    inputs, labels = _data()
    ckpt = tmp_path / "run" / "ckpt.pt"

    def sigint_at_1(model, step):
        if step == 1:
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C does
        return _eval(model, step)

    model = build_model("mamba", 26, seed=0)
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        train(model, inputs, labels, TrainConfig(**RESUME_CFG), sigint_at_1, ckpt)
    assert signal.getsignal(signal.SIGINT) is before  # handler restored
    state = torch.load(ckpt, weights_only=False)
    assert state["step"] == 2  # the step in progress was finished, then saved
    fresh = build_model("mamba", 26, seed=7)
    out = train(fresh, inputs, labels, TrainConfig(**RESUME_CFG), _eval, ckpt)
    assert_same_params(fresh, ref_model)
    assert out["history"] == ref["history"]


def test_periodic_checkpoint_and_config_mismatch(tmp_path):
    inputs, labels = _data()
    ckpt = tmp_path / "c.pt"
    cfg = TrainConfig(steps=6, checkpoint_every=2, progress=False)
    train(build_model("one-layer", 26, seed=0), inputs, labels, cfg, checkpoint_path=ckpt)
    assert torch.load(ckpt, weights_only=False)["step"] == 7  # finished run
    assert not list(tmp_path.glob(".*tmp"))  # atomic writes leave no temp file
    with pytest.raises(ValueError, match="another config"):
        train(
            build_model("one-layer", 26),
            inputs,
            labels,
            TrainConfig(steps=6, lr=0.5, progress=False),
            checkpoint_path=ckpt,
        )
    # a finished checkpoint resumes to the same parameters without training
    a = build_model("one-layer", 26, seed=5)
    out = train(a, inputs, labels, cfg, checkpoint_path=ckpt)
    b = build_model("one-layer", 26, seed=0)
    train(b, inputs, labels, cfg)
    assert_same_params(a, b)
    assert out["resumed_from"] == 7


def test_schedule_and_history_steps():
    cfg = TrainConfig(
        steps=11,
        lr=1.0,
        schedule="cosine",
        warmup=1,
        min_lr_ratio=0.1,
        eval_steps=[0, 2, 3],
        progress=False,
    )
    assert lr_at(cfg, 0) == 1.0
    assert_allclose(lr_at(cfg, 1), 1.0)
    assert_allclose(lr_at(cfg, 6), 0.1 + 0.9 * 0.5, rtol=1e-12)
    assert_allclose(lr_at(cfg, 11), 0.1, rtol=1e-12)
    warm = TrainConfig(steps=10, lr=2.0, warmup=4)
    assert [lr_at(warm, s) for s in range(5)] == [0.5, 1.0, 1.5, 2.0, 2.0]
    inputs, labels = _data()
    out = train(build_model("node2vec", 26, seed=0, dim=8), inputs, labels, cfg)
    assert [r["step"] for r in out["history"]] == [0, 2, 3, 11]
    assert out["history"][0]["lr"] == 1.0
    assert out["tokens_per_sec"] > 0 and out["steps"] == 11


def test_node2vec_sgd_step_is_lemma5_update():
    """One full-batch GD step on the 1/deg-weighted loss with lr = n*eta is V + eta C V."""
    from tests.empirical.test_models import lemma5_C

    graph, eta = irregular(), 0.05
    model = build_model("node2vec", graph.n, seed=0, dim=6, init_std=0.5)
    V0 = model.token_embedding.detach().double().numpy().copy()
    inputs, labels = edge_dataset(graph, prefix=False)
    cfg = TrainConfig(steps=1, lr=graph.n * eta, optimizer="sgd", dtype="float64", progress=False)
    train(model, inputs, labels, cfg, sample_weights=eq1_weights(graph))
    want = V0 + eta * lemma5_C(V0, graph.adjacency().toarray()) @ V0
    assert model.token_embedding.dtype == torch.float64
    assert_allclose(model.token_embedding.detach().numpy(), want, rtol=1e-12, atol=1e-12)


def test_memorizes_and_probes():
    graph = cycle(15)
    inputs, labels = edge_dataset(graph)
    model = build_model("one-layer", graph.n + 9, seed=0, d_model=32)
    out = train(model, inputs, labels, TrainConfig(steps=300, eval_every=0, progress=False))
    assert out["final_loss"] < 0.75  # log 2 = 0.693 is the floor with two targets per node
    edges = graph.directed_edges()
    report = probes.geometry_report(model, edges, graph.n)
    assert report["topk_recovery"] == 1.0
    assert -1 <= report["mean_edge_cosine"] <= 1
    assert 0 <= report["skewed_top1"] <= 1
    E, W, b = probes.one_layer_weights(model, graph.n)
    assert E.dtype == np.float64 and E.shape == (15, 32) and W.shape == (32, 32)
    Z = probes.logit_matrix(model, graph.n)
    assert_allclose(Z, (E @ W.T + b) @ E.T, rtol=1e-4, atol=1e-4)
    # the skewed probe's full logits are the model's: W is passed transposed
    skew = probes.skewed_probe(model, edges, graph.n)
    from memtheory.geometry import edge_top1_margin

    assert_allclose(skew["full_margin"], edge_top1_margin(Z, edges).margin, rtol=1e-4)


def test_logit_matrix_uses_edge_prefix_for_sequence_models():
    graph = path_star(4, 5)
    model = build_model("transformer", graph.n + 9, seed=0)
    Z = probes.logit_matrix(model, graph.n)
    x = torch.tensor([[graph.n + 7, 3]])
    assert_allclose(Z[3], model.eval()(x)[0, 1, : graph.n].detach().numpy(), rtol=1e-5, atol=1e-6)
    assert probes.embeddings(model).shape == (graph.n + 9, 32)
    with pytest.raises(ValueError, match="not a one-layer"):
        probes.one_layer_weights(model)


def test_bad_training_configs():
    with pytest.raises(ValueError, match="optimizer"):
        TrainConfig(steps=1, optimizer="adam")
    with pytest.raises(ValueError, match="lr"):
        TrainConfig(steps=1, lr=-1)
    with pytest.raises(ValueError, match="batch_size"):
        TrainConfig(steps=1, batch_size=0)
    with pytest.raises(ValueError, match="device"):
        resolve_device("tpu")
    inputs, labels = _data()
    model = build_model("one-layer-frozen", 26, bias=False)
    with pytest.raises(ValueError, match="same non-empty shape"):
        train(model, inputs, labels[:, :1], TrainConfig(steps=1, progress=False))
    with pytest.raises(ValueError, match="all IGNORE"):
        train(model, inputs, torch.full_like(labels, -100), TrainConfig(steps=1, progress=False))
    node2vec = build_model("node2vec", 26)
    node2vec.token_embedding.requires_grad_(False)
    with pytest.raises(ValueError, match="no trainable"):
        train(node2vec, inputs, labels, TrainConfig(steps=1, progress=False))


def test_set_seed_and_device():
    set_seed(4)
    a = torch.rand(3)
    set_seed(4)
    assert torch.equal(a, torch.rand(3))
    assert resolve_device("auto").type in ("cpu", "cuda")
    assert resolve_device("cpu").type == "cpu"


def test_dataset_loss_in_chunks_equals_one_pass():
    from empirical.training.train import dataset_loss, masked_loss

    graph = irregular()
    inputs, labels = edge_dataset(graph)
    w = eq1_weights(graph)
    model = build_model("transformer", graph.n + 9, seed=0).double().eval()
    with torch.no_grad():
        one_pass = masked_loss(model(inputs), labels, w).item()
    chunked = dataset_loss(model, inputs, labels, w, max_logits=100)  # 2 rows per chunk
    assert_allclose(chunked, one_pass, rtol=1e-13)
    assert not model.training


@pytest.mark.parametrize("name", ["transformer", "mamba", "node2vec"])
@pytest.mark.parametrize("weighted", [False, True])
def test_model_loss_heads_labelled_positions_only_same_value(name, weighted):
    from empirical.training.train import masked_loss, model_loss

    graph = irregular()
    inputs, labels = edge_dataset(graph)
    w = eq1_weights(graph) if weighted else None
    model = build_model(name, graph.n + 9, seed=0).double()
    full = masked_loss(model(inputs), labels, w)
    fast = model_loss(model, inputs, labels, w)
    assert_allclose(fast.item(), full.item(), rtol=1e-13)
    (g_full,) = torch.autograd.grad(full, model.token_embedding)
    (g_fast,) = torch.autograd.grad(fast, model.token_embedding)
    assert_allclose(g_fast.numpy(), g_full.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name", ["transformer", "mamba"])
def test_trimmed_rows_same_loss_and_gradients(name):
    """trim_rows: rows read up to their last label (edge rows of the path-star mix end at
    position 1) give the loss and every gradient of the full rows (float64)."""
    from empirical.tasks.pathstar import make_pathstar, mix_examples
    from empirical.training.train import _trimmed_features, model_loss

    task = make_pathstar(12, 4, seed=0, n_pause=3)
    x, y = mix_examples(task, 1, False, seed=0)
    rows = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(0))[:48]
    x, y = x[rows], y[rows]
    model = build_model(name, task.vocab.size, max_len=x.shape[1], seed=0, n_layer=2).double()
    losses, grads = [], []
    for trim in (False, True):
        loss = model_loss(model, x, y, None, trim)
        losses.append(loss.item())
        grads.append(torch.autograd.grad(loss, list(model.parameters())))
    assert_allclose(losses[1], losses[0], rtol=1e-13)
    for a, b in zip(*grads, strict=True):
        assert_allclose(b.numpy(), a.numpy(), rtol=1e-10, atol=1e-14)
    # the split really happened: two groups, and the order of the labelled rows is kept
    seen = []

    def features(inp):
        seen.append(tuple(inp.shape))
        return model.features(inp)

    mask = y != -100
    out = _trimmed_features(features, x, mask)
    assert len(seen) == 2 and min(s[1] for s in seen) < x.shape[1]
    assert_allclose(out.detach().numpy(), model.features(x)[mask].detach().numpy(), atol=1e-12)


def test_trim_rows_training_matches_untrimmed():
    from empirical.tasks.pathstar import make_pathstar, mix_examples

    task = make_pathstar(10, 3, seed=1, n_pause=2)
    x, y = mix_examples(task, 1, False, seed=1)
    params = []
    for trim in (False, True):
        model = build_model("transformer", task.vocab.size, max_len=x.shape[1], seed=3)
        cfg = TrainConfig(steps=5, batch_size=16, dtype="float64", progress=False, trim_rows=trim)
        out = train(model, x, y, cfg)
        params.append((out["history"][-1]["loss"], [p.detach() for p in model.parameters()]))
    assert_allclose(params[1][0], params[0][0], rtol=1e-12)
    for a, b in zip(params[0][1], params[1][1], strict=True):
        assert_allclose(b.numpy(), a.numpy(), rtol=1e-9, atol=1e-12)


def test_final_loss_off_same_training_and_profiler_phases(tmp_path):
    """``final_loss=False`` skips only the full-data pass (same parameters and history, and a
    checkpoint resumes across the flag); under ``torch.profiler`` the loop marks its phases."""
    from torch.profiler import ProfilerActivity, profile

    inputs, labels = _data()
    outs, models = [], []
    for final in (True, False):
        model = build_model("transformer", 26, seed=0, d_model=16)
        cfg = TrainConfig(steps=4, batch_size=8, progress=False, final_loss=final)
        outs.append(train(model, inputs, labels, cfg, checkpoint_path=tmp_path / f"{final}.pt"))
        models.append(model)
    assert_same_params(models[0], models[1])
    assert outs[0]["history"] == outs[1]["history"]
    assert outs[0]["final_loss"] > 0 and outs[1]["final_loss"] is None
    model = build_model("transformer", 26, seed=0, d_model=16)
    cfg = TrainConfig(steps=4, batch_size=8, progress=False)  # final_loss on, same fingerprint
    train(model, inputs, labels, cfg, checkpoint_path=tmp_path / "False.pt")
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        model = build_model("transformer", 26, seed=0, d_model=16)
        train(model, inputs, labels, TrainConfig(steps=2, batch_size=8, progress=False))
    names = {e.name for e in prof.events()}
    assert {"train.sample", "train.forward", "train.backward", "train.optimizer"} <= names
