r"""Gradient descent on one linear associative memory (Cabannes, Simsek & Bietti 2024, *Learning
Associative Memories with Gradient Descent*, arXiv 2402.18724; ``docs/theory/dynamics.md``
section 1).

Conventions: ``E`` is ``(N, d_in)`` with row ``x`` the
input embedding :math:`e_x`; ``U`` is ``(M, d_out)`` with row ``y`` the unembedding :math:`u_y`;
``W`` is ``(d_out, d_in)``; scores :math:`S[x, y] = u_y^\top W e_x`; ``targets`` holds
:math:`f_*(x)\in[0, M)`; ``p`` the input probabilities. The loss is
:math:`\mathcal L(W) = \sum_x p(x)\,(-\log \mathrm{softmax}(S[x])_{f_*(x)})`. A token counts as
correct when its margin is strictly positive (ties, e.g. at ``W = 0``, count as errors).
Trajectories are frozen dataclasses of arrays indexed by the step ``t = 0..steps`` (``t = 0`` is
the init; :mod:`memtheory.dynamics.results`).
Everything is float64.
"""

from __future__ import annotations

import math

import numpy as np

from memtheory.checks import as_array, as_float, as_int
from memtheory.dynamics.arguments import MAX_STEPS, labels_arg, matrix_arg, probabilities_arg
from memtheory.dynamics.results import (
    GapRate,
    MemoryTrajectory,
    ParticleTrajectory,
    TwoParticleTrajectory,
    UnderparameterizedGap,
)
from memtheory.scaling import zipf


def _memory_args(W, E, U, targets, p, *, need_w: bool = True):
    E = matrix_arg("E", E, (None, None))
    U = matrix_arg("U", U, (None, None))
    n, d_in = E.shape
    m, d_out = U.shape
    if m < 2:
        raise ValueError(f"U must have at least 2 rows (outputs), got {m}")
    W = matrix_arg("W", W, (d_out, d_in)) if need_w else None
    t = labels_arg("targets", targets, n, m) if targets is not None else None
    pr = probabilities_arg("p", p, n) if p is not None else None
    return W, E, U, t, pr


def _w0(W0, d_out, d_in):
    if W0 is None:
        return np.zeros((d_out, d_in))
    return matrix_arg("W0", W0, (d_out, d_in)).copy()


def _log_softmax(S: np.ndarray) -> np.ndarray:
    mx = S.max(axis=1, keepdims=True)
    z = S - mx
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _margins_from_scores(S: np.ndarray, targets: np.ndarray) -> np.ndarray:
    idx = np.arange(S.shape[0])
    correct = S[idx, targets]
    other = S.copy()
    other[idx, targets] = -np.inf
    return correct - other.max(axis=1)


def _summary(S: np.ndarray, targets: np.ndarray, p: np.ndarray):
    """(loss, margins, accuracy, probabilities) at scores S."""
    logq = _log_softmax(S)
    idx = np.arange(S.shape[0])
    loss = float(-(p * logq[idx, targets]).sum())
    marg = _margins_from_scores(S, targets)
    acc = float(p[marg > 0].sum())
    return loss, marg, acc, np.exp(logq)


def memory_scores(W, E, U) -> np.ndarray:
    r"""Scores :math:`S[x, y] = u_y^\top W e_x`, i.e. ``S = E W^T U^T`` of shape ``(N, M)``.

    Model of arXiv 2402.18724 section 2 (``docs/theory/dynamics.md`` section 1.1).
    """
    W, E, U, _, _ = _memory_args(W, E, U, None, None)
    return E @ W.T @ U.T


def memory_loss(W, E, U, targets, p) -> float:
    r"""Cross-entropy :math:`\mathcal L(W) = \sum_x p(x)\,(-\log p_W(f_*(x)\mid x))`.

    :math:`p_W(y\mid x) = \mathrm{softmax}_y(u_y^\top W e_x)` (arXiv 2402.18724, section 2).
    """
    W, E, U, t, pr = _memory_args(W, E, U, targets, p)
    return _summary(E @ W.T @ U.T, t, pr)[0]


