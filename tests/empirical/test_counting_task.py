"""The contextual-counting generator: well-formed sequences, correct targets, seeded."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from empirical.tasks.counting import sample_counting
from memtheory.counting import BOS, CLOSE, ONE, OPEN, contextual_position, parse, region_counts


@st.composite
def task_args(draw):
    R = draw(st.integers(1, 6))
    m = draw(st.integers(0, 6))
    length = draw(st.integers(R * (m + 2), R * (m + 2) + 40))
    p = draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))
    return dict(length=length, num_regions=R, max_region_length=m, p_one=p)


@settings(max_examples=60, deadline=None)
@given(task_args(), st.integers(0, 2**31))
def test_sequences_are_well_formed_and_targets_correct(args, seed):
    b = sample_counting(seed, 4, **args)
    R, L, m = args["num_regions"], args["length"], args["max_region_length"]
    assert b.tokens.shape == (4, L + 1) and b.counts.shape == (4, R)
    for t, c, r, inner in zip(b.tokens, b.counts, b.region, b.region_length, strict=True):
        assert t[0] == BOS and np.sum(t == OPEN) == R and np.sum(t == CLOSE) == R
        np.testing.assert_array_equal(region_counts(t), c)  # validates nesting too
        np.testing.assert_array_equal(contextual_position(t), r)
        assert np.all((0 <= inner) & (inner <= m)) and np.all(c <= inner)
        np.testing.assert_array_equal(np.bincount(r[r >= 0], minlength=R), inner + 2)
    if args["p_one"] == 1.0:
        np.testing.assert_array_equal(b.counts, b.region_length)
    if args["p_one"] == 0.0:
        assert not np.any(b.tokens == ONE)


@settings(max_examples=20, deadline=None)
@given(task_args(), st.integers(0, 2**31))
def test_same_seed_same_batch(args, seed):
    a, b = sample_counting(seed, 3, **args), sample_counting(seed, 3, **args)
    np.testing.assert_array_equal(a.tokens, b.tokens)
    c = sample_counting(np.random.default_rng(seed), 3, **args)
    np.testing.assert_array_equal(a.tokens, c.tokens)


def test_regions_are_placed_everywhere_and_counts_cover_range():
    b = sample_counting(1, 2000, 40, 2, 4)
    first_open = np.argmax(b.tokens == OPEN, axis=1)
    last_close = 40 - np.argmax(b.tokens[:, ::-1] == CLOSE, axis=1)
    assert first_open.min() == 1 and last_close.max() == 40  # gaps can be empty at both ends
    assert first_open.max() > 20
    assert set(np.unique(b.counts)) == set(range(5))
    outside = b.tokens[:, 1:][b.region[:, 1:] < 0]  # BoS excluded
    assert abs(outside.mean() - 0.5) < 0.05


def test_paper_example():
    t = parse("[ 0 ] [ 1 0 1 ] 0 [ 1 ] 1 [ ] 0")
    np.testing.assert_array_equal(region_counts(t), [0, 2, 1, 0])
    t = parse("0 1 1 [ 1 0 1 ] 0 [ 1 ] 1 [ ] 0")
    np.testing.assert_array_equal(
        contextual_position(t)[1:], [-1, -1, -1, 0, 0, 0, 0, 0, -1, 1, 1, 1, -1, 2, 2, -1]
    )


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(batch=0), "batch"),
        (dict(length=1), "length"),
        (dict(num_regions=0), "num_regions"),
        (dict(max_region_length=-1), "max_region_length"),
        (dict(p_one=1.5), "p_one"),
        (dict(length=10, num_regions=4, max_region_length=2), "length"),
        (dict(seed=-1), "seed"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, name):
    base = dict(seed=0, batch=2, length=32, num_regions=4, max_region_length=4, p_one=0.5)
    base.update(kwargs)
    with pytest.raises(ValueError, match=f"^{name}"):
        sample_counting(**base)


@pytest.mark.parametrize(
    "bad", [[0, 1], [4, 2, 2, 3, 3], [4, 3, 2], [4, 2, 1], [4, 1, 4], [4, 7], "x"]
)
def test_malformed_tokens_are_refused(bad):
    with pytest.raises(ValueError, match="^tokens"):
        region_counts(bad)
