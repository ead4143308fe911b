"""In-weights path-star: held-out path finding from memorized edges, and the geometry behind it.

Noroozizadeh, Nagarajan, Rosenfeld & Kumar (2025), arXiv 2510.26745, §2-3 and App. B-D: a model
memorizes the edges of a path-star :math:`\\mathcal{G}_{d,\\ell}` and sees root-to-leaf paths for
75% of the leaves; it must then emit the path (an :math:`(\\ell-2)`-fold composition for the
first hop :math:`v_1`) for held-out leaves. Controls: frozen token embeddings, one edge
direction, and the in-context task of Bachmann & Nagarajan (2024, arXiv 2403.06963).

Recipes (``--variant``): ``mixed`` (edges and paths interleaved, the paper's default),
``staged`` (edges, then paths), ``hardest-token`` (edges + loss on :math:`v_1` only),
``frozen-embeddings`` (the ``-frozen`` model), ``forward-edges`` (forward edges, forward path),
``backward-edges`` (backward edges, reversed path), ``in-context``; the ``pause`` runs repeat
``mixed`` with several pause counts (claim 7).

Every run evaluates at log-spaced steps (dense early, so a transient peak is seen) greedy exact
match, first-token accuracy (:math:`v_1` with the root fed), the restricted first-token accuracy
(argmax over the held-out arms' first hops only), per-position and teacher-forced accuracy on
train and held-out leaves, and the leaf/first-hop cosine contrast on held-out arms
(:func:`memtheory.geometry.leaf_first_hop_contrast`). Records carry peak and final values and
chance :math:`1/d`. Run::

    python -m empirical.experiments.pathstar --profile quick --out runs/pathstar [--json]
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from empirical.decoding import path_accuracy
from empirical.experiment import config_from_args, experiment_parser, print_json
from empirical.results import (
    append_jsonl,
    atomic_save_figure,
    atomic_write_json,
    atomic_write_text,
    read_jsonl,
)
from empirical.tasks.pathstar import (
    edge_examples,
    incontext_examples,
    make_pathstar,
    mix_examples,
    packed_edge_examples,
    path_examples,
    path_prefixes,
    path_targets,
)
from empirical.tasks.tokens import IGNORE
from memtheory.checks import as_choice, as_int
from memtheory.cli import run_cli

RECIPES = (
    "mixed",
    "staged",
    "hardest-token",
    "frozen-embeddings",
    "forward-edges",
    "backward-edges",
    "in-context",
)
MODELS = ("transformer", "mamba")
NAME = "pathstar"


@dataclass
class PathStarConfig:
    """One profile of the experiment (sizes, recipes, optimizer, evaluation)."""

    recipes: tuple = RECIPES
    model: str = "transformer"
    degrees: tuple = (100, 200)  # the mixed recipe runs on every (degree, length)
    lengths: tuple = (4, 5)
    control: tuple = (200, 4)  # (degree, length) of the other recipes
    seeds: int = 3  # graph seeds (0..seeds-1) for the mixed grid
    control_seeds: int = 1  # graph seeds for the other recipes
    n_pause: int | None = None  # None: pause tokens = path length (Table 1)
    pause_sweep: tuple = (0, 8)  # extra mixed runs at `control` with these pause counts
    widths: tuple = ()  # sweep: extra d_model values for the mixed grid
    d_model: int = 32
    n_layer: int = 2
    n_head: int = 1
    d_state: int = 16
    expand: int = 2
    steps: int = 300
    staged_edge_steps: int = 150
    edge_lr: float | None = None  # staged: lr of the edge phase (None: lr)
    lr: float = 3e-3
    weight_decay: float = 0.0
    schedule: str = "constant"
    warmup: int = 0
    batch_size: int | None = None
    path_repeat: int = 1
    pack_edges: bool = False  # several edges per row: faster, but see docs (hurts held-out)
    n_evals: int = 14
    incontext_degree: int = 3
    incontext_length: int = 4
    incontext_values: int = 20
    incontext_train: int = 20000
    incontext_test: int = 500
    incontext_steps: int = 300
    incontext_batch: int = 128
    incontext_lr: float | None = None  # None: lr (Table 1 in-context: 1e-4)
    eval_train_max: int = 256
    eval_heldout_max: int | None = None  # held-out paths scored before the last step (None: all)
    figures: bool = True
    device: str = "cpu"
    checkpoint_every: int = 200
    progress: bool = False
    workers: int = 1  # parallel processes
    num_threads: int = 1  # torch threads per training process
    variants: tuple | None = None  # CLI --variant: subset of recipes (and "pause")
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        as_choice("model", self.model, MODELS)
        for r in self.recipes:
            as_choice("recipe", r, RECIPES)
        as_int("seeds", self.seeds, minimum=1)
        as_int("steps", self.steps, minimum=1)
        as_int("n_evals", self.n_evals, minimum=2)
        as_int("workers", self.workers, minimum=1)
        as_int("num_threads", self.num_threads, minimum=1)
        if self.batch_size is not None:
            as_int("batch_size", self.batch_size, minimum=1)
        if self.n_pause is not None:
            as_int("n_pause", self.n_pause, minimum=0)


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
EXPECTED_SECONDS = {"quick": 260}

PROFILES = {
    "quick": PathStarConfig(
        control=(200, 5),
        pause_sweep=(0, 10),
        batch_size=256,
        steps=600,
        staged_edge_steps=300,
        workers=2,
    ),
    "cpu-paper-graph": PathStarConfig(
        recipes=("mixed",),
        degrees=(5000,),
        lengths=(5,),
        control=(5000, 5),
        seeds=1,
        pause_sweep=(),
        d_model=32,
        n_layer=2,
        n_pause=0,
        lr=3e-3,
        steps=3000,  # 8 min on 2 idle cores (held-out exact 0.80); 1500 steps: 4.6 min, 0.60
        batch_size=512,
        n_evals=12,
        eval_train_max=250,
        eval_heldout_max=250,
        checkpoint_every=100,
        num_threads=2,
        progress=True,
    ),
    "sweep": PathStarConfig(
        recipes=("mixed",),
        degrees=(50, 100, 200, 400),
        lengths=(4, 5, 6),
        seeds=1,
        pause_sweep=(),
        widths=(16, 32, 64),
        batch_size=256,
        steps=600,
        figures=False,
        workers=2,
    ),
    "paper": PathStarConfig(
        recipes=RECIPES,
        degrees=(5000,),
        lengths=(5,),
        control=(5000, 5),
        seeds=3,
        control_seeds=1,
        pause_sweep=(0, 2, 10),
        d_model=384,
        n_layer=12,
        n_head=8,
        lr=5e-5,
        edge_lr=1e-2,
        weight_decay=0.01,
        schedule="cosine",
        warmup=1000,
        steps=200_000,
        staged_edge_steps=50_000,
        batch_size=1024,
        n_evals=60,
        incontext_degree=10,
        incontext_length=5,
        incontext_values=50,
        incontext_train=200_000,
        incontext_test=20_000,
        incontext_steps=100_000,
        incontext_batch=256,
        incontext_lr=1e-4,
        eval_train_max=1250,
        device="auto",
        checkpoint_every=2000,
        progress=True,
    ),
}


# ----------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class RunSpec:
    """One training run: recipe, graph, model size, seed."""

    recipe: str
    degree: int
    length: int
    seed: int
    n_pause: int
    d_model: int
    tag: str = ""

    @property
    def run_id(self) -> str:
        base = f"{self.recipe}-d{self.degree}-l{self.length}-p{self.n_pause}-w{self.d_model}"
        return f"{base}-s{self.seed}{('-' + self.tag) if self.tag else ''}"


def plan_runs(config: PathStarConfig) -> list[RunSpec]:
    """The runs a config asks for, in order (main grid first)."""
    wanted = set(config.variants) if config.variants else None
    runs: list[RunSpec] = []

    def pause_of(length):
        return length if config.n_pause is None else config.n_pause

    def keep(name):
        return wanted is None or name in wanted

    widths = config.widths or (config.d_model,)
    if "mixed" in config.recipes and keep("mixed"):
        for d in config.degrees:
            for ell in config.lengths:
                for w in widths:
                    for s in range(config.seeds):
                        runs.append(RunSpec("mixed", d, ell, s, pause_of(ell), w))
    cd, cl = config.control
    for recipe in config.recipes:
        if recipe == "mixed" or not keep(recipe):
            continue
        for s in range(config.control_seeds):
            if recipe == "in-context":
                d, ell = config.incontext_degree, config.incontext_length
                runs.append(RunSpec(recipe, d, ell, s, 0, config.d_model))
            else:
                runs.append(RunSpec(recipe, cd, cl, s, pause_of(cl), config.d_model))
    if "mixed" in config.recipes and (wanted is None or "pause" in wanted):
        for k in config.pause_sweep:
            if k != pause_of(cl):
                runs.append(RunSpec("mixed", cd, cl, 0, k, config.d_model, tag="pause"))
    return runs


def eval_schedule(steps: int, n: int) -> list[int]:
    """Log-spaced evaluation steps in [0, steps] (dense early), always including 0 and steps."""
    pts = np.unique(np.round(np.logspace(0, math.log10(max(steps, 1)), n)).astype(int))
    return sorted({0, steps, *[int(p) for p in pts if p <= steps]})


# ----------------------------------------------------------------------------- models


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


def _param_flops_per_token(model, vocab_size: int, labels=None) -> float:
    """Training FLOPs per token: :math:`6N` (Kaplan et al. 2020) for the trunk, plus
    :math:`6Vd` for the (tied) head times the fraction of positions that carry a label in
    ``labels`` (the loss applies the head there only, :func:`empirical.train.model_loss`)."""
    n = 0
    for name, p in model.named_parameters():
        if name in ("token_embedding", "pos_embedding", "lm_head_weight"):
            continue
        n += p.numel()
    d = model.token_embedding.shape[1]
    labelled = 1.0 if labels is None else float((torch.as_tensor(labels) != IGNORE).float().mean())
    return 6.0 * (n + vocab_size * d * labelled)


def measure_matmul_flops(size: int = 256, repeats: int = 20, threads: int = 1) -> float:
    """Measured float32 matmul FLOP/s of this machine (``threads`` intra-op threads, now)."""
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, b = torch.randn(size, size), torch.randn(size, size)
        a @ b
        t0 = time.perf_counter()
        for _ in range(repeats):
            a @ b
        dt = time.perf_counter() - t0
    finally:
        torch.set_num_threads(old)
    return 2.0 * size**3 * repeats / max(dt, 1e-9)


# ----------------------------------------------------------------------------- in-weights run


def _task_for(spec: RunSpec):
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


def _split_metrics(model, task, split: str, limit: int | None, candidates=None) -> dict:
    pre = path_prefixes(task, split)
    tgt = torch.as_tensor(path_targets(task, split))
    if limit is not None and pre.shape[0] > limit:
        pre, tgt = pre[:limit], tgt[:limit]
    return path_accuracy(model, pre, tgt, decision_index=task.decision_index, candidates=candidates)


def _geometry(model, task) -> dict:
    from empirical.probes import embeddings
    from memtheory.geometry import leaf_first_hop_contrast

    X = embeddings(model, task.graph.n)
    arms = task.arms[task.heldout_arms]
    out = leaf_first_hop_contrast(X, arms[:, -1], arms[:, 0])
    return {"contrast": out["contrast"], "diag_rank_acc": out["diag_rank_acc"]}


def _make_eval(task, config: PathStarConfig, step_offset: int = 0, last_step: int | None = None):
    cands = task.candidates("heldout")

    def eval_fn(model, step):
        limit = None if step == last_step else config.eval_heldout_max
        ho = _split_metrics(model, task, "heldout", limit, candidates=cands)
        tr = _split_metrics(model, task, "train", config.eval_train_max)
        row = {
            "global_step": step + step_offset,
            "heldout_first_token_acc": ho["first_token_acc"],
            "heldout_exact_match": ho["exact_match"],
            "heldout_restricted_acc": ho["restricted_acc"],
            "heldout_per_position": ho["per_position"],
            "heldout_teacher_forced_per_position": ho["teacher_forced_per_position"],
            "train_first_token_acc": tr["first_token_acc"],
            "train_exact_match": tr["exact_match"],
            "train_per_position": tr["per_position"],
            "train_teacher_forced_acc": tr["teacher_forced_acc"],
        }
        row.update({f"heldout_{k}": v for k, v in _geometry(model, task).items()})
        return row

    return eval_fn


def _train_config(config: PathStarConfig, steps: int, seed: int, lr=None, batch_size=None):
    from empirical.train import TrainConfig

    return TrainConfig(
        steps=steps,
        lr=config.lr if lr is None else lr,
        optimizer="adamw",
        weight_decay=config.weight_decay,
        batch_size=batch_size if batch_size is not None else config.batch_size,
        schedule=config.schedule,
        warmup=min(config.warmup, max(steps - 1, 0)),
        eval_steps=eval_schedule(steps, config.n_evals),
        seed=seed,
        device=config.device,
        checkpoint_every=config.checkpoint_every,
        progress=config.progress,
        num_threads=config.num_threads,
    )


def _summarize(
    history: list[dict],
    keys_peak=("heldout_first_token_acc", "heldout_exact_match", "heldout_restricted_acc"),
) -> dict:
    last = history[-1]
    out = {}
    for key in (
        "heldout_first_token_acc",
        "heldout_exact_match",
        "heldout_restricted_acc",
        "train_first_token_acc",
        "train_exact_match",
        "heldout_contrast",
        "heldout_diag_rank_acc",
        "heldout_per_position",
        "heldout_teacher_forced_per_position",
        "train_per_position",
    ):
        out[key] = last.get(key)
    for key in keys_peak:
        vals = [(h[key], h["global_step"]) for h in history if h.get(key) is not None]
        if vals:
            best = max(vals, key=lambda v: v[0])
            short = key.removesuffix("_acc")  # heldout_first_token_peak, ...
            out[f"{short}_peak"] = best[0]
            out[f"{short}_peak_step"] = best[1]
    # claim 6: geometry before any held-out path is right; claim 7: steps to fit training paths
    first_right = next(
        (h["global_step"] for h in history if (h.get("heldout_exact_match") or 0) > 0), None
    )
    geom = next((h["global_step"] for h in history if (h.get("heldout_contrast") or 0) > 0.2), None)
    fit = next(
        (h["global_step"] for h in history if (h.get("train_exact_match") or 0) >= 0.9), None
    )
    out["first_step_heldout_path_right"] = first_right
    out["initial_contrast"] = history[0].get("heldout_contrast")
    out["first_step_contrast_above_0.2"] = geom
    out["contrast_when_first_path_right"] = next(
        (h.get("heldout_contrast") for h in history if (h.get("heldout_exact_match") or 0) > 0),
        None,
    )
    out["steps_to_fit_train_paths"] = fit
    return out


def _curve(history: list[dict]) -> list[dict]:
    keys = (
        "global_step",
        "loss",
        "heldout_first_token_acc",
        "heldout_exact_match",
        "heldout_restricted_acc",
        "train_first_token_acc",
        "train_exact_match",
        "heldout_contrast",
        "heldout_per_position",
        "train_teacher_forced_acc",
    )
    return [{k: h.get(k) for k in keys} for h in history]


def run_inweights(config: PathStarConfig, spec: RunSpec, ckpt_dir: Path | None) -> tuple:
    """Train one in-weights run; returns ``(record, model, task)``."""
    from empirical.train import set_seed, train

    task = _task_for(spec)
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
        tc1 = _train_config(config, n1, spec.seed, lr=config.edge_lr)
        if config.pack_edges:
            xe, ye = packed_edge_examples(task, max_len, seed=spec.seed)
        ev1 = _make_eval(task, config, 0, n1)
        r1 = train(model, xe, ye, tc1, ev1, ck(spec.run_id + "-edges"))
        tc2 = _train_config(config, n2, spec.seed)
        ev2 = _make_eval(task, config, n1, n2)
        r2 = train(model, xp, yp, tc2, ev2, ck(spec.run_id + "-paths"))
        history = r1["history"] + r2["history"][1:]
        flop = 0.0
        for r, labels in ((r1, ye), (r2, yp)):
            phase_tokens = r["tokens_per_sec"] * r["seconds"]
            tokens += phase_tokens
            flop += phase_tokens * _param_flops_per_token(model, task.vocab.size, labels)
        seconds = r1["seconds"] + r2["seconds"]
        shape = (xp.shape[0] + xe.shape[0], max_len)
    else:
        x, y = mix_examples(task, config.path_repeat, config.pack_edges, seed=spec.seed)
        tc = _train_config(config, config.steps, spec.seed)
        res = train(model, x, y, tc, _make_eval(task, config, 0, config.steps), ck(spec.run_id))
        history = res["history"]
        tokens = res["tokens_per_sec"] * res["seconds"]
        flop = tokens * _param_flops_per_token(model, task.vocab.size, y)
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
    }
    rec.update(_summarize(history))
    rec["curve"] = _curve(history)
    return rec, model, task


# ----------------------------------------------------------------------------- in-context run


def run_incontext(config: PathStarConfig, spec: RunSpec, ckpt_dir: Path | None) -> tuple:
    """Next-token training on the in-context task (Bachmann & Nagarajan 2024)."""
    from empirical.train import set_seed, train

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

    tc = _train_config(
        config,
        config.incontext_steps,
        spec.seed,
        lr=config.incontext_lr,
        batch_size=config.incontext_batch,
    )
    path = None if ckpt_dir is None else ckpt_dir / f"{spec.run_id}.pt"
    res = train(model, tr.inputs, tr.labels, tc, eval_fn, path)
    history = res["history"]
    flops_token = _param_flops_per_token(model, tr.vocab.size, tr.labels)
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
    rec.update(_summarize(history))
    rec["curve"] = _curve(history)
    return rec, model, None


# ----------------------------------------------------------------------------- figures


def predicted_energy(X: np.ndarray, graph) -> tuple:
    """Energy of the centred node embeddings in the predicted Node2Vec subspace.

    The subspace is :func:`memtheory.spectral.node2vec_prediction` (top eigenvector of
    :math:`-L` plus its Fiedler-like cluster; arXiv 2510.26745 Observation 4), the energy
    :func:`memtheory.geometry.subspace_energy` with ``center=True``. Returns ``(energy, k)``;
    a random ``k``-dimensional subspace holds :math:`k/n` in expectation.
    """
    from memtheory.geometry import subspace_energy
    from memtheory.spectral import node2vec_prediction

    try:
        basis = node2vec_prediction(graph)
        return subspace_energy(X, basis, center=True), int(basis.shape[1])
    except ValueError:  # too many columns to densify (d = 5000): use the sparse orthonormal basis
        Q = node2vec_prediction(graph, sparse=True)
        Xc = X - X.mean(axis=0, keepdims=True)
        inside = float(np.sum(np.asarray(Q.T @ Xc) ** 2))
        return inside / float(np.sum(Xc * Xc)), int(Q.shape[1])


def geometry_summary(model, task, n_show: int = 40) -> dict:
    """Final geometry of one in-weights run: heatmap, path distances, PCA, spectral energy."""
    from empirical.probes import embeddings
    from memtheory.geometry import leaf_first_hop_contrast, path_distance_matrix

    X = embeddings(model, task.graph.n)
    ho = task.arms[task.heldout_arms]
    lf = leaf_first_hop_contrast(X, ho[:, -1], ho[:, 0])
    D = path_distance_matrix(X, ho)
    off = ~np.eye(D.shape[0], dtype=bool)
    out = {
        "heatmap": lf["heatmap"][:n_show, :n_show],
        "contrast": lf["contrast"],
        "diag_rank_acc": lf["diag_rank_acc"],
        "path_distance": D[:n_show, :n_show],
        "path_diag_mean": float(np.mean(np.diag(D))),
        "path_offdiag_mean": float(np.mean(D[off])),
        "subspace_energy": None,
        "subspace_energy_random": None,
    }
    try:
        energy, k = predicted_energy(X, task.graph)
        out.update(subspace_energy=energy, subspace_k=k, subspace_energy_random=k / task.graph.n)
    except (ImportError, ValueError, RuntimeError) as exc:  # report, do not hide
        out["subspace_error"] = str(exc)
    # 2-D PCA of the non-root nodes of a few arms, coloured by arm
    arms_show = task.arms[np.concatenate([task.heldout_arms[:5], task.train_arms[:5]])]
    nodes = arms_show.ravel()
    Y = X[nodes] - X[nodes].mean(0)
    _, _, vt = np.linalg.svd(Y, full_matrices=False)
    out["pca"] = Y @ vt[:2].T
    out["pca_arm"] = np.repeat(np.arange(arms_show.shape[0]), arms_show.shape[1])
    out["pca_pos"] = np.tile(np.arange(arms_show.shape[1]), arms_show.shape[0])
    out["pca_heldout"] = np.repeat(
        np.arange(arms_show.shape[0]) < min(5, ho.shape[0]), arms_show.shape[1]
    )
    return out


def save_figures(geom: dict, rec: dict, out_dir: Path) -> list[str]:
    """Heatmap + path-distance + PCA figure, and the accuracy curve, as PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{rec['recipe']}-d{rec['degree']}-l{rec['length']}-s{rec['seed']}"
    files = []
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    im = axes[0].imshow(geom["heatmap"], cmap="viridis")
    axes[0].set_title(
        f"held-out leaf vs first hop, 1-cos\ncontrast {geom['contrast']:.3f}, "
        f"diag-rank acc {geom['diag_rank_acc']:.2f}"
    )
    axes[0].set_xlabel("first hop of arm j")
    axes[0].set_ylabel("leaf of arm i")
    fig.colorbar(im, ax=axes[0], fraction=0.046)
    im = axes[1].imshow(geom["path_distance"], cmap="viridis")
    axes[1].set_title(
        f"path-by-path cosine distance (held-out)\ndiag {geom['path_diag_mean']:.3f} "
        f"vs off {geom['path_offdiag_mean']:.3f}"
    )
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    P, arm = geom["pca"], geom["pca_arm"]
    cmap = plt.get_cmap("tab10")
    for a in np.unique(arm):
        sel = arm == a
        style = "o-" if geom["pca_heldout"][sel][0] else "s--"
        axes[2].plot(P[sel, 0], P[sel, 1], style, color=cmap(a % 10), ms=4, lw=0.8)
        axes[2].plot(P[sel, 0][-1], P[sel, 1][-1], "*", color=cmap(a % 10), ms=11)
    axes[2].set_title("PCA of arm embeddings (o held-out, s train, * leaf)")
    fig.suptitle(
        f"{rec['model']} {rec['recipe']}  G(d={rec['degree']}, l={rec['length']}) seed "
        f"{rec['seed']}: held-out exact {rec['heldout_exact_match']:.2f}, first-token "
        f"{rec['heldout_first_token_acc']:.2f} (chance {rec['chance']:.3f})"
    )
    fig.tight_layout()
    f1 = out_dir / f"geometry-{name}.png"
    atomic_save_figure(fig, f1, dpi=90)
    files.append(str(f1))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    curve = rec["curve"]
    steps = [max(c["global_step"], 0.8) for c in curve]
    for key, label in (
        ("heldout_first_token_acc", "held-out first token"),
        ("heldout_exact_match", "held-out exact match"),
        ("heldout_restricted_acc", "held-out restricted"),
        ("train_exact_match", "train exact match"),
        ("heldout_contrast", "held-out leaf/hop contrast"),
    ):
        ax.plot(steps, [c.get(key) or 0.0 for c in curve], label=label)
    ax.axhline(rec["chance"], color="k", ls=":", label="chance 1/d")
    ax.set_xscale("log")
    ax.set_xlabel("step")
    ax.legend(fontsize=7)
    ax.set_title(name)
    fig.tight_layout()
    f2 = out_dir / f"curve-{name}.png"
    atomic_save_figure(fig, f2, dpi=90)
    files.append(str(f2))
    return files


