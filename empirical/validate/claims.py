"""The claim contract: what a claim is, how its rows are judged, and the registry.

A :class:`Claim` is one checkable statement: its :class:`Kind` (a paper's statement, a derivation
check, the toolkit's own model, or an extension), the prediction that formalizes it, the
experiment that measures it (a package ``empirical.experiments.NAME`` with ``PROFILES`` and
``run(config) -> dict``), a :class:`Tolerance` and the reason for it. ``check(result)`` reads the
experiment's result and returns one :class:`Measured` per row (per seed, per graph, ...); the
claim's tolerance turns each into a :class:`Row` with its margin, so a threshold is written once
and its text is generated from the number the check uses.

A claim recorded as not reproducing carries :class:`NotReproducing` (a required reason and a
:class:`Category`); the validation then reports its verdict by category, and a recorded claim that
now holds is a *stale expectation* (:attr:`Verdict.STALE`).

Claims are registered in the ``claims`` module of each experiment package
(``empirical/experiments/NAME/claims.py``), found by :func:`all_claims`.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar


class Kind(str, Enum):
    """What a claim rests on; kinds are counted apart in the headline."""

    PAPER = "paper"  # a cited paper's statement (section or figure in ``Claim.paper``)
    DERIVATION = "derivation"  # an implementation or maths check (torch = numpy, closed form)
    MODEL = "model"  # the toolkit's own finite-size model or fitted rule, tested out of sample
    EXTENSION = "extension"  # a question the papers do not ask


class Category(str, Enum):
    """Why a claim is recorded as not reproducing."""

    BUDGET = "budget"  # the CPU budget is below the paper's
    REGIME = "regime"  # not testable at reachable sizes: "not tested here"
    REFUTED = "refuted"  # measured at the paper's setting, and it does not hold
    UNCONFIRMED = "unconfirmed"  # the source's own claim is unconfirmed


class Verdict(str, Enum):
    """A row's or a claim's verdict."""

    HOLDS = "holds"
    FAILS = "FAILS"  # expected to hold and does not: an unexpected failure
    NOT_REPRODUCING = "not reproducing (recorded)"  # recorded, and measured not to hold
    NOT_TESTED = "not tested here"  # recorded as category regime, and does not hold
    STALE = "stale: holds, recorded as not reproducing"
    ERROR = "error"  # the experiment or the check raised

    @property
    def expected(self) -> bool:
        """Whether this verdict meets the registry's expectation (stale ones do not)."""
        return self in (Verdict.HOLDS, Verdict.NOT_REPRODUCING, Verdict.NOT_TESTED)


@dataclass(frozen=True)
class NotReproducing:
    """The registry's record that a claim does not reproduce here, and why.

    ``profiles``: the validation profiles the record applies to (``None``: every profile). A
    ``budget`` shortfall of the quick profile that the paper profile settles is recorded with
    ``profiles=("quick",)``: the paper profile then expects the claim to hold, and its reason
    gives the paper-setting measurement.
    """

    category: Category
    reason: str
    profiles: tuple | None = None

    def __post_init__(self):
        object.__setattr__(self, "category", Category(self.category))
        if not self.reason.strip():
            raise ValueError("NotReproducing.reason must say why the claim does not reproduce")
        if self.profiles is not None:
            object.__setattr__(self, "profiles", tuple(self.profiles))
            if not self.profiles or not all(isinstance(p, str) for p in self.profiles):
                raise ValueError("NotReproducing.profiles must be None or a tuple of profile names")

    def applies_to(self, profile: str | None) -> bool:
        """Whether the record holds for ``profile`` (``None``: any profile)."""
        return self.profiles is None or profile is None or profile in self.profiles


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


@dataclass(frozen=True)
class Spread:
    """Mean, sample standard deviation (``ddof = 1``) and count of repeated measurements.

    ``sd`` is ``nan`` for a single value (a spread needs two). Every experiment reports its
    seed-to-seed spread with this one type, so "±" means the same thing everywhere.
    """

    mean: float
    sd: float
    n: int
    DDOF: ClassVar[int] = 1

    @classmethod
    def of(cls, values) -> Spread:
        """The spread of a non-empty sequence of finite numbers."""
        xs = [float(v) for v in values]
        if not xs:
            raise ValueError("values must be non-empty")
        if not all(math.isfinite(x) for x in xs):
            raise ValueError(f"values must be finite, got {xs}")
        n = len(xs)
        mean = math.fsum(xs) / n
        sd = (
            math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - cls.DDOF))
            if n > 1
            else math.nan
        )
        return cls(mean, sd, n)

    def __str__(self) -> str:
        if self.n == 1:
            return f"{self.mean:.4g} (n=1)"
        return f"{self.mean:.4g} ± {self.sd:.2g} (sd, n={self.n})"


