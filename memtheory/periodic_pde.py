"""Exact solution operators of 1-D periodic advection-diffusion, and next-frame data from them.

The equation :math:`u_t + c\\,u_x = \\nu\\,u_{xx}` on :math:`[0, L)` with periodic boundaries,
sampled on the grid :math:`x_j = jL/n`. Each Fourier mode :math:`e^{ikx}`,
:math:`k_m = 2\\pi m/L`, evolves as

.. math:: e^{ikx} \\mapsto e^{ikx}\\, e^{-(ick + \\nu k^2)\\,t}

(``proofs_check.periodic_pde.fourier_mode_solves_pde``), so the solution operator over a time
step :math:`\\Delta t` is the Fourier multiplier

.. math:: S(\\Delta t) = \\mathcal F^{-1}\\,
          \\operatorname{diag}\\big(e^{-(ick_m + \\nu k_m^2)\\Delta t}\\big)\\,\\mathcal F .

Three systems: advection (:math:`\\nu = 0`; :math:`|\\text{multiplier}| = 1`, :math:`S` is
orthogonal, a shift by :math:`c\\Delta t`), diffusion (:math:`c = 0`; multipliers in
:math:`(0, 1]`, :math:`S` is a symmetric contraction) and advection-diffusion (both; the two
operators commute and :math:`S_{c,\\nu} = S_{c,0}S_{0,\\nu}`). For every system
:math:`S(t_1)S(t_2) = S(t_1 + t_2)` and :math:`S` commutes with grid shifts.

Real fields go through ``rfft``/``irfft``. For even ``n`` the Nyquist bin :math:`m = n/2` is
real on the grid, and ``irfft`` keeps the real part of its product with the multiplier:
the Nyquist mode is multiplied by :math:`\\cos(ck\\Delta t)\\,e^{-\\nu k^2\\Delta t}`, the exact
evolution of the cosine interpolant sampled on the grid. The identities above are therefore
exact for odd ``n`` or for fields without Nyquist content (every field :func:`random_fields`
draws has ``kmax < n/2``).

Source: McCabe et al., *Multiple Physics Pretraining for Physical Surrogate Models*, NeurIPS
2024 (arXiv 2310.02994); notes ``../shared/papers/multiple-physics-pretraining.md`` (Sec. 2
mentions, unconfirmed, a motivating toy in which advection and diffusion pretraining helps
advection-diffusion at small data). The systems here are the toolkit's exact version of that
toy: every target is the exact solution, so the only error is the learner's.
"""

from __future__ import annotations

import numpy as np

from memtheory.checks import as_array, as_float, as_int, as_range

__all__ = [
    "TWO_PI",
    "wavenumbers",
    "multiplier",
    "evolve",
    "solution_matrix",
    "trajectory",
    "random_fields",
    "draw_coefficients",
    "next_frame_pairs",
]

TWO_PI = 2.0 * np.pi


