"""``run(config) -> dict``: train and measure every cell of a tiny-graphs config, resume from
``config.out``, and write results, figures and ``summary.md`` there."""

from __future__ import annotations

import time
from pathlib import Path

import torch

from empirical.experiments.tiny_graphs.aggregate import aggregate
from empirical.experiments.tiny_graphs.config import KNOBS, NAME, TinyGraphsConfig, eval_steps
from empirical.experiments.tiny_graphs.config import recipe as make_recipe
from empirical.experiments.tiny_graphs.metrics import graph_info
from empirical.experiments.tiny_graphs.store import (
    Store,
    array_name,
    fingerprint,
    flat,
    key,
    stored_rows,
)
from empirical.experiments.tiny_graphs.train import (
    knob_cell,
    node2vec_check,
    train_assoc_fast,
    train_cell,
    train_knob,
)
from empirical.running.results import atomic_write_text, record


def cell_config(config: TinyGraphsConfig, spec: str, model: str, self_edges: bool, graph) -> dict:
    """The settings of one (graph, model, self-edges) cell: recipe, step budget, eval steps."""
    rec = make_recipe(model, graph, config.large_irregular, config.width)
    steps = max(10, int(round(rec["steps"] * config.step_scale)))
    if config.max_steps is not None:
        steps = min(steps, config.max_steps)
    return {
        "graph": spec,
        "graph_edges": graph.edges.tolist(),
        "model": model,
        "self_edges": bool(self_edges),
        "direction": "both",
        "recipe": rec,
        "steps": steps,
        "eval_steps": eval_steps(steps, config.eval_points),
    }


def run(config: TinyGraphsConfig) -> dict:
    """Train and measure every (graph, model, self-edges, seed) of ``config``; aggregate.

    Returns ``{"records": [flat per-run records], "node2vec_check": [...], "knobs": [...],
    "assoc_fast": [...], "contrast": [...], "claims": {block: aggregated rows}, "wall_time",
    "timing", "arrays", "config"}``; ``result["arrays"]`` maps ``(graph, model, self_edges,
    seed)`` to the final ``(E, Z)`` (not serialized). With ``config.out`` every finished record
    is appended to ``out/results.jsonl`` at once, records already there (same key and
    settings) are reused instead of retrained, and figures (``config.figures``) and
    ``summary.md`` are written at the end.
    """
    if not isinstance(config, TinyGraphsConfig):
        raise ValueError(f"config must be a TinyGraphsConfig, got {type(config).__name__}")
    from threadpoolctl import threadpool_limits

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny models: intra-op threads only add contention
    try:
        with threadpool_limits(limits=1, user_api="blas"):  # likewise numpy's BLAS (metrics)
            result = _run(config)
    finally:
        torch.set_num_threads(threads)
    if config.out is not None:
        result["figures"] = write_outputs(result, config.out, figures=config.figures)
    return result


def _grid_records(config, store, infos, timing, spec, model, se, seeds, arrays) -> list[dict]:
    """The flat records of one cell for ``seeds``, training the seeds the store lacks."""
    info = infos[spec]
    cell = cell_config(config, spec, model, se, info.graph)
    fp = fingerprint(cell)
    keys = {s: key("run", spec, model, se, s, fp) for s in seeds}
    todo = [s for s in seeds if store.get(keys[s]) is None]
    if todo:
        t1 = time.perf_counter()
        for res in train_cell(info, cell, todo, config.device, config.progress):
            s = res["seed"]
            row = record(
                NAME,
                cell,
                res["final"],
                seed=s,
                wall_time=res["seconds"],
                kind="run",
                key=keys[s],
                graph=spec,
                model=model,
                self_edges=bool(se),
                history=res["history"],
            )
            store.add(row, {"E": res["E"], "Z": res["Z"]}, array_name(spec, model, se, s))
            arrays[(spec, model, bool(se), s)] = (res["E"], res["Z"])
        timing["train_s"] += time.perf_counter() - t1
        timing["trained_cells"] += 1
    out = []
    for s in seeds:
        out.append(flat(store.get(keys[s])))
        if (spec, model, bool(se), s) not in arrays:
            a = store.arrays(array_name(spec, model, se, s))
            if a is not None:
                arrays[(spec, model, bool(se), s)] = (a["E"], a["Z"])
    return out


