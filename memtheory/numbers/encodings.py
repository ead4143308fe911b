r"""Number encodings compared by xVal: P10, P1000, B1999, FP15 (Charton 2021) and xVal.

Every token encoding first rounds a real number to ``3`` significant digits,

.. math:: x \approx s\,m\,10^{e},\qquad s\in\{+,-\},\ m\in\{100,\dots,999\},\ e\in\mathbb Z,

(zero is ``s = +, m = 0, e = 0``) and then writes ``(s, m, e)`` as tokens (Golkar et al. 2023,
*xVal*, arXiv 2310.02989 (its encoding comparison), after Charton 2021, arXiv 2112.01898; the notes'
table, ``../shared/papers/xval.md`` §1.6):

========  ======================  ===================================
scheme    tokens per number       example for :math:`-6.02\times10^1`
========  ======================  ===================================
P10       5: sign, 3 digits, E    ``-`` ``6`` ``0`` ``2`` ``E-1``
P1000     3: sign, mantissa, E    ``-`` ``602`` ``E-1``
B1999     2: signed mantissa, E   ``-602`` ``E-1``
FP15      1: the whole float      ``FP-602E-1``
xVal      1: ``[NUM]``            ``[NUM]`` carrying the value -60.2
========  ======================  ===================================

The exponent range ``[e_min, e_max]`` is a parameter (the paper's range is unconfirmed); the
vocabulary sizes follow from it (:func:`vocabulary`). xVal keeps the value itself in a parallel
numeric array; its "decoding" is the identity on the value (no rounding).
"""

from __future__ import annotations

import math

from memtheory.checks import as_choice, as_float, as_int

SCHEMES = ("P10", "P1000", "B1999", "FP15", "xVal")
TOKEN_SCHEMES = SCHEMES[:4]
TOKENS_PER_NUMBER = {"P10": 5, "P1000": 3, "B1999": 2, "FP15": 1, "xVal": 1}
NUM_TOKEN = "[NUM]"
SIGNIFICANT_DIGITS = 3
DEFAULT_EXPONENTS = (-8, 8)


def _exponent_range(exponents) -> tuple[int, int]:
    if not isinstance(exponents, (tuple, list)) or len(exponents) != 2:
        raise ValueError(f"exponents must be a pair (e_min, e_max), got {exponents!r}")
    lo = as_int("exponents[0]", exponents[0], minimum=-300, maximum=300)
    hi = as_int("exponents[1]", exponents[1], minimum=lo, maximum=300)
    return lo, hi


def round_sig(x, exponents=DEFAULT_EXPONENTS) -> tuple[int, int, int]:
    r"""``(sign, mantissa, exponent)`` with :math:`x \approx \mathrm{sign}\cdot m\cdot10^{e}`.

    ``m`` is :math:`|x|\,10^{-e}` rounded half-to-even to an integer in ``[100, 999]``, ``e``
    the exponent that puts it there; ``0`` (and nothing else) gives ``(1, 0, 0)``. The relative
    rounding error is at most :math:`1/200`. Raises ``ValueError`` when ``e`` falls outside
    ``exponents`` (the value is too large or too small to encode). Source: Charton 2021 via
    Golkar et al. 2023 (arXiv 2310.02989); notes §1.6.
    """
    x = as_float("x", x)
    lo, hi = _exponent_range(exponents)
    if x == 0.0:
        return 1, 0, 0
    sign = 1 if x > 0 else -1
    a = abs(x)
    e = math.floor(math.log10(a)) - (SIGNIFICANT_DIGITS - 1)
    for _ in range(3):  # log10 may be off by one ulp near powers of ten
        m = round(a / 10.0**e) if e >= 0 else round(a * 10.0 ** (-e))
        if m >= 1000:
            e += 1
        elif m < 100:
            e -= 1
        else:
            break
    if not 100 <= m <= 999:  # pragma: no cover - guarded by the loop above
        raise ValueError(f"x={x!r} could not be rounded to 3 significant digits")
    if not lo <= e <= hi:
        raise ValueError(f"x={x!r} needs exponent {e}, outside exponents [{lo}, {hi}]")
    return sign, int(m), int(e)


def from_parts(sign: int, mantissa: int, exponent: int) -> float:
    r""":math:`s\,m\,10^{e}` in float64 (the nearest double to the decimal value)."""
    sign = as_int("sign", sign, minimum=-1, maximum=1)
    if sign == 0:
        raise ValueError("sign must be -1 or 1, got 0")
    mantissa = as_int("mantissa", mantissa, minimum=0, maximum=999)
    exponent = as_int("exponent", exponent, minimum=-300, maximum=300)
    if mantissa != 0 and mantissa < 100:
        raise ValueError(f"mantissa must be 0 or in [100, 999], got {mantissa}")
    return float(f"{'-' if sign < 0 else ''}{mantissa}e{exponent}")


def _sign_tok(s: int) -> str:
    return "-" if s < 0 else "+"