def memory_gradient(W, E, U, targets, p) -> np.ndarray:
    r"""Gradient :math:`\nabla_W\mathcal L = \sum_x p(x)\sum_y (p_W(y\mid x) - 1\{y=f_*(x)\})\,
    u_y e_x^\top`, shape ``(d_out, d_in)`` (arXiv 2402.18724, section 2)."""
    W, E, U, t, pr = _memory_args(W, E, U, targets, p)
    return _gradient(W, E, U, t, pr)


def _gradient(W, E, U, t, pr):
    q = np.exp(_log_softmax(E @ W.T @ U.T))
    q[np.arange(E.shape[0]), t] -= 1.0
    return U.T @ (q * pr[:, None]).T @ E


def memory_hessian(W, E, U, targets, p) -> np.ndarray:
    r"""Closed-form Hessian of the memory loss, ``(d_out*d_in, d_out*d_in)``.

    .. math::
        \nabla^2_W\mathcal L = \sum_x p(x)\,\Big(\sum_y q_{xy}u_yu_y^\top - \bar u_x\bar u_x^\top
        \Big)\otimes e_xe_x^\top,\qquad q_{xy} = p_W(y\mid x),\ \bar u_x = \sum_y q_{xy}u_y,

    indexed by ``W.ravel()`` (C order: entry ``(i, j)`` of ``W`` has index ``i*d_in + j``), so that
    ``H.reshape(d_out, d_in, d_out, d_in)`` has the layout of
    ``torch.autograd.functional.hessian`` on a ``(d_out, d_in)`` tensor. The notes write the
    Kronecker factors in the other order, which is the column-major (``vec``) convention of the
    same matrix (arXiv 2402.18724 section 2; closed form of the authors' code,
    ``docs/theory/dynamics.md`` section 1.1).
    Derivation: :math:`\partial s_y(x)/\partial\,\mathrm{vec}(W) = u_y\otimes e_x`, and the
    Hessian of :math:`-\log\mathrm{softmax}` in the scores is :math:`\mathrm{diag}(q) - qq^\top`.
    """
    W, E, U, t, pr = _memory_args(W, E, U, targets, p)
    q = np.exp(_log_softmax(E @ W.T @ U.T))  # (N, M)
    ubar = q @ U  # (N, d_out)
    cov = np.einsum("xy,yi,yj->xij", q, U, U) - np.einsum("xi,xj->xij", ubar, ubar)
    d_out, d_in = W.shape
    H = np.einsum("x,xik,xj,xl->ijkl", pr, cov, E, E, optimize=True)
    return H.reshape(d_out * d_in, d_out * d_in)


def memory_margins(W, E, U, targets) -> np.ndarray:
    r"""Margins :math:`m(x) = s_{f_*(x)}(x) - \max_{y\neq f_*(x)} s_y(x)`, shape ``(N,)``
    (arXiv 2402.18724, section 2)."""
    W, E, U, t, _ = _memory_args(W, E, U, targets, None)
    return _margins_from_scores(E @ W.T @ U.T, t)


def memory_gd(E, U, targets, p, *, lr, steps, W0=None, keep_weights=False) -> MemoryTrajectory:
    r"""Full-batch gradient descent on ``W``: :math:`W_{t+1} = W_t - \eta\nabla\mathcal L(W_t)`.

    Returns a :class:`~memtheory.dynamics.results.MemoryTrajectory`: ``loss`` (steps+1,),
    ``margins`` (steps+1, N), ``accuracy`` (steps+1,) (p-weighted, correct iff margin > 0) and
    ``W`` (the final matrix); with ``keep_weights=True`` also ``weights`` (steps+1, d_out, d_in),
    e.g. to track the sharpness
    :math:`\eta\lambda_{\max}(\nabla^2\mathcal L(W_t))/2` with :func:`memory_hessian`.
    ``W0`` defaults to 0 (arXiv 2402.18724 sections 2-4).
    """
    _, E, U, t, pr = _memory_args(None, E, U, targets, p, need_w=False)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    W = _w0(W0, U.shape[1], E.shape[1])
    n = E.shape[0]
    loss = np.empty(steps + 1)
    marg = np.empty((steps + 1, n))
    acc = np.empty(steps + 1)
    weights = np.empty((steps + 1, *W.shape)) if keep_weights else None
    for k in range(steps + 1):
        if weights is not None:
            weights[k] = W
        S = E @ W.T @ U.T
        loss[k], marg[k], acc[k], q = _summary(S, t, pr)
        if k == steps:
            break
        q[np.arange(n), t] -= 1.0
        W = W - lr * (U.T @ (q * pr[:, None]).T @ E)
    return MemoryTrajectory(loss=loss, margins=marg, accuracy=acc, W=W, weights=weights)