# ----------------------------------------------------------------------------- driver


def _config_hash(config: PathStarConfig) -> str:
    skip = {
        "figures",
        "progress",
        "variants",
        "checkpoint_every",
        "device",
        "workers",
        "num_threads",
        "eval_heldout_max",
    }
    d = {k: v for k, v in dataclasses.asdict(config).items() if k not in skip}
    return hashlib.sha1(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:10]


def aggregate(records: list[dict]) -> list[dict]:
    """Mean and spread over seeds, per (recipe, degree, length, pause, width, tag)."""
    groups: dict = {}
    for r in records:
        key = (r["recipe"], r["degree"], r["length"], r["n_pause"], r["d_model"], r["tag"])
        groups.setdefault(key, []).append(r)
    rows = []
    for key, rs in groups.items():
        row = dict(
            zip(("recipe", "degree", "length", "n_pause", "d_model", "tag"), key, strict=True)
        )
        row["n_seeds"] = len(rs)
        row["chance"] = rs[0]["chance"]
        for m in (
            "heldout_first_token_acc",
            "heldout_exact_match",
            "heldout_restricted_acc",
            "heldout_first_token_peak",
            "heldout_exact_match_peak",
            "train_first_token_acc",
            "train_exact_match",
            "heldout_contrast",
            "steps_to_fit_train_paths",
        ):
            vals = [r.get(m) for r in rs if r.get(m) is not None]
            row[m] = float(np.mean(vals)) if vals else None
            row[m + "_sd"] = float(np.std(vals)) if len(vals) > 1 else None
        rows.append(row)
    return rows


