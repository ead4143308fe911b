"""Investigations behind three tiny-graph claims (docs/experiments/tiny_graphs.md, "Checks at the
paper's setting"). Each prints one JSON line per measured cell; CPU, about minutes on an idle core.

    python benchmarks/tiny_graphs_checks.py pathstar [--seeds 10]
        tiny.net-above-frozen: skewed top-1 of the 1-layer net and its frozen-E control on
        path-star:4x5 against the released single runs (0.8235 / 0.1176), over seeds, budgets,
        widths and the vocabulary (with / without the 9 task tokens).
    python benchmarks/tiny_graphs_checks.py irregular OUT [--seeds 3]
        tiny.memorize-all at the paper's sizes (App. B.2.2): the frozen controls on the
        irregular graph with 3 layers, width 256 (Mamba expand 4), the released 2500 steps.
    python benchmarks/tiny_graphs_checks.py assoc OUT [--seeds 3]
        tiny.assoc-before-geometry at the released recipes: full budgets (no quick cap), no
        self-edges, 60 log-spaced evaluations, the associative-fast control.

OUT folders resume (rows already there are reused).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def _pathstar(seeds: int) -> None:
    from empirical.experiments.tiny_graphs import config as cfg
    from empirical.experiments.tiny_graphs import metrics as mt
    from empirical.experiments.tiny_graphs import train as tr

    spec = "path-star:4x5"
    info = mt.graph_info(spec)
    variants = [
        ("one-layer", "quick: 1000 steps", 1000, {}),
        ("one-layer", "released: 2000 steps", 2000, {}),
        ("one-layer", "2000 steps, node-only vocabulary", 2000, {"prefix": False}),
        ("one-layer", "10^4 steps", 10000, {}),
        ("one-layer", "width 16, 2000 steps", 2000, {"overrides": {"d_model": 16}}),
        ("one-layer", "width 64, 2000 steps", 2000, {"overrides": {"d_model": 64}}),
        ("one-layer-frozen", "quick: width 32, lr 0.2, 500 steps", 500, {}),
        (
            "one-layer-frozen",
            "width 17, node-only",
            500,
            {"prefix": False, "overrides": {"d_model": 17}},
        ),
        ("one-layer-frozen", "width 16, lr 1", 500, {"lr": 1.0, "overrides": {"d_model": 16}}),
        ("one-layer-frozen", "width 32, lr 10", 500, {"lr": 10.0}),
        ("one-layer-frozen", "width 32, lr 0.2, 2000 steps", 2000, {}),
    ]
    for model, label, steps, change in variants:
        rec = cfg.recipe(model, info.graph)
        rec["overrides"].update(change.get("overrides", {}))
        rec.update({k: v for k, v in change.items() if k != "overrides"})
        for se in (False, True):
            cell = {
                "graph": spec,
                "model": model,
                "self_edges": se,
                "recipe": rec,
                "steps": steps,
                "eval_steps": [0, steps],
            }
            t0 = time.process_time()
            final = [r["final"] for r in tr.train_cell(info, cell, list(range(seeds)))]
            top1 = np.array([f["skewed_top1"] for f in final])
            print(
                json.dumps(
                    {
                        "model": model,
                        "variant": label,
                        "self_edges": se,
                        "skewed_top1_mean": top1.mean(),
                        "skewed_top1_sd": top1.std(ddof=1),
                        "skewed_top1": top1.tolist(),
                        "skewed_margin_mean": float(np.mean([f["skewed_margin"] for f in final])),
                        "min_recovery": min(f["topk_recovery"] for f in final),
                        "cpu_s": time.process_time() - t0,
                    }
                ),
                flush=True,
            )


def _run(config) -> dict:
    from empirical.experiments.tiny_graphs.run import run

    t0 = time.perf_counter()
    result = run(config)
    print(json.dumps({"wall_s": time.perf_counter() - t0, "timing": result["timing"]}))
    return result


def _irregular(out: str, seeds: int) -> None:
    from empirical.experiments.tiny_graphs.config import TinyGraphsConfig

    config = TinyGraphsConfig(
        graphs=("irregular",),
        models=("transformer-frozen", "one-layer-frozen", "mamba-frozen"),
        seeds=seeds,
        large_irregular=True,
        max_steps=None,
        eval_points=40,
        check_steps=0,
        knob_seeds=0,
        assoc_fast_steps=0,
        figures=False,
        out=out,
    )
    for c in _run(config)["claims"]["memorize"]["cells"]:
        print(json.dumps(c))


def _assoc(out: str, seeds: int) -> None:
    from empirical.experiments.tiny_graphs.config import TinyGraphsConfig
    from empirical.experiments.tiny_graphs.report import judged

    config = TinyGraphsConfig(
        models=("transformer", "mamba", "one-layer"),
        self_edges=(False,),
        seeds=seeds,
        max_steps=None,
        eval_points=60,
        check_steps=0,
        knob_seeds=0,
        assoc_fast_steps=10,
        figures=False,
        out=out,
    )
    result = _run(config)
    block = result["claims"]["assoc-before-geometry"]
    for row in block["per_model"] + block["associative_fast"]:
        print(json.dumps(row))
    for j in judged(result):
        if j["claim"].id == "tiny.assoc-before-geometry":
            for r in j["rows"]:
                print(
                    json.dumps(
                        {
                            "row": r.label,
                            "measured": r.measurement,
                            "margin": r.margin_text,
                            "holds": r.holds,
                        }
                    )
                )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("pathstar", "irregular", "assoc"))
    parser.add_argument("out", nargs="?", default=None, help="output folder (irregular, assoc)")
    parser.add_argument("--seeds", type=int, default=None)
    args = parser.parse_args(argv)
    if args.what == "pathstar":
        _pathstar(args.seeds or 10)
    elif args.out is None:
        parser.error(f"{args.what} needs an output folder")
    else:
        (_irregular if args.what == "irregular" else _assoc)(args.out, args.seeds or 3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
