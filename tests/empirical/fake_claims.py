"""Claims on the fake experiment: one holds, one fails, one recorded as not reproducing (and
not), one recorded that holds (stale), one slow."""

from empirical.validate.claims import AtLeast, Claim, Kind, Measured, Near, NotReproducing, register

EXP = "tests.empirical.fake_experiment"


def _per_seed(pred):
    def check(result):
        return [Measured(v, predicted=pred, seed=s) for s, v in enumerate(result["values"])]

    return check


def _common(**kw):
    base = dict(
        kind=Kind.PAPER,
        paper="test",
        statement="fake",
        prediction="value",
        experiment=EXP,
        check=_per_seed(1.0),
        tolerance=Near(rel=0.05, quantity="value"),
        tolerance_reason="test",
    )
    base.update(kw)
    return Claim(**base)


RECORDED = NotReproducing("refuted", "measured: the value is 1, not 10")
register(_common(id="fake.holds"))
register(_common(id="fake.fails", check=_per_seed(10.0)))
register(_common(id="fake.recorded", check=_per_seed(10.0), not_reproducing=RECORDED))
register(_common(id="fake.stale", not_reproducing=RECORDED))
register(
    _common(
        id="fake.regime",
        kind=Kind.MODEL,
        check=_per_seed(10.0),
        not_reproducing=NotReproducing("regime", "needs d = 10^6"),
    )
)
register(
    _common(
        id="fake.derivation",
        kind=Kind.DERIVATION,
        tolerance=AtLeast(0.5, quantity="value"),
    )
)
# a budget shortfall of the quick profile that the paper profile settles (its value is 2)
register(
    _common(
        id="fake.quick-budget",
        check=_per_seed(2.0),
        not_reproducing=NotReproducing("budget", "quick gives 1", profiles=("quick",)),
    )
)
register(_common(id="fake.slow", overrides={"sleep": 300.0}, profiles=("quick",)))
