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

*Separable symmetric links* :math:`f^*(z) = \\sum_i g(z_i)`, :math:`g = \\sum_k c_k He_k`
(``Link.hermite_sum``), have closed forms (derived here, ``proofs_check.multi_index``): with
:math:`P = MM^\\top` and elementwise powers,

.. math:: L_{planted} = 2\\sum_k c_k^2 k!\\,(r - \\textstyle\\sum_{ij} M_{ij}^k), \\qquad
          L_{2ts} = \\sum_k c_k^2 k!\\,(r - \\textstyle\\sum_{ij} P_{ij}^k),

so the planted drift of an overlap entry is :math:`\\propto M_{ij}^{k-1}` (sign-preserving for
odd k: a start with the wrong sign stalls at :math:`M_{ij} = 0`, the planted trap,
:func:`planted_sign_trap`) while the re-fitted link sees only :math:`P` (sign-blind).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from math import factorial, sqrt

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
    "hermite_sum_link",
    "planted_sign_trap",
]

MODES = ("two-timescale", "planted")
METHODS = ("auto", "quadrature", "closed-form")


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
    hermite_sum: tuple | None = None  # c_0..c_K when f*(z) = sum_i g(z_i), g = sum_k c_k He_k


def _he3(z):
    return z**3 - 3 * z


def hermite_sum_link(name: str, coefs, plateaus, *, r: int = 2) -> Link:
    """The separable symmetric link :math:`f^*(z) = \\sum_{i\\le r} g(z_i)`,
    :math:`g = \\sum_k c_k He_k` (``coefs`` = :math:`c_0, c_1, \\dots`), invariant under every
    permutation of the r directions (and under sign flips when g is even)."""
    from numpy.polynomial import hermite_e as H

    c = as_array("coefs", coefs, ndim=1)
    if c.size < 2 or c[-1] == 0:
        raise ValueError(f"coefs must end with a nonzero coefficient of degree >= 1, got {coefs}")
    r = as_int("r", r, 1, 4)
    dc = H.hermeder(c)
    return Link(
        name,
        r,
        lambda z: H.hermeval(z, c).sum(axis=-1),
        lambda z: H.hermeval(z, dc),
        c.size - 1,
        tuple(plateaus),
        tuple(float(x) for x in c),
    )


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
    # rotation-invariant (|z|^2 - 2): planted drift 8 (I - MM^T) M keeps M's direction and the
    # loss depends on MM^T only, so no start is trapped; the re-fitted drift 8 (I - P) P M is
    # cubic, so the two singular directions of M escape one after the other: 4 -> 2 -> 0
    "He2(z1)+He2(z2)": hermite_sum_link("He2(z1)+He2(z2)", (0, 0, 1), (4.0, 2.0, 0.0)),
    # permutation-symmetric, odd: planted drift 36 M_ij^2 >= 0 only grows positive overlaps, a
    # direction left with negative ones stalls at 0 (loss 12 = E f*^2); two-timescale sees
    # P = MM^T, sign-blind; directions escape one by one (m^5 drift): 12 -> 6 -> 0
    "He3(z1)+He3(z2)": hermite_sum_link("He3(z1)+He3(z2)", (0, 0, 0, 1), (12.0, 6.0, 0.0)),
    # permutation- and sign-symmetric, even: planted drift ~ M_ij^3 grows |M_ij| of either sign,
    # so no trap despite the degree; two-timescale m^7 drift: 48 -> 24 -> 0
    "He4(z1)+He4(z2)": hermite_sum_link("He4(z1)+He4(z2)", (0, 0, 0, 0, 1), (48.0, 24.0, 0.0)),
}


