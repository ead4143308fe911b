"""Run the path-star experiment: train every planned run (in-weights recipes and the in-context
task), measure it, and collect the records. ``run(config)`` is pure apart from the files under
``config.out`` (results, checkpoints, figures, summary), from which it resumes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

from empirical.experiments.pathstar import store
from empirical.experiments.pathstar.config import (
    PathStarConfig,
    RunSpec,
    eval_schedule,
    eval_steps_of,
    plan_runs,
    steps_of,
)
from empirical.experiments.pathstar.figures import figure_runs, save_figures
from empirical.experiments.pathstar.metrics import (
    curve,
    geometry_summary,
    make_eval,
    measure_matmul_flops,
    param_flops_per_token,
    summarize,
)
from empirical.experiments.pathstar.report import (
    aggregate,
    format_table,
    summary_md,
    summary_text,
)
from empirical.measure.decoding import path_accuracy
from empirical.tasks.pathstar import (
    edge_examples,
    incontext_examples,
    make_pathstar,
    mix_examples,
    packed_edge_examples,
    path_examples,
)


def make_model(config: PathStarConfig, spec: RunSpec, vocab_size: int, max_len: int, seed: int):
    """The run's model (``build_model`` of the shared model zoo)."""
    from empirical.models import build_model

    name = config.model + ("-frozen" if spec.recipe == "frozen-embeddings" else "")
    if config.model == "transformer":
        sizes = dict(n_layer=config.n_layer, d_model=spec.d_model, n_head=config.n_head)
    else:
        sizes = dict(
            n_layer=config.n_layer,
            d_model=spec.d_model,
            d_state=config.d_state,
            expand=config.expand,
        )
    return build_model(name, vocab_size, max_len=max_len, seed=seed, **sizes)


def task_for(spec: RunSpec):
    """The path-star task of one run: graph, supervised target and edge direction of its recipe."""
    target = {"hardest-token": "first-token", "backward-edges": "reversed"}.get(spec.recipe, "full")
    direction = {"forward-edges": "forward", "backward-edges": "backward"}.get(spec.recipe, "both")
    return make_pathstar(
        spec.degree,
        spec.length,
        seed=spec.seed,
        n_pause=spec.n_pause,
        target=target,
        direction=direction,
    )


def train_config(
    config: PathStarConfig, steps: int, seed: int, lr=None, batch_size=None, eval_steps=None
):
    """The ``TrainConfig`` of one run (the profile's optimizer, schedule and threads)."""
    from empirical.training.train import TrainConfig

    return TrainConfig(
        steps=steps,
        lr=config.lr if lr is None else lr,
        optimizer="adamw",
        weight_decay=config.weight_decay,
        batch_size=batch_size if batch_size is not None else config.batch_size,
        schedule=config.schedule,
        warmup=min(config.warmup, max(steps - 1, 0)),
        eval_steps=eval_schedule(steps, config.n_evals) if eval_steps is None else eval_steps,
        seed=seed,
        device=config.device,
        checkpoint_every=config.checkpoint_every,
        progress=config.progress,
        num_threads=config.num_threads,
        trim_rows=True,  # edge rows end at position 1 of 11-17: same loss, 4-6x fewer tokens
        final_loss=False,  # records read the history; the full-data pass: 7-8 CPU-s at G(5000,5)
    )