def format_table(rows: list[dict]) -> str:
    """Plain-text table: held-out accuracy beside chance for every recipe."""
    head = (
        f"{'recipe':<18}{'d':>5}{'l':>3}{'pause':>6}{'width':>6}{'seeds':>6}  {'chance':>6}  "
        f"{'held-out first (peak)':>22}  {'held-out exact (peak)':>22}  {'restricted':>10}  "
        f"{'train exact':>11}  {'contrast':>8}"
    )
    lines = [head, "-" * len(head)]

    def fmt(r, m):
        v, sd = r.get(m), r.get(m + "_sd")
        if v is None:
            return "n/a"
        return f"{v:.2f}" + (f"±{sd:.2f}" if sd is not None else "")

    for r in rows:
        first = f"{fmt(r, 'heldout_first_token_acc')} ({fmt(r, 'heldout_first_token_peak')})"
        exact = f"{fmt(r, 'heldout_exact_match')} ({fmt(r, 'heldout_exact_match_peak')})"
        lines.append(
            f"{r['recipe'] + ('/' + r['tag'] if r['tag'] else ''):<18}{r['degree']:>5}"
            f"{r['length']:>3}{r['n_pause']:>6}{r['d_model']:>6}{r['n_seeds']:>6}  "
            f"{r['chance']:>6.3f}  {first:>22}  {exact:>22}"
            f"  {fmt(r, 'heldout_restricted_acc'):>10}  {fmt(r, 'train_exact_match'):>11}  "
            f"{fmt(r, 'heldout_contrast'):>8}"
        )
    return "\n".join(lines)


