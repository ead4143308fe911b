"""Contextual counting: exact constructions and closed forms (Golkar et al. 2024, arXiv 2406.02585).

* :mod:`~memtheory.counting.tokens`: vocabulary, contextual position, reference counts;
* :mod:`~memtheory.counting.handbuilt`: the two-layer causal NoPE network of Propositions 1-2;
* :mod:`~memtheory.counting.bias`: the bias law :math:`o(n) = (n v_1 + v_b)/(n+1)` and the
  "]"-bias versus BoS-bias readouts;
* :mod:`~memtheory.counting.permutation`: Proposition 3 (non-causal NoPE encoder with a
  permutation-invariant head).

NumPy only, float64.
"""

from memtheory.counting.bias import (  # noqa: F401, E402
    balance_count,
    balance_logits,
    bias_gap,
    bias_output,
)
from memtheory.counting.handbuilt import (  # noqa: F401, E402
    BIASES,
    HandBuilt,
    HandBuiltForward,
    handbuilt_counts,
    handbuilt_forward,
    handbuilt_network,
)
from memtheory.counting.permutation import (  # noqa: F401, E402
    MULTISET_PAIR,
    encoder_decoder_logits,
    random_encoder_decoder,
)
from memtheory.counting.tokens import (  # noqa: F401
    BOS,
    CLOSE,
    ONE,
    OPEN,
    TOKEN_NAMES,
    VOCAB_SIZE,
    ZERO,
    as_tokens,
    contextual_position,
    parse,
    region_counts,
)
