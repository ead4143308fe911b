"""Figures of the path-star experiment: the held-out leaf/first-hop heatmap, the path-by-path
distances and a PCA of arm embeddings, and each run's learning curve. Drawn outside pyplot
(:func:`empirical.running.results.new_figure`), saved atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.experiments.pathstar.config import PathStarConfig, RunSpec
from empirical.running.results import atomic_save_figure, new_figure


def figure_runs(config: PathStarConfig, runs: list[RunSpec]) -> set:
    """Runs that get figures: the first main-grid ``mixed`` run at the control graph (else the
    first ``mixed`` run), and each hardest-token / frozen-embeddings run."""
    if not config.figures:
        return set()
    mixed = [r for r in runs if r.recipe == "mixed" and not r.tag]
    at_control = [r for r in mixed if (r.degree, r.length) == tuple(config.control)]
    chosen = {r.run_id for r in (at_control or mixed)[:1]}
    chosen |= {r.run_id for r in runs if r.recipe in ("hardest-token", "frozen-embeddings")}
    return chosen


def save_figures(geom: dict, rec: dict, out_dir: Path) -> list[str]:
    """Heatmap + path-distance + PCA figure, and the accuracy curve, as PNG files."""
    from matplotlib import colormaps

    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{rec['recipe']}-d{rec['degree']}-l{rec['length']}-s{rec['seed']}"
    files = []
    fig, axes = new_figure(1, 3, figsize=(15, 4.6))
    im = axes[0].imshow(geom["heatmap"], cmap="viridis")
    axes[0].set_title(
        f"held-out leaf vs first hop, 1-cos\ncontrast {geom['contrast']:.3f}, "
        f"diag-rank acc {geom['diag_rank_acc']:.2f}"
    )
    axes[0].set_xlabel("first hop of arm j")
    axes[0].set_ylabel("leaf of arm i")
    fig.colorbar(im, ax=axes[0], fraction=0.046)
    im = axes[1].imshow(geom["path_distance"], cmap="viridis")
    axes[1].set_title(
        f"path-by-path cosine distance (held-out)\ndiag {geom['path_diag_mean']:.3f} "
        f"vs off {geom['path_offdiag_mean']:.3f}"
    )
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    P, arm = geom["pca"], geom["pca_arm"]
    cmap = colormaps["tab10"]
    for a in np.unique(arm):
        sel = arm == a
        style = "o-" if geom["pca_heldout"][sel][0] else "s--"
        axes[2].plot(P[sel, 0], P[sel, 1], style, color=cmap(a % 10), ms=4, lw=0.8)
        axes[2].plot(P[sel, 0][-1], P[sel, 1][-1], "*", color=cmap(a % 10), ms=11)
    axes[2].set_title("PCA of arm embeddings (o held-out, s train, * leaf)")
    fig.suptitle(
        f"{rec['model']} {rec['recipe']}  G(d={rec['degree']}, l={rec['length']}) seed "
        f"{rec['seed']}: held-out exact {rec['heldout_exact_match']:.2f}, first-token "
        f"{rec['heldout_first_token_acc']:.2f} (chance {rec['chance']:.3f})"
    )
    fig.set_layout_engine("tight")
    f1 = out_dir / f"geometry-{name}.png"
    atomic_save_figure(fig, f1, dpi=90)
    files.append(str(f1))
    fig, ax = new_figure(figsize=(6.5, 4.2))
    curve = rec["curve"]
    steps = [max(c["global_step"], 0.8) for c in curve]
    for key, label in (
        ("heldout_first_token_acc", "held-out first token"),
        ("heldout_exact_match", "held-out exact match"),
        ("heldout_restricted_acc", "held-out restricted"),
        ("train_exact_match", "train exact match"),
        ("heldout_contrast", "held-out leaf/hop contrast"),
    ):
        ax.plot(steps, [c.get(key) or 0.0 for c in curve], label=label)
    ax.axhline(rec["chance"], color="k", ls=":", label="chance 1/d")
    ax.set_xscale("log")
    ax.set_xlabel("step")
    ax.legend(fontsize=7)
    ax.set_title(name)
    fig.set_layout_engine("tight")
    f2 = out_dir / f"curve-{name}.png"
    atomic_save_figure(fig, f2, dpi=90)
    files.append(str(f2))
    return files
