"""Scaling laws of associative memories under Zipf data (error against samples T and size d).

Source: Cabannes, Dohmatob & Bietti (2023), "Scaling Laws for Associative Memories", arXiv
2310.02984 (ICLR 2024). Notation: inputs :math:`x \\in [n]` with Zipf law :math:`p(x) \\propto
x^{-\\alpha}`, ``M`` answers, memory :math:`W_q = \\sum_x q(x) u_{f_*(x)} e_x^\\top` read out by
:math:`\\arg\\max_y u_y^\\top W_q e_x`, T i.i.d. samples.

Memory schemes (the names shared with ``empirical.experiments.scaling``):

* ``"uniform"``: :math:`q(x) = 1` on every seen token;
* ``"power"``: :math:`q(x) = p(x)^\\rho` on every seen token (population ``p``: mean-field);
* ``"threshold"``: :math:`q(x) = 1` on the :math:`P = \\lfloor d / r \\rfloor` most frequent tokens
  if seen (``r = threshold_ratio``, 8 in the authors' d-scan), 0 elsewhere;
* ``"sgd"``: :math:`q(x) = q_\\gamma(T p(x))`, the continuous-time SGD weight (Section 4, Eq. 16).

Exact finite sums (unseen mass, Zipf tails) sit beside their asymptotics. ``T=None`` means
infinite data, ``d=None`` infinite memory. numpy at import; scipy.special only inside functions.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from memtheory.checks import as_array, as_choice, as_float, as_int, as_int_array

__all__ = [
    "WEIGHT_SCHEMES",
    "SchemeWeights",
    "zipf",
    "zipf_tail",
    "missing_mass",
    "finite_data_constant",
    "readout_error",
    "scheme_population_weights",
    "scheme_error",
    "exponent_d",
    "exponent_T",
    "joint_law",
    "required_dimension_for_error",
    "sgd_map",
    "sgd_weight",
    "sgd_invariant",
    "sgd_weight_continuous",
]

#: how a memory weights its stored tokens (Sections 2-4 of arXiv 2310.02984)
WEIGHT_SCHEMES = ("uniform", "power", "threshold", "sgd")
#: the asymptotic laws hold for at least one sample and one stored token
_MIN_SAMPLES = 1.0
_MAX_N = 10**8


def zipf(facts, alpha) -> np.ndarray:
    """Zipf probabilities :math:`p(x) = x^{-\\alpha} / H_{N,\\alpha}` for ranks :math:`x=1..N`.

    Index 0 holds rank 1 (the authors' code uses :math:`(x+1)^{-\\alpha}` for :math:`x=0..n-1`,
    the same law). ``alpha = 0`` is uniform. arXiv 2310.02984, Section 2.
    """
    n = as_int("facts", facts, minimum=1, maximum=_MAX_N)
    alpha = as_float("alpha", alpha, 0.0, 20.0)
    w = np.arange(1, n + 1, dtype=np.float64) ** (-alpha)
    return w / w.sum()


def _zeta(alpha: float) -> float:
    from scipy.special import zeta

    return float(zeta(alpha, 1))


def zipf_tail(P, alpha, facts=None) -> float:
    """Probability mass beyond the ``P`` most frequent tokens, :math:`\\sum_{x>P} p(x)`.

    Exact for finite ``facts``. For ``facts=None`` (infinite vocabulary, :math:`\\alpha>1`)
    the asymptotic form :math:`P^{1-\\alpha} / ((\\alpha-1)\\zeta(\\alpha))` (integral
    comparison; checked in ``proofs_check.scaling``), for :math:`P \\ge 1`, where it lies in
    (0, 1). arXiv 2310.02984, Section 3 (thresholding).
    """
    if facts is None:
        alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
        P = as_float("P", P, 1.0, None)
        return float(P ** (1.0 - alpha) / ((alpha - 1.0) * _zeta(alpha)))
    n = as_int("facts", facts, minimum=1, maximum=_MAX_N)
    P = as_int("P", P, minimum=0, maximum=n)
    p = zipf(n, alpha)
    return float(p[P:].sum())


def finite_data_constant(alpha) -> float:
    """:math:`K_\\alpha = \\Gamma(1 - 1/\\alpha) / (\\alpha\\,\\zeta(\\alpha)^{1/\\alpha})`.

    The constant of the unseen-mass law :math:`\\sum_x p(x)(1-p(x))^T \\sim K_\\alpha
    T^{-1+1/\\alpha}` for Zipf(:math:`\\alpha`), :math:`\\alpha > 1`, infinite vocabulary
    (arXiv 2310.02984, Section 3.2, rate after Hutter 2021). :math:`K_2 = 0.6910`.
    """
    alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
    return math.gamma(1.0 - 1.0 / alpha) / (alpha * _zeta(alpha) ** (1.0 / alpha))


def missing_mass(samples, alpha, facts=None):
    """Expected probability mass of tokens unseen in ``samples`` (T) samples, in [0, 1].

    Finite ``facts``: the exact :math:`\\sum_{x=1}^N p(x)(1-p(x))^T` (real ``T >= 0``; 1 at
    ``T = 0``). ``facts=None``: the asymptotic :math:`\\min(1, K_\\alpha T^{-1+1/\\alpha})`
    (:math:`\\alpha>1`) for ``T >= 1``; the law exceeds 1 for small ``T`` and ``alpha`` near 1
    (:math:`K_{1.01} = 1.035`), where a probability is capped at 1. ``samples`` may be a scalar
    (returns float) or an array (returns float64 array). arXiv 2310.02984, Section 3.2.
    """
    scalar = np.ndim(samples) == 0
    t = as_array("samples", samples, dtype=np.float64).ravel()
    if facts is None:
        if np.any(t < _MIN_SAMPLES):
            raise ValueError(
                "samples must be >= 1 for the asymptotic missing mass (facts=None), got "
                f"{float(t.min())}"
            )
        k = finite_data_constant(alpha)
        alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
        out = np.minimum(1.0, k * t ** (-1.0 + 1.0 / alpha))
    else:
        if np.any(t < 0):
            raise ValueError(f"samples must be >= 0, got {float(t.min())}")
        p = zipf(facts, alpha)
        log1m = np.log1p(-p) if p.size > 1 else np.array([-np.inf])
        out = np.array([float(np.dot(p, np.exp(ti * log1m))) if ti > 0 else 1.0 for ti in t])
        out = np.clip(out, 0.0, 1.0)
    return float(out[0]) if scalar else out


_Z = np.linspace(-10.0, 10.0, 2001)
_PHI = np.exp(-0.5 * _Z**2) / math.sqrt(2 * math.pi)
_DZ = _Z[1] - _Z[0]


def readout_error(signal, sigma_correct, sigma_wrong, *, answers):
    """Error of an argmax readout in the Gaussian interference model.

    The correct score is :math:`s + \\sigma_c Z_0`, each of the :math:`M-1` wrong scores is an
    independent :math:`\\sigma_w Z_y`, so
    :math:`\\Pr[\\text{error}] =
    \\int \\varphi(z)\\,[1 - \\Phi((s + \\sigma_c z)/\\sigma_w)^{M-1}]dz`
    (trapezoid on :math:`z \\in [-10, 10]`, 2001 points, in log space so errors down to 1e-300
    are resolved). Arrays broadcast. The Gaussian/independence approximation is derived here,
    not taken from a paper (docs/theory/capacity.md). NaN or infinite arguments raise
    ``ValueError``; the result lies in [0, 1].
    """
    from scipy.special import log_ndtr

    M = as_float("answers", answers, 1.0, 1e300)
    s, sc, sw = np.broadcast_arrays(
        as_array("signal", signal),
        as_array("sigma_correct", sigma_correct),
        as_array("sigma_wrong", sigma_wrong),
    )
    if np.any(sc < 0) or np.any(sw < 0):
        raise ValueError("sigma_correct and sigma_wrong must be >= 0")
    out = np.empty(s.shape, dtype=np.float64)
    flat_s, flat_c, flat_w = s.ravel(), sc.ravel(), sw.ravel()
    res = out.ravel()
    for lo in range(0, flat_s.size, 256):
        hi = min(lo + 256, flat_s.size)
        w = np.where(flat_w[lo:hi] > 0, flat_w[lo:hi], 1.0)[:, None]
        t = (flat_s[lo:hi, None] + flat_c[lo:hi, None] * _Z[None, :]) / w
        t = np.where(flat_w[lo:hi, None] > 0, t, np.where(t > 0, np.inf, -np.inf))
        integrand = -np.expm1((M - 1.0) * log_ndtr(t)) * _PHI
        val = _DZ * (integrand.sum(axis=1) - 0.5 * (integrand[:, 0] + integrand[:, -1]))
        res[lo:hi] = np.clip(val, 0.0, 1.0)
    out = res.reshape(s.shape)
    return float(out) if out.ndim == 0 else out


def _seen_probability(p: np.ndarray, samples) -> np.ndarray:
    if samples is None:
        return np.ones_like(p)
    return -np.expm1(samples * np.log1p(-np.minimum(p, 1 - 1e-16)))


class SchemeWeights(NamedTuple):
    """Weight :math:`q(x)` of each stored token and probability :math:`\\pi(x)` it is stored."""

    q: np.ndarray
    pi: np.ndarray


def scheme_population_weights(
    scheme,
    facts,
    alpha,
    *,
    d=None,
    samples=None,
    rho=1.0,
    threshold_ratio=8.0,
    lr=1.0,
    answers=5,
) -> SchemeWeights:
    """Population weights :math:`q(x)` of a scheme and the probability :math:`\\pi(x)` that ``x``
    is stored, from the Zipf law (not from sampled counts: the empirical weights of a trained
    memory are ``empirical.models.memories.assoc_memory.scheme_weights``).

    Returns :class:`SchemeWeights` ``(q, pi)``, two float64 arrays of length ``facts`` (rank
    order). :math:`\\pi(x)` is the probability :math:`1-(1-p(x))^T` that ``x`` is seen in
    ``samples`` = T samples, times :math:`1\\{x\\le P\\}` for ``"threshold"``
    (:math:`P = \\lfloor d/r \\rfloor`, all tokens if ``d`` is None: the top-P *seen* tokens
    are approximated by the seen tokens among the top P ranks). ``"sgd"`` uses
    :math:`q = q_\\gamma(T p(x))` from :func:`sgd_weight_continuous` with step ``lr`` =
    :math:`\\gamma` (``samples`` required). arXiv 2310.02984, Sections 2-4 (Eq. 16 for SGD).
    """
    scheme = as_choice("scheme", scheme, WEIGHT_SCHEMES)
    p = zipf(facts, alpha)
    if samples is not None:
        samples = as_float("samples", samples, 0.0, 1e15)
    if d is not None:
        d = as_float("d", d, 1.0, 1e15)
    pi = _seen_probability(p, samples)
    if scheme == "uniform":
        q = np.ones_like(p)
    elif scheme == "power":
        rho = as_float("rho", rho, 0.0, 10.0)
        q = p**rho
    elif scheme == "threshold":
        r = as_float("threshold_ratio", threshold_ratio, 0.0, 1e6, low_open=True)
        P = p.size if d is None else min(p.size, int(math.floor(d / r)))
        q = np.ones_like(p)
        pi = pi * (np.arange(p.size) < P)
    else:
        if samples is None:
            raise ValueError("samples must be given (a number of samples) for the 'sgd' scheme")
        q = sgd_weight_continuous(samples * p, lr, answers)
    return SchemeWeights(q, pi)


def scheme_error(
    scheme,
    *,
    d,
    samples,
    alpha,
    facts,
    answers=5,
    rho=1.0,
    threshold_ratio=8.0,
    lr=1.0,
) -> float:
    """Expected error :math:`\\mathcal{E} = \\sum_x p(x) \\Pr[\\hat f(x) \\ne f_*(x)]` of a scheme.

    Mean-field Gaussian model of :math:`W_q = \\sum_x q(x) u_{f_*(x)} e_x^\\top` with random unit
    embeddings and balanced classes: with :math:`Q = \\sum_x \\pi(x) q(x)^2`, a stored token has
    signal :math:`q(x)`, correct-score noise :math:`\\sigma_c^2 = (Q/M - q^2)_+/d + Q/d^2` and
    wrong-score noise :math:`\\sigma_w^2 = (q^2 + Q/M)/d + Q/d^2` (independent wrong scores);
    a token not stored has signal 0. The error per token is :func:`readout_error`. ``d=None``:
    every stored token is retrieved and an unstored one is guessed (error :math:`1-1/M`);
    ``samples=None``: every token is seen. This is the heuristic behind Theorem 1 of arXiv
    2310.02984 (error iff :math:`d q(x)^2 \\lesssim Q_\\infty`), made explicit; constants are
    ours. ``lr`` is the SGD step :math:`\\gamma` of the ``"sgd"`` scheme.
    """
    M = as_int("answers", answers, minimum=2)
    q, pi = scheme_population_weights(
        scheme,
        facts,
        alpha,
        d=d,
        samples=samples,
        rho=rho,
        threshold_ratio=threshold_ratio,
        lr=lr,
        answers=M,
    )
    p = zipf(facts, alpha)
    if d is None:
        return float(np.clip(np.dot(p, (1.0 - pi) * (1.0 - 1.0 / M)), 0.0, 1.0))
    d = float(d)
    Q = float(np.dot(pi, q**2))
    if Q <= 0.0:  # nothing stored: W = 0 and every answer is a guess
        return 1.0 - 1.0 / M
    base = Q / d**2
    err0 = readout_error(0.0, math.sqrt(Q / M / d + base), math.sqrt(Q / M / d + base), answers=M)
    qs = np.unique(q)
    if qs.size > 400:  # interpolate the per-token error over log q (power / sgd schemes)
        lo, hi = max(qs[0], qs[-1] * 1e-300), qs[-1]
        grid = np.geomspace(lo, hi, 400) if lo > 0 else np.linspace(0.0, hi, 400)
    else:
        grid = qs
    sc = np.sqrt(np.maximum(Q / M - grid**2, 0.0) / d + base)
    sw = np.sqrt((grid**2 + Q / M) / d + base)
    eg = readout_error(grid, sc, sw, answers=M)
    err_q = np.interp(q, grid, eg) if qs.size > 400 else eg[np.searchsorted(grid, q)]
    total = np.dot(p, pi * err_q + (1.0 - pi) * err0)
    return float(np.clip(total, 0.0, 1.0))


def exponent_d(scheme, alpha, rho=1.0) -> float:
    """Decay exponent :math:`\\beta` in memory size, :math:`\\mathcal{E}\\sim d^{-\\beta}`.

    Infinite data and vocabulary, Zipf :math:`\\alpha>1` (arXiv 2310.02984, Sections 3.1, 3.3):
    ``threshold``: :math:`\\alpha-1` (Proposition 4; minimax, Theorem 2); ``power``:
    :math:`(\\alpha-1)/(2\\rho\\alpha)` when :math:`2\\rho\\alpha>1` (tokens with
    :math:`d\\,p^{2\\rho}\\gtrsim Q` are stored, so the error is the Zipf tail beyond
    :math:`d^{1/(2\\rho\\alpha)}`; :math:`d^{-1/4}` at :math:`\\rho=1,\\alpha=2`), else 0;
    ``uniform``: 0 (overflow: the interference :math:`Q` diverges, no power-law decay);
    ``sgd`` is not covered (raises).
    """
    scheme = as_choice("scheme", scheme, WEIGHT_SCHEMES[:3])
    alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
    if scheme == "threshold":
        return alpha - 1.0
    if scheme == "uniform":
        return 0.0
    rho = as_float("rho", rho, 0.0, 10.0)
    return (alpha - 1.0) / (2.0 * rho * alpha) if 2.0 * rho * alpha > 1.0 else 0.0


def exponent_T(scheme, alpha) -> float:
    """Decay exponent in samples, :math:`\\mathcal{E}\\sim T^{-(1-1/\\alpha)}`, infinite memory.

    The same for every scheme that stores each seen token (``uniform``, ``power``,
    ``threshold`` with :math:`P=\\infty`): only unseen tokens err, and their mass is
    :math:`K_\\alpha T^{-1+1/\\alpha}` (arXiv 2310.02984, Section 3.2).
    """
    as_choice("scheme", scheme, WEIGHT_SCHEMES)
    alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
    return 1.0 - 1.0 / alpha


def joint_law(d, samples, alpha, *, threshold_ratio=8.0, answers=None) -> float:
    """Joint law of thresholding, :math:`\\mathcal{E}\\asymp d^{-\\alpha+1}+T^{-1+1/\\alpha}`.

    With explicit constants: :math:`c_M \\min(1, (d/r)^{1-\\alpha}/((\\alpha-1)\\zeta(\\alpha)) +
    K_\\alpha T^{-1+1/\\alpha})`, the Zipf tail beyond :math:`P = d/r` plus the unseen mass in
    ``samples`` = T samples, :math:`c_M = 1 - 1/M` (unstored tokens are guessed) or 1 when
    ``answers`` is None. arXiv 2310.02984, Theorem 2 / Figure 1 (constants ours; the overlap of
    the two terms is double counted, an asymptotically negligible upper-bound convention, and
    the sum of the two probabilities is capped at 1). Domain: :math:`d \\ge r` (at least one
    stored token) and :math:`T \\ge 1`; the result lies in [0, 1].
    """
    alpha = as_float("alpha", alpha, 1.0, 20.0, low_open=True)
    r = as_float("threshold_ratio", threshold_ratio, 0.0, 1e6, low_open=True)
    d = as_float("d", d, r, None)
    samples = as_float("samples", samples, _MIN_SAMPLES, None)
    cm = 1.0 if answers is None else 1.0 - 1.0 / as_int("answers", answers, minimum=2)
    return cm * min(1.0, zipf_tail(d / r, alpha) + missing_mass(samples, alpha))


def required_dimension_for_error(
    error, scheme, *, alpha, facts, samples=None, answers=5, rho=1.0, threshold_ratio=8.0
) -> float:
    """Smallest ``d`` with :func:`scheme_error` :math:`\\le` ``error`` (brentq on log d).

    Raises ``ValueError`` when the target is below what the scheme reaches at ``d = 1e12``
    (e.g. the unseen mass at finite ``samples``). arXiv 2310.02984 model (see
    :func:`scheme_error`).
    """
    from scipy.optimize import brentq

    error = as_float("error", error, 0.0, 1.0, low_open=True, high_open=True)

    def g(logd):
        return scheme_error(
            scheme,
            d=math.exp(logd),
            samples=samples,
            alpha=alpha,
            facts=facts,
            answers=answers,
            rho=rho,
            threshold_ratio=threshold_ratio,
        )

    lo, hi = 0.0, math.log(max(2.0, threshold_ratio))
    if g(lo) <= error:
        return 1.0
    while g(hi) > error:
        lo, hi = hi, hi + math.log(4.0)
        if hi > math.log(1e12):
            raise ValueError(
                f"error {error:g} is not reached by scheme {scheme!r} at any d <= 1e12"
            )
    return math.exp(brentq(lambda x: g(x) - error, lo, hi, xtol=1e-6))


def sgd_map(q, lr, answers):
    """One SGD step on a sample of ``x`` as a memory update, arXiv 2310.02984 Eq. (16).

    :math:`f(q) = q + \\gamma / (1 + e^{q}/(M-1))` with step ``lr`` = :math:`\\gamma`
    (near-orthogonal embeddings, ``M`` answers).
    """
    qa = as_array("q", q)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    M = as_int("answers", answers, minimum=2)
    out = qa + lr / (1.0 + np.exp(np.minimum(qa, 700.0)) / (M - 1))
    return float(out) if out.ndim == 0 else out


def sgd_weight(n_steps, lr, answers):
    """:math:`q_\\gamma = f^{(n)}(0)`: the weight after ``n`` SGD updates (exact iteration).

    ``n_steps`` is an integer or an integer array (each in [0, 10^7]; ``2.7`` is refused, not
    truncated); ``lr`` is the step :math:`\\gamma`. arXiv 2310.02984, Section 4.1.
    """
    n = as_int_array("n_steps", n_steps, minimum=0, maximum=10**7)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    M = as_int("answers", answers, minimum=2)
    flat = n.ravel()
    order = np.argsort(flat, kind="stable")
    out = np.empty(flat.size, dtype=np.float64)
    q, step = 0.0, 0
    for idx in order:
        while step < flat[idx]:
            q = q + lr / (1.0 + math.exp(min(q, 700.0)) / (M - 1))
            step += 1
        out[idx] = q
    out = out.reshape(n.shape)
    return float(out) if out.ndim == 0 else out


def sgd_invariant(q, answers):
    """:math:`I(q) = (M-1)q + e^{q}`, which grows at rate :math:`\\gamma(M-1)` per update.

    Along :math:`dq/dn = \\gamma/(1 + e^q/(M-1))`, :math:`dI/dn = \\gamma(M-1)` exactly, so
    :math:`I(q(n)) = \\gamma(M-1)n + 1` from :math:`q(0)=0` (derived from arXiv 2310.02984
    Eq. 16; checked in ``proofs_check.scaling``).
    """
    qa = as_array("q", q)
    M = as_int("answers", answers, minimum=2)
    out = (M - 1) * qa + np.exp(qa)
    return float(out) if out.ndim == 0 else out


def sgd_weight_continuous(n_steps, lr, answers):
    """Continuous-time SGD weight: the root of :math:`(M-1)q + e^q = \\gamma(M-1)n + 1`.

    Closed form (derived from arXiv 2310.02984 Eq. 16, checked in ``proofs_check.scaling``)
    :math:`q = K/a - \\omega(K/a - \\ln a)` with :math:`a = M-1`, :math:`K = \\gamma a n + 1`,
    :math:`\\gamma` = ``lr`` and :math:`\\omega` the Wright omega function
    (:math:`\\omega + \\ln\\omega = z`). That difference cancels catastrophically for large
    :math:`n` (relative error 1e-6 at :math:`n = 3\\cdot10^8`, NaN at :math:`10^{308}`), so it is
    evaluated in the algebraically equal form :math:`q = \\ln a + \\ln\\omega(z)` (from
    :math:`K/a - \\omega = z + \\ln a - \\omega = \\ln(a\\omega)`), then polished by Newton on
    :math:`a q + \\mathrm{expm1}(q) = \\gamma a n`, which keeps full relative accuracy for
    small :math:`q` too. :math:`q\\approx\\gamma n` for small :math:`\\gamma n`,
    :math:`q\\approx\\ln(\\gamma(M-1)n)` for large. ``n_steps`` may be real and an array
    (``lr * n_steps`` at most 1e300).
    """
    from scipy.special import wrightomega

    na = as_array("n_steps", n_steps)
    if np.any(na < 0):
        raise ValueError("n_steps must be >= 0")
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    M = as_int("answers", answers, minimum=2)
    if np.any(lr * na > 1e300):
        raise ValueError("lr * n_steps must be at most 1e300 (the weight is then about 690)")
    a = float(M - 1)
    gn = lr * na
    z = gn + 1.0 / a - math.log(a)
    omega = np.real(wrightomega(z))
    q = math.log(a) + np.log(omega)
    c = a * gn  # right-hand side of a q + expm1(q) = c; finite below lr * n = 1e300 / a
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(3):
            f = a * q + np.expm1(q) - c
            step = f / (a + np.exp(q))
            q = np.where(np.isfinite(step), q - step, q)
    q = np.where(na == 0, 0.0, q)
    return float(q) if q.ndim == 0 else q
