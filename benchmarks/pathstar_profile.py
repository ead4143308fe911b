"""Where the time of the path-star ``cpu-paper-graph`` run goes (issue 18), by ``torch.profiler``.

Builds the run of ``python -m empirical.experiments.pathstar --profile cpu-paper-graph`` (the
mixed recipe on G(5000, 5): 20,001 nodes, a 20,010-token tied head, a 2-layer width-32
Transformer, minibatch 512, AdamW at lr 3e-3) and

1. times ``--steps`` training steps of ``empirical.training.train.train`` without the profiler
   (wall and process CPU seconds, tokens/s and FLOP/s counted as the experiment counts them);
2. runs the same steps again under ``torch.profiler`` (CPU activities, input shapes) with the
   named ranges of ``train`` (``train.sample``, ``train.forward``, ``train.backward``,
   ``train.optimizer``);
3. splits the self time of every operator in those ranges into the categories of the table:
   the head's matrix products (an operand with the vocabulary size), the head's
   softmax/cross-entropy and other vocabulary-sized work, the trunk's matrix products,
   attention, the embedding gather/scatter, the remaining trunk elementwise work (LayerNorm,
   GELU, adds, indexing), the optimizer and data sampling; what the ranges hold beyond their
   operators' self time (and the autograd engine's wrappers) is Python and dispatch overhead;
4. times one evaluation of the run's kind (250 held-out + 250 training paths), one of all
   held-out paths (the run's last) and the full-data loss, in process CPU seconds, and
   extrapolates to the whole run (its steps and evaluation schedule);
5. prints the machine's float32 matmul FLOP/s on 1 and on ``--threads`` threads (256 x 256, as
   the experiment measures it) and on the head's own product;
6. times the head's forward + backward alone on the step's labelled positions: its three matrix
   products only, the plain ``linear`` + ``cross_entropy`` (the head before issue 18's chunking)
   and the chunked :func:`~empirical.training.head_loss.head_loss` training uses now (checked
   against the plain one in float64).

    python benchmarks/pathstar_profile.py                 # 200 steps, 2 threads (the recipe's)
    python benchmarks/pathstar_profile.py --threads 1 --steps 100

The profiler adds a few microseconds per operator, so profiled shares put slightly more time
in overhead than the unprofiled run has; on a shared machine all timings are upper bounds.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
import time
from collections import defaultdict

import torch

from empirical.experiments.pathstar.config import PROFILES, eval_schedule, plan_runs
from empirical.experiments.pathstar.metrics import (
    make_eval,
    param_flops_per_token,
)
from empirical.experiments.pathstar.run import make_model, task_for, train_config
from empirical.tasks.pathstar import mix_examples, path_examples
from empirical.training.head_loss import head_loss
from empirical.training.train import dataset_loss, set_seed, train
from memtheory.cli import ArgumentParser, run_cli

MATMUL = {"aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::mv", "aten::addmv"}
PHASES = ("train.sample", "train.forward", "train.backward", "train.optimizer", "train.eval")
CATEGORIES = (
    "head: matmul (V x d)",
    "head: log-softmax, cross-entropy, V-sized fills/adds",
    "trunk: matmul (linear layers)",
    "trunk: attention (SDPA kernels)",
    "embedding gather and its V x d gradient",
    "trunk: LayerNorm, GELU, adds, indexing, copies",
    "optimizer (AdamW, foreach)",
    "data sampling (randperm, row gather)",
    "Python, autograd and dispatch overhead",
)


def build(profile: str, threads: int):
    """The run's config, task, training rows and a fresh model (as ``run_inweights``)."""
    config = dataclasses.replace(PROFILES[profile], num_threads=threads, progress=False)
    spec = next(s for s in plan_runs(config) if s.recipe == "mixed")
    task = task_for(spec)
    set_seed(spec.seed)
    x, y = mix_examples(task, config.path_repeat, config.pack_edges, seed=spec.seed)
    xp, _ = path_examples(task, "train")
    model = make_model(config, spec, task.vocab.size, max(xp.shape[1], 2), seed=spec.seed)
    return config, spec, task, x, y, model


