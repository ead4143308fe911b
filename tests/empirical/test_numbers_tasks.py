"""empirical.tasks.numbers: seeded generators, the gap, and the codec's arrays and decoding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from empirical.tasks import numbers as T
from memtheory import numbers as N


def test_function_records_are_seeded_and_avoid_the_gap():
    a = T.function_records(4000, low=0.8, high=1.6, gap=(1.0, 1.16), seed=3)
    assert_array_equal(a, T.function_records(4000, low=0.8, high=1.6, gap=(1.0, 1.16), seed=3))
    assert not np.array_equal(a, T.function_records(4000, low=0.8, high=1.6, gap=(1.0, 1.16)))
    x = a[:, 0]
    assert np.all((x >= 0.8) & (x <= 1.6)) and not np.any((x > 1.0) & (x < 1.16))
    assert_allclose(a[:, 1], x**2, rtol=1e-15)
    # both sides of the gap are filled in proportion to their length (0.2 vs 0.44)
    assert abs(np.mean(x < 1.0) - 0.2 / 0.64) < 0.03


def test_frequency_records_follow_the_prior():
    v = np.round(1 + 0.01 * np.arange(100), 2)
    prior = N.zipf_prior(100, 1.0, seed=0)
    R = T.frequency_records(20000, v, prior, 0.03, seed=1)
    counts = np.array([np.sum(R[:, 1] == x) for x in v]) / 20000
    assert np.max(np.abs(counts - prior)) < 0.01
    assert abs(np.std(R[:, 0] - R[:, 1]) - 0.03) < 0.002


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: T.function_records(0, low=0, high=1), "n"),
        (lambda: T.function_records(5, low=1, high=1), "high"),
        (lambda: T.function_records(5, low=0, high=1, gap=(0.5, 1.5)), "gap"),
        (lambda: T.function_records(5, low=0, high=1, fn="cube"), "fn"),
        (lambda: T.frequency_records(5, [1.0, 2.0], [0.5, 0.6], 0.1), "prior"),
        (lambda: T.Codec("P7"), "scheme"),
        (lambda: T.Codec("P10").encode(np.ones((2, 3)), 0), "records"),
        (lambda: T.Codec("P10").encode(np.ones((2, 2)), 2), "masked"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@settings(max_examples=40, deadline=None)
@given(
    scheme=st.sampled_from(N.SCHEMES),
    seed=st.integers(0, 10**6),
    masked=st.integers(0, 1),
)
def test_codec_masks_and_round_trips(scheme, seed, masked):
    c = T.Codec(scheme)
    R = T.function_records(16, low=0.8, high=1.6, seed=seed)
    d = c.encode(R, masked)
    k = N.TOKENS_PER_NUMBER[scheme]
    assert d["ids"].shape == (16, 2 * k) and d["values"].shape == (16, 2 * k)
    assert np.all(d["ids"][:, d["positions"]] == c.index["[MASK]"])
    assert np.all(d["values"][:, d["positions"]] == 1.0)  # the masked value is not leaked
    assert_array_equal(d["target_values"], R[:, masked])
    for j, allowed in enumerate(c.slots):
        assert np.all(np.isin(d["target_ids"][:, j], allowed))
    if scheme == "xVal":
        other = 1 - masked
        assert_array_equal(d["values"][:, other], R[:, other])
    else:
        assert np.all(d["values"] == 1.0)
        want = [N.decode(N.encode(x, scheme, c.exponents), scheme) for x in R[:, masked]]
        assert_array_equal(c.decode_ids(d["target_ids"]), want)
