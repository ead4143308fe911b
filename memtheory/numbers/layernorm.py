r"""The geometry xVal imposes: every number on one ray, read through LayerNorm.

xVal embeds a number :math:`x` as :math:`h = x\,e + p` (the ``[NUM]`` embedding :math:`e` times
the value, then the position embedding :math:`p`; Golkar et al. 2023, arXiv 2310.02989;
notes ``../shared/papers/xval.md`` §1.2). Every read of the residual stream in a pre-LN
Transformer goes through

.. math:: \mathrm{LN}(u) = \gamma\odot\frac{u-\bar u\,\mathbf 1}{\sqrt{\tfrac1d\lVert u-\bar u
          \mathbf 1\rVert^2+\epsilon}} + \beta .

With :math:`\epsilon = 0` the map forgets scale: :math:`\mathrm{LN}(x e) = \gamma\odot
\mathrm{sign}(x)\,\hat e + \beta` (:math:`\hat e` the standardized :math:`e`, notes §1.4), so
without a position term a network reading ``[NUM]`` through LayerNorm can only compute
functions of :math:`\mathrm{sign}(x)`. With the position term, write :math:`\bar e, \bar p`
for the centered vectors, :math:`c = \lVert\bar e\rVert`, :math:`a = \langle\bar p, \bar e\rangle
/c` and :math:`b = \lVert\bar p - a\,\bar e/c\rVert`. Then :math:`x\bar e+\bar p` moves along a
line in the plane of :math:`(\bar e, \bar p)` and LN maps it to the point at angle

.. math:: \theta(x) = \operatorname{atan2}(b,\; c\,x + a)\in(0,\pi)

on a half circle of radius :math:`\sqrt d`: injective (so :math:`x` is recoverable) with speed
:math:`\lVert\partial_x\mathrm{LN}\rVert = \sqrt d\,c\,b/((cx+a)^2+b^2)`, which decays as
:math:`x^{-2}`: the representation saturates once :math:`|x|\,c\gg b` (notes §1.4). With an
angular resolution :math:`\sigma` (noise, finite precision), the error of recovering :math:`x` is
:math:`\delta x = \sigma((cx+a)^2+b^2)/(c\,b)` and the relative error stays below :math:`r`
only on a bounded window (:func:`dynamic_range`), centred (for :math:`a = 0`) at
:math:`b/c = \lVert\bar p_\perp\rVert/\lVert\bar e\rVert`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_array, as_float
from memtheory.result_fields import FieldsAsDict


def _vec(name: str, v) -> np.ndarray:
    v = as_array(name, v, ndim=1)
    if v.shape[0] < 2:
        raise ValueError(f"{name} must have at least 2 entries (LayerNorm over d >= 2), got 1")
    return v


def layer_norm(u, gamma=None, beta=None, *, eps: float = 0.0) -> np.ndarray:
    r""":math:`\gamma\odot(u-\bar u)/\sqrt{\mathrm{Var}(u)+\epsilon}+\beta` over the last axis
    (biased variance, as in ``torch.nn.LayerNorm``; Ba et al. 2016, arXiv 1607.06450), float64.
    ``eps = 0`` needs a non-constant ``u``."""
    u = as_array("u", u)
    if u.ndim < 1 or u.shape[-1] < 2:
        raise ValueError(f"u must have a last axis of length >= 2, got shape {u.shape}")
    eps = as_float("eps", eps, 0.0)
    d = u.shape[-1]
    g = np.ones(d) if gamma is None else as_array("gamma", gamma, shape=(d,))
    b = np.zeros(d) if beta is None else as_array("beta", beta, shape=(d,))
    c = u - u.mean(axis=-1, keepdims=True)
    var = np.mean(c * c, axis=-1, keepdims=True) + eps
    if np.any(var == 0):
        raise ValueError("u must not be constant along the last axis when eps = 0")
    return g * c / np.sqrt(var) + b


def ray_geometry(e, p) -> tuple[float, float, float]:
    r"""``(c, a, b)`` of the module docstring: :math:`c=\lVert\bar e\rVert`,
    :math:`a=\langle\bar p,\bar e\rangle/c`, :math:`b=\lVert\bar p_\perp\rVert`."""
    e = _vec("e", e)
    p = as_array("p", p, shape=e.shape)
    eb, pb = e - e.mean(), p - p.mean()
    c = float(np.linalg.norm(eb))
    if c == 0.0:
        raise ValueError("e must not be constant (its centered norm is 0)")
    a = float(pb @ eb / c)
    b = float(np.linalg.norm(pb - a * eb / c))
    return c, a, b


def angle(x, e, p) -> np.ndarray:
    r""":math:`\theta(x)=\operatorname{atan2}(b, cx+a)`: where :math:`\mathrm{LN}(xe+p)` sits on
    its half circle (:math:`\epsilon=0`). Golkar et al. 2023 (arXiv 2310.02989); notes §1.4."""
    c, a, b = ray_geometry(e, p)
    x = as_array("x", x)
    return np.arctan2(b, c * x + a)


def ln_speed(x, e, p) -> np.ndarray:
    r""":math:`\lVert\partial_x\mathrm{LN}(xe+p)\rVert=\sqrt d\,c\,b/((cx+a)^2+b^2)`
    (:math:`\epsilon=0`, :math:`\gamma=1`); symbolic check ``numbers.ln_speed``."""
    e = _vec("e", e)
    c, a, b = ray_geometry(e, p)
    x = as_array("x", x)
    return math.sqrt(e.shape[0]) * c * b / ((c * x + a) ** 2 + b**2)


def recover(h, e, p) -> np.ndarray:
    r"""Invert :math:`h=\mathrm{LN}(xe+p)` (:math:`\epsilon=0,\gamma=1,\beta=0`):
    :math:`x=(b\cot\theta-a)/c` with :math:`\theta` read from the components of ``h`` along
    :math:`\hat e` and :math:`\hat p_\perp`. Needs :math:`b>0` (a position not parallel to
    :math:`e`); ``h`` may be one vector or a stack of rows."""
    e = _vec("e", e)
    c, a, b = ray_geometry(e, p)
    if b <= 1e-12 * max(c, 1.0):
        raise ValueError("p must have a component orthogonal to e (b > 0) to recover x")
    h = as_array("h", h)
    if h.shape[-1] != e.shape[0]:
        raise ValueError(f"h must have last axis {e.shape[0]}, got shape {h.shape}")
    eb = e - e.mean()
    pb = np.asarray(p, dtype=np.float64) - np.mean(p)
    ehat = eb / c
    q = (pb - a * ehat) / b
    return (b * (h @ ehat) / (h @ q) - a) / c


def recovery_error(x, e, p, *, angle_resolution: float) -> np.ndarray:
    r""":math:`\delta x=\sigma\,((cx+a)^2+b^2)/(c\,b)`: the error in :math:`x` caused by an error
    :math:`\sigma` (radians) in :math:`\theta` (first order)."""
    c, a, b = ray_geometry(e, p)
    sigma = as_float("angle_resolution", angle_resolution, 0.0, math.pi, low_open=True)
    if b == 0.0:
        raise ValueError("p must have a component orthogonal to e (b > 0)")
    x = as_array("x", x)
    return sigma * ((c * x + a) ** 2 + b**2) / (c * b)


@dataclass(frozen=True)
class DynamicRange(FieldsAsDict):
    r"""Windows of :math:`x` where :math:`\delta x\le r\,|x|` (:func:`dynamic_range`).

    ``positive``: ``(lo, hi)``, :math:`0<lo\le hi`, the window of :math:`x>0`; ``None`` if empty.
    ``negative``: ``(lo, hi)``, :math:`lo\le hi<0`, the window of :math:`x<0`; ``None`` if empty.
    ``ratio``: ``hi / lo`` of the positive window; ``None`` if it is empty.
    """

    positive: tuple[float, float] | None
    negative: tuple[float, float] | None
    ratio: float | None


def dynamic_range(e, p, *, angle_resolution: float, rel_error: float) -> DynamicRange:
    r"""Windows of :math:`x` where :math:`\delta x\le r\,|x|`: solving
    :math:`\sigma((cx+a)^2+b^2)\le r\,c\,b\,|x|` gives, for :math:`x>0`,

    .. math:: x_\pm = \frac{r c b - 2\sigma a c \pm \sqrt{(r c b-2\sigma a c)^2
              - 4\sigma^2c^2(a^2+b^2)}}{2\sigma c^2}

    (and the mirror image with :math:`a\to-a` for :math:`x<0`). Returns a :class:`DynamicRange`
    (``positive``: ``(lo, hi) | None``, ``negative``: ``(lo, hi) | None``, ``ratio``: hi/lo of
    the positive window); ``None`` when no :math:`x` reaches the precision. For :math:`a=0`
    the window is centred geometrically at :math:`b/c` with ratio
    :math:`((r+\sqrt{r^2-4\sigma^2})/(2\sigma))^2`.
    Symbolic check ``numbers.dynamic_range``."""
    c, a, b = ray_geometry(e, p)
    sigma = as_float("angle_resolution", angle_resolution, 0.0, math.pi, low_open=True)
    r = as_float("rel_error", rel_error, 0.0, None, low_open=True)
    if b == 0.0:
        raise ValueError("p must have a component orthogonal to e (b > 0)")

    def window(a_):
        B = r * c * b - 2 * sigma * a_ * c
        disc = B * B - 4 * sigma**2 * c**2 * (a_**2 + b**2)
        if B <= 0 or disc < 0:
            return None
        s = math.sqrt(disc)
        return ((B - s) / (2 * sigma * c**2), (B + s) / (2 * sigma * c**2))

    pos, neg = window(a), window(-a)
    return DynamicRange(
        positive=pos,
        negative=None if neg is None else (-neg[1], -neg[0]),
        ratio=None if pos is None else pos[1] / pos[0],
    )
