r"""Seeded number tasks and their token/value arrays under every encoding of xVal's comparison.

A record is a row of numbers ``(x_1, ..., x_k)``; one position (the target) is masked and the
model predicts it (masked modelling; Golkar et al. 2023, arXiv 2310.02989; notes
``../shared/papers/xval.md`` §1.5). Two generators:

- :func:`function_records`: ``(a, f(a))`` with ``a`` uniform on ``[low, high]`` minus an open
  gap that never appears in training (the paper's "no training sample with a in (1, 1.16)",
  notes §2.3, rebuilt on a synthetic map ``f``);
- :func:`frequency_records`: ``(x, v)`` with ``v`` drawn from a Zipf prior over a grid of values
  and ``x = v + sigma xi`` (the frequency-bias model of :mod:`memtheory.numbers.frequency`).

:class:`Codec` turns records into model inputs: token ids ``(n, L)``, the xVal value array
``(n, L)`` (1 at every non-number position and at the masked one, as in the paper's collator),
the masked positions, and the targets (token ids, and the value for xVal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from memtheory import numbers as N
from memtheory.checks import as_array, as_choice, as_float, as_int

SPECIALS = ("[PAD]", "[MASK]", "[NUM]")
FUNCTIONS = {"square": np.square, "identity": lambda a: np.asarray(a, dtype=np.float64)}


def function_records(
    n: int, *, low: float, high: float, gap=None, fn: str = "square", seed: int = 0
) -> np.ndarray:
    """``(n, 2)`` rows ``(a, f(a))``, ``a`` uniform on ``[low, high]`` outside the open ``gap``."""
    n = as_int("n", n, minimum=1)
    low = as_float("low", low)
    high = as_float("high", high, low, low_open=True)
    as_choice("fn", fn, tuple(FUNCTIONS))
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    if gap is None:
        a = rng.uniform(low, high, size=n)
    else:
        g0 = as_float("gap[0]", gap[0], low, high, low_open=True)
        g1 = as_float("gap[1]", gap[1], g0, high, low_open=True, high_open=True)
        # inverse CDF of the uniform law on [low, g0] U [g1, high]
        u = rng.uniform(0.0, (g0 - low) + (high - g1), size=n)
        a = np.where(u <= g0 - low, low + u, g1 + (u - (g0 - low)))
    return np.stack([a, FUNCTIONS[fn](a)], axis=1)


def frequency_records(n: int, values, prior, sigma: float, seed: int = 0) -> np.ndarray:
    """``(n, 2)`` rows ``(x, v)`` with ``v ~ prior`` on ``values`` and ``x = v + sigma xi``."""
    n = as_int("n", n, minimum=1)
    values = as_array("values", values, ndim=1)
    prior = as_array("prior", prior, shape=values.shape)
    if np.any(prior < 0) or abs(prior.sum() - 1) > 1e-9:
        raise ValueError("prior must be non-negative and sum to 1")
    sigma = as_float("sigma", sigma, 0.0)
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    v = values[rng.choice(values.shape[0], size=n, p=prior)]
    return np.stack([v + sigma * rng.standard_normal(n), v], axis=1)


@dataclass(frozen=True)
class Codec:
    """Vocabulary and array layout of one encoding for records of ``n_numbers`` numbers."""

    scheme: str
    n_numbers: int = 2
    exponents: tuple = (-3, 1)
    tokens: tuple = field(init=False)
    index: dict = field(init=False, repr=False)
    slots: tuple = field(init=False, repr=False)  # per slot of a number: allowed token ids

    def __post_init__(self):
        as_choice("scheme", self.scheme, N.SCHEMES)
        as_int("n_numbers", self.n_numbers, minimum=1, maximum=64)
        vocab = [t for t in N.vocabulary(self.scheme, self.exponents) if t != N.NUM_TOKEN]
        tokens = (*SPECIALS, *vocab)
        index = {t: i for i, t in enumerate(tokens)}
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "slots", tuple(np.array(s) for s in self._slots(vocab, index)))

    def _slots(self, vocab, index):
        exps = [index[t] for t in vocab if t.startswith("E")]
        signs = [index["+"], index["-"]] if "+" in index else []
        if self.scheme == "xVal":
            return [[index[N.NUM_TOKEN]]]
        if self.scheme == "P10":
            digits = [index[d] for d in "0123456789"]
            return [signs, digits, digits, digits, exps]
        if self.scheme == "P1000":
            return [signs, [index[t] for t in vocab if t.isdigit()], exps]
        if self.scheme == "B1999":
            return [[index[t] for t in vocab if t[0] in "+-"], exps]
        return [[index[t] for t in vocab]]

    @property
    def per_number(self) -> int:
        return N.TOKENS_PER_NUMBER[self.scheme]

    @property
    def length(self) -> int:
        return self.per_number * self.n_numbers

    def number_ids(self, x: float) -> list[int]:
        return [self.index[t] for t in N.encode(x, self.scheme, self.exponents)]

    def encode(self, records, masked: int) -> dict:
        """Model arrays for ``records`` ``(n, n_numbers)`` with number ``masked`` hidden.

        ``ids`` and ``values`` are the inputs; ``target_ids`` ``(n, per_number)`` and
        ``target_values`` ``(n,)`` (the exact float) the targets; ``positions`` the masked
        token positions."""
        R = as_array("records", records, ndim=2)
        if R.shape[1] != self.n_numbers:
            raise ValueError(f"records must have {self.n_numbers} columns, got {R.shape[1]}")
        masked = as_int("masked", masked, minimum=0, maximum=self.n_numbers - 1)
        n, k = R.shape[0], self.per_number
        ids = np.zeros((n, self.length), dtype=np.int64)
        vals = np.ones((n, self.length), dtype=np.float64)
        cache: dict[float, list[int]] = {}
        for j in range(self.n_numbers):
            for i, x in enumerate(R[:, j]):
                x = float(x)
                if x not in cache:
                    cache[x] = self.number_ids(x)
                ids[i, j * k : (j + 1) * k] = cache[x]
            if self.scheme == "xVal":
                vals[:, j] = R[:, j]
        pos = np.arange(masked * k, (masked + 1) * k)
        target_ids = ids[:, pos].copy()
        ids[:, pos] = self.index["[MASK]"]
        vals[:, pos] = 1.0
        return {
            "ids": ids,
            "values": vals,
            "positions": pos,
            "target_ids": target_ids,
            "target_values": R[:, masked].astype(np.float64),
        }

    def decode_ids(self, ids) -> np.ndarray:
        """Values of predicted token ids ``(n, per_number)`` (each slot already valid); digit
        strings are read as written (a predicted ``"012"`` is 12), so any prediction decodes."""
        ids = np.asarray(ids)
        out = np.empty(ids.shape[0])
        for i, row in enumerate(ids):
            toks = [self.tokens[t] for t in row]
            if self.scheme == "P10":
                s, m, e = toks[0], "".join(toks[1:4]), toks[4][1:]
            elif self.scheme == "P1000":
                s, m, e = toks[0], toks[1], toks[2][1:]
            elif self.scheme == "B1999":
                s, m, e = toks[0][0], toks[0][1:], toks[1][1:]
            else:
                sm, e = toks[0][2:].split("E")
                s, m = sm[0], sm[1:]
            out[i] = (-1.0 if s == "-" else 1.0) * float(f"{int(m)}e{int(e)}")
        return out