def _figure_runs(config: PathStarConfig, runs: list[RunSpec]) -> set:
    """Runs that get figures: the first main-grid ``mixed`` run at the control graph (else the
    first ``mixed`` run), and each hardest-token / frozen-embeddings run."""
    if not config.figures:
        return set()
    mixed = [r for r in runs if r.recipe == "mixed" and not r.tag]
    at_control = [r for r in mixed if (r.degree, r.length) == tuple(config.control)]
    chosen = {r.run_id for r in (at_control or mixed)[:1]}
    chosen |= {r.run_id for r in runs if r.recipe in ("hardest-token", "frozen-embeddings")}
    return chosen


def run_one(config: PathStarConfig, spec: RunSpec, out: str | None, figure: bool) -> dict:
    """Train, evaluate and (optionally) draw one run; returns its record."""
    out_dir = None if out is None else Path(out)
    ckpt_dir = None if out_dir is None else out_dir / "checkpoints"
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
        if figure and out_dir is not None:
            rec["figures"] = save_figures(geom, rec, out_dir / "figures")
    return rec


def _run_one_star(args):
    torch.set_num_threads(args[0].num_threads)
    return run_one(*args)


def run(config: PathStarConfig, out: str | Path | None = None) -> dict:
    """Run every planned run (skipping those already in ``out/results.jsonl``), with
    ``config.workers`` processes; pure apart from files under ``out``. Returns ``{"records",
    "summary", "table", "figures", "throughput"}``."""
    out_dir = None if out is None else Path(out)
    chash = _config_hash(config)
    done = {}
    if out_dir is not None:
        atomic_write_json(out_dir / "config.json", {"config": config, "hash": chash})
        for row in read_jsonl(out_dir / "results.jsonl"):
            if row.get("config_hash") == chash:
                done[row["run_id"]] = row
    matmul = measure_matmul_flops()
    runs = plan_runs(config)
    fig_runs = _figure_runs(config, runs)
    todo = [s for s in runs if s.run_id not in done]
    jobs = [
        (config, s, None if out_dir is None else str(out_dir), s.run_id in fig_runs) for s in todo
    ]
    by_id = dict(done)

    def finish(rec):
        rec["config_hash"] = chash
        rec["matmul_flops"] = matmul
        rec["flops_utilization"] = rec["achieved_flops"] / matmul
        if out_dir is not None:
            append_jsonl(out_dir / "results.jsonl", rec)
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
    figures = [f for r in records for f in r.get("figures", [])]
    summary = aggregate(records)
    table = format_table(summary)
    total_tokens = sum(r["tokens_per_sec"] * r["train_seconds"] for r in records)
    total_sec = sum(r["train_seconds"] for r in records)
    total_flop = sum(r["achieved_flops"] * r["train_seconds"] for r in records)
    throughput = {
        "tokens_per_sec": total_tokens / max(total_sec, 1e-9),
        "achieved_flops": total_flop / max(total_sec, 1e-9),
        "matmul_flops": matmul,
        "utilization": total_flop / max(total_sec, 1e-9) / matmul,
        "train_seconds": total_sec,
    }
    if out_dir is not None:
        atomic_write_json(out_dir / "summary.json", {"summary": summary, "throughput": throughput})
        text = (
            table
            + "\n"
            + _throughput_line(throughput)
            + boundary_table(records)
            + "\n"
            + claims_report(records)
            + "\n"
        )
        atomic_write_text(out_dir / "summary.txt", text)
    return {
        "records": records,
        "summary": summary,
        "table": table,
        "figures": figures,
        "throughput": throughput,
    }


