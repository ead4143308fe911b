"""Tests of memtheory.spectral.eigenbasis: Node2Vec on the eigenbasis of -L, linearized at V = 0."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import graphs, spectral


def _graph(kind: int, size: int, seed: int):
    if kind == 0:
        return graphs.cycle(size + 3)
    if kind == 1:
        return graphs.grid(2 + size % 3, 2 + size // 3)
    if kind == 2:
        return graphs.path_star(2 + size % 3, 2 + size // 3)
    return graphs.random_graph(size + 5, 3, seed=seed)


GRAPHS = st.builds(_graph, st.integers(0, 3), st.integers(0, 8), st.integers(0, 10**6))


def test_small_init_operator_is_lemma5_at_zero_and_shifted_neg_laplacian():
    for g in (graphs.cycle(7), graphs.grid(3, 4), graphs.path_star(3, 4)):
        M0 = spectral.small_init_operator(g)
        assert_allclose(M0, spectral.lemma5_operator(g, np.zeros((g.n, 2))), atol=1e-15)
        L = spectral.neg_laplacian(g).toarray()
        assert_allclose(M0, L + 2 * np.eye(g.n) - 2.0 / g.n, atol=1e-15)
        assert_allclose(M0, M0.T, atol=0)


def test_linearization_error_is_second_order():
    g = graphs.path_star(3, 4)
    V = np.random.default_rng(1).normal(size=(g.n, 3))
    e1, e2 = (spectral.linearization_error(g, s * V) for s in (1e-2, 5e-3))
    assert e1 < 1e-2 and 3.5 < e1 / e2 < 4.5
    G = (1e-2 * V) @ (1e-2 * V).T
    assert e1 < 10 * spectral.max_gram(1e-2 * V) and spectral.max_gram(1e-2 * V) == np.abs(G).max()


def test_regular_graph_reduction_is_exact():
    g = graphs.cycle(12)
    eg = spectral.eigen_growth(g)
    assert_allclose(eg.coupling, 0, atol=1e-12)
    exact = np.sort(2 * np.cos(2 * np.pi * np.arange(7) / 12) - 2)[::-1]  # 7 distinct values
    assert_allclose(eg.eigenvalues, exact, atol=1e-12)
    assert_allclose(eg.rates[0], 0.0, atol=1e-12)  # constant direction: softmax removes it
    assert_allclose(eg.rates[1:], eg.eigenvalues[1:] + 2, atol=1e-12)
    assert list(eg.multiplicity) == [1, 2, 2, 2, 2, 2, 1]
    V0 = np.random.default_rng(0).normal(size=(g.n, 5))
    steps = [0, 3, 10, 40]
    lin = spectral.linear_overlaps(g, V0, lr=0.05, steps=steps)
    c0 = spectral.eigen_overlaps(g, V0)
    want = c0[None, :] * (1 + 0.05 * eg.rates[None, :]) ** np.array(steps)[:, None]
    assert_allclose(lin, want, rtol=1e-10)


def test_non_regular_graph_couples_the_constant_direction():
    eg = spectral.eigen_growth(graphs.path_star(3, 4))
    assert eg.coupling.max() > 1e-3
    top = int(np.argmax(eg.rates))
    assert top != 0 and abs(eg.rates[0]) < 0.5  # near-constant direction barely grows


def test_linear_theory_matches_the_exact_dynamics_while_small():
    g = graphs.grid(3, 4)
    V0 = np.random.default_rng(3).normal(0, 1e-6, size=(g.n, 4))
    V, _ = spectral.node2vec_dynamics(g, d=4, steps=60, lr=0.02, V0=V0, record_every=60, k=1)
    lin = spectral.linear_overlaps(g, V0, lr=0.02, steps=[60])[0]
    assert_allclose(spectral.eigen_overlaps(g, V), lin, rtol=1e-8)


@given(GRAPHS, st.integers(0, 10**6), st.integers(1, 6))
def test_relabeling_nodes_leaves_cluster_overlaps_unchanged(g, seed, d):
    rng = np.random.default_rng(seed)
    perm = rng.permutation(g.n)  # node i -> perm[i]
    h = graphs.from_edges(g.n, perm[g.edges])
    V = rng.normal(size=(g.n, d))
    W = np.empty_like(V)
    W[perm] = V
    a, b = spectral.eigen_growth(g), spectral.eigen_growth(h)
    assert_allclose(a.eigenvalues, b.eigenvalues, atol=1e-10)
    assert_allclose(a.rates, b.rates, atol=1e-10)
    assert_allclose(spectral.eigen_overlaps(g, V), spectral.eigen_overlaps(h, W), atol=1e-9)
    # the sum of squared overlaps is ||V||_F^2, and rotating V's columns changes nothing
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    c = spectral.eigen_overlaps(a, V)
    assert_allclose(np.sum(c**2), np.sum(V**2), rtol=1e-10)
    assert_allclose(spectral.eigen_overlaps(a, V @ Q), c, atol=1e-9)


@given(
    GRAPHS,
    st.floats(1e-4, 0.1),
    st.floats(1e-8, 1e-3),
    st.floats(1.5, 1e3),
    st.floats(1e-3, 1e3),
)
def test_outputs_finite_and_scale_invariance(g, lr, init_std, factor, scale):
    eg = spectral.eigen_growth(g)
    assert np.all(np.isfinite(eg.rates)) and np.all(np.isfinite(eg.coupling))
    assert np.all(eg.rates <= 4 + 1e-9)  # eigenvalues of D^-1A + (D^-1A)^T are <= 2 (+2 shift)
    t = spectral.crossing_times(eg.rates, lr=lr, factor=factor)
    assert np.all(np.isfinite(t[eg.rates > 0])) and np.all(np.isinf(t[eg.rates <= 0]))
    assert np.all(t[eg.rates > 0] > 0)
    # growth-by-a-factor times do not depend on the initialization scale ...
    c0 = spectral.expected_initial_overlaps(eg, init_std=init_std, d=4)
    lvl = factor * c0
    assert_allclose(spectral.level_times(eg.rates, c0, lvl, lr=lr), t, rtol=1e-9)
    assert_allclose(spectral.level_times(eg.rates, scale * c0, scale * lvl, lr=lr), t, rtol=1e-9)
    # ... while the end of the linear phase moves by -ln(scale) / ln(1 + lr g_top)
    b1 = spectral.linearization_break_time(g, lr=lr, init_std=init_std, d=4)
    b2 = spectral.linearization_break_time(g, lr=lr, init_std=init_std * scale, d=4)
    if 0 < b1 < math.inf and 0 < b2 < math.inf:
        shift = -math.log(scale) / math.log1p(lr * eg.rates.max())
        assert b2 - b1 == pytest.approx(shift, rel=1e-9, abs=1e-6)


def test_order_of_learning_follows_the_eigenvalues_on_regular_graphs_only():
    eg = spectral.eigen_growth(graphs.cycle(16))
    t = spectral.crossing_times(eg.rates, lr=0.01, factor=10)
    grow = np.flatnonzero(eg.rates > 0)  # beyond the constant cluster (rate 0)
    assert list(grow) == [1, 2, 3] and np.all(np.diff(t[grow]) > 0)
    # grid 4x4: lambda = -1.329 (a mode with ||U^T 1|| > 0) comes before lambda = -1.333 in
    # the spectrum but grows more slowly (0.649 < 0.667): the softmax term reorders them
    eg = spectral.eigen_growth(graphs.grid(4, 4))
    k1, k2 = 3, 4
    assert eg.eigenvalues[k1] > eg.eigenvalues[k2] and eg.rates[k1] < eg.rates[k2]


@pytest.mark.parametrize(
    "call",
    [
        lambda: spectral.crossing_times([1.0], lr=0.0, factor=10),
        lambda: spectral.crossing_times([1.0], lr=0.1, factor=1.0),
        lambda: spectral.level_times([1.0], [0.0], 1.0, lr=0.1),
        lambda: spectral.level_times([1.0], [1.0], -1.0, lr=0.1),
        lambda: spectral.linearization_break_time("cycle:5", lr=0.1, init_std=0, d=3),
        lambda: spectral.linearization_break_time("cycle:5", lr=0.1, init_std=1e-3, d=3, eps=2),
        lambda: spectral.eigen_overlaps("cycle:5", np.zeros((4, 2))),
        lambda: spectral.linear_overlaps("cycle:5", np.zeros((5, 2)), lr=0.1, steps=[-1]),
        lambda: spectral.linear_overlaps("cycle:5", np.zeros((5, 2)), lr=0.1, steps=[0.5]),
        lambda: spectral.linearization_error("cycle:5", np.zeros((5, 2))),
        lambda: spectral.expected_initial_overlaps(
            spectral.eigen_growth("cycle:5"), init_std=1e-3, d=0
        ),
    ],
)
def test_bad_arguments_raise(call):
    with pytest.raises(ValueError):
        call()
