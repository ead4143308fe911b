"""Claims of the tiny-graph experiments, judged on ``run(config)``'s aggregated blocks
(``result["claims"]``, :mod:`empirical.experiments.tiny_graphs.aggregate`)."""

from __future__ import annotations

from empirical.experiments.tiny_graphs.config import (
    EXACT_RTOL,
    FAST_STEPS,
    GEOMETRY_DELAY,
    TRAINED,
    ZIGZAG_RATIO,
)
from empirical.validate.claims import (
    AllOf,
    AtLeast,
    AtMost,
    Claim,
    Kind,
    Measured,
    NotReproducing,
    register,
)

GEOM = "Noroozizadeh, Nagarajan, Rosenfeld & Kumar 2025 (arXiv 2510.26745)"
SIGNIFICANCE = 2.0  # a difference of seed means counts when it exceeds 2 standard errors


def _block(result, key):
    return result["claims"][key]


def _se(x: bool) -> str:
    return "+self" if x else ""


def _memorize(result):
    cells = _block(result, "memorize")["cells"]
    below = [c for c in cells if not c["paper_sizes"]]
    note = (
        "; below the paper's sizes, not judged (App. B.2.2: 1-layer frozen sequence controls do "
        "not memorize the irregular graph): "
        + ", ".join(
            f"{c['graph']}{_se(c['self_edges'])} {c['model']} {c['min_recovery']:.3g}"
            for c in below
        )
        if below
        else ""
    )
    return [
        Measured(
            c["min_recovery"],
            predicted=1.0,
            seed=c["worst_seed"],
            label=f"{c['graph']}{_se(c['self_edges'])} {c['model']}",
            detail=f"smallest best-logged recovery of {c['seeds']} seeds; smallest final "
            f"{c['min_final_recovery']:.3g}" + (note if i == 0 else ""),
        )
        for i, c in enumerate(c for c in cells if c["paper_sizes"])
    ]


def _geometry(result):
    rows = []
    for c in _block(result, "geometry-vs-frozen")["cells"]:
        gaps = c["trained_minus_frozen"]
        if set(gaps) != set(TRAINED) or c["node2vec_minus_next"] is None:
            raise RuntimeError(f"{c['graph']}: needs every trained model, its control and node2vec")
        rows.append(
            Measured(
                {
                    **{f"{f} - frozen": gaps[f] for f in TRAINED},
                    "node2vec - next": c["node2vec_minus_next"],
                },
                label=f"{c['graph']}{_se(c['self_edges'])}",
                detail="seed-mean spectral energy: "
                + ", ".join(f"{m} {s['mean']:.3f}" for m, s in c["means"].items()),
                figure="embeddings_self_edges.png" if c["self_edges"] else "embeddings.png",
            )
        )
    return rows


def _exact(result):
    return [
        Measured(
            c["max_deviation"],
            predicted=0.0,
            seed=c["seed"],
            label=c["graph"],
            detail=f"{c['steps']} steps",
        )
        for c in _block(result, "node2vec-exact")["per_graph"]
    ]


def _zigzag(result):
    return [
        Measured(
            c["ratio"],
            label=c["graph"],
            detail=f"zigzag energy {c['without']['mean']:.3f} without, {c['with']['mean']:.3f} "
            f"with self-edges (isotropic {c['isotropic_baseline']:.3f})",
            figure="embeddings_self_edges.png",
        )
        for c in _block(result, "self-edges-zigzag")["per_graph"]
    ]


def _assoc(result):
    block = _block(result, "assoc-before-geometry")
    fast = block["associative_fast"]
    if not fast:
        raise RuntimeError("the associative-fast control did not run (assoc_fast_steps = 0)")
    # never memorized within its budget: one step past it, so the AtMost part fails
    worst = max(
        (f["max_steps_to_memorize"] if not f["never_memorized"] else f["steps"] + 1) for f in fast
    )
    rows = []
    for m in block["per_model"]:
        if m["model"] not in TRAINED:
            continue
        ratio = m["delay_ratio"] if m["delay_ratio"] is not None else 0.0
        rows.append(
            Measured(
                {"delay ratio": ratio, "control steps to memorize": worst},
                label=m["model"],
                detail=f"steps to 90% of the peak spectral-energy gain "
                f"{m['steps_to_peak_geometry']['mean']:.3g} (peak "
                f"{m['peak_spectral_energy']['mean']:.3f} at step {m['peak_step']['mean']:.3g}); "
                f"steps to memorize {m['steps_to_memorize']['mean']:.3g}; "
                f"{m['delay_pairs']} of {m['records']} records timed",
                figure="curves_cycle_15.png",
            )
        )
    return rows


