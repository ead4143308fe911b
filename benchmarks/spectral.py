"""Benchmark: top-16 eigenpairs of -L, memtheory.spectral vs scipy's default ``eigsh``.

    python benchmarks/spectral.py              # random_graph(100000, 10, 0), grid(300, 301)
    python benchmarks/spectral.py --quick      # smaller graphs (< 1 min), a smoke test
    python benchmarks/spectral.py --repeat 1   # one run of each solver (default 3, alternating)

For each graph, on the same sparse operator M = -L = D^-1 A + (D^-1 A)^T - 2I:
  baseline  scipy.sparse.linalg.eigsh(M, k=16, which="LA") with default settings
  ours      memtheory.eigensolvers.top_eigenpairs(M, 16): shift-invert with a banded Cholesky
            at a shift proved above lambda_max where the RCM bandwidth allows (the grid), else
            Lanczos on a Chebyshev filter of M (the random graph)
Checks: the 16 eigenvalues agree to 1e-8 (absolute; the spectrum lies in [-4, 4]) and every
residual ||M v - lambda v|| is at most 1e-8 relative to ||M||_1 (a bound on ||M||_2), for both,
in every run. Eigenvectors are not compared (the spectra are nearly degenerate). The two
solvers run alternately ``--repeat`` times; printed: each run's times, the median times and
their ratio (wall clock, and process CPU time summed over threads), and the range of the
per-pair ratios. The machine's load moves the baseline most (it runs threaded OpenBLAS).

Also times node2vec_prediction(path_star(1000, 101)) (100,001 nodes, clusters of
multiplicity 999) without cutting a cluster, and reports the scaling in the degree.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from memtheory import graphs, spectral

K = 16
EIG_ATOL = 1e-8
RES_RTOL = 1e-8


def _residuals(M, w, U) -> np.ndarray:
    return np.linalg.norm(M @ U - U * w[None, :], axis=0)


def _top(w, U, k=K):
    order = np.argsort(w)[::-1][:k]
    return w[order], U[:, order]


def _run(solver, M):
    t0, c0 = time.perf_counter(), time.process_time()
    w, U = solver(M)
    return _top(w, U), time.perf_counter() - t0, time.process_time() - c0


def _baseline(M):
    return spla.eigsh(M, k=K, which="LA")


def _ours(M):
    return spectral.top_eigenpairs(M, K)


def compare(name: str, g, repeat: int = 3) -> dict:
    M = spectral.neg_laplacian(g)
    norm1 = float(abs(M).sum(axis=0).max())
    runs = []
    for i in range(repeat):
        (wb, Ub), t_base, c_base = _run(_baseline, M)
        (wo, Uo), t_ours, c_ours = _run(_ours, M)
        rb = float(np.max(_residuals(M, wb, Ub))) / norm1
        ro = float(np.max(_residuals(M, wo, Uo))) / norm1
        dev = float(np.max(np.abs(wb - wo)))
        ok = dev <= EIG_ATOL and rb <= RES_RTOL and ro <= RES_RTOL
        runs.append(
            {
                "baseline_s": t_base,
                "ours_s": t_ours,
                "baseline_cpu_s": c_base,
                "ours_cpu_s": c_ours,
                "max_eig_dev": dev,
                "max_rel_res_baseline": rb,
                "max_rel_res_ours": ro,
                "ok": bool(ok),
            }
        )
        print(
            f"  {name} run {i + 1}/{repeat}: eigsh {t_base:7.2f} s  ours {t_ours:6.2f} s  "
            f"ratio {t_base / t_ours:5.1f}x  (CPU {c_base:.1f} s vs {c_ours:.1f} s)  "
            f"|dlambda| {dev:.1e}  res(base) {rb:.1e}  res(ours) {ro:.1e}  "
            f"{'OK' if ok else 'MISMATCH'}",
            flush=True,
        )

    def med(key):
        return float(np.median([r[key] for r in runs]))

    ratios = [r["baseline_s"] / r["ours_s"] for r in runs]
    out = {
        "graph": name,
        "n": g.n,
        "nnz": int(M.nnz),
        "repeat": repeat,
        "baseline_s": med("baseline_s"),
        "ours_s": med("ours_s"),
        "speedup": med("baseline_s") / med("ours_s"),
        "speedup_min": min(ratios),
        "speedup_max": max(ratios),
        "cpu_speedup": med("baseline_cpu_s") / med("ours_cpu_s"),
        "max_eig_dev": max(r["max_eig_dev"] for r in runs),
        "max_rel_res_baseline": max(r["max_rel_res_baseline"] for r in runs),
        "max_rel_res_ours": max(r["max_rel_res_ours"] for r in runs),
        "ok": all(r["ok"] for r in runs),
        "runs": runs,
    }
    print(
        f"{name:28s} n={g.n:7d}  median eigsh {out['baseline_s']:7.2f} s  ours "
        f"{out['ours_s']:6.2f} s  ratio {out['speedup']:5.1f}x (runs {min(ratios):.1f}-"
        f"{max(ratios):.1f}x; CPU {out['cpu_speedup']:.1f}x)  "
        f"{'OK' if out['ok'] else 'MISMATCH'}",
        flush=True,
    )
    return out


def path_star_prediction(degree: int, length: int) -> dict:
    g = graphs.path_star(degree, length)
    t0 = time.perf_counter()
    basis = spectral.node2vec_prediction(g, sparse=True)
    dt = time.perf_counter() - t0
    # orthonormality and eigen-residual of the sparse basis, all in sparse arithmetic
    gram = (basis.T @ basis).tocoo()
    gram_dev = gram.data - (gram.row == gram.col)
    orth = float(np.max(np.abs(gram_dev))) if gram.nnz else 0.0
    M = spectral.neg_laplacian(g)
    MB = sp.csc_matrix(M @ basis)
    lam = np.asarray(basis.multiply(MB).sum(axis=0)).ravel()
    R = MB - basis @ sp.diags(lam)
    res = float(np.sqrt(np.max(np.asarray(R.multiply(R).sum(axis=0)).ravel())))
    print(
        f"node2vec_prediction(path_star({degree}, {length})): n={g.n}, basis {basis.shape} "
        f"({basis.nnz} non-zeros), {dt:.2f} s, max|B^T B - I| {orth:.1e}, "
        f"max residual {res:.1e}, eigenvalues {lam[0]:+.6f}, {lam[1]:+.8f} (x{degree - 1})",
        flush=True,
    )
    return {"degree": degree, "length": length, "seconds": dt, "rank": basis.shape[1]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small graphs, < 1 minute")
    parser.add_argument(
        "--only",
        choices=("all", "random", "grid", "path-star"),
        default="all",
        help="run one part only (default: all)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each solver per graph, alternating (default: 3); medians are compared",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be >= 1, got {args.repeat}")
    if args.quick:
        cases = [
            ("random_graph(5000, 10, 0)", graphs.random_graph(5000, 10, seed=0)),
            ("grid(60, 61)", graphs.grid(60, 61)),
        ]
        stars = [(100, 21), (200, 21)]
    else:
        cases = [
            ("random_graph(100000, 10, 0)", graphs.random_graph(100_000, 10, seed=0)),
            ("grid(300, 301)", graphs.grid(300, 301)),
        ]
        stars = [(1000, 101), (2000, 101), (4000, 101)]
    if args.only in ("random", "grid"):
        cases = [cases[0 if args.only == "random" else 1]]
    if args.only != "all" and args.only != "path-star":
        stars = []
    if args.only == "path-star":
        cases = []
    print(f"top {K} eigenpairs of -L: scipy eigsh(M, k={K}, which='LA') vs top_eigenpairs")
    results = [compare(name, g, args.repeat) for name, g in cases]
    ratios = ", ".join(
        f"{r['graph']}: {r['speedup']:.1f}x (runs {r['speedup_min']:.1f}-{r['speedup_max']:.1f}x, "
        f"CPU {r['cpu_speedup']:.1f}x)"
        for r in results
    )
    print(f"speed ratios (median baseline / median ours, wall clock): {ratios}")
    print(
        "note: wall-clock ratios depend on machine load; CPU time is summed over all BLAS "
        "threads of the process (the baseline runs with the default threaded OpenBLAS)"
    )
    stars_out = [path_star_prediction(d, ell) for d, ell in stars]
    if len(stars_out) >= 2:
        d0, d1 = stars_out[0], stars_out[-1]
        slope = np.log(d1["seconds"] / d0["seconds"]) / np.log(d1["degree"] / d0["degree"])
        t10k = d1["seconds"] * (10_000 / d1["degree"]) ** slope
        print(
            f"path-star scaling: time ~ degree^{slope:.2f} at length {d0['length']}; "
            f"extrapolated degree 10,000: ~{t10k:.1f} s (basis nnz grows as d log d)"
        )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