def wavenumbers(n: int, length: float = TWO_PI) -> np.ndarray:
    """Non-negative wavenumbers of the real FFT, :math:`k_m = 2\\pi m / L`,
    :math:`m = 0, \\dots, \\lfloor n/2 \\rfloor`."""
    n = as_int("n", n, 2)
    length = as_float("length", length, 0.0, low_open=True)
    return TWO_PI * np.arange(n // 2 + 1) / length


def _coef(name: str, value, low=None):
    arr = as_array(name, value)
    if low is not None and np.any(arr < low):
        raise ValueError(f"{name} must be >= {low}, got min {arr.min()}")
    return arr


def multiplier(n: int, *, c, nu, dt, length: float = TWO_PI) -> np.ndarray:
    """Fourier multiplier of :math:`S(\\Delta t)` for each rfft mode:

    .. math:: \\hat S_m = e^{-(i c k_m + \\nu k_m^2)\\,\\Delta t}.

    ``c``, ``nu`` (>= 0) and ``dt`` (>= 0) broadcast together; the result has their shape
    followed by the ``n // 2 + 1`` modes.
    """
    k = wavenumbers(n, length)
    c = _coef("c", c)
    nu = _coef("nu", nu, 0.0)
    dt = _coef("dt", dt, 0.0)
    try:
        c, nu, dt = np.broadcast_arrays(c, nu, dt)
    except ValueError as exc:
        raise ValueError(f"c, nu and dt must broadcast together ({exc})") from exc
    lam = -(1j * c[..., None] * k + nu[..., None] * k**2)
    return np.exp(lam * dt[..., None])


def evolve(u, *, c, nu, dt, length: float = TWO_PI) -> np.ndarray:
    """The exact solution :math:`u(t + \\Delta t) = S(\\Delta t)\\,u(t)` on the periodic grid.

    ``u``: shape ``(..., n)``; ``c``, ``nu`` and ``dt`` broadcast to ``u.shape[:-1]`` (one
    coefficient per field, e.g. per sample). Float64 throughout.
    """
    u = as_array("u", u)
    if u.ndim < 1 or u.shape[-1] < 2:
        raise ValueError(f"u must have shape (..., n) with n >= 2, got {u.shape}")
    n = u.shape[-1]
    m = multiplier(n, c=c, nu=nu, dt=dt, length=length)
    try:
        out = np.fft.irfft(np.fft.rfft(u, axis=-1) * m, n=n, axis=-1)
    except ValueError as exc:
        raise ValueError(f"c, nu and dt must broadcast to u.shape[:-1] = {u.shape[:-1]}") from exc
    if out.shape != u.shape:
        raise ValueError(f"c, nu and dt must broadcast to u.shape[:-1] = {u.shape[:-1]}")
    return out


def solution_matrix(n: int, *, c: float, nu: float, dt: float, length: float = TWO_PI):
    """The ``(n, n)`` real matrix of :math:`S(\\Delta t)` (a circulant): column ``j`` is the
    evolution of the unit vector :math:`e_j`. For tests and small ``n``."""
    n = as_int("n", n, 2, 4096)
    c = as_float("c", c)
    nu = as_float("nu", nu, 0.0)
    dt = as_float("dt", dt, 0.0)
    return evolve(np.eye(n), c=c, nu=nu, dt=dt, length=length).T


def trajectory(u0, *, c, nu, dt, steps: int, length: float = TWO_PI) -> np.ndarray:
    """Frames :math:`u(j\\Delta t) = S(\\Delta t)^j u_0 = S(j\\Delta t)\\,u_0`,
    :math:`j = 0, \\dots,` ``steps``; shape ``(..., steps + 1, n)`` for ``u0`` of shape
    ``(..., n)`` (each frame is computed from ``u0`` directly, so no error accumulates)."""
    u0 = as_array("u0", u0)
    steps = as_int("steps", steps, 0, 10**6)
    dt = as_float("dt", dt, 0.0)
    frames = [evolve(u0, c=c, nu=nu, dt=j * dt, length=length) for j in range(steps + 1)]
    return np.stack(frames, axis=-2)


def random_fields(n: int, count: int, *, kmax: int, seed: int, decay: float = 1.0) -> np.ndarray:
    """``count`` seeded, band-limited, zero-mean random fields on ``n`` grid points:

    .. math:: u(x_j) = \\frac{1}{Z}\\sum_{m=1}^{k_{\\max}} m^{-p}
              \\big(a_m \\cos(2\\pi m j/n) + b_m \\sin(2\\pi m j/n)\\big),
              \\quad a_m, b_m \\sim \\mathcal N(0, 1),

    with :math:`p` = ``decay`` and :math:`Z^2 = \\sum_m m^{-2p}`, so that
    :math:`\\mathbb E\\,u(x)^2 = 1`. ``kmax < n/2`` (no Nyquist content); the coefficients depend
    on ``(count, kmax, seed, decay)`` only, so the same seed samples the same continuous field
    on any grid. Shape ``(count, n)``.
    """
    n = as_int("n", n, 3)
    count = as_int("count", count, 1, 10**8)
    kmax = as_int("kmax", kmax, 1)
    if 2 * kmax >= n:
        raise ValueError(f"kmax must be < n/2 = {n / 2} (no Nyquist content), got {kmax}")
    seed = as_int("seed", seed, 0)
    decay = as_float("decay", decay, 0.0)
    rng = np.random.default_rng([seed, 7])
    m = np.arange(1, kmax + 1)
    amp = m ** (-decay) / np.sqrt(np.sum(m ** (-2.0 * decay)))
    a = rng.standard_normal((count, kmax)) * amp
    b = rng.standard_normal((count, kmax)) * amp
    phase = TWO_PI * np.outer(m, np.arange(n)) / n  # (kmax, n)
    return a @ np.cos(phase) + b @ np.sin(phase)


def draw_coefficients(count: int, *, c_range, nu_range, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample coefficients :math:`c \\sim U(c_{\\rm range})`,
    :math:`\\nu \\sim U(\\nu_{\\rm range})` (a range ``(a, a)`` fixes the value; ``nu >= 0``)."""
    count = as_int("count", count, 1, 10**8)
    c_lo, c_hi = as_range("c_range", c_range)
    nu_lo, nu_hi = as_range("nu_range", nu_range, 0.0)
    rng = np.random.default_rng([as_int("seed", seed, 0), 11])
    return rng.uniform(c_lo, c_hi, count), rng.uniform(nu_lo, nu_hi, count)


def next_frame_pairs(
    count: int,
    n: int,
    *,
    history: int,
    dt: float,
    c_range,
    nu_range,
    kmax: int,
    seed: int,
    decay: float = 1.0,
    length: float = TWO_PI,
) -> dict:
    """A dataset of ``count`` independent samples: a random field :math:`u_0`
    (:func:`random_fields`), per-sample coefficients (:func:`draw_coefficients`), the history
    :math:`(u_0, S u_0, \\dots, S^{h-1}u_0)` of ``history`` = :math:`h` frames and the target
    :math:`S^h u_0` (exact, :math:`S = S(\\Delta t)`).

    Returns ``{"history": (count, history, n), "target": (count, n), "c": (count,),
    "nu": (count,)}``, float64. The coefficients reach a learner only through the history.
    """
    history = as_int("history", history, 1, 10**4)
    dt = as_float("dt", dt, 0.0, low_open=True)
    seed = as_int("seed", seed, 0)
    u0 = random_fields(n, count, kmax=kmax, seed=seed, decay=decay)
    c, nu = draw_coefficients(count, c_range=c_range, nu_range=nu_range, seed=seed)
    frames = trajectory(u0, c=c, nu=nu, dt=dt, steps=history, length=length)
    return {"history": frames[:, :history], "target": frames[:, history], "c": c, "nu": nu}
