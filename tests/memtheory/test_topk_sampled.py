"""topk_edge_recovery_sampled: exact with every row, unbiased and calibrated with a sample."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import geometry as g
from memtheory import graphs


def _partly_memorized(graph, m=8, noise=0.6, seed=0):
    """Spectral coordinates plus noise: recovery strictly between 0 and 1."""
    from memtheory.spectral import spectrum

    _, vecs = spectrum(graph, k=m + 1)
    X = vecs[:, 1 : m + 1] * np.sqrt(graph.n)
    return X + noise * np.random.default_rng(seed).standard_normal(X.shape)


@settings(max_examples=20, deadline=None)
@given(
    n=st.integers(6, 40),
    m=st.integers(1, 6),
    seed=st.integers(0, 2**16),
    average=st.sampled_from(["edges", "nodes"]),
    k=st.sampled_from([None, 1, 2]),
)
def test_every_row_gives_the_exact_value(n, m, seed, average, k):
    G = graphs.random_graph(n, 2, seed=seed)
    E = G.directed_edges("both")
    X = np.random.default_rng(seed).standard_normal((n, m))
    exact = g.topk_edge_recovery(X, E, k=k, average=average)
    got = g.topk_edge_recovery_sampled(X, E, k=k, average=average, sources=n)
    assert got.estimate == exact and got.stderr == 0.0 and got.sources == got.population


def test_scores_and_embeddings_agree_and_seed_repeats():
    G = graphs.grid(12, 12)
    E = G.directed_edges("both")
    X = _partly_memorized(G)
    a = g.topk_edge_recovery_sampled(X, E, sources=50, seed=3)
    b = g.topk_edge_recovery_sampled(scores=X @ X.T, edges=E, sources=50, seed=3)
    assert a == b
    assert a != g.topk_edge_recovery_sampled(X, E, sources=50, seed=4)


@pytest.mark.parametrize("average", ["edges", "nodes"])
@pytest.mark.parametrize("graph", ["grid", "path-star"])
def test_unbiased_and_standard_error_calibrated(graph, average):
    # a path-star has a degree-60 hub: rows drawn in proportion to their edges keep it in
    G = graphs.grid(15, 15) if graph == "grid" else graphs.path_star(60, 5)
    E = G.directed_edges("both")
    X = _partly_memorized(G)
    exact = g.topk_edge_recovery(X, E, average=average)
    assert 0.05 < exact < 0.95  # a regime where sampling matters
    runs = [
        g.topk_edge_recovery_sampled(X, E, average=average, sources=60, seed=s) for s in range(300)
    ]
    est = np.array([r.estimate for r in runs])
    se = np.array([r.stderr for r in runs])
    # unbiased: the mean of 300 estimates within 4 standard errors of that mean
    assert abs(est.mean() - exact) < 4 * est.std(ddof=1) / np.sqrt(est.size)
    # the reported standard error matches the spread of the estimates to 20%
    assert_allclose(se.mean(), est.std(ddof=1), rtol=0.2)
    # so +-2 stderr covers the exact value about 95% of the time
    assert 0.88 <= np.mean(np.abs(est - exact) <= 2 * se) <= 0.995


def test_bad_arguments():
    G = graphs.cycle(8)
    E = G.directed_edges("both")
    X = np.ones((8, 2))
    with pytest.raises(ValueError, match="sources"):
        g.topk_edge_recovery_sampled(X, E, sources=1)
    with pytest.raises(ValueError, match="seed"):
        g.topk_edge_recovery_sampled(X, E, seed=-1)
    with pytest.raises(ValueError, match="average"):
        g.topk_edge_recovery_sampled(X, E, average="rows")
