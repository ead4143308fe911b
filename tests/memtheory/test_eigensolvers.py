"""The cluster-aware eigen-solvers behind ``spectral.spectrum`` (memtheory.eigensolvers)."""

import contextlib

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.polynomial import chebyshev
from numpy.testing import assert_allclose

from memtheory import eigensolvers, graphs, spectral
from memtheory.eigensolvers import filtered, parallel
from tests.conftest import tolerance

# eigenvalues of -L (spectrum inside [-4, 4]) against dense float64 eigh
ATOL = tolerance("float64", "solver")["atol"]


def _dense_top(M):
    return np.linalg.eigvalsh(M.toarray())[::-1]


def _check_against_dense(M, k, method, **kw):
    w_dense = _dense_top(M)
    w, U = eigensolvers.top_eigenpairs(M, k, method=method, **kw)
    # never cut a cluster: exactly the dense count up to the end of the k-th eigenvalue's cluster
    assert w.size == eigensolvers.cluster_end(w_dense, k, eigensolvers.CLUSTER_ATOL)
    assert_allclose(w, w_dense[: w.size], atol=ATOL)
    assert_allclose(U.T @ U, np.eye(w.size), atol=1e-10)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) < 1e-9
    return w, U


@pytest.mark.parametrize(
    "graph",
    [
        graphs.random_graph(600, 6, seed=1),
        graphs.random_graph(1500, 3, seed=2),  # sparse: low-degree nodes, localized tops
        graphs.random_graph(900, 30, seed=3),  # dense: a sharp bulk edge
    ],
    ids=["random600x6", "random1500x3", "random900x30"],
)
@pytest.mark.parametrize("k", [4, 16])
def test_filtered_lanczos_agrees_with_dense(graph, k):
    _check_against_dense(spectral.neg_laplacian(graph), k, "filtered-lanczos")


@pytest.mark.parametrize(("spec", "k"), [("tree-star:3x9", 4), ("tree-star:3x9", 16)])
def test_filtered_lanczos_finds_exact_multiplicities(spec, k):
    # tree-star clusters are exactly degenerate (multiplicities 2, 3, 6, 12): single-vector
    # Krylov sees one vector per eigenspace; the multiplicity probe has to find the rest
    # (plain ARPACK returns 4 of 6 and 16 of 24 here, with wrong values)
    M = spectral.neg_laplacian(graphs.parse_graph(spec))
    w, _ = _check_against_dense(M, k, "filtered-lanczos")
    assert w.size == {4: 6, 16: 24}[k]


def test_filtered_lanczos_recovers_from_a_cut_above_the_wanted_eigenvalues(monkeypatch):
    # place the filter's cut above lambda_kk on purpose: the cut check must catch it
    g = graphs.random_graph(800, 8, seed=4)
    M = spectral.neg_laplacian(g)
    w_dense = _dense_top(M)
    real = filtered.lanczos_ritz_values

    def too_high(matvec, n, *, steps, seed=0):
        good, top, bottom = real(matvec, n, steps=steps, seed=seed)
        return np.sort(np.concatenate([good, np.full(8, w_dense[2])]))[::-1], top, bottom

    monkeypatch.setattr(filtered, "lanczos_ritz_values", too_high)
    w, U = eigensolvers.top_eigenpairs(M, 8, method="filtered-lanczos")
    assert_allclose(w, w_dense[: w.size], atol=ATOL)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) < 1e-9


@pytest.mark.parametrize("tol", [1e-6, 1e-12])
def test_filtered_lanczos_residual_bound(tol):
    M = spectral.neg_laplacian(graphs.random_graph(1000, 5, seed=5))
    norm1 = abs(M).sum(axis=0).max()
    w, U = eigensolvers.top_eigenpairs(M, 6, method="filtered-lanczos", tol=tol)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) <= tol * norm1
    assert_allclose(w, _dense_top(M)[: w.size], atol=max(1e-10, 10 * tol))


def test_auto_routes():
    # a grid has a small RCM bandwidth (shift-invert); a random graph does not (filtered)
    _check_against_dense(spectral.neg_laplacian(graphs.grid(30, 31)), 6, "auto")
    _check_against_dense(spectral.neg_laplacian(graphs.random_graph(700, 6, seed=6)), 6, "auto")