def particle_gd(E, U, targets, p, *, lr, steps, W0=None) -> ParticleTrajectory:
    r"""GD on the memory in the interacting-particle picture: the scores evolve in closed form.

    Each input ``x`` is a particle at :math:`S[x]\in\mathbb R^M`. Because the GD update of ``W``
    is a sum of outer products :math:`u_y e_x^\top`, the scores obey exactly

    .. math:: S_{t+1} = S_t - \eta\, G_E\,\mathrm{diag}(p)\,(Q_t - Y)\,G_U,\qquad
              G_E = EE^\top,\ G_U = UU^\top,\ Q_t = \mathrm{softmax}(S_t),\ Y = \text{one-hot}(f_*),

    so particles interact only through the embedding correlations :math:`G_E`, the output
    correlations :math:`G_U` and the frequencies ``p`` (arXiv 2402.18724, abstract and section
    2: "reduction to a system of particles"; the formula is derived here from the GD update).
    Cost per step :math:`O(NM(N+M))`, independent of ``d``. Returns a
    :class:`~memtheory.dynamics.results.ParticleTrajectory`: the fields of :func:`memory_gd`
    with ``scores`` (final ``S``) instead of ``W``; equal to :func:`memory_gd` up to round-off.
    """
    _, E, U, t, pr = _memory_args(None, E, U, targets, p, need_w=False)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    W = _w0(W0, U.shape[1], E.shape[1])
    S = E @ W.T @ U.T
    GE, GU = E @ E.T, U @ U.T
    n = E.shape[0]
    loss = np.empty(steps + 1)
    marg = np.empty((steps + 1, n))
    acc = np.empty(steps + 1)
    for k in range(steps + 1):
        loss[k], marg[k], acc[k], q = _summary(S, t, pr)
        if k == steps:
            break
        q[np.arange(n), t] -= 1.0
        S = S - lr * (GE @ (q * pr[:, None]) @ GU)
    return ParticleTrajectory(loss=loss, margins=marg, accuracy=acc, scores=S)


def _orth_args(p, answers, lr):
    p = probabilities_arg("p", p)
    M = as_int("answers", answers, 2)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    return p, M, lr


def orthonormal_margin_recursion(p, answers, *, lr, steps) -> np.ndarray:
    r"""Exact GD margins of every input with orthonormal embeddings, ``(steps+1, N)``.

    Set-up: :math:`d\ge\max(N, M)`, orthonormal :math:`\{e_x\}` and :math:`\{u_y\}`,
    :math:`W_0 = 0`, full-batch GD with step :math:`\eta` (``docs/theory/dynamics.md`` section 1.2;
    derived from arXiv 2402.18724 section 2, not quoted from the paper). Each score
    moves by :math:`-\eta p(x)(q_y - 1\{y = f_*(x)\})`; all wrong classes keep equal scores, so
    :math:`q_{f} = e^m/(e^m + M - 1)`, :math:`q_{y\neq f} = 1/(e^m+M-1)` and

    .. math:: m_{t+1}(x) = m_t(x) + \frac{\eta\,p(x)\,M}{e^{m_t(x)} + M - 1},\qquad m_0 = 0,

    so :math:`m_1 = \eta p(x)`. The increment is positive: no oscillations. Evaluated as
    :math:`\eta p M e^{-m}/(1 + (M-1)e^{-m})` to avoid overflow.
    """
    p, M, lr = _orth_args(p, answers, lr)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    out = np.empty((steps + 1, p.size))
    m = np.zeros(p.size)
    out[0] = m
    c = lr * p * M
    for k in range(1, steps + 1):
        em = np.exp(-m)
        m = m + c * em / (1.0 + (M - 1) * em)
        out[k] = m
    return out


