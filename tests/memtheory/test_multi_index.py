"""memtheory.multi_index: quadrature, invariances of the overlap flow, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import multi_index as mi


def _rotation(theta):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def _overlap(seed, scale):
    A = np.random.default_rng(seed).standard_normal((2, 2))
    return scale * A / np.linalg.norm(A, 2)


def test_quadrature_integrates_gaussian_moments_exactly():
    x, w = mi.gauss_hermite(2, 4)
    assert_allclose(w.sum(), 1.0, rtol=1e-14)
    assert_allclose(w @ x[:, 0] ** 6, 15.0, rtol=1e-12)  # E z^6 = 5!! (degree 6 <= 2n - 1)
    assert_allclose(w @ (x[:, 0] ** 2 * x[:, 1] ** 4), 3.0, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    scale=st.floats(0.0, 0.95),
    theta=st.floats(0, 2 * np.pi),
    link=st.sampled_from(sorted(mi.LINKS)),
)
def test_two_timescale_loss_is_invariant_under_rotations_inside_span_w(seed, scale, theta, link):
    """The re-fitted link absorbs any rotation of W within its span: L(M Q) = L(M)."""
    M = _overlap(seed, scale)
    assert_allclose(
        mi.population_loss(M @ _rotation(theta), link),
        mi.population_loss(M, link),
        rtol=1e-10,
        atol=1e-12,
    )


@pytest.mark.parametrize("link", sorted(mi.LINKS))
def test_loss_at_zero_and_full_overlap(link):
    f = mi.LINKS[link]
    M0, I = np.zeros((2, 2)), np.eye(2)
    assert_allclose(mi.population_loss(M0, link), f.plateaus[0], rtol=1e-12)
    assert_allclose(mi.population_loss(I, link), 0.0, atol=1e-12)
    assert_allclose(mi.population_loss(I, link, mode="planted"), 0.0, atol=1e-12)
    assert_allclose(mi.overlap_velocity(I, link), 0.0, atol=1e-12)


def test_random_overlap_scales_as_inverse_sqrt_d():
    norms = [np.linalg.norm(mi.random_overlap(d, 2, seed=3)) for d in (100, 10_000)]
    assert_allclose(norms[0] / norms[1], 10.0, rtol=0.05)


def test_flow_learns_z1_then_z2_for_z1_plus_z1z2():
    out = mi.integrate_overlap(mi.random_overlap(256, 2, seed=0), "z1+z1z2", t_max=1e4)
    first, second = mi.loss_drops(out["t"], out["loss"], mi.LINKS["z1+z1z2"].plateaus)
    assert 0 < first < second < np.inf
    assert out["loss"][-1] < 1e-3


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: mi.overlap_velocity(np.eye(3)), "M"),
        (lambda: mi.overlap_velocity(2 * np.eye(2)), "M"),
        (lambda: mi.overlap_velocity(np.zeros((2, 2)), "z1^5"), "link"),
        (lambda: mi.overlap_velocity(np.zeros((2, 2)), mode="joint"), "mode"),
        (lambda: mi.overlap_velocity(np.zeros((2, 2)), n=2), "n"),
        (lambda: mi.random_overlap(1), "d"),
        (lambda: mi.random_overlap(3, 4), "r"),
        (lambda: mi.gauss_hermite(8, 40), "n"),
        (lambda: mi.integrate_overlap(np.zeros((2, 2)), t_max=0), "t_max"),
        (lambda: mi.overlap_velocity(np.zeros((2, 2)), "z1z2", method="closed-form"), "method"),
        (lambda: mi.overlap_velocity(np.zeros((2, 2)), method="exact"), "method"),
        (lambda: mi.planted_sign_trap(np.zeros((2, 2)), "z1z2"), "link"),
        (lambda: mi.planted_sign_trap(np.eye(3)), "M"),
        (lambda: mi.hermite_sum_link("g", (1.0, 0.0), (1.0,)), "coefs"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


SEPARABLE = sorted(name for name, link in mi.LINKS.items() if link.hermite_sum is not None)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    scale=st.floats(0.0, 0.99),
    link=st.sampled_from(SEPARABLE),
    mode=st.sampled_from(mi.MODES),
)
def test_closed_form_equals_quadrature_for_separable_links(seed, scale, link, mode):
    M = _overlap(seed, scale)
    for fn in (mi.population_loss, mi.overlap_velocity):
        assert_allclose(
            fn(M, link, mode=mode, method="closed-form"),
            fn(M, link, mode=mode, method="quadrature"),
            rtol=1e-10,
            atol=1e-10,
        )
    terms = mi._terms(mi.LINKS[link].hermite_sum)
    fast = mi._velocity_2x2(M.ravel().tolist(), terms, mode == "planted")
    assert_allclose(np.reshape(fast, (2, 2)), mi.overlap_velocity(M, link, mode=mode), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), scale=st.floats(0.0, 0.99), link=st.sampled_from(SEPARABLE))
def test_separable_links_are_permutation_symmetric(seed, scale, link):
    """f*(z2, z1) = f*(z1, z2): permuting the teacher rows of M changes neither loss."""
    M = _overlap(seed, scale)
    for mode in mi.MODES:
        assert_allclose(
            mi.population_loss(M[::-1], link, mode=mode),
            mi.population_loss(M, link, mode=mode),
            rtol=1e-12,
        )


@pytest.mark.parametrize(
    ("M0", "trapped"),
    [
        ([[0.1, -0.05], [0.02, -0.03]], True),  # largest (1,1); its opposite (2,2) negative
        ([[0.1, -0.05], [0.02, 0.03]], False),
        ([[-0.01, 0.2], [0.05, -0.1]], False),  # largest (1,2); opposite (2,1) positive
        ([[-0.01, -0.2], [-0.05, -0.1]], True),  # nothing positive
    ],
)
def test_sign_rule(M0, trapped):
    assert mi.planted_sign_trap(np.array(M0)) is trapped
    assert mi.planted_sign_trap(np.array(M0), "He4(z1)+He4(z2)") is False
    assert mi.planted_sign_trap(np.array(M0), "He2(z1)+He2(z2)") is False


def test_planted_he3_sum_stalls_where_two_timescale_escapes():
    M0 = np.array([[0.1, -0.05], [0.02, -0.03]])  # the sign rule says: trapped
    planted = mi.integrate_overlap(M0, "He3(z1)+He3(z2)", mode="planted", t_max=1e6, points=20)
    # E f*^2: one direction learned; + 24 (1 - cos^3) of the in-span rotation the Grassmann
    # projection freezes once e1 is inside span(W) (here M12 stops at -0.035: 12.02)
    assert_allclose(planted["loss"][-1], 12.0, rtol=0.01)
    assert_allclose(planted["M"][-1], [[1, 0], [0, 0]], atol=0.05)
    assert np.abs(planted["M"][-1][1]).max() < 1e-6  # teacher 2 is orthogonal to span(W)
    assert planted["M"][-1][1, 1] <= 0  # approached from below, never crossed
    ts = mi.integrate_overlap(M0, "He3(z1)+He3(z2)", mode="two-timescale", t_max=1e9, points=20)
    assert ts["loss"][-1] < 1e-2
