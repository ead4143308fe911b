r"""``python -m memtheory.spectral``: spectrum of -L, predicted rank, optional dynamics, and the
Observation-4 table of the paper's four tiny graphs."""

from __future__ import annotations

import json
import time

import numpy as np

from memtheory.checks import as_int
from memtheory.eigensolvers import eigen_clusters
from memtheory.spectral.node2vec import node2vec_dynamics
from memtheory.spectral.operators import RANK_RTOL, graph_arg, spectrum
from memtheory.spectral.prediction import node2vec_prediction, predicted_rank

#: the paper's four tiny graphs (arXiv 2510.26745, Appendix C.3)
TINY_GRAPHS = ("path-star:4x5", "grid:4x4", "cycle:15", "irregular")


def observation4_row(graph, steps=10_000, dim=100, lr=0.01, seed=0) -> dict:
    """One row of the Observation-4 table: run :func:`node2vec_dynamics` and summarize it.

    Keys: graph, n, predicted_rank, effective_rank, numerical_rank (singular values above
    :data:`RANK_RTOL` of the largest), max_angle_deg (predicted subspace vs the top
    ``predicted_rank`` left singular vectors of V), energy_outside, cv_norm, steps, seconds.
    """
    g = graph_arg(graph)
    t0 = time.perf_counter()
    _, recs = node2vec_dynamics(g, dim=dim, steps=steps, lr=lr, seed=seed, record_every=steps)
    last = recs[-1]
    return {
        "graph": g.name,
        "n": g.n,
        "predicted_rank": predicted_rank(g),
        "effective_rank": last.effective_rank,
        "numerical_rank": last.numerical_rank,
        "max_angle_deg": last.max_angle_deg,
        "energy_outside": last.energy_outside,
        "cv_norm": last.cv_norm,
        "steps": steps,
        "seconds": time.perf_counter() - t0,
    }


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------
def _format_clusters(w: np.ndarray) -> list[dict]:
    return [
        {"eigenvalue": float(w[a:b].mean()), "multiplicity": b - a, "start": a}
        for a, b in eigen_clusters(w)
    ]


def _print_observation4(args) -> int:
    from memtheory.graphs import parse_graph

    steps = as_int("steps", args.steps, minimum=1)
    rows = [
        observation4_row(parse_graph(spec), steps=steps, dim=args.dim, lr=args.lr, seed=args.seed)
        for spec in TINY_GRAPHS
    ]
    if args.json:
        print(json.dumps(rows))
        return 0
    print(
        f"| graph | n | predicted rank | effective rank | numerical rank (>{RANK_RTOL:g} s_max) "
        "| max angle to prediction | energy outside | ||CV||_F | steps | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['graph']} | {r['n']} | {r['predicted_rank']} | {r['effective_rank']:.3f} | "
            f"{r['numerical_rank']} | {r['max_angle_deg']:.3f}° | {r['energy_outside']:.2e} | "
            f"{r['cv_norm']:.2e} | {r['steps']} | {r['seconds']:.1f} |"
        )
    return 0


def main(argv=None) -> int:
    """``python -m memtheory.spectral``: spectrum of -L, predicted rank, optional dynamics."""
    from memtheory.cli import ArgumentParser
    from memtheory.graphs import GRAPH_SPECS, parse_graph

    parser = ArgumentParser(
        prog="python -m memtheory.spectral",
        description="Top of the spectrum of -L = D^-1 A + (D^-1 A)^T - 2I, the predicted "
        "Node2Vec rank and subspace (arXiv 2510.26745, Section 4), and optionally the exact "
        "full-batch Node2Vec dynamics.",
    )
    parser.add_argument("--graph", default=None, help="graph spec: " + "; ".join(GRAPH_SPECS))
    parser.add_argument(
        "--observation4",
        action="store_true",
        help="print the Observation-4 table for the paper's four tiny graphs (uses --steps)",
    )
    parser.add_argument("--k", type=int, default=None, help="eigenpairs to show (default 10)")
    parser.add_argument("--dynamics", action="store_true", help="run node2vec_dynamics")
    parser.add_argument("--steps", type=int, default=10_000, help="dynamics steps")
    parser.add_argument("--dim", type=int, default=100, help="embedding dimension")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate eta")
    parser.add_argument("--seed", type=int, default=0, help="init seed")
    parser.add_argument("--record-every", type=int, default=None, help="checkpoint spacing")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.observation4:
        return _print_observation4(args)
    if args.graph is None:
        parser.error("the following arguments are required: --graph (or --observation4)")
    g = parse_graph(args.graph)
    k = as_int("k", 10 if args.k is None else args.k, minimum=1)
    k = min(k, g.n)
    w, _ = spectrum(g, k)
    rank = predicted_rank(g)
    basis = node2vec_prediction(g)
    out = {
        "graph": g.name,
        "n": g.n,
        "m": g.m,
        "components": g.n_components(),
        "top_eigenvalues": w.tolist(),
        "clusters": _format_clusters(w),
        "predicted_rank": rank,
        "predicted_subspace_shape": list(basis.shape),
    }
    if g.n <= 40:
        out["predicted_subspace"] = np.round(np.asarray(basis), 6).tolist()
    if args.dynamics:
        steps = as_int("steps", args.steps, minimum=1)
        every = args.record_every or max(1, steps // 10)
        _, recs = node2vec_dynamics(
            g, dim=args.dim, steps=steps, lr=args.lr, seed=args.seed, record_every=every
        )
        out["dynamics"] = [
            {
                key: r.as_dict()[key]
                for key in (
                    "step",
                    "objective",
                    "effective_rank",
                    "numerical_rank",
                    "max_angle_deg",
                    "energy_outside",
                    "cv_norm",
                    "seconds",
                )
            }
            for r in recs
        ]
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{g.name}: n={g.n}, m={g.m}, components={out['components']}")
    print("top of the spectrum of -L (cluster: eigenvalue x multiplicity):")
    for c in out["clusters"]:
        print(f"  {c['start']:4d}  {c['eigenvalue']:+.10f}  x{c['multiplicity']}")
    print(f"predicted Node2Vec rank: {rank} (basis shape {tuple(basis.shape)})")
    if "predicted_subspace" in out:
        print("predicted subspace (orthonormal columns, rows = nodes):")
        for i, row in enumerate(np.asarray(basis)):
            print(f"  {i:3d} " + " ".join(f"{x:+.4f}" for x in row))
    if args.dynamics:
        print(f"dynamics: dim={args.dim}, lr={args.lr}, seed={args.seed}")
        print(
            f"  {'step':>7} {'objective':>12} {'eff.rank':>9} {'rank':>5} "
            f"{'max angle':>10} {'E_out':>9} {'|CV|_F':>9}"
        )
        for r in out["dynamics"]:
            print(
                f"  {r['step']:7d} {r['objective']:12.6f} {r['effective_rank']:9.3f} "
                f"{r['numerical_rank']:5d} {r['max_angle_deg']:9.3f}° "
                f"{r['energy_outside']:9.2e} {r['cv_norm']:9.2e}"
            )
    return 0
