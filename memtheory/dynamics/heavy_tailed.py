r"""Heavy-tailed class imbalance: tiered-Zipf classes and per-class losses under GD and sign
descent (Kunstner et al. 2024, *Heavy-Tailed Class Imbalance and Why Adam Outperforms Gradient
Descent on Language Models*, arXiv 2402.19449; ``docs/theory/dynamics.md`` section 4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_choice, as_float, as_int
from memtheory.dynamics.arguments import MAX_STEPS, probabilities_arg
from memtheory.dynamics.gd_associative import orthonormal_margin_recursion


@dataclass(frozen=True)
class TieredZipf:
    """Class structure of the tiered-Zipf synthetic data (see :func:`tiered_zipf`)."""

    m: int
    n: int
    c: int
    d: int
    counts: np.ndarray
    frequencies: np.ndarray
    tier: np.ndarray


def tiered_zipf(m) -> TieredZipf:
    r"""Tiered-Zipf classes of the synthetic linear softmax model of Kunstner et al. 2024.

    ``m`` tiers ``i = 0..m-1``; tier ``i`` has :math:`2^i` classes with :math:`2^{m-i}` samples
    each, so :math:`n = m2^m` samples, :math:`c = 2^m - 1` classes, features
    :math:`d = (m+1)2^m > n`; each tier holds exactly ``1/m`` of the data; frequency ratio
    :math:`2^{m-1}`; a step approximation of Zipf with exponent 1 (arXiv 2402.19449 linear
    model, authors' code; ``docs/theory/dynamics.md`` section 4). Classes are ordered
    most frequent first; ``frequencies = counts / n``.
    """
    m = as_int("m", m, 1, 24)
    tiers = np.repeat(np.arange(m, dtype=np.int64), 2 ** np.arange(m))
    counts = (2 ** (m - tiers)).astype(np.int64)
    n = m * 2**m
    return TieredZipf(
        m=m,
        n=n,
        c=2**m - 1,
        d=(m + 1) * 2**m,
        counts=counts,
        frequencies=counts / n,
        tier=tiers,
    )


def equal_mass_groups(frequencies, n_groups) -> np.ndarray:
    r"""Group id of each class, for per-group curves of equal *sample mass*.

    Classes are sorted by decreasing frequency (stable); class ``k`` goes to group
    :math:`\lfloor G\,F_k\rfloor` (clipped to ``G - 1``), where :math:`F_k` is the normalized
    mass of the classes before it (``docs/theory/dynamics.md`` section 4: grouping by
    equal mass, not equal class count). For :func:`tiered_zipf` with ``G = m``, group = tier.
    """
    f = probabilities_arg("frequencies", frequencies, normalized=False)
    total = float(f.sum())
    if total <= 0:
        raise ValueError("frequencies must have a positive sum")
    G = as_int("n_groups", n_groups, 1)
    order = np.argsort(-f, kind="stable")
    before = np.concatenate([[0.0], np.cumsum(f[order])[:-1]]) / total
    g_sorted = np.minimum(np.floor(G * before + 1e-9).astype(np.int64), G - 1)
    out = np.empty(f.size, dtype=np.int64)
    out[order] = g_sorted
    return out


def orthonormal_class_losses(pi, *, lr, steps, method="gd") -> np.ndarray:
    r"""Per-class loss of the reduced imbalanced model, ``(steps+1, c)``.

    Reduced model: ``c`` classes, class ``k`` has frequency :math:`\pi_k` and one one-hot input
    :math:`e_k`, a linear softmax layer with one-hot outputs (``M = c``), :math:`W_0 = 0`,
    full batch. This is the orthonormal associative memory of section 1, so

    - ``method="gd"``: the exact margin recursion of :func:`orthonormal_margin_recursion`, and
      :math:`\ell_k(t) = \log(1+(c-1)e^{-m_k(t)})\sim (c-1)/(\eta\pi_k c\,t)`, i.e.
      :math:`\Theta(1/(\pi_k t))`: rare classes are slow;
    - ``method="sign"``: sign descent :math:`W\leftarrow W - \eta\,\mathrm{sign}(\nabla W)`
      raises every correct entry by :math:`\eta` and lowers every wrong one by :math:`\eta`
      (the sign does not see :math:`\pi_k`), so :math:`m_k(t) = 2\eta t` and
      :math:`\ell_k(t) = \log(1+(c-1)e^{-2\eta t})` for every class: exponential and independent
      of :math:`\pi_k`. (In floating point the gradient underflows to 0, and the iteration
      stops, once :math:`2\eta t\gtrsim 745`; the closed form continues.)

    These reproduce the rates stated in arXiv 2402.19449 (gradient flow
    :math:`\Theta(1/(\pi_kt))`, sign flow :math:`\Theta(e^{-ct})`) for this one-hot set-up; the
    paper's exact assumptions are unconfirmed in the notes, so this is the version that
    follows from the stated "simple imbalanced setting" with orthonormal inputs.
    """
    pi = probabilities_arg("pi", pi)
    if pi.size < 2:
        raise ValueError(f"pi must have at least 2 classes, got {pi.size}")
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    method = as_choice("method", method, ("gd", "sign"))
    c = pi.size
    if method == "gd":
        m = orthonormal_margin_recursion(pi, c, lr=lr, steps=steps)
    else:
        m = np.broadcast_to((2.0 * lr * np.arange(steps + 1))[:, None], (steps + 1, c))
    return np.log1p((c - 1) * np.exp(-m))


def quadratic_trajectory(pi, *, lr, steps, method="gd", w0=1.0) -> np.ndarray:
    r"""Per-coordinate losses :math:`\pi_k w_k(t)^2` on the quadratic, shape ``(steps+1, c)``.

    Quadratic :math:`f(w) = \sum_k\pi_kw_k^2`. GD: :math:`w_k \leftarrow (1 - 2\eta\pi_k)w_k`;
    sign descent:
    :math:`w_k\leftarrow w_k - \eta\,\mathrm{sign}(w_k)` (every coordinate moves by
    :math:`\eta` whatever :math:`\pi_k`); :math:`w_0 = ` ``w0`` in every coordinate (quadratic
    illustration of the authors' repository, ``docs/theory/dynamics.md`` section 4).
    ``pi`` need only be non-negative weights.
    """
    pi = probabilities_arg("pi", pi, normalized=False)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    method = as_choice("method", method, ("gd", "sign"))
    w0 = as_float("w0", w0)
    if method == "gd":
        w = (1.0 - 2.0 * lr * pi)[None, :] ** np.arange(steps + 1)[:, None] * w0
    else:
        w = np.empty((steps + 1, pi.size))
        cur = np.full(pi.size, w0)
        w[0] = cur
        for k in range(1, steps + 1):
            cur = cur - lr * np.sign(cur)
            w[k] = cur
    return pi[None, :] * w**2
