"""The chunked selective scan equals the sequential recurrence (outputs and all gradients)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from torch.func import vmap

import empirical.models.selective_scan as ss
from empirical.models import build_model
from empirical.models.mamba import MambaConfig, causal_depthwise_conv
from empirical.models.selective_scan import (
    selective_scan,
    selective_scan_hillis_steele,
    selective_scan_reference,
)

VOCAB = 20


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def inputs(b, T, c, n, *, seed=0, dtype=torch.float64, delta_scale=1.0, a_scale=3.0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, T, c, generator=g, dtype=dtype)
    delta = delta_scale * torch.rand(b, T, c, generator=g, dtype=dtype)
    A = -a_scale * torch.rand(c, n, generator=g, dtype=dtype) - 0.05
    B = torch.randn(b, T, n, generator=g, dtype=dtype)
    C = torch.randn(b, T, n, generator=g, dtype=dtype)
    D = torch.randn(c, generator=g, dtype=dtype)
    return [v.requires_grad_() for v in (x, delta, A, B, C, D)]


def outputs_and_grads(fn, args, weight):
    y = fn(*args)
    grads = torch.autograd.grad((y * weight).sum(), args)
    return [y.detach(), *grads]


def assert_same(fast, slow, rtol, atol):
    names = ("y", "dx", "ddelta", "dA", "dB", "dC", "dD")
    for name, a, b in zip(names, fast, slow, strict=True):
        assert_allclose(a.numpy(), b.numpy(), rtol=rtol, atol=atol, err_msg=name)


def compare(args, weight, chunk, rtol=1e-10, atol=1e-10):
    fast = outputs_and_grads(lambda *a: selective_scan(*a, chunk=chunk), args, weight)
    slow = outputs_and_grads(selective_scan_reference, args, weight)
    assert_same(fast, slow, rtol, atol)
    return fast, slow


@pytest.mark.parametrize(
    ("b", "T", "c", "n", "chunk"),
    [
        (3, 1, 5, 4, 64),  # length 1
        (2, 7, 5, 4, 64),  # one chunk
        (2, 7, 5, 4, 3),  # 3 chunks, the last one short
        (4, 10, 3, 2, 4),  # 3 chunks, 10 not divisible by 4
        (1, 9, 2, 3, 1),  # chunks of one step
        (3, 12, 6, 16, 5),
    ],
)
def test_float64_outputs_and_gradients_equal_the_recurrence(b, T, c, n, chunk):
    args = inputs(b, T, c, n, seed=T + chunk)
    weight = torch.randn(b, T, c, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    fast, slow = compare(args, weight, chunk)
    # the state part is not negligible: this compares the scan, not just D * x
    assert (slow[0] - args[5].detach() * args[0].detach()).abs().max() > 0.1
    grads = dict(zip(("dx", "ddelta", "dA", "dB", "dC", "dD"), slow[1:], strict=True))
    if T == 1:  # h_{-1} = 0: A acts through no decay
        assert grads.pop("dA").abs().max() == 0
    assert all(v.abs().max() > 0 for v in grads.values())


@pytest.mark.parametrize("chunk", [64, 3])
def test_float32_equals_the_float32_recurrence(chunk):
    args = inputs(4, 11, 8, 16, seed=5, dtype=torch.float32, delta_scale=0.5)
    weight = torch.randn(4, 11, 8, generator=torch.Generator().manual_seed(2))
    compare(args, weight, chunk, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("chunk", [64, 4])
def test_large_delta_does_not_overflow(chunk):
    """Decays exp(Delta A) down to exp(-800): the chunk carries are exponentials of cumulative
    sums that are never positive, so nothing overflows; float64 still equals the recurrence."""
    args = inputs(3, 10, 4, 16, seed=3, delta_scale=50.0, a_scale=16.0)
    weight = torch.randn(3, 10, 4, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    compare(args, weight, chunk)
    args32 = [v.detach().float().requires_grad_() for v in args]
    fast = outputs_and_grads(lambda *a: selective_scan(*a, chunk=chunk), args32, weight.float())
    assert all(torch.isfinite(v).all() for v in fast)
    slow = outputs_and_grads(selective_scan_reference, args32, weight.float())
    assert_same(fast, slow, rtol=1e-4, atol=1e-4)


def test_hillis_steele_equals_the_recurrence():
    args = inputs(2, 13, 5, 4, seed=4)
    weight = torch.randn(2, 13, 5, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    fast = outputs_and_grads(selective_scan_hillis_steele, args, weight)
    slow = outputs_and_grads(selective_scan_reference, args, weight)
    assert_same(fast, slow, 1e-10, 1e-10)


def sparse_weight(b, T, c, last, seed=0):
    """Output-gradient weights of rows that stop at step last[i] (-1: no gradient at all)."""
    w = torch.randn(b, T, c, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    mask = torch.arange(T)[None, :] <= torch.as_tensor(last)[:, None]
    return w * mask[..., None]


@pytest.mark.parametrize(
    "last",
    [
        [9] * 8,  # every row live at every step: no skipping
        [9, 9, 1, 1, 1, 1, 1, 0],  # all rows live at steps 0-1 only (t0 = 2), two to the end
        [9, 4, -1, -1, -1, -1, -1, -1],  # most rows never live (t0 = 0)
        [9, 9, 9, 9, 9, 5, 5, 2],  # a late t0 (6)
        [-1] * 8,  # no gradient at all
    ],
)
@pytest.mark.parametrize("block_bytes", [1 << 19, 1])
def test_rows_without_gradient_are_skipped_exactly(monkeypatch, last, block_bytes):
    monkeypatch.setattr(ss, "_BLOCK_BYTES", block_bytes)  # 1: one row per block
    calls = []
    real = ss._live_rows_backward
    monkeypatch.setattr(ss, "_live_rows_backward", lambda *a: calls.append(1) or real(*a))
    args = inputs(8, 10, 3, 4, seed=6)
    weight = sparse_weight(8, 10, 3, last)
    weight[1, 3] = 0.0  # a zero gradient in the middle of a live stretch is not a cut
    compare(args, weight, 64)
    live_counts = [(torch.as_tensor(last) >= t).sum().item() for t in range(10)]
    assert bool(calls) == any(n < ss._SPARSE * 8 for n in live_counts)


def test_vmap_over_models_folds_the_model_axis_into_the_batch():
    """empirical.training.batched runs Mamba under torch.func.vmap: per-model A, sparse or dense
    grads."""
    K, b, T, c, n = 3, 4, 6, 5, 3
    g = torch.Generator().manual_seed(7)
    for a_batched, sparse in ((True, False), (True, True), (False, True)):
        x = torch.randn(K, b, T, c, generator=g, dtype=torch.float64)
        delta = torch.rand(K, b, T, c, generator=g, dtype=torch.float64)
        shape = (K, c, n) if a_batched else (c, n)
        A = -3 * torch.rand(*shape, generator=g, dtype=torch.float64)
        B = torch.randn(K, b, T, n, generator=g, dtype=torch.float64)
        C = torch.randn(K, b, T, n, generator=g, dtype=torch.float64)
        D = torch.randn(K, c, generator=g, dtype=torch.float64)
        args = [v.requires_grad_() for v in (x, delta, A, B, C, D)]
        w = torch.randn(K, b, T, c, generator=g, dtype=torch.float64)
        if sparse:
            w[:, 1:, 2:] = 0
        dims = (0, 0, 0 if a_batched else None, 0, 0, 0)
        fast = outputs_and_grads(vmap(selective_scan, in_dims=dims), args, w)

        def looped(x, delta, A, B, C, D, a_batched=a_batched):
            return torch.stack(
                [
                    selective_scan_reference(
                        x[k], delta[k], A[k] if a_batched else A, B[k], C[k], D[k]
                    )
                    for k in range(K)
                ]
            )

        assert_same(fast, outputs_and_grads(looped, args, w), 1e-10, 1e-10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    b=st.integers(1, 5),
    T=st.integers(1, 12),
    c=st.integers(1, 5),
    n=st.integers(1, 5),
    chunk=st.integers(1, 13),
    seed=st.integers(0, 10_000),
    cut=st.booleans(),
)
def test_property_chunked_scan_equals_recurrence(b, T, c, n, chunk, seed, cut):
    args = inputs(b, T, c, n, seed=seed)
    if cut:  # rows whose gradient stops early, as in a padded language-model batch
        last = torch.randint(-1, T, (b,), generator=torch.Generator().manual_seed(seed))
        weight = sparse_weight(b, T, c, last, seed)
    else:
        weight = sparse_weight(b, T, c, [T - 1] * b, seed)
    fast, _ = compare(args, weight, chunk)
    assert all(torch.isfinite(v).all() for v in fast)


def test_bad_arguments():
    args = [v.detach() for v in inputs(2, 3, 4, 2)]
    with pytest.raises(ValueError, match="chunk"):
        selective_scan(*args, chunk=0)
    with pytest.raises(ValueError, match="A must be"):
        selective_scan(args[0], args[1], args[2][:3], *args[3:])
    with pytest.raises(ValueError, match="B and C"):
        selective_scan(*args[:3], args[3][:, :2], *args[4:])
    with pytest.raises(ValueError, match="scan"):
        MambaConfig(vocab_size=10, scan="fast")
    with pytest.raises(ValueError, match="chunk"):
        MambaConfig(vocab_size=10, chunk=0)


def test_model_scans_agree_outputs_and_parameter_gradients():
    """The three scans of the Mamba model (the default, the pre-issue-18 path, the recurrence)
    give the same logits and parameter gradients, with a padded-batch loss (skipped rows)."""
    x = torch.randint(0, VOCAB, (6, 9), generator=torch.Generator().manual_seed(8))
    labels = torch.full((6, 9), -100)
    labels[:4, 1] = 3  # short rows: gradient at one position
    labels[4:, 5:] = 7
    results = {}
    for scan in ("chunked", "hillis-steele", "reference"):
        model = build_model("mamba", VOCAB, seed=0, n_layer=2, d_state=8, scan=scan).double()
        with torch.no_grad():  # make the SSM path matter
            for block in model.blocks:
                block.mixer.x_proj.weight.mul_(25)
                block.mixer.in_proj.weight.mul_(25)
        logits = model(x)
        mask = labels != -100
        loss = F.cross_entropy(logits[mask], labels[mask])
        grads = torch.autograd.grad(loss, list(model.parameters()))
        results[scan] = [logits.detach(), *grads]
    for scan in ("hillis-steele", "reference"):
        for a, b in zip(results["chunked"], results[scan], strict=True):
            assert_allclose(a.numpy(), b.numpy(), rtol=1e-9, atol=1e-10)
    assert results["reference"][1 + 0].abs().max() > 0


@pytest.mark.parametrize("T", [1, 2, 3, 7])
def test_causal_conv_equals_conv1d(T):
    g = torch.Generator().manual_seed(T)
    c, k = 5, 4
    x = torch.randn(3, T, c, generator=g, dtype=torch.float64, requires_grad=True)
    w = torch.randn(c, 1, k, generator=g, dtype=torch.float64, requires_grad=True)
    bias = torch.randn(c, generator=g, dtype=torch.float64, requires_grad=True)
    ours = causal_depthwise_conv(x, w, bias)
    ref = F.conv1d(x.transpose(1, 2), w, bias, padding=k - 1, groups=c)[..., :T].transpose(1, 2)
    weight = torch.randn(3, T, c, generator=g, dtype=torch.float64)
    ga = torch.autograd.grad((ours * weight).sum(), (x, w, bias))
    gb = torch.autograd.grad((ref * weight).sum(), (x, w, bias))
    assert_allclose(ours.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    for a, b in zip(ga, gb, strict=True):
        assert_allclose(a.numpy(), b.numpy(), rtol=1e-12, atol=1e-12)
    assert np.isfinite(ours.detach().numpy()).all()


def _benchmark_module():
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "mamba_scan.py"
    spec = importlib.util.spec_from_file_location("mamba_scan_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_captures_each_layers_scan_inputs_and_sparse_gradient():
    """The benchmark's headline times the scans on what the quick model feeds them: one call
    per layer, its six inputs and the output gradient the loss gave it, which stops after the
    label of each edge row (so replaying the call through the reference gives the same
    gradients as through the chunked scan)."""
    from empirical.models import mamba as mamba_module
    from empirical.tasks.pathstar import make_pathstar, mix_examples

    bench = _benchmark_module()
    torch.manual_seed(0)
    task = make_pathstar(20, 3, seed=0, n_pause=2)
    inputs, labels = mix_examples(task, 1, False, seed=0)
    calls = bench.captured_scan_calls(inputs, labels, task.vocab.size, 32)
    assert mamba_module.selective_scan is selective_scan  # the spy is removed again
    assert len(calls) == bench.MAMBA["n_layer"]
    for args, grad in calls:
        assert grad is not None and grad.shape == args[0].shape
        live = (grad.abs().amax(-1) != 0).float().mean().item()
        assert 0.0 < live < 0.5  # most positions carry no gradient: the edge rows stop early
        out = []
        for fn in (selective_scan, selective_scan_reference):
            leaves = [v.double().requires_grad_() for v in args]
            fn(*leaves).backward(grad.double())
            out.append([v.grad for v in leaves])
        for a, b in zip(*out, strict=True):
            assert_allclose(a.numpy(), b.numpy(), rtol=1e-9, atol=1e-11)
    times = bench.scan_in_model(calls, repeats=1, rounds=1)
    assert set(times) == {"old", "new"} and all(t > 0 for t in times.values())
