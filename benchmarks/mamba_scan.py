"""Mamba's chunked selective scan vs the log-depth scan it replaced, on the path-star quick model.

Trains the model of ``python -m empirical.experiments.pathstar --profile quick --model mamba``
(2 layers, width 32, d_state 16, expand 2; the mixed recipe on the path-star graph of degree 200
and length 5 with 5 pause tokens: 1,750 rows of 11 tokens, minibatch 256, AdamW at lr 3e-3, one
thread, subnormals flushed as in ``empirical.training.train.train``) three ways, interleaved in
rounds so that the load of a shared machine hits all three alike:

* ``old``: Mamba with ``scan="hillis-steele"``, the code path before issue 18 (log-depth
  associative scan through autograd, ``nn.Conv1d``);
* ``new``: Mamba with the default ``scan="chunked"`` (``empirical.models.selective_scan``);
* ``transformer``: the Transformer of the same width and depth (1 head).

Two more entries time the whole training step of the experiment's Mamba, not the scan alone:
``before`` as the toolkit trained it before issue 18 (old scan, the head on every position) and
``now`` as ``empirical.experiments.pathstar`` trains it (new scan, the head at labelled
positions, each row read up to its last label: ``TrainConfig.trim_rows``).

Prints tokens/s of forward + backward + update for each (tokens counted as in
``empirical.training.train.train``: rows x padded length) from the median step time, in wall time
and in process CPU time, and the ratios. Before timing, checks in float64 that ``old`` and ``new``
(same seed) give the same loss and gradients. Three more lines time the scan alone, forward +
backward: on the model's own inputs and output gradients, captured in each layer during a
training step of the quick model (the issue's measure: the scan on the path-star quick model;
most rows' gradient stops at their label, which the new backward skips exactly), then at the
model's shapes with a dense output gradient (every row live: the speed-up without the skipped
rows, see the docs), then on a 256-step sequence (several chunks).

    python benchmarks/mamba_scan.py            # about 2 minutes
    python benchmarks/mamba_scan.py --quick    # under 30 seconds

Timings on a shared machine are upper bounds; the CPU-time ratio is the steadier one.
"""

from __future__ import annotations

import statistics
import sys
import time

import torch

from empirical.models import build_model
from empirical.models import mamba as mamba_module
from empirical.models.selective_scan import selective_scan, selective_scan_hillis_steele
from empirical.tasks.pathstar import make_pathstar, mix_examples
from empirical.training.train import masked_loss, model_loss
from memtheory.cli import ArgumentParser, run_cli

MAMBA = {"n_layer": 2, "d_model": 32, "d_state": 16, "expand": 2}
TRANSFORMER = {"n_layer": 2, "d_model": 32, "n_head": 1}


def _trainer(
    name: str, inputs, labels, vocab: int, batch_size: int, loss: str = "labelled", **overrides
):
    """One AdamW step of a fresh model on a seeded minibatch stream. ``loss``: ``"labelled"``
    (``model_loss``: the head at labelled positions), ``"trimmed"`` (also each row only up to
    its last label, as the experiment trains: ``trim_rows``) or ``"full"`` (the head on every
    position, as the toolkit trained before issue 18)."""
    model = build_model(name, vocab, max_len=inputs.shape[1], seed=0, **overrides)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(0)

    def step():
        idx = torch.randint(0, inputs.shape[0], (batch_size,), generator=gen)
        x, y = inputs[idx], labels[idx]
        if loss == "full":
            value = masked_loss(model(x), y)
        else:
            value = model_loss(model, x, y, trim=loss == "trimmed")
        opt.zero_grad(set_to_none=True)
        value.backward()
        opt.step()

    return step


def check_same_function(inputs, labels, vocab: int) -> tuple[float, float]:
    """Largest |loss| and |gradient| difference of the old and new Mamba (float64, same seed)."""
    out = []
    for scan in ("hillis-steele", "chunked"):
        model = build_model("mamba", vocab, max_len=inputs.shape[1], seed=0, scan=scan, **MAMBA)
        model.double()
        loss = model_loss(model, inputs[:64], labels[:64])
        grads = torch.autograd.grad(loss, list(model.parameters()))
        out.append((loss, grads))
    (l0, g0), (l1, g1) = out
    grad_diff = max(float((a - b).abs().max()) for a, b in zip(g0, g1, strict=True))
    return float((l0 - l1).detach().abs()), grad_diff


