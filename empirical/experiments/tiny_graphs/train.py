r"""Training for the tiny-graphs experiment: the seeds of one cell at once on a batched model
axis (:mod:`empirical.training.batched`), the Node2Vec torch-versus-theory check (Lemma 5), the knob
table (notes §10.2) and the released "associative fast" control (notes §4.4).

Noroozizadeh et al. 2025 (arXiv 2510.26745), App. B.2.2 and C.3.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from empirical.experiments.tiny_graphs.config import TinyGraphsConfig, vocab_size
from empirical.experiments.tiny_graphs.metrics import (
    GraphInfo,
    first_step,
    measure,
    measure_curve,
    spectral_profile,
    steps_to_geometry,
)


def _curve_state(module, n: int, prefix: bool):
    """(E, Z) of one model as float64 numpy (what :func:`metrics.measure_curve` reads)."""
    from empirical.measure import probes

    return probes.embeddings(module, n), probes.logit_matrix(module, n, prefix=prefix)


def _member_state(model_name: str, module, n: int, prefix: bool):
    """(E, Z, W, b) of one trained model as float64 numpy (W, b only for 1-layer nets)."""
    from empirical.measure import probes

    E, Z = _curve_state(module, n, prefix)
    W = b = None
    if model_name.startswith("one-layer"):
        _, W, b = probes.one_layer_weights(module, n)
    return E, Z, W, b


def _train_batched(
    model_name,
    graph,
    rec,
    inputs,
    labels,
    seeds,
    steps,
    eval_steps,
    *,
    lr,
    weight_decay=0.0,
    eval_fn=None,
    weights=None,
    device="cpu",
    progress=False,
):
    """``empirical.training.batched.train_batched`` of ``len(seeds)`` copies (one model axis)."""
    from empirical.training.batched import train_batched
    from empirical.training.train import TrainConfig

    tc = TrainConfig(
        steps=steps,
        lr=lr,
        optimizer=rec["optimizer"],
        weight_decay=weight_decay,
        eval_steps=eval_steps,
        seed=seeds[0],
        device=device,
        dtype="float64" if rec["eq1"] else "float32",
        progress=progress,
    )
    return train_batched(
        model_name,
        vocab_size(graph, rec),
        inputs,
        labels,
        len(seeds),
        tc,
        overrides=rec["overrides"],
        seeds=seeds,
        max_len=2,
        eval_fn=eval_fn,
        sample_weights=weights,
    )


def train_cell(
    info: GraphInfo, cell: dict, seeds: list[int], device: str = "cpu", progress: bool = False
) -> list[dict]:
    """Train the seeds of one (graph, model, self-edges) cell at once; one result per seed.

    The seeds share one batched model axis (:func:`empirical.training.batched.train_batched`). Each
    result: ``{"seed", "history" (rows {"step", "loss", "lr", **metrics} at
    cell["eval_steps"]), "final" (last row's metrics plus step counts, spectral profile,
    baselines, final loss), "E", "Z" (final node embeddings and logits), "seconds"}``.
    """
    from empirical.tasks.edges import edge_dataset, eq1_weights
    from empirical.training.batched import model_at

    graph, rec, model_name = info.graph, cell["recipe"], cell["model"]
    se = cell["self_edges"]
    inputs, labels = edge_dataset(graph, "both", se, prefix=rec["prefix"])
    weights = eq1_weights(graph, "both", se) if rec["eq1"] else None
    lr = rec["lr"] * (graph.n if rec["eq1"] else 1.0)  # Eq. 1: step on the summed objective

    def evaluate(module, step):
        if step < cell["steps"]:  # intermediate: the curves only (claims, figures)
            E, Z = _curve_state(module, graph.n, rec["prefix"])
            return measure_curve(info, E, Z, se)
        E, Z, W, b = _member_state(model_name, module, graph.n, rec["prefix"])
        return measure(info, E, Z, se, W, b)

    t0 = time.perf_counter()
    out = _train_batched(
        model_name,
        graph,
        rec,
        inputs,
        labels,
        seeds,
        cell["steps"],
        cell["eval_steps"],
        lr=lr,
        weight_decay=rec["weight_decay"],
        eval_fn=evaluate,
        weights=weights,
        device=device,
        progress=progress,
    )
    seconds = time.perf_counter() - t0
    results = []
    for i, s in enumerate(seeds):
        E, Z = _curve_state(model_at(out, i), graph.n, rec["prefix"])
        hist = [
            {k: float(v) if k != "step" else int(v) for k, v in row.items()}
            for row in out["history"][i]
        ]
        final = {k: v for k, v in hist[-1].items() if k not in ("step", "loss", "lr")}
        final.update(
            steps=cell["steps"],
            steps_to_memorize=first_step(hist, "topk_recovery", 1.0),
            steps_to_geometry=steps_to_geometry(hist),
            spectral_profile=spectral_profile(info, E),
            spectral_baseline=info.spectral_baseline,
            zigzag_baseline=info.zigzag_baseline,
            final_loss=float(out["final_loss"][i]),
        )
        results.append(
            {
                "seed": s,
                "history": hist,
                "final": final,
                "E": E,
                "Z": Z,
                "seconds": seconds / len(seeds),
            }
        )
    return results


# ----------------------------------------------------------------------------- Node2Vec check
def node2vec_check(
    spec: str, seed: int, steps: int, dim: int = 100, lr: float = 0.01, segments: int = 10
) -> dict:
    r"""Node2Vec in torch (float64, full-batch GD on Eq. 1) against
    ``memtheory.spectral.node2vec_dynamics`` from the same initial ``V``.

    ``V(0)`` is the torch model's own N(0, 1) init (seeded), handed to the theory as ``V0``.
    The torch model has a node-only vocabulary, per-example weights 1/deg(u) and step
    :math:`n\eta` on the mean loss (:math:`-\mathcal{J}/n`), i.e. step :math:`\eta` of gradient
    ascent on the summed Eq. 1 (Lemma 5: :math:`\Delta V = \eta C V`). The theory trajectory is
    run in ``segments`` consecutive calls (each starting from the previous ``V``), which gives
    ``V`` at every segment end. Returns the max over those steps of
    :math:`\max|V_{torch} - V_{theory}| / \max|V_{theory}|` and the per-step deviations.
    """
    from empirical.models import build_model
    from empirical.tasks.edges import edge_dataset, eq1_weights
    from empirical.training.train import TrainConfig, train
    from memtheory import spectral
    from memtheory.graphs import parse_graph

    graph = parse_graph(spec)
    model = build_model("node2vec", graph.n, dim=dim, init_std=1.0, seed=seed).double()
    V = model.token_embedding.detach().numpy().copy()
    bounds = sorted({int(round(x)) for x in np.linspace(0, steps, segments + 1)})
    theory = {0: V}
    t0 = time.perf_counter()
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        V, _ = spectral.node2vec_dynamics(
            graph,
            d=dim,
            steps=b - a,
            lr=lr,
            init_std=1.0,
            seed=seed,
            record_every=b - a,
            V0=V,
        )
        theory[b] = np.asarray(V, dtype=np.float64)
    theory_s = time.perf_counter() - t0
    inputs, labels = edge_dataset(graph, "both", False, prefix=False)
    snaps = {}

    def grab(m, step):
        snaps[int(step)] = m.token_embedding.detach().to(torch.float64).numpy().copy()
        return {}

    tc = TrainConfig(
        steps=steps,
        lr=lr * graph.n,
        optimizer="sgd",
        dtype="float64",
        eval_steps=bounds,
        progress=False,
        seed=seed,
    )
    t0 = time.perf_counter()
    train(model, inputs, labels, tc, eval_fn=grab, sample_weights=eq1_weights(graph))
    torch_s = time.perf_counter() - t0
    dev = [float(np.max(np.abs(snaps[s] - theory[s])) / np.max(np.abs(theory[s]))) for s in bounds]
    return {
        "graph": spec,
        "seed": seed,
        "steps": steps,
        "dim": dim,
        "lr": lr,
        "recorded_steps": bounds,
        "deviation": dev,
        "max_deviation": float(max(dev)),
        "seconds": theory_s + torch_s,
        "torch_seconds": torch_s,
        "theory_seconds": theory_s,
    }


# ----------------------------------------------------------------------------- knobs
def knob_cell(config: TinyGraphsConfig, setting) -> dict:
    """The config of one knob row (cycle:15, 1-layer, width 512; notes §10.2)."""
    label, lr, wd, dropout, init, self_edges, paper_top1, paper_margin = setting
    return {
        "graph": "cycle:15",
        "model": "one-layer",
        "setting": label,
        "lr": lr,
        "weight_decay": wd,
        "dropout": dropout,
        "init": init,
        "self_edges": self_edges,
        "d_model": 512,
        "steps": config.knob_steps,
        "optimizer": "adamw",
        "paper_skewed_top1": paper_top1,
        "paper_skewed_margin": paper_margin,
    }


def train_knob(
    info: GraphInfo, cell: dict, seeds: list[int], device="cpu", progress=False
) -> list[dict]:
    """Train one knob row for ``seeds`` at once (one batched model axis); final metrics."""
    from empirical.tasks.edges import edge_dataset
    from empirical.training.batched import model_at

    graph, se = info.graph, cell["self_edges"]
    inputs, labels = edge_dataset(graph, "both", se)
    rec = {
        "optimizer": "adamw",
        "eq1": False,
        "prefix": True,
        "overrides": {"d_model": cell["d_model"], "init": cell["init"], "dropout": cell["dropout"]},
    }
    t0 = time.perf_counter()
    out = _train_batched(
        "one-layer",
        graph,
        rec,
        inputs,
        labels,
        seeds,
        cell["steps"],
        [0, cell["steps"]],
        lr=cell["lr"],
        weight_decay=cell["weight_decay"],
        device=device,
        progress=progress,
    )
    seconds = time.perf_counter() - t0
    rows = []
    for i, s in enumerate(seeds):
        E, Z, W, b = _member_state("one-layer", model_at(out, i), graph.n, True)
        final = measure(info, E, Z, se, W, b)
        final["final_loss"] = float(out["final_loss"][i])
        rows.append({"seed": s, "final": final, "seconds": seconds / len(seeds)})
    return rows


def train_assoc_fast(info: GraphInfo, cell: dict, seeds: list[int], device="cpu") -> list[dict]:
    """The released "associative fast" control (frozen E, width 512, lr 0.1, notes §4.4):
    metrics after every step, for ``seeds`` at once."""
    from empirical.tasks.edges import edge_dataset

    graph = info.graph
    inputs, labels = edge_dataset(graph, "both", False)
    rec = {
        "optimizer": "adamw",
        "eq1": False,
        "prefix": True,
        "overrides": {"d_model": cell["d_model"]},
    }

    def evaluate(module, step):
        if step < cell["steps"]:  # the claim reads the step recovery reaches 1
            return measure_curve(info, *_curve_state(module, graph.n, True), False)
        E, Z, W, b = _member_state("one-layer-frozen", module, graph.n, True)
        return measure(info, E, Z, False, W, b)

    t0 = time.perf_counter()
    out = _train_batched(
        "one-layer-frozen",
        graph,
        rec,
        inputs,
        labels,
        seeds,
        cell["steps"],
        list(range(cell["steps"] + 1)),
        lr=cell["lr"],
        eval_fn=evaluate,
        device=device,
    )
    seconds = time.perf_counter() - t0
    rows = []
    for i, s in enumerate(seeds):
        hist = [
            {k: float(v) if k != "step" else int(v) for k, v in row.items()}
            for row in out["history"][i]
        ]
        final = {k: v for k, v in hist[-1].items() if k not in ("step", "loss", "lr")}
        final["steps_to_memorize"] = first_step(hist, "topk_recovery", 1.0)
        rows.append({"seed": s, "history": hist, "final": final, "seconds": seconds / len(seeds)})
    return rows