def orthonormal_loss(p, answers, *, lr, steps) -> np.ndarray:
    r"""Exact GD loss with orthonormal embeddings, ``(steps+1,)``:
    :math:`\mathcal L_t = \sum_x p(x)\log\big(1 + (M-1)e^{-m_t(x)}\big)` with ``m_t`` from
    :func:`orthonormal_margin_recursion` (``docs/theory/dynamics.md`` section 1.2)."""
    p, M, lr = _orth_args(p, answers, lr)
    m = orthonormal_margin_recursion(p, M, lr=lr, steps=steps)
    return (p * np.log1p((M - 1) * np.exp(-m))).sum(axis=1)


def orthonormal_margin_flow(p, answers, *, lr, t) -> np.ndarray:
    r"""Continuous-time margins (gradient flow at time :math:`\eta t`), shape ``t.shape + (N,)``.

    :math:`\dot m = \eta p M/(e^m + M - 1)`, :math:`m(0)=0` integrates to

    .. math:: e^{m} + (M-1)\,m = \eta\,p(x)\,M\,t + 1,

    so :math:`m_t(x) = \log(\eta p(x) M t) + o(1)` (logarithmic growth; ``docs/theory/dynamics.md``
    section 1.2, arXiv 2402.18724 claim 2). Solved by Newton's
    method from :math:`\log c`, which lies right of the root of this convex increasing equation.
    """
    p, M, lr = _orth_args(p, answers, lr)
    t = as_array("t", t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    c = lr * M * np.multiply.outer(t, p) + 1.0
    a = float(M - 1)
    m = np.log(c)
    for _ in range(100):
        em = np.exp(m)
        step = (em + a * m - c) / (em + a)
        m = m - step
        if np.all(np.abs(step) <= 1e-15 * np.maximum(1.0, np.abs(m))):
            break
    return m


def orthonormal_loss_asymptote(facts, answers, *, lr, t):
    r"""Asymptotic GD loss with orthonormal embeddings: :math:`\mathcal L_t\sim N(M-1)/(\eta M t)`.

    From :math:`\mathcal L_t\approx\sum_x p(x)(M-1)e^{-m_t(x)}` and
    :math:`e^{m_t(x)}\sim\eta p(x) M t`; independent of ``p`` (``docs/theory/dynamics.md`` section
    1.2). The relative error of the discrete recursion is
    :math:`O(\log t / t)` (the :math:`(M-1)m` term). Returns a float for scalar ``t``.
    """
    N = as_int("facts", facts, 1)
    M = as_int("answers", answers, 2)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    tt = as_array("t", t)
    if np.any(tt <= 0):
        raise ValueError("t must be > 0")
    out = N * (M - 1) / (lr * M * tt)
    return float(out) if out.ndim == 0 else out


def two_particle_embeddings(cosine):
    r"""Embeddings of the two-particle spike experiment: ``E = [[1, 0], [c, sqrt(1-c^2)]]`` with
    ``c = cosine`` (the cosine of the two inputs, :math:`\alpha` in the paper), ``U = I_2``
    (arXiv 2402.18724 spike figure; ``docs/theory/dynamics.md`` section 1.3)."""
    cosine = as_float("cosine", cosine, -1.0, 1.0)
    E = np.array([[1.0, 0.0], [cosine, math.sqrt(max(0.0, 1.0 - cosine * cosine))]])
    return E, np.eye(2)


def two_particle_dynamics(p1, cosine, *, lr, steps) -> TwoParticleTrajectory:
    r"""Reduced 2-D dynamics of two correlated tokens with frequencies ``(p1, 1-p1)``.

    Set-up of arXiv 2402.18724 section 4.1 spike figure (``docs/theory/dynamics.md`` section 1.3):
    ``N = M = d = 2``,
    ``U = I``, :math:`e_1 = (1,0)`, :math:`e_2 = (\alpha,\sqrt{1-\alpha^2})`, :math:`f(x) = x`,
    :math:`W_0 = 0`. With ``M = 2`` the gradient is
    :math:`\sum_x p(x)\sigma(-m_x)(u_{o(x)} - u_{f(x)})e_x^\top`, so the margins obey exactly

    .. math:: m_{t+1} = m_t + 2\eta\,K\,\mathrm{diag}(p)\,\sigma(-m_t),\qquad
              K = \begin{pmatrix}1 & -\alpha\\ -\alpha & 1\end{pmatrix},

    (``2 = |u_0 - u_1|^2``; :math:`K_{xx'} = y_x y_{x'} e_x^\top e_{x'}`). Learning one token
    pushes the other's margin down by ``cosine``: the interaction behind oscillations and benign
    loss spikes at large ``lr``. Returns a
    :class:`~memtheory.dynamics.results.TwoParticleTrajectory`: ``margins`` (steps+1, 2),
    ``loss`` :math:`\sum_x p(x)\log(1+e^{-m_x})` and ``accuracy`` (p-weighted, margin > 0), equal to
    :func:`memory_gd` on :func:`two_particle_embeddings` with ``targets = (0, 1)``.
    """
    p1 = as_float("p1", p1, 0.0, 1.0)
    cosine = as_float("cosine", cosine, -1.0, 1.0)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    p = np.array([p1, 1.0 - p1])
    K = np.array([[1.0, -cosine], [-cosine, 1.0]])
    A = 2.0 * lr * K * p[None, :]
    m = np.zeros(2)
    marg = np.empty((steps + 1, 2))
    marg[0] = m
    for k in range(1, steps + 1):
        m = m + A @ _sigmoid(-m)
        marg[k] = m
    loss = (p * np.logaddexp(0.0, -marg)).sum(axis=1)
    acc = ((marg > 0) * p).sum(axis=1)
    return TwoParticleTrajectory(margins=marg, loss=loss, accuracy=acc)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def monotone_step_bound(E, U, p) -> float:
    r"""Step size below which GD's loss provably never increases, for any ``W_0``:

    .. math:: \eta_{\rm mono} = \frac{8}{\lambda_{\max}(E^\top\mathrm{diag}(p)E)\,
              \max_{y,y'}\lVert u_y - u_{y'}\rVert^2}.

    Derivation: :math:`\mathrm{vec}(\Delta)^\top\nabla^2\mathcal L\,\mathrm{vec}(\Delta) =
    \sum_x p(x)\mathrm{Var}_{q_x}(u_y^\top\Delta e_x)\le\frac14\max_{y,y'}
    \lVert u_y-u_{y'}\rVert^2\,\lambda_{\max}(E^\top\mathrm{diag}(p)E)\lVert\Delta\rVert_F^2`
    (Popoviciu's variance bound), and the descent lemma gives monotone loss for
    :math:`\eta\le 2/L`. A sufficient condition, derived here from the Hessian of arXiv
    2402.18724 section 2 (the sharpness :math:`\eta\lambda_{\max}/2` its scripts track); for
    ``M = 2`` it is tight at ``W = 0`` (see :func:`two_particle_step_threshold`).
    """
    _, E, U, _, pr = _memory_args(None, E, U, None, p, need_w=False)
    lam = float(np.linalg.eigvalsh(E.T @ (pr[:, None] * E))[-1])
    diff = U[:, None, :] - U[None, :, :]
    spread = float((diff**2).sum(axis=2).max())
    if lam <= 0 or spread <= 0:
        return math.inf
    return 8.0 / (lam * spread)


def two_particle_step_threshold(p1, cosine) -> float:
    r"""Closed-form step-size threshold of the two-particle problem (monotone loss below it).

    .. math:: \eta_c = \frac{8}{1 + \sqrt{1 - 4p_1(1-p_1)(1-\alpha^2)}}
              = \frac{2}{\lambda_{\max}\big(\nabla^2\mathcal L(W=0)\big)}.

    :math:`C = \sum_x p(x)e_xe_x^\top` has trace 1 and determinant :math:`p_1p_2(1-\alpha^2)`;
    at ``W = 0`` the output covariance is :math:`\tfrac12 I - \tfrac14\mathbf 1\mathbf 1^\top`
    (top eigenvalue 1/2), so :math:`\lambda_{\max}(\nabla^2\mathcal L(0)) = \lambda_{\max}(C)/2`.
    For ``M = 2`` the Hessian is largest at ``W = 0`` (:math:`\sigma(1-\sigma)\le 1/4`), so for
    :math:`\eta\le\eta_c` the loss is non-increasing along the whole trajectory (descent lemma):
    no spike is possible. Above it, the closed form no longer excludes spikes; spikes also need
    correlation (``cosine != 0``) and imbalance (the orthonormal case is monotone for every
    ``lr``). This is the edge-of-stability threshold at initialization
    (:math:`\eta\lambda_{\max}/2 = 1`) of the authors' sharpness script (arXiv 2402.18724,
    section 4.1 set-up; the threshold itself is derived here, not quoted). ``p1=0.75,
    cosine=0.95`` gives about 4.08: the notes' ``lr = 1`` is below it, ``lr = 10`` above.
    """
    p1 = as_float("p1", p1, 0.0, 1.0)
    cosine = as_float("cosine", cosine, -1.0, 1.0)
    disc = 1.0 - 4.0 * p1 * (1.0 - p1) * (1.0 - cosine * cosine)
    return 8.0 / (1.0 + math.sqrt(max(0.0, disc)))


def underparameterized_problem(facts, seed, alpha=1.0):
    r"""Random instance of the underparameterized ``d = 2`` set-up, returns ``(E, targets, p)``.

    Inputs uniform on the unit circle (angles ``rng.uniform(0, 2 pi, N)``), :math:`f(x) = x
    \bmod 2`, Zipf frequencies :math:`p(x)\propto(x+1)^{-a}` (arXiv 2402.18724 section 4.3
    set-up, ``docs/theory/dynamics.md`` section 1.4; the authors' seeds map through their own RNG,
    not this one).
    """
    N = as_int("facts", facts, 2)
    seed = as_int("seed", seed, 0)
    a = as_float("alpha", alpha, 0.0, 20.0)
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0.0, 2.0 * math.pi, N)
    E = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    return E, np.arange(N, dtype=np.int64) % 2, zipf(N, a)