def time_rounds(steps: dict, n_steps: dict, rounds: int) -> dict:
    """Median seconds per step in wall and CPU time, over ``rounds`` rounds of ``n_steps[k]``
    steps of each entry in turn (every step timed on its own: the median is robust to the
    spikes of a shared machine and treats a slow and a fast entry alike)."""
    samples = {k: ([], []) for k in steps}
    for f in steps.values():  # warm-up (first-call allocations, lazy imports)
        f()
    for _ in range(rounds):
        for k, f in steps.items():
            for _ in range(n_steps[k]):
                w0, c0 = time.perf_counter(), time.process_time()
                f()
                samples[k][0].append(time.perf_counter() - w0)
                samples[k][1].append(time.process_time() - c0)
    return {k: [statistics.median(w), statistics.median(c)] for k, (w, c) in samples.items()}


def scan_alone(batch: int, T: int, repeats: int, rounds: int) -> dict:
    """Seconds (CPU, median) of forward + backward of each scan on random inputs with a dense
    output gradient, at d_inner 64 and d_state 16 (timed by :func:`scan_in_model`)."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(batch, T, 64, generator=gen)
    delta = 0.1 * torch.rand(batch, T, 64, generator=gen)
    A = -torch.exp(torch.log(torch.arange(1.0, 17.0)).repeat(64, 1))
    B, C = torch.randn(batch, T, 16, generator=gen), torch.randn(batch, T, 16, generator=gen)
    D = torch.ones(64)
    grad = torch.randn(batch, T, 64, generator=gen)
    return scan_in_model([[[x, delta, A, B, C, D], grad]], repeats, rounds)


def captured_scan_calls(inputs, labels, vocab: int, batch: int) -> list:
    """The scan's inputs ``(x, delta, A, B, C, D)`` and output gradient in each layer of one
    training step of the quick model (``model_loss``: the head at labelled positions, so most
    rows' output gradient stops after their label), after 20 warm-up steps."""
    model = build_model("mamba", vocab, max_len=inputs.shape[1], seed=0, **MAMBA)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(1)
    calls = []

    def spy(x, delta, A, B, C, D, chunk):
        y = selective_scan(x, delta, A, B, C, D, chunk=chunk)
        if y.requires_grad:
            call = [[v.detach().clone() for v in (x, delta, A, B, C, D)], None]
            y.register_hook(lambda g: call.__setitem__(1, g.detach().clone()))
            calls.append(call)
        return y

    for i in range(21):
        idx = torch.randint(0, inputs.shape[0], (batch,), generator=gen)
        if i == 20:
            mamba_module.selective_scan = spy
        try:
            loss = model_loss(model, inputs[idx], labels[idx])
        finally:
            mamba_module.selective_scan = selective_scan
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return calls


def scan_in_model(calls: list, repeats: int, rounds: int) -> dict:
    """Seconds (CPU, median) of forward + backward of each scan, summed over ``calls``: pairs
    of the six scan inputs and an output gradient (those of :func:`captured_scan_calls`)."""
    fns = {"old": selective_scan_hillis_steele, "new": selective_scan}
    leaves = [[v.clone().requires_grad_() for v in args] for args, _ in calls]

    def run(fn):
        def go():
            for _ in range(repeats):
                for args, (_, grad) in zip(leaves, calls, strict=True):
                    fn(*args).backward(grad)

        return go

    med = time_rounds({k: run(f) for k, f in fns.items()}, dict.fromkeys(fns, 1), rounds)
    return {k: v[1] / repeats for k, v in med.items()}


def main(argv=None) -> int:
    parser = ArgumentParser(prog="python benchmarks/mamba_scan.py", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run (under 30 s)")
    parser.add_argument("--rounds", type=int, default=None, help="timing rounds (5; quick: 2)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1, as the profile)")
    args = parser.parse_args(argv)
    rounds = args.rounds if args.rounds is not None else (2 if args.quick else 5)
    if rounds < 1 or args.threads < 1:
        raise ValueError("--rounds and --threads must be >= 1")
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    task = make_pathstar(200, 5, seed=0, n_pause=5)
    inputs, labels = mix_examples(task, 1, False, seed=0)
    vocab, batch = task.vocab.size, 256
    d_loss, d_grad = check_same_function(inputs, labels, vocab)
    print(
        f"path-star quick model: degree 200, length 5, 5 pauses; {inputs.shape[0]} rows x "
        f"{inputs.shape[1]} tokens, batch {batch}, {args.threads} thread(s), {rounds} rounds"
    )
    print(f"old vs new Mamba, float64, same seed: |loss diff| {d_loss:.1e}, ", end="")
    print(f"largest |gradient diff| {d_grad:.1e}")
    steps = {
        "old": _trainer("mamba", inputs, labels, vocab, batch, scan="hillis-steele", **MAMBA),
        "new": _trainer("mamba", inputs, labels, vocab, batch, **MAMBA),
        "transformer": _trainer("transformer", inputs, labels, vocab, batch, **TRANSFORMER),
        "before": _trainer(
            "mamba", inputs, labels, vocab, batch, "full", scan="hillis-steele", **MAMBA
        ),
        "now": _trainer("mamba", inputs, labels, vocab, batch, "trimmed", **MAMBA),
    }
    quick = args.quick
    n_steps = {
        "old": 1 if quick else 3,
        "new": 4 if quick else 15,
        "transformer": 4 if quick else 15,
        "before": 1 if quick else 3,
        "now": 4 if quick else 15,
    }
    med = time_rounds(steps, n_steps, rounds)
    tokens = batch * inputs.shape[1]
    print(f"{'':<28}{'tokens/s (wall)':>16}{'tokens/s (CPU)':>16}{'ms/step (CPU)':>15}")
    label = {
        "old": "Mamba, Hillis-Steele (old)",
        "new": "Mamba, chunked (new)",
        "transformer": "Transformer",
        "before": "Mamba step before issue 18",
        "now": "Mamba step as trained now",
    }
    for k, (wall, cpu) in med.items():
        print(f"{label[k]:<28}{tokens / wall:>16.4g}{tokens / cpu:>16.4g}{1e3 * cpu:>15.1f}")
    for num, den in (("old", "new"), ("new", "transformer"), ("before", "now")):
        w = med[num][0] / med[den][0]
        c = med[num][1] / med[den][1]
        print(f"ratio {den} / {num} in tokens/s: {w:.3g} (wall), {c:.3g} (CPU)")
    calls = captured_scan_calls(inputs, labels, vocab, batch)
    live = float(sum((g.abs().amax(-1) != 0).float().mean() for _, g in calls)) / len(calls)
    own = scan_in_model(calls, 1 if quick else 3, rounds)
    print(
        f"scan alone, the model's own inputs and output gradients ({len(calls)} layers, one "
        f"training step; {100 * live:.0f}% of row positions have a gradient): "
        f"old {1e3 * own['old']:.1f} ms, new {1e3 * own['new']:.1f} ms, "
        f"ratio {own['old'] / own['new']:.3g}"
    )
    dense = scan_alone(batch, inputs.shape[1], 1 if quick else 3, rounds)
    print(
        f"scan alone, batch {batch} x {inputs.shape[1]} steps, dense gradient (no row skipped): "
        f"old {1e3 * dense['old']:.1f} ms, new {1e3 * dense['new']:.1f} ms, "
        f"ratio {dense['old'] / dense['new']:.3g}"
    )
    long = scan_alone(8, 256, 1, rounds)
    print(
        f"scan alone, batch 8 x 256 steps (4 chunks of 64): old {1e3 * long['old']:.1f} ms, "
        f"new {1e3 * long['new']:.1f} ms, ratio {long['old'] / long['new']:.3g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python benchmarks/mamba_scan.py"))