def encode(x, scheme: str, exponents=DEFAULT_EXPONENTS) -> list[str]:
    """The tokens of one number under ``scheme`` (table in the module docstring).

    xVal gives ``["[NUM]"]`` (the value travels separately). Source: Golkar et al. 2023
    (arXiv 2310.02989); notes §1.6.
    """
    as_choice("scheme", scheme, SCHEMES)
    x = as_float("x", x)
    if scheme == "xVal":
        return [NUM_TOKEN]
    s, m, e = round_sig(x, exponents)
    E = f"E{e}"
    if scheme == "P10":
        return [_sign_tok(s), *f"{m:03d}", E]
    if scheme == "P1000":
        return [_sign_tok(s), f"{m:03d}", E]
    signed = f"{'-' if s < 0 else '+'}{m:03d}"
    if scheme == "B1999":
        return [signed, E]
    return [f"FP{signed}E{e}"]


def decode(tokens, scheme: str, value: float | None = None) -> float:
    """Inverse of :func:`encode`: the float the tokens stand for (xVal: ``value`` itself)."""
    as_choice("scheme", scheme, SCHEMES)
    tokens = list(tokens)
    if len(tokens) != TOKENS_PER_NUMBER[scheme]:
        raise ValueError(
            f"tokens must hold {TOKENS_PER_NUMBER[scheme]} token(s) for {scheme}, got {tokens!r}"
        )
    if scheme == "xVal":
        if tokens != [NUM_TOKEN] or value is None:
            raise ValueError("xVal decodes ['[NUM]'] with its value; give value=")
        return as_float("value", value)
    try:
        if scheme == "P10":
            s, d1, d2, d3, E = tokens
            if s not in "+-" or not all(d in "0123456789" and len(d) == 1 for d in (d1, d2, d3)):
                raise ValueError
            sign, mant, ex = (-1 if s == "-" else 1), int(d1 + d2 + d3), E
        elif scheme == "P1000":
            s, mm, E = tokens
            if s not in ("+", "-") or len(mm) != 3 or not mm.isdigit():
                raise ValueError
            sign, mant, ex = (-1 if s == "-" else 1), int(mm), E
        elif scheme == "B1999":
            sm, E = tokens
            if sm[0] not in "+-" or len(sm) != 4 or not sm[1:].isdigit():
                raise ValueError
            sign, mant, ex = (-1 if sm[0] == "-" else 1), int(sm[1:]), E
        else:
            (t,) = tokens
            if not t.startswith("FP") or "E" not in t:
                raise ValueError
            sm, e = t[2:].split("E")
            if sm[0] not in "+-" or len(sm) != 4 or not sm[1:].isdigit():
                raise ValueError
            sign, mant, ex = (-1 if sm[0] == "-" else 1), int(sm[1:]), f"E{e}"
        if not ex.startswith("E"):
            raise ValueError
        exponent = int(ex[1:])
    except ValueError as exc:
        raise ValueError(f"tokens {tokens!r} are not a valid {scheme} number") from exc
    return from_parts(sign, mant, exponent)


def vocabulary(scheme: str, exponents=DEFAULT_EXPONENTS) -> list[str]:
    """Every token a number can produce under ``scheme`` with exponents in ``exponents``.

    Sizes, with :math:`n_E = e_{max}-e_{min}+1` (and ``E0`` always present for zero):
    P10 :math:`2+10+n_E`, P1000 :math:`2+901+n_E` (mantissas 000 and 100..999), B1999
    :math:`2\\cdot900+1+n_E` (``+000`` for zero), FP15 :math:`1 + 2\\cdot900\\,n_E`, xVal 1.
    """
    as_choice("scheme", scheme, SCHEMES)
    lo, hi = _exponent_range(exponents)
    exps = sorted(set(range(lo, hi + 1)) | {0})
    E = [f"E{e}" for e in exps]
    mants = [f"{m:03d}" for m in range(100, 1000)]
    if scheme == "xVal":
        return [NUM_TOKEN]
    if scheme == "P10":
        return ["+", "-", *"0123456789", *E]
    if scheme == "P1000":
        return ["+", "-", "000", *mants, *E]
    if scheme == "B1999":
        return ["+000", *(f"-{m}" for m in mants), *(f"+{m}" for m in mants), *E]
    fp = [f"FP{s}{m}E{e}" for e in range(lo, hi + 1) for s in "+-" for m in mants]
    return ["FP+000E0", *fp]


def sequence_length(n_numbers: int, n_text_tokens: int, scheme: str) -> int:
    r"""Tokens in a record of ``n_numbers`` numbers and ``n_text_tokens`` other tokens:
    :math:`L = n_{text} + k_{scheme}\,n_{numbers}` with :math:`k = 5,3,2,1,1` for
    P10, P1000, B1999, FP15, xVal (Golkar et al. 2023, arXiv 2310.02989, notes §2.4: "token
    efficiency")."""
    as_choice("scheme", scheme, SCHEMES)
    n_numbers = as_int("n_numbers", n_numbers, minimum=0)
    n_text_tokens = as_int("n_text_tokens", n_text_tokens, minimum=0)
    return n_text_tokens + TOKENS_PER_NUMBER[scheme] * n_numbers