def _zero_one(v: np.ndarray, E: np.ndarray, y: np.ndarray, p: np.ndarray) -> float:
    return float(p[(y * (E @ v)) <= 0].sum())


def underparameterized_gap(E, targets, p) -> UnderparameterizedGap:
    r"""Cross-entropy minimizer vs best 0-1 classifier of a ``d = 2``, ``M = 2`` memory.

    With ``M = 2`` (``U = I_2``, or any ``u_0 != u_1``) the loss depends on ``W`` only through
    :math:`v = W^\top(u_0 - u_1)`: it is a ``p``-weighted logistic regression **without
    intercept**, :math:`F(v) = \sum_x p(x)\log(1 + e^{-y_x v^\top e_x})`, :math:`y_x = +1` if
    :math:`f_*(x) = 0` else :math:`-1` (``docs/theory/dynamics.md`` section 1.4, arXiv
    2402.18724 claim 4). Returns an :class:`~memtheory.dynamics.results.UnderparameterizedGap`;
    ``ce_weights`` minimizes ``F`` by scipy trust-region Newton (float64, gradient norm <= 1e-12)
    or, when the data are separable through the origin (infimum 0 not attained), is the unit
    max-margin direction; ``best_error`` enumerates the arcs between the angles where some
    :math:`v\perp e_x` (d = 2 only).
    """
    E = matrix_arg("E", E, (None, 2))
    n = E.shape[0]
    t = labels_arg("targets", targets, n, 2)
    pr = probabilities_arg("p", p, n)
    y = np.where(t == 0, 1.0, -1.0)
    # exact best 0-1 error: the rule changes only where v is orthogonal to some e_x
    phi = np.arctan2(E[:, 1], E[:, 0])
    crit = np.sort(np.mod(np.concatenate([phi + math.pi / 2, phi - math.pi / 2]), 2 * math.pi))
    nxt = np.roll(crit, -1)
    nxt[-1] += 2 * math.pi
    mids = np.concatenate([(crit + nxt) / 2, crit])
    V = np.stack([np.cos(mids), np.sin(mids)], axis=1)
    errs = ((y[:, None] * (E @ V.T)) <= 0).astype(np.float64).T @ pr
    best_i = int(np.argmin(errs))
    best_error = float(errs[best_i])
    keep = pr > 0
    separable = best_error == 0.0
    from scipy.optimize import minimize

    Ek, yk, pk = E[keep], y[keep], pr[keep]
    if separable:
        # hard-margin direction: max_v min_x y_x v.e_x over unit v, via min |v|^2 s.t. margins >= 1
        v0 = V[best_i] / max(1e-300, float(np.min(yk * (Ek @ V[best_i]))))
        res = minimize(
            lambda v: 0.5 * float(v @ v),
            v0,
            jac=lambda v: v,
            constraints=[
                {
                    "type": "ineq",
                    "fun": lambda v: yk * (Ek @ v) - 1.0,
                    "jac": lambda v: yk[:, None] * Ek,
                }
            ],
            method="SLSQP",
            options={"ftol": 1e-15, "maxiter": 500},
        )
        v = res.x / np.linalg.norm(res.x)
    else:
        Z = yk[:, None] * Ek

        def fun(v):
            return float((pk * np.logaddexp(0.0, -(Z @ v))).sum())

        def jac(v):
            return -(pk * _sigmoid(-(Z @ v))) @ Z

        def hess(v):
            s = _sigmoid(Z @ v)
            return (Z * (pk * s * (1 - s))[:, None]).T @ Z

        res = minimize(
            fun, np.zeros(2), jac=jac, hess=hess, method="trust-exact", options={"gtol": 1e-12}
        )
        v = res.x
    ce_error = _zero_one(v, E, y, pr)
    return UnderparameterizedGap(
        ce_weights=v,
        ce_error=ce_error,
        best_error=best_error,
        gap=ce_error - best_error,
        separable=bool(separable),
    )


def underparameterized_gap_rate(facts, draws, seed, *, alpha=1.0, tol=1e-9) -> GapRate:
    r"""How often the cross-entropy minimizer is strictly worse in 0-1 error than the best rule.

    Draws ``draws`` instances of :func:`underparameterized_problem` (instance seeds from
    ``numpy.random.default_rng(seed)``) and applies :func:`underparameterized_gap`. Returns a
    :class:`~memtheory.dynamics.results.GapRate`: ``rate`` (fraction with ``gap > tol``),
    ``mean_gap``, ``gaps`` (draws,) and ``seeds``
    (arXiv 2402.18724 claim 4; the frequency itself is not reported in the paper).
    """
    N = as_int("facts", facts, 2)
    draws = as_int("draws", draws, 1, 1_000_000)
    seed = as_int("seed", seed, 0)
    tol = as_float("tol", tol, 0.0, None)
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**62, size=draws)
    gaps = np.array(
        [underparameterized_gap(*underparameterized_problem(N, int(s), alpha)).gap for s in seeds]
    )
    return GapRate(
        rate=float(np.mean(gaps > tol)), mean_gap=float(gaps.mean()), gaps=gaps, seeds=seeds
    )
