"""Node2Vec on the eigenbasis of -L from a small initialization: which eigen-clusters are learned
first, and when (an extension, issue 15; theory ``memtheory.spectral.eigenbasis``).

For each graph and seed, the exact float64 dynamics ``memtheory.spectral.node2vec_dynamics``
(``V <- V + lr C V``; run in chunks of ``record_every`` steps, each continuing from the last
``V``) start from ``N(0, init_std^2)`` entries; at every record the overlap
``C_k = ||U_k^T V||_F`` with each eigen-cluster of -L and ``max |v_i . v_j|`` are stored. From
them: the step at which each cluster first reaches ``factor`` times its initial overlap (early,
linear phase) and, for the clusters kept at the end (final >= ``factor`` x initial), the step at
which each reaches half its final overlap; both against the reduced dynamics
``C_k(t) = C_k(0) (1 + lr g_k)^t`` (``memtheory.spectral.eigen_growth``) and its predicted end
of the linear phase (``linearization_break_time``). numpy only (no torch).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from memtheory import spectral
from memtheory.checks import as_float

#: graphs fixed before measuring: a regular one (reduction exact), a grid (degrees 2-4), a
#: path-star (degrees 1-3) and a seeded random graph (connected; degrees vary), all n = 16; the
#: path-star is 3x6 rather than 3x4 because the theory alone (before any run) puts only 2
#: clusters of 3x4 inside the linear phase, too few for an order (3x6: 4)
EIGEN_GRAPHS = ("cycle:16", "grid:4x4", "path-star:3x6", "random:16x4:3")
#: scale of the embedding at which the linearized gradient is compared with the exact one
LIN_EPS = 1e-3


@dataclasses.dataclass(frozen=True)
class EigenbasisConfig:
    """Small-initialization Node2Vec dynamics, recorded on the eigenbasis of -L.

    ``factor`` K: the early crossing level (K x initial overlap) and the "kept" threshold (final
    >= K x initial); ``top``: how many of the earliest predicted clusters have their time
    ratio judged; ``break_eps``: ``max |v_i . v_j|`` that ends the linear phase. Records every
    ``record_every`` steps up to ``dense_until``, then every ``10 x record_every``."""

    graphs: tuple[str, ...] = EIGEN_GRAPHS
    seeds: int = 2
    dim: int = 16
    init_std: float = 1e-5
    lr: float = 0.01
    steps: int = 4000
    record_every: int = 5
    dense_until: int = 1000
    factor: float = 10.0
    break_eps: float = spectral.BREAK_EPS
    top: int = 3

    def __post_init__(self):
        from empirical.experiments.spectral.config import experiment_graph

        if not self.graphs:
            raise ValueError("eigenbasis graphs must name at least one graph")
        for spec in self.graphs:
            if not experiment_graph(spec).is_connected():
                raise ValueError(f"eigenbasis graph {spec!r} must be connected")
        for name in ("seeds", "dim", "steps", "record_every", "dense_until", "top"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"eigenbasis {name} must be an integer >= 1")
        as_float("eigenbasis init_std", self.init_std, 0.0, 1e-2, low_open=True)
        as_float("eigenbasis lr", self.lr, 0.0, 0.1, low_open=True)
        as_float("eigenbasis factor", self.factor, 1.0, None, low_open=True)
        as_float("eigenbasis break_eps", self.break_eps, 0.0, 1.0, low_open=True)


def first_crossing(steps: np.ndarray, values: np.ndarray, level: float) -> float:
    """First step at which ``values`` reach ``level``, log-linearly interpolated between the
    two records around the crossing; ``inf`` if never reached, 0 if already there."""
    above = np.flatnonzero(values >= level)
    if above.size == 0:
        return math.inf
    i = int(above[0])
    if i == 0:
        return 0.0
    y0, y1 = math.log(values[i - 1]), math.log(values[i])
    frac = (math.log(level) - y0) / (y1 - y0) if y1 > y0 else 1.0
    return float(steps[i - 1] + frac * (steps[i] - steps[i - 1]))


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given their average rank (as ``scipy.stats.rankdata``)."""
    order = np.argsort(x, kind="stable")
    r = np.empty(x.size)
    r[order] = np.arange(1, x.size + 1)
    for v in np.unique(x):
        tie = x == v
        r[tie] = r[tie].mean()
    return r


