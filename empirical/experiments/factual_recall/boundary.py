"""The attention/MLP success boundary of arXiv 2412.06538, Fig. 4 (right), as drawn.

Nichani, Lee & Bietti 2024 train the one-layer transformer of Sec. 4 with ``d = 32``, ``d_h = 8``,
``S = R = 32`` (``N = 1024`` facts), ``D = 8`` on a grid of heads ``H`` and MLP widths ``m``, and
draw the success region (test accuracy >= 99%) over attention parameters :math:`A = d\\,d_h H` and
MLP parameters :math:`M = d\\,m` as

.. math::

    A \\ge 1280 \\quad\\text{and}\\quad M \\ge 2300 - A/2

(the diagonal is drawn for :math:`A\\in[1280, 4700]`; beyond 4700 attention alone suffices).

The line is read off the figure for ``N = 1024``; :func:`paper_boundary_success` scales it
linearly with ``N`` (the paper's claim that both capacities grow linearly with parameters), which
is exact at the paper's ``N`` and an extrapolation elsewhere.
"""

from __future__ import annotations

from memtheory.checks import as_int

PAPER_FACTS = 1024  # N = S R = 32 * 32 in Fig. 4 (right)
ATTENTION_MIN = 1280.0  # vertical line: A >= 1280
MLP_INTERCEPT = 2300.0  # diagonal: M >= 2300 - A / 2
ATTENTION_ALONE = 4700.0  # end of the drawn diagonal


def paper_boundary_success(attention: int, mlp: int, facts: int = PAPER_FACTS) -> bool:
    """Whether the cell ``(A, M) = (d d_h H, d m)`` lies in Fig. 4 (right)'s success region.

    ``attention``: :math:`A = d\\,d_h H`; ``mlp``: :math:`M = d\\,m`; ``facts``: ``N`` (the
    boundary is scaled by ``N / 1024``). Returns
    :math:`A \\ge 1280 s \\wedge (A \\ge 4700 s \\vee M \\ge 2300 s - A/2)`, ``s = N/1024``.
    """
    a = as_int("attention", attention, 0)
    m = as_int("mlp", mlp, 0)
    s = as_int("facts", facts, 1) / PAPER_FACTS
    if a < ATTENTION_MIN * s:
        return False
    return a >= ATTENTION_ALONE * s or m >= MLP_INTERCEPT * s - a / 2
