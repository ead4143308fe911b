"""Numbers as tokens or as geometry: the encodings compared by xVal and what xVal's ray implies.

Golkar et al. 2023, *xVal: A Continuous Number Encoding for Large Language Models*
(arXiv 2310.02989); notes ``../shared/papers/xval.md``; ``docs/theory/numbers.md``.

- :mod:`~memtheory.numbers.encodings`: P10, P1000, B1999, FP15 (Charton 2021) and xVal; encode,
  decode, vocabularies, tokens per number and record lengths.
- :mod:`~memtheory.numbers.layernorm`: LN(x e) = sign(x) LN(e); the half circle LN(x e + p)
  traces, its speed, the recovery of x and the dynamic range.
- :mod:`~memtheory.numbers.frequency`: the Bayes model of frequency bias (MAP of a token head vs
  the posterior mean of an MSE head).
"""

from memtheory.numbers.encodings import (
    NUM_TOKEN,
    SCHEMES,
    TOKEN_SCHEMES,
    TOKENS_PER_NUMBER,
    decode,
    encode,
    from_parts,
    round_sig,
    sequence_length,
    vocabulary,
)
from memtheory.numbers.frequency import (
    BayesPredictions,
    OverpredictionRatio,
    bayes_predictions,
    overprediction_ratio,
    zipf_prior,
)
from memtheory.numbers.layernorm import (
    DynamicRange,
    angle,
    dynamic_range,
    layer_norm,
    ln_speed,
    ray_geometry,
    recover,
    recovery_error,
)

__all__ = [
    "BayesPredictions",
    "DynamicRange",
    "NUM_TOKEN",
    "OverpredictionRatio",
    "SCHEMES",
    "TOKEN_SCHEMES",
    "TOKENS_PER_NUMBER",
    "angle",
    "bayes_predictions",
    "decode",
    "dynamic_range",
    "encode",
    "from_parts",
    "layer_norm",
    "ln_speed",
    "overprediction_ratio",
    "ray_geometry",
    "recover",
    "recovery_error",
    "round_sig",
    "sequence_length",
    "vocabulary",
    "zipf_prior",
]
