"""Tests of memtheory.geometry: known values, reference implementations, invariances."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg as sl
import scipy.spatial as ssp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import geometry as g
from memtheory import graphs

seeds = st.integers(0, 2**32 - 1)


def rand_orthogonal(rng, m):
    q, r = np.linalg.qr(rng.normal(size=(m, m)))
    return q * np.sign(np.diag(r))


def relabel(rng, X, *index_arrays):
    """New node perm[i] carries X[i]; node-id arrays are mapped through perm."""
    perm = rng.permutation(X.shape[0])
    Xp = np.empty_like(X)
    Xp[perm] = X
    return (Xp, *[perm[np.asarray(a)] for a in index_arrays])


def random_edges(rng, n, k, self_loops=False):
    E = rng.integers(0, n, size=(k, 2))
    if not self_loops:
        E = E[E[:, 0] != E[:, 1]]
    if E.shape[0] == 0:
        E = np.array([[0, 1]])
    return E


def circle(n):
    t = 2 * np.pi * np.arange(n) / n
    return np.stack([np.cos(t), np.sin(t)], axis=1)


# ------------------------------------------------------------------------------------------
# principal angles
# ------------------------------------------------------------------------------------------
def test_principal_angles_match_scipy():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(12, 3)), rng.normal(size=(12, 5))
    assert_allclose(g.principal_angles(A, B), np.sort(sl.subspace_angles(A, B)), atol=1e-12)


def test_principal_angles_small_angle_accurate():
    t = 1e-9
    A = np.array([[1.0], [0.0], [0.0]])
    B = np.array([[math.cos(t)], [math.sin(t)], [0.0]])
    assert_allclose(g.principal_angles(A, B), [t], rtol=1e-6)
    A2 = np.eye(4)[:, :2]
    assert_allclose(g.principal_angles(A2, A2 @ np.array([[2.0, 1.0], [0.0, 3.0]])), 0, atol=1e-15)


def test_principal_angles_rank_deficient_and_orthogonal():
    A = np.eye(5)[:, [0, 1, 1]]  # rank 2
    B = np.eye(5)[:, [2, 3, 4]]
    assert_allclose(g.principal_angles(A, B), [np.pi / 2, np.pi / 2], atol=1e-15)


@given(seed=seeds, n=st.integers(4, 12), p=st.integers(1, 4), q=st.integers(1, 4))
def test_principal_angles_invariances(seed, n, p, q):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n, p)), rng.normal(size=(n, q))
    ang = g.principal_angles(A, B)
    assert ang.shape == (min(p, q, n),)
    assert np.all(np.diff(ang) >= 0) and np.all((ang >= 0) & (ang <= np.pi / 2 + 1e-15))
    # embeddings rotated on the right: same column space
    assert_allclose(
        g.principal_angles(A @ rand_orthogonal(rng, p), B @ rand_orthogonal(rng, q)),
        ang,
        atol=1e-9,
    )
    # common relabeling / rotation of the rows
    Q = rand_orthogonal(rng, n)
    assert_allclose(g.principal_angles(Q @ A, Q @ B), ang, atol=1e-9)


# ------------------------------------------------------------------------------------------
# energies
# ------------------------------------------------------------------------------------------
def test_subspace_energy_known_values():
    rng = np.random.default_rng(1)
    basis = rng.normal(size=(8, 3))
    inside = basis @ rng.normal(size=(3, 5))
    assert_allclose(g.subspace_energy(inside, basis), 1.0, atol=1e-12)
    Q = np.linalg.qr(np.concatenate([basis, rng.normal(size=(8, 5))], axis=1))[0]
    outside = Q[:, 3:] @ rng.normal(size=(5, 4))
    assert_allclose(g.subspace_energy(outside, basis), 0.0, atol=1e-12)
    # centering removes the mean row: constant + in-span part -> 1 inside span(basis)
    X = inside + 7.0
    assert g.subspace_energy(X, basis) < 1.0 - 1e-6
    Bc = basis - basis.mean(axis=0)
    assert_allclose(g.subspace_energy(Bc @ np.ones((3, 2)) + 7.0, Bc, center=True), 1.0, atol=1e-12)


@given(seed=seeds, n=st.integers(3, 12), m=st.integers(1, 6), k=st.integers(1, 5))
def test_energies_in_unit_interval_and_rotation_invariant(seed, n, m, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m)) * rng.exponential(size=m)
    basis = rng.normal(size=(n, min(k, n)))
    Q = rand_orthogonal(rng, m)
    for center in (False, True):
        e = g.subspace_energy(X, basis, center=center)
        assert 0.0 <= e <= 1.0
        assert_allclose(g.subspace_energy(X @ Q, basis, center=center), e, atol=1e-12)
        assert_allclose(g.subspace_energy(3.5 * X, basis, center=center), e, atol=1e-12)
    V = np.linalg.qr(rng.normal(size=(n, n)))[0]
    for center in (False, True):
        full = g.spectral_energy(X, V, center=center)
        assert np.all((full >= 0) & (full <= 1))
        assert_allclose(full.sum(), 1.0, atol=1e-12)
        assert_allclose(g.spectral_energy(X @ Q, V, center=center), full, atol=1e-12)
        part = g.spectral_energy(X, V[:, : min(k, n)], center=center)
        assert part.sum() <= 1.0 + 1e-12
        # per-eigenvector energies add up to the subspace energy
        assert_allclose(
            part.sum(), g.subspace_energy(X, V[:, : min(k, n)], center=center), atol=1e-12
        )


def test_spectral_energy_rejects_non_orthonormal():
    with pytest.raises(ValueError, match="^eigvecs must have orthonormal"):
        g.spectral_energy(np.ones((4, 2)), np.ones((4, 2)))


# ------------------------------------------------------------------------------------------
# Procrustes and CKA
# ------------------------------------------------------------------------------------------
def test_procrustes_matches_scipy_and_brute_force():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(9, 3)), rng.normal(size=(9, 3))
    assert_allclose(g.procrustes_distance(X, Y) ** 2, ssp.procrustes(X, Y)[2], rtol=1e-12)
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    R, _ = sl.orthogonal_procrustes(Yc, Xc)
    assert_allclose(
        g.procrustes_distance(X, Y, scale=False), np.linalg.norm(Xc - Yc @ R), rtol=1e-12
    )
    # different widths: the narrow one is zero-padded
    Z = np.concatenate([Y, np.zeros((9, 2))], axis=1)
    assert_allclose(
        g.procrustes_distance(X, Z, scale=False), g.procrustes_distance(X, Y, scale=False)
    )


@given(seed=seeds, n=st.integers(3, 12), m=st.integers(1, 6))
def test_procrustes_and_cka_invariances(seed, n, m):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n, m)), rng.normal(size=(n, m + 1))
    Q1, Q2 = rand_orthogonal(rng, m), rand_orthogonal(rng, m + 1)
    shift = rng.normal(size=m)
    # a rotated, shifted, scaled copy is at distance 0 and has CKA 1
    assert_allclose(g.procrustes_distance(X, 2.5 * X @ Q1 + shift), 0.0, atol=1e-7)
    assert_allclose(g.procrustes_distance(X, X @ Q1 + shift, scale=False), 0.0, atol=1e-7)
    assert_allclose(g.linear_cka(X, 2.5 * X @ Q1 + shift), 1.0, atol=1e-12)
    for scale in (True, False):
        d = g.procrustes_distance(X, Y, scale=scale)
        assert_allclose(g.procrustes_distance(X @ Q1, Y @ Q2, scale=scale), d, atol=1e-10)
        assert_allclose(g.procrustes_distance(Y, X, scale=scale), d, atol=1e-10)
    assert 0.0 <= g.procrustes_distance(X, Y) <= 1.0
    c = g.linear_cka(X, Y)
    assert 0.0 <= c <= 1.0
    assert_allclose(g.linear_cka(X @ Q1, 0.3 * Y @ Q2), c, atol=1e-12)
    assert_allclose(g.linear_cka(Y, X), c, atol=1e-12)


def hsic_cka(X, Y):
    n = X.shape[0]
    H = np.eye(n) - np.ones((n, n)) / n
    K, L = H @ X @ X.T @ H, H @ Y @ Y.T @ H
    return np.trace(K @ L) / math.sqrt(np.trace(K @ K) * np.trace(L @ L))


@pytest.mark.parametrize("width", [2, 30])  # feature form and kernel form
def test_linear_cka_matches_hsic(width):
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(10, width)), rng.normal(size=(10, 4))
    assert_allclose(g.linear_cka(X, Y), hsic_cka(X, Y), rtol=1e-12)


# ------------------------------------------------------------------------------------------
# ranks
# ------------------------------------------------------------------------------------------
def test_ranks_known_values():
    rng = np.random.default_rng(4)
    U = np.linalg.qr(rng.normal(size=(10, 10)))[0]
    X = U[:, :3] * 2.0 @ rand_orthogonal(rng, 3)
    assert_allclose(g.effective_rank(X), 3.0, rtol=1e-12)
    assert g.numerical_rank(X) == 3
    assert_allclose(g.effective_rank(np.outer(np.arange(1.0, 6), [1.0, 2.0])), 1.0, rtol=1e-12)
    s = np.array([3.0, 1.0])
    p = s / s.sum()
    assert_allclose(g.effective_rank(np.diag(s)), np.exp(-np.sum(p * np.log(p))), rtol=1e-12)
    assert g.numerical_rank(np.diag([1.0, 1e-7])) == 1
    assert g.numerical_rank(np.diag([1.0, 1e-7]), rtol=1e-8) == 2
    assert g.numerical_rank(np.zeros((3, 2))) == 0


@given(seed=seeds, n=st.integers(2, 12), m=st.integers(1, 6))
def test_ranks_rotation_invariant(seed, n, m):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m)) @ np.diag(rng.exponential(size=m))
    Q = rand_orthogonal(rng, m)
    er = g.effective_rank(X)
    assert 1.0 - 1e-12 <= er <= min(n, m) + 1e-12
    assert_allclose(g.effective_rank(X @ Q), er, rtol=1e-10)
    assert g.numerical_rank(X @ Q) == g.numerical_rank(X)


# ------------------------------------------------------------------------------------------
# edge metrics
# ------------------------------------------------------------------------------------------
def test_mean_edge_cosine_circle():
    E = graphs.cycle(15).directed_edges("both")
    assert_allclose(g.mean_edge_cosine(circle(15), E), math.cos(2 * math.pi / 15), rtol=1e-12)
    E_self = graphs.cycle(15).directed_edges("both", self_edges=True)
    want = (30 * math.cos(2 * math.pi / 15) + 15) / 45
    assert_allclose(g.mean_edge_cosine(circle(15), E_self), want, rtol=1e-12)


def released_topk_edges(X, E, k):
    """Released metrics.py semantics: S = X X^T, diagonal masked, top-k by sorting."""
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    top = np.argsort(-S, axis=1)[:, :k]
    return np.mean([v in top[u] for u, v in E])


def released_topk_nodes(X, E):
    """Released notebook compute_topk_recovery_percent: mean_u recovered(u)/deg(u), top-deg."""
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    order = np.argsort(-S, axis=1)
    nbrs = {}
    for u, v in E:
        nbrs.setdefault(int(u), set()).add(int(v))
    return np.mean([len(set(order[u, : len(nb)]) & nb) / len(nb) for u, nb in nbrs.items()])


@given(seed=seeds, n=st.integers(3, 14), m=st.integers(1, 6), k=st.integers(1, 5))
def test_topk_matches_released_reference(seed, n, m, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    E = np.unique(random_edges(rng, n, 3 * n), axis=0)
    k = min(k, n - 1)
    assert_allclose(g.topk_edge_recovery(X, E, k=k), released_topk_edges(X, E, k), atol=1e-15)
    assert_allclose(
        g.topk_edge_recovery(X, E, average="nodes"), released_topk_nodes(X, E), atol=1e-15
    )
    # the score-matrix form with S = X X^T gives the same number
    S = X @ X.T
    assert_allclose(g.topk_edge_recovery(scores=S, edges=E, k=k), released_topk_edges(X, E, k))
    assert g.topk_edge_recovery(X, E, k=n - 1) == 1.0


@given(seed=seeds, n=st.integers(3, 14), m=st.integers(1, 6))
def test_edge_metrics_rotation_and_relabel_invariant(seed, n, m):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    E = random_edges(rng, n, 2 * n)
    Q = rand_orthogonal(rng, m)
    cos = g.mean_edge_cosine(X, E)
    rec = g.topk_edge_recovery(X, E)
    rec_nodes = g.topk_edge_recovery(X, E, k=2 if n > 2 else 1, average="nodes")
    assert 0.0 <= rec <= 1.0 and -1.0 <= cos <= 1.0
    assert_allclose(g.mean_edge_cosine(X @ Q, E), cos, atol=1e-12)
    assert_allclose(g.mean_edge_cosine(X * rng.exponential(size=(n, 1)), E), cos, atol=1e-12)
    assert g.topk_edge_recovery(X @ Q, E) == rec
    Xp, Ep = relabel(rng, X, E)
    assert_allclose(g.mean_edge_cosine(Xp, Ep), cos, atol=1e-12)
    assert g.topk_edge_recovery(Xp, Ep) == rec
    assert_allclose(
        g.topk_edge_recovery(Xp, Ep, k=2 if n > 2 else 1, average="nodes"), rec_nodes, rtol=1e-14
    )


def test_topk_ties_are_pessimistic_and_geometry_recovers_cycle():
    E = graphs.cycle(15).directed_edges("both")
    assert g.topk_edge_recovery(np.zeros((15, 3)), E) == 0.0  # all tied: nothing recovered
    assert g.topk_edge_recovery(circle(15), E) == 1.0
    # rotation round-off cannot break the cos/sin symmetric ties into hits or misses
    Q = rand_orthogonal(np.random.default_rng(5), 2)
    assert g.topk_edge_recovery(circle(15) @ Q, E) == 1.0
    # self-edges: the node itself must be in its top-(deg+1)
    Es = graphs.cycle(15).directed_edges("both", self_edges=True)
    assert g.topk_edge_recovery(circle(15), Es, self_edges=True) == 1.0


def test_topk_large_graph_blocks():
    G = graphs.path_star(300, 5)  # 1201 nodes; several score blocks, a degree-300 root
    E = G.directed_edges("both")
    rng = np.random.default_rng(6)
    X = rng.normal(size=(G.n, 16))
    got = g.topk_edge_recovery(X, E, k=7)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    kth = np.sort(S, axis=1)[:, -7]
    want = np.mean(S[E[:, 0], E[:, 1]] >= kth[E[:, 0]])
    assert_allclose(got, want, atol=1e-15)


def naive_topk(X, E, k=None, self_edges=False, average="edges"):
    """The definition, edge by edge: (u, v) is recovered iff at most k_u candidates w score
    S_uw >= S_uv - 1e-9 max_w |S_uw| (v included, the diagonal excluded unless self_edges)."""
    S = X @ X.T
    E = np.unique(E, axis=0)
    deg = np.bincount(E[:, 0], minlength=S.shape[0])
    per = {}
    for u, v in E:
        row = S[u].copy()
        tau = 1e-9 * max(np.abs(row).max(), np.finfo(float).tiny)
        if not self_edges:
            row[u] = -np.inf
        ku = deg[u] if k is None else k
        per.setdefault(int(u), []).append(np.count_nonzero(row >= S[u, v] - tau) <= ku)
    if average == "edges":
        return float(np.mean([h for hs in per.values() for h in hs]))
    return float(np.mean([np.mean(hs) for hs in per.values()]))


@settings(max_examples=40)
@given(
    seed=seeds,
    n=st.integers(3, 60),
    m=st.integers(1, 5),
    k=st.one_of(st.none(), st.integers(1, 4)),
    kind=st.sampled_from(["normal", "rounded", "equal"]),
    average=st.sampled_from(["edges", "nodes"]),
)
def test_blocked_topk_equals_the_naive_definition(seed, n, m, k, kind, average):
    # tiny blocks force many blocks, both worker threads and the candidate path; rounded and
    # equal embeddings make ties
    from unittest import mock

    from memtheory.geometry import edge_metrics

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    if kind == "rounded":
        X = np.round(X)
    elif kind == "equal":
        X[:] = 1.0
    E = graphs.random_graph(n, min(n - 1, 3.0), seed=seed % 1000).directed_edges("both")
    k = None if k is None else min(k, n - 1)
    with mock.patch.object(edge_metrics, "_BLOCK_ENTRIES", 3 * n):
        got = g.topk_edge_recovery(X, E, k=k, average=average)
    assert got == naive_topk(X, E, k, average=average)


# ------------------------------------------------------------------------------------------
# skewed low-rank decomposition
# ------------------------------------------------------------------------------------------
def brute_top1_margin(Z, E, self_edges=False):
    n = Z.shape[0]
    nb = {}
    for u, v in E:
        nb.setdefault(int(u), set()).add(int(v))
    acc, margins = [], []
    for u, vs in nb.items():
        cand = [w for w in range(n) if self_edges or w != u]
        best = max(cand, key=lambda w: Z[u, w])
        acc.append(best in vs)
        non = [w for w in cand if w not in vs]
        if non:
            margins.append(max(Z[u, v] for v in vs) - max(Z[u, w] for w in non))
    return np.mean(acc), (np.mean(margins) if margins else np.nan)  # nan: no non-edge


@given(seed=seeds, n=st.integers(3, 12), m=st.integers(1, 8))
def test_skewed_low_rank_reference_and_invariances(seed, n, m):
    rng = np.random.default_rng(seed)
    E_emb, W, b = rng.normal(size=(n, m)), rng.normal(size=(m, m)), rng.normal(size=m)
    edges = random_edges(rng, n, 2 * n)
    r = g.skewed_low_rank(E_emb, W, edges, b=b)
    # reference: the decomposition written out, then a plain argmax / margin loop
    _, _, Vh = np.linalg.svd(E_emb, full_matrices=False)
    lam = np.diag(Vh @ W @ Vh.T)
    Z_skew = E_emb @ (Vh.T @ np.diag(lam) @ Vh) @ E_emb.T + E_emb @ b
    Z_full = E_emb @ W @ E_emb.T + E_emb @ b
    assert_allclose(r.lambda_, lam, atol=1e-12)
    t1, mg = brute_top1_margin(Z_skew, edges)
    assert_allclose([r.top1_acc, r.margin], [t1, mg], atol=1e-9)
    t1f, mgf = brute_top1_margin(Z_full, edges)
    assert_allclose([r.full_top1_acc, r.full_margin], [t1f, mgf], atol=1e-9)
    # reparametrization E -> E Q, W -> Q^T W Q, b -> Q^T b leaves every number unchanged
    Q = rand_orthogonal(rng, m)
    r2 = g.skewed_low_rank(E_emb @ Q, Q.T @ W @ Q, edges, b=Q.T @ b)
    for key in ("top1_acc", "margin", "full_top1_acc", "full_margin"):
        assert_allclose(getattr(r2, key), getattr(r, key), atol=1e-8)
    # relabeling nodes
    Ep, edges_p = relabel(rng, E_emb, edges)
    r3 = g.skewed_low_rank(Ep, W, edges_p, b=b)
    for key in ("top1_acc", "margin", "full_top1_acc", "full_margin"):
        assert_allclose(getattr(r3, key), getattr(r, key), atol=1e-9)


def test_skewed_low_rank_geometric_vs_associative():
    G = graphs.cycle(15)
    E = G.directed_edges("both")
    # geometric: circle embedding, W = I is already diagonal in E's singular basis
    r = g.skewed_low_rank(circle(15), np.eye(2), E)
    assert r.top1_acc == 1.0 == r.full_top1_acc
    assert_allclose(r.margin, r.full_margin, rtol=1e-12)
    assert_allclose(r.margin, math.cos(2 * math.pi / 15) - math.cos(4 * math.pi / 15))
    # associative: one-hot-like embeddings (distinct scales), W stores the adjacency
    D = np.diag(np.arange(1.0, 16.0))
    W = np.linalg.inv(D) @ G.adjacency().toarray() @ np.linalg.inv(D)
    r = g.skewed_low_rank(D, W, E)
    assert r.full_top1_acc == 1.0 and r.full_margin == pytest.approx(1.0, abs=1e-12)
    assert r.top1_acc == 0.0 and r.margin == pytest.approx(0.0, abs=1e-12)
    assert_allclose(r.W_skewed, 0.0, atol=1e-15)


def test_edge_top1_margin_self_edges():
    Z = np.array([[5.0, 1.0, 0.0], [0.0, 5.0, 2.0], [1.0, 0.0, 5.0]])
    E = np.array([[0, 1], [1, 2], [2, 0]])
    out = g.edge_top1_margin(Z, E)
    assert out.top1_acc == 1.0
    assert_allclose(out.margin, np.mean([1.0, 2.0, 1.0]))
    Es = np.concatenate([E, [[0, 0], [1, 1], [2, 2]]])
    out = g.edge_top1_margin(Z, Es, self_edges=True)
    assert out.top1_acc == 1.0
    # without self-edges in the list but the diagonal allowed, the diagonal wins
    assert g.edge_top1_margin(Z, E, self_edges=True).top1_acc == 0.0


def test_edge_results_are_frozen_with_the_historical_keys():
    import dataclasses

    G = graphs.cycle(6)
    E = G.directed_edges("both")
    t = g.edge_top1_margin(circle(6) @ circle(6).T, E)
    assert t.as_dict() == {"top1_acc": t.top1_acc, "margin": t.margin}
    r = g.skewed_low_rank(circle(6), np.eye(2), E)
    d = r.as_dict()
    assert list(d) == ["top1_acc", "margin", "full_top1_acc", "full_margin", "lambda", "W_skewed"]
    assert d["lambda"] is r.lambda_ and d["W_skewed"] is r.W_skewed
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.margin = 0.0


# ------------------------------------------------------------------------------------------
# path-star diagnostics
# ------------------------------------------------------------------------------------------
def geometric_path_star(d, ell, rng, noise=0.05):
    """Each arm on its own direction, nodes growing along it (a 'geometric' embedding)."""
    G = graphs.path_star(d, ell)
    X = np.zeros((G.n, d + 1))
    X[G.meta["root"], d] = 1.0
    for i, arm in enumerate(G.meta["arms"]):
        for j, node in enumerate(arm):
            X[node, i] = 1.0 + j
            X[node, d] = 1.0
    return G, X + noise * rng.normal(size=X.shape)


def test_leaf_first_hop_contrast_geometric_and_random():
    rng = np.random.default_rng(7)
    G, X = geometric_path_star(6, 5, rng)
    out = g.leaf_first_hop_contrast(X, G.meta["leaves"], G.meta["first_hops"])
    assert out.heatmap.shape == (6, 6)
    assert out.diag_rank_acc == 1.0 and out.contrast > 0.3
    assert_allclose(out.contrast, out.offdiag_mean - out.diag_mean)
    H = out.heatmap
    a, b = X[G.meta["leaves"][2]], X[G.meta["first_hops"][4]]
    cos = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    assert_allclose(H[2, 4], 1 - cos, rtol=1e-12)
    # a random embedding: no diagonal structure to speak of
    rand = g.leaf_first_hop_contrast(
        rng.normal(size=X.shape), G.meta["leaves"], G.meta["first_hops"]
    )
    assert abs(rand.contrast) < out.contrast
    keys = ["heatmap", "diag_mean", "offdiag_mean", "contrast", "diag_rank_acc"]
    assert list(out.as_dict()) == keys


@given(seed=seeds, d=st.integers(2, 6), ell=st.integers(3, 6), m=st.integers(1, 6))
def test_path_star_diagnostics_invariances(seed, d, ell, m):
    rng = np.random.default_rng(seed)
    G = graphs.path_star(d, ell)
    X = rng.normal(size=(G.n, m))
    leaves, hops, arms = G.meta["leaves"], G.meta["first_hops"], G.meta["arms"]
    Q = rand_orthogonal(rng, m)
    c = g.leaf_first_hop_contrast(X, leaves, hops)
    c2 = g.leaf_first_hop_contrast(X @ Q, leaves, hops)
    assert_allclose(c2.heatmap, c.heatmap, atol=1e-10)
    assert c2.diag_rank_acc == c.diag_rank_acc
    Xp, lp, hp, ap = relabel(rng, X, leaves, hops, arms)
    c3 = g.leaf_first_hop_contrast(Xp, lp, hp)
    assert_allclose(c3.heatmap, c.heatmap, atol=1e-12)
    for metric in ("cosine", "euclidean"):
        D = g.path_distance_matrix(X, arms, metric=metric)
        assert_allclose(D, D.T, atol=1e-12)
        assert_allclose(g.path_distance_matrix(X @ Q, arms, metric=metric), D, atol=1e-9)
        assert_allclose(g.path_distance_matrix(Xp, ap, metric=metric), D, atol=1e-12)


def test_path_distance_matrix_true_means_and_paper_normalizer():
    rng = np.random.default_rng(8)
    G = graphs.path_star(3, 5)
    X = rng.normal(size=(G.n, 4))
    arms = G.meta["arms"]
    L = arms.shape[1]

    def dist(a, b):
        return np.linalg.norm(X[a] - X[b])

    want = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            if i == j:
                pairs = [(arms[i, k], arms[i, q]) for k in range(L) for q in range(k + 1, L)]
            else:
                pairs = [(arms[i, k], arms[j, q]) for k in range(L) for q in range(L)]
            want[i, j] = np.mean([dist(a, b) for a, b in pairs])
    D = g.path_distance_matrix(X, arms, metric="euclidean")
    assert_allclose(D, want, rtol=1e-12)
    # the paper's printed normalizers: C(ell, 2) and ell^2 with ell = L + 1
    P = g.path_distance_matrix(X, arms, metric="euclidean", normalizer="paper")
    ell = L + 1
    off = ~np.eye(3, dtype=bool)
    assert_allclose(P[off], want[off] * L**2 / ell**2, rtol=1e-12)
    assert_allclose(np.diag(P), np.diag(want) * math.comb(L, 2) / math.comb(ell, 2), rtol=1e-12)
    # geometric embedding: within-path distances smaller than between-path ones
    Gg, Xg = geometric_path_star(4, 5, rng)
    Dg = g.path_distance_matrix(Xg, Gg.meta["arms"])
    assert np.all(np.diag(Dg)[:, None] < Dg + np.eye(4))


# ------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------
X4 = np.arange(12.0).reshape(4, 3) + 1.0
E4 = np.array([[0, 1], [1, 2], [2, 3]])
NAN = np.where(np.eye(4, 3) > 0, np.nan, 1.0)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: g.principal_angles(np.ones(4), X4), "A"),
        (lambda: g.principal_angles(X4, np.ones((5, 2))), "B"),
        (lambda: g.principal_angles(np.zeros((4, 2)), X4), "A"),
        (lambda: g.subspace_energy(NAN, X4), "X"),
        (lambda: g.subspace_energy(X4, X4[:3]), "basis"),
        (lambda: g.subspace_energy(np.zeros((4, 2)), X4), "X"),
        (lambda: g.subspace_energy(X4, X4, center=1), "center"),
        (lambda: g.spectral_energy(X4, np.eye(4, 5)), "eigvecs"),
        (lambda: g.procrustes_distance(X4, X4[:2]), "Y"),
        (lambda: g.procrustes_distance(np.ones((4, 2)), X4), "X"),
        (lambda: g.linear_cka(X4, np.ones((4, 3))), "Y"),
        (lambda: g.linear_cka(np.full((4, 3), np.inf), X4), "X"),
        (lambda: g.effective_rank(np.zeros((3, 3))), "X"),
        (lambda: g.effective_rank(np.zeros((0, 3))), "X"),
        (lambda: g.numerical_rank(X4, rtol=0), "rtol"),
        (lambda: g.mean_edge_cosine(X4, [[0, 4]]), "edges"),
        (lambda: g.mean_edge_cosine(X4, [[0, -1]]), "edges"),
        (lambda: g.mean_edge_cosine(X4, [[0.5, 1]]), "edges"),
        (lambda: g.mean_edge_cosine(X4, [0, 1, 2]), "edges"),
        (lambda: g.mean_edge_cosine(np.zeros((4, 3)), E4), "X"),
        (lambda: g.topk_edge_recovery(X4, E4, scores=X4 @ X4.T), "embeddings"),
        (lambda: g.topk_edge_recovery(edges=E4), "embeddings"),
        (lambda: g.topk_edge_recovery(X4), "edges"),
        (lambda: g.topk_edge_recovery(X4, E4, k=4), "k"),
        (lambda: g.topk_edge_recovery(X4, E4, k=0), "k"),
        (lambda: g.topk_edge_recovery(X4, [[1, 1]]), "edges"),
        (lambda: g.topk_edge_recovery(scores=X4, edges=E4), "scores"),
        (lambda: g.topk_edge_recovery(X4, E4, average="mean"), "average"),
        (lambda: g.edge_top1_margin(X4, E4), "scores"),
        (lambda: g.skewed_low_rank(X4, np.eye(2), E4), "W"),
        (lambda: g.skewed_low_rank(X4, np.eye(3), E4, b=np.ones(2)), "b"),
        (lambda: g.skewed_low_rank(X4, np.eye(3), [[0, 9]]), "edges"),
        (lambda: g.skewed_low_rank(X4, np.eye(3), E4, self_edges="no"), "self_edges"),
        (lambda: g.leaf_first_hop_contrast(X4, [0, 1], [2]), "first_hops"),
        (lambda: g.leaf_first_hop_contrast(X4, [0], [2]), "leaves"),
        (lambda: g.leaf_first_hop_contrast(X4, [0, 7], [2, 3]), "leaves"),
        (lambda: g.path_distance_matrix(X4, [[0], [1]]), "arms"),
        (lambda: g.path_distance_matrix(X4, [0, 1]), "arms"),
        (lambda: g.path_distance_matrix(X4, [[0, 1], [2, 3]], metric="l1"), "metric"),
        (lambda: g.path_distance_matrix(X4, [[0, 1], [2, 3]], normalizer="x"), "normalizer"),
    ],
)
def test_bad_inputs_raise_value_error_naming_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()
