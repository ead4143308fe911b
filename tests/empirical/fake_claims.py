"""Claims on the fake experiment: one holds, one fails, one recorded as not reproducing."""

from empirical.claims import Claim, Outcome, register, within

EXP = "tests.empirical.fake_experiment"


def _per_seed(pred, rel):
    def check(result):
        return [
            Outcome(pred, v, within(v, pred, rel=rel), seed=s)
            for s, v in enumerate(result["values"])
        ]

    return check


def _common(**kw):
    base = dict(
        paper="test",
        statement="fake",
        prediction="value",
        experiment=EXP,
        tolerance="5%",
        tolerance_reason="test",
    )
    base.update(kw)
    return Claim(**base)


register(_common(id="fake.holds", check=_per_seed(1.0, 0.05)))
register(_common(id="fake.fails", check=_per_seed(10.0, 0.05)))
register(_common(id="fake.recorded", check=_per_seed(10.0, 0.05), expect="not-reproducing"))
register(
    _common(
        id="fake.slow", check=_per_seed(1.0, 0.05), overrides={"sleep": 30.0}, profiles=("quick",)
    )
)
