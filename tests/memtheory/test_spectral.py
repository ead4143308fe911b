"""Tests of memtheory.spectral (arXiv 2510.26745, Section 4; NetMF; InfiniteWalk)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import geometry, graphs, spectral


def _max_angle_deg(A, B) -> float:
    return float(np.degrees(geometry.principal_angles(A, B)).max())


# --------------------------------------------------------------------------------------------
# operators and spectra
# --------------------------------------------------------------------------------------------
@given(st.integers(min_value=3, max_value=60))
def test_cycle_spectrum_closed_form(n):
    w, U = spectral.spectrum(graphs.cycle(n))
    exact = np.sort(2 * np.cos(2 * np.pi * np.arange(n) / n) - 2)[::-1]
    assert_allclose(w, exact, atol=1e-10, rtol=0)
    assert_allclose(U.T @ U, np.eye(n), atol=1e-10)


def test_laplacian_definition_and_symmetry():
    g = graphs.irregular()
    A = g.adjacency().toarray()
    Q = A / A.sum(1, keepdims=True)
    L = spectral.laplacian(g).toarray()
    assert_allclose(L, (np.eye(g.n) - Q) + (np.eye(g.n) - Q).T, atol=1e-15)
    assert_allclose(spectral.neg_laplacian(g).toarray(), -L, atol=0)
    assert sp.issparse(spectral.laplacian(g))
    assert_allclose(spectral.transition_matrix(g).toarray(), Q, atol=1e-15)


def test_paper_tiny_spectra():
    # notes section 5: top eigenvalues of -L on the tiny graphs
    w, _ = spectral.spectrum(graphs.path_star(4, 5), 5)
    assert_allclose(w, [0.0616, -0.0947, -0.0947, -0.0947, -0.5], atol=5e-5)
    w, _ = spectral.spectrum(graphs.grid(4, 4), 4)
    assert_allclose(w, [0.0207, -0.4145, -0.4145, -0.9752], atol=5e-5)
    w, _ = spectral.spectrum(graphs.irregular(), 4)
    assert_allclose(w, [0.0238, 0.0, -0.2242, -0.4098], atol=5e-5)
    # Remark 2: exactly 0 on a regular graph, > 0 on non-regular ones
    assert abs(spectral.spectrum(graphs.cycle(16), 1)[0][0]) < 1e-14
    assert spectral.spectrum(graphs.path(10), 1)[0][0] > 1e-3


@pytest.mark.parametrize(
    "g, k, want",
    [
        (graphs.cycle(15), 2, 3),  # the pair at -0.1729 is kept whole
        (graphs.cycle(15), 4, 5),
        (graphs.path_star(4, 5), 2, 4),  # the (d-1)-fold cluster
        (graphs.path_star(6, 3), 3, 6),
    ],
)
def test_degenerate_cluster_never_cut_dense(g, k, want):
    w, U = spectral.spectrum(g, k)
    assert w.size == want and U.shape == (g.n, want)
    assert_allclose(U.T @ U, np.eye(want), atol=1e-10)


def test_degenerate_cluster_never_cut_sparse():
    # above DENSE_MAX_N: the cycle's exact pairs through the sparse (shift-invert) solver
    g = graphs.cycle(spectral.DENSE_MAX_N + 2)
    w, U = spectral.spectrum(g, 4)
    assert w.size == 5
    exact = 2 * np.cos(2 * np.pi * np.array([0, 1, 1, 2, 2]) / g.n) - 2
    assert_allclose(w, exact, atol=1e-10)
    M = spectral.neg_laplacian(g)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) < 1e-9
    # Lanczos route as well (smaller cycle: its top gaps are ~1/n^2)
    n = 300
    w2, _ = spectral.top_eigenpairs(spectral.neg_laplacian(graphs.cycle(n)), 4, method="lanczos")
    assert w2.size == 5
    assert_allclose(w2, 2 * np.cos(2 * np.pi * np.array([0, 1, 1, 2, 2]) / n) - 2, atol=1e-10)


def test_path_star_symmetry_route_matches_dense_and_keeps_clusters():
    g = graphs.path_star(700, 4)  # n = 2101 > DENSE_MAX_N: symmetry route
    assert g.n > spectral.DENSE_MAX_N
    w, U = spectral.spectrum(g, 2)
    assert w.size == 1 + 699  # top + the whole 699-fold cluster
    M = spectral.neg_laplacian(g)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) < 1e-10
    assert_allclose(U.T @ U, np.eye(w.size), atol=1e-10)
    # the top two distinct eigenvalues agree with plain Lanczos (which needs one copy each)
    w_ref = np.sort(spla.eigsh(M, k=2, which="LA", tol=1e-12)[0])[::-1]
    assert_allclose([w[0], w[1]], w_ref, atol=1e-10)
    assert_allclose(w[1:], w[1], atol=1e-12)
    B = spectral.node2vec_prediction(g, sparse=True)
    assert sp.issparse(B) and B.shape == (g.n, 700)
    assert spectral.predicted_rank(g) == 700


def test_top_eigenpairs_random_graph_agrees_with_dense():
    g = graphs.random_graph(600, 6, seed=1)
    M = spectral.neg_laplacian(g)
    w_dense = np.linalg.eigvalsh(M.toarray())[::-1]
    for method in ("filtered-lanczos", "lanczos", "shift-invert"):
        w, U = spectral.top_eigenpairs(M, 8, method=method, guard=6)
        assert_allclose(w, w_dense[: w.size], atol=1e-10)
        assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) < 1e-9


def test_eigen_clusters():
    assert spectral.eigen_clusters([1.0, 1.0, 0.5, 0.0, 0.0, 0.0]) == [(0, 2), (2, 3), (3, 6)]


# --------------------------------------------------------------------------------------------
# Eq. 1 and Lemma 5
# --------------------------------------------------------------------------------------------
@given(
    st.sampled_from(["cycle:5", "path:4", "grid:2x3", "path-star:3x3", "irregular"]),
    st.integers(min_value=1, max_value=4),
    st.floats(min_value=0.1, max_value=2.0),
    st.integers(min_value=0, max_value=10_000),
)
def test_lemma5_matches_finite_difference_gradient(spec, m, scale, seed):
    g = graphs.parse_graph(spec)
    V = np.random.default_rng(seed).normal(0.0, scale, size=(g.n, m))
    grad = spectral.lemma5_operator(g, V) @ V
    h = 1e-5
    fd = np.zeros_like(V)
    for i in range(g.n):
        for j in range(m):
            E = np.zeros_like(V)
            E[i, j] = h
            fd[i, j] = (
                spectral.node2vec_objective(g, V + E) - spectral.node2vec_objective(g, V - E)
            ) / (2 * h)
    rel = np.linalg.norm(fd - grad) / max(np.linalg.norm(grad), 1e-300)
    assert rel <= 1e-7, rel
    assert_allclose(spectral.node2vec_gradient(g, V), grad, atol=1e-14)


def test_lemma5_operator_is_symmetric_and_fact1():
    g = graphs.grid(4, 4)
    V = np.random.default_rng(0).normal(size=(g.n, 100))  # released init: P(0) ~ I
    C = spectral.lemma5_operator(g, V)
    assert_allclose(C, C.T, atol=1e-15)
    # Fact 1: C(0) ~ -L for a large init scale, and not for a small one
    assert np.max(np.abs(C - spectral.neg_laplacian(g).toarray())) < 1e-6
    Vs = np.random.default_rng(0).normal(0, 0.02, size=(g.n, 100))
    Cs = spectral.lemma5_operator(g, Vs)
    assert np.max(np.abs(Cs - spectral.neg_laplacian(g).toarray())) > 0.5


def test_objective_value():
    g = graphs.path(3)
    V = np.zeros((3, 2))  # uniform P: log(1/3) per neighbour, weights sum to 1 per node
    assert_allclose(spectral.node2vec_objective(g, V), 3 * np.log(1 / 3), rtol=1e-14)


# --------------------------------------------------------------------------------------------
# predicted rank and subspace
# --------------------------------------------------------------------------------------------
def test_predicted_rank_rule_values():
    assert spectral.predicted_rank(graphs.cycle(15)) == 3
    assert spectral.predicted_rank(graphs.path_star(4, 5)) == 4
    assert spectral.predicted_rank(graphs.grid(4, 4)) == 3
    assert spectral.predicted_rank(graphs.path(10)) == 2
    # irregular: 12-node component (1 + 1) + K4 (its -2.667 cluster is below -2): 3
    assert spectral.predicted_rank(graphs.irregular()) == 3
    assert spectral.predicted_rank(graphs.random_graph(30, 6, seed=0)) == 2


@given(
    st.integers(min_value=6, max_value=25),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
)
def test_relabeling_permutes_predicted_subspace(n, gseed, pseed):
    g = graphs.random_graph(n, 3.0, seed=gseed)
    perm = np.random.default_rng(pseed).permutation(n)
    h = g.relabel(perm)
    B = spectral.node2vec_prediction(g)
    Bh = spectral.node2vec_prediction(h)
    assert spectral.predicted_rank(h) == spectral.predicted_rank(g) == B.shape[1]
    moved = np.zeros_like(B)
    moved[perm] = B  # node i of g is node perm[i] of h
    assert _max_angle_deg(moved, Bh) < 1e-6


def test_prediction_is_orthonormal_and_per_component():
    g = graphs.irregular()
    B = spectral.node2vec_prediction(g)
    assert B.shape == (16, 3)
    assert_allclose(B.T @ B, np.eye(3), atol=1e-12)
    # the K4 column lives on nodes 12..15 only and is constant there
    k4 = np.flatnonzero(np.abs(B[12:]).sum(0) > 1e-8)
    assert k4.size == 1
    assert_allclose(np.abs(B[12:, k4[0]]), 0.5, atol=1e-12)
    assert np.all(np.abs(B[:12, k4[0]]) < 1e-12)


# --------------------------------------------------------------------------------------------
# Observation 4: exact dynamics on the paper's four tiny graphs (released setting, 10^4 steps)
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_runs():
    out = {}
    for spec in spectral.TINY_GRAPHS:
        g = graphs.parse_graph(spec)
        V, recs = spectral.node2vec_dynamics(g, d=100, steps=10_000, record_every=5000)
        out[spec] = (g, V, recs)
    return out


@pytest.mark.parametrize("spec", spectral.TINY_GRAPHS)
def test_observation4_collapse_without_bottleneck(tiny_runs, spec):
    g, V, recs = tiny_runs[spec]
    first, last = recs[0], recs[-1]
    assert V.shape == (g.n, 100)  # dim 100 > n: no bottleneck
    assert [r.step for r in recs] == [0, 5000, 10_000]
    assert first.numerical_rank == g.n and first.effective_rank > 10
    k = spectral.predicted_rank(g)
    assert last.effective_rank < k + 0.9
    assert last.numerical_rank <= k + 1
    # the gradient shrinks by orders of magnitude but does not vanish (C != 0, sec. 15 B.11)
    assert last.cv_norm < 0.03 * first.cv_norm
    assert last.energy_outside < first.energy_outside
    assert last.objective > first.objective


def test_observation4_subspace_angles(tiny_runs):
    # measured (docs/theory/spectral.md): exact on the regular cycle, ~8 degrees of tilt on
    # the non-regular graphs, and a rank mismatch (4 vs 3) on the irregular graph
    angles = {s: tiny_runs[s][2][-1].max_angle_deg for s in spectral.TINY_GRAPHS}
    energy = {s: tiny_runs[s][2][-1].energy_outside for s in spectral.TINY_GRAPHS}
    assert angles["cycle:15"] < 0.05 and energy["cycle:15"] < 1e-5
    assert angles["path-star:4x5"] < 10 and energy["path-star:4x5"] < 0.02
    assert angles["grid:4x4"] < 10 and energy["grid:4x4"] < 0.01
    assert tiny_runs["irregular"][2][-1].numerical_rank == 4  # rule predicts 3
    assert angles["irregular"] < 20 and energy["irregular"] < 0.1


def test_rule_fails_on_random_graph_as_documented():
    # measured: G(20, mean degree 4) keeps 7 directions (stable to 3e5 steps); the rule says 2
    g = graphs.random_graph(20, 4, seed=0)
    _, recs = spectral.node2vec_dynamics(g, d=100, steps=10_000, record_every=10_000)
    assert spectral.predicted_rank(g) == 2
    assert recs[-1].numerical_rank == 7
    s = recs[-1].singular_values
    assert s[6] > 0.03 * s[0] and s[7] < 1e-3 * s[0]


def test_dynamics_is_seeded_and_records_fields():
    g = graphs.cycle(6)
    V1, r1 = spectral.node2vec_dynamics(g, d=8, steps=20, record_every=10, seed=3)
    V2, r2 = spectral.node2vec_dynamics(g, d=8, steps=20, record_every=10, seed=3)
    assert_allclose(V1, V2, atol=0)
    d = r1[-1].as_dict()
    for key in (
        "step",
        "loss",
        "objective",
        "singular_values",
        "effective_rank",
        "principal_angles_deg",
        "energy_outside",
        "cv_norm",
    ):
        assert key in d
    assert d["loss"] == -d["objective"]


def test_ce_fixed_point_cycle():
    g = graphs.cycle(8)
    fp = spectral.ce_fixed_point(g, 6, seed=0, max_iter=3000)
    assert fp.grad_norm < 1e-5
    assert fp.V.dtype == np.float64
    # the stationary point found keeps the constant + Fiedler pair (rank 3) like the dynamics
    assert fp.rank == 3
    B = spectral.node2vec_prediction(g)
    assert _max_angle_deg(B, np.linalg.svd(fp.V, full_matrices=False)[0][:, :3]) < 1e-3


# --------------------------------------------------------------------------------------------
# NetMF / DeepWalk / LINE / InfiniteWalk
# --------------------------------------------------------------------------------------------
@given(st.floats(min_value=-1.0, max_value=1.5), st.integers(min_value=1, max_value=30))
def test_deepwalk_filter_equals_finite_sum(lam, T):
    ref = sum(lam**r for r in range(1, T + 1)) / T
    assert_allclose(spectral.deepwalk_filter(lam, T), ref, rtol=1e-10, atol=1e-13)


def test_deepwalk_filter_at_one_and_arrays():
    assert spectral.deepwalk_filter(1.0, 10) == 1.0
    out = spectral.deepwalk_filter(np.array([[1.0, 0.0], [-1.0, 0.5]]), 2)
    assert out.shape == (2, 2)
    assert_allclose(out, [[1.0, 0.0], [0.0, 0.375]], atol=1e-15)


def test_netmf_spectral_filter_form():
    # vol/b D^-1/2 U f(Lambda) U^T D^-1/2 equals the NetMF matrix before the log
    g = graphs.grid(3, 4)
    T, b = 5, 2.0
    d = g.degrees().astype(float)
    lam, U = np.linalg.eigh(spectral.normalized_adjacency(g).toarray())
    s = 1 / np.sqrt(d)
    filt = (U * spectral.deepwalk_filter(lam, T)) @ U.T
    ref = d.sum() / b * s[:, None] * filt * s[None, :]
    assert_allclose(spectral.netmf_matrix(g, T=T, b=b, log="none"), ref, atol=1e-12)
    assert_allclose(spectral.netmf_matrix(g, T=T, b=b), np.log(np.maximum(ref, 1.0)), atol=1e-12)


def test_line_is_netmf_t1():
    g = graphs.path_star(3, 3)
    A = g.adjacency().toarray()
    d = A.sum(1)
    ref = np.log(np.maximum(d.sum() * A / np.outer(d, d) / 3.0, 1.0))
    assert_allclose(spectral.line_matrix(g, b=3.0), ref, atol=1e-13)


def test_infinitewalk_is_limit_of_netmf():
    # with b = 1, T (M_T - J) -> M_inf as T -> infinity on a connected non-bipartite graph:
    # M_T - J = (vol/T) D^-1/2 sum_{i>=2} (sum_r lam_i^r) u_i u_i^T D^-1/2 and
    # sum_r lam^r -> lam/(1-lam), the eigenvalues of L_sym^+ - I off the top eigenvector
    for g in (graphs.cycle(7), graphs.random_graph(12, 4, seed=2)):
        Minf = spectral.infinitewalk_matrix(g)
        assert_allclose(Minf, Minf.T, atol=1e-12)
        T = 2000
        MT = spectral.netmf_matrix(g, T=T, b=1.0, log="none")
        assert_allclose(T * (MT - 1.0), Minf, atol=1e-8)
    with pytest.raises(ValueError, match="graph"):
        spectral.infinitewalk_matrix(graphs.irregular())  # two components


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
def _isolated():
    return graphs.from_edges(4, [[0, 1], [1, 2]])


@pytest.mark.parametrize(
    "call",
    [
        lambda: spectral.laplacian(_isolated()),
        lambda: spectral.neg_laplacian(_isolated()),
        lambda: spectral.spectrum(_isolated()),
        lambda: spectral.predicted_rank(_isolated()),
        lambda: spectral.node2vec_prediction(_isolated()),
        lambda: spectral.lemma5_operator(_isolated(), np.ones((4, 2))),
        lambda: spectral.node2vec_dynamics(_isolated(), d=2, steps=1),
        lambda: spectral.netmf_matrix(_isolated()),
    ],
)
def test_isolated_node_names_graph(call):
    with pytest.raises(ValueError, match="graph"):
        call()


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: spectral.spectrum(graphs.cycle(5), 0), "k"),
        (lambda: spectral.spectrum(graphs.cycle(5), 6), "k"),
        (lambda: spectral.spectrum(graphs.cycle(5), -1), "k"),
        (lambda: spectral.node2vec_dynamics(graphs.cycle(5), d=0), "d"),
        (lambda: spectral.node2vec_dynamics(graphs.cycle(5), steps=-1), "steps"),
        (lambda: spectral.node2vec_dynamics(graphs.cycle(5), lr=0.0), "lr"),
        (lambda: spectral.node2vec_dynamics(graphs.cycle(5), init_std=-1.0), "init_std"),
        (lambda: spectral.node2vec_dynamics(graphs.cycle(5), record_every=0), "record_every"),
        (lambda: spectral.ce_fixed_point(graphs.cycle(5), 0), "d"),
        (lambda: spectral.deepwalk_filter(0.5, 0), "T"),
        (lambda: spectral.deepwalk_filter(np.nan, 3), "lam"),
        (lambda: spectral.netmf_matrix(graphs.cycle(5), b=0.0), "b"),
        (lambda: spectral.lemma5_operator(graphs.cycle(5), np.full((5, 2), np.inf)), "V"),
        (lambda: spectral.lemma5_operator(graphs.cycle(5), np.ones((6, 2))), "V"),
        (lambda: spectral.node2vec_objective(graphs.cycle(5), np.ones(5)), "V"),
        (lambda: spectral.node2vec_dynamics(graphs.cycle(5), d=3, V0=np.ones((5, 2))), "V0"),
        (lambda: spectral.spectrum(42), "graph"),
        (lambda: spectral.top_eigenpairs(sp.identity(5, format="csr"), 2, method="x"), "method"),
    ],
)
def test_bad_inputs_name_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b|\b{name}\b"):
        call()


def test_dtype_float64():
    g = graphs.cycle(7)
    w, U = spectral.spectrum(g)
    assert w.dtype == np.float64 and U.dtype == np.float64
    assert spectral.lemma5_operator(g, np.ones((7, 2), dtype=np.float32)).dtype == np.float64


@pytest.mark.slow
def test_benchmark_quick_smoke():
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "spectral.py"
    out = subprocess.run(
        [sys.executable, str(script), "--quick"], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("OK") == 2