def _mean_sd(vals) -> str:
    vals = [v for v in vals if v is not None]
    if not vals:
        return "n/a"
    if len(vals) == 1:
        return f"{vals[0]:.2f}"
    return f"{np.mean(vals):.2f}±{np.std(vals):.2f}"


def claims_report(records: list[dict]) -> str:
    """One line per claim of issue 5 with the measured numbers (mean±sd over seeds)."""
    lines = []

    def pick(recipe, tag=""):
        return [r for r in records if r["recipe"] == recipe and r.get("tag", "") == tag]

    def stat(rs, key):
        return _mean_sd([r.get(key) for r in rs])

    mixed = pick("mixed")
    cells = _mixed_cells(records)
    widths = {wd for _, _, wd in cells}
    for (d, ell, wd), rs in cells.items():
        width = f" width {wd}" if len(widths) > 1 else ""
        lines.append(
            f"1. mixed d={d} l={ell}{width} ({len(rs)} seed{'s' * (len(rs) > 1)}): held-out "
            "first-token "
            f"{stat(rs, 'heldout_first_token_acc')} (peak {stat(rs, 'heldout_first_token_peak')}),"
            f" exact {stat(rs, 'heldout_exact_match')} (peak "
            f"{stat(rs, 'heldout_exact_match_peak')}), chance {rs[0]['chance']:.3f}"
        )
    for num, recipe, what in (
        (2, "hardest-token", "first-token-only target"),
        (3, "frozen-embeddings", "frozen token embeddings"),
        (4, "forward-edges", "forward edges only, forward path"),
        (4, "backward-edges", "backward edges only, reversed path"),
        (4, "staged", "staged (edges, then paths)"),
    ):
        rs = pick(recipe)
        if rs:
            lines.append(
                f"{num}. {what}: held-out first-token {stat(rs, 'heldout_first_token_acc')} (peak "
                f"{stat(rs, 'heldout_first_token_peak')}), exact {stat(rs, 'heldout_exact_match')}"
                f" (peak {stat(rs, 'heldout_exact_match_peak')}), restricted "
                f"{stat(rs, 'heldout_restricted_acc')}, chance {rs[0]['chance']:.3f}"
            )
    for r in pick("in-context"):
        tf = r.get("heldout_teacher_forced_per_position") or []
        lines.append(
            f"5. in-context d={r['degree']} l={r['length']}: test first-token "
            f"{r['heldout_first_token_acc']:.2f} (peak {r['heldout_first_token_peak']:.2f}), "
            f"chance {r['chance']:.3f}; teacher-forced per position "
            f"{[round(v, 2) for v in tf]}; train first-token {r['train_first_token_acc']:.2f}"
        )
    for r in mixed[:6]:
        curve = r.get("curve") or []
        geom = next(
            (c["global_step"] for c in curve if (c.get("heldout_contrast") or 0) > 0.2), None
        )
        right = [c for c in curve if (c.get("heldout_exact_match") or 0) > 0]
        init = curve[0].get("heldout_contrast") if curve else None
        lines.append(
            f"6. {r['run_id']}: leaf/first-hop contrast {_mean_sd([init])} at init, > 0.2 from "
            f"step {geom}; first held-out path right at step "
            f"{right[0]['global_step'] if right else None} (contrast then "
            f"{_mean_sd([right[0].get('heldout_contrast') if right else None])}); final contrast "
            f"{_mean_sd([r.get('heldout_contrast')])}"
        )
    control = [r for r in records if r["recipe"] == "mixed" and r.get("tag") == "pause"]
    if control:
        d, ell = control[0]["degree"], control[0]["length"]
        base = [
            r
            for r in mixed
            if (r["degree"], r["length"], r["seed"]) == (d, ell, control[0]["seed"])
        ]
        for r in sorted(base + control, key=lambda r: r["n_pause"]):
            lines.append(
                f"7. pauses={r['n_pause']} (d={d} l={ell}): training paths fit (exact >= 0.9) at "
                f"step {r.get('steps_to_fit_train_paths')}; held-out first-token peak "
                f"{r['heldout_first_token_peak']:.2f} at step "
                f"{r.get('heldout_first_token_peak_step')}, "
                f"final {r['heldout_first_token_acc']:.2f}"
            )
    for r in mixed:
        drop = r["heldout_first_token_peak"] - r["heldout_first_token_acc"]
        if drop >= 0.1:
            lines.append(
                f"8. transient {r['run_id']}: held-out first-token peak "
                f"{r['heldout_first_token_peak']:.2f} "
                f"(step {r.get('heldout_first_token_peak_step')}) -> final "
                f"{r['heldout_first_token_acc']:.2f}; restricted final "
                f"{r['heldout_restricted_acc']:.2f}; contrast final {r['heldout_contrast']:.2f}"
            )
    n_tr = sum(
        1 for r in mixed if r["heldout_first_token_peak"] - r["heldout_first_token_acc"] >= 0.1
    )
    lines.append(
        f"8. {n_tr}/{len(mixed)} mixed runs lose >= 0.10 held-out first-token accuracy after "
        f"their peak; restricted-argmax accuracy (held-out first hops only) "
        f"{stat(mixed, 'heldout_restricted_acc')} vs unrestricted "
        f"{stat(mixed, 'heldout_first_token_acc')}"
    )
    return "\n".join(lines)