def _significant(c) -> float:
    """Expected-direction difference of seed means minus ``SIGNIFICANCE`` standard errors."""
    return c["direction"] * c["difference"] - SIGNIFICANCE * c["se"]


def _knobs(result):
    contrasts = _block(result, "knobs")["contrasts"]
    if not contrasts:
        raise RuntimeError("the knob table did not run (knob_seeds = 0)")
    return [
        Measured(
            {"difference - 2 SE": _significant(c), "recovery": c["min_recovery"]},
            predicted={"difference - 2 SE": c["direction"] * c["paper_difference"]},
            label=c["knob"],
            detail=f"skewed top-1 {c['setting']} minus {c['reference']}: "
            f"{c['difference']:+.3f} ± {c['se']:.3f} (SE); paper {c['paper_difference']:+.3f}",
            figure="knobs.png",
        )
        for c in contrasts
    ]


def _net_vs_frozen(result):
    return [
        Measured(
            {
                "difference - 2 SE": c["difference"] - SIGNIFICANCE * c["se"],
                "control recovery": c["frozen_min_recovery"],
            },
            predicted={"difference - 2 SE": c["released_net"] - c["released_frozen"]},
            label=f"{c['graph']}{_se(c['self_edges'])}",
            detail=f"skewed top-1 net {c['net']['mean']:.3f} ± {c['net']['std']:.3f} vs frozen "
            f"{c['frozen']['mean']:.3f} ± {c['frozen']['std']:.3f} (sd, n = {c['net']['n']}); "
            f"released single runs {c['released_net']:.3f} vs {c['released_frozen']:.3f}",
        )
        for c in _block(result, "net-vs-frozen")["cells"]
    ]


CLAIMS: list[Claim] = []  # this topic's claims, in the order registered


def _claim(cid, paper, **kw):
    kw.setdefault("kind", Kind.PAPER)
    claim = register(Claim(id=cid, paper=f"{GEOM}, {paper}", experiment="tiny_graphs", **kw))
    CLAIMS.append(claim)
    return claim


