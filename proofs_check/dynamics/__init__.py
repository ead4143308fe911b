"""Symbolic checks of ``memtheory.dynamics`` (training dynamics of associative memories).

Each check derives the closed form with sympy from the set-up stated in the paper notes and
compares it with the numeric function it justifies.

One module per ``memtheory.dynamics`` module, under the same name.
"""

from __future__ import annotations

import sympy as sp


def softmax_sym(scores):
    """Symbolic softmax of a list of sympy expressions."""
    z = sum(sp.exp(s) for s in scores)
    return [sp.exp(s) / z for s in scores]