def _mixed_cells(records: list[dict]) -> dict:
    """The main-grid ``mixed`` runs by ``(degree, length, d_model)``, sorted, seeds together."""
    cells: dict = {}
    for r in records:
        if r["recipe"] == "mixed" and r.get("tag", "") == "":
            cells.setdefault((r["degree"], r["length"], r["d_model"]), []).append(r)
    return dict(sorted(cells.items()))


#: boundary classes of :func:`boundary_table` (held-out exact match, mean over seeds)
APPEARS, TRANSIENT_DROP = 0.5, 0.1


def boundary_table(records: list[dict]) -> str:
    """Held-out exact match of the ``mixed`` runs on the degree x length x width grid.

    Each cell reads ``final/peak`` (mean over seeds) and a class: ``T`` transient (peak - final
    >= 0.1; checked first), ``A`` appears (final >= 0.5), ``F`` fails (peak < 0.5), ``-``
    otherwise (peak just above 0.5, final just below it). The ``sweep`` profile's finding is
    where the classes change.
    """
    cells = _mixed_cells(records)
    if not cells:
        return ""
    degrees = sorted({d for d, _, _ in cells})
    rows = sorted({(ell, wd) for _, ell, wd in cells})
    head = f"{'length':>6} {'width':>5} | " + " ".join(f"{'d=' + str(d):>13}" for d in degrees)
    lines = [
        "held-out exact match final/peak (A appears: final >= 0.5; T transient: peak - final "
        ">= 0.1; F fails: peak < 0.5)",
        head,
        "-" * len(head),
    ]
    for ell, wd in rows:
        shown = []
        for d in degrees:
            rs = cells.get((d, ell, wd))
            if not rs:
                shown.append(f"{'':>13}")
                continue
            fin = float(np.mean([r["heldout_exact_match"] for r in rs]))
            peak = float(np.mean([r["heldout_exact_match_peak"] for r in rs]))
            if peak - fin >= TRANSIENT_DROP:
                tag = "T"
            elif fin >= APPEARS:
                tag = "A"
            elif peak < APPEARS:
                tag = "F"
            else:
                tag = "-"
            shown.append(f"{fin:.2f}/{peak:.2f} {tag:>3}")
        lines.append(f"{ell:>6} {wd:>5} | " + " ".join(shown))
    return "\n".join(lines)


