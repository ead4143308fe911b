"""Symbolic checks of ``memtheory.capacity.graph_storage``."""

from __future__ import annotations

import math

import sympy as sp

from memtheory import capacity as cap
from proofs_check._core import check


@check("geometric l2 bound: Phi_u.Phi_v >= 1 on a matching of size nu => ||Phi||_F^2 >= 2 nu")
def geometric_l2_matching():
    x, y = sp.symbols("x y", positive=True)  # ||Phi_u||, ||Phi_v||
    # Cauchy-Schwarz: 1 <= Phi_u.Phi_v <= x y, and x^2 + y^2 - 2 = (x - y)^2 + 2(xy - 1) >= 0
    assert sp.expand((x - y) ** 2 + 2 * (x * y - 1) - (x**2 + y**2 - 2)) == 0
    from memtheory import graphs

    g = graphs.cycle(10)
    st = cap.graph_storage(g)
    assert st.matching == 5 and abs(st.geom_l2_lower_matching - math.sqrt(10)) < 1e-12
    ps = cap.graph_storage(graphs.path_star(4, 5))  # arms of 4 nodes: perfect within arms
    assert ps.matching == 8
    return "x^2 + y^2 - 2 = (x-y)^2 + 2(xy-1) >= 0; cycle:10 bound sqrt(10) = sqrt(|V|)"
