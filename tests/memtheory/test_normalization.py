"""memtheory.normalization: RevIN equivariance, nmse invariance, embedding scale, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import normalization as nz

_fields = st.integers(1, 4)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    fields=_fields,
    log_a=st.lists(st.floats(-3, 3), min_size=4, max_size=4),
    b=st.lists(st.floats(-1e3, 1e3), min_size=4, max_size=4),
)
def test_revin_is_affine_equivariant_for_any_network(seed, fields, log_a, b):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((fields, fields))

    def g(z):
        return np.sin(z @ W) + z**2

    x = rng.standard_normal((5, 7, fields))
    a, bb = 10.0 ** np.asarray(log_a[:fields]), np.asarray(b[:fields])
    want = a * nz.revin(g, x, eps=0) + bb
    assert_allclose(nz.revin(g, a * x + bb, eps=0), want, rtol=1e-9, atol=1e-9 * np.abs(want).max())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), s=st.floats(1e-3, 1e3))
def test_nmse_is_scale_invariant_and_mse_is_not(seed, s):
    rng = np.random.default_rng(seed)
    y, p = rng.standard_normal((20, 3)), rng.standard_normal((20, 3))
    assert_allclose(
        nz.normalized_mse(s * p, s * y, eps=0), nz.normalized_mse(p, y, eps=0), rtol=1e-12
    )


def test_gradient_shares_equal_under_nmse_dominated_under_mse():
    rng = np.random.default_rng(0)
    base, err = rng.standard_normal((8, 9, 1)), 0.1 * rng.standard_normal((8, 9, 1))
    scales = np.array([1.0, 10.0, 100.0])
    shares = nz.field_gradient_shares((base + err) * scales, base * scales, loss="nmse", eps=0)
    assert_allclose(shares, 1 / 3, atol=1e-12)
    mse = nz.field_gradient_shares((base + err) * scales, base * scales, loss="mse", eps=0)
    assert_allclose(mse, scales**4 / (scales**4).sum(), rtol=1e-10)


@pytest.mark.parametrize("k", range(1, 13))
def test_embedding_scale_keeps_variance(k):
    assert_allclose(nz.embedding_scale(k) ** 2 * k, nz.N_FIELDS, rtol=1e-15)


def test_subsampled_embedding_uses_the_present_rows():
    W = np.arange(24.0).reshape(12, 2)
    h = nz.subsampled_embedding(np.array([[1.0, 2.0]]), W, [3, 5])
    assert_allclose(h, np.sqrt(6) * (W[3] + 2 * W[5])[None], rtol=1e-15)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: nz.revin_stats(np.ones(3)), "x"),
        (lambda: nz.revin(lambda z: z, np.ones((4, 2)), eps=0), "x"),
        (lambda: nz.revin(lambda z: z[..., :1], np.arange(8.0).reshape(4, 2)), "g"),
        (lambda: nz.normalized_mse(np.ones((2, 2)), np.ones((2, 3))), "pred"),
        (lambda: nz.field_gradient_shares(np.ones((2, 2)), np.ones((2, 2)), loss="l1"), "loss"),
        (lambda: nz.embedding_scale(0), "present"),
        (lambda: nz.embedding_scale(13), "present"),
        (lambda: nz.subsampled_embedding(np.ones((1, 2)), np.ones((12, 3)), [1, 1]), "present"),
        (lambda: nz.subsampled_embedding(np.ones((1, 2)), np.ones((12, 3)), [1, 12]), "present"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()
