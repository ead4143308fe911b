r"""Factual recall: plateaus and the reduced population dynamics of the one-hot linear-attention
model (Nichani, Lee & Bietti 2024, *Understanding Factual Recall in Transformers via Associative
Memories*, arXiv 2412.06538; ``docs/theory/dynamics.md`` section 2)."""

from __future__ import annotations

import math

import numpy as np

from memtheory.checks import as_float, as_int
from memtheory.dynamics.arguments import MAX_STEPS
from memtheory.dynamics.results import PlateauLevels, RelationSubject, SequentialFlow, SequentialGD


def factual_recall_plateaus(R, D) -> PlateauLevels:
    r"""Loss levels of the sequential learning of the one-hot linear-attention model.

    ``R`` relations, each owning a block of ``D`` answer tokens (``R D`` answers in all); the
    output is a softmax over the ``R D`` answers. At init the prediction is uniform over all
    answers (loss :math:`\ln(RD)`); in the "hallucination" stage the relation is known but the
    subject is not, so the prediction is uniform within the correct block (loss :math:`\ln D`);
    then the loss goes to 0 (arXiv 2412.06538 Figure 5; ``docs/theory/dynamics.md`` section 2). The
    relation-only and subject-only losses of the notes start at :math:`\ln R`
    and :math:`\ln D`: ``relation_init``, ``subject_init``. Returns
    :class:`~memtheory.dynamics.results.PlateauLevels`.
    """
    R = as_int("R", R, 1)
    D = as_int("D", D, 1)
    return PlateauLevels(
        init=math.log(R * D),
        hallucination=math.log(D),
        final=0.0,
        relation_init=math.log(R),
        subject_init=math.log(D),
    )


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


def sequential_learning_ode(S, R, D, *, t_max, init=1e-5, n_points=400) -> SequentialFlow:
    r"""Population gradient flow of the one-hot linear-attention model, reduced to 4 scalars.

    Model (``docs/theory/dynamics.md`` section 2, arXiv 2412.06538 Figure 5): one-hot
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

    Returns a :class:`~memtheory.dynamics.results.SequentialFlow`: ``t`` (n_points,),
    ``loss``, ``relation_loss``, ``subject_loss``, ``state``
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
    return SequentialFlow(
        t=sol.t,
        loss=sub + rel,
        relation_loss=rel,
        subject_loss=sub,
        state=st,
        t_relation=_first_crossing(sol.t, rel, 0.5 * math.log(R)),
        t_subject=_first_crossing(sol.t, sub, 0.5 * math.log(D)),
    )


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


def sequential_learning_gd(S, R, D, *, lr, steps, init=1e-5) -> SequentialGD:
    r"""Full-batch (population) GD on the one-hot linear-attention model, in the 4 reduced scalars.

    The symmetric ansatz of :func:`sequential_learning_ode` is preserved by discrete GD as well
    (the gradient of the population loss is the right-hand side of that ODE), so population GD
    at learning rate ``lr`` is exactly the Euler map
    :math:`z_{k+1} = z_k + \mathrm{lr}\,F(z_k)` of the reduced flow: this equals GD on all
    parameters to round-off. Returns a :class:`~memtheory.dynamics.results.SequentialGD`:
    ``step`` (steps+1,), ``loss``, ``relation_loss``,
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
    return SequentialGD(
        step=np.arange(steps + 1), loss=sub + rel, relation_loss=rel, subject_loss=sub, state=st
    )


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


def sequential_learning_rates(S, R, D) -> RelationSubject:
    r"""Linearized growth rates of the relation and subject signals at init.

    Linearizing :func:`sequential_learning_ode` at :math:`x = y = 0`
    (:math:`1 - q_K = (K-1)/K`) gives :math:`(\beta,\gamma)' = ` a 2x2 system with rate
    :math:`\lambda_R = \sqrt{(R-1)/(R^3D)}` and :math:`(\alpha,\delta)` with rate
    :math:`\lambda_S = \frac1S\sqrt{(D-1)/(DR)}`; the signals ``y, x`` grow like
    :math:`e^{2\lambda t}`. The relation is learned first when :math:`\lambda_R > \lambda_S`
    (for ``S=16, R=4, D=8``: 0.0765 vs 0.0292). Returns a
    :class:`~memtheory.dynamics.results.RelationSubject` of the two rates. Derived here (see
    :func:`sequential_learning_ode`).
    """
    S, R, D = _seq_args(S, R, D)
    return RelationSubject(
        relation=math.sqrt((R - 1) / (R**3 * D)), subject=math.sqrt((D - 1) / (D * R)) / S
    )


def plateau_escape_times(S, R, D, *, init=1e-5, lr=None) -> RelationSubject:
    r"""Linearized times at which the relation / subject signals reach 1 (ends of the plateaus).

    In the linearization :math:`\alpha = \alpha_0\cosh\lambda t`,
    :math:`\delta = \alpha_0 r\sinh\lambda t` with :math:`r = \sqrt{c_2/c_1}`, so the signal is
    :math:`\alpha_0^2 r\sinh(2\lambda t)/2` and reaches 1 at
    :math:`t^* = \mathrm{asinh}(2/(\alpha_0^2 r))/(2\lambda)`; :math:`r_S = \sqrt{D/((D-1)R)}`,
    :math:`r_R = \sqrt{R/(D(R-1))}`. ``relation`` ends the :math:`\ln(RD)` plateau, ``subject``
    ends the :math:`\ln D` ("hallucination") plateau. With ``lr`` the times are in GD steps
    (``t / lr``). For ``S=16, R=4, D=8, init=1e-5, lr=0.1``: about 1,650 and 4,290 steps
    (the notes' stage boundaries: 1,800 and 5,000). Returns a
    :class:`~memtheory.dynamics.results.RelationSubject` of the two times. Derived here, not
    quoted from the paper.
    """
    S, R, D = _seq_args(S, R, D)
    init = as_float("init", init, 0.0, None, low_open=True)
    scale = 1.0
    if lr is not None:
        scale = 1.0 / as_float("lr", lr, 0.0, None, low_open=True)
    rates = sequential_learning_rates(S, R, D)
    r_rel = math.sqrt(R / (D * (R - 1)))
    r_sub = math.sqrt(D / ((D - 1) * R))
    t_rel = math.asinh(2.0 / (init * init * r_rel)) / (2.0 * rates.relation)
    t_sub = math.asinh(2.0 / (init * init * r_sub)) / (2.0 * rates.subject)
    return RelationSubject(relation=t_rel * scale, subject=t_sub * scale)
