"""Level-set teleportation: move along a sub-level set of the loss to the largest gradient.

Source: Mishkin, Bietti & Gower, *Level Set Teleportation: An Optimization Perspective*,
AISTATS 2025 (arXiv 2403.03362), Sec. 2 (teleport step, KKT conditions), Sec. 4 (the
sub-level-set solver), Sec. 5 (rates). Notes: ``../shared/papers/teleportation.md``.

The teleport step solves

.. math:: w^+ \\in \\arg\\max_w \\tfrac12 \\lVert \\nabla f(w) \\rVert^2
          \\quad \\text{s.t.} \\quad f(w) \\le f(w_k).

The gradient of the objective is a Hessian-vector product, :math:`q = \\nabla^2 f(w)\\nabla f(w)`,
so the solver needs first derivatives and one HVP per iteration. At a solution with
:math:`\\nabla f \\ne 0` the KKT conditions read :math:`\\nabla^2 f\\, g = \\lambda g`: the gradient
is a Hessian eigenvector. The problems here are plain numpy callables (float64); an autograd HVP
from torch fits the same :class:`Problem` interface.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_array, as_float, as_int

__all__ = [
    "Problem",
    "TeleportResult",
    "quadratic",
    "logistic_regression",
    "kkt_residual",
    "teleport",
    "sublevel_ascent",
    "gd_teleport",
    "newton_minimize",
    "quadratic_max_grad_norm_sq",
    "quadratic_sublevel_radius_sq",
    "convex_rate_bound",
]


@dataclass(frozen=True)
class Problem:
    """A smooth objective: ``f(w)``, ``grad(w)`` and ``hvp(w, v)`` = :math:`\\nabla^2 f(w) v`."""

    f: Callable[[np.ndarray], float]
    grad: Callable[[np.ndarray], np.ndarray]
    hvp: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dim: int


@dataclass(frozen=True)
class TeleportResult:
    """Where the solver stopped and how well it solved the teleport problem.

    ``kkt_residual`` is :func:`kkt_residual` at ``w``; ``constraint_gap`` is
    :math:`f(w) - f(w_k)` (<= 0 when feasible); ``grad_norm_sq`` the objective's value
    :math:`\\lVert\\nabla f(w)\\rVert^2` per accepted iteration (first entry: the start).
    """

    w: np.ndarray
    kkt_residual: float
    constraint_gap: float
    iterations: int
    converged: bool
    grad_norm_sq: np.ndarray


def quadratic(A) -> Problem:
    """:math:`f(w) = \\tfrac12 w^\\top A w` with symmetric positive semi-definite ``A``."""
    A = as_array("A", A, ndim=2)
    if A.shape[0] != A.shape[1] or not np.allclose(A, A.T, rtol=1e-12, atol=1e-12):
        raise ValueError(f"A must be a symmetric square matrix, got shape {A.shape}")
    if np.linalg.eigvalsh(A)[0] < -1e-12 * max(1.0, np.abs(A).max()):
        raise ValueError("A must be positive semi-definite (smallest eigenvalue >= 0)")
    return Problem(
        f=lambda w: 0.5 * float(w @ A @ w),
        grad=lambda w: A @ w,
        hvp=lambda w, v: A @ v,
        dim=A.shape[0],
    )


def logistic_regression(X, y, l2: float = 0.0) -> Problem:
    """Mean logistic loss with an L2 term (Sec. 5: Hessian-stable by self-concordance).

    .. math:: f(w) = \\frac1n \\sum_i \\log(1 + e^{-y_i x_i^\\top w})
       + \\frac{l_2}{2}\\lVert w\\rVert^2,
       \\qquad \\nabla^2 f(w) v = \\frac1n X^\\top (s \\odot X v) + l_2 v,\\;
       s_i = \\sigma(z_i)(1-\\sigma(z_i)),\\; z_i = y_i x_i^\\top w.

    ``y`` holds labels in {-1, +1}.
    """
    from scipy.special import expit

    X = as_array("X", X, ndim=2)
    y = as_array("y", y, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one label per row of X ({X.shape[0]}), got {y.shape[0]}")
    if not np.all(np.abs(y) == 1):
        raise ValueError("y must hold labels in {-1, +1}")
    l2 = as_float("l2", l2, 0.0)
    n = X.shape[0]

    def f(w):
        return float(np.logaddexp(0.0, -y * (X @ w)).mean() + 0.5 * l2 * (w @ w))

    def grad(w):
        return -(X.T @ (y * expit(-y * (X @ w)))) / n + l2 * w

    def hvp(w, v):
        p = expit(y * (X @ w))
        return X.T @ (p * (1 - p) * (X @ v)) / n + l2 * v

    return Problem(f=f, grad=grad, hvp=hvp, dim=X.shape[1])


def kkt_residual(g: np.ndarray, q: np.ndarray) -> float:
    """Relative KKT residual of the teleport problem, :math:`\\lVert P q\\rVert / \\lVert q\\rVert`.

    :math:`P = I - g g^\\top/\\lVert g\\rVert^2` projects out the gradient ``g``; ``q`` is
    :math:`\\nabla^2 f\\, g`. It is 0 exactly when ``g`` is a Hessian eigenvector (Sec. 2, KKT).
    """
    qn = float(np.linalg.norm(q))
    gn2 = float(g @ g)
    if qn == 0.0 or gn2 == 0.0:
        return 0.0
    return float(np.linalg.norm(q - (q @ g) / gn2 * g)) / qn


def _restore(problem: Problem, x: np.ndarray, level: float, tol: float) -> np.ndarray:
    """Move back onto :math:`f \\le` ``level`` along :math:`-\\nabla f` (bisection on the step)."""
    fx = problem.f(x)
    if fx <= level + tol:
        return x
    g = problem.grad(x)
    hi = 1.0 / max(float(np.linalg.norm(g)), 1e-300)
    for _ in range(200):
        if problem.f(x - hi * g) <= level:
            break
        hi *= 2.0
    else:
        return x
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if problem.f(x - mid * g) <= level:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-16 * hi:
            break
    return x - hi * g


def sublevel_ascent(
    problem: Problem,
    w,
    objective: Callable[[np.ndarray], float],
    objective_grad: Callable[[np.ndarray], np.ndarray],
    *,
    rho: float = 0.1,
    max_iter: int = 1000,
    tol: float = 1e-8,
    feas_tol: float = 1e-12,
    beta: float = 0.5,
    max_backtracks: int = 25,
) -> TeleportResult:
    """Maximize ``objective`` h over the sub-level set :math:`\\{v: f(v) \\le f(w)\\}`.

    The solver of :func:`teleport` with a general ascent direction :math:`q = \nabla h`
    (Sec. 4; the teleport step is :math:`h = \tfrac12\\lVert\nabla f\rVert^2`,
    :math:`q = \nabla^2 f\\,\nabla f`): a projected step :math:`\rho q` on the linearized
    constraint, backtracking on the exact-penalty merit :math:`h - \\mu (f - f(w))_+`, stop when
    :math:`\\lVert P q\rVert / \\lVert q\rVert \\le` ``tol`` (``kkt_residual``) with the
    constraint met, then a bisection along :math:`-\nabla f` back onto the set. ``grad_norm_sq``
    of the result holds the objective's values per accepted iteration.
    """
    x = as_array("w", w, ndim=1).copy()
    if x.shape[0] != problem.dim:
        raise ValueError(f"w must have length {problem.dim}, got {x.shape[0]}")
    rho = as_float("rho", rho, 0.0, low_open=True)
    max_iter = as_int("max_iter", max_iter, 0)
    tol = as_float("tol", tol, 0.0, low_open=True)
    feas_tol = as_float("feas_tol", feas_tol, 0.0)
    beta = as_float("beta", beta, 0.0, 1.0, low_open=True, high_open=True)
    max_backtracks = as_int("max_backtracks", max_backtracks, 0)
    level = problem.f(x)
    slack = feas_tol * max(1.0, abs(level))
    g = problem.grad(x)
    gn2 = float(g @ g)
    hx = float(objective(x))
    history = [hx]
    if gn2 == 0.0:  # a stationary point of f: every direction is a KKT point
        return TeleportResult(x, 0.0, 0.0, 0, True, np.asarray(history))
    q = objective_grad(x)
    step = rho * gn2 / max(float(q @ q), 1e-300)
    mu = 0.0
    converged, it = False, 0
    for it in range(1, max_iter + 1):
        fx = problem.f(x)
        if kkt_residual(g, q) <= tol and fx - level <= slack:
            converged, it = True, it - 1
            break
        mu = max(mu, 2.0 * abs(float(q @ g)) / gn2)
        merit = hx - mu * max(fx - level, 0.0)
        first_step, accepted = step, False
        for _ in range(max_backtracks + 1):
            d = step * q
            viol = fx + float(d @ g) - level
            if viol > 0:
                d = d - (viol / gn2) * g
            x_new = x + d
            h_new = float(objective(x_new))
            if h_new - mu * max(problem.f(x_new) - level, 0.0) > merit:
                accepted = True
                break
            step *= beta
        if not accepted:
            break  # no ascent at the smallest step: stop where we are
        if step == first_step:
            step /= beta
        x, hx = x_new, h_new
        g = problem.grad(x)
        gn2 = float(g @ g)
        history.append(hx)
        if gn2 == 0.0:
            break
        q = objective_grad(x)
    x = _restore(problem, x, level, slack)
    g = problem.grad(x)
    res = kkt_residual(g, objective_grad(x))
    return TeleportResult(x, res, problem.f(x) - level, it, converged, np.asarray(history))


def teleport(
    problem: Problem,
    w,
    *,
    rho: float = 0.1,
    max_iter: int = 1000,
    tol: float = 1e-8,
    feas_tol: float = 1e-12,
    beta: float = 0.5,
    max_backtracks: int = 25,
) -> TeleportResult:
    """Sub-level-set teleport from ``w`` (sequential linearization, one HVP per iteration).

    Iteration (Sec. 4): with :math:`g = \nabla f(x_t)`, :math:`q = \nabla^2 f(x_t) g`, take the
    ascent step :math:`\rho q` and project it onto the linearized constraint
    :math:`f(x_t) + \\langle g, d\rangle \\le f(w)`:

    .. math:: x_{t+1} = x_t + \rho q - \frac{(f(x_t) + \rho\\langle q, g\rangle - f(w))_+}
              {\\lVert g\rVert^2} g.

    ``rho`` is relative: the first step is ``rho`` :math:`\\lVert g\rVert^2/\\lVert q\rVert^2`.
    A step is kept when the exact-penalty merit
    :math:`\tfrac12\\lVert\nabla f\rVert^2 - \\mu (f - f(w))_+`, with :math:`\\mu` twice the
    largest multiplier estimate :math:`\\langle q, g\rangle/\\lVert g\rVert^2` seen, increases;
    otherwise :math:`\rho` is multiplied by ``beta`` (at most ``max_backtracks`` times); after a
    first-try success it is divided by ``beta``. Stops when :func:`kkt_residual` <= ``tol`` and
    the constraint holds to ``feas_tol`` (relative to :math:`\\max(1, |f(w)|)`); a final
    bisection along :math:`-\nabla f` restores feasibility of the linearized iterate. This is
    :func:`sublevel_ascent` with :math:`h = \tfrac12\\lVert\nabla f\rVert^2`; the result's
    ``grad_norm_sq`` holds :math:`\\lVert\nabla f\rVert^2` per accepted iteration.
    """
    res = sublevel_ascent(
        problem,
        w,
        lambda v: 0.5 * float(problem.grad(v) @ problem.grad(v)),
        lambda v: problem.hvp(v, problem.grad(v)),
        rho=rho,
        max_iter=max_iter,
        tol=tol,
        feas_tol=feas_tol,
        beta=beta,
        max_backtracks=max_backtracks,
    )
    return dataclasses.replace(res, grad_norm_sq=2.0 * res.grad_norm_sq)


def gd_teleport(
    problem: Problem,
    w0,
    *,
    steps: int,
    lr: float | None = None,
    schedule: Iterable[int] = (),
    f_star: float | None = None,
    w_star=None,
    armijo: float = 0.5,
    shrink: float = 0.8,
    **teleport_kwargs,
) -> dict:
    """Gradient descent with teleportation at the steps in ``schedule`` (Sec. 2, Alg. 1).

    For :math:`k \\in \\mathcal{T}` the iterate first teleports, :math:`w_k^+ =`
    :func:`teleport` :math:`(w_k)`, else :math:`w_k^+ = w_k`; then
    :math:`w_{k+1} = w_k^+ - \\eta_k \\nabla f(w_k^+)`. ``lr`` fixes :math:`\\eta_k`; ``lr=None``
    uses Armijo backtracking (:math:`f(w - \\eta g) \\le f(w) - c\\,\\eta\\lVert g\\rVert^2`,
    ``armijo`` = c, :math:`\\eta` shrunk by ``shrink``, restarted at twice the last accepted).

    Returns arrays over k = 0..steps: ``f``, ``grad_norm_sq`` (at :math:`w_k`), ``suboptimality``
    (:math:`f - f^\\star` when ``f_star`` is given), ``distance`` (to ``w_star``), and the
    teleports' ``kkt_residual`` list.
    """
    w = as_array("w0", w0, ndim=1).copy()
    steps = as_int("steps", steps, 0, 10**7)
    if lr is not None:
        lr = as_float("lr", lr, 0.0, low_open=True)
    armijo = as_float("armijo", armijo, 0.0, 1.0, low_open=True, high_open=True)
    shrink = as_float("shrink", shrink, 0.0, 1.0, low_open=True, high_open=True)
    when = {as_int("schedule", k, 0) for k in schedule}
    w_star = None if w_star is None else as_array("w_star", w_star, ndim=1)
    fs, gs, ds, kkts = [], [], [], []
    eta = 1.0

    def record(v):
        g = problem.grad(v)
        fs.append(problem.f(v))
        gs.append(float(g @ g))
        ds.append(math.nan if w_star is None else float(np.linalg.norm(v - w_star)))

    record(w)
    for k in range(steps):
        if k in when:
            tp = teleport(problem, w, **teleport_kwargs)
            w = tp.w
            kkts.append(tp.kkt_residual)
        g = problem.grad(w)
        if lr is not None:
            w = w - lr * g
        else:
            fw, gn2 = problem.f(w), float(g @ g)
            eta *= 2.0
            for _ in range(200):
                if problem.f(w - eta * g) <= fw - armijo * eta * gn2:
                    break
                eta *= shrink
            w = w - eta * g
        record(w)
    f = np.asarray(fs)
    sub = f - f_star if f_star is not None else np.full_like(f, math.nan)
    return {
        "f": f,
        "grad_norm_sq": np.asarray(gs),
        "suboptimality": sub,
        "distance": np.asarray(ds),
        "kkt_residual": kkts,
        "w": w,
    }


def newton_minimize(problem: Problem, w0, *, iters: int = 100, tol: float = 1e-13):
    """Minimizer of a strongly convex ``problem`` by damped Newton (dense Hessian from HVPs).

    Used as the reference :math:`w^\\star, f^\\star` of the rate experiments. Returns ``(w, f)``.
    """
    w = as_array("w0", w0, ndim=1).copy()
    eye = np.eye(problem.dim)
    for _ in range(as_int("iters", iters, 1)):
        g = problem.grad(w)
        if np.linalg.norm(g) <= tol:
            break
        H = np.column_stack([problem.hvp(w, e) for e in eye])
        d = np.linalg.solve(0.5 * (H + H.T), g)
        t, fw = 1.0, problem.f(w)
        while problem.f(w - t * d) > fw - 0.25 * t * float(g @ d) and t > 1e-12:
            t *= 0.5
        w = w - t * d
    return w, problem.f(w)


def quadratic_max_grad_norm_sq(A, f0: float) -> float:
    """:math:`\\max\\{\\lVert\\nabla f\\rVert^2 : f(w) \\le f_0\\} = 2 f_0 \\lambda_{\\max}(A)`.

    For :math:`f = \\tfrac12 w^\\top A w`, :math:`\\lVert \\nabla f\\rVert^2 = w^\\top A^2 w`;
    on :math:`w^\\top A w = 2 f_0` its maximum is attained on the top eigenvector (Rayleigh
    quotient of :math:`A` in the :math:`A`-inner product). Teleportation notes, Sec. 6.2.
    """
    A = as_array("A", A, ndim=2)
    f0 = as_float("f0", f0, 0.0)
    return 2.0 * f0 * float(np.linalg.eigvalsh(A)[-1])


def quadratic_sublevel_radius_sq(A, f0: float) -> float:
    """Squared radius of the sub-level set, the :math:`R` of the convex rate bound (Sec. 5):

    .. math:: R^2 = \\sup\\{\\lVert w\\rVert^2 : \\tfrac12 w^\\top A w \\le f_0\\}
       = 2 f_0/\\lambda_{\\min}(A) \\quad (A \\succ 0).
    """
    A = as_array("A", A, ndim=2)
    f0 = as_float("f0", f0, 0.0)
    lam = float(np.linalg.eigvalsh(A)[0])
    if lam <= 0:
        raise ValueError("A must be positive definite for a bounded sub-level set")
    return 2.0 * f0 / lam


def convex_rate_bound(*, R2: float, K: int, lr: float, L: float) -> float:
    """GD with any teleport schedule on a convex L-smooth f, :math:`\\eta < 2/L` (Sec. 5, Thm. 1):

    .. math:: f(w_K) - f^\\star \\le \\frac{2R^2}{K\\eta(2 - L\\eta)}.
    """
    R2 = as_float("R2", R2, 0.0)
    K = as_int("K", K, 1)
    L = as_float("L", L, 0.0, low_open=True)
    lr = as_float("lr", lr, 0.0, 2.0 / L, low_open=True, high_open=True)
    return 2.0 * R2 / (K * lr * (2.0 - L * lr))
