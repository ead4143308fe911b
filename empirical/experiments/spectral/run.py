"""``run(config) -> dict``: the exact Node2Vec dynamics on every graph and seed; with
``config.out`` set, ``results.jsonl``, ``spectral.png`` and ``summary.md`` are written there."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from empirical.experiments.spectral import eigenbasis
from empirical.experiments.spectral.config import NAME, SpectralConfig, experiment_graph
from empirical.experiments.spectral.figures import save_figure
from empirical.experiments.spectral.metrics import cycle_spectrum_error, lemma5_fd_error
from empirical.experiments.spectral.report import summary_markdown
from empirical.running.results import atomic_write_jsonl, atomic_write_text, check_out_dir, record
from memtheory import spectral

HISTORY_KEYS = ("step", "effective_rank", "energy_outside", "max_angle_deg", "cv_norm", "loss")


def dynamics_row(spec: str, seed: int, config: SpectralConfig, graph_set: str = "paper") -> dict:
    """One graph and seed: predicted rank, first and last record of the dynamics, history.
    ``graph_set`` is ``paper`` (the paper's graphs) or ``held-out`` (the rank rule's test)."""
    g = experiment_graph(spec)
    _, recs = spectral.node2vec_dynamics(
        g,
        d=config.dim,
        steps=config.steps,
        lr=config.lr,
        init_std=config.init_std,
        seed=seed,
        record_every=config.record_every,
    )
    first, last = recs[0], recs[-1]
    return {
        "graph": g.name,
        "graph_set": graph_set,
        "n": g.n,
        "seed": seed,
        "predicted_rank": spectral.predicted_rank(g),
        "initial_effective_rank": first.effective_rank,
        "effective_rank": last.effective_rank,
        "numerical_rank": last.numerical_rank,
        "max_angle_deg": last.max_angle_deg,
        "energy_outside": last.energy_outside,
        "initial_cv_norm": first.cv_norm,
        "cv_norm": last.cv_norm,
        "history": [{k: r.as_dict()[k] for k in HISTORY_KEYS} for r in recs],
    }


def run(config: SpectralConfig) -> dict:
    """Run the dynamics on every graph and seed; return per-run rows and their histories.

    Keys: ``config``, ``runs`` (one row per graph and seed, :func:`dynamics_row`, the paper's
    graphs then the held-out ones),
    ``lemma5_fd_relative_error`` (per graph), ``cycle_spectrum_max_error``, ``eigenbasis``
    (with ``config.eigenbasis``: :func:`eigenbasis.run_eigenbasis`), ``wall_time``.
    """
    from tqdm.auto import tqdm

    if not isinstance(config, SpectralConfig):
        raise ValueError("config must be a SpectralConfig")
    if config.out:
        check_out_dir(config.out)
    t0 = time.perf_counter()
    jobs = [(spec, s, "paper") for spec in config.graphs for s in range(config.seeds)]
    jobs += [
        (spec, s, "held-out") for spec in config.heldout_graphs for s in range(config.heldout_seeds)
    ]
    runs = [
        dynamics_row(spec, seed, config, graph_set)
        for spec, seed, graph_set in tqdm(
            jobs, desc="node2vec dynamics", disable=not config.progress
        )
    ]
    result = {
        "config": dataclasses.asdict(config),
        "runs": runs,
        "lemma5_fd_relative_error": {
            spec: lemma5_fd_error(experiment_graph(spec), eps=config.fd_eps)
            for spec in config.graphs
        },
        "cycle_spectrum_max_error": cycle_spectrum_error(15),
    }
    if config.eigenbasis is not None:
        result["eigenbasis"] = eigenbasis.run_eigenbasis(config.eigenbasis, config.progress)
    result["wall_time"] = time.perf_counter() - t0
    if config.out:
        write_outputs(config, result)
    return result


def write_outputs(config: SpectralConfig, result: dict) -> None:
    """results.jsonl (one line per graph and seed), spectral.png, summary.md; with the
    eigenbasis part, eigenbasis.jsonl and eigenbasis.png."""
    out = Path(config.out)
    rows = [
        record(NAME, config, {k: v for k, v in r.items() if k != "history"}, seed=r["seed"])
        for r in result["runs"]
    ]
    atomic_write_jsonl(out / "results.jsonl", rows)
    save_figure(result, out / "spectral.png")
    if "eigenbasis" in result:
        eig = result["eigenbasis"]
        atomic_write_jsonl(
            out / "eigenbasis.jsonl",
            [
                record(
                    f"{NAME}.eigenbasis",
                    config,
                    {k: v for k, v in r.items() if k != "history"},
                    seed=r["seed"],
                )
                for r in eig["runs"]
            ],
        )
        eigenbasis.save_figure(eig, out / "eigenbasis.png")
    atomic_write_text(out / "summary.md", summary_markdown(result))
