"""What the capacity experiment measures: does a memory store N facts, the largest such N (by
exponential search then bisection), and the fitted constants of ``d^2 = c N ln N`` and
``m d = c N`` (Nichani, Lee & Bietti 2024, arXiv 2412.06538, Sec. 4).

The predicates build their memories with ``empirical.models.memories.assoc_memory`` (the trained
ones import torch when called, not at import).
"""

from __future__ import annotations

import math

import numpy as np

from empirical.models.memories import assoc_memory as am
from empirical.tasks import associative as tasks
from memtheory.checks import as_float, as_int


def largest_true(predicate, start: int, lo: int = 1, hi: int | None = None, rel_tol=0.0, grow=2.0):
    """Largest integer ``n`` in ``[lo, hi]`` with ``predicate(n)`` true, for a predicate that is
    true below a boundary and false above it.

    Exponential search from ``start`` (multiply or divide by ``grow``) brackets the boundary,
    then bisection narrows it until ``hi - lo <= max(1, rel_tol * lo)``; returns the largest
    ``n`` known true (``lo - 1`` when ``predicate(lo)`` is false, ``hi`` when it is true at
    ``hi``). Each ``n`` is evaluated at most once. Returns ``(n, evaluations)`` with
    ``evaluations`` a dict ``n -> bool``.
    """
    lo = as_int("lo", lo, 0)
    hi = None if hi is None else as_int("hi", hi, lo)
    grow = as_float("grow", grow, 1.0, None, low_open=True)
    rel_tol = as_float("rel_tol", rel_tol, 0.0, 1.0, high_open=True)
    start = max(as_int("start", start, 0), lo)
    if hi is not None:
        start = min(start, hi)
    seen: dict[int, bool] = {}

    def ask(n):
        if n not in seen:
            seen[n] = bool(predicate(n))
        return seen[n]

    good, bad = None, None  # largest known true, smallest known false
    n = start
    if ask(n):
        good = n
        while bad is None:
            if hi is not None and good >= hi:
                return good, seen
            n = max(good + 1, int(math.ceil(good * grow)))
            if hi is not None:
                n = min(n, hi)
            if ask(n):
                good = n
            else:
                bad = n
    else:
        bad = n
        while good is None:
            if bad <= lo:
                return lo - 1, seen
            n = max(lo, min(bad - 1, int(math.floor(bad / grow))))
            if ask(n):
                good = n
            else:
                bad = n
    while bad - good > max(1, rel_tol * good):
        mid = (good + bad) // 2
        if ask(mid):
            good = mid
        else:
            bad = mid
    return good, seen


def _seed(seed: int, d: int, what: int) -> list[int]:
    return [int(seed), int(d), int(what)]


def _accuracy_ok(mask: np.ndarray, threshold: float) -> bool:
    return bool(mask.mean() >= threshold)


def outer_product_stores(n: int, d: int, seed: int, threshold=1.0, embeddings="sphere") -> bool:
    """Does the outer-product memory of ``n`` facts ``x -> x`` reach ``threshold`` accuracy?"""
    E = am.make_embeddings(embeddings, n, d, _seed(seed, d, 0))
    U = am.make_embeddings(embeddings, n, d, _seed(seed, d, 1))
    return _accuracy_ok(am.outer_product_recall(E, U, tasks.identity_facts(n)), threshold)


def trained_linear_stores(
    n, d, seed, train: am.TrainConfig, threshold=1.0, embeddings="sphere", device="cpu"
) -> bool:
    """Does a trained linear memory of ``n`` facts ``x -> x`` reach ``threshold`` accuracy?"""
    E = am.make_embeddings(embeddings, n, d, _seed(seed, d, 0))
    U = am.make_embeddings(embeddings, n, d, _seed(seed, d, 1))
    y = tasks.identity_facts(n)
    W, _ = am.train_linear_memory(E, U, y, train, device=device)
    return _accuracy_ok(am.linear_recall(W, E, U, y), threshold)


def mlp_stores(
    n, d, m, answers, seed, train: am.TrainConfig, threshold=1.0, embeddings="sphere", device="cpu"
) -> bool:
    """Does an MLP memory of width ``m`` store ``n`` facts ``x -> floor(x M / n)``?"""
    E = am.make_embeddings(embeddings, n, d, _seed(seed, d, 0))
    U = am.make_embeddings(embeddings, answers, d, _seed(seed, d, 1))
    y = tasks.block_facts(n, answers)
    params, _ = am.train_mlp_memory(
        E, U, y, m, train, seed=_seed(seed, d, 2)[0] * 7919 + m, device=device
    )
    return _accuracy_ok(am.correct_mask(am.mlp_features(params, E), U, y), threshold)


def fit_through_origin(x, y) -> float:
    """Least-squares ``c`` of ``y = c x`` (no intercept): ``sum(x y) / sum(x^2)``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.dot(x, y) / np.dot(x, x))


def linear_constant(dims, facts) -> float:
    """Fitted ``c`` of ``d^2 = c N ln N`` over paired (d, N) points."""
    facts = np.asarray(facts, dtype=np.float64)
    return fit_through_origin(facts * np.log(facts), np.asarray(dims, dtype=np.float64) ** 2)


def verdict(measured: float, predicted: float, tol: float) -> dict:
    """``measured`` against ``predicted`` with relative tolerance ``tol``: the relative error
    ``measured / predicted - 1`` and whether ``|relative error| <= tol``."""
    rel = measured / predicted - 1.0
    return {
        "measured": measured,
        "predicted": predicted,
        "relative_error": rel,
        "tolerance": tol,
        "reproduces": bool(abs(rel) <= tol),
    }
