"""memtheory.periodic_pde: unitary advection, contracting diffusion, the semigroup property,
shift equivariance, agreement with a finite-difference integration, the data, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import periodic_pde as pp

_odd_n = st.integers(1, 20).map(lambda m: 2 * m + 1)
_c = st.floats(-3, 3)
_nu = st.floats(0, 0.5)
_dt = st.floats(0, 2)


def _field(n, seed):
    return np.random.default_rng(seed).standard_normal(n)


@settings(max_examples=50, deadline=None)
@given(n=_odd_n, c=_c, dt=_dt)
def test_advection_operator_is_orthogonal(n, c, dt):
    S = pp.solution_matrix(n, c=c, nu=0.0, dt=dt)
    assert_allclose(S @ S.T, np.eye(n), atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(8, 40), c=_c, dt=_dt, seed=st.integers(0, 10**6))
def test_advection_keeps_the_norm_of_band_limited_fields_on_any_grid(n, c, dt, seed):
    u = pp.random_fields(n, 3, kmax=(n - 1) // 2, seed=seed)
    assert_allclose(
        np.linalg.norm(pp.evolve(u, c=c, nu=0.0, dt=dt), axis=-1), np.linalg.norm(u, axis=-1)
    )


@settings(max_examples=50, deadline=None)
@given(n=st.integers(3, 40), nu=st.floats(1e-3, 0.5), dt=st.floats(1e-2, 2))
def test_diffusion_operator_is_a_symmetric_contraction(n, nu, dt):
    S = pp.solution_matrix(n, c=0.0, nu=nu, dt=dt)
    assert_allclose(S, S.T, atol=1e-13)
    eig = np.linalg.eigvalsh(0.5 * (S + S.T))
    m = np.fft.fftfreq(n, 1.0 / n)  # every grid mode, each with its decay exp(-nu m^2 dt)
    assert_allclose(eig, np.sort(np.exp(-nu * m**2 * dt)), atol=1e-12)
    assert eig.max() == pytest.approx(1.0, abs=1e-12)  # the mean is conserved
    u = _field(n, 0)
    u = u - u.mean()
    assert np.linalg.norm(S @ u) < np.linalg.norm(u)  # a non-constant field strictly decays


@settings(max_examples=60, deadline=None)
@given(n=_odd_n, c=_c, nu=_nu, dt1=_dt, dt2=_dt, seed=st.integers(0, 10**6))
def test_composition_is_the_sum_of_time_steps(n, c, nu, dt1, dt2, seed):
    u = _field(n, seed)
    two = pp.evolve(pp.evolve(u, c=c, nu=nu, dt=dt1), c=c, nu=nu, dt=dt2)
    assert_allclose(
        two, pp.evolve(u, c=c, nu=nu, dt=dt1 + dt2), atol=1e-12 * max(1, np.abs(u).max())
    )


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    c=_c,
    nu=_nu,
    dt=_dt,
    shift=st.integers(-50, 50),
    seed=st.integers(0, 10**6),
)
def test_operator_commutes_with_grid_shifts(n, c, nu, dt, shift, seed):
    u = _field(n, seed)
    assert_allclose(
        pp.evolve(np.roll(u, shift), c=c, nu=nu, dt=dt),
        np.roll(pp.evolve(u, c=c, nu=nu, dt=dt), shift),
        atol=1e-12,
    )


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 40), cells=st.integers(-20, 20), seed=st.integers(0, 10**6))
def test_advection_by_whole_cells_is_a_roll(n, cells, seed):
    u = _field(n, seed)
    dt = 0.5
    c = cells * pp.TWO_PI / n / dt
    assert_allclose(pp.evolve(u, c=c, nu=0.0, dt=dt), np.roll(u, cells), atol=1e-12)


def test_advection_diffusion_splits_into_its_two_parts():
    u = _field(31, 1)
    both = pp.evolve(u, c=0.8, nu=0.1, dt=0.3)
    assert_allclose(
        both, pp.evolve(pp.evolve(u, c=0.8, nu=0.0, dt=0.3), c=0.0, nu=0.1, dt=0.3), atol=1e-13
    )
    assert_allclose(
        both, pp.evolve(pp.evolve(u, c=0.0, nu=0.1, dt=0.3), c=0.8, nu=0.0, dt=0.3), atol=1e-13
    )


def _finite_difference(u, c, nu, t, n_steps):
    """RK4 in time on second-order central differences in space (a method of lines)."""
    h = pp.TWO_PI / u.size

    def rhs(v):
        dx = (np.roll(v, -1) - np.roll(v, 1)) / (2 * h)
        dxx = (np.roll(v, -1) - 2 * v + np.roll(v, 1)) / h**2
        return -c * dx + nu * dxx

    dt = t / n_steps
    for _ in range(n_steps):
        k1 = rhs(u)
        k2 = rhs(u + 0.5 * dt * k1)
        k3 = rhs(u + 0.5 * dt * k2)
        k4 = rhs(u + dt * k3)
        u = u + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return u


@pytest.mark.parametrize("c, nu", [(1.0, 0.0), (0.0, 0.1), (-0.7, 0.05)])
def test_fft_operator_matches_a_fine_finite_difference_integration(c, nu):
    t, errors = 0.5, []
    for n in (128, 256):
        u0 = pp.random_fields(n, 1, kmax=3, seed=4)[0]  # the same continuous field on both grids
        fd = _finite_difference(u0, c, nu, t, n_steps=4 * n)
        exact = pp.evolve(u0, c=c, nu=nu, dt=t)
        errors.append(np.abs(fd - exact).max() / np.abs(exact).max())
    assert errors[1] < 2e-3, errors
    assert 3.0 < errors[0] / errors[1] < 5.0, errors  # second order in h: the error is O(h^2)


def test_random_fields_are_seeded_band_limited_and_grid_independent():
    u = pp.random_fields(32, 4000, kmax=4, seed=3)
    assert u.shape == (4000, 32)
    assert_allclose(u.mean(axis=1), 0.0, atol=1e-12)
    assert np.mean(u**2) == pytest.approx(1.0, abs=0.05)
    spec = np.abs(np.fft.rfft(u, axis=1))
    assert spec[:, 5:].max() < 1e-10  # modes above kmax are empty
    assert_allclose(pp.random_fields(64, 4000, kmax=4, seed=3)[:, ::2], u, atol=1e-12)
    assert not np.allclose(pp.random_fields(32, 5, kmax=4, seed=4), u[:5])


def test_next_frame_pairs_are_exact_and_within_the_ranges():
    d = pp.next_frame_pairs(
        50, 16, history=3, dt=0.2, c_range=(-1.0, 1.0), nu_range=(0.01, 0.1), kmax=3, seed=2
    )
    assert d["history"].shape == (50, 3, 16) and d["target"].shape == (50, 16)
    assert np.all(np.abs(d["c"]) <= 1.0) and np.all((0.01 <= d["nu"]) & (d["nu"] <= 0.1))
    step = pp.evolve(d["history"][:, -1], c=d["c"], nu=d["nu"], dt=0.2)
    assert_allclose(step, d["target"], atol=1e-12)
    assert_allclose(pp.evolve(d["history"][:, 0], c=d["c"], nu=d["nu"], dt=0.2), d["history"][:, 1])
    adv = pp.next_frame_pairs(
        5, 16, history=2, dt=0.2, c_range=(0.5, 0.5), nu_range=(0.0, 0.0), kmax=3, seed=2
    )
    assert np.all(adv["c"] == 0.5) and np.all(adv["nu"] == 0.0)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: pp.random_fields(8, 1, kmax=4, seed=0), "kmax"),
        (lambda: pp.random_fields(8, 1, kmax=2, seed=-1), "seed"),
        (lambda: pp.evolve(np.ones(8), c=0.0, nu=-0.1, dt=1.0), "nu"),
        (lambda: pp.evolve(np.ones(8), c=0.0, nu=0.1, dt=-1.0), "dt"),
        (lambda: pp.evolve(np.ones((3, 8)), c=np.ones(4), nu=0.0, dt=1.0), "broadcast"),
        (lambda: pp.evolve(np.ones(1), c=0.0, nu=0.0, dt=1.0), "u must"),
        (lambda: pp.wavenumbers(8, length=0.0), "length"),
        (lambda: pp.draw_coefficients(3, c_range=(1.0, -1.0), nu_range=(0, 0), seed=0), "c_range"),
        (lambda: pp.draw_coefficients(3, c_range=(0, 0), nu_range=(-0.1, 0.1), seed=0), "nu_range"),
        (lambda: pp.draw_coefficients(3, c_range=1.0, nu_range=(0, 0), seed=0), "c_range"),
        (
            lambda: pp.next_frame_pairs(
                3, 16, history=0, dt=0.1, c_range=(0, 0), nu_range=(0, 0), kmax=2, seed=0
            ),
            "history",
        ),
        (
            lambda: pp.next_frame_pairs(
                3, 16, history=2, dt=0.0, c_range=(0, 0), nu_range=(0, 0), kmax=2, seed=0
            ),
            "dt",
        ),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
