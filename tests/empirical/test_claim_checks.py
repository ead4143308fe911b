"""Every claim's check passes on its passing case and fails on its failing case; every claim
that is judged by a numeric tolerance has cases; the set recorded as not reproducing is pinned."""

import importlib
import pkgutil

import pytest

from empirical.validate import claims as C
from tests.empirical import claim_cases

# The exact set recorded as not reproducing, with its category: flipping one is a visible change.
EXPECTED_NOT_REPRODUCING = {
    "cap.trained-linear-statphys": "regime",
    "counting.bos-bias-predicts-new-region-counts": "budget",
    "counting.causal-near-100": "budget",
    "counting.encoder-computes-region": "budget",
    "counting.noncausal-fails": "budget",
    "distr.bayes-floor": "budget",
    "distr.truncation-rho-0.1": "unconfirmed",
    "distr.truncation-rho-0.2": "unconfirmed",
    "geom.eigen-early-order": "refuted",
    "geom.eigen-learned-order": "refuted",
    "geom.node2vec-numerical-rank": "refuted",
    "geom.node2vec-rank-collapse": "refuted",
    "imbalance.memory-gaussian-adam-all-groups": "refuted",
    "imbalance.memory-gaussian-sign-all-groups": "refuted",
    "mpp.interference-closes": "refuted",
    "numbers.token-embeddings-ordered": "budget",
    "pathstar.incontext-chance": "budget",
    "pathstar.pauses-converge-faster": "refuted",
    "recall.tradeoff-capacity-fit": "refuted",
    "recall.tradeoff-either-suffices": "refuted",
    "scaling.power-T-exponent-asymptotic": "regime",
    "scaling_trained.sgd-scheme-agrees": "refuted",
    "scaling_trained.sgd-scheme-misses": "refuted",
    "tiny.assoc-before-geometry": "refuted",
    "tiny.knobs-move-geometry": "refuted",
}


def _registered():
    return {c.id: c for c in C.all_claims() if not c.id.startswith("fake.")}


def _cases():
    out = {}
    for info in pkgutil.iter_modules(claim_cases.__path__):
        mod = importlib.import_module(f"{claim_cases.__name__}.{info.name}")
        for cid, case in mod.CASES.items():
            assert cid not in out, f"{cid} has cases in two modules"
            out[cid] = case
    return out


CASES = _cases()


# Quick-profile budget shortfalls that the paper profile settles (there they are expected to hold).
SETTLED_BY_PAPER_PROFILE = set()


@pytest.mark.parametrize("profile", ["quick", "paper"])
def test_recorded_non_reproductions_are_pinned(profile):
    got = {
        cid: c.recorded(profile).category.value
        for cid, c in _registered().items()
        if c.recorded(profile) is not None
    }
    expected = dict(EXPECTED_NOT_REPRODUCING)
    if profile != "quick":
        expected = {k: v for k, v in expected.items() if k not in SETTLED_BY_PAPER_PROFILE}
    assert got == expected


def test_profile_specific_records_are_budget_shortfalls():
    """Only a budget shortfall can depend on the profile; any other finding is the claim's."""
    for cid, c in _registered().items():
        nr = c.not_reproducing
        if nr is not None and nr.profiles is not None:
            assert nr.category.value == "budget", cid


def test_every_claim_has_cases():
    judged = set(_registered())
    assert sorted(judged - set(CASES)) == []
    assert sorted(set(CASES) - set(_registered())) == []


@pytest.mark.parametrize("cid", sorted(CASES))
def test_check_passes_and_fails(cid):
    claim = _registered()[cid]
    good, bad = CASES[cid]
    rows = claim.judge(good)
    assert rows and all(r.holds for r in rows), [(r.measurement, r.margin_text) for r in rows]
    assert all(r.margin is None or r.margin >= 0 for r in rows)
    rows = claim.judge(bad)
    assert rows and not all(r.holds for r in rows), [(r.measurement, r.margin_text) for r in rows]