def _ancestors(event):
    e = event.cpu_parent
    while e is not None:
        yield e
        e = e.cpu_parent


def classify(event, vocab: int) -> str | None:
    """The category of one operator event (``None``: a named range, not an operator)."""
    name = event.name
    if not (name.startswith("aten::") or name.startswith("autograd::") or "Backward" in name):
        if not name.startswith("Optimizer."):
            return None
    names = [name] + [a.name for a in _ancestors(event)]
    if any(n.startswith("Optimizer.") or n == "train.optimizer" for n in names):
        if "Optimizer.zero_grad" not in " ".join(names):
            return "optimizer (AdamW, foreach)"
    if "train.sample" in names:
        return "data sampling (randperm, row gather)"
    if name.startswith("autograd::") or "Backward" in name:  # the engine's own wrappers
        return "Python, autograd and dispatch overhead"
    shapes = [s for s in (event.input_shapes or []) if isinstance(s, list)]
    has_v = any(vocab in s for s in shapes)
    if any("scaled_dot_product" in n or "flash_attention" in n for n in names):
        return "trunk: attention (SDPA kernels)"
    if any("embedding" in n.lower() for n in names):
        return "embedding gather and its V x d gradient"
    if name in MATMUL:
        return "head: matmul (V x d)" if has_v else "trunk: matmul (linear layers)"
    if has_v:
        return "head: log-softmax, cross-entropy, V-sized fills/adds"
    return "trunk: LayerNorm, GELU, adds, indexing, copies"


def breakdown(prof, vocab: int) -> dict:
    """Seconds per category of the training steps, of the evaluations, and of each range."""
    cats = defaultdict(float)
    ranges = defaultdict(float)
    evals = []
    ops_in_ranges = 0.0
    for ev in prof.events():
        if ev.device_type != torch.autograd.DeviceType.CPU:
            continue
        names = [a.name for a in _ancestors(ev)]
        if ev.name in PHASES and not any(n in PHASES for n in names):
            ranges[ev.name] += ev.cpu_time_total / 1e6
            if ev.name == "train.eval":
                evals.append(ev.cpu_time_total / 1e6)
            continue
        top = next((n for n in names if n in PHASES), None)
        if top is None or top == "train.eval":
            continue
        cat = classify(ev, vocab)
        if cat is None:
            continue
        cats[cat] += ev.self_cpu_time_total / 1e6
        ops_in_ranges += ev.self_cpu_time_total / 1e6
    step_ranges = sum(v for k, v in ranges.items() if k != "train.eval")
    cats["Python, autograd and dispatch overhead"] += max(step_ranges - ops_in_ranges, 0.0)
    return {"categories": dict(cats), "ranges": dict(ranges), "evals": evals}


def timed_train(model, x, y, tc, eval_fn=None) -> tuple[float, float, dict]:
    w0, c0 = time.perf_counter(), time.process_time()
    res = train(model, x, y, tc, eval_fn)
    return time.perf_counter() - w0, time.process_time() - c0, res


def matmul_rates(rows: int, d: int, cols: int, threads: int, repeats: int) -> tuple:
    """FLOP/s of ``(rows, d) @ (d, cols)`` in float32 on ``threads`` threads, from wall time and
    from process CPU time divided by the threads (the steadier one on a shared machine)."""
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, w = torch.randn(rows, d), torch.randn(cols, d)
        torch.nn.functional.linear(a, w)
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(repeats):
            torch.nn.functional.linear(a, w)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    finally:
        torch.set_num_threads(old)
    flop = 2.0 * rows * d * cols * repeats
    return flop / wall, flop * threads / cpu


