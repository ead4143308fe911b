"""How many facts fit in a memory of a given size, and the smallest memory for N facts.

Memories (N facts :math:`x \\mapsto f_*(x)` over M answers; ``answers=None`` means M = N, the
bijection :math:`f_*(x)=x` of the capacity notebooks; ``ln`` is the natural log):

* **Linear d x d memory, outer-product (correlation-matrix) rule**
  :math:`W = \\sum_x u_{f_*(x)} e_x^\\top`, argmax readout, independent uniform unit
  embeddings. Derived here: signal 1, interference variance :math:`N/d^2 + N/(Md)`, so a
  typical fact is retrieved when :math:`d^2 \\gtrsim 2N\\ln M` and *all* facts when
  :math:`d^2 \\gtrsim 8N\\ln N` (M = N). The first coincides with the conjectured sharp top-1
  threshold :math:`d^2\\sim 2n\\log n` of arXiv 2605.05189 (quoted). A finite-size Gaussian
  model (:func:`outer_product_error`) is solved numerically.
* **Trained linear memory** (cross-entropy, Adam): fit :math:`d^2 \\approx 1.3\\,N\\ln N` at 99%
  accuracy (arXiv 2412.06538, Section 4.1 / authors' notebook); statistical-physics capacity
  :math:`p_c\\ln p_c/d^2 = 1/2` (arXiv 2605.10795, quoted).
* **MLP memory** :math:`V\\,\\mathrm{ReLU}(We_x+b)`, width m, input dimension d: fits
  :math:`md \\approx 0.35\\,N\\ln N` (M = N) and :math:`md \\approx 1.2\\,N` (M = 32), arXiv
  2412.06538. Both equal :math:`md \\approx 0.35\\,N\\ln M` (1.2/ln 32 = 0.346): ~2 bits per
  parameter.
* **One-layer transformer**: :math:`4Hd_hd + 2md` parameters, 0.15 facts per parameter
  (arXiv 2412.06538, Fig. 4 left); through attention or MLP alone from the trade-off boundary
  of Fig. 4 right.
* **Information floor**: :math:`N\\log_2 M` bits; at ``b`` bits per parameter,
  :math:`N\\log_2 M/b` parameters.
* **Graph storage** (arXiv 2510.26745, Propositions 1-3): bits and l2 norm of associative vs
  geometric storage.

Every fitted or quoted constant is a :class:`Constant` with its source; pass ``c=`` to
override. CLI: ``python -m memtheory.capacity --facts 1e5`` (no numpy on the default path).

Modules: :mod:`~memtheory.capacity.constants` (constants and argument checks),
:mod:`~memtheory.capacity.outer_product`, :mod:`~memtheory.capacity.trained` (linear, MLP,
transformer, information floor), :mod:`~memtheory.capacity.schemes` (one entry point per
direction), :mod:`~memtheory.capacity.graph_storage`, :mod:`~memtheory.capacity.table` and
:mod:`~memtheory.capacity.cli`. Every public name is re-exported here.
"""

from memtheory.capacity.cli import main
from memtheory.capacity.constants import (
    BITS_PER_PARAM,
    CAPACITY_SCHEMES,
    CONSTANTS,
    CRITERIA,
    MAX_SIZE,
    MLP_C_LOG,
    MLP_C_M32,
    OUTER_PRODUCT_C_ALL,
    OUTER_PRODUCT_C_FACT,
    TARGET_ERROR_MIN,
    TRAINED_LINEAR_C,
    TRAINED_LINEAR_C_STATPHYS,
    TRANSFORMER_ATTN_FACTS_PER_UNIT,
    TRANSFORMER_FACTS_PER_PARAM,
    TRANSFORMER_MLP_FACTS_PER_UNIT,
    Constant,
    lambert_w,
)
from memtheory.capacity.graph_storage import GraphStorage, graph_storage
from memtheory.capacity.outer_product import (
    OuterProductNoise,
    outer_product_all_correct_probability,
    outer_product_capacity,
    outer_product_error,
    outer_product_log_factor,
    outer_product_noise,
    outer_product_required_dimension,
)
from memtheory.capacity.schemes import facts_capacity, required_dimension, required_parameters
from memtheory.capacity.table import capacity_table, format_table
from memtheory.capacity.trained import (
    TRANSFORMER_FIT_ANSWERS,
    information_bits,
    information_floor_parameters,
    mlp_capacity,
    mlp_required_md,
    mlp_required_width,
    trained_linear_capacity,
    transformer_capacity,
    transformer_parameters,
)

__all__ = [
    "Constant",
    "OUTER_PRODUCT_C_FACT",
    "OUTER_PRODUCT_C_ALL",
    "TRAINED_LINEAR_C",
    "TRAINED_LINEAR_C_STATPHYS",
    "MLP_C_LOG",
    "MLP_C_M32",
    "TRANSFORMER_FACTS_PER_PARAM",
    "TRANSFORMER_ATTN_FACTS_PER_UNIT",
    "TRANSFORMER_MLP_FACTS_PER_UNIT",
    "BITS_PER_PARAM",
    "CONSTANTS",
    "CAPACITY_SCHEMES",
    "MAX_SIZE",
    "TARGET_ERROR_MIN",
    "OuterProductNoise",
    "lambert_w",
    "outer_product_log_factor",
    "outer_product_noise",
    "outer_product_error",
    "outer_product_all_correct_probability",
    "outer_product_capacity",
    "outer_product_required_dimension",
    "trained_linear_capacity",
    "mlp_required_md",
    "mlp_capacity",
    "mlp_required_width",
    "transformer_parameters",
    "transformer_capacity",
    "information_bits",
    "information_floor_parameters",
    "facts_capacity",
    "required_dimension",
    "required_parameters",
    "graph_storage",
    "GraphStorage",
    "capacity_table",
    "format_table",
    "CRITERIA",
    "TRANSFORMER_FIT_ANSWERS",
    "main",
]