def _g(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True, kw_only=True)
class Tolerance:
    """A numeric acceptance rule. ``margin`` is how far a measurement is inside (> 0) or outside
    (< 0) the rule, in the units of ``quantity``; :meth:`holds` decides from it."""

    quantity: str = "measured"
    strict: bool = False

    def margin(self, value, predicted=None) -> float:
        raise NotImplementedError

    @property
    def text(self) -> str:
        raise NotImplementedError

    def holds(self, margin: float) -> bool:
        if not math.isfinite(margin):
            return False
        return margin > 0 if self.strict else margin >= 0

    def margin_text(self, value, predicted=None) -> str:
        return f"{self.margin(value, predicted):+.3g}"


def _finite(value, quantity) -> float:
    if not _is_number(value):
        raise TypeError(f"{quantity}: a number is needed, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class AtLeast(Tolerance):
    """``quantity >= limit`` (``>`` when strict); margin ``value - limit``."""

    limit: float = 0.0

    def margin(self, value, predicted=None) -> float:
        return _finite(value, self.quantity) - self.limit

    @property
    def text(self) -> str:
        return f"{self.quantity} {'>' if self.strict else '>='} {_g(self.limit)}"


@dataclass(frozen=True)
class AtMost(Tolerance):
    """``quantity <= limit`` (``<`` when strict); margin ``limit - value``."""

    limit: float = 0.0

    def margin(self, value, predicted=None) -> float:
        return self.limit - _finite(value, self.quantity)

    @property
    def text(self) -> str:
        return f"{self.quantity} {'<' if self.strict else '<='} {_g(self.limit)}"


@dataclass(frozen=True)
class Between(Tolerance):
    """``low <= quantity <= high``; margin the distance to the nearer end."""

    low: float = 0.0
    high: float = 0.0

    def margin(self, value, predicted=None) -> float:
        v = _finite(value, self.quantity)
        return min(v - self.low, self.high - v)

    @property
    def text(self) -> str:
        return f"{_g(self.low)} <= {self.quantity} <= {_g(self.high)}"


@dataclass(frozen=True)
class Near(Tolerance):
    """``|quantity - predicted| <= abs + rel |predicted|``; margin the room left, in the units of
    the quantity. The prediction comes with each row (:attr:`Measured.predicted`)."""

    abs: float = 0.0
    rel: float = 0.0

    def margin(self, value, predicted=None) -> float:
        v = _finite(value, self.quantity)
        p = _finite(predicted, f"{self.quantity} (prediction)")
        return self.abs + self.rel * abs(p) - abs(v - p)

    @property
    def text(self) -> str:
        if self.rel == 0:
            return f"|{self.quantity} - predicted| <= {_g(self.abs)}"
        if self.abs == 0:
            return f"|{self.quantity} - predicted| <= {_g(self.rel)} x |predicted|"
        return f"|{self.quantity} - predicted| <= {_g(self.abs)} + {_g(self.rel)} x |predicted|"


@dataclass(frozen=True)
class AllOf(Tolerance):
    """Every part holds; the measurement is a mapping ``{part: value}`` and the prediction, when
    a part needs one, a mapping too. The margin is the smallest part margin (in that part's
    units); the margin text lists every part."""

    parts: Mapping[str, Tolerance] = field(default_factory=dict)

    def _margins(self, value, predicted) -> dict[str, float]:
        if not isinstance(value, Mapping) or set(value) != set(self.parts):
            raise TypeError(f"measurement must map {sorted(self.parts)} to numbers, got {value!r}")
        pred = predicted if isinstance(predicted, Mapping) else {}
        return {k: t.margin(value[k], pred.get(k)) for k, t in self.parts.items()}

    def margin(self, value, predicted=None) -> float:
        return min(self._margins(value, predicted).values())

    def holds(self, margin: float) -> bool:  # pragma: no cover - judged part by part
        raise TypeError("AllOf is judged part by part; use judge()")

    def parts_hold(self, value, predicted=None) -> bool:
        return all(self.parts[k].holds(m) for k, m in self._margins(value, predicted).items())

    def margin_text(self, value, predicted=None) -> str:
        return "; ".join(f"{k} {m:+.3g}" for k, m in self._margins(value, predicted).items())

    @property
    def text(self) -> str:
        return " and ".join(t.text for t in self.parts.values())


@dataclass(frozen=True)
class Measured:
    """What a claim's check returns for one row: the measurement and the prediction it is
    compared with (for :class:`Near`; for the other tolerances it is shown, not used)."""

    value: object
    predicted: object = None
    seed: int | None = None
    label: str = ""  # what the row is about, e.g. ``cycle:6`` or ``lr 0.1``
    detail: str = ""
    figure: str | None = None  # path of a figure, relative to the experiment's output folder


@dataclass(frozen=True)
class Row:
    """One judged row of a claim."""

    prediction: object
    measurement: object
    holds: bool
    margin: float | None
    margin_text: str
    detail: str = ""
    seed: int | None = None
    label: str = ""
    figure: str | None = None


def judge(tolerance: Tolerance, m: Measured) -> Row:
    """Judge one measurement against a tolerance."""
    if isinstance(tolerance, AllOf):
        ok = tolerance.parts_hold(m.value, m.predicted)
    else:
        ok = tolerance.holds(tolerance.margin(m.value, m.predicted))
    margin = tolerance.margin(m.value, m.predicted)
    return Row(
        prediction=m.predicted,
        measurement=m.value,
        holds=bool(ok),
        margin=margin if math.isfinite(margin) else None,
        margin_text=tolerance.margin_text(m.value, m.predicted),
        detail=m.detail,
        seed=m.seed,
        label=m.label,
        figure=m.figure,
    )


@dataclass(frozen=True)
class Claim:
    """A checkable statement.

    Attributes:
        id: short id, ``topic.what`` (e.g. ``geom.node2vec-rank-collapse``).
        kind: what the claim rests on (:class:`Kind`).
        paper: citation with the location of the statement (arXiv id, section, figure); for a
            derivation, model or extension, the source it builds on.
        statement: the statement, in one sentence.
        prediction: what ``memtheory`` predicts, in words (the number comes with each row).
        experiment: package under ``empirical.experiments`` (or a dotted module) that measures it.
        check: ``result -> list[Measured]`` read from that experiment's ``run`` result.
        tolerance: the acceptance rule (:class:`Tolerance`); its text is generated.
        tolerance_reason: why that tolerance (sampling error, finite size, the paper's spread).
        symbolic_check: ``proofs_check`` key (``module.function``) of the derivation, if any.
        profiles: profiles in which the claim runs.
        not_reproducing: the record that it does not reproduce here, with category and reason.
        overrides: config fields set on the experiment's profile for this claim's run.
    """

    id: str
    kind: Kind
    paper: str
    statement: str
    prediction: str
    experiment: str
    check: Callable[[dict], list]
    tolerance: Tolerance
    tolerance_reason: str
    symbolic_check: str | None = None
    profiles: tuple = ("quick", "paper")
    not_reproducing: NotReproducing | None = None
    overrides: Mapping = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "kind", Kind(self.kind))
        if not isinstance(self.tolerance, Tolerance):
            raise TypeError(f"{self.id}: tolerance must be a Tolerance, got {self.tolerance!r}")
        for name in ("paper", "statement", "prediction", "tolerance_reason"):
            if not str(getattr(self, name)).strip():
                raise ValueError(f"{self.id}: {name} must not be empty")

    def recorded(self, profile: str | None = None) -> NotReproducing | None:
        """The non-reproduction record that applies to ``profile`` (``None``: any), or None."""
        nr = self.not_reproducing
        return nr if nr is not None and nr.applies_to(profile) else None

    def expect(self, profile: str | None = None) -> str:
        """``holds``, or ``not-reproducing`` when recorded so for ``profile``."""
        return "holds" if self.recorded(profile) is None else "not-reproducing"

    @property
    def tolerance_text(self) -> str:
        return self.tolerance.text

    def judge(self, result: dict) -> list[Row]:
        """Run the check on an experiment result and judge every row."""
        measured = self.check(result)
        if not measured:
            raise RuntimeError("check returned no row")
        return [judge(self.tolerance, m) for m in measured]