def head_variants(rows: int, d: int, vocab: int, threads: int, repeats: int = 10) -> dict:
    """CPU seconds of the head's forward + backward on ``rows`` labelled positions: the matrix
    products alone, the plain ``linear`` + ``cross_entropy`` (``model_loss`` before issue 18's
    chunking), and :func:`empirical.training.head_loss.head_loss` as training runs it now; plus
    the largest float64 difference of the last two (loss, grads)."""
    gen = torch.Generator().manual_seed(0)
    f0, w0 = torch.randn(rows, d, generator=gen), 0.3 * torch.randn(vocab, d, generator=gen)
    target = torch.randint(0, vocab, (rows,), generator=gen)
    dense = torch.randn(rows, vocab, generator=gen)  # a dense output gradient (``.sum()``'s
    # would be an expanded one, which the products' backward copies first)
    linear, cross_entropy = torch.nn.functional.linear, torch.nn.functional.cross_entropy
    losses = {
        "plain (linear + cross_entropy)": lambda f, w: cross_entropy(linear(f, w), target),
        "chunked (head_loss, as trained)": lambda f, w: head_loss(f, w, target),
    }
    steps = {
        "matrix products only": lambda f, w: linear(f, w).backward(dense),
        "plain (linear + cross_entropy)": lambda f, w: cross_entropy(
            linear(f, w), target
        ).backward(),
        "chunked (head_loss, as trained)": lambda f, w: head_loss(f, w, target).backward(),
    }
    out = {}
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for name, step in steps.items():
            f, w = f0.clone().requires_grad_(), w0.clone().requires_grad_()
            step(f, w)
            c0 = time.process_time()
            for _ in range(repeats):
                f.grad = w.grad = None
                step(f, w)
            out[name] = (time.process_time() - c0) / repeats / threads
    finally:
        torch.set_num_threads(old)
    f, w = f0.double().requires_grad_(), w0.double().requires_grad_()
    ref = [losses["plain (linear + cross_entropy)"](f, w)]
    ref += torch.autograd.grad(ref[0], (f, w))
    new = [losses["chunked (head_loss, as trained)"](f, w)]
    new += torch.autograd.grad(new[0], (f, w))
    out["float64 difference"] = max(
        float((a - b).detach().abs().max()) for a, b in zip(ref, new, strict=True)
    )
    return out


