r"""Training dynamics of associative memories: closed forms and reduced (low-dimensional) dynamics.

Four papers, one module each (derivations and measurements: ``docs/theory/dynamics.md``):

1. Cabannes, Simsek & Bietti 2024, *Learning Associative Memories with Gradient Descent*,
   arXiv 2402.18724: cross-entropy GD on one linear
   memory ``W``, its exact reduction to interacting particles (scores), the orthonormal margin
   recursion and its logarithmic growth, the loss asymptote ``N (M-1) / (eta M t)``, the two
   correlated-token system with loss spikes, the closed-form Hessian, the underparameterized
   ``d = 2`` regime.
2. Nichani, Lee & Bietti 2024, *Understanding Factual Recall in Transformers via Associative
   Memories*, arXiv 2412.06538: plateaus ``ln(R D)`` and ``ln D`` of
   the one-hot linear-attention model and a 4-scalar reduction of its population gradient flow.
3. Chen, Bruna & Bietti 2024, *Distributional Associations vs In-Context Reasoning*,
   arXiv 2406.03068: the Bayes floor ``h(alpha)`` of
   noisy in-context recall and the Eckart-Young rank truncation.
4. Kunstner et al. 2024, *Heavy-Tailed Class Imbalance and Why Adam Outperforms Gradient Descent
   on Language Models*, arXiv 2402.19449: tiered-Zipf class
   counts, equal-mass grouping, per-class losses under GD and sign descent in the reduced
   (one-hot) model and on the quadratic illustration.

Conventions for a linear associative memory (section 1): ``E`` is ``(N, d_in)`` with row ``x`` the
input embedding :math:`e_x`; ``U`` is ``(M, d_out)`` with row ``y`` the unembedding :math:`u_y`;
``W`` is ``(d_out, d_in)``; scores :math:`S[x, y] = u_y^\top W e_x`; ``targets`` holds
:math:`f_*(x)\in[0, M)`; ``p`` the input probabilities. The loss is
:math:`\mathcal L(W) = \sum_x p(x)\,(-\log \mathrm{softmax}(S[x])_{f_*(x)})`. A token counts as
correct when its margin is strictly positive (ties, e.g. at ``W = 0``, count as errors).
Results with several values are frozen dataclasses with documented fields
(:mod:`memtheory.dynamics.results`); trajectories are arrays indexed by the step
``t = 0..steps`` (``t = 0`` is the init). Everything is float64. Step sizes, step counts and
other knobs are keyword-only after the arguments that define the problem
(``memory_gd(E, U, targets, p, lr=..., steps=...)``).

Modules (named like their experiments in ``empirical.experiments``):
:mod:`~memtheory.dynamics.gd_associative`, :mod:`~memtheory.dynamics.factual_recall`,
:mod:`~memtheory.dynamics.distributional`, :mod:`~memtheory.dynamics.heavy_tailed`; every
public name is re-exported here.
"""

from memtheory.dynamics.arguments import MAX_STEPS, PROB_SUM_ATOL
from memtheory.dynamics.distributional import (
    binary_entropy,
    low_rank_truncation,
    noisy_recall_bayes_floor,
    truncation_error,
)
from memtheory.dynamics.factual_recall import (
    factual_recall_plateaus,
    plateau_escape_times,
    sequential_learning_gd,
    sequential_learning_ode,
    sequential_learning_rates,
)
from memtheory.dynamics.gd_associative import (
    memory_gd,
    memory_gradient,
    memory_hessian,
    memory_loss,
    memory_margins,
    memory_scores,
    monotone_step_bound,
    orthonormal_loss,
    orthonormal_loss_asymptote,
    orthonormal_margin_flow,
    orthonormal_margin_recursion,
    particle_gd,
    two_particle_dynamics,
    two_particle_embeddings,
    two_particle_step_threshold,
    underparameterized_gap,
    underparameterized_gap_rate,
    underparameterized_problem,
)
from memtheory.dynamics.heavy_tailed import (
    TieredZipf,
    equal_mass_groups,
    orthonormal_class_losses,
    quadratic_trajectory,
    tiered_zipf,
)
from memtheory.dynamics.results import (
    GapRate,
    MemoryTrajectory,
    ParticleTrajectory,
    PlateauLevels,
    RelationSubject,
    SequentialFlow,
    SequentialGD,
    TwoParticleTrajectory,
    UnderparameterizedGap,
)

__all__ = [
    "MAX_STEPS",
    "PROB_SUM_ATOL",
    # result types
    "MemoryTrajectory",
    "ParticleTrajectory",
    "TwoParticleTrajectory",
    "UnderparameterizedGap",
    "GapRate",
    "PlateauLevels",
    "SequentialFlow",
    "SequentialGD",
    "RelationSubject",
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
