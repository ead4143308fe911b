"""64 tiny models trained at once (model axis, ``empirical.training.batched``) vs a Python loop
over them.

Both sides train the same K models (same seeds, same data, same steps) on the edges of the
tiny path-star graph of the geometric-memory paper (arXiv 2510.26745, App. C.3); the loop calls
``empirical.training.train.train`` once per model. Prints the wall time of each side, the speed-up
ratio (goal: at least 10x) and the largest parameter and final-loss differences between the two.

    python benchmarks/batched_training.py            # 64 models, 200 steps, 3 architectures
    python benchmarks/batched_training.py --quick    # smoke run, < 1 minute

Timings on a shared machine are upper bounds.
"""

from __future__ import annotations

import sys

import torch

from empirical.tasks.edges import edge_dataset
from empirical.training.batched import looped_reference, train_batched
from empirical.training.train import TrainConfig
from memtheory.cli import ArgumentParser, run_cli
from memtheory.graphs import parse_graph

MODELS = {
    "one-layer": {"d_model": 32},
    "node2vec": {"dim": 100},
    "transformer": {"d_model": 32, "n_head": 1},
}


def bench(name, overrides, graph, n_models, steps, dtype="float32", warmup_steps=2) -> dict:
    inputs, labels = edge_dataset(graph)
    vocab = graph.n + 9
    cfg = TrainConfig(steps=steps, lr=1e-2, eval_every=0, progress=False, dtype=dtype)
    warm = TrainConfig(steps=warmup_steps, eval_every=0, progress=False, dtype=dtype)
    # warm-up (imports, first-call allocations) kept out of both timings
    train_batched(name, vocab, inputs, labels, 2, warm, overrides)
    looped_reference(name, vocab, inputs, labels, 2, warm, overrides)
    batched = train_batched(name, vocab, inputs, labels, n_models, cfg, overrides)
    looped = looped_reference(name, vocab, inputs, labels, n_models, cfg, overrides)
    diff = max(
        float((batched["params"][k].double() - looped["params"][k].double()).abs().max())
        for k in looped["params"]
    )
    return {
        "model": name,
        "batched_s": batched["seconds"],
        "looped_s": looped["seconds"],
        "ratio": looped["seconds"] / batched["seconds"],
        "max_param_diff": diff,
        "max_loss_diff": float(abs(batched["final_loss"] - looped["final_loss"]).max()),
    }


def main(argv=None) -> int:
    parser = ArgumentParser(prog="python benchmarks/batched_training.py", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run (< 1 minute)")
    parser.add_argument("--models", type=int, default=64, help="number of models K (64)")
    parser.add_argument("--steps", type=int, default=None, help="steps (200; quick: 15)")
    parser.add_argument("--graph", default="path-star:4x5", help="graph spec (path-star:4x5)")
    parser.add_argument("--only", choices=sorted(MODELS), default=None, help="one architecture")
    parser.add_argument(
        "--dtype",
        choices=["float32", "float64"],
        default="float32",
        help="float64 shows that batched and looped runs agree up to round-off",
    )
    args = parser.parse_args(argv)
    steps = args.steps if args.steps is not None else (15 if args.quick else 200)
    if steps < 1 or args.models < 1:
        raise ValueError("--steps and --models must be >= 1")
    n_models = args.models
    graph = parse_graph(args.graph)
    names = [args.only] if args.only else list(MODELS)
    torch.set_num_threads(1)
    print(
        f"{n_models} models x {steps} full-batch AdamW steps on {graph.name} edges, "
        f"{args.dtype}, 1 thread"
    )
    print(
        f"{'model':<12} {'batched s':>10} {'looped s':>10} {'ratio':>7} "
        f"{'max |dparam|':>13} {'max |dloss|':>12}"
    )
    for name in names:
        r = bench(name, MODELS[name], graph, n_models, steps, args.dtype)
        print(
            f"{r['model']:<12} {r['batched_s']:>10.2f} {r['looped_s']:>10.2f} "
            f"{r['ratio']:>6.1f}x {r['max_param_diff']:>13.2e} {r['max_loss_diff']:>12.2e}"
        )
    print(
        "(float32 differences are round-off amplified by Adam over many steps; "
        "--dtype float64 shows agreement)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python benchmarks/batched_training.py"))
