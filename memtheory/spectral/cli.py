r"""``python -m memtheory.spectral``: spectrum of -L, predicted rank, optional dynamics, and the
Observation-4 table of the paper's four tiny graphs."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

import numpy as np

from memtheory.checks import as_float, as_int
from memtheory.eigensolvers import eigen_clusters
from memtheory.graphs import TINY_GRAPHS, as_graph
from memtheory.spectral.node2vec import DENSE_MAX_BYTES, check_dense_size, node2vec_dynamics
from memtheory.spectral.operators import RANK_RTOL, spectrum
from memtheory.spectral.prediction import node2vec_prediction, predicted_rank


@dataclass(frozen=True)
class Observation4Row:
    """One row of the Observation-4 table (:func:`observation4_row`); angles in degrees."""

    graph: str
    n: int
    predicted_rank: int
    effective_rank: float
    numerical_rank: int  # singular values above RANK_RTOL of the largest
    max_angle_deg: float  # predicted subspace vs the top predicted_rank left singular vectors
    energy_outside: float
    cv_norm: float
    steps: int
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def observation4_row(graph, *, steps=10_000, d=100, lr=0.01, seed=0) -> Observation4Row:
    """One row of the Observation-4 table: run :func:`node2vec_dynamics` and summarize it.

    arXiv 2510.26745, Observation 4 (the released setting: ``d=100``, ``lr=0.01``, ``10^4``
    steps). Fields: see :class:`Observation4Row`.
    """
    g = as_graph(graph)
    t0 = time.perf_counter()
    _, recs = node2vec_dynamics(g, d=d, steps=steps, lr=lr, seed=seed, record_every=steps)
    last = recs[-1]
    return Observation4Row(
        graph=g.name,
        n=g.n,
        predicted_rank=predicted_rank(g),
        effective_rank=last.effective_rank,
        numerical_rank=last.numerical_rank,
        max_angle_deg=last.max_angle_deg,
        energy_outside=last.energy_outside,
        cv_norm=last.cv_norm,
        steps=steps,
        seconds=time.perf_counter() - t0,
    )


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------
_DEFAULTS = {"steps": 10_000, "dim": 100, "lr": 0.01, "seed": 0}


def _format_clusters(w: np.ndarray) -> list[dict]:
    return [
        {"eigenvalue": float(w[a:b].mean()), "multiplicity": b - a, "start": a}
        for a, b in eigen_clusters(w)
    ]


def _dynamics_args(args) -> dict:
    """The dynamics flags checked before anything runs (their defaults where not given)."""
    get = {k: (_DEFAULTS[k] if getattr(args, k) is None else getattr(args, k)) for k in _DEFAULTS}
    return {
        "steps": as_int("--steps", get["steps"], minimum=1),
        "d": as_int("--dim", get["dim"], minimum=1),
        "lr": as_float("--lr", get["lr"], 0.0, low_open=True),
        "seed": as_int("--seed", get["seed"], minimum=0),
    }


def _print_observation4(args) -> int:
    dyn = _dynamics_args(args)
    check_dense_size(
        f"--observation4 with --dim {dyn['d']}", 17, dyn["d"], max_bytes=DENSE_MAX_BYTES
    )  # largest tiny graph: 17
    rows = [observation4_row(as_graph(spec), **dyn).as_dict() for spec in TINY_GRAPHS]
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


def _refuse_conflicts(args) -> None:
    """Flags that would be ignored are refused (one line, exit 2), never silently dropped."""
    given = lambda name: getattr(args, name) is not None  # noqa: E731
    if args.observation4:
        if args.graph is not None:
            raise ValueError(
                "--observation4 runs the paper's four tiny graphs and takes no --graph; drop "
                "one of them"
            )
        for flag, name in (("--k", "k"), ("--record-every", "record_every")):
            if given(name):
                raise ValueError(f"{flag} does not apply to --observation4; drop it")
        if args.dynamics:
            raise ValueError("--dynamics does not apply to --observation4 (it always runs them)")
        return
    if not args.dynamics:
        for flag in ("steps", "dim", "lr", "seed", "record_every"):
            if given(flag):
                opt = "--" + flag.replace("_", "-")
                raise ValueError(
                    f"{opt} applies to the dynamics only: add --dynamics or drop {opt}"
                )


def main(argv=None) -> int:
    """``python -m memtheory.spectral``: spectrum of -L, predicted rank, optional dynamics."""
    from memtheory.cli import ArgumentParser
    from memtheory.graphs import GRAPH_SPECS

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
    parser.add_argument("--steps", type=int, default=None, help="dynamics steps")
    parser.add_argument("--dim", type=int, default=None, help="embedding dimension")
    parser.add_argument("--lr", type=float, default=None, help="learning rate eta")
    parser.add_argument("--seed", type=int, default=None, help="init seed")
    parser.add_argument("--record-every", type=int, default=None, help="checkpoint spacing")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    _refuse_conflicts(args)
    if args.observation4:
        return _print_observation4(args)
    if args.graph is None:
        parser.error("the following arguments are required: --graph (or --observation4)")
    k = as_int("--k", 10 if args.k is None else args.k, minimum=1)
    dyn = _dynamics_args(args) if args.dynamics else None
    try:
        g = as_graph(args.graph)
    except ValueError as exc:
        raise ValueError(f"--graph: {exc}") from None
    if dyn is not None:
        check_dense_size(
            f"--dynamics with --dim {dyn['d']}", g.n, dyn["d"], max_bytes=DENSE_MAX_BYTES
        )
        every = (
            max(1, dyn["steps"] // 10)
            if args.record_every is None
            else as_int("--record-every", args.record_every, minimum=1)
        )
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
    if dyn is not None:
        _, recs = node2vec_dynamics(g, record_every=every, **dyn)
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
    if dyn is not None:
        print(f"dynamics: dim={dyn['d']}, lr={dyn['lr']}, seed={dyn['seed']}")
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
