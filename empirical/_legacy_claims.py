"""TRANSITIONAL adapter for the flat ``empirical/claims_*.py`` modules written before the claim
contract: it turns an old-style ``Claim(..., expect=...)`` into the new one, with the kind and the
recorded non-reproduction taken from the tables below. Each topic drops it when its claims move
into ``empirical/experiments/TOPIC/claims.py``; then this module is deleted.
"""

from empirical.claims import Category, Kind, NotReproducing, Outcome, register
from empirical.claims import Claim as _Claim

__all__ = ["Claim", "Outcome", "register"]

KINDS = {
    "recall.seq-init-plateau": Kind.DERIVATION,
}
NOT_REPRODUCING = {
    "recall.tradeoff-capacity-fit": NotReproducing(
        Category.BUDGET,
        "CPU step budget below the paper's 2^14 steps with H = 8 and a learning-rate search",
    ),
    "recall.sweep-facts-per-param": NotReproducing(
        Category.BUDGET, "CPU step budget and bisection resolution below the paper's"
    ),
    "distr.bayes-floor": NotReproducing(
        Category.BUDGET, "finite training below the paper's 5000 SGD steps at batch 512"
    ),
    "distr.truncation-rho-0.1": NotReproducing(
        Category.UNCONFIRMED, "the paper's magnitude for rank-rho truncation is unconfirmed"
    ),
    "distr.truncation-rho-0.2": NotReproducing(
        Category.UNCONFIRMED, "the paper's magnitude for rank-rho truncation is unconfirmed"
    ),
}


def Claim(*, id, expect="holds", **kw):  # noqa: N802 - stands in for the old class
    nr = NOT_REPRODUCING.get(id) if expect == "not-reproducing" else None
    if expect == "not-reproducing" and nr is None:
        raise ValueError(f"{id}: recorded as not reproducing without a reason in the adapter")
    return _Claim(id=id, kind=KINDS.get(id, Kind.PAPER), not_reproducing=nr, **kw)
