"""``run(config) -> dict``: the three parts of the factual-recall experiment.

With ``config.out`` set, every one-layer training is appended to ``OUT/cells.jsonl`` as it
finishes (a rerun with the same config resumes from it), and ``results.jsonl``, ``summary.md``
and ``factual_recall.png`` are written at the end, each atomically.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np

from empirical.experiments.factual_recall import metrics
from empirical.experiments.factual_recall.boundary import paper_boundary_success
from empirical.experiments.factual_recall.config import (
    NAME,
    SUCCESS_ACCURACY,
    FactualRecallConfig,
)
from empirical.running.runtime import torch_threads
from empirical.running.sweep import Job, run_jobs
from empirical.tasks.factual_recall import FactualRecallTask, make_facts


def run(config: FactualRecallConfig) -> dict:
    """Measure the claims of the package docstring; pure function of ``config``."""
    with torch_threads(config.threads):
        return _run(config)


class _Store:
    """One-layer runs by their job arguments, appended to ``cells.jsonl`` when ``out`` is set."""

    def __init__(self, out):
        self.path = Path(out) / "cells.jsonl" if out else None
        self.rows = {}
        if self.path is not None and self.path.exists():
            for line in self.path.read_text().splitlines():
                rec = json.loads(line)
                self.rows[rec["key"]] = rec["result"]

    @staticmethod
    def key(kwargs) -> str:
        return json.dumps({k: v for k, v in sorted(kwargs.items()) if k != "threads"})

    def run(self, jobs_kwargs: list, function: str, config) -> list:
        """Results of ``metrics.function(**kw)`` for each ``kw``, computing the missing ones."""
        from empirical.running.results import append_jsonl

        todo = [kw for kw in jobs_kwargs if self.key(kw) not in self.rows]
        jobs = [Job(metrics.__name__, function, kw, name=function) for kw in todo]

        def done(i, result):
            k = self.key(todo[i])
            self.rows[k] = result
            if self.path is not None:
                append_jsonl(self.path, {"key": k, "result": result})

        run_jobs(jobs, done, workers=config.workers, progress=config.progress)
        return [self.rows[self.key(kw)] for kw in jobs_kwargs]


def _cell_kwargs(c: FactualRecallConfig, **kw) -> dict:
    return dict(
        D=c.tr_answers,
        T=c.tr_seq_len,
        batch=c.batch,
        steps=c.steps,
        eval_every=c.eval_every,
        stop_accuracy=c.stop_accuracy,
        seed=c.seed,
        threads=1,
        **kw,
    )


# ---------------------------------------------------------------- 1. sequential learning
def _sequential(c, dyn, per_seed, curves):
    task = FactualRecallTask(
        c.seq_subjects, c.seq_relations, c.seq_answers, c.seq_noise, c.seq_len, structured=True
    )
    facts = make_facts(task)
    S, R, D = task.n_subjects, task.n_relations, task.answers_per_relation
    levels = dataclasses.asdict(dyn.factual_recall_plateaus(R, D))  # JSON keys: the field names
    pop = dataclasses.asdict(
        dyn.sequential_learning_gd(S, R, D, lr=c.seq_lr, steps=c.seq_steps, init=c.seq_init)
    )
    pred = metrics.measure_plateaus({**pop, "accuracy": np.zeros(c.seq_steps + 1)}, R, D)
    for k in range(c.seeds):
        cur = metrics.train_linear_attention(
            task, facts, c.seq_lr, c.seq_batch, c.seq_steps, c.seq_init, c.seed + k
        )
        m = metrics.measure_plateaus(cur, R, D)
        m["initial_loss"] = float(cur["loss"][0])
        per_seed.append({"seed": c.seed + k, "part": "sequential", **m})
        if k == 0:
            curves["seq"] = cur
    curves["seq_pop"] = {k: pop[k] for k in ("loss", "relation_loss", "subject_loss")}
    curves["seq_levels"] = levels
    return {"predicted": pred, "levels": levels, "S": S, "R": R, "D": D}


# ---------------------------------------------------------------- 2. trade-off
def _tradeoff(c, cap, store, per_seed):
    if not c.tr_cells:
        return []
    N = c.tr_subjects**2
    kws = [
        _cell_kwargs(
            c,
            S=c.tr_subjects,
            d=c.tr_d,
            heads=int(H),
            head_dim=c.tr_head_dim,
            mlp_width=int(m),
            lr=c.lr,
        )
        for H, m in c.tr_cells
    ]
    grid = []
    for r in store.run(kws, "train_cell", c):
        H, m = r["heads"], r["mlp_width"]
        row = {
            "heads": H,
            "mlp_width": m,
            "attention_params": r["attention_params"],
            "mlp_params": r["mlp_params"],
            "predicted_capacity": (
                cap.transformer_capacity(c.tr_d, heads=H, head_dim=c.tr_head_dim, width=m)
                if cap
                else math.nan
            ),
            # Fig. 4 (right) plots A = d d_h H and M = d m (a quarter, a half of the counts)
            "paper_boundary_success": paper_boundary_success(
                c.tr_d * c.tr_head_dim * H, c.tr_d * m, N
            ),
            "facts": N,
            "accuracy": r["accuracy"],
            "acc_no_mlp": r["acc_no_mlp"],
            "acc_no_attn": r["acc_no_attn"],
            "steps_run": r["steps_run"],
            # where the facts live: removing the MLP keeps them when attention stores them
            "stored_in": "attention" if r["acc_no_mlp"] >= 0.5 * r["accuracy"] else "mlp",
        }
        grid.append(row)
        per_seed.append({"seed": c.seed, "part": "tradeoff", **row})
    return grid


# ---------------------------------------------------------------- 3. facts vs parameters
def _sweep(c, cap, store, per_seed):
    H = c.sw_heads
    chains = {}
    for d in c.sw_dims:
        dh = int(c.sw_attn_ratio * d) // H
        m = int(c.sw_mlp_ratio * d)
        params = 4 * H * dh * d + 2 * m * d
        pred = cap.transformer_capacity(d, heads=H, head_dim=dh, width=m) if cap else 0.15 * params
        first = int(min(max(2, round(math.sqrt(pred))), c.sw_max_subjects))
        chains[d] = {
            "dh": dh,
            "m": m,
            "params": params,
            "pred": pred,
            "next": first,
            "lo": 0,
            "hi": c.sw_max_subjects + 1,
            "tried": {},
            "lrs": {},
        }
    for _ in range(c.sw_max_trials):
        active = [d for d, ch in chains.items() if ch["next"] is not None]
        if not active:
            break
        kws = [
            dict(
                _cell_kwargs(
                    c,
                    S=chains[d]["next"],
                    d=d,
                    heads=H,
                    head_dim=chains[d]["dh"],
                    mlp_width=chains[d]["m"],
                ),
                lrs=tuple(float(x) for x in c.sw_lrs),
                success=SUCCESS_ACCURACY,
            )
            for d in active
        ]
        for d, r in zip(active, store.run(kws, "train_size", c), strict=True):
            ch = chains[d]
            S = r["subjects"]
            ch["tried"][S] = r["accuracy"]
            ch["lrs"][S] = r["tried_lrs"]
            if r["accuracy"] >= SUCCESS_ACCURACY:
                ch["lo"] = max(ch["lo"], S)
            else:
                ch["hi"] = min(ch["hi"], S)
            nxt = (ch["lo"] + ch["hi"]) // 2
            ch["next"] = nxt if ch["hi"] - ch["lo"] > 1 and nxt >= 1 else None
    rows = []
    for d, ch in chains.items():
        lo, hi, params = ch["lo"], ch["hi"], ch["params"]
        row = {
            "d": d,
            "heads": H,
            "head_dim": ch["dh"],
            "mlp_width": ch["m"],
            "params": params,
            "max_subjects": lo,  # largest S stored (0: none of the tried sizes)
            "max_facts": lo * lo,
            # smallest S not stored (None: every tried size was stored)
            "min_failing_subjects": hi if hi <= c.sw_max_subjects else None,
            "tried": ch["tried"],
            "tried_lrs": ch["lrs"],
            "facts_per_param": lo * lo / params,
            "predicted_facts": ch["pred"],
        }
        rows.append(row)
        per_seed.append({"seed": c.seed, "part": "sweep", **row})
    return rows


def _run(c: FactualRecallConfig) -> dict:
    from memtheory import capacity as cap
    from memtheory import dynamics as dyn

    start, cpu0 = time.perf_counter(), time.process_time()
    store = _Store(c.out)
    per_seed, curves = [], {}
    seq = _sequential(c, dyn, per_seed, curves)
    grid = _tradeoff(c, cap, store, per_seed)
    sweep = _sweep(c, cap, store, per_seed)
    result = {
        "experiment": NAME,
        "config": dataclasses.asdict(c),
        "per_seed": per_seed,
        "sequential": seq,
        "tradeoff": grid,
        "sweep": sweep,
    }
    from empirical.experiments.factual_recall import report

    result["claims"] = report.claim_rows(result)
    result["wall_time"] = time.perf_counter() - start
    result["cpu_time"] = time.process_time() - cpu0
    if c.out:
        from empirical.experiments.factual_recall import figures

        report.write_outputs(result, c.out, lambda path: figures.figure(result, curves, path))
    return result
