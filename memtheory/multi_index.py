"""Population gradient flow of Gaussian multi-index models, reduced to the overlap matrix.

Source: Bietti, Bruna & Pillaud-Vivien, *On learning Gaussian multi-index models with gradient
flow* (arXiv 2310.19793; CPAM 2025); notes ``../shared/papers/multi-index.md``. Only the set-up
and the abstract's statements are confirmed there; the reduction below is derived here and
checked symbolically (``proofs_check.multi_index``).

Set-up: :math:`x \\sim \\mathcal N(0, I_d)`, target :math:`y = f^*(W^{*\\top}x)` with
:math:`W^* \\in \\mathbb R^{d\\times r}` orthonormal; model :math:`f(W^\\top x)` with :math:`W` on
the Grassmannian; loss :math:`L(W) = \\mathbb E[(y - f(W^\\top x))^2]`; flow
:math:`\\dot W = -(I - WW^\\top)\\nabla_W L`. With :math:`z^* = W^{*\\top}x`, :math:`z = W^\\top x`,
:math:`(z^*, z)` is Gaussian with cross-covariance :math:`M = W^{*\\top}W`, and Stein's lemma
gives :math:`\\nabla_W L = W^* G + W H` with
:math:`G = -2\\,\\mathbb E[\\nabla f^*(z^*)\\nabla f(z)^\\top]`, hence the closed,
dimension-free flow

.. math:: \\dot M = 2\\,(I - MM^\\top)\\,\\mathbb E[\\nabla f^*(z^*)\\,\\nabla f(z)^\\top].

*Planted*: :math:`f = f^*` fixed. *Two-timescale*: the link is re-fitted at every instant to
:math:`f = A_M f^*`, :math:`A_M f^*(z) = \\mathbb E[f^*(Mz + \\xi)]`,
:math:`\\xi \\sim \\mathcal N(0, I - MM^\\top)` (the conditional mean; the gradient is the
fixed-link one by the envelope theorem). Expectations are Gauss-Hermite quadratures, exact for
the polynomial links below. The dimension enters only through the initial overlap,
:math:`M_0 = W^{*\\top}W_0` with :math:`W_0` uniform, entries of order :math:`d^{-1/2}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_array, as_choice, as_float, as_int

__all__ = [
    "Link",
    "LINKS",
    "gauss_hermite",
    "overlap_velocity",
    "population_loss",
    "integrate_overlap",
    "random_overlap",
    "escape_time",
    "loss_drops",
]

MODES = ("two-timescale", "planted")


@dataclass(frozen=True)
class Link:
    """A polynomial link :math:`f^*: \\mathbb R^r \\to \\mathbb R` with its gradient, its
    degree (for exact quadrature) and the loss plateaus its Hermite structure predicts for the
    two-timescale flow from a small overlap (the values of :math:`\\mathbb E f^{*2}` minus the
    part explained once each successive group of directions is learned)."""

    name: str
    r: int
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    degree: int
    plateaus: tuple


def _he3(z):
    return z**3 - 3 * z


LINKS = {
    # He1(z1) is learned at once; z1 z2 only couples z2 once z1 is aligned: 2 -> 1 -> 0
    "z1+z1z2": Link(
        "z1+z1z2",
        2,
        lambda z: z[..., 0] + z[..., 0] * z[..., 1],
        lambda z: np.stack([1 + z[..., 1], z[..., 0]], axis=-1),
        2,
        (2.0, 1.0, 0.0),
    ),
    # a single degree-2 (information exponent 2) component couples both directions: 1 -> 0
    "z1z2": Link(
        "z1z2",
        2,
        lambda z: z[..., 0] * z[..., 1],
        lambda z: np.stack([z[..., 1], z[..., 0]], axis=-1),
        2,
        (1.0, 0.0),
    ),
    # He1(z1) fast, He3(z2) (information exponent 3) slow: 7 -> 6 -> 0
    "z1+He3(z2)": Link(
        "z1+He3(z2)",
        2,
        lambda z: z[..., 0] + _he3(z[..., 1]),
        lambda z: np.stack([np.ones_like(z[..., 0]), 3 * z[..., 1] ** 2 - 3], axis=-1),
        3,
        (7.0, 6.0, 0.0),
    ),
    # symmetric target for the planted flow: He2(z1) + He2(z2) - ... see docs
    "He2(z1)+He2(z2)": Link(
        "He2(z1)+He2(z2)",
        2,
        lambda z: z[..., 0] ** 2 - 1 + z[..., 1] ** 2 - 1,
        lambda z: 2 * z,
        2,
        (4.0, 0.0),
    ),
}


def gauss_hermite(r: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Tensor Gauss-Hermite rule for :math:`\\mathcal N(0, I_r)`: nodes ``(n**r, r)`` and
    weights summing to 1, exact for polynomials of degree :math:`\\le 2n-1` in each variable."""
    r = as_int("r", r, 1, 8)
    n = as_int("n", n, 1, 40)
    if n**r > 2_000_000:
        raise ValueError(f"n**r must be <= 2e6 quadrature nodes, got {n}**{r}")
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    grids = np.meshgrid(*([x] * r), indexing="ij")
    wgrid = np.ones([n] * r)
    for axis in range(r):
        shape = [1] * r
        shape[axis] = n
        wgrid = wgrid * w.reshape(shape)
    return np.stack([g.ravel() for g in grids], axis=1), wgrid.ravel()


