"""The large-vocabulary head's cross-entropy, plain against chunked, side by side (issue 18).

For the output heads of the path-star CPU profiles (20,010, 50,010 and 90,010 tokens at width
32, on the ~690 labelled positions of a minibatch of 512 rows) times the forward + backward of

* ``plain``: ``F.cross_entropy(F.linear(feats, weight), targets)``, what ``model_loss`` ran
  before issue 18;
* ``chunked``: :func:`empirical.training.head_loss.head_loss`, what it runs now;

in one process, alternating, and prints wall ms per call, the ratio, and the largest float64
difference of loss and gradients. Both are timed with their first call (allocations) excluded.

    python benchmarks/head_loss.py                 # 2 threads, 10 repeats
    python benchmarks/head_loss.py --threads 1 --quick

The plain variant allocates two logit-sized buffers per call (138 MB at 50,010 tokens), which
glibc maps fresh from the kernel each time; prefix the command with
``GLIBC_TUNABLES=glibc.malloc.hugetlb=1`` to see how much of its time that was.
"""

from __future__ import annotations

import sys
import time

import torch
import torch.nn.functional as F

from empirical.training.head_loss import head_loss
from memtheory.cli import ArgumentParser, run_cli

VOCABS = (20010, 50010, 90010)  # G(5000, 5), G(10^4, 6), G(10^4, 10) with the task tokens


def plain(f, w, t):
    return F.cross_entropy(F.linear(f, w), t)


def chunked(f, w, t):
    return head_loss(f, w, t)


def timed(fn, feats, weight, target, repeats: int) -> float:
    """Median wall seconds of one forward + backward."""
    f, w = feats.clone().requires_grad_(), weight.clone().requires_grad_()
    fn(f, w, target).backward()
    times = []
    for _ in range(repeats):
        f.grad = w.grad = None
        t0 = time.perf_counter()
        fn(f, w, target).backward()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def float64_difference(feats, weight, target) -> float:
    out = []
    for fn in (plain, chunked):
        f, w = feats.double().requires_grad_(), weight.double().requires_grad_()
        loss = fn(f, w, target)
        out.append([loss.detach(), *torch.autograd.grad(loss, (f, w))])
    return max(float((a - b).abs().max()) for a, b in zip(*out, strict=True))


def main(argv=None) -> int:
    parser = ArgumentParser(prog="python benchmarks/head_loss.py", description=__doc__)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2)")
    parser.add_argument("--rows", type=int, default=691, help="labelled positions (691)")
    parser.add_argument("--width", type=int, default=32, help="model width d (32)")
    parser.add_argument("--repeats", type=int, default=10, help="timed calls per variant (10)")
    parser.add_argument("--quick", action="store_true", help="3 repeats, 20,010 tokens only")
    args = parser.parse_args(argv)
    for name in ("threads", "rows", "width", "repeats"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name} must be >= 1, got {getattr(args, name)}")
    repeats = 3 if args.quick else args.repeats
    vocabs = VOCABS[:1] if args.quick else VOCABS
    torch.set_num_threads(args.threads)
    print(
        f"{args.rows} positions, width {args.width}, {args.threads} thread(s), best of two "
        f"medians of {repeats}"
    )
    print("| vocabulary | plain (ms) | chunked (ms) | speed-up | float64 difference |")
    print("|---|---|---|---|---|")
    for vocab in vocabs:
        gen = torch.Generator().manual_seed(0)
        feats = torch.randn(args.rows, args.width, generator=gen)
        weight = 0.3 * torch.randn(vocab, args.width, generator=gen)
        target = torch.randint(0, vocab, (args.rows,), generator=gen)
        ms = {}
        for fn in (plain, chunked, plain, chunked):  # alternate: drift hits both
            ms.setdefault(fn.__name__, []).append(1e3 * timed(fn, feats, weight, target, repeats))
        p, c = min(ms["plain"]), min(ms["chunked"])
        diff = float64_difference(feats, weight, target)
        print(f"| {vocab:,} | {p:.1f} | {c:.1f} | {p / c:.2f}x | {diff:.1e} |")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python benchmarks/head_loss.py"))
