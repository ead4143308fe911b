"""Symbolic checks of ``memtheory.capacity.trained``."""

from __future__ import annotations

import sympy as sp

from memtheory import capacity as cap
from proofs_check._core import check


@check(
    "one-layer transformer: Q,K,V (d x H d_h), O (H d_h x d), MLP (m x d, d x m)"
    " = 4 H d_h d + 2 m d"
)
def transformer_parameter_count():
    d, H, dh, m = sp.symbols("d H d_h m", positive=True, integer=True)
    shapes = {
        "W_Q": (d, H * dh),
        "W_K": (d, H * dh),
        "W_V": (d, H * dh),
        "W_O": (H * dh, d),
        "W_in": (m, d),
        "W_out": (d, m),
    }
    total = sum(r * c for r, c in shapes.values())
    assert sp.expand(total - (4 * H * dh * d + 2 * m * d)) == 0
    pts = [(32, 8, 8, 64), (128, 4, 32, 512), (8, 1, 1, 0)]
    for dv, hv, dhv, mv in pts:
        ref = int(total.subs({d: dv, H: hv, dh: dhv, m: mv}))
        assert cap.transformer_parameters(dv, heads=hv, head_dim=dhv, width=mv) == ref
    return f"sum of the six weight shapes = 4 H d_h d + 2 m d; numeric equal at {len(pts)} points"


@check("information floor: N log2 M bits, N log2 M / b parameters; MLP fits are ~2 bits/param")
def information_floor():
    N, M, b = sp.symbols("N M b", positive=True)
    bits = N * sp.log(M, 2)
    assert sp.simplify(bits.subs(M, 2**10) - 10 * N) == 0
    for nv, mv, bv in ((10**5, 10**5, 2.0), (3000, 8, 0.5)):
        ref = float((bits / b).subs({N: nv, M: mv, b: bv}).evalf(30))
        got = cap.information_floor_parameters(nv, mv, bv)
        assert abs(got - ref) / ref < 1e-12, (got, ref)
    # md = 1.2 N at M = 32 and md = 0.35 N ln N at M = N give (N log2 M) / (2 md) bits/param
    at32 = float(5 / (2 * sp.Rational(12, 10)))
    atN = float(1 / (2 * sp.Rational(35, 100) * sp.log(2)))
    assert abs(at32 - 2.0833) < 1e-3 and abs(atN - 2.0609) < 1e-3
    return f"floor formula exact; MLP fits store {at32:.3f} (M=32) and {atN:.3f} (M=N) bits/param"
