"""Task generators, models and recall probes of the training-dynamics experiments (issue 7)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from empirical.measure import recall_probes as rp
from empirical.models.memories.factual import (
    LinearAttentionConfig,
    LinearAttentionFactual,
    OneLayerFactual,
    OneLayerFactualConfig,
)
from empirical.models.memories.two_layer import TwoLayerConfig, TwoLayerTransformer
from empirical.tasks import factual_recall as fr
from empirical.tasks import noisy_recall as nr
from empirical.tasks.tiered_zipf import tiered_zipf_data, zipf_memory_data
from empirical.tasks.tokens import IGNORE
from memtheory import dynamics as dyn


# ------------------------------------------------------------------ factual recall generator
@given(
    S=st.integers(1, 12),
    R=st.integers(1, 6),
    D=st.integers(1, 6),
    n_noise=st.integers(1, 10),
    T=st.integers(3, 20),
    seed=st.integers(0, 10_000),
)
def test_factual_batch_invariants(S, R, D, n_noise, T, seed):
    task = fr.FactualRecallTask(S, R, D, n_noise, T)
    facts = fr.make_facts(task, seed)
    assert facts.shape == (S, R) and facts.size == task.n_facts == S * R
    b = fr.sample_batch(task, facts, 64, np.random.default_rng(seed))
    x = b.inputs.numpy()
    is_subj = x < S
    is_rel = (x >= S) & (x < S + R)
    assert (is_subj.sum(1) == 1).all(), "exactly one subject per sequence"
    assert (is_rel.sum(1) == 1).all(), "exactly one relation per sequence"
    assert (x[:, -1] == task.eos).all() and (x[:, :-1] != task.eos).all()
    assert (b.subject_pos != b.relation_pos).all() and (b.relation_pos <= T - 2).all()
    ans = b.answers.numpy()
    assert (ans // D == b.relations.numpy()).all(), "answer in its relation's block"
    assert (ans == facts[b.subjects.numpy(), b.relations.numpy()]).all()
    assert (b.labels[:, -1] == b.answers).all() and (b.labels[:, :-1] == IGNORE).all()
    assert task.vocab_size == S + R + n_noise + 1 and task.n_answers == R * D


def test_factual_all_facts_and_structured():
    task = fr.FactualRecallTask(16, 4, 8, 20, 32, structured=True)
    facts = fr.make_facts(task)
    s, r = np.meshgrid(np.arange(16), np.arange(4), indexing="ij")
    np.testing.assert_array_equal(facts, (s * 8) // 16 + 8 * r)
    b = fr.all_facts_batch(task, facts, np.random.default_rng(0))
    pairs = set(zip(b.subjects.tolist(), b.relations.tolist(), strict=True))
    assert len(pairs) == task.n_facts == 64
    assert math.isclose(task.fact_bits, 64 * 3.0)


def test_factual_seeded():
    task = fr.FactualRecallTask(5, 3, 4, 6, 10)
    f1, f2 = fr.make_facts(task, 3), fr.make_facts(task, 3)
    np.testing.assert_array_equal(f1, f2)
    a = fr.sample_batch(task, f1, 8, np.random.default_rng(1))
    b = fr.sample_batch(task, f2, 8, np.random.default_rng(1))
    assert torch.equal(a.inputs, b.inputs) and torch.equal(a.labels, b.labels)


@pytest.mark.parametrize(
    "kwargs", [dict(n_subjects=0), dict(seq_len=2), dict(n_noise=0), dict(answers_per_relation=0)]
)
def test_factual_bad_sizes(kwargs):
    base = dict(n_subjects=4, n_relations=2, answers_per_relation=3, n_noise=5, seq_len=8)
    base.update(kwargs)
    with pytest.raises(ValueError):
        fr.FactualRecallTask(**base)


# ------------------------------------------------------------------ noisy in-context recall
def test_noise_frequency_within_hoeffding_bound():
    """Each trigger occurrence flips an independent alpha-coin, so by Hoeffding
    P(|p_hat - alpha| >= eps) <= 2 exp(-2 n eps^2); eps = sqrt(ln(2/delta) / (2n)), delta = 1e-6."""
    for alpha in (0.1, 0.3, 0.5):
        task = nr.NoisyRecallTask(vocab_size=32, seq_len=64, alpha=alpha, language_seed=1)
        lang = nr.build_language(task)
        b = nr.sample_batch(task, lang, 256, np.random.default_rng(int(alpha * 100)))
        n = int(b.trigger_next.sum())
        p_hat = float(b.noise_next.sum()) / n
        eps = math.sqrt(math.log(2 / 1e-6) / (2 * n))
        assert n > 1000
        assert abs(p_hat - alpha) < eps, (alpha, p_hat, eps, n)


def test_noisy_batch_invariants():
    task = nr.NoisyRecallTask(vocab_size=16, seq_len=40, n_triggers=2, alpha=0.4)
    lang = nr.build_language(task)
    b = nr.sample_batch(task, lang, 128, np.random.default_rng(0))
    x, T = b.inputs.numpy(), task.seq_len
    trig = np.isin(x, lang.triggers)
    nxt = np.roll(x, -1, axis=1)
    noise = b.noise_next.numpy()
    assert (nxt[noise] == task.noise_token).all()
    # after a trigger and no noise coin, the next token is that sequence's answer for the trigger
    tn = b.trigger_next.numpy() & ~noise
    rows, cols = np.nonzero(tn)
    qi = np.array([list(lang.triggers).index(v) for v in x[rows, cols]], dtype=np.int64)
    assert (nxt[rows, cols] == b.outputs.numpy()[rows, qi]).all()
    # loss only at trigger positions, second occurrence onward, and never at the last position
    lab = b.labels.numpy() != IGNORE
    assert (trig[lab]).all() and not lab[:, T - 1].any()
    for i in range(8):
        for t in np.nonzero(lab[i])[0]:
            assert (x[i, : t + 1] == x[i, t]).sum() >= 2
    assert not np.isin(b.outputs.numpy(), np.append(lang.triggers, task.noise_token)).any()
    assert b.answer_in_context.numpy()[~lab].sum() == 0


def test_clean_set_has_no_noise():
    task = nr.NoisyRecallTask(vocab_size=16, seq_len=32, alpha=0.5)
    lang = nr.build_language(task)
    b = nr.sample_batch(task, lang, 64, np.random.default_rng(0), alpha=0.0)
    assert int(b.noise_next.sum()) == 0
    m = b.labels != IGNORE
    assert torch.equal(b.labels[m], b.answers[m])


def test_noisy_seeded_and_bad_config():
    task = nr.NoisyRecallTask(vocab_size=16, seq_len=20)
    lang = nr.build_language(task)
    a = nr.sample_batch(task, lang, 4, np.random.default_rng(5))
    b = nr.sample_batch(task, nr.build_language(task), 4, np.random.default_rng(5))
    assert torch.equal(a.inputs, b.inputs)
    for bad in (dict(alpha=1.0), dict(alpha=-0.1), dict(noise_token=16), dict(loss_on="x")):
        with pytest.raises(ValueError):
            nr.NoisyRecallTask(vocab_size=16, **bad)


# ------------------------------------------------------------------ tiered Zipf and Zipf memory
@pytest.mark.parametrize("m", [3, 5])
def test_tiered_zipf_data(m):
    data = tiered_zipf_data(m, seed=0)
    n, d, c = m * 2**m, (m + 1) * 2**m, 2**m - 1
    assert data.X.shape == (n, d) and data.y.shape == (n,)
    assert ((data.X >= 0) & (data.X < 1)).all()
    counts = np.bincount(data.y, minlength=c)
    assert counts.max() / counts.min() == 2 ** (m - 1)
    for t in range(m):  # each tier holds 1/m of the samples
        assert np.isin(data.y, np.nonzero(data.tier == t)[0]).sum() == n // m
    np.testing.assert_array_equal(data.X, tiered_zipf_data(m, seed=0).X)


def test_zipf_memory_data():
    a = zipf_memory_data(16, None, 16, 1.0, seed=2, unembedding="onehot")
    np.testing.assert_array_equal(a.targets, np.arange(16))
    np.testing.assert_array_equal(a.U, np.eye(16))
    assert math.isclose(a.p.sum(), 1.0) and (np.diff(a.p) <= 0).all()
    with pytest.raises(ValueError):
        zipf_memory_data(16, None, 8, unembedding="onehot")


# ------------------------------------------------------------------ models
def test_one_layer_param_count_and_ablation():
    cfg = OneLayerFactualConfig(
        vocab_size=20, n_out=12, d_model=8, n_heads=3, d_head=4, mlp_width=5
    )
    model = OneLayerFactual(cfg)
    weights = sum(p.numel() for n, p in model.named_parameters() if n != "b1")
    assert weights == cfg.paper_params == 4 * 3 * 4 * 8 + 2 * 5 * 8
    x = torch.randint(0, 20, (6, 7))
    p = model.parts(x)
    logits = model(x)
    np.testing.assert_allclose(
        logits.detach(), ((p["x"] + p["attn"] + p["mlp"]) @ model.unembed.T).detach(), atol=1e-6
    )
    np.testing.assert_allclose(
        model(x, ablate="mlp").detach(),
        ((p["x"] + p["attn"]) @ model.unembed.T).detach(),
        atol=1e-6,
    )
    with pytest.raises(ValueError):
        OneLayerFactualConfig(vocab_size=5, n_out=3, n_heads=0, mlp_width=0)


def test_linear_attention_is_the_sum_formula():
    cfg = LinearAttentionConfig(vocab_size=7, n_out=4, init=0.0)
    model = LinearAttentionFactual(cfg)
    with torch.no_grad():
        model.a.copy_(torch.randn(7, dtype=torch.float64))
        model.v.copy_(torch.randn(7, 4, dtype=torch.float64))
    x = torch.randint(0, 7, (3, 5))
    onehot = torch.nn.functional.one_hot(x, 7).double()
    explicit = torch.einsum("btv,v,bto->bo", onehot, model.a, onehot @ model.v)
    np.testing.assert_allclose(model(x).detach(), explicit.detach(), rtol=1e-12)


def test_two_layer_parts_and_override():
    model = TwoLayerTransformer(TwoLayerConfig(vocab_size=10, seq_len=9, d_model=8, seed=1))
    x = torch.randint(0, 10, (2, 9))
    logits, parts = model(x, return_parts=True)
    h = parts["embed"] + parts["attn1"] + parts["ff1"] + parts["attn2"] + parts["ff2"]
    np.testing.assert_allclose(logits.detach(), (h @ model.unembed.T).detach(), atol=1e-5)
    _, p0 = model(x, return_parts=True, ff_override={2: None})
    assert float(p0["ff2"].abs().max()) == 0.0
    with pytest.raises(ValueError):
        TwoLayerConfig(ff_layers=(3,))


@pytest.mark.parametrize("ff_layers", [(1, 2), (1,), (2,)])
def test_two_layer_labelled_logits_are_the_forward_at_labelled_rows(ff_layers):
    from tests.conftest import tolerance

    cfg = TwoLayerConfig(vocab_size=10, seq_len=9, d_model=8, ff_layers=ff_layers, seed=2)
    model = TwoLayerTransformer(cfg).double()
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 10, (4, 9), generator=g)
    y = torch.randint(0, 10, (4, 9), generator=g)
    y[torch.rand(4, 9, generator=g) < 0.7] = IGNORE
    logits, labels = model.labelled_logits(x, y, IGNORE)
    mask = y != IGNORE
    assert torch.equal(labels, y[mask])
    np.testing.assert_allclose(
        logits.detach(), model(x)[mask].detach(), **tolerance("float64", "exact")
    )


# ------------------------------------------------------------------ recall probes
def test_low_rank_matches_theory_and_eckart_young():
    g = torch.Generator().manual_seed(0)
    W = torch.randn(6, 9, generator=g, dtype=torch.float64)
    for rho in (0.0, 0.2, 0.5, 1.0):
        np.testing.assert_allclose(
            rp.truncate(W, rho).numpy(), dyn.low_rank_truncation(W.numpy(), rho), atol=1e-12
        )
    for r in range(7):
        err = float(torch.linalg.matrix_norm(W - rp.low_rank(W, r)))
        np.testing.assert_allclose(err, dyn.truncation_error(W.numpy(), r), rtol=1e-10)
    assert float(rp.low_rank(W, 0).abs().max()) == 0.0
    np.testing.assert_allclose(rp.low_rank(W, 6).numpy(), W.numpy())


def test_associative_readout_recovers_stored_pairs():
    rng = np.random.default_rng(0)
    d, n = 32, 10
    E = torch.as_tensor(np.linalg.qr(rng.standard_normal((d, d)))[0][:n])
    U = torch.as_tensor(np.linalg.qr(rng.standard_normal((d, d)))[0][:n])
    target = torch.as_tensor(rng.permutation(n))
    W = sum(torch.outer(U[target[i]], E[i]) for i in range(n))
    S = rp.associative_scores(W, E, U)
    assert rp.recall_accuracy(S, target) == 1.0
    np.testing.assert_allclose(rp.recall_margins(S, target).numpy(), 1.0, atol=1e-12)
    # the W_O W_V probe: identity map through (wo @ wv) recalls every token
    eye = torch.eye(d, dtype=torch.float64)
    assert rp.output_memory_probe(eye, eye, E, E, torch.arange(n)) == 1.0
    assert rp.output_memory_probe(eye, -eye, E, E, torch.arange(n)) == 0.0
    # the W_K^2 probe: identity key memory matches each query to its own token
    assert rp.key_memory_probe(eye, eye, eye, E, torch.arange(3), torch.arange(n)) == 1.0
    assert rp.key_memory_probe(-eye, eye, eye, E, torch.arange(3), torch.arange(n)) == 0.0
    with pytest.raises(ValueError):
        rp.key_memory_probe(eye, eye, eye, E, torch.tensor([5]), torch.arange(3))


def test_previous_token_probe():
    T = 8
    P = torch.eye(T, dtype=torch.float64)
    shift = torch.zeros(T, T, dtype=torch.float64)
    shift[torch.arange(1, T), torch.arange(T - 1)] = 1.0  # W p_s = p_{s+1}
    assert rp.previous_token_probe(shift, P) == 1.0
    assert rp.previous_token_probe(torch.eye(T, dtype=torch.float64), P) == 0.0
