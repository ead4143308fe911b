"""memtheory.counting: the hand-built counter (Props. 1-2), Prop. 3, the bias law."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from empirical.tasks.counting import sample_counting
from memtheory import counting as mc
from memtheory.counting.attention import attention


def _batch(seed, length, regions, n=3):
    m = min(40, length // regions - 2)
    return sample_counting(seed, n, length, regions, m)


@settings(max_examples=40, deadline=None)
@given(st.integers(8, 300), st.integers(1, 16), st.integers(0, 2**31))
def test_bos_counter_is_exact_at_any_length_and_region_count(length, regions, seed):
    if length < 2 * regions:
        regions = length // 2
    net = mc.handbuilt_network(max_regions=16, max_count=64, bias="bos")
    b = _batch(seed, length, regions)
    for t, c in zip(b.tokens, b.counts, strict=True):
        f = mc.handbuilt_forward(net, t)
        np.testing.assert_array_equal(np.argmax(f.logits, axis=1), c)
        want = mc.bias_output(c, [1.0, 0.0], [0.0, 1.0])
        np.testing.assert_allclose(f.o, want, rtol=0, atol=1e-12)
        # layer 1 + MLP give the one-hot contextual position of every token inside a region
        cp = mc.contextual_position(t)
        inside = (cp >= 0) & (t != mc.CLOSE)
        np.testing.assert_allclose(f.cp_onehot[inside, cp[inside]], 1.0, atol=1e-12)
        assert np.abs(f.cp_onehot[~inside]).max(initial=0) < 1e-12
        assert list(f.as_dict()) == ["a", "cp_onehot", "o", "decoder_weights", "logits"]


@pytest.mark.slow
@pytest.mark.parametrize("regions", [1, 4, 16])
def test_bos_counter_at_4096_tokens(regions):
    net = mc.handbuilt_network(max_regions=16, max_count=64)
    b = sample_counting(regions, 1, 4096, regions, 64)
    np.testing.assert_array_equal(mc.handbuilt_counts(net, b.tokens[0]), b.counts[0])


def test_close_bias_generalizes_in_length_not_in_region_count():
    net = mc.handbuilt_network(max_regions=16, max_count=64, bias="close", train_regions=4)
    for length in (24, 100, 700):
        b = _batch(1, length, 4, n=5)
        for t, c in zip(b.tokens, b.counts, strict=True):
            np.testing.assert_array_equal(mc.handbuilt_counts(net, t), c)
    for regions in (2, 8):
        b = sample_counting(2, 20, 400, regions, 20, p_one=0.8)
        wrong = [
            not np.array_equal(mc.handbuilt_counts(net, t), c)
            for t, c in zip(b.tokens, b.counts, strict=True)
        ]
        assert np.mean(wrong) > 0.9
        # it decodes n * 4 / R, as the balance readout predicts (away from half-integer ties)
        for t, c in zip(b.tokens[:5], b.counts[:5], strict=True):
            clear = np.abs((c * 4 / regions) % 1 - 0.5) > 1e-9
            got = mc.handbuilt_counts(net, t)
            np.testing.assert_array_equal(
                got[clear],
                mc.balance_count(c, bias_tokens=regions, train_bias_tokens=4, max_count=64)[clear],
            )


def test_paper_example_and_errors():
    net = mc.handbuilt_network(max_regions=4, max_count=8)
    np.testing.assert_array_equal(
        mc.handbuilt_counts(net, mc.parse("[ 0 ] [ 1 0 1 ] 0 [ 1 ] 1 [ ] 0")), [0, 2, 1, 0]
    )
    with pytest.raises(ValueError, match="^num_queries"):
        mc.handbuilt_counts(net, mc.parse("[ 1 ]"), num_queries=5)
    for kwargs, name in [
        (dict(max_regions=0), "max_regions"),
        (dict(max_count=-1), "max_count"),
        (dict(bias="eos"), "bias"),
        (dict(train_regions=0), "train_regions"),
        (dict(beta=0.0), "beta"),
    ]:
        with pytest.raises(ValueError, match=f"^{name}"):
            mc.handbuilt_network(**kwargs)


@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("seed", range(5))
def test_proposition_3_noncausal_nope_is_permutation_invariant(seed, layers):
    w = mc.random_encoder_decoder(seed, width=16, layers=layers, queries=2, classes=5)
    a, b = (mc.parse(s) for s in mc.MULTISET_PAIR)
    assert not np.array_equal(mc.region_counts(a), mc.region_counts(b))
    la = mc.encoder_decoder_logits(w, a, causal=False)
    lb = mc.encoder_decoder_logits(w, b, causal=False)
    np.testing.assert_allclose(la, lb, rtol=0, atol=1e-12)
    # a random sequence and a shuffle of its 0/1 tokens over the non-delimiter slots (delimiters
    # fixed): same multiset, well-formed, usually different counts
    rng = np.random.default_rng(seed)
    t = sample_counting(seed, 1, 60, 4, 8).tokens[0]
    x = t.copy()
    slots = np.flatnonzero(t <= mc.ONE)
    x[slots] = t[rng.permutation(slots)]
    np.testing.assert_allclose(
        mc.encoder_decoder_logits(w, x, causal=False),
        mc.encoder_decoder_logits(w, t, causal=False),
        rtol=0,
        atol=1e-12,
    )
    # the causal model separates the pair: the check can fail
    ca = mc.encoder_decoder_logits(w, a, causal=True)
    cb = mc.encoder_decoder_logits(w, b, causal=True)
    assert np.abs(ca - cb).max() > 1e-3


def test_attention_is_equivariant_without_mask():
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((7, 3)), rng.standard_normal((7, 3)), rng.standard_normal((7, 2))
    p = rng.permutation(7)
    np.testing.assert_allclose(
        attention(q[p], k[p], v[p], causal=False), attention(q, k, v, causal=False)[p], atol=1e-14
    )
    out, w = attention(q, k, v, causal=True, return_weights=True)
    assert np.all(np.triu(w, 1) == 0) and np.allclose(w.sum(1), 1)
    with pytest.raises(ValueError, match="^q"):
        attention(q[:3], k, v, causal=True)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 500), st.floats(0.5, 8))
def test_bias_gap_and_resolution(n, b):
    v1, vb = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    np.testing.assert_allclose(
        mc.bias_output(n + 1, v1, vb) - mc.bias_output(n, v1, vb),
        mc.bias_gap(n, v1, vb),
        atol=1e-15,
    )
    o = mc.bias_output(n, v1, vb, bias_tokens=b)
    ell = mc.balance_logits(o, 600, b)
    assert np.argmax(ell) == n
    np.testing.assert_allclose(ell[n] - np.delete(ell, n).max(), 1 / (n + b), rtol=1e-9)


def test_bias_functions_reject_bad_input():
    with pytest.raises(ValueError, match="^n"):
        mc.bias_output(-1, [1.0], [0.0])
    with pytest.raises(ValueError, match="^v_bias"):
        mc.bias_output(1, [1.0, 0.0], [0.0])
    with pytest.raises(ValueError, match="^bias_tokens"):
        mc.bias_output(1, [1.0], [0.0], bias_tokens=0)
    with pytest.raises(ValueError, match="^o"):
        mc.balance_logits([1.0, 2.0, 3.0], 4)
    with pytest.raises(ValueError, match="^seed"):
        mc.random_encoder_decoder(-1)
