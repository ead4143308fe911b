"""Seed-aggregated measurements of a tiny-graphs run, one block per claim: the rows the claims
of :mod:`empirical.experiments.tiny_graphs.claims` judge and the summary prints. Nothing here
decides a verdict; the thresholds live once, in the claims' tolerances.
"""

from __future__ import annotations

import math

import numpy as np

from empirical.experiments.tiny_graphs.config import (
    KNOB_CONTRASTS,
    KNOBS,
    MODELS,
    PAPER_SKEWED_TOP1,
    TRAINED,
    graph_kind,
)
from empirical.experiments.tiny_graphs.metrics import peak, steps_to_peak_geometry
from empirical.validate.claims import Spread


def spread(values) -> dict:
    """``{"mean", "std", "min", "max", "n"}`` of the finite values
    (``empirical.validate.claims.Spread``: sample standard deviation, ``ddof = 1``; ``std`` 0
    for one value, all ``nan`` for none)."""
    vals = [float(v) for v in values if v is not None and np.isfinite(v)]
    if not vals:
        nan = float("nan")
        return {"mean": nan, "std": nan, "min": nan, "max": nan, "n": 0}
    s = Spread.of(vals)
    std = s.sd if s.n > 1 else 0.0
    return {"mean": s.mean, "std": std, "min": min(vals), "max": max(vals), "n": s.n}


def difference(a: dict, b: dict) -> dict:
    r"""Difference of two seed means and its standard error
    :math:`\sqrt{s_a^2/n_a + s_b^2/n_b}` (Welch), from two :func:`spread` dicts."""
    se = math.sqrt(a["std"] ** 2 / a["n"] + b["std"] ** 2 / b["n"])
    return {"difference": a["mean"] - b["mean"], "se": se}


def by(records, **match):
    return [r for r in records if all(r[k] == v for k, v in match.items())]


def at_paper_sizes(record) -> bool:
    """Whether a record's model has the paper's tiny-graph sizes for memorization (App. B.2.2):
    on the irregular graph the frozen sequence-model controls need 3 layers ("fewer layers did
    not reach perfect edge memorization with frozen embeddings"); every other cell does."""
    if record["model"] not in ("transformer-frozen", "mamba-frozen"):
        return True
    if graph_kind(_graph(record)) != "irregular":
        return True
    return record["config"]["recipe"]["overrides"].get("n_layer", 1) >= 3


def _reached(record) -> float:
    """The best logged top-deg recovery of a record (its final value without a history)."""
    hist = record.get("history") or [record]
    return float(max(h["topk_recovery"] for h in hist))


def memorization(records) -> dict:
    """Per (graph, model, self-edges) cell the smallest over seeds of the best logged top-deg
    recovery (the paper trains "until 100% edge memorization", App. B.2.2, so a seed counts as
    memorized once it reaches 1), the smallest final recovery (fixed budgets overshoot: a late
    loss spike can undo it) and whether the cell has the paper's sizes
    (:func:`at_paper_sizes`)."""
    cells = []
    for key in dict.fromkeys((r["graph"], r["model"], r["self_edges"]) for r in records):
        rs = by(records, graph=key[0], model=key[1], self_edges=key[2])
        low = min(rs, key=lambda r: _reached(r))
        cells.append(
            {
                "graph": key[0],
                "model": key[1],
                "self_edges": key[2],
                "min_recovery": _reached(low),
                "min_final_recovery": float(min(r["topk_recovery"] for r in rs)),
                "worst_seed": low["seed"],
                "seeds": len(rs),
                "paper_sizes": at_paper_sizes(rs[0]),
            }
        )
    models = [m for m in MODELS if any(r["model"] == m for r in records)]
    per_model = {m: spread([r["topk_recovery"] for r in by(records, model=m)]) for m in models}
    return {"cells": cells, "per_model": per_model}