def gauss_hermite(r: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Tensor Gauss-Hermite rule for :math:`\\mathcal N(0, I_r)`: nodes ``(n**r, r)`` and
    weights summing to 1, exact for polynomials of degree :math:`\\le 2n-1` in each variable."""
    r = as_int("r", r, 1, 8)
    n = as_int("n", n, 1, 40)
    if n**r > 2_000_000:
        raise ValueError(f"n**r must be <= 2e6 quadrature nodes, got {n}**{r}")
    return _gauss_hermite(r, n)


@lru_cache(maxsize=32)
def _gauss_hermite(r: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    # cached (read-only arrays): the ODE right-hand sides ask for the same rule at every
    # evaluation, and building it was a third of the multi-index quick run
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    grids = np.meshgrid(*([x] * r), indexing="ij")
    wgrid = np.ones([n] * r)
    for axis in range(r):
        shape = [1] * r
        shape[axis] = n
        wgrid = wgrid * w.reshape(shape)
    nodes, weights = np.stack([g.ravel() for g in grids], axis=1), wgrid.ravel()
    nodes.flags.writeable = False
    weights.flags.writeable = False
    return nodes, weights


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


def _resolve(link, mode, n, method="quadrature"):
    if isinstance(link, str):
        if link not in LINKS:
            raise ValueError(f"link must be one of {sorted(LINKS)}, got {link!r}")
        link = LINKS[link]
    mode = as_choice("mode", mode, MODES)
    n = max(4, link.degree + 1) if n is None else as_int("n", n, link.degree + 1, 40)
    method = as_choice("method", method, METHODS)
    if method == "closed-form" and link.hermite_sum is None:
        raise ValueError(f"method 'closed-form' needs a separable link, got {link.name}")
    closed = method != "quadrature" and link.hermite_sum is not None
    return link, mode, n, closed


@lru_cache(maxsize=64)
def _terms(hermite_sum: tuple) -> tuple:
    """(k, c_k^2 k!) for the nonzero c_k, k >= 1."""
    return tuple((k, ck * ck * factorial(k)) for k, ck in enumerate(hermite_sum) if k and ck)


def _separable(M, link: Link, mode: str):
    """Closed forms for f*(z) = sum_i g(z_i), g = sum_k c_k He_k (module docstring): the loss
    and dL/dM, with A = M (planted) or A = P = MM^T (two-timescale) raised elementwise."""
    A = M if mode == "planted" else M @ M.T
    loss, dA = 0.0, 0.0
    for k, a in _terms(link.hermite_sum):
        loss += a * (link.r - (A**k).sum())
        dA = dA - a * k * A ** (k - 1)
    if mode == "planted":
        return 2 * loss, 2 * dA
    return loss, 2 * dA @ M  # d/dM sum_ij F(P_ij) = 2 F'(P) M for symmetric F'(P)


def overlap_velocity(
    M, link="z1+z1z2", *, mode: str = "two-timescale", n: int | None = None, method: str = "auto"
) -> np.ndarray:
    """:math:`\\dot M = 2(I - MM^\\top)\\,\\mathbb E[\\nabla f^*(z^*)\\nabla f(z)^\\top]` (module
    docstring), ``f`` the planted or the re-fitted link; ``n`` quadrature nodes per axis (default
    max(4, degree + 1), exact); ``method`` ``auto`` uses the closed form
    :math:`-(I - MM^\\top)\\,\\partial L/\\partial M` for separable links, ``quadrature`` never."""
    link, mode, n, closed = _resolve(link, mode, n, method)
    return _velocity(_check_overlap(M, link.r), link, mode, n, closed)


def _velocity(M, link: Link, mode: str, n: int, closed: bool) -> np.ndarray:
    if closed:
        g = _separable(M, link, mode)[1]
        return M @ (M.T @ g) - g  # -(I - M M^T) dL/dM
    zs, z, w = _pairs(M, link, n)
    cross = (link.grad(zs) * w[:, None]).T @ _link_gradient(z, M, link, mode, n)
    return 2.0 * (np.eye(link.r) - M @ M.T) @ cross


def _velocity_2x2(y, terms: tuple, planted: bool) -> list:
    """:func:`_velocity` for a separable link and r = 2 on plain floats (row-major ``y``): the
    integrator's hot path, the same formulas as :func:`_separable` without numpy's per-call
    overhead on 2 x 2 arrays."""
    m11, m12, m21, m22 = y
    if planted:
        a11, a12, a21, a22 = m11, m12, m21, m22
    else:  # P = M M^T
        a11, a12 = m11 * m11 + m12 * m12, m11 * m21 + m12 * m22
        a21, a22 = a12, m21 * m21 + m22 * m22
    f11 = f12 = f21 = f22 = 0.0  # minus dL/dA, elementwise
    for k, a in terms:
        f11 += a * k * a11 ** (k - 1)
        f12 += a * k * a12 ** (k - 1)
        f21 += a * k * a21 ** (k - 1)
        f22 += a * k * a22 ** (k - 1)
    if planted:  # -dL/dM = 2 F
        g11, g12, g21, g22 = 2 * f11, 2 * f12, 2 * f21, 2 * f22
    else:  # -dL/dM = 2 F M
        g11, g12 = 2 * (f11 * m11 + f12 * m21), 2 * (f11 * m12 + f12 * m22)
        g21, g22 = 2 * (f21 * m11 + f22 * m21), 2 * (f21 * m12 + f22 * m22)
    # (I - M M^T) G
    p11, p12, p22 = m11 * m11 + m12 * m12, m11 * m21 + m12 * m22, m21 * m21 + m22 * m22
    return [
        (1 - p11) * g11 - p12 * g21,
        (1 - p11) * g12 - p12 * g22,
        -p12 * g11 + (1 - p22) * g21,
        -p12 * g12 + (1 - p22) * g22,
    ]


def _singular_extremes(M) -> tuple[float, float]:
    """Largest and smallest singular values (closed form for 2 x 2: the integrator's hot path)."""
    if M.shape != (2, 2):
        s = np.linalg.svd(M, compute_uv=False)
        return float(s[0]), float(s[-1])
    m11, m12, m21, m22 = M.ravel().tolist()
    a = m11 * m11 + m12 * m12 + m21 * m21 + m22 * m22
    det = m11 * m22 - m12 * m21
    disc = sqrt(max(a * a - 4 * det * det, 0.0))
    return sqrt((a + disc) / 2), sqrt(max((a - disc) / 2, 0.0))


def population_loss(
    M, link="z1+z1z2", *, mode: str = "two-timescale", n: int | None = None, method: str = "auto"
) -> float:
    """:math:`L(M) = \\mathbb E[(f^*(z^*) - f(z))^2]` with the planted or the re-fitted link
    (for the latter, :math:`\\mathbb E f^{*2} - \\mathbb E (A_M f^*)^2`); ``n``, ``method`` as in
    :func:`overlap_velocity`."""
    link, mode, n, closed = _resolve(link, mode, n, method)
    M = _check_overlap(M, link.r)
    if closed:
        return float(_separable(M, link, mode)[0])
    zs, z, w = _pairs(M, link, n)
    return float(w @ (link.f(zs) - _link_value(z, M, link, mode, n)) ** 2)


def planted_sign_trap(M0, link="He3(z1)+He3(z2)") -> bool:
    """Whether the planted flow from ``M0`` is predicted to stall at positive loss (derived here,
    not the paper's). For a separable link with a single Hermite degree k, the early drift is
    :math:`\\dot M_{ij} \\approx 2c_k^2 k\\,k!\\,M_{ij}^{k-1}`, entry by entry. For odd k >= 3 a
    positive entry blows up at :math:`t \\propto 1/M_{ij}^{k-2}` and a negative one decays to 0
    without changing sign, so the largest positive entry aligns its student with its teacher
    first, which removes its row and column; repeat (greedy matching). The flow is trapped iff
    some step finds no positive entry left. Even k (and k <= 2) never trap: ``False``. For
    r = 2 and i.i.d. entries the probability is 1/16 + 4 x 7/48 = 31/48
    (``proofs_check.multi_index.planted_trap_probability``)."""
    link = _resolve(link, "planted", None)[0]
    if link.hermite_sum is None or sum(c != 0 for c in link.hermite_sum[1:]) != 1:
        raise ValueError(f"link must be separable with a single Hermite degree, got {link.name}")
    M = _check_overlap(M0, link.r)
    if link.degree % 2 == 0 or link.degree < 3:
        return False
    rows, cols = list(range(link.r)), list(range(link.r))
    while rows:
        sub = M[np.ix_(rows, cols)]
        i, j = np.unravel_index(np.argmax(sub), sub.shape)
        if sub[i, j] <= 0:
            return True
        rows.pop(i)
        cols.pop(j)
    return False


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
    *,
    mode: str = "two-timescale",
    t_max: float = 100.0,
    points: int = 400,
    n: int | None = None,
    rtol: float = 1e-8,
    stop_aligned: bool = True,
    method: str = "auto",
    atol: float = 1e-12,
) -> dict:
    """Integrate the overlap flow from ``M0`` to ``t_max`` (scipy ``solve_ivp``, LSODA), or
    until the subspaces align (smallest singular value of M >= 1 - 1e-4, ``stop_aligned``), and
    return ``t`` (log-spaced, ``points``), ``M`` ``(points, r, r)`` and ``loss``. ``n``
    Gauss-Hermite nodes per axis (default max(4, degree + 1), exact for polynomial links);
    ``method`` as in :func:`overlap_velocity`; ``rtol``, ``atol`` the integrator's tolerances
    (a trapped entry decays like 1/t towards 0: keep ``atol`` below it, or a sign may flip)."""
    from scipy.integrate import solve_ivp

    link, mode, n, closed = _resolve(link, mode, n, method)
    M0 = _check_overlap(M0, link.r)
    t_max = as_float("t_max", t_max, 0.0, 1e15, low_open=True)
    points = as_int("points", points, 2, 100_000)
    rtol = as_float("rtol", rtol, 0.0, 0.1, low_open=True)
    atol = as_float("atol", atol, 0.0, 0.1, low_open=True)
    r = link.r

    fast = closed and r == 2
    terms = _terms(link.hermite_sum) if closed else ()

    def rhs(_t, y):
        norm = _singular_extremes(y.reshape(r, r))[0]
        if norm > 1:  # integration error only; the exact flow keeps |M| <= 1
            y = y / norm
        if fast:
            return np.array(_velocity_2x2(y.tolist(), terms, mode == "planted"))
        return _velocity(y.reshape(r, r), link, mode, n, closed).ravel()

    def aligned(_t, y):  # stop once span(W) = span(W*) to 1e-4: nothing moves afterwards
        return _singular_extremes(y.reshape(r, r))[1] - (1 - 1e-4)

    aligned.terminal = True
    sol = solve_ivp(
        rhs,
        (0.0, t_max),
        M0.ravel(),
        method="LSODA",
        rtol=rtol,
        atol=atol,
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
    loss = np.array([population_loss(M, link, mode=mode, n=n, method=method) for M in Ms])
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
