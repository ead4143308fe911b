"""Benchmark: cells per second of the trained associative memory (arXiv 2310.02984, Sec. 4).

    python benchmarks/scaling_trained.py            # the paper's cell d=100, B=1024, T=102400
    python benchmarks/scaling_trained.py --repeat 5

Times ``empirical.models.memories.zipf_memory.train_cell`` on one thread for the cell the paper's
notes quote (N = 100, M = 5, alpha = 2, d = 100, B = 1024, T = 102400, 100 steps) with SGD
and with Adam, and for the grid's most expensive kind of cell (d = 1000, B = 16, T = 102400,
6400 steps). Printed: the median wall time per cell, cells per second, and the ratio to the
5-second budget of the issue (a cell at the paper's size in under 5 s on one core). Timings
on a shared machine are inflated; the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from empirical.models.memories.zipf_memory import MemoryCell, train_cell

BUDGET = 5.0
CELLS = {
    "paper cell, SGD": MemoryCell(dim=100, batch=1024, samples=102400, optimizer="sgd", lr=0.1),
    "paper cell, Adam": MemoryCell(dim=100, batch=1024, samples=102400, optimizer="adam", lr=0.1),
    "largest: d 1000, B 16, SGD": MemoryCell(dim=1000, batch=16, samples=102400, lr=1.0),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median reported)")
    parser.add_argument("--skip-largest", action="store_true", help="only the paper's cell")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(f"load average {os.getloadavg()[0]:.2f}, 1 torch thread")
    print(f"{'cell':<30} {'s / cell':>9} {'cells / s':>10} {'budget / time':>14}")
    for name, cell in CELLS.items():
        if args.skip_largest and name.startswith("largest"):
            continue
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            train_cell(cell)
            times.append(time.perf_counter() - t0)
        t = statistics.median(times)
        print(f"{name:<30} {t:9.3f} {1 / t:10.2f} {BUDGET / t:14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