def run_inweights(config: PathStarConfig, spec: RunSpec, ckpt_dir: Path | None) -> tuple:
    """Train one in-weights run; returns ``(record, model, task)``."""
    from empirical.training.train import set_seed, train

    task = task_for(spec)
    set_seed(spec.seed)
    xe, ye = edge_examples(task)
    xp, yp = path_examples(task, "train")
    max_len = max(xp.shape[1], 2)
    model = make_model(config, spec, task.vocab.size, max_len, seed=spec.seed)
    ck = (lambda name: None) if ckpt_dir is None else (lambda name: ckpt_dir / f"{name}.pt")
    t0 = time.perf_counter()
    c0 = time.process_time()
    tokens = 0.0
    if spec.recipe == "staged":
        n1, n2 = config.staged_edge_steps, config.steps
        tc1 = train_config(config, n1, spec.seed, lr=config.edge_lr)
        if config.pack_edges:
            xe, ye = packed_edge_examples(task, max_len, seed=spec.seed)
        ev1 = make_eval(task, config, 0, n1)
        r1 = train(model, xe, ye, tc1, ev1, ck(spec.run_id + "-edges"))
        # twice as many evaluations in the path phase: its transient peak is short (claim 8)
        tc2 = train_config(config, n2, spec.seed, eval_steps=eval_schedule(n2, 2 * config.n_evals))
        ev2 = make_eval(task, config, n1, n2)
        r2 = train(model, xp, yp, tc2, ev2, ck(spec.run_id + "-paths"))
        history = r1["history"] + r2["history"][1:]
        flop = 0.0
        for r, labels in ((r1, ye), (r2, yp)):
            phase_tokens = r["tokens_per_sec"] * r["seconds"]
            tokens += phase_tokens
            flop += phase_tokens * param_flops_per_token(model, task.vocab.size, labels)
        seconds = r1["seconds"] + r2["seconds"]
        shape = (xp.shape[0] + xe.shape[0], max_len)
    else:
        x, y = mix_examples(task, config.path_repeat, config.pack_edges, seed=spec.seed)
        steps = steps_of(config, spec)
        tc = train_config(config, steps, spec.seed, eval_steps=eval_steps_of(config, spec, steps))
        res = train(model, x, y, tc, make_eval(task, config, 0, steps), ck(spec.run_id))
        history = res["history"]
        tokens = res["tokens_per_sec"] * res["seconds"]
        flop = tokens * param_flops_per_token(model, task.vocab.size, y)
        seconds = res["seconds"]
        shape = tuple(x.shape)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    rec = {
        "recipe": spec.recipe,
        "model": config.model,
        "degree": spec.degree,
        "length": spec.length,
        "seed": spec.seed,
        "n_pause": spec.n_pause,
        "d_model": spec.d_model,
        "n_layer": config.n_layer,
        "tag": spec.tag,
        "target": task.target,
        "edge_direction": {"forward-edges": "forward", "backward-edges": "backward"}.get(
            spec.recipe, "both"
        ),
        "n_nodes": task.graph.n,
        "n_train_paths": int(task.train_arms.size),
        "n_heldout_paths": int(task.heldout_arms.size),
        "chance": task.chance,
        "steps": int(history[-1]["global_step"]),
        "train_rows": shape,
        "train_seconds": seconds,
        "wall_time": wall,
        "cpu_seconds": cpu,
        "tokens_per_sec": tokens / max(seconds, 1e-9),
        "achieved_flops": flop / max(seconds, 1e-9),
        "final_loss": history[-1]["loss"],
        "eval_every": config.pause_eval_every if spec.tag == "pause" else None,
    }
    rec.update(summarize(history))
    rec["curve"] = curve(history)
    return rec, model, task


def run_incontext(config: PathStarConfig, spec: RunSpec, ckpt_dir: Path | None) -> tuple:
    """Next-token training on the in-context task (Bachmann & Nagarajan 2024)."""
    from empirical.training.train import set_seed, train

    d, ell, nv = spec.degree, spec.length, config.incontext_values
    tr = incontext_examples(config.incontext_train, d, ell, nv, seed=2 * spec.seed)
    te = incontext_examples(config.incontext_test, d, ell, nv, seed=2 * spec.seed + 1)
    set_seed(spec.seed)
    c0 = time.process_time()
    max_len = tr.inputs.shape[1]
    model = make_model(config, spec, tr.vocab.size, max_len, seed=spec.seed)
    sub = slice(0, min(config.eval_train_max, config.incontext_train))

    def eval_fn(m, step):
        ho = path_accuracy(m, te.prefix, te.targets, candidates=te.candidates)
        tra = path_accuracy(m, tr.prefix[sub], tr.targets[sub], candidates=tr.candidates[sub])
        return {
            "global_step": step,
            "heldout_first_token_acc": ho["first_token_acc"],
            "heldout_exact_match": ho["exact_match"],
            "heldout_restricted_acc": ho["restricted_acc"],
            "heldout_per_position": ho["per_position"],
            "heldout_teacher_forced_per_position": ho["teacher_forced_per_position"],
            "train_first_token_acc": tra["first_token_acc"],
            "train_exact_match": tra["exact_match"],
            "train_per_position": tra["per_position"],
            "train_teacher_forced_acc": tra["teacher_forced_acc"],
        }

    tc = train_config(
        config,
        config.incontext_steps,
        spec.seed,
        lr=config.incontext_lr,
        batch_size=config.incontext_batch,
    )
    path = None if ckpt_dir is None else ckpt_dir / f"{spec.run_id}.pt"
    res = train(model, tr.inputs, tr.labels, tc, eval_fn, path)
    history = res["history"]
    flops_token = param_flops_per_token(model, tr.vocab.size, tr.labels)
    rec = {
        "recipe": "in-context",
        "model": config.model,
        "degree": d,
        "length": ell,
        "seed": spec.seed,
        "n_pause": 0,
        "d_model": spec.d_model,
        "n_layer": config.n_layer,
        "tag": spec.tag,
        "target": "full",
        "edge_direction": "in-context",
        "n_values": nv,
        "n_train_paths": config.incontext_train,
        "n_heldout_paths": config.incontext_test,
        "chance": tr.chance,
        "steps": config.incontext_steps,
        "train_rows": tuple(tr.inputs.shape),
        "train_seconds": res["seconds"],
        "wall_time": res["seconds"],
        "cpu_seconds": time.process_time() - c0,
        "tokens_per_sec": res["tokens_per_sec"],
        "achieved_flops": res["tokens_per_sec"] * flops_token,
        "final_loss": history[-1]["loss"],
    }
    rec.update(summarize(history))
    rec["curve"] = curve(history)
    return rec, model, None


