r"""Training dynamics of associative memories: closed forms and reduced (low-dimensional) dynamics.

Four papers, one section each (notes in ``shared/papers/``):

1. Cabannes, Simsek & Bietti 2024, *Learning Associative Memories with Gradient Descent*,
   arXiv 2402.18724 (notes ``gd-associative-memories.md``): cross-entropy GD on one linear
   memory ``W``, its exact reduction to interacting particles (scores), the orthonormal margin
   recursion and its logarithmic growth, the loss asymptote ``N (M-1) / (eta M t)``, the two
   correlated-token system with loss spikes, the closed-form Hessian, the underparameterized
   ``d = 2`` regime.
2. Nichani, Lee & Bietti 2024, *Understanding Factual Recall in Transformers via Associative
   Memories*, arXiv 2412.06538 (notes ``factual-recall.md``): plateaus ``ln(R D)`` and ``ln D`` of
   the one-hot linear-attention model and a 4-scalar reduction of its population gradient flow.
3. Chen, Bruna & Bietti 2024, *Distributional Associations vs In-Context Reasoning*,
   arXiv 2406.03068 (notes ``distributional-associations.md``): the Bayes floor ``h(alpha)`` of
   noisy in-context recall and the Eckart-Young rank truncation.
4. Kunstner et al. 2024, *Heavy-Tailed Class Imbalance and Why Adam Outperforms Gradient Descent
   on Language Models*, arXiv 2402.19449 (notes ``heavy-tailed-imbalance.md``): tiered-Zipf class
   counts, equal-mass grouping, per-class losses under GD and sign descent in the reduced
   (one-hot) model and on the quadratic illustration.

Conventions for a linear associative memory (section 1): ``E`` is ``(N, d_in)`` with row ``x`` the
input embedding :math:`e_x`; ``U`` is ``(M, d_out)`` with row ``y`` the unembedding :math:`u_y`;
``W`` is ``(d_out, d_in)``; scores :math:`S[x, y] = u_y^\top W e_x`; ``targets`` holds
:math:`f_*(x)\in[0, M)`; ``p`` the input probabilities. The loss is
:math:`\mathcal L(W) = \sum_x p(x)\,(-\log \mathrm{softmax}(S[x])_{f_*(x)})`. A token counts as
correct when its margin is strictly positive (ties, e.g. at ``W = 0``, count as errors).
Trajectories are dicts of arrays indexed by the step ``t = 0..steps`` (``t = 0`` is the init).
Everything is float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_array, as_choice, as_float, as_int
from memtheory.scaling import zipf

__all__ = [
    # 1. Cabannes, Simsek & Bietti 2024
    "memory_scores",
    "memory_loss",
    "memory_gradient",
    "memory_hessian",
    "memory_margins",
    "memory_gd",
    "particle_gd",
    "orthonormal_margin_recursion",
    "orthonormal_loss",
    "orthonormal_margin_flow",
    "orthonormal_loss_asymptote",
    "two_particle_embeddings",
    "two_particle_dynamics",
    "monotone_step_bound",
    "two_particle_step_threshold",
    "underparameterized_problem",
    "underparameterized_gap",
    "underparameterized_gap_rate",
    # 2. Nichani, Lee & Bietti 2024
    "factual_recall_plateaus",
    "sequential_learning_ode",
    "sequential_learning_gd",
    "sequential_learning_rates",
    "plateau_escape_times",
    # 3. Chen, Bruna & Bietti 2024
    "binary_entropy",
    "noisy_recall_bayes_floor",
    "low_rank_truncation",
    "truncation_error",
    # 4. Kunstner et al. 2024
    "TieredZipf",
    "tiered_zipf",
    "equal_mass_groups",
    "orthonormal_class_losses",
    "quadratic_trajectory",
]

# Largest number of GD steps any simulator accepts (keeps a typo from hanging a session).
MAX_STEPS = 10_000_000
# Tolerance on sum(p) == 1.
PROB_SUM_ATOL = 1e-8


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------
def _matrix(name: str, value, shape: tuple) -> np.ndarray:
    arr = as_array(name, value, ndim=2, shape=shape)
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one row and one column, got {arr.shape}")
    return arr


def _probabilities(name: str, value, n: int | None = None, *, normalized: bool = True):
    arr = as_array(name, value, ndim=1, shape=None if n is None else (n,))
    if arr.size < 1:
        raise ValueError(f"{name} must be non-empty")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative (found {arr.min()!r})")
    if normalized and abs(arr.sum() - 1.0) > PROB_SUM_ATOL:
        raise ValueError(f"{name} must sum to 1 (within {PROB_SUM_ATOL}), got {arr.sum()!r}")
    return arr


def _labels(name: str, value, n: int, m: int) -> np.ndarray:
    raw = np.asarray(value)
    if raw.dtype == bool or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise ValueError(f"{name} must be an integer array with values in [0, {m - 1}]")
    if np.issubdtype(raw.dtype, np.floating) and (
        not np.all(np.isfinite(raw)) or np.any(raw != np.floor(raw))
    ):
        raise ValueError(f"{name} must hold integers in [0, {m - 1}] (found non-integer values)")
    arr = raw.astype(np.int64)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if np.any(arr < 0) or np.any(arr >= m):
        raise ValueError(f"{name} must hold integers in [0, {m - 1}]")
    return arr


def _memory_args(W, E, U, targets, p, *, need_w: bool = True):
    E = _matrix("E", E, (None, None))
    U = _matrix("U", U, (None, None))
    n, d_in = E.shape
    m, d_out = U.shape
    if m < 2:
        raise ValueError(f"U must have at least 2 rows (outputs), got {m}")
    W = _matrix("W", W, (d_out, d_in)) if need_w else None
    t = _labels("targets", targets, n, m) if targets is not None else None
    pr = _probabilities("p", p, n) if p is not None else None
    return W, E, U, t, pr


def _w0(W0, d_out, d_in):
    if W0 is None:
        return np.zeros((d_out, d_in))
    return _matrix("W0", W0, (d_out, d_in)).copy()


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


# --------------------------------------------------------------------------------------------
# 1. Cabannes, Simsek & Bietti 2024 (arXiv 2402.18724)
# --------------------------------------------------------------------------------------------
def memory_scores(W, E, U) -> np.ndarray:
    r"""Scores :math:`S[x, y] = u_y^\top W e_x`, i.e. ``S = E W^T U^T`` of shape ``(N, M)``.

    Model of arXiv 2402.18724 section 2 (notes ``gd-associative-memories.md`` section 2).
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
    same matrix (arXiv 2402.18724 section 2; closed form of the authors' code, notes section 2).
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


def memory_gd(E, U, targets, p, eta, steps, W0=None, keep_weights=False) -> dict:
    r"""Full-batch gradient descent on ``W``: :math:`W_{t+1} = W_t - \eta\nabla\mathcal L(W_t)`.

    Returns ``loss`` (steps+1,), ``margins`` (steps+1, N), ``accuracy`` (steps+1,) (p-weighted,
    correct iff margin > 0) and ``W`` (the final matrix); with ``keep_weights=True`` also
    ``weights`` (steps+1, d_out, d_in), e.g. to track the sharpness
    :math:`\eta\lambda_{\max}(\nabla^2\mathcal L(W_t))/2` with :func:`memory_hessian`.
    ``W0`` defaults to 0 (arXiv 2402.18724 sections 2-4).
    """
    _, E, U, t, pr = _memory_args(None, E, U, targets, p, need_w=False)
    eta = as_float("eta", eta, 0.0, None, low_open=True)
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
        W = W - eta * (U.T @ (q * pr[:, None]).T @ E)
    out = {"loss": loss, "margins": marg, "accuracy": acc, "W": W}
    if weights is not None:
        out["weights"] = weights
    return out


def particle_gd(E, U, targets, p, eta, steps, W0=None) -> dict:
    r"""GD on the memory in the interacting-particle picture: the scores evolve in closed form.

    Each input ``x`` is a particle at :math:`S[x]\in\mathbb R^M`. Because the GD update of ``W``
    is a sum of outer products :math:`u_y e_x^\top`, the scores obey exactly

    .. math:: S_{t+1} = S_t - \eta\, G_E\,\mathrm{diag}(p)\,(Q_t - Y)\,G_U,\qquad
              G_E = EE^\top,\ G_U = UU^\top,\ Q_t = \mathrm{softmax}(S_t),\ Y = \text{one-hot}(f_*),

    so particles interact only through the embedding correlations :math:`G_E`, the output
    correlations :math:`G_U` and the frequencies ``p`` (arXiv 2402.18724, abstract and section
    2: "reduction to a system of particles"; the formula is derived here from the GD update).
    Cost per step :math:`O(NM(N+M))`, independent of ``d``. Same keys as :func:`memory_gd` with
    ``scores`` (final ``S``) instead of ``W``; equal to :func:`memory_gd` up to round-off.
    """
    _, E, U, t, pr = _memory_args(None, E, U, targets, p, need_w=False)
    eta = as_float("eta", eta, 0.0, None, low_open=True)
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
        S = S - eta * (GE @ (q * pr[:, None]) @ GU)
    return {"loss": loss, "margins": marg, "accuracy": acc, "scores": S}


def _orth_args(p, M, eta):
    p = _probabilities("p", p)
    M = as_int("M", M, 2)
    eta = as_float("eta", eta, 0.0, None, low_open=True)
    return p, M, eta


def orthonormal_margin_recursion(p, M, eta, steps) -> np.ndarray:
    r"""Exact GD margins of every input with orthonormal embeddings, ``(steps+1, N)``.

    Set-up: :math:`d\ge\max(N, M)`, orthonormal :math:`\{e_x\}` and :math:`\{u_y\}`,
    :math:`W_0 = 0`, full-batch GD with step :math:`\eta` (notes ``gd-associative-memories.md``
    section 3; derived from arXiv 2402.18724 section 2, not quoted from the paper). Each score
    moves by :math:`-\eta p(x)(q_y - 1\{y = f_*(x)\})`; all wrong classes keep equal scores, so
    :math:`q_{f} = e^m/(e^m + M - 1)`, :math:`q_{y\neq f} = 1/(e^m+M-1)` and

    .. math:: m_{t+1}(x) = m_t(x) + \frac{\eta\,p(x)\,M}{e^{m_t(x)} + M - 1},\qquad m_0 = 0,

    so :math:`m_1 = \eta p(x)`. The increment is positive: no oscillations. Evaluated as
    :math:`\eta p M e^{-m}/(1 + (M-1)e^{-m})` to avoid overflow.
    """
    p, M, eta = _orth_args(p, M, eta)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    out = np.empty((steps + 1, p.size))
    m = np.zeros(p.size)
    out[0] = m
    c = eta * p * M
    for k in range(1, steps + 1):
        em = np.exp(-m)
        m = m + c * em / (1.0 + (M - 1) * em)
        out[k] = m
    return out


def orthonormal_loss(p, M, eta, steps) -> np.ndarray:
    r"""Exact GD loss with orthonormal embeddings, ``(steps+1,)``:
    :math:`\mathcal L_t = \sum_x p(x)\log\big(1 + (M-1)e^{-m_t(x)}\big)` with ``m_t`` from
    :func:`orthonormal_margin_recursion` (notes ``gd-associative-memories.md`` section 3)."""
    p, M, eta = _orth_args(p, M, eta)
    m = orthonormal_margin_recursion(p, M, eta, steps)
    return (p * np.log1p((M - 1) * np.exp(-m))).sum(axis=1)


def orthonormal_margin_flow(p, M, eta, t) -> np.ndarray:
    r"""Continuous-time margins (gradient flow at time :math:`\eta t`), shape ``t.shape + (N,)``.

    :math:`\dot m = \eta p M/(e^m + M - 1)`, :math:`m(0)=0` integrates to

    .. math:: e^{m} + (M-1)\,m = \eta\,p(x)\,M\,t + 1,

    so :math:`m_t(x) = \log(\eta p(x) M t) + o(1)` (logarithmic growth; notes
    ``gd-associative-memories.md`` section 3, arXiv 2402.18724 claim 2). Solved by Newton's
    method from :math:`\log c`, which lies right of the root of this convex increasing equation.
    """
    p, M, eta = _orth_args(p, M, eta)
    t = as_array("t", t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    c = eta * M * np.multiply.outer(t, p) + 1.0
    a = float(M - 1)
    m = np.log(c)
    for _ in range(100):
        em = np.exp(m)
        step = (em + a * m - c) / (em + a)
        m = m - step
        if np.all(np.abs(step) <= 1e-15 * np.maximum(1.0, np.abs(m))):
            break
    return m


def orthonormal_loss_asymptote(N, M, eta, t):
    r"""Asymptotic GD loss with orthonormal embeddings: :math:`\mathcal L_t\sim N(M-1)/(\eta M t)`.

    From :math:`\mathcal L_t\approx\sum_x p(x)(M-1)e^{-m_t(x)}` and
    :math:`e^{m_t(x)}\sim\eta p(x) M t`; independent of ``p`` (notes
    ``gd-associative-memories.md`` section 3). The relative error of the discrete recursion is
    :math:`O(\log t / t)` (the :math:`(M-1)m` term). Returns a float for scalar ``t``.
    """
    N = as_int("N", N, 1)
    M = as_int("M", M, 2)
    eta = as_float("eta", eta, 0.0, None, low_open=True)
    tt = as_array("t", t)
    if np.any(tt <= 0):
        raise ValueError("t must be > 0")
    out = N * (M - 1) / (eta * M * tt)
    return float(out) if out.ndim == 0 else out


def two_particle_embeddings(alpha):
    r"""Embeddings of the two-particle spike experiment: ``E = [[1, 0], [alpha, sqrt(1-alpha^2)]]``,
    ``U = I_2`` (arXiv 2402.18724 spike figure; notes section 4.1). ``alpha`` is the cosine."""
    alpha = as_float("alpha", alpha, -1.0, 1.0)
    E = np.array([[1.0, 0.0], [alpha, math.sqrt(max(0.0, 1.0 - alpha * alpha))]])
    return E, np.eye(2)


def two_particle_dynamics(p1, alpha, eta, steps) -> dict:
    r"""Reduced 2-D dynamics of two correlated tokens with frequencies ``(p1, 1-p1)``.

    Set-up of arXiv 2402.18724 section 4.1 spike figure (notes section 4.1): ``N = M = d = 2``,
    ``U = I``, :math:`e_1 = (1,0)`, :math:`e_2 = (\alpha,\sqrt{1-\alpha^2})`, :math:`f(x) = x`,
    :math:`W_0 = 0`. With ``M = 2`` the gradient is
    :math:`\sum_x p(x)\sigma(-m_x)(u_{o(x)} - u_{f(x)})e_x^\top`, so the margins obey exactly

    .. math:: m_{t+1} = m_t + 2\eta\,K\,\mathrm{diag}(p)\,\sigma(-m_t),\qquad
              K = \begin{pmatrix}1 & -\alpha\\ -\alpha & 1\end{pmatrix},

    (``2 = |u_0 - u_1|^2``; :math:`K_{xx'} = y_x y_{x'} e_x^\top e_{x'}`). Learning one token
    pushes the other's margin down by ``alpha``: the interaction behind oscillations and benign
    loss spikes at large ``eta``. Returns ``margins`` (steps+1, 2), ``loss``
    :math:`\sum_x p(x)\log(1+e^{-m_x})` and ``accuracy`` (p-weighted, margin > 0), equal to
    :func:`memory_gd` on :func:`two_particle_embeddings` with ``targets = (0, 1)``.
    """
    p1 = as_float("p1", p1, 0.0, 1.0)
    alpha = as_float("alpha", alpha, -1.0, 1.0)
    eta = as_float("eta", eta, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    p = np.array([p1, 1.0 - p1])
    K = np.array([[1.0, -alpha], [-alpha, 1.0]])
    A = 2.0 * eta * K * p[None, :]
    m = np.zeros(2)
    marg = np.empty((steps + 1, 2))
    marg[0] = m
    for k in range(1, steps + 1):
        m = m + A @ _sigmoid(-m)
        marg[k] = m
    loss = (p * np.logaddexp(0.0, -marg)).sum(axis=1)
    acc = ((marg > 0) * p).sum(axis=1)
    return {"margins": marg, "loss": loss, "accuracy": acc}


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


def two_particle_step_threshold(p1, alpha) -> float:
    r"""Closed-form step-size threshold of the two-particle problem (monotone loss below it).

    .. math:: \eta_c = \frac{8}{1 + \sqrt{1 - 4p_1(1-p_1)(1-\alpha^2)}}
              = \frac{2}{\lambda_{\max}\big(\nabla^2\mathcal L(W=0)\big)}.

    :math:`C = \sum_x p(x)e_xe_x^\top` has trace 1 and determinant :math:`p_1p_2(1-\alpha^2)`;
    at ``W = 0`` the output covariance is :math:`\tfrac12 I - \tfrac14\mathbf 1\mathbf 1^\top`
    (top eigenvalue 1/2), so :math:`\lambda_{\max}(\nabla^2\mathcal L(0)) = \lambda_{\max}(C)/2`.
    For ``M = 2`` the Hessian is largest at ``W = 0`` (:math:`\sigma(1-\sigma)\le 1/4`), so for
    :math:`\eta\le\eta_c` the loss is non-increasing along the whole trajectory (descent lemma):
    no spike is possible. Above it, the closed form no longer excludes spikes; spikes also need
    correlation (``alpha != 0``) and imbalance (the orthonormal case is monotone for every
    ``eta``). This is the edge-of-stability threshold at initialization
    (:math:`\eta\lambda_{\max}/2 = 1`) of the authors' sharpness script (arXiv 2402.18724,
    section 4.1 set-up; the threshold itself is derived here, not quoted). ``p1=0.75,
    alpha=0.95`` gives about 4.08: the notes' ``eta = 1`` is below it, ``eta = 10`` above.
    """
    p1 = as_float("p1", p1, 0.0, 1.0)
    alpha = as_float("alpha", alpha, -1.0, 1.0)
    disc = 1.0 - 4.0 * p1 * (1.0 - p1) * (1.0 - alpha * alpha)
    return 8.0 / (1.0 + math.sqrt(max(0.0, disc)))


def underparameterized_problem(N, seed, zipf_exponent=1.0):
    r"""Random instance of the underparameterized ``d = 2`` set-up, returns ``(E, targets, p)``.

    Inputs uniform on the unit circle (angles ``rng.uniform(0, 2 pi, N)``), :math:`f(x) = x
    \bmod 2`, Zipf frequencies :math:`p(x)\propto(x+1)^{-a}` (arXiv 2402.18724 section 4.3
    set-up, notes section 4.3; the authors' seeds map through their own RNG, not this one).
    """
    N = as_int("N", N, 2)
    seed = as_int("seed", seed, 0)
    a = as_float("zipf_exponent", zipf_exponent, 0.0, 20.0)
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0.0, 2.0 * math.pi, N)
    E = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    return E, np.arange(N, dtype=np.int64) % 2, zipf(N, a)


def _zero_one(v: np.ndarray, E: np.ndarray, y: np.ndarray, p: np.ndarray) -> float:
    return float(p[(y * (E @ v)) <= 0].sum())


def underparameterized_gap(E, targets, p) -> dict:
    r"""Cross-entropy minimizer vs best 0-1 classifier of a ``d = 2``, ``M = 2`` memory.

    With ``M = 2`` (``U = I_2``, or any ``u_0 != u_1``) the loss depends on ``W`` only through
    :math:`v = W^\top(u_0 - u_1)`: it is a ``p``-weighted logistic regression **without
    intercept**, :math:`F(v) = \sum_x p(x)\log(1 + e^{-y_x v^\top e_x})`, :math:`y_x = +1` if
    :math:`f_*(x) = 0` else :math:`-1` (notes ``gd-associative-memories.md`` section 4.3, arXiv
    2402.18724 claim 4). Returns

    - ``ce_weights``: minimizer of ``F`` (scipy trust-region Newton, float64, gradient norm
      <= 1e-12), or, when the data are separable through the origin (infimum 0 not attained),
      the unit max-margin direction that GD converges to;
    - ``ce_error``: its p-weighted 0-1 error (a point with :math:`y_xv^\top e_x\le 0` counts as
      an error);
    - ``best_error``: the exact minimum of the 0-1 error over all rules
      :math:`\mathrm{sign}(v^\top e_x)`, by enumerating the arcs between the angles where some
      :math:`v\perp e_x` (d = 2 only);
    - ``gap = ce_error - best_error`` (>= 0) and ``separable``.
    """
    E = _matrix("E", E, (None, 2))
    n = E.shape[0]
    t = _labels("targets", targets, n, 2)
    pr = _probabilities("p", p, n)
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
    return {
        "ce_weights": v,
        "ce_error": ce_error,
        "best_error": best_error,
        "gap": ce_error - best_error,
        "separable": bool(separable),
    }


def underparameterized_gap_rate(N, draws, seed, zipf_exponent=1.0, tol=1e-9) -> dict:
    r"""How often the cross-entropy minimizer is strictly worse in 0-1 error than the best rule.

    Draws ``draws`` instances of :func:`underparameterized_problem` (instance seeds from
    ``numpy.random.default_rng(seed)``) and applies :func:`underparameterized_gap`. Returns
    ``rate`` (fraction with ``gap > tol``), ``mean_gap``, ``gaps`` (draws,) and ``seeds``
    (arXiv 2402.18724 claim 4; the frequency itself is not reported in the paper).
    """
    N = as_int("N", N, 2)
    draws = as_int("draws", draws, 1, 1_000_000)
    seed = as_int("seed", seed, 0)
    tol = as_float("tol", tol, 0.0, None)
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**62, size=draws)
    gaps = np.array(
        [
            underparameterized_gap(*underparameterized_problem(N, int(s), zipf_exponent))["gap"]
            for s in seeds
        ]
    )
    return {
        "rate": float(np.mean(gaps > tol)),
        "mean_gap": float(gaps.mean()),
        "gaps": gaps,
        "seeds": seeds,
    }


# --------------------------------------------------------------------------------------------
# 2. Nichani, Lee & Bietti 2024 (arXiv 2412.06538)
# --------------------------------------------------------------------------------------------
def factual_recall_plateaus(R, D) -> dict:
    r"""Loss levels of the sequential learning of the one-hot linear-attention model.

    ``R`` relations, each owning a block of ``D`` answer tokens (``R D`` answers in all); the
    output is a softmax over the ``R D`` answers. At init the prediction is uniform over all
    answers (loss :math:`\ln(RD)`); in the "hallucination" stage the relation is known but the
    subject is not, so the prediction is uniform within the correct block (loss :math:`\ln D`);
    then the loss goes to 0 (arXiv 2412.06538 Figure 5; notes ``factual-recall.md`` sections
    4.2 and 5). The relation-only and subject-only losses of the notes start at :math:`\ln R`
    and :math:`\ln D`: ``relation_init``, ``subject_init``.
    """
    R = as_int("R", R, 1)
    D = as_int("D", D, 1)
    return {
        "init": math.log(R * D),
        "hallucination": math.log(D),
        "final": 0.0,
        "relation_init": math.log(R),
        "subject_init": math.log(D),
    }


def _seq_args(S, R, D):
    S = as_int("S", S, 1)
    R = as_int("R", R, 2)
    D = as_int("D", D, 2)
    if S % D:
        raise ValueError(
            f"S must be a multiple of D (structured facts a*(s,r) = rD + floor(sD/S) need equal "
            f"subject groups), got S={S}, D={D}"
        )
    return S, R, D


def _ell(z, k):
    """-log(e^z / (e^z + k - 1)) = log1p((k-1) e^{-z})."""
    return np.log1p((k - 1) * np.exp(-z))


def sequential_learning_ode(S, R, D, t_max, init=1e-5, n_points=400) -> dict:
    r"""Population gradient flow of the one-hot linear-attention model, reduced to 4 scalars.

    Model (notes ``factual-recall.md`` section 4.2, arXiv 2412.06538 Figure 5): one-hot
    embeddings, output logits over the ``R D`` answers
    :math:`\sum_j (x_{EOS}^\top A x_j) V^\top x_j`, so only the EOS row ``a`` of ``A`` matters;
    structured facts :math:`a^*(s,r) = rD + \lfloor sD/S\rfloor`; ``(s, r)`` uniform; init
    :math:`A = V = \text{init}\cdot\mathbf 1`. By the symmetries of this set-up (permuting
    relations, subject groups, subjects within a group, noise tokens) the flow stays on
    :math:`a_s = \alpha`, :math:`a_r = \beta`, :math:`V_s` = :math:`v_\pm` on entries whose
    within-block index matches / does not match the subject's group, :math:`V_r` = :math:`w_\pm`
    inside / outside block ``r``; EOS and noise rows only shift all logits equally and stay
    fixed. The softmax then factorizes, the loss is
    :math:`\ell_D(x) + \ell_R(y)` with subject signal :math:`x = \alpha\delta`, relation signal
    :math:`y = \beta\gamma` (:math:`\delta = v_+ - v_-`, :math:`\gamma = w_+ - w_-`,
    :math:`\ell_K(z) = \log(1 + (K-1)e^{-z})`), and

    .. math::
        \dot\alpha = \frac{\delta(1-q_D)}{S},\quad
        \dot\delta = \frac{\alpha(1-q_D)D}{(D-1)SR},\quad
        \dot\beta = \frac{\gamma(1-q_R)}{R},\quad
        \dot\gamma = \frac{\beta(1-q_R)}{D(R-1)},

    with :math:`q_K = e^{z}/(e^{z}+K-1)` at the matching signal. :math:`\ell_R(y)` is the notes'
    relation-only loss (mass on the correct block) and :math:`\ell_D(x)` the subject-only loss
    (mass on the correct within-block index). This reduction is **derived here** from the
    stated set-up; the paper's Theorems 5 and 6 (numbering unconfirmed in the notes) are not
    quoted. GD with learning rate ``lr`` on the population loss is the Euler scheme of this
    flow at ``t = lr * step``; minibatch GD adds sampling noise.

    Returns ``t`` (n_points,), ``loss``, ``relation_loss``, ``subject_loss``, ``state``
    (n_points, 4: alpha, delta, beta, gamma), and ``t_relation`` / ``t_subject``: the first
    times the relation / subject loss fall below half their initial value (``nan`` if not
    within ``t_max``).
    """
    S, R, D = _seq_args(S, R, D)
    t_max = as_float("t_max", t_max, 0.0, None, low_open=True)
    init = as_float("init", init, 0.0, None, low_open=True)
    n_points = as_int("n_points", n_points, 2, 10**6)
    from scipy.integrate import solve_ivp

    def rhs(_t, z):
        return _seq_rhs(S, R, D, z)

    t_eval = np.linspace(0.0, t_max, n_points)
    sol = solve_ivp(
        rhs,
        (0.0, t_max),
        [init, 0.0, init, 0.0],
        t_eval=t_eval,
        method="DOP853",
        rtol=1e-10,
        atol=1e-14 * max(1.0, init),
    )
    if not sol.success:  # pragma: no cover - DOP853 on this smooth system does not fail
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    st = sol.y.T
    sub = _ell(st[:, 0] * st[:, 1], D)
    rel = _ell(st[:, 2] * st[:, 3], R)
    return {
        "t": sol.t,
        "loss": sub + rel,
        "relation_loss": rel,
        "subject_loss": sub,
        "state": st,
        "t_relation": _first_crossing(sol.t, rel, 0.5 * math.log(R)),
        "t_subject": _first_crossing(sol.t, sub, 0.5 * math.log(D)),
    }


def _seq_rhs(S: int, R: int, D: int, z) -> tuple:
    a, d, b, g = z
    x, y = a * d, b * g
    one_minus_qd = (D - 1) / (math.exp(x) + D - 1) if x < 700 else 0.0
    one_minus_qr = (R - 1) / (math.exp(y) + R - 1) if y < 700 else 0.0
    return (
        d * one_minus_qd / S,
        a * one_minus_qd * D / ((D - 1) * S * R),
        g * one_minus_qr / R,
        b * one_minus_qr / (D * (R - 1)),
    )


def sequential_learning_gd(S, R, D, lr, steps, init=1e-5) -> dict:
    r"""Full-batch (population) GD on the one-hot linear-attention model, in the 4 reduced scalars.

    The symmetric ansatz of :func:`sequential_learning_ode` is preserved by discrete GD as well
    (the gradient of the population loss is the right-hand side of that ODE), so population GD
    at learning rate ``lr`` is exactly the Euler map
    :math:`z_{k+1} = z_k + \mathrm{lr}\,F(z_k)` of the reduced flow: this equals GD on all
    parameters to round-off. Returns ``step`` (steps+1,), ``loss``, ``relation_loss``,
    ``subject_loss`` and ``state`` (steps+1, 4). Notes ``factual-recall.md`` section 5 (Figure 5:
    ``lr = 0.1``, 8192 steps, ``S=16, R=4, D=8``, init ``1e-5``; the paper's runs use batches of
    1024 sampled sequences, this is the population limit). Derived here, not quoted.
    """
    S, R, D = _seq_args(S, R, D)
    lr = as_float("lr", lr, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    init = as_float("init", init, 0.0, None, low_open=True)
    st = np.empty((steps + 1, 4))
    z = (init, 0.0, init, 0.0)
    st[0] = z
    for k in range(1, steps + 1):
        f = _seq_rhs(S, R, D, z)
        z = (z[0] + lr * f[0], z[1] + lr * f[1], z[2] + lr * f[2], z[3] + lr * f[3])
        st[k] = z
    sub = _ell(st[:, 0] * st[:, 1], D)
    rel = _ell(st[:, 2] * st[:, 3], R)
    return {
        "step": np.arange(steps + 1),
        "loss": sub + rel,
        "relation_loss": rel,
        "subject_loss": sub,
        "state": st,
    }


def _first_crossing(t: np.ndarray, f: np.ndarray, level: float) -> float:
    below = np.nonzero(f <= level)[0]
    if below.size == 0:
        return math.nan
    i = int(below[0])
    if i == 0:
        return float(t[0])
    # linear interpolation between the bracketing samples
    f0, f1 = f[i - 1], f[i]
    return float(t[i - 1] + (t[i] - t[i - 1]) * (f0 - level) / (f0 - f1))


def sequential_learning_rates(S, R, D) -> dict:
    r"""Linearized growth rates of the relation and subject signals at init.

    Linearizing :func:`sequential_learning_ode` at :math:`x = y = 0`
    (:math:`1 - q_K = (K-1)/K`) gives :math:`(\beta,\gamma)' = ` a 2x2 system with rate
    :math:`\lambda_R = \sqrt{(R-1)/(R^3D)}` and :math:`(\alpha,\delta)` with rate
    :math:`\lambda_S = \frac1S\sqrt{(D-1)/(DR)}`; the signals ``y, x`` grow like
    :math:`e^{2\lambda t}`. The relation is learned first when :math:`\lambda_R > \lambda_S`
    (for ``S=16, R=4, D=8``: 0.0765 vs 0.0292). Derived here (see
    :func:`sequential_learning_ode`).
    """
    S, R, D = _seq_args(S, R, D)
    return {
        "relation": math.sqrt((R - 1) / (R**3 * D)),
        "subject": math.sqrt((D - 1) / (D * R)) / S,
    }


def plateau_escape_times(S, R, D, init=1e-5, lr=None) -> dict:
    r"""Linearized times at which the relation / subject signals reach 1 (ends of the plateaus).

    In the linearization :math:`\alpha = \alpha_0\cosh\lambda t`,
    :math:`\delta = \alpha_0 r\sinh\lambda t` with :math:`r = \sqrt{c_2/c_1}`, so the signal is
    :math:`\alpha_0^2 r\sinh(2\lambda t)/2` and reaches 1 at
    :math:`t^* = \mathrm{asinh}(2/(\alpha_0^2 r))/(2\lambda)`; :math:`r_S = \sqrt{D/((D-1)R)}`,
    :math:`r_R = \sqrt{R/(D(R-1))}`. ``relation`` ends the :math:`\ln(RD)` plateau, ``subject``
    ends the :math:`\ln D` ("hallucination") plateau. With ``lr`` the times are in GD steps
    (``t / lr``). For ``S=16, R=4, D=8, init=1e-5, lr=0.1``: about 1,650 and 4,290 steps
    (the notes' stage boundaries: 1,800 and 5,000). Derived here, not quoted from the paper.
    """
    S, R, D = _seq_args(S, R, D)
    init = as_float("init", init, 0.0, None, low_open=True)
    scale = 1.0
    if lr is not None:
        scale = 1.0 / as_float("lr", lr, 0.0, None, low_open=True)
    rates = sequential_learning_rates(S, R, D)
    r_rel = math.sqrt(R / (D * (R - 1)))
    r_sub = math.sqrt(D / ((D - 1) * R))
    t_rel = math.asinh(2.0 / (init * init * r_rel)) / (2.0 * rates["relation"])
    t_sub = math.asinh(2.0 / (init * init * r_sub)) / (2.0 * rates["subject"])
    return {"relation": t_rel * scale, "subject": t_sub * scale}


# --------------------------------------------------------------------------------------------
# 3. Chen, Bruna & Bietti 2024 (arXiv 2406.03068)
# --------------------------------------------------------------------------------------------
def binary_entropy(alpha):
    r"""Binary entropy in nats, :math:`h(a) = -a\ln a - (1-a)\ln(1-a)`, with ``h(0) = h(1) = 0``.

    Range ``[0, ln 2]``, maximum at ``a = 1/2``. Scalar in, float out; arrays elementwise.
    """
    a = as_array("alpha", alpha)
    if np.any(a < 0) or np.any(a > 1):
        raise ValueError("alpha must be in [0, 1]")
    from scipy.special import xlogy

    out = -xlogy(a, a) - xlogy(1.0 - a, 1.0 - a)
    return float(out) if out.ndim == 0 else out


def noisy_recall_bayes_floor(alpha, vocab_size=None) -> float:
    r"""Bayes floor of the cross-entropy at trigger positions of noisy in-context recall.

    After a trigger the next token is the fixed noise token :math:`\tau` with probability
    :math:`\alpha`, otherwise the sequence's output :math:`\bar y`. A predictor that knows
    :math:`\bar y` (the best any predictor can do, since knowing more cannot hurt) puts mass
    :math:`\alpha` on :math:`\tau` and :math:`1-\alpha` on :math:`\bar y`, with loss the binary
    entropy :math:`h(\alpha)` (notes ``distributional-associations.md`` section 2, arXiv
    2406.03068 task). With ``vocab_size`` ``V`` given and :math:`\bar y` uniform over the
    vocabulary, :math:`\bar y = \tau` (probability ``1/V``) has loss 0, so the floor is
    :math:`(1 - 1/V)\,h(\alpha)`.
    """
    h = binary_entropy(as_float("alpha", alpha, 0.0, 1.0))
    if vocab_size is None:
        return h
    V = as_int("vocab_size", vocab_size, 2)
    return (1.0 - 1.0 / V) * h


def low_rank_truncation(W, rho) -> np.ndarray:
    r"""Best rank-:math:`\lfloor\rho\min(W.\mathrm{shape})\rfloor` approximation of ``W`` (SVD).

    :math:`\rho = 1` returns ``W`` (up to round-off), :math:`\rho = 0` returns 0 (the layer is
    removed). The LASER-style truncation of arXiv 2406.03068 (notes section 3, rank
    :math:`\lfloor\rho d\rfloor`); Eckart-Young: no rank-``r`` matrix is closer in Frobenius or
    spectral norm.
    """
    W = _matrix("W", W, (None, None))
    rho = as_float("rho", rho, 0.0, 1.0)
    k = min(W.shape)
    r = min(k, int(math.floor(rho * k + 1e-9)))
    if r == 0:
        return np.zeros_like(W)
    Uw, s, Vt = np.linalg.svd(W, full_matrices=False)
    return (Uw[:, :r] * s[:r]) @ Vt[:r]


def truncation_error(W, rank) -> float:
    r"""Eckart-Young error of the best rank-``rank`` approximation:
    :math:`\lVert W - W_r\rVert_F = \sqrt{\sum_{i>r}\sigma_i^2}` (notes
    ``distributional-associations.md`` section 7 item 3)."""
    W = _matrix("W", W, (None, None))
    rank = as_int("rank", rank, 0, min(W.shape))
    s = np.linalg.svd(W, compute_uv=False)
    return float(math.sqrt(float((s[rank:] ** 2).sum())))


# --------------------------------------------------------------------------------------------
# 4. Kunstner et al. 2024 (arXiv 2402.19449)
# --------------------------------------------------------------------------------------------
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
    model, authors' code; notes ``heavy-tailed-imbalance.md`` section 2). Classes are ordered
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
    mass of the classes before it (notes ``heavy-tailed-imbalance.md`` sections 2-3: grouping by
    equal mass, not equal class count). For :func:`tiered_zipf` with ``G = m``, group = tier.
    """
    f = _probabilities("frequencies", frequencies, normalized=False)
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


def orthonormal_class_losses(pi, eta, steps, method="gd") -> np.ndarray:
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
    pi = _probabilities("pi", pi)
    if pi.size < 2:
        raise ValueError(f"pi must have at least 2 classes, got {pi.size}")
    eta = as_float("eta", eta, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    method = as_choice("method", method, ("gd", "sign"))
    c = pi.size
    if method == "gd":
        m = orthonormal_margin_recursion(pi, c, eta, steps)
    else:
        m = np.broadcast_to((2.0 * eta * np.arange(steps + 1))[:, None], (steps + 1, c))
    return np.log1p((c - 1) * np.exp(-m))


def quadratic_trajectory(pi, eta, steps, method="gd", w0=1.0) -> np.ndarray:
    r"""Per-coordinate losses :math:`\pi_k w_k(t)^2` on the quadratic, shape ``(steps+1, c)``.

    Quadratic :math:`f(w) = \sum_k\pi_kw_k^2`. GD: :math:`w_k \leftarrow (1 - 2\eta\pi_k)w_k`;
    sign descent:
    :math:`w_k\leftarrow w_k - \eta\,\mathrm{sign}(w_k)` (every coordinate moves by
    :math:`\eta` whatever :math:`\pi_k`); :math:`w_0 = ` ``w0`` in every coordinate (quadratic
    illustration of the authors' repository, notes ``heavy-tailed-imbalance.md`` section 2).
    ``pi`` need only be non-negative weights.
    """
    pi = _probabilities("pi", pi, normalized=False)
    eta = as_float("eta", eta, 0.0, None, low_open=True)
    steps = as_int("steps", steps, 0, MAX_STEPS)
    method = as_choice("method", method, ("gd", "sign"))
    w0 = as_float("w0", w0)
    if method == "gd":
        w = (1.0 - 2.0 * eta * pi)[None, :] ** np.arange(steps + 1)[:, None] * w0
    else:
        w = np.empty((steps + 1, pi.size))
        cur = np.full(pi.size, w0)
        w[0] = cur
        for k in range(1, steps + 1):
            cur = cur - eta * np.sign(cur)
            w[k] = cur
    return pi[None, :] * w**2