@given(
    lo=st.floats(-4.0, -1.0),
    width=st.floats(0.5, 3.0),
    degree=st.sampled_from([3, 5, 9, 15]),
)
@settings(max_examples=25)
def test_chebyshev_filter_is_T_d_of_the_mapped_matrix(lo, width, degree):
    cut = lo + width
    lam = np.linspace(-4.0, 0.5, 40)
    M = sp.diags(lam, format="csr")
    x = np.random.default_rng(0).standard_normal((40, 2))
    with contextlib.ExitStack() as stack:
        op = filtered.chebyshev_filter(M, lo=lo, cut=cut, degree=degree, stack=stack)
        y = op.matmat(x)
    t = (2 * lam - (cut + lo)) / (cut - lo)
    expected = chebyshev.chebval(t, [0] * degree + [1])[:, None] * x
    assert_allclose(y, expected, rtol=1e-9, atol=1e-9 * np.max(np.abs(expected)))


def test_chebyshev_filter_deflates():
    M = spectral.neg_laplacian(graphs.random_graph(300, 6, seed=7))
    Y = np.linalg.qr(np.random.default_rng(1).standard_normal((300, 3)))[0]
    with contextlib.ExitStack() as stack:
        op = filtered.chebyshev_filter(M, lo=-4.0, cut=-1.0, degree=5, stack=stack, Y=Y)
        y = op.matvec(np.random.default_rng(2).standard_normal(300))
    assert_allclose(Y.T @ y, 0.0, atol=1e-9 * np.linalg.norm(y))


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_row_parallel_matvec_equals_the_product(threads):
    M = spectral.neg_laplacian(graphs.random_graph(2000, 7, seed=8))
    rng = np.random.default_rng(3)
    x, X = rng.standard_normal(2000), rng.standard_normal((2000, 4))
    with parallel.row_parallel_matvec(M, threads=threads) as matvec:
        assert_allclose(matvec(x), M @ x, rtol=1e-14, atol=1e-14)
        assert_allclose(matvec(X), M @ X, rtol=1e-14, atol=1e-14)
        assert_allclose(matvec(x), M @ x, rtol=1e-14, atol=1e-14)  # reusable


def test_ritz_estimate_lies_below_the_eigenvalues_of_the_same_rank():
    # Cauchy interlacing after ghosts are merged and spurious values dropped: this is what
    # makes the filter's cut fall below lambda_k
    M = spectral.neg_laplacian(graphs.random_graph(1200, 10, seed=9))
    w_dense = _dense_top(M)
    good, top, bottom = filtered.lanczos_ritz_values(lambda v: M @ v, 1200, steps=300)
    assert np.all(np.diff(good) < 0)
    assert np.all(good[:40] <= w_dense[:40] + 1e-10)
    assert top <= w_dense[0] + 1e-10 and bottom >= w_dense[-1] - 1e-10


def test_spectrum_of_a_large_random_graph_uses_the_filtered_route():
    g = graphs.random_graph(spectral.DENSE_MAX_N + 500, 6, seed=10)
    w, U = spectral.spectrum(g, 5)
    M = spectral.neg_laplacian(g)
    assert_allclose(w, _dense_top(M)[: w.size], atol=ATOL)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) < 1e-9


def test_filtered_lanczos_at_threaded_scale_agrees_with_plain_arpack():
    # 20,000 nodes: products run on row blocks in threads, the filter reaches degree 25
    M = spectral.neg_laplacian(graphs.random_graph(20_000, 10, seed=11))
    norm1 = abs(M).sum(axis=0).max()
    w, U = eigensolvers.top_eigenpairs(M, 16, method="filtered-lanczos")
    w_ref, _ = eigensolvers.top_eigenpairs(M, 16, method="lanczos", tol=1e-12)
    assert w.size == w_ref.size == 16
    assert_allclose(w, w_ref, atol=1e-10)
    assert np.max(np.linalg.norm(M @ U - U * w, axis=0)) <= 1e-9 * norm1
    assert_allclose(U.T @ U, np.eye(16), atol=1e-10)