def run_one(config: PathStarConfig, spec: RunSpec, figure: bool) -> dict:
    """Train, evaluate and (optionally, with ``config.out``) draw one run; returns its record."""
    ckpt_dir = store.checkpoint_dir(config.out)
    if spec.recipe == "in-context":
        rec, model, task = run_incontext(config, spec, ckpt_dir)
    else:
        rec, model, task = run_inweights(config, spec, ckpt_dir)
    rec["run_id"] = spec.run_id
    rec["figures"] = []
    if task is not None and spec.recipe in ("mixed", "hardest-token", "frozen-embeddings"):
        geom = geometry_summary(model, task)
        keys = (
            "contrast",
            "diag_rank_acc",
            "path_diag_mean",
            "path_offdiag_mean",
            "subspace_energy",
            "subspace_energy_random",
            "subspace_k",
            "subspace_error",
        )
        rec["geometry"] = {k: geom[k] for k in keys if k in geom}
        if figure and config.out is not None:
            rec["figures"] = save_figures(geom, rec, store.figure_dir(config.out))
    return rec


def _run_one_star(args):
    torch.set_num_threads(args[0].num_threads)
    return run_one(*args)


def _cost(config: PathStarConfig, spec: RunSpec) -> float:
    """Rough relative cost of a run (steps x sequence length), to start the longest first."""
    if spec.recipe == "in-context":
        return config.incontext_steps * 3 * spec.degree * spec.length * config.incontext_batch / 256
    steps = steps_of(config, spec) + (config.staged_edge_steps if spec.recipe == "staged" else 0)
    return steps * (spec.length + spec.n_pause + 2)


def _throughput(records: list[dict], matmul: float) -> dict:
    total_tokens = sum(r["tokens_per_sec"] * r["train_seconds"] for r in records)
    total_sec = sum(r["train_seconds"] for r in records)
    total_flop = sum(r["achieved_flops"] * r["train_seconds"] for r in records)
    return {
        "tokens_per_sec": total_tokens / max(total_sec, 1e-9),
        "achieved_flops": total_flop / max(total_sec, 1e-9),
        "matmul_flops": matmul,
        "utilization": total_flop / max(total_sec, 1e-9) / matmul,
        "train_seconds": total_sec,
    }


def run(config: PathStarConfig) -> dict:
    """Run every planned run (skipping those already in ``config.out/results.jsonl``), with
    ``config.workers`` processes; pure apart from the files under ``config.out`` (results,
    checkpoints, figures, summary). Returns ``{"records", "summary", "table", "figures",
    "throughput"}``."""
    chash = store.config_hash(config)
    done = store.start(config, chash)
    matmul = measure_matmul_flops()
    runs = plan_runs(config)
    fig_runs = figure_runs(config, runs)
    todo = sorted((s for s in runs if s.run_id not in done), key=lambda s: -_cost(config, s))
    jobs = [(config, s, s.run_id in fig_runs) for s in todo]  # longest first
    by_id = dict(done)

    def finish(rec):
        rec["config_hash"] = chash
        rec["matmul_flops"] = matmul
        rec["flops_utilization"] = rec["achieved_flops"] / matmul
        store.save_record(config, rec)
        by_id[rec["run_id"]] = rec
        print(
            f"[{len(by_id)}/{len(runs)}] {rec['run_id']}: held-out first "
            f"{rec['heldout_first_token_acc']:.2f} (peak {rec['heldout_first_token_peak']:.2f}) "
            f"exact {rec['heldout_exact_match']:.2f} (peak {rec['heldout_exact_match_peak']:.2f})"
            f" restricted {rec['heldout_restricted_acc']:.2f} chance {rec['chance']:.3f} "
            f"[{rec['wall_time']:.0f}s wall, {rec['cpu_seconds']:.0f}s cpu]",
            file=sys.stderr,
            flush=True,
        )

    workers = min(config.workers, len(jobs))
    if workers <= 1:
        for job in jobs:
            finish(run_one(*job))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            futures = [pool.submit(_run_one_star, job) for job in jobs]
            for fut in as_completed(futures):
                finish(fut.result())
    records = [by_id[s.run_id] for s in runs]
    summary = aggregate(records)
    result = {
        "records": records,
        "summary": summary,
        "table": format_table(summary),
        "figures": [f for r in records for f in r.get("figures", [])],
        "throughput": _throughput(records, matmul),
    }
    store.save_summary(
        config, summary, result["throughput"], summary_text(result), summary_md(result)
    )
    return result
