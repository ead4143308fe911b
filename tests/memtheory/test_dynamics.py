"""Tests of memtheory.dynamics: closed forms against independently coded exact dynamics."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import dynamics as dy

EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------------------------
# helpers: an independent full-matrix GD (written here, not imported) and random problems
# --------------------------------------------------------------------------------------------
def full_matrix_gd(E, U, targets, p, eta, steps, W0=None):
    """Plain numpy full-batch GD on W; returns margins (steps+1, N) and losses (steps+1,)."""
    n = E.shape[0]
    W = np.zeros((U.shape[1], E.shape[1])) if W0 is None else W0.copy()
    margins, losses = [], []
    for k in range(steps + 1):
        S = E @ W.T @ U.T
        S = S - S.max(axis=1, keepdims=True)
        P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
        correct = S[np.arange(n), targets]
        other = np.where(np.arange(U.shape[0])[None, :] == targets[:, None], -np.inf, S)
        margins.append(correct - other.max(axis=1))
        losses.append(float(-(p * np.log(P[np.arange(n), targets])).sum()))
        if k == steps:
            break
        G = P.copy()
        G[np.arange(n), targets] -= 1.0
        grad = sum(p[x] * np.outer(U.T @ G[x], E[x]) for x in range(n))
        W = W - eta * grad
    return np.array(margins), np.array(losses)


def orthonormal_problem(N, M, d, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    Q2, _ = np.linalg.qr(rng.normal(size=(d, d)))
    p = rng.dirichlet(np.ones(N))
    return Q[:N], Q2[:M], rng.integers(0, M, N), p


def random_problem(N, M, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    E = rng.normal(size=(N, d_in))
    U = rng.normal(size=(M, d_out))
    return E, U, rng.integers(0, M, N), rng.dirichlet(np.ones(N))


# --------------------------------------------------------------------------------------------
# 1. Cabannes, Simsek & Bietti: orthonormal case
# --------------------------------------------------------------------------------------------
def test_margin_recursion_equals_full_matrix_gd():
    # rotated (not one-hot) orthonormal embeddings, d > max(N, M)
    E, U, t, p = orthonormal_problem(6, 4, 9, seed=1)
    steps, eta = 200, 5.0
    m_gd, loss_gd = full_matrix_gd(E, U, t, p, eta, steps)
    m_rec = dy.orthonormal_margin_recursion(p, 4, lr=eta, steps=steps)
    # round-off: each step adds O(eps * |m|) (orthonormality holds to ~eps), so after T steps the
    # gap is <= ~T * eps * max|m| = 200 * 2.2e-16 * 10 < 1e-12
    assert_allclose(m_gd, m_rec, rtol=0, atol=1e-12)
    assert_allclose(loss_gd, dy.orthonormal_loss(p, 4, lr=eta, steps=steps), rtol=1e-12, atol=0)


def test_memory_gd_and_particles_equal_independent_gd():
    E, U, t, p = random_problem(5, 3, 4, 6, seed=2)
    m_ref, loss_ref = full_matrix_gd(E, U, t, p, 0.7, 60)
    a = dy.memory_gd(E, U, t, p, lr=0.7, steps=60)
    b = dy.particle_gd(E, U, t, p, lr=0.7, steps=60)
    # different but exact algebra: agreement to ~1e-13 relative over 60 steps
    scale = np.abs(m_ref).max()
    assert_allclose(a.margins, m_ref, rtol=0, atol=1e-12 * scale)
    assert_allclose(b.margins, m_ref, rtol=0, atol=1e-12 * scale)
    assert_allclose(a.loss, loss_ref, rtol=1e-12)
    assert_allclose(b.loss, loss_ref, rtol=1e-12)
    assert_allclose(b.scores, dy.memory_scores(a.W, E, U), rtol=1e-11, atol=1e-12)
    kept = dy.memory_gd(E, U, t, p, lr=0.7, steps=60, keep_weights=True)
    assert kept.weights.shape == (61, 6, 4) and np.all(kept.weights[0] == 0)
    np.testing.assert_array_equal(kept.weights[-1], a.W)


def test_particle_gd_from_nonzero_init():
    E, U, t, p = random_problem(4, 3, 3, 5, seed=3)
    W0 = np.random.default_rng(9).normal(size=(5, 3))
    m_ref, _ = full_matrix_gd(E, U, t, p, 0.3, 30, W0=W0)
    got = dy.particle_gd(E, U, t, p, lr=0.3, steps=30, W0=W0).margins
    assert_allclose(got, m_ref, rtol=0, atol=1e-12 * np.abs(m_ref).max())


@given(
    p=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=6),
    M=st.integers(2, 8),
    eta=st.floats(0.01, 100.0),
)
def test_orthonormal_margins_monotone_and_loss_decreasing(p, M, eta):
    p = np.array(p) / np.sum(p)
    m = dy.orthonormal_margin_recursion(p, M, lr=eta, steps=60)
    assert np.all(np.isfinite(m))
    assert_allclose(m[1], eta * p, rtol=1e-12)
    # no oscillation: the increment is positive; in float64 it is strictly visible while it
    # exceeds the spacing of m (at large eta p, m_t stalls at its first value ~ eta p)
    inc = np.diff(m, axis=0)
    assert np.all(inc >= 0)
    exact = eta * p * M * np.exp(-m[:-1]) / (1 + (M - 1) * np.exp(-m[:-1]))
    visible = exact > 4 * np.spacing(np.maximum(m[:-1], 1.0))
    assert np.all(inc[visible] > 0)
    loss = dy.orthonormal_loss(p, M, lr=eta, steps=60)
    assert loss[0] == pytest.approx(math.log(M), rel=1e-12)
    assert np.all(np.diff(loss) <= 0) and loss[-1] < loss[0]


def test_logarithmic_margin_growth_and_loss_asymptote():
    p = np.array([0.6, 0.3, 0.1])
    M, eta = 4, 2.0
    T = np.array([100, 1_000, 10_000])
    m = dy.orthonormal_margin_recursion(p, M, lr=eta, steps=int(T[-1]))
    dev = np.abs(m[T] - np.log(eta * p * M * T[:, None])).max(axis=1)
    assert np.all(np.diff(dev) < 0) and dev[-1] < 0.01  # m_t - log(eta p M t) -> 0
    L = dy.orthonormal_loss(p, M, lr=eta, steps=int(T[-1]))[T]
    ratio = L / dy.orthonormal_loss_asymptote(3, M, lr=eta, t=T)
    # relative correction ~ (M-1) log(eta p M t) / (eta p M t), dominated by the rarest token
    corr = (M - 1) * np.log(eta * p.min() * M * T) / (eta * p.min() * M * T)
    assert np.all(np.abs(ratio - 1) < 2 * corr)
    assert np.all(np.diff(np.abs(ratio - 1)) < 0)


def test_margin_flow_solves_its_ode():
    p = np.array([0.5, 0.5])
    t = np.linspace(0.0, 50.0, 11)
    m = dy.orthonormal_margin_flow(p, 3, lr=1.5, t=t)
    assert m.shape == (11, 2) and np.all(m[0] == 0)
    h = 1e-5
    dm = (
        dy.orthonormal_margin_flow(p, 3, lr=1.5, t=t[1:] + h)
        - dy.orthonormal_margin_flow(p, 3, lr=1.5, t=t[1:] - h)
    ) / (2 * h)
    rhs = 1.5 * p * 3 / (np.exp(m[1:]) + 2)
    assert_allclose(dm, rhs, rtol=1e-7)


# --------------------------------------------------------------------------------------------
# Hessian, gradient
# --------------------------------------------------------------------------------------------
def test_gradient_matches_finite_differences():
    E, U, t, p = random_problem(4, 3, 3, 2, seed=4)
    W = np.random.default_rng(5).normal(size=(2, 3))
    g = dy.memory_gradient(W, E, U, t, p)
    h = 1e-6
    fd = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        dW = np.zeros_like(W)
        dW[idx] = h
        fd[idx] = (dy.memory_loss(W + dW, E, U, t, p) - dy.memory_loss(W - dW, E, U, t, p)) / (
            2 * h
        )
    # central differences: O(h^2) truncation + O(eps/h) round-off ~ 1e-9
    assert_allclose(g, fd, rtol=0, atol=1e-8)


def test_hessian_symmetric_psd_and_equal_to_finite_differences():
    E, U, t, p = random_problem(5, 4, 3, 4, seed=6)
    W = np.random.default_rng(7).normal(size=(4, 3))
    H = dy.memory_hessian(W, E, U, t, p)
    assert H.shape == (12, 12)
    assert_allclose(H, H.T, rtol=0, atol=10 * EPS * np.abs(H).max())
    assert np.linalg.eigvalsh(H).min() > -1e-12 * np.abs(H).max()  # convex in W
    h = 1e-5
    fd = np.zeros_like(H)
    for i in range(12):
        dW = np.zeros(12)
        dW[i] = h
        gp = dy.memory_gradient((W.ravel() + dW).reshape(4, 3), E, U, t, p).ravel()
        gm = dy.memory_gradient((W.ravel() - dW).reshape(4, 3), E, U, t, p).ravel()
        fd[:, i] = (gp - gm) / (2 * h)
    assert_allclose(H, fd, rtol=0, atol=1e-8 * max(1.0, np.abs(H).max()))


# --------------------------------------------------------------------------------------------
# two correlated particles: spikes
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("eta", [1.0, 10.0])
def test_two_particle_map_equals_full_gd(eta):
    E, U = dy.two_particle_embeddings(0.95)
    red = dy.two_particle_dynamics(0.75, 0.95, lr=eta, steps=35)
    m_ref, loss_ref = full_matrix_gd(E, U, np.array([0, 1]), np.array([0.75, 0.25]), eta, 35)
    assert_allclose(red.margins, m_ref, rtol=0, atol=1e-12 * max(1.0, np.abs(m_ref).max()))
    assert_allclose(red.loss, loss_ref, rtol=1e-12)


def test_two_particle_spike_claim():
    """Notes 4.1: eta = 10 spikes yet is accurate by step 35; eta = 1 monotone, rare unlearned."""
    small = dy.two_particle_dynamics(0.75, 0.95, lr=1.0, steps=35)
    large = dy.two_particle_dynamics(0.75, 0.95, lr=10.0, steps=35)
    thr = dy.two_particle_step_threshold(0.75, 0.95)
    assert 1.0 < thr < 10.0
    assert np.all(np.diff(small.loss) <= 0)
    assert small.accuracy[-1] == pytest.approx(0.75)
    assert np.any(np.diff(large.loss) > 0)
    assert large.accuracy[-1] == pytest.approx(1.0)
    assert large.loss[-1] < small.loss[-1]


def test_threshold_is_two_over_initial_sharpness():
    for p1, a in [(0.75, 0.95), (0.5, 0.0), (0.9, -0.6)]:
        E, U = dy.two_particle_embeddings(a)
        H0 = dy.memory_hessian(np.zeros((2, 2)), E, U, [0, 1], [p1, 1 - p1])
        assert_allclose(
            dy.two_particle_step_threshold(p1, a), 2 / np.linalg.eigvalsh(H0)[-1], rtol=1e-12
        )
        assert_allclose(
            dy.monotone_step_bound(E, U, [p1, 1 - p1]),
            dy.two_particle_step_threshold(p1, a),
            rtol=1e-12,
        )


@given(p1=st.floats(0.02, 0.98), alpha=st.floats(-1.0, 1.0), frac=st.floats(0.05, 1.0))
def test_below_threshold_loss_never_increases(p1, alpha, frac):
    eta = frac * dy.two_particle_step_threshold(p1, alpha)
    loss = dy.two_particle_dynamics(p1, alpha, lr=eta, steps=150).loss
    assert np.all(np.isfinite(loss))
    assert np.all(np.diff(loss) <= 1e-14)


@given(seed=st.integers(0, 10_000), N=st.integers(1, 5), M=st.integers(2, 4), d=st.integers(1, 4))
def test_monotone_step_bound_general(seed, N, M, d):
    E, U, t, p = random_problem(N, M, d, d, seed)
    eta = dy.monotone_step_bound(E, U, p)
    loss = dy.particle_gd(E, U, t, p, lr=eta, steps=40).loss
    assert np.all(np.diff(loss) <= 1e-12 * max(1.0, loss[0]))


# --------------------------------------------------------------------------------------------
# underparameterized d = 2
# --------------------------------------------------------------------------------------------
def test_underparameterized_problem_reproducible():
    a = dy.underparameterized_problem(10, seed=3)
    b = dy.underparameterized_problem(10, seed=3)
    c = dy.underparameterized_problem(10, seed=4)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])
    assert_allclose(np.linalg.norm(a[0], axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(a[1], np.arange(10) % 2)
    r1 = dy.underparameterized_gap_rate(5, 8, seed=1)
    r2 = dy.underparameterized_gap_rate(5, 8, seed=1)
    np.testing.assert_array_equal(r1.gaps, r2.gaps)


def test_underparameterized_gap_properties():
    E, t, p = dy.underparameterized_problem(30, seed=0)
    out = dy.underparameterized_gap(E, t, p)
    assert not out.separable
    assert out.gap > 0.01  # this draw: the CE minimizer is strictly worse in 0-1 error
    # best_error is the exact minimum: no direction on a fine grid beats it
    th = np.linspace(0, 2 * np.pi, 20_001)
    V = np.stack([np.cos(th), np.sin(th)], axis=1)
    y = np.where(t == 0, 1.0, -1.0)
    grid = (((y[:, None] * (E @ V.T)) <= 0) * p[:, None]).sum(axis=0)
    assert out.best_error <= grid.min() + 1e-15
    # ce_weights is a stationary point of the memory loss for W = (u0 - u1) v^T / 2 (U = I_2)
    W = 0.5 * np.outer([1.0, -1.0], out.ce_weights)
    g = dy.memory_gradient(W, E, np.eye(2), t, p)
    assert np.abs(g).max() < 1e-10


def test_underparameterized_separable_case():
    E = np.array([[1.0, 0.2], [0.8, -0.5], [-1.0, 0.1]])
    t = np.array([0, 0, 1])
    out = dy.underparameterized_gap(E, t, [0.5, 0.3, 0.2])
    assert out.separable and out.best_error == 0.0 and out.ce_error == 0.0
    assert np.linalg.norm(out.ce_weights) == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------
# 2. factual recall
# --------------------------------------------------------------------------------------------
def full_population_gd(S, R, D, lr, steps, init):
    """GD on every parameter (a_s, a_r, V_s, V_r) of the one-hot linear-attention model."""
    K = R * D
    a_s, a_r = np.full(S, init), np.full(R, init)
    Vs, Vr = np.full((S, K), init), np.full((R, K), init)
    ss, rr = np.meshgrid(np.arange(S), np.arange(R), indexing="ij")
    ss, rr = ss.ravel(), rr.ravel()
    target = rr * D + (ss * D) // S
    losses = []
    for k in range(steps + 1):
        logits = a_s[ss, None] * Vs[ss] + a_r[rr, None] * Vr[rr]
        logits -= logits.max(axis=1, keepdims=True)
        P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        losses.append(-np.log(P[np.arange(ss.size), target]).mean())
        if k == steps:
            break
        G = P.copy()
        G[np.arange(ss.size), target] -= 1.0
        G /= ss.size
        g_as = np.zeros(S)
        g_ar = np.zeros(R)
        g_Vs = np.zeros_like(Vs)
        g_Vr = np.zeros_like(Vr)
        np.add.at(g_as, ss, (G * Vs[ss]).sum(axis=1))
        np.add.at(g_ar, rr, (G * Vr[rr]).sum(axis=1))
        np.add.at(g_Vs, ss, G * a_s[ss, None])
        np.add.at(g_Vr, rr, G * a_r[rr, None])
        a_s, a_r, Vs, Vr = a_s - lr * g_as, a_r - lr * g_ar, Vs - lr * g_Vs, Vr - lr * g_Vr
    return np.array(losses)


def test_sequential_gd_equals_full_population_gd():
    ref = full_population_gd(4, 3, 2, lr=0.5, steps=400, init=0.1)
    red = dy.sequential_learning_gd(4, 3, 2, lr=0.5, steps=400, init=0.1)
    assert_allclose(red.loss, ref, rtol=1e-11)


def test_sequential_learning_stages():
    pl = dy.factual_recall_plateaus(4, 8)
    assert pl.init == pytest.approx(math.log(32)) and pl.hallucination == pytest.approx(math.log(8))
    ode = dy.sequential_learning_ode(16, 4, 8, t_max=819.2, n_points=200)
    gd = dy.sequential_learning_gd(16, 4, 8, lr=0.1, steps=8192)
    for res in (ode, gd):
        assert np.all(np.isfinite(res.loss))
        assert res.loss[0] == pytest.approx(pl.init, rel=1e-12)
        assert np.all(np.diff(res.loss) <= 1e-12)  # gradient flow / small-step GD: monotone
        assert res.loss[-1] < 0.05
    # hallucination plateau: relation learned, subject not
    k = 3000
    assert gd.relation_loss[k] < 0.05 and abs(gd.subject_loss[k] - math.log(8)) < 0.01
    assert ode.t_relation < ode.t_subject
    # linearized escape times agree with the ODE's half-loss times (both end the plateaus)
    est = dy.plateau_escape_times(16, 4, 8)
    assert_allclose([est.relation, est.subject], [ode.t_relation, ode.t_subject], rtol=0.05)
    rates = dy.sequential_learning_rates(16, 4, 8)
    assert rates.relation > rates.subject


def test_result_field_names_are_the_json_keys():
    """Experiments write these results with ``dataclasses.asdict``: the field names are the keys
    of ``results.jsonl`` and the figures (factual_recall's ``levels``), so they are pinned."""
    pl = dataclasses.asdict(dy.factual_recall_plateaus(4, 8))
    assert list(pl) == ["init", "hallucination", "final", "relation_init", "subject_init"]
    gd = dataclasses.asdict(dy.sequential_learning_gd(4, 2, 2, lr=0.1, steps=3))
    assert list(gd) == ["step", "loss", "relation_loss", "subject_loss", "state"]
    assert json.loads(json.dumps(pl)) == pl


def test_step_sizes_and_counts_are_keyword_only():
    E, U, t, p = random_problem(3, 2, 2, 2, seed=0)
    with pytest.raises(TypeError):
        dy.memory_gd(E, U, t, p, 0.7, 5)
    with pytest.raises(TypeError):
        dy.orthonormal_margin_recursion([0.5, 0.5], 2, 1.0, 3)
    with pytest.raises(TypeError):
        dy.sequential_learning_gd(4, 2, 2, 0.1, 3)


# --------------------------------------------------------------------------------------------
# 3. noisy in-context recall
# --------------------------------------------------------------------------------------------
@given(a=st.floats(0.0, 1.0))
def test_binary_entropy_range_and_symmetry(a):
    a = 1.0 - (1.0 - a)  # so that 1 - a is exact: a ~ 1e-13 would lose 1e-3 of itself in 1 - a
    h = dy.noisy_recall_bayes_floor(a)
    assert 0.0 <= h <= math.log(2) + 1e-15
    assert h == pytest.approx(dy.binary_entropy(1.0 - a), abs=1e-15)
    assert dy.noisy_recall_bayes_floor(a, vocab_size=65) == pytest.approx(64 / 65 * h, abs=1e-16)


def test_binary_entropy_values():
    assert dy.binary_entropy(0.0) == 0.0 and dy.binary_entropy(1.0) == 0.0
    assert dy.noisy_recall_bayes_floor(0.5) == pytest.approx(math.log(2), rel=1e-15)
    assert_allclose(
        dy.binary_entropy(np.array([0.3])),
        [-(0.3 * math.log(0.3) + 0.7 * math.log(0.7))],
        rtol=1e-15,
    )


def test_low_rank_truncation_eckart_young():
    W = np.random.default_rng(0).normal(size=(10, 8))
    assert_allclose(dy.low_rank_truncation(W, 1.0), W, atol=1e-12)
    assert np.all(dy.low_rank_truncation(W, 0.0) == 0)
    Wr = dy.low_rank_truncation(W, 0.5)  # rank 4
    assert np.linalg.matrix_rank(Wr) == 4
    assert np.linalg.norm(W - Wr) == pytest.approx(dy.truncation_error(W, 4), rel=1e-12)


# --------------------------------------------------------------------------------------------
# 4. heavy-tailed class imbalance
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("m", [3, 5, 7])
def test_tiered_zipf_invariants(m):
    tz = dy.tiered_zipf(m)
    assert (tz.n, tz.c, tz.d) == (m * 2**m, 2**m - 1, (m + 1) * 2**m)
    assert tz.counts.sum() == tz.n and tz.counts.size == tz.c
    assert_allclose(np.bincount(tz.tier, weights=tz.frequencies), np.full(m, 1 / m), rtol=1e-14)
    assert tz.counts.max() / tz.counts.min() == 2 ** (m - 1)
    np.testing.assert_array_equal(dy.equal_mass_groups(tz.frequencies, m), tz.tier)


def test_equal_mass_groups_balanced_mass():
    f = np.arange(1, 201, dtype=float) ** -1.0
    g = dy.equal_mass_groups(f, 10)
    mass = np.bincount(g, weights=f) / f.sum()
    assert g.max() == 9 and np.all(mass > 0.05)  # the largest class alone holds 17% of the mass


def test_class_losses_gd_slow_on_rare_sign_uniform():
    pi = dy.tiered_zipf(5).frequencies
    c = pi.size
    gd = dy.orthonormal_class_losses(pi, lr=1.0, steps=20_000, method="gd")
    sign = dy.orthonormal_class_losses(pi, lr=0.01, steps=300, method="sign")
    order = np.argsort(-pi, kind="stable")
    assert np.all(np.diff(gd[-1][order]) >= 0)  # rarer class, higher loss
    # Theta(1/(pi t)): pi_k t l_k(t) -> (c-1)/(eta c) for every class
    ratio = pi * 20_000 * gd[-1] / ((c - 1) / c)
    # relative correction ~ (c-1) log(eta pi c t)/(eta pi c t): 3.5% for the rarest class here
    x = pi * c * 20_000
    assert np.all(np.abs(ratio - 1) <= (c - 1) * np.log(x) / x)
    assert np.all(sign == sign[:, :1])  # independent of pi_k
    assert_allclose(sign[:, 0], np.log1p((c - 1) * np.exp(-0.02 * np.arange(301))), rtol=1e-14)


def test_quadratic_trajectory():
    pi = np.array([0.5, 0.3, 0.2])
    gd = dy.quadratic_trajectory(pi, lr=0.5, steps=10, method="gd")
    assert_allclose(gd[-1], pi * (1 - pi) ** 20, rtol=1e-14)
    sg = dy.quadratic_trajectory(pi, lr=0.1, steps=5, method="sign")
    assert_allclose(sg[-1], pi * 0.5**2, rtol=1e-12)


# --------------------------------------------------------------------------------------------
# bad inputs
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: dy.memory_loss(np.zeros((2, 3)), np.eye(2), np.eye(2), [0, 1], [0.5, 0.5]), "W"),
        (lambda: dy.memory_loss(np.zeros((2, 2)), np.eye(2), np.eye(2), [0, 1], [0.5, 0.6]), "p"),
        (
            lambda: dy.memory_loss(np.zeros((2, 2)), np.eye(2), np.eye(2), [0, 2], [0.5, 0.5]),
            "targets",
        ),
        (
            lambda: dy.memory_loss(
                np.zeros((2, 2)), np.eye(2), np.ones((1, 2)), [0, 0], [0.5, 0.5]
            ),
            "U",
        ),
        (lambda: dy.memory_gd(np.eye(2), np.eye(2), [0, 1], [0.5, 0.5], lr=0.0, steps=3), "lr"),
        (
            lambda: dy.particle_gd(np.eye(2), np.eye(2), [0, 1], [0.5, 0.5], lr=1.0, steps=-1),
            "steps",
        ),
        (lambda: dy.orthonormal_margin_recursion([0.5, 0.5], 1, lr=1.0, steps=3), "answers"),
        (lambda: dy.orthonormal_loss_asymptote(3, 2, lr=1.0, t=0.0), "t"),
        (lambda: dy.two_particle_dynamics(1.5, 0.5, lr=1.0, steps=3), "p1"),
        (lambda: dy.two_particle_step_threshold(0.5, 1.5), "cosine"),
        (lambda: dy.underparameterized_gap(np.ones((3, 3)), [0, 1, 0], [0.2, 0.3, 0.5]), "E"),
        (lambda: dy.underparameterized_problem(10, -1), "seed"),
        (lambda: dy.sequential_learning_ode(10, 4, 8, t_max=10.0), "S"),
        (lambda: dy.sequential_learning_gd(16, 1, 8, lr=0.1, steps=10), "R"),
        (lambda: dy.factual_recall_plateaus(4, 0), "D"),
        (lambda: dy.noisy_recall_bayes_floor(1.2), "noise"),
        (lambda: dy.noisy_recall_bayes_floor(0.3, vocab_size=1), "vocab_size"),
        (lambda: dy.low_rank_truncation(np.eye(3), 2.0), "rho"),
        (lambda: dy.truncation_error(np.eye(3), 4), "rank"),
        (lambda: dy.tiered_zipf(0), "m"),
        (lambda: dy.equal_mass_groups([0.5, -0.1], 2), "frequencies"),
        (lambda: dy.orthonormal_class_losses([0.5, 0.5], lr=1.0, steps=3, method="adam"), "method"),
        (lambda: dy.quadratic_trajectory([0.5, 0.5], lr=-1.0, steps=3), "lr"),
    ],
)
def test_bad_inputs_raise_naming_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()
