"""Benchmark: top-k edge recovery at 10^5 nodes, exact vs sampled, side by side in one run.

    python benchmarks/topk_recovery.py            # path_star(5000, 5) and path_star(25000, 5)
    python benchmarks/topk_recovery.py --quick    # path_star(1000, 5) and path_star(5000, 5)

Embeddings (m = 64) that half-memorize the graph (``half_memorized``: an arm's nodes share a
random vector plus a depth code), so top-deg recovery is about 0.7, where sampling matters.
For each graph:
  exact    memtheory.geometry.topk_edge_recovery(X, E): every source row, O(n^2 m)
  sampled  topk_edge_recovery_sampled(X, E, sources=2048): rows drawn in proportion to their
           edges, each decided exactly, O(2048 n m); prints estimate +- standard error
Printed: wall and process CPU seconds of each, their ratio, and |sampled - exact| in units of
the reported standard error (about 68% of runs should be below 1, 95% below 2).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from memtheory import geometry, graphs


def half_memorized(g, m: int = 64, noise: float = 0.1, seed: int = 0) -> np.ndarray:
    """Arm p at depth t: x = a_p + (cos t theta, sin t theta, 0, ...) + noise / sqrt(m), with a_p
    Gaussian of norm about 1 (theta spans a quarter turn over an arm); the root is Gaussian.
    Path-mates are close, so top-deg recovery sits between 0 and 1 (about 0.7)."""
    rng = np.random.default_rng(seed)
    arms = g.meta["arms"]
    X = rng.standard_normal((g.n, m)) / np.sqrt(m)
    theta = np.linspace(0.0, np.pi / 2, arms.shape[1])
    depth = np.zeros((arms.shape[1], m))
    depth[:, 0], depth[:, 1] = np.cos(theta), np.sin(theta)
    arm = rng.standard_normal((arms.shape[0], 1, m)) / np.sqrt(m)
    X[arms] = arm + depth + noise * rng.standard_normal((*arms.shape, m)) / np.sqrt(m)
    return X


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller graphs (seconds)")
    parser.add_argument("--sources", type=int, default=2048, help="rows drawn (default 2048)")
    args = parser.parse_args(argv)
    if args.sources < 2:
        print("--sources must be an integer >= 2", file=sys.stderr)
        return 2
    sizes = (1000, 5000) if args.quick else (5000, 25000)
    for d in sizes:
        g = graphs.path_star(d, 5)
        E = g.directed_edges("both")
        X = half_memorized(g)
        exact, ew, ec = timed(lambda X=X, E=E: geometry.topk_edge_recovery(X, E))
        r, sw, sc = timed(
            lambda X=X, E=E: geometry.topk_edge_recovery_sampled(X, E, sources=args.sources)
        )
        z = abs(r.estimate - exact) / r.stderr if r.stderr > 0 else float("nan")
        print(
            f"path_star({d}, 5), {g.n} nodes, m = 64: exact {exact:.4f} in {ew:.1f} s wall "
            f"({ec:.1f} s CPU); sampled {r.estimate:.4f} +- {r.stderr:.4f} ({r.sources} draws) "
            f"in {sw:.2f} s wall ({sc:.2f} s CPU); wall ratio {ew / sw:.0f}x; "
            f"|sampled - exact| = {z:.2f} stderr"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