def row_verdict(holds: bool, not_reproducing: NotReproducing | None) -> Verdict:
    """Verdict from whether the measurement holds and what the registry records."""
    if not_reproducing is None:
        return Verdict.HOLDS if holds else Verdict.FAILS
    if holds:
        return Verdict.STALE
    if not_reproducing.category is Category.REGIME:
        return Verdict.NOT_TESTED
    return Verdict.NOT_REPRODUCING


_REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add a claim to the registry (ids are unique)."""
    if claim.id in _REGISTRY and _REGISTRY[claim.id] is not claim:
        raise ValueError(f"claim id {claim.id!r} registered twice")
    _REGISTRY[claim.id] = claim
    return claim


def load_claim_modules(modules=()) -> None:
    """Import extra modules that register claims (a researcher's own, or the tests')."""
    for mod in modules:
        try:
            importlib.import_module(mod)
        except ImportError as exc:
            raise ValueError(f"--claims-module {mod}: cannot import it ({exc})") from exc


def all_claims() -> list[Claim]:
    """Import the ``claims`` module of every experiment package and return the claims by id."""
    import empirical.experiments as experiments

    for info in pkgutil.iter_modules(experiments.__path__):
        if info.ispkg and importlib.util.find_spec(f"{experiments.__name__}.{info.name}.claims"):
            importlib.import_module(f"{experiments.__name__}.{info.name}.claims")
    return sorted(_REGISTRY.values(), key=lambda c: c.id)


def get(claim_id: str) -> Claim:
    """The registered claim with this id."""
    claims = {c.id: c for c in all_claims()}
    if claim_id not in claims:
        raise ValueError(f"unknown claim {claim_id!r}")
    return claims[claim_id]