_claim(
    "tiny.memorize-all",
    "Obs. 3a, App. B.2.2",
    statement="Every model memorizes every tiny graph (100% top-deg edge recovery), "
    "frozen-embedding controls included, at the paper's sizes (App. B.2.2: 3 layers, width 256 "
    "for the sequence models on the irregular graph).",
    prediction="top-deg recovery = 1 for every graph x model x self-edges x seed",
    check=_memorize,
    tolerance=AtLeast(1.0, quantity="smallest over seeds of the best logged top-deg recovery"),
    tolerance_reason="memorization is a yes/no criterion and the paper trains until it is "
    "reached (App. B.2.2); the final value is shown, since a fixed budget at a constant AdamW "
    "step can end after a loss spike",
)
_claim(
    "tiny.geometry-vs-frozen",
    "Obs. 3a and 5",
    statement="Trained-embedding models carry more spectral geometry than their frozen "
    "controls; Node2Vec carries the most.",
    prediction="energy in memtheory.spectral.node2vec_prediction: trained > frozen; node2vec "
    "largest",
    check=_geometry,
    tolerance=AllOf(
        parts={
            **{
                f"{f} - frozen": AtLeast(0.0, strict=True, quantity="spectral-energy gap")
                for f in TRAINED
            },
            "node2vec - next": AtLeast(0.0, strict=True, quantity="spectral-energy gap"),
        }
    ),
    tolerance_reason="an ordering claim: any inversion in any (graph, self-edges) cell "
    "falsifies it",
)
_claim(
    "tiny.node2vec-torch-exact",
    "Lemma 5",
    kind=Kind.DERIVATION,
    statement="Node2Vec trained in torch (float64) follows memtheory.spectral.node2vec_dynamics "
    "from the same V(0).",
    prediction="identical trajectories",
    check=_exact,
    tolerance=AtMost(EXACT_RTOL, strict=True, quantity="max relative deviation of V"),
    tolerance_reason="both sides are float64 implementations of the same map; only rounding "
    "may differ",
    symbolic_check="spectral.lemma5_gradient",
)
_claim(
    "tiny.self-edges-zigzag",
    "v2/v3 self-edges (author's post)",
    statement="Adding self-edges removes the zigzag geometry (energy on negative "
    "eigen-directions of D^-1A + (D^-1A)^T) of the 1-layer network.",
    prediction="zigzag energy falls with self-edges",
    check=_zigzag,
    tolerance=AtMost(ZIGZAG_RATIO, quantity="zigzag energy with / without self-edges"),
    tolerance_reason="an isotropic embedding keeps 0.4-0.6 of its energy there; halving it is "
    "well outside seed noise",
)
_claim(
    "tiny.assoc-before-geometry",
    "v2/v3 associative-fast notebook",
    statement="The associative solution appears within a few steps; the geometry takes far longer.",
    prediction="steps until the trained model's spectral energy makes 90% of its peak gain, "
    "over the steps the frozen associative-fast control needs to memorize, is >= "
    f"{GEOMETRY_DELAY:g}",
    check=_assoc,
    tolerance=AllOf(
        parts={
            "delay ratio": AtLeast(GEOMETRY_DELAY, quantity="geometric-mean delay ratio"),
            "control steps to memorize": AtMost(
                FAST_STEPS, quantity="associative-fast steps to memorize"
            ),
        }
    ),
    tolerance_reason="a timescale-separation claim: an order of magnitude; the control counts "
    f"only if it memorizes (within {FAST_STEPS} steps, the released notebook's budget)",
    not_reproducing=NotReproducing(
        "refuted",
        "measured at the released recipes (full budgets, no self-edges, 3 seeds, 60 log-spaced "
        "evaluations; benchmarks/tiny_graphs_checks.py assoc): the associative-fast control "
        "memorizes in 1 step on every graph and seed, but Mamba's spectral energy makes 90% of "
        "its peak gain after 6.75 ± 1.1 steps (5-9), a delay ratio of 6.7 < 10 (Transformer "
        "12.7, 1-layer net 25.2)",
    ),
)
_claim(
    "tiny.knobs-move-geometry",
    "v2/v3 regularizer notebook (notes §10.2 table)",
    statement="On the cycle, init scale, learning rate, weight decay and dropout move the "
    "1-layer net's skewed low-rank accuracy in the paper's direction while memorization stays "
    "at 100%.",
    prediction="each knob moves the seed-mean skewed top-1 in the direction of the paper's "
    "single run, by more than 2 standard errors, at recovery 1",
    check=_knobs,
    tolerance=AllOf(
        parts={
            "difference - 2 SE": AtLeast(
                0.0, strict=True, quantity="expected-direction difference minus 2 SE"
            ),
            "recovery": AtLeast(1.0, quantity="smallest top-deg recovery"),
        }
    ),
    tolerance_reason="a direction claim: the difference of seed means must exceed two standard "
    "errors (Welch) in the paper's direction, so seed noise alone rarely passes it",
    not_reproducing=NotReproducing(
        "refuted",
        "at the paper profile's knob setting (5 seeds, 10^4 AdamW steps, width 512; the notebook "
        "is one run): init -0.56 ± 0.06 (SE), weight decay +0.49 ± 0.07, dropout +0.51 ± 0.07 "
        "move the skewed top-1 in the paper's direction, but lr 1e-1 does not: -0.03 ± 0.17 "
        "against the paper's +0.40 (seeds 0.67, 0.00, 0.27, 0.87, 0.27; final loss 0.75 to "
        "303, one seed at recovery 0.87: Adam at lr 1e-1 does not settle). Quick (3 seeds, 2000 "
        "steps): lr 1e-1 +0.29 ± 0.23, also within 2 SE",
    ),
)
_claim(
    "tiny.net-above-frozen",
    "Obs. 3a; released tiny-graph notebooks (notes §10.3)",
    statement="The trained 1-layer net's skewed low-rank (geometric) top-1 accuracy is well "
    "above its frozen-embedding associative control's, on every tiny graph, with and without "
    "self-edges.",
    prediction="skewed top-1 net minus frozen control > 2 standard errors (released single "
    "runs: +0.38 to +0.87), with the control memorizing",
    check=_net_vs_frozen,
    tolerance=AllOf(
        parts={
            "difference - 2 SE": AtLeast(0.0, strict=True, quantity="net minus control minus 2 SE"),
            "control recovery": AtLeast(1.0, quantity="control's smallest top-deg recovery"),
        }
    ),
    tolerance_reason="the released values are single runs and the seed spread is large "
    "(path-star net 0.24-0.94 over 10 seeds), so the contrast is judged on seed means with a "
    "2-standard-error margin, not against the single-run numbers",
)