def _run(config: TinyGraphsConfig) -> dict:
    t0, cpu0 = time.perf_counter(), time.process_time()
    store = Store(config.out)
    seeds = [config.seed + i for i in range(config.seeds)]
    infos = {spec: graph_info(spec) for spec in config.graphs}
    records, arrays, timing = [], {}, {"trained_cells": 0, "train_s": 0.0}
    cseeds = [config.seed + i for i in range(config.contrast_seeds)]
    for spec in config.graphs:
        for se in config.self_edges:
            for model in config.models:
                if model in ("one-layer", "one-layer-frozen") and len(cseeds) > len(seeds):
                    # the contrast's seeds (a superset) in the same batched run: one model
                    # axis of 10 instead of a run of 3 and one of 7 (the same records)
                    _grid_records(config, store, infos, timing, spec, model, se, cseeds, arrays)
                    for s in cseeds[len(seeds) :]:
                        arrays.pop((spec, model, bool(se), s), None)
                records += _grid_records(
                    config, store, infos, timing, spec, model, se, seeds, arrays
                )

    contrast = []
    if config.contrast_seeds:
        for spec in config.graphs:
            for se in config.self_edges:
                for model in ("one-layer", "one-layer-frozen"):
                    if model in config.models:
                        contrast += _grid_records(
                            config, store, infos, timing, spec, model, se, cseeds, {}
                        )

    checks = []
    if config.check_steps:
        for spec in config.graphs:
            s = seeds[0]
            cfg = {
                "graph": spec,
                "seed": s,
                "steps": config.check_steps,
                "dim": config.check_dim,
                "lr": 0.01,
            }
            k = key("node2vec_check", spec, s, fingerprint(cfg))
            if store.get(k) is None:
                res = node2vec_check(spec, s, config.check_steps, config.check_dim)
                store.add(
                    record(
                        NAME,
                        cfg,
                        res,
                        seed=s,
                        wall_time=res["seconds"],
                        kind="node2vec_check",
                        key=k,
                    )
                )
            checks.append(store.get(k)["metrics"])

    fast = []
    if config.assoc_fast_steps:
        for spec in config.graphs:
            cell = {
                "graph": spec,
                "model": "one-layer-frozen",
                "d_model": 512,
                "lr": 0.1,
                "steps": config.assoc_fast_steps,
                "self_edges": False,
            }
            fp = fingerprint(cell)
            keys = {s: key("assoc_fast", spec, s, fp) for s in seeds}
            rows = stored_rows(
                store,
                timing,
                cell,
                keys,
                lambda todo, spec=spec, cell=cell: train_assoc_fast(
                    infos[spec], cell, todo, config.device
                ),
                "assoc_fast",
                graph=spec,
            )
            for s, row in zip(seeds, rows, strict=True):
                fast.append({"graph": spec, "seed": s, **row["metrics"], "history": row["history"]})

    knobs = []
    if config.knob_seeds:
        knob_seeds = [config.seed + i for i in range(config.knob_seeds)]
        info = infos.get("cycle:15") or graph_info("cycle:15")
        chosen = config.knob_settings
        for setting in [k for k in KNOBS if chosen is None or k[0] in chosen]:
            cell = knob_cell(config, setting)
            fp = fingerprint(cell)
            keys = {s: key("knob", setting[0], s, fp) for s in knob_seeds}
            rows = stored_rows(
                store,
                timing,
                cell,
                keys,
                lambda todo, cell=cell: train_knob(
                    info, cell, todo, config.device, config.progress
                ),
                "knob",
                setting=setting[0],
            )
            for s, row in zip(knob_seeds, rows, strict=True):
                knobs.append(
                    {"setting": setting[0], "seed": s, **row["metrics"], "config": row["config"]}
                )

    return {
        "records": records,
        "node2vec_check": checks,
        "knobs": knobs,
        "assoc_fast": fast,
        "contrast": contrast,
        "claims": aggregate(records, checks, knobs, fast, contrast),
        "wall_time": time.perf_counter() - t0,
        "timing": {
            **timing,
            # run records of an earlier run read back (not those this run trained and re-read)
            "reused_records": store.reused("run"),
            "cpu_s": time.process_time() - cpu0,
            # training wall time of every row used, reused ones included (as first measured)
            "all_rows_train_s": float(
                sum(store.rows[k].get("wall_time") or 0.0 for k in store.used)
            ),
        },
        "arrays": arrays,
        "config": config,
    }


def write_outputs(result: dict, out, command: str | None = None, figures: bool = True) -> list:
    """Figures (PNG) and ``summary.md`` in ``out`` (``results.jsonl`` is written by run);
    returns the figure file names."""
    from empirical.experiments.tiny_graphs.report import summary_markdown

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = []
    if figures and result["records"]:
        from empirical.experiments.tiny_graphs.figures import write_figures

        names = write_figures(result, out)
    atomic_write_text(out / "summary.md", summary_markdown(result, command, names))
    return names
