"""Models: shapes, tying, freezing, the SSM scan, Node2Vec's Lemma 5 gradient, bad configs."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from empirical.models import MODEL_NAMES, build_model, model_config, node2vec_objective
from empirical.models.mamba import selective_scan, selective_scan_reference
from empirical.models.transformer import sinusoidal_positions
from empirical.tasks.edges import edge_dataset
from empirical.training.train import masked_loss
from memtheory.graphs import cycle, irregular, path_star

VOCAB = 17 + 9


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny tensors: one intra-op thread is much faster on a shared 2-core machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_shapes_tying_and_embedding(name):
    model = build_model(name, VOCAB, max_len=8, seed=0)
    x = torch.randint(0, VOCAB, (3, 5), generator=torch.Generator().manual_seed(1))
    logits = model(x)
    assert logits.shape == (3, 5, VOCAB)
    assert torch.isfinite(logits).all()
    E = model.token_embedding
    assert isinstance(E, torch.nn.Parameter) and E.shape[0] == VOCAB
    assert E.requires_grad == (not name.endswith("-frozen"))
    # tied: the output layer is the embedding itself (no separate head parameter)
    if hasattr(model, "output_weight"):
        assert model.output_weight is E
    assert not any(p is not E and p.shape == E.shape for p in model.parameters())


@pytest.mark.parametrize("name", ["transformer-frozen", "mamba-frozen", "one-layer-frozen"])
def test_frozen_embedding_unchanged_after_a_step_while_rest_trains(name):
    model = build_model(name, VOCAB, seed=0)
    inputs, labels = edge_dataset(path_star(4, 5))
    E0 = model.token_embedding.detach().clone()
    others0 = [p.detach().clone() for p in model.parameters() if p.requires_grad]
    assert others0, "the frozen control must keep trainable weights"
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    masked_loss(model(inputs), labels).backward()
    opt.step()
    assert torch.equal(model.token_embedding.detach(), E0)
    moved = [
        not torch.equal(p0, p.detach())
        for p0, p in zip(others0, (p for p in model.parameters() if p.requires_grad), strict=True)
    ]
    assert any(moved)


def test_trained_embedding_moves_and_untied_head_is_separate():
    model = build_model("transformer", VOCAB, seed=0)
    inputs, labels = edge_dataset(path_star(4, 5))
    E0 = model.token_embedding.detach().clone()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    masked_loss(model(inputs), labels).backward()
    opt.step()
    assert not torch.equal(model.token_embedding.detach(), E0)
    untied = build_model("transformer", VOCAB, seed=0, tie_embeddings=False)
    assert untied.output_weight is not untied.token_embedding


def test_one_layer_formula_and_context_ignored():
    model = build_model("one-layer", VOCAB, seed=3, d_model=8)
    E, W, b = model.token_embedding.detach(), model.W.detach(), model.b.detach()
    x = torch.tensor([[VOCAB - 2, 4], [0, 4]])
    want = (E[4] @ W.T + b) @ E.T
    logits = model(x)
    torch.testing.assert_close(logits[0, 1], want, rtol=1e-6, atol=1e-7)
    torch.testing.assert_close(logits[1, 1], want, rtol=1e-6, atol=1e-7)


def test_node2vec_logits_are_VVt():
    model = build_model("node2vec", 12, seed=0, dim=5)
    V = model.token_embedding.detach()
    x = torch.arange(12)[:, None]
    torch.testing.assert_close(model(x)[:, 0], V @ V.T, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("pos", ["learned", "sinusoidal", "none"])
def test_transformer_is_causal(pos):
    model = build_model("transformer", VOCAB, max_len=8, seed=0, pos=pos, n_head=2)
    model.eval()
    x = torch.randint(0, VOCAB, (2, 6), generator=torch.Generator().manual_seed(0))
    y = x.clone()
    y[:, 4:] = (y[:, 4:] + 1) % VOCAB
    torch.testing.assert_close(model(x)[:, :4], model(y)[:, :4], rtol=0, atol=1e-6)
    assert not torch.allclose(model(x)[:, 4], model(y)[:, 4])


def test_transformer_switches_and_init_scales():
    for kw in (
        {"attention": False},
        {"mlp": False},
        {"residual": False},
        {"layernorm": False},
        {"attention": False, "residual": False, "layernorm": False, "pos": "none"},
    ):
        model = build_model("transformer", VOCAB, seed=0, **kw)
        assert model(torch.zeros(2, 3, dtype=torch.long)).shape == (2, 3, VOCAB)
    default = build_model("transformer", 500, seed=0, d_model=64).token_embedding
    non_geo = build_model("transformer", 500, seed=0, d_model=64, init="non_geometric")
    assert abs(default.std().item() - 0.02) < 0.002
    assert abs(non_geo.token_embedding.std().item() - 1.0) < 0.05
    assert abs(non_geo.blocks[0].mlp.c_fc.weight.std().item() - 0.02) < 0.002


def test_sinusoidal_table():
    pe = sinusoidal_positions(10, 6).double()
    t = 7
    assert_allclose(pe[t, 0].item(), np.sin(t), rtol=1e-6)
    assert_allclose(pe[t, 3].item(), np.cos(t / 10000 ** (2 / 6)), rtol=1e-6)


def test_selective_scan_matches_reference_recurrence():
    g = torch.Generator().manual_seed(0)
    for T in (1, 2, 5, 8, 13):
        b, di, n = 3, 6, 4
        x = torch.randn(b, T, di, generator=g, dtype=torch.float64)
        delta = torch.rand(b, T, di, generator=g, dtype=torch.float64)
        A = -3 * torch.rand(di, n, generator=g, dtype=torch.float64)
        B = torch.randn(b, T, n, generator=g, dtype=torch.float64)
        C = torch.randn(b, T, n, generator=g, dtype=torch.float64)
        D = torch.randn(di, generator=g, dtype=torch.float64)
        fast = selective_scan(x, delta, A, B, C, D)
        slow = selective_scan_reference(x, delta, A, B, C, D)
        assert_allclose(fast.numpy(), slow.numpy(), rtol=1e-12, atol=1e-12)
        # the state part is not negligible, so this compares the scan, not just D * x
        assert (slow - D * x).abs().max() > 0.1


def test_mamba_model_parallel_equals_reference_with_gradients():
    model = build_model("mamba", VOCAB, seed=0, d_state=8, n_layer=2).double()
    with torch.no_grad():  # make the SSM path matter: larger B/C/x projections
        for block in model.blocks:
            block.mixer.x_proj.weight.mul_(25)
            block.mixer.in_proj.weight.mul_(25)
    x = torch.randint(0, VOCAB, (4, 11), generator=torch.Generator().manual_seed(2))
    fast = model(x)
    slow = model(x, scan="reference")
    assert_allclose(fast.detach().numpy(), slow.detach().numpy(), rtol=1e-10, atol=1e-10)
    g_fast = torch.autograd.grad(fast.square().sum(), model.blocks[0].mixer.A_log)[0]
    g_slow = torch.autograd.grad(slow.square().sum(), model.blocks[0].mixer.A_log)[0]
    assert g_slow.abs().max() > 0
    assert_allclose(g_fast.numpy(), g_slow.numpy(), rtol=1e-8, atol=1e-12)


def test_mamba_residual_flag():
    on = build_model("mamba", VOCAB, seed=0)
    off = build_model("mamba", VOCAB, seed=0, residual=False)
    x = torch.randint(0, VOCAB, (2, 4))
    assert on.blocks[0].residual and not off.blocks[0].residual
    assert not torch.allclose(on(x), off(x))


def lemma5_C(V: np.ndarray, A: np.ndarray) -> np.ndarray:
    """C = (D^-1 A - P) + (D^-1 A - P)^T, P = row_softmax(V V^T) (arXiv 2510.26745, Eq. 3)."""
    S = V @ V.T
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    M = A / A.sum(axis=1, keepdims=True) - P
    return M + M.T


@pytest.mark.parametrize("graph", [cycle(7), irregular(), path_star(3, 3)], ids=lambda g: g.name)
def test_node2vec_autograd_gradient_is_lemma5(graph):
    A = graph.adjacency().toarray()
    rng = np.random.default_rng(0)
    V = torch.tensor(rng.normal(scale=0.7, size=(graph.n, 5)), requires_grad=True)
    J = node2vec_objective(V, graph.adjacency())
    (grad,) = torch.autograd.grad(J, V)
    want = lemma5_C(V.detach().numpy(), A) @ V.detach().numpy()
    assert_allclose(grad.numpy(), want, rtol=1e-12, atol=1e-12)


def test_node2vec_objective_matches_weighted_edge_loss():
    """Eq. 1 equals -n times the 1/deg-weighted edge cross-entropy of the Node2Vec model."""
    from empirical.tasks.edges import eq1_weights

    graph = irregular()
    model = build_model("node2vec", graph.n, seed=0, dim=6).double()
    inputs, labels = edge_dataset(graph, prefix=False)
    loss = masked_loss(model(inputs), labels, eq1_weights(graph))
    J = node2vec_objective(model.token_embedding, graph.adjacency())
    assert_allclose(loss.item(), -J.item() / graph.n, rtol=1e-12)


def test_autograd_gradient_equals_memtheory_lemma5_operator():
    """The torch objective's gradient is memtheory.spectral's C V (arXiv 2510.26745, Eq. 3)."""
    from memtheory.spectral import lemma5_operator

    graph = path_star(4, 5)
    rng = np.random.default_rng(1)
    V = torch.tensor(rng.normal(size=(graph.n, 7)), requires_grad=True)
    (grad,) = torch.autograd.grad(node2vec_objective(V, graph.adjacency()), V)
    V_np = V.detach().numpy()
    C = lemma5_operator(graph, V_np)
    assert_allclose(C, lemma5_C(V_np, graph.adjacency().toarray()), rtol=1e-12, atol=1e-12)
    assert_allclose(grad.numpy(), C @ V_np, rtol=1e-12, atol=1e-12)


def test_node2vec_objective_rejects_isolated_node():
    A = np.zeros((3, 3))
    A[0, 1] = A[1, 0] = 1
    with pytest.raises(ValueError, match="isolated"):
        node2vec_objective(torch.zeros(3, 2, dtype=torch.float64), A)


@pytest.mark.parametrize(
    ("name", "kw", "match"),
    [
        ("gpt", {}, "model must be one of"),
        ("transformer", {"d_model": 0}, "d_model"),
        ("transformer", {"d_model": -4}, "d_model"),
        ("transformer", {"n_head": 3}, "divisible"),
        ("mamba", {"d_state": 0}, "d_state"),
        ("one-layer", {"d_model": 0}, "d_model"),
        ("node2vec", {"dim": 0}, "dim"),
        ("node2vec", {"freeze_embeddings": True}, "unknown option"),
        ("transformer", {"widht": 3}, "unknown option"),
        ("transformer", {"init": "xavier"}, "init"),
        ("transformer", {"pos": "rotary"}, "pos"),
        ("one-layer-frozen", {"freeze_embeddings": False}, "freezes"),
        ("transformer", {"dropout": 1.0}, "dropout"),
    ],
)
def test_bad_configs_raise_value_error(name, kw, match):
    with pytest.raises(ValueError, match=match):
        build_model(name, VOCAB, **kw)
    with pytest.raises(ValueError):
        model_config(name, VOCAB, **kw)


def test_bad_vocab_and_seed_reproducibility():
    with pytest.raises(ValueError, match="vocab_size"):
        build_model("one-layer", 0)
    a = build_model("transformer", VOCAB, seed=5)
    state = torch.get_rng_state()
    b = build_model("transformer", VOCAB, seed=5)
    assert torch.equal(state, torch.get_rng_state())  # seeded build leaves the global RNG alone
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
