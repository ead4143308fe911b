"""The chunked head cross-entropy against ``F.linear`` + ``F.cross_entropy`` (issue 18)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from empirical.training.head_loss import head_loss
from empirical.training.train import masked_loss, model_loss

TOL = {torch.float64: 1e-12, torch.float32: 1e-5}


def _problem(m, d, vocab, dtype, seed=0):
    gen = torch.Generator().manual_seed(seed)
    feats = torch.randn(m, d, generator=gen, dtype=dtype)
    weight = 0.5 * torch.randn(vocab, d, generator=gen, dtype=dtype)
    targets = torch.randint(0, vocab, (m,), generator=gen)
    weights = torch.rand(m, generator=gen, dtype=dtype) + 0.1
    return feats, weight, targets, weights


def _value_and_grads(fn, feats, weight):
    f, w = feats.clone().requires_grad_(), weight.clone().requires_grad_()
    loss = fn(f, w)
    gf, gw = torch.autograd.grad(loss, (f, w))
    return [loss.detach(), gf, gw]


def _reference(targets, weights):
    def fn(f, w):
        ce = F.cross_entropy(F.linear(f, w), targets, reduction="none")
        return ce.mean() if weights is None else (weights * ce).sum() / weights.sum()

    return fn


def _assert_close(got, want, dtype):
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("chunk_elements", [1, 300, 7 * 50, 10**9])
def test_chunked_matches_plain(dtype, weighted, chunk_elements):
    feats, weight, targets, weights = _problem(23, 5, 50, dtype)
    weights = weights if weighted else None
    got = _value_and_grads(
        lambda f, w: head_loss(f, w, targets, weights, chunk_elements=chunk_elements),
        feats,
        weight,
    )
    _assert_close(got, _value_and_grads(_reference(targets, weights), feats, weight), dtype)


@settings(max_examples=25, deadline=None)
@given(
    m=st.integers(1, 40),
    vocab=st.integers(2, 60),
    rows=st.integers(1, 45),
    seed=st.integers(0, 10**6),
)
def test_chunked_matches_plain_any_shape(m, vocab, rows, seed):
    feats, weight, targets, weights = _problem(m, 3, vocab, torch.float64, seed)
    got = _value_and_grads(
        lambda f, w: head_loss(f, w, targets, weights, chunk_elements=rows * vocab), feats, weight
    )
    want = _value_and_grads(_reference(targets, weights), feats, weight)
    _assert_close(got, want, torch.float64)


def test_gradient_only_where_asked_and_no_grad_loss():
    feats, weight, targets, _ = _problem(30, 4, 40, torch.float64)
    want = _value_and_grads(_reference(targets, None), feats, weight)
    f = feats.clone().requires_grad_()
    loss = head_loss(f, weight, targets, chunk_elements=100)  # frozen head: only F's gradient
    (gf,) = torch.autograd.grad(loss, (f,))
    _assert_close([loss.detach(), gf], want[:2], torch.float64)
    with torch.no_grad():
        value = head_loss(feats, weight, targets, chunk_elements=100)
    _assert_close([value], want[:1], torch.float64)


def test_a_wrong_gradient_would_be_caught():
    """The comparison above can fail: the chunked gradient with one target's -1 left out
    differs from the reference by far more than the tolerance."""
    feats, weight, targets, _ = _problem(12, 4, 30, torch.float64)
    want = _value_and_grads(_reference(targets, None), feats, weight)
    got = _value_and_grads(lambda f, w: head_loss(f, w, targets, chunk_elements=60), feats, weight)
    wrong = got[1].clone()
    wrong[0] += weight[targets[0]] / 12  # G W with G[0, y_0] missing its -1/M
    with pytest.raises(AssertionError):
        _assert_close([wrong], [want[1]], torch.float64)


def test_small_head_is_the_plain_computation_bit_for_bit():
    """Small heads compute what model_loss computed before the chunking, to the last bit,
    with and without position weights (the tiny-graph runs train with Eq. 1 weights)."""
    # seed 1: there sum(w / sum(w) * ce), the form of the first version, differs in the last bit
    feats, weight, targets, weights = _problem(10, 4, 30, torch.float32, seed=1)
    logits = F.linear(feats, weight)
    assert torch.equal(head_loss(feats, weight, targets), F.cross_entropy(logits, targets))
    ce = F.cross_entropy(logits, targets, reduction="none")
    before = (weights * ce).sum() / weights.sum()
    assert torch.equal(head_loss(feats, weight, targets, weights), before)


def test_model_loss_with_row_weights_matches_masked_loss(monkeypatch):
    from empirical.models.transformer import Transformer, TransformerConfig

    torch.manual_seed(0)
    model = Transformer(TransformerConfig(vocab_size=97, max_len=8, d_model=8)).double()
    x = torch.randint(0, 97, (16, 8))
    y = torch.where(torch.rand(16, 8) < 0.4, torch.randint(0, 97, (16, 8)), -100)
    y[:, -1] = 5
    w = torch.rand(16, dtype=torch.float64) + 0.1
    monkeypatch.setattr("empirical.training.head_loss.CHUNK_ELEMENTS", 97 * 3)  # 3 rows a chunk
    got = model_loss(model, x, y, w)
    want = masked_loss(model(x), y, w)
    np.testing.assert_allclose(got.item(), want.item(), rtol=1e-12)


@pytest.mark.parametrize(
    "args, match",
    [
        ((torch.zeros(3, 4), torch.zeros(5, 3), torch.zeros(3, dtype=torch.long)), "share d"),
        ((torch.zeros(3, 4), torch.zeros(5, 4), torch.zeros(2, dtype=torch.long)), "targets"),
    ],
)
def test_bad_shapes_raise(args, match):
    with pytest.raises(ValueError, match=match):
        head_loss(*args)


def _benchmark(*args):
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "head_loss.py"
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_benchmark_prints_the_side_by_side_row():
    out = _benchmark("--quick", "--threads", "1", "--rows", "200")
    assert out.returncode == 0, out.stdout + out.stderr
    row = next(line for line in out.stdout.splitlines() if line.startswith("| 20,010"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert float(cells[4]) < 1e-10  # float64 difference of loss and gradients


def test_benchmark_refuses_bad_input_in_one_line():
    out = _benchmark("--repeats", "0")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "--repeats" in out.stderr