def spearman(x, y) -> float:
    """Spearman rank correlation (Pearson correlation of average ranks); nan for fewer than 2
    items; 1 when both are constant, 0 when only one is."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size < 2:
        return math.nan
    rx, ry = _ranks(x), _ranks(y)
    sx, sy = np.std(rx), np.std(ry)
    if sx == 0 or sy == 0:
        return 1.0 if sx == sy else 0.0
    return float(np.mean((rx - rx.mean()) * (ry - ry.mean())) / (sx * sy))


def worst_ratio(ratios) -> float:
    """The ratio farthest from 1 in log terms (0 and inf count as infinitely far); nan if none."""
    if not ratios:
        return math.nan
    return max(ratios, key=lambda r: abs(math.log(r)) if 0 < r < math.inf else math.inf)


def record_steps(cfg: EigenbasisConfig) -> list[int]:
    """0, every ``record_every`` steps to ``dense_until``, every 10x that after, and the end."""
    dense = range(0, min(cfg.dense_until, cfg.steps), cfg.record_every)
    sparse = range(min(cfg.dense_until, cfg.steps), cfg.steps, 10 * cfg.record_every)
    return sorted({*dense, *sparse, cfg.steps})


def trajectory(g, cfg: EigenbasisConfig, seed: int):
    """``(steps, overlaps (records x clusters), max_gram per record, growth)`` of one run."""
    eg = spectral.eigen_growth(g)
    V = np.random.default_rng(seed).normal(0.0, cfg.init_std, size=(g.n, cfg.dim))
    steps = record_steps(cfg)
    C = [spectral.eigen_overlaps(eg, V)]
    gram = [spectral.max_gram(V)]
    V0 = V
    for a, b in zip(steps[:-1], steps[1:], strict=True):
        V, _ = spectral.node2vec_dynamics(
            g, d=cfg.dim, steps=b - a, lr=cfg.lr, V0=V, record_every=b - a, k=1
        )
        C.append(spectral.eigen_overlaps(eg, V))
        gram.append(spectral.max_gram(V))
    return np.array(steps), np.array(C), np.array(gram), eg, V0


def eigen_row(spec: str, seed: int, cfg: EigenbasisConfig) -> dict:
    """One graph and seed: predictions, measured crossing / half-final times, the judged sets."""
    from empirical.experiments.spectral.config import experiment_graph

    g = experiment_graph(spec)
    steps, C, gram, eg, V0 = trajectory(g, cfg, seed)
    K = cfg.factor
    c0, cT = C[0], C[-1]
    t_hat = spectral.crossing_times(eg.rates, lr=cfg.lr, factor=K)
    lin = spectral.linear_overlaps(g, V0, lr=cfg.lr, steps=steps)
    t_lin = np.array([first_crossing(steps, lin[:, k], K * c0[k]) for k in range(C.shape[1])])
    t_meas = np.array([first_crossing(steps, C[:, k], K * c0[k]) for k in range(C.shape[1])])
    t_break = spectral.linearization_break_time(
        g, lr=cfg.lr, init_std=cfg.init_std, d=cfg.dim, eps=cfg.break_eps
    )
    t_break_meas = first_crossing(steps, gram, cfg.break_eps)
    # early phase: clusters predicted to reach K x initial before the predicted break
    scope = [int(k) for k in np.argsort(t_hat, kind="stable") if t_hat[k] <= t_break]
    judged = scope[: cfg.top]
    ratios = [float(t_meas[k] / t_hat[k]) for k in judged]
    # the exact linear trajectory (rank-one coupling kept): every cluster it puts before the break
    lin_scope = [int(k) for k in np.argsort(t_lin, kind="stable") if t_lin[k] <= t_break]
    lin_ratios = [float(t_meas[k] / t_lin[k]) for k in lin_scope]
    rank_meas = np.where(np.isfinite(t_meas), t_meas, cfg.steps + 1.0)
    # learned: clusters kept at the end; order of reaching half the final overlap
    kept = [k for k in range(C.shape[1]) if cT[k] >= K * c0[k]]
    t_half = np.array([first_crossing(steps, C[:, k], 0.5 * cT[k]) for k in range(C.shape[1])])
    t_half_hat = spectral.level_times(eg.rates, c0, 0.5 * cT, lr=cfg.lr)
    kept_by_rate = sorted(kept, key=lambda k: -eg.rates[k])
    top_kept = kept_by_rate[0] if kept_by_rate else None
    return {
        "graph": g.name,
        "n": g.n,
        "seed": seed,
        "growth": eg.as_dict(),
        "initial_overlap": c0.tolist(),
        "final_overlap": cT.tolist(),
        "crossing_predicted": t_hat.tolist(),
        "crossing_linear": t_lin.tolist(),
        "crossing_measured": t_meas.tolist(),
        "break_predicted": t_break,
        "break_measured": t_break_meas,
        "early_clusters": scope,
        "early_spearman": spearman(t_hat[scope], rank_meas[scope]),
        "early_judged": judged,
        "early_ratios": ratios,
        "early_worst_ratio": worst_ratio(ratios),
        "linear_clusters": lin_scope,
        "linear_ratios": lin_ratios,
        "linear_worst_ratio": worst_ratio(lin_ratios),
        "kept_clusters": kept,
        "half_final_measured": t_half.tolist(),
        "half_final_predicted": t_half_hat.tolist(),
        "learned_spearman": spearman(-eg.rates[kept], t_half[kept]),
        "learned_top_cluster": top_kept,
        "learned_top_ratio": (
            None if top_kept is None else float(t_half[top_kept] / t_half_hat[top_kept])
        ),
        "history": {"steps": steps.tolist(), "overlaps": C.tolist(), "max_gram": gram.tolist()},
    }


def run_eigenbasis(cfg: EigenbasisConfig, progress: bool = False) -> dict:
    """Every graph and seed of ``cfg``: ``{"config", "runs"}`` (rows of :func:`eigen_row`)."""
    from tqdm.auto import tqdm

    if not isinstance(cfg, EigenbasisConfig):
        raise ValueError("eigenbasis must be an EigenbasisConfig or None")
    jobs = [(spec, s) for spec in cfg.graphs for s in range(cfg.seeds)]
    runs = [
        eigen_row(spec, s, cfg) for spec, s in tqdm(jobs, desc="eigenbasis", disable=not progress)
    ]
    return {
        "config": dataclasses.asdict(cfg),
        "runs": runs,
        "linearization_error": {spec: linearization_check(spec) for spec in cfg.graphs},
    }


def linearization_check(spec: str, eps: float = LIN_EPS, dim: int = 3, seed: int = 0) -> float:
    """Relative error of the linearized gradient ``M0 V`` against Lemma 5's ``C(V) V`` at
    ``eps * V``, ``V`` with N(0, 1) entries (``memtheory.spectral.linearization_error``)."""
    from empirical.experiments.spectral.config import experiment_graph

    g = experiment_graph(spec)
    V = np.random.default_rng(seed).normal(size=(g.n, dim))
    return spectral.linearization_error(g, eps * V)


def _fmt(x) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.0f}"


def summary_lines(eig: dict) -> list[str]:
    """Markdown lines: per graph and seed, the predicted and measured times."""
    cfg = eig["config"]
    lines = [
        "## Eigenbasis of -L from a small initialization (extension)",
        "",
        f"dim {cfg['dim']}, N(0, {cfg['init_std']:g}) init, lr {cfg['lr']:g}, {cfg['steps']} "
        f"steps; crossing = {cfg['factor']:g} x initial overlap; break = max |v_i.v_j| "
        f">= {cfg['break_eps']:g}.",
        "",
        "| graph | seed | rates g_k (top 4) | break pred / meas | clusters before break | "
        "crossing pred -> meas (top 3) | Spearman | measured / exact-linear (worst) | "
        "kept | Spearman learned | half-final meas / pred (fastest kept) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in eig["runs"]:
        rates = r["growth"]["rates"]
        top4 = ", ".join(f"{x:.2f}" for x in sorted(rates, reverse=True)[:4])
        cross = "; ".join(
            f"{_fmt(r['crossing_predicted'][k])} -> {_fmt(r['crossing_measured'][k])}"
            for k in r["early_judged"]
        )
        top = r["learned_top_ratio"]
        lines.append(
            f"| {r['graph']} | {r['seed']} | {top4} | {_fmt(r['break_predicted'])} / "
            f"{_fmt(r['break_measured'])} | {r['early_clusters']} | {cross} | "
            f"{r['early_spearman']:.3f} | {r['linear_worst_ratio']:.3f} "
            f"({len(r['linear_clusters'])} clusters) | {len(r['kept_clusters'])} of "
            f"{len(rates)} | {r['learned_spearman']:.3f} | "
            f"{'-' if top is None else f'{top:.3f}'} |"
        )
    lines += ["", "![eigenbasis](eigenbasis.png)", ""]
    return lines


def save_figure(eig: dict, path):
    """Overlap per eigen-cluster over time (seed 0, one panel per graph), the reduced dynamics
    ``C_k(0)(1 + lr g_k)^t`` dashed, predicted crossing times as markers on the level
    ``factor x C_k(0)``, predicted end of the linear phase as a dotted vertical line; steps up
    to 3x that end (the learning phase)."""
    from pathlib import Path

    from empirical.running.results import atomic_save_figure, new_figure

    runs = [r for r in eig["runs"] if r["seed"] == 0] or eig["runs"][:1]
    cfg = eig["config"]
    fig, axes = new_figure(1, len(runs), figsize=(3.6 * len(runs), 3.3), squeeze=False)
    for ax, r in zip(axes[0], runs, strict=True):
        steps = np.array(r["history"]["steps"], float)
        C = np.array(r["history"]["overlaps"])
        rates = np.array(r["growth"]["rates"])
        order = np.argsort(-rates, kind="stable")
        for rank, k in enumerate(order):
            color = f"C{rank}" if rank < 6 else "0.75"
            label = f"λ={r['growth']['eigenvalues'][k]:.2f}" if rank < 6 else None
            ax.semilogy(steps, C[:, k], color=color, lw=1.2 if rank < 6 else 0.6, label=label)
            if rank < 6 and rates[k] > 0:
                pred = C[0, k] * np.exp(steps * math.log1p(cfg["lr"] * rates[k]))
                keep = pred <= 10 * C.max()
                ax.semilogy(steps[keep], pred[keep], color=color, ls="--", lw=0.7)
                t = r["crossing_predicted"][k]
                if math.isfinite(t) and t <= steps[-1]:
                    ax.plot([t], [cfg["factor"] * C[0, k]], marker="v", color=color, ms=5)
        right = steps[-1]
        if math.isfinite(r["break_predicted"]):
            ax.axvline(r["break_predicted"], color="k", ls=":", lw=0.8)
            right = min(right, 3 * r["break_predicted"])
        ax.set(
            title=r["graph"],
            xlabel="step",
            xlim=(0, right),
            ylim=(0.3 * C[0].min(), 3 * C.max()),
        )
        ax.legend(fontsize=6, loc="lower right")
    axes[0][0].set_ylabel("overlap ||U_k^T V||")
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return atomic_save_figure(fig, path, dpi=110)