def geometry_vs_frozen(records) -> dict:
    """Per (graph, self-edges): seed-mean spectral energy of every model, each trained family
    minus its frozen control, and Node2Vec minus the largest other model."""
    rows = []
    models = [m for m in MODELS if any(r["model"] == m for r in records)]
    for g in dict.fromkeys(r["graph"] for r in records):
        for se in sorted({r["self_edges"] for r in records}):
            means = {}
            for m in models:
                vals = [r["spectral_energy"] for r in by(records, graph=g, model=m, self_edges=se)]
                if vals:
                    means[m] = spread(vals)
            if not means:
                continue
            gaps = {
                fam: means[fam]["mean"] - means[f"{fam}-frozen"]["mean"]
                for fam in TRAINED
                if fam in means and f"{fam}-frozen" in means
            }
            others = [means[m]["mean"] for m in means if m != "node2vec"]
            rows.append(
                {
                    "graph": g,
                    "self_edges": se,
                    "means": means,
                    "trained_minus_frozen": gaps,
                    "node2vec_minus_next": means["node2vec"]["mean"] - max(others)
                    if "node2vec" in means and others
                    else None,
                    "largest": max(means, key=lambda m: means[m]["mean"]),
                }
            )
    return {"cells": rows}


def self_edges_zigzag(records) -> dict:
    """Per graph: the 1-layer net's zigzag energy without and with self-edges and the ratio of
    the seed means."""
    rows = []
    for g in dict.fromkeys(r["graph"] for r in records):
        a = [r["zigzag_energy"] for r in by(records, graph=g, model="one-layer", self_edges=False)]
        b = [r["zigzag_energy"] for r in by(records, graph=g, model="one-layer", self_edges=True)]
        if a and b:
            sa, sb = spread(a), spread(b)
            rows.append(
                {
                    "graph": g,
                    "without": sa,
                    "with": sb,
                    "ratio": sb["mean"] / sa["mean"] if sa["mean"] > 0 else float("inf"),
                    "isotropic_baseline": by(records, graph=g, model="one-layer")[0][
                        "zigzag_baseline"
                    ],
                }
            )
    return {"per_graph": rows}


def assoc_before_geometry(records, fast) -> dict:
    """Timescales without self-edges. Per model: steps to 100% recovery, steps to 90% of the
    final and of the *peak* spectral-energy gain, the peak and when. Per graph: the released
    associative-fast control's steps to 100% recovery. Per trained family: the geometric mean
    over graphs and seeds of (steps to 90% of the peak gain) / (the associative-fast control's
    steps to memorize, same graph and seed), the delay the claim reads."""
    fast_steps = {(f["graph"], f["seed"]): f["steps_to_memorize"] for f in fast}
    per_model = []
    for m in [m for m in MODELS if any(r["model"] == m for r in records)]:
        rs = by(records, model=m, self_edges=False)
        if not rs:
            continue
        logr = []
        for r in rs:
            tg = steps_to_peak_geometry(r["history"])
            tf = fast_steps.get((r["graph"], r["seed"]))
            if tg is not None and tf is not None:
                logr.append(math.log10(max(tg, 1) / max(tf, 1)))
        per_model.append(
            {
                "model": m,
                "records": len(rs),
                "steps_to_memorize": spread([r["steps_to_memorize"] for r in rs]),
                "steps_to_geometry": spread([r["steps_to_geometry"] for r in rs]),
                "steps_to_peak_geometry": spread(
                    [steps_to_peak_geometry(r["history"]) for r in rs]
                ),
                "peak_spectral_energy": spread([peak(r)[1] for r in rs]),
                "peak_step": spread([peak(r)[0] for r in rs]),
                "final_spectral_energy": spread([r["spectral_energy"] for r in rs]),
                "delay_ratio": 10 ** float(np.mean(logr)) if logr else None,
                "delay_pairs": len(logr),
            }
        )
    fast_rows = []
    for g in dict.fromkeys(f["graph"] for f in fast):
        fs = [f for f in fast if f["graph"] == g]
        fast_rows.append(
            {
                "graph": g,
                "steps_to_memorize": spread([f["steps_to_memorize"] for f in fs]),
                "max_steps_to_memorize": max(
                    (f["steps_to_memorize"] for f in fs if f["steps_to_memorize"] is not None),
                    default=None,
                ),
                "never_memorized": sum(f["steps_to_memorize"] is None for f in fs),
                "steps": max(len(f["history"]) - 1 for f in fs),
            }
        )
    return {"per_model": per_model, "associative_fast": fast_rows}


