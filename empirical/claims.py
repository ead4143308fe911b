"""The claim registry: statement, prediction, experiment, symbolic check, tolerance, verdict.

A :class:`Claim` formalizes one statement of a paper. Its experiment is a module of
``empirical.experiments`` with ``PROFILES`` and ``run(config) -> dict``; several claims share
one experiment run. ``check(result)`` turns that run's result into :class:`Outcome` rows (one per
seed where the experiment has seeds): the ``memtheory`` prediction, the measurement, and whether
they agree within the claim's tolerance. Claims are registered in ``empirical/claims_*.py``
modules (one per topic, named like the experiment), loaded by :func:`all_claims`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

EXPECT = ("holds", "not-reproducing")


@dataclass(frozen=True)
class Outcome:
    """One measured row of a claim: the prediction, the measurement, and the verdict."""

    prediction: object
    measurement: object
    holds: bool
    detail: str = ""
    seed: int | None = None
    figure: str | None = None  # path (relative to the experiment's out dir) of a figure


@dataclass(frozen=True)
class Claim:
    """A paper's statement as a checkable claim.

    Attributes:
        id: short id, ``topic.what`` (e.g. ``geom.node2vec-rank-collapse``).
        paper: citation with the location of the statement (arXiv id, section, equation).
        statement: the statement, in one sentence.
        prediction: what ``memtheory`` predicts, in words (the number comes with each Outcome).
        experiment: module under ``empirical.experiments`` that measures it.
        check: ``result -> list[Outcome]`` from that experiment's ``run`` result.
        tolerance: the agreement required, in words with numbers.
        tolerance_reason: why that tolerance (sampling error, finite size, paper's own spread).
        symbolic_check: ``proofs_check`` key (``module.function``) of the derivation, if any.
        profiles: profiles in which the claim runs.
        expect: ``holds`` or ``not-reproducing`` (recorded as measured not to reproduce here).
        overrides: config fields set on the experiment's profile for this claim's run.
    """

    id: str
    paper: str
    statement: str
    prediction: str
    experiment: str
    check: Callable[[dict], list]
    tolerance: str
    tolerance_reason: str
    symbolic_check: str | None = None
    profiles: tuple = ("quick", "paper")
    expect: str = "holds"
    overrides: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.expect not in EXPECT:
            raise ValueError(f"expect must be one of {EXPECT}; got {self.expect!r} ({self.id})")


_REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add a claim to the registry (ids are unique)."""
    if claim.id in _REGISTRY and _REGISTRY[claim.id] is not claim:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    _REGISTRY[claim.id] = claim
    return claim


def all_claims() -> list[Claim]:
    """Import every ``empirical.claims_*`` module and return the registered claims by id."""
    import empirical

    for info in pkgutil.iter_modules(empirical.__path__):
        if info.name.startswith("claims_"):
            importlib.import_module(f"empirical.{info.name}")
    return sorted(_REGISTRY.values(), key=lambda c: c.id)


def get(claim_id: str) -> Claim:
    """The registered claim with this id."""
    claims = {c.id: c for c in all_claims()}
    if claim_id not in claims:
        raise ValueError(f"unknown claim {claim_id!r}")
    return claims[claim_id]


def within(measured: float, predicted: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    """``|measured - predicted| <= abs_ + rel * |predicted|`` (both finite)."""
    import math

    if not (math.isfinite(measured) and math.isfinite(predicted)):
        return False
    return abs(measured - predicted) <= abs_ + rel * abs(predicted)