def main(argv=None) -> int:
    parser = ArgumentParser(prog="python benchmarks/pathstar_profile.py", description=__doc__)
    parser.add_argument("--profile", default="cpu-paper-graph", help="pathstar profile")
    parser.add_argument("--steps", type=int, default=200, help="training steps timed (200)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2: the recipe)")
    args = parser.parse_args(argv)
    if args.steps < 2 or args.threads < 1:
        raise ValueError("--steps must be >= 2 and --threads >= 1")
    from torch.profiler import ProfilerActivity, profile

    config, spec, task, x, y, model = build(args.profile, args.threads)
    vocab, d = task.vocab.size, spec.d_model
    n = args.steps
    tc = train_config(config, n, spec.seed, eval_steps=[0])
    tc = dataclasses.replace(tc, progress=False, checkpoint_every=0)
    labelled = float((y != -100).float().mean())
    flop_token = param_flops_per_token(model, vocab, y)
    print(
        f"{args.profile}: {task.graph.n} nodes, vocabulary {vocab}, {x.shape[0]} rows x "
        f"{x.shape[1]} tokens ({100 * labelled:.1f}% labelled), batch {tc.batch_size}, "
        f"width {d}, {config.n_layer} layers, {args.threads} thread(s), {n} steps"
    )
    warm = copy.deepcopy(model)
    train(warm, x, y, dataclasses.replace(tc, steps=5))  # first-call allocations, lazy imports
    # 1. the steps without profiler (the first evaluation off: timed below on its own)
    plain = copy.deepcopy(model)
    wall, cpu, res = timed_train(plain, x, y, dataclasses.replace(tc, final_loss=False))
    tokens = n * tc.batch_size * x.shape[1]
    print(
        f"unprofiled: {wall:.2f} s wall, {cpu:.2f} s CPU for {n} steps ({1e3 * wall / n:.1f} ms "
        f"wall per step); {tokens / wall:.3g} tokens/s, {tokens * flop_token / wall / 1e9:.2f} "
        f"GFLOP/s (6N trunk + 6Vd head at labelled positions)"
    )
    # 2. the same steps under the profiler (training only; evaluation is timed below)
    profiled = copy.deepcopy(model)
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        pwall, pcpu, _ = timed_train(profiled, x, y, dataclasses.replace(tc, final_loss=False))
    b = breakdown(prof, vocab)
    step_total = sum(b["categories"].values())
    print(f"profiled: {pwall:.2f} s wall, {pcpu:.2f} s CPU; ranges (s): ", end="")
    print(", ".join(f"{k} {v:.2f}" for k, v in sorted(b["ranges"].items())))
    print(f"\ntraining step, profiled ({1e3 * step_total / n:.1f} ms per step in the ranges):")
    print(f"| {'where':<54} | ms/step | share |")
    print(f"|{'-' * 56}|---------|-------|")
    for cat in CATEGORIES:
        v = b["categories"].get(cat, 0.0)
        print(f"| {cat:<54} | {1e3 * v / n:7.2f} | {100 * v / step_total:4.1f}% |")
    # 3. evaluations and the full-data loss, in process CPU seconds, on the trained copy
    eval_fn = make_eval(task, config, 0, last_step=-1)
    cpu_of = {}
    for key, fn in (
        ("eval", lambda: eval_fn(plain, 1)),
        ("eval_all", lambda: eval_fn(plain, -1)),
        ("final_loss", lambda: dataset_loss(plain, x, y)),
    ):
        old = torch.get_num_threads()
        torch.set_num_threads(args.threads)
        c0 = time.process_time()
        with torch.no_grad():
            fn()
        cpu_of[key] = time.process_time() - c0
        torch.set_num_threads(old)
    # the whole run in CPU seconds: steps x (unprofiled CPU step time) + its evaluations
    run_steps = config.steps
    sched = eval_schedule(run_steps, config.n_evals)
    parts = {
        "training steps": run_steps * cpu / n,
        f"evaluations ({len(sched) - 1} of 250 + 250 paths)": (len(sched) - 1) * cpu_of["eval"],
        "last evaluation (all held-out paths)": cpu_of["eval_all"],
        "full-data loss after training (off since issue 18)": cpu_of["final_loss"],
    }
    total = sum(parts.values())
    print(f"\nwhole {args.profile} run, extrapolated in CPU seconds ({run_steps} steps):")
    for k, v in parts.items():
        print(f"| {k:<56} | {v:7.1f} s | {100 * v / total:4.1f}% |")
    # 5. the denominators: the experiment's (256 x 256 on 1 thread), and the head's own product
    rows = int(round(tc.batch_size * x.shape[1] * labelled))
    rates = {
        "256 x 256 @ 256 x 256, 1 thread": matmul_rates(256, 256, 256, 1, 40),
        f"256 x 256 @ 256 x 256, {args.threads} threads": matmul_rates(
            256, 256, 256, args.threads, 40
        ),
        f"head ({rows} x {d}) @ ({d} x {vocab}), {args.threads} threads": matmul_rates(
            rows, d, vocab, args.threads, 10
        ),
    }
    achieved = (tokens * flop_token / wall, tokens * flop_token * args.threads / cpu)
    print(
        f"\nfloat32 matmul GFLOP/s (wall; from CPU time): achieved by the training steps "
        f"{achieved[0] / 1e9:.2f}; {achieved[1] / 1e9:.2f}"
    )
    mm1 = rates["256 x 256 @ 256 x 256, 1 thread"]
    for k, (rw, rc) in rates.items():
        print(f"  {k}: {rw / 1e9:.1f}; {rc / 1e9:.1f}")
    print(
        f"utilization (achieved / 1-thread 256 x 256, the experiment's ratio): "
        f"{100 * achieved[0] / mm1[0]:.0f}% from wall time, {100 * achieved[1] / mm1[1]:.0f}% "
        f"from CPU time"
    )
    heads = head_variants(rows, d, vocab, args.threads)
    mm_rate = 3 * 2.0 * rows * d * vocab / heads["matrix products only"]
    print(f"head forward + backward on {rows} positions, ms of CPU per thread: ", end="")
    print(", ".join(f"{k} {1e3 * v:.1f}" for k, v in heads.items() if k != "float64 difference"))
    print(
        f"  the three head products run at {mm_rate / 1e9:.1f} GFLOP/s (CPU time); chunked vs "
        f"plain in float64: largest difference {heads['float64 difference']:.1e}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python benchmarks/pathstar_profile.py"))