def knob_table(knobs) -> dict:
    """Per knob setting the seed spread of skewed top-1, margin and recovery beside the paper's
    single run; per knob contrast (:data:`KNOB_CONTRASTS`) the difference of seed means, its
    standard error and the smallest recovery of the two settings."""
    rows = {}
    for setting in KNOBS:
        rs = [k for k in knobs if k["setting"] == setting[0]]
        if rs:
            rows[setting[0]] = {
                "setting": setting[0],
                "lr": setting[1],
                "weight_decay": setting[2],
                "dropout": setting[3],
                "init": setting[4],
                "self_edges": setting[5],
                "skewed_top1": spread([k["skewed_top1"] for k in rs]),
                "skewed_margin": spread([k["skewed_margin"] for k in rs]),
                "topk_recovery": spread([k["topk_recovery"] for k in rs]),
                "paper_skewed_top1": setting[6],
                "paper_skewed_margin": setting[7],
            }
    paper = {s[0]: s[6] for s in KNOBS}
    contrasts = []
    for knob, turned, base, sign in KNOB_CONTRASTS:
        if turned in rows and base in rows:
            a, b = rows[turned], rows[base]
            contrasts.append(
                {
                    "knob": knob,
                    "setting": turned,
                    "reference": base,
                    "direction": sign,
                    **difference(a["skewed_top1"], b["skewed_top1"]),
                    "paper_difference": paper[turned] - paper[base],
                    "min_recovery": min(a["topk_recovery"]["min"], b["topk_recovery"]["min"]),
                }
            )
    return {"settings": list(rows.values()), "contrasts": contrasts}


def net_vs_frozen(records) -> dict:
    """Per (graph, self-edges) with a released value (notes §10.3): skewed top-1 of the 1-layer
    net and of its frozen-E control, their difference with its standard error, the control's
    smallest best-logged recovery (a control counts only if it memorized) and the released
    single runs."""
    rows = []
    for g in dict.fromkeys(r["graph"] for r in records):
        rs = by(records, graph=g)
        kind = graph_kind(_graph(rs[0]))
        if kind not in PAPER_SKEWED_TOP1:
            continue
        released = PAPER_SKEWED_TOP1[kind]
        for se in sorted({r["self_edges"] for r in rs}):
            net = by(rs, model="one-layer", self_edges=se)
            frozen = by(rs, model="one-layer-frozen", self_edges=se)
            if not net or not frozen:
                continue
            a = spread([r["skewed_top1"] for r in net])
            b = spread([r["skewed_top1"] for r in frozen])
            rows.append(
                {
                    "graph": g,
                    "self_edges": se,
                    "net": a,
                    "frozen": b,
                    **difference(a, b),
                    "net_min_recovery": min(_reached(r) for r in net),
                    "frozen_min_recovery": min(_reached(r) for r in frozen),
                    "released_net": released[2 if se else 0],
                    "released_frozen": released[3 if se else 1],
                }
            )
    return {"cells": rows}


def _graph(record):
    from memtheory.graphs import parse_graph

    return parse_graph(record["graph"])


def aggregate(records, checks, knobs, fast=(), contrast=()) -> dict:
    """Every block, keyed like the claims of the package docstring. ``contrast``: the records of
    the 1-layer net and its frozen control with the contrast's seeds (the main records when
    empty)."""
    return {
        "memorize": memorization(records),
        "geometry-vs-frozen": geometry_vs_frozen(records),
        "node2vec-exact": {
            "per_graph": [
                {k: c[k] for k in ("graph", "seed", "steps", "max_deviation")} for c in checks
            ]
        },
        "self-edges-zigzag": self_edges_zigzag(records),
        "assoc-before-geometry": assoc_before_geometry(records, list(fast)),
        "knobs": knob_table(knobs),
        "net-vs-frozen": net_vs_frozen(list(contrast) or records),
    }
