r"""What the dynamics simulators return: frozen dataclasses with documented fields.

One class per kind of result, grouped by paper like the modules that build them. Trajectories
are float64 arrays indexed by the step ``t = 0..steps`` (``t = 0`` is the initialization).
Where a result is written to JSON or read by an experiment, ``dataclasses.asdict`` gives the
field names as keys (the names the result files and ``docs/cli.md`` use). Classes holding arrays
compare by identity (``eq=False``): compare their fields with ``numpy.testing``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# ---------------------------------------------------------------- 1. Cabannes, Simsek & Bietti


@dataclass(frozen=True, eq=False)
class MemoryTrajectory:
    """Full-batch GD on a linear memory ``W`` (:func:`~memtheory.dynamics.memory_gd`).

    ``loss`` (steps+1,): cross-entropy :math:`\\mathcal L(W_t)`; ``margins`` (steps+1, N):
    :math:`m_t(x)`; ``accuracy`` (steps+1,): p-weighted fraction of inputs with margin > 0;
    ``W`` (d_out, d_in): the final matrix; ``weights`` (steps+1, d_out, d_in): every iterate, or
    ``None`` unless ``keep_weights=True``.
    """

    loss: np.ndarray
    margins: np.ndarray
    accuracy: np.ndarray
    W: np.ndarray
    weights: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class ParticleTrajectory:
    """GD on the memory in the interacting-particle picture
    (:func:`~memtheory.dynamics.particle_gd`).

    ``loss``, ``margins``, ``accuracy`` as in :class:`MemoryTrajectory`; ``scores`` (N, M): the
    final scores :math:`S = E W^\\top U^\\top`.
    """

    loss: np.ndarray
    margins: np.ndarray
    accuracy: np.ndarray
    scores: np.ndarray


@dataclass(frozen=True, eq=False)
class TwoParticleTrajectory:
    """The reduced 2-D margin map of two correlated tokens
    (:func:`~memtheory.dynamics.two_particle_dynamics`).

    ``margins`` (steps+1, 2); ``loss`` (steps+1,): :math:`\\sum_x p(x)\\log(1+e^{-m_x})`;
    ``accuracy`` (steps+1,): p-weighted fraction with margin > 0.
    """

    margins: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray


@dataclass(frozen=True, eq=False)
class UnderparameterizedGap:
    """Cross-entropy minimizer vs best 0-1 rule of a ``d = 2``, ``M = 2`` memory
    (:func:`~memtheory.dynamics.underparameterized_gap`).

    - ``ce_weights`` (2,): the minimizer ``v`` of the p-weighted logistic loss without
      intercept, or, when the data are separable through the origin, the unit max-margin
      direction GD converges to;
    - ``ce_error``: its p-weighted 0-1 error (:math:`y_xv^\\top e_x\\le 0` counts as an error);
    - ``best_error``: the exact minimum of the 0-1 error over all rules
      :math:`\\mathrm{sign}(v^\\top e_x)`;
    - ``gap``: ``ce_error - best_error`` (>= 0);
    - ``separable``: whether some rule makes no error.
    """

    ce_weights: np.ndarray
    ce_error: float
    best_error: float
    gap: float
    separable: bool


@dataclass(frozen=True, eq=False)
class GapRate:
    """How often the cross-entropy minimizer is strictly worse than the best 0-1 rule
    (:func:`~memtheory.dynamics.underparameterized_gap_rate`).

    ``rate``: fraction of draws with ``gap > tol``; ``mean_gap``: the mean gap; ``gaps``
    (draws,): every draw's gap; ``seeds`` (draws,): the instance seeds.
    """

    rate: float
    mean_gap: float
    gaps: np.ndarray
    seeds: np.ndarray


# ---------------------------------------------------------------- 2. Nichani, Lee & Bietti


@dataclass(frozen=True)
class PlateauLevels:
    """Loss levels of the sequential learning of the one-hot linear-attention model
    (:func:`~memtheory.dynamics.factual_recall_plateaus`), in nats.

    ``init``: :math:`\\ln(RD)` (uniform over all answers); ``hallucination``: :math:`\\ln D`
    (relation known, subject not); ``final``: 0; ``relation_init``: :math:`\\ln R` and
    ``subject_init``: :math:`\\ln D`, the starting values of the relation-only and
    subject-only losses.
    """

    init: float
    hallucination: float
    final: float
    relation_init: float
    subject_init: float


@dataclass(frozen=True, eq=False)
class SequentialFlow:
    """Population gradient flow of the one-hot linear-attention model in its 4 reduced scalars
    (:func:`~memtheory.dynamics.sequential_learning_ode`).

    ``t`` (n_points,): the times; ``loss``, ``relation_loss``, ``subject_loss`` (n_points,):
    total, relation-only :math:`\\ell_R(y)` and subject-only :math:`\\ell_D(x)` losses;
    ``state`` (n_points, 4): :math:`(\\alpha, \\delta, \\beta, \\gamma)`; ``t_relation`` /
    ``t_subject``: the first times the relation / subject loss fall below half their initial
    value (``nan`` if not within ``t_max``).
    """

    t: np.ndarray
    loss: np.ndarray
    relation_loss: np.ndarray
    subject_loss: np.ndarray
    state: np.ndarray
    t_relation: float
    t_subject: float


@dataclass(frozen=True, eq=False)
class SequentialGD:
    """Population GD of the one-hot linear-attention model in its 4 reduced scalars
    (:func:`~memtheory.dynamics.sequential_learning_gd`).

    ``step`` (steps+1,): ``0..steps``; ``loss``, ``relation_loss``, ``subject_loss``
    (steps+1,) as in :class:`SequentialFlow`; ``state`` (steps+1, 4):
    :math:`(\\alpha, \\delta, \\beta, \\gamma)`.
    """

    step: np.ndarray
    loss: np.ndarray
    relation_loss: np.ndarray
    subject_loss: np.ndarray
    state: np.ndarray


@dataclass(frozen=True)
class RelationSubject:
    """One number for the relation signal and one for the subject signal
    (:func:`~memtheory.dynamics.sequential_learning_rates`: growth rates;
    :func:`~memtheory.dynamics.plateau_escape_times`: escape times)."""

    relation: float
    subject: float