def _sqrt_psd(S: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eigh(0.5 * (S + S.T))
    return (vecs * np.sqrt(np.clip(vals, 0.0, None))) @ vecs.T


def _check_overlap(M, r: int) -> np.ndarray:
    M = as_array("M", M, shape=(r, r))
    if np.linalg.norm(M, 2) > 1 + 1e-9:
        raise ValueError(
            f"M must have spectral norm <= 1 (an overlap of orthonormal frames), "
            f"got {np.linalg.norm(M, 2):.6g}"
        )
    return M


def _pairs(M, link: Link, n: int):
    """Quadrature nodes of (z*, z) and weights: z = M^T z* + sqrt(I - M^T M) v."""
    nodes, w = gauss_hermite(2 * link.r, n)
    zs, v = nodes[:, : link.r], nodes[:, link.r :]
    z = zs @ M + v @ _sqrt_psd(np.eye(link.r) - M.T @ M)
    return zs, z, w


def _link_gradient(z, M, link: Link, mode: str, n: int) -> np.ndarray:
    if mode == "planted":
        return link.grad(z)
    xi, wx = gauss_hermite(link.r, n)
    L = _sqrt_psd(np.eye(link.r) - M @ M.T)
    inner = (z @ M.T)[:, None, :] + (xi @ L)[None, :, :]  # M z + L xi
    return np.einsum("k,nkr->nr", wx, link.grad(inner)) @ M


def _link_value(z, M, link: Link, mode: str, n: int) -> np.ndarray:
    if mode == "planted":
        return link.f(z)
    xi, wx = gauss_hermite(link.r, n)
    L = _sqrt_psd(np.eye(link.r) - M @ M.T)
    return link.f((z @ M.T)[:, None, :] + (xi @ L)[None, :, :]) @ wx


def _resolve(link, mode, n):
    if isinstance(link, str):
        if link not in LINKS:
            raise ValueError(f"link must be one of {sorted(LINKS)}, got {link!r}")
        link = LINKS[link]
    mode = as_choice("mode", mode, MODES)
    n = as_int("n", n, link.degree + 1, 40)
    return link, mode, n


def overlap_velocity(M, link="z1+z1z2", mode: str = "two-timescale", n: int = 4) -> np.ndarray:
    """:math:`\\dot M = 2(I - MM^\\top)\\,\\mathbb E[\\nabla f^*(z^*)\\nabla f(z)^\\top]` (module
    docstring), ``f`` the planted or the re-fitted link; ``n`` quadrature nodes per axis."""
    link, mode, n = _resolve(link, mode, n)
    M = _check_overlap(M, link.r)
    zs, z, w = _pairs(M, link, n)
    cross = (link.grad(zs) * w[:, None]).T @ _link_gradient(z, M, link, mode, n)
    return 2.0 * (np.eye(link.r) - M @ M.T) @ cross


def population_loss(M, link="z1+z1z2", mode: str = "two-timescale", n: int = 4) -> float:
    """:math:`L(M) = \\mathbb E[(f^*(z^*) - f(z))^2]` with the planted or the re-fitted link
    (for the latter, :math:`\\mathbb E f^{*2} - \\mathbb E (A_M f^*)^2`)."""
    link, mode, n = _resolve(link, mode, n)
    M = _check_overlap(M, link.r)
    zs, z, w = _pairs(M, link, n)
    return float(w @ (link.f(zs) - _link_value(z, M, link, mode, n)) ** 2)


def random_overlap(d: int, r: int = 2, seed: int = 0) -> np.ndarray:
    """:math:`M_0 = W^{*\\top}W_0` for :math:`W_0` uniform on the Stiefel manifold of
    :math:`\\mathbb R^{d\\times r}` (:math:`W^*` the first r axes): entries of order
    :math:`d^{-1/2}`. Only the first r rows of the orthonormalized Gaussian frame are formed
    after an O(d r) QR, so ``d`` up to 1e8 is fine."""
    d = as_int("d", d, 2, 10**8)
    r = as_int("r", r, 1, 4)
    if r > d:
        raise ValueError(f"r must be <= d, got r={r}, d={d}")
    G = np.random.default_rng(seed).standard_normal((d, r))
    Q, R = np.linalg.qr(G)
    return Q[:r] * np.sign(np.diag(R))


def integrate_overlap(
    M0,
    link="z1+z1z2",
    mode: str = "two-timescale",
    t_max: float = 100.0,
    points: int = 400,
    n: int = 4,
    rtol: float = 1e-8,
    stop_aligned: bool = True,
) -> dict:
    """Integrate the overlap flow from ``M0`` to ``t_max`` (scipy ``solve_ivp``, LSODA), or
    until the subspaces align (smallest singular value of M >= 1 - 1e-4, ``stop_aligned``), and
    return ``t`` (log-spaced, ``points``), ``M`` ``(points, r, r)`` and ``loss``. ``n`` = 4
    Gauss-Hermite nodes per axis is exact for the links here (degree <= 3)."""
    from scipy.integrate import solve_ivp

    link, mode, n = _resolve(link, mode, n)
    M0 = _check_overlap(M0, link.r)
    t_max = as_float("t_max", t_max, 0.0, 1e9, low_open=True)
    points = as_int("points", points, 2, 100_000)
    r = link.r

    def rhs(_t, y):
        M = y.reshape(r, r)
        norm = np.linalg.norm(M, 2)
        if norm > 1:  # integration error only; the exact flow keeps |M| <= 1
            M = M / norm
        return overlap_velocity(M, link, mode, n).ravel()

    def aligned(_t, y):  # stop once span(W) = span(W*) to 1e-4: nothing moves afterwards
        return np.linalg.svd(y.reshape(r, r), compute_uv=False)[-1] - (1 - 1e-4)

    aligned.terminal = True
    sol = solve_ivp(
        rhs,
        (0.0, t_max),
        M0.ravel(),
        method="LSODA",
        rtol=rtol,
        atol=1e-12,
        dense_output=True,
        events=aligned if stop_aligned else None,
    )
    if not sol.success:
        raise RuntimeError(f"overlap flow integration failed: {sol.message}")
    t_end = float(sol.t[-1])
    t_eval = np.concatenate([[0.0], np.geomspace(min(1e-3, t_end / 10), t_end, points - 1)])
    sol.y = sol.sol(t_eval)
    sol.t = t_eval
    Ms = sol.y.T.reshape(-1, r, r)
    norms = np.maximum(np.linalg.norm(Ms, 2, axis=(1, 2)), 1.0)
    Ms = Ms / norms[:, None, None]
    loss = np.array([population_loss(M, link, mode, n) for M in Ms])
    return {"t": sol.t, "M": Ms, "loss": loss}


def escape_time(t, loss, level: float) -> float:
    """First time the loss is at or below ``level`` (linear interpolation); ``inf`` if never."""
    t, loss = as_array("t", t, ndim=1), as_array("loss", loss, ndim=1)
    below = np.nonzero(loss <= level)[0]
    if below.size == 0:
        return float("inf")
    i = below[0]
    if i == 0:
        return float(t[0])
    frac = (loss[i - 1] - level) / (loss[i - 1] - loss[i])
    return float(t[i - 1] + frac * (t[i] - t[i - 1]))


def loss_drops(t, loss, plateaus) -> list[float]:
    """Times at which the loss crosses the midpoints between successive predicted plateau
    levels (``Link.plateaus``): one time per drop, ``inf`` for a drop that never happens."""
    levels = list(plateaus)
    return [escape_time(t, loss, 0.5 * (levels[i] + levels[i + 1])) for i in range(len(levels) - 1)]