def _throughput_line(t: dict) -> str:
    return (
        f"throughput: {t['tokens_per_sec']:.3g} tokens/s, {t['achieved_flops'] / 1e9:.3g} GFLOP/s "
        f"achieved vs {t['matmul_flops'] / 1e9:.3g} GFLOP/s measured matmul "
        f"({100 * t['utilization']:.1f}%), {t['train_seconds']:.0f} s of training\n"
    )


def main(argv=None):
    parser = experiment_parser(NAME, PROFILES, __doc__)
    parser.add_argument("--model", choices=MODELS, default=None, help="transformer or mamba")
    parser.add_argument(
        "--variant",
        action="append",
        choices=RECIPES + ("pause",),
        default=None,
        help="run only these recipes (repeatable); 'pause' is the pause-token sweep",
    )
    parser.add_argument("--steps", type=int, default=None, help="training steps per run")
    parser.add_argument(
        "--n-layer", type=int, default=None, help="model layers (default: the profile's)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=None, help="minibatch rows (0: full batch)"
    )
    parser.add_argument("--workers", type=int, default=None, help="parallel runs (processes)")
    args = parser.parse_args(argv)
    overrides = {"variants": tuple(args.variant) if args.variant else None}
    full_batch = args.batch_size == 0
    if full_batch:
        args.batch_size = None
    config = config_from_args(PROFILES, args, **overrides)
    if full_batch:
        config = dataclasses.replace(config, batch_size=None)
    if args.seeds is not None:
        config = dataclasses.replace(config, seeds=args.seeds)
    result = run(config, args.out)
    if args.json:
        slim = [{k: v for k, v in r.items() if k != "curve"} for r in result["records"]]
        print_json(slim)
    else:
        print(result["table"])
        print(_throughput_line(result["throughput"]), end="")
        print(claims_report(result["records"]))
        for f in result["figures"]:
            print(f"figure: {f}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog=f"python -m empirical.experiments.{NAME}"))
