"""Figures of :mod:`empirical.experiments.tiny_graphs`, drawn outside pyplot
(``empirical.running.results.new_figure``) so a user's backend is left alone.

* ``embeddings[_self_edges].png``: node embeddings on their top two principal directions
  (eigenvectors of the centered :math:`E^\\top E`), graph edges drawn, one panel per graph x model;
* ``cosine_<graph>.png``: the adjacency matrix beside each model's cosine-similarity matrix;
* ``spectrum_<graph>.png``: eigenvalues of :math:`-L` beside each model's energy on each
  eigenvector (the released spectral-bias bars, notes §6.2);
* ``curves_<graph>.png``: memorization (top-deg recovery) and geometry (spectral energy, mean
  edge cosine, zigzag energy) over training steps, seed mean with min-max band;
* ``knobs.png``: the claim-6 knob table, measured against the paper's single run.

Each figure uses the first seed for single-run pictures and all seeds for curves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure


def _safe(spec: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in spec)


def _pca2(E: np.ndarray) -> np.ndarray:
    X = E - E.mean(axis=0, keepdims=True)
    U, s, _ = np.linalg.svd(X, full_matrices=False)
    P = U[:, :2] * s[:2]
    if P.shape[1] < 2:
        P = np.pad(P, ((0, 0), (0, 2 - P.shape[1])))
    return P


def _cosine(E: np.ndarray) -> np.ndarray:
    N = E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-300)
    return N @ N.T


def _cells(result):
    records = result["records"]
    graphs = list(dict.fromkeys(r["graph"] for r in records))
    models = list(dict.fromkeys(r["model"] for r in records))
    ses = list(dict.fromkeys(r["self_edges"] for r in records))
    seed = min(r["seed"] for r in records)
    return records, graphs, models, ses, seed


def _grid_layout(fig, nrows: int, xlabels: bool = False) -> None:
    """Fixed margins for a grid of small panels with a suptitle: ``tight_layout`` renders the
    whole figure once more to measure it (as long as the save itself on these 14-28 panel
    grids)."""
    top = 1.0 - 0.35 / fig.get_figheight()
    fig.subplots_adjust(
        left=0.05,
        right=0.99,
        top=top,
        bottom=0.12 if xlabels else 0.03,
        wspace=0.25,
        hspace=0.55 if xlabels else 0.3,
    )


def embeddings_figure(result, graph_edges, se, path) -> bool:
    from matplotlib.collections import LineCollection

    records, graphs, models, _, seed = _cells(result)
    arrays = result["arrays"]
    fig, axes = new_figure(
        len(graphs), len(models), figsize=(2.4 * len(models), 2.4 * len(graphs)), squeeze=False
    )
    drawn = False
    for i, g in enumerate(graphs):
        for j, m in enumerate(models):
            ax = axes[i][j]
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(m, fontsize=8)
            if j == 0:
                ax.set_ylabel(g, fontsize=8)
            a = arrays.get((g, m, se, seed))
            if a is None:
                continue
            P = _pca2(np.asarray(a[0]))
            segments = [P[[u, v]] for u, v in graph_edges[g]]  # one artist for all edges
            ax.add_collection(LineCollection(segments, colors="0.7", lw=0.6, zorder=1))
            ax.scatter(P[:, 0], P[:, 1], s=10, c=np.arange(len(P)), cmap="viridis", zorder=2)
            drawn = True
    fig.suptitle(
        f"node embeddings, top-2 principal directions (seed {seed}, "
        f"{'with' if se else 'no'} self-edges)",
        fontsize=9,
    )
    _grid_layout(fig, len(graphs))
    atomic_save_figure(fig, path, dpi=90)
    return drawn


def cosine_figure(result, g, adjacency, path) -> None:
    records, _, models, ses, seed = _cells(result)
    arrays = result["arrays"]
    fig, axes = new_figure(
        len(ses), len(models) + 1, figsize=(1.9 * (len(models) + 1), 2.0 * len(ses)), squeeze=False
    )
    for i, se in enumerate(ses):
        ax = axes[i][0]
        A = adjacency + (np.eye(len(adjacency)) if se else 0)
        ax.imshow(A, cmap="Greys", vmin=0, vmax=1)
        ax.set_title("adjacency" + (" + I" if se else ""), fontsize=7)
        for j, m in enumerate(models):
            ax = axes[i][j + 1]
            a = arrays.get((g, m, se, seed))
            if a is not None:
                ax.imshow(_cosine(np.asarray(a[0])), cmap="RdBu_r", vmin=-1, vmax=1)
            ax.set_title(f"{m}{' +self' if se else ''}", fontsize=7)
        for ax in axes[i]:
            ax.set_xticks([])
            ax.set_yticks([])
    fig.suptitle(f"{g}: cosine similarity of node embeddings (seed {seed})", fontsize=9)
    _grid_layout(fig, len(ses))
    atomic_save_figure(fig, path, dpi=90)


def spectrum_figure(result, g, eigvals, path) -> None:
    records, _, models, ses, _ = _cells(result)
    se = False if False in ses else ses[0]
    fig, axes = new_figure(1, 2, figsize=(11, 3.2), gridspec_kw={"width_ratios": [1, 3]})
    n = len(eigvals)
    axes[0].bar(np.arange(n), eigvals, color="0.4")
    axes[0].axhline(-2, color="tab:red", lw=0.8, ls="--")
    axes[0].set_title("eigenvalues of -L (dashed: -2, zigzag below)", fontsize=8)
    axes[0].set_xlabel("eigenvector index (descending)", fontsize=8)
    width = 0.8 / max(len(models), 1)
    for j, m in enumerate(models):
        rs = [r for r in records if r["graph"] == g and r["model"] == m and r["self_edges"] == se]
        if not rs:
            continue
        prof = np.mean([r["spectral_profile"] for r in rs], axis=0)
        axes[1].bar(np.arange(n) + (j - len(models) / 2) * width, prof, width=width, label=m)
    axes[1].axhline(1.0 / n, color="k", lw=0.6, ls=":")
    for ax in axes:
        ax.set_xticks(np.arange(n))
        ax.tick_params(labelsize=6)
    axes[1].set_title(
        f"energy of E on each eigenvector ({'with' if se else 'no'} self-edges, "
        "seed mean; dotted: isotropic 1/n)",
        fontsize=8,
    )
    axes[1].legend(fontsize=6, ncol=4)
    fig.suptitle(g, fontsize=9)
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=90)


def curves_figure(result, g, path) -> None:
    records, _, models, ses, _ = _cells(result)
    fig, axes = new_figure(
        len(ses),
        len(models),
        figsize=(2.6 * len(models), 2.4 * len(ses)),
        squeeze=False,
        sharey=True,
    )
    keys = (
        ("topk_recovery", "tab:blue"),
        ("spectral_energy", "tab:green"),
        ("mean_edge_cosine", "tab:orange"),
        ("zigzag_energy", "tab:red"),
    )
    for i, se in enumerate(ses):
        for j, m in enumerate(models):
            ax = axes[i][j]
            rs = [
                r for r in records if r["graph"] == g and r["model"] == m and r["self_edges"] == se
            ]
            ax.set_title(f"{m}{' +self' if se else ''}", fontsize=7)
            ax.set_xscale("log")
            if not rs:
                continue
            steps = np.array([h["step"] for h in rs[0]["history"]]) + 1
            for key, color in keys:
                Y = np.array([[h[key] for h in r["history"]] for r in rs])
                ax.plot(steps, Y.mean(axis=0), color=color, lw=1, label=key)
                ax.fill_between(steps, Y.min(axis=0), Y.max(axis=0), color=color, alpha=0.2)
            ax.set_xlabel("step + 1", fontsize=7)
            ax.tick_params(labelsize=6)
    axes[0][0].legend(fontsize=5)
    fig.suptitle(f"{g}: memorization vs geometry over training", fontsize=9)
    _grid_layout(fig, len(ses), xlabels=True)
    atomic_save_figure(fig, path, dpi=90)


def knobs_figure(result, path) -> bool:
    rows = result["claims"]["knobs"]["settings"]
    if not rows:
        return False
    fig, ax = new_figure(figsize=(8, 3))
    x = np.arange(len(rows))
    ax.bar(
        x - 0.2,
        [r["skewed_top1"]["mean"] for r in rows],
        0.4,
        yerr=[r["skewed_top1"]["std"] for r in rows],
        label="measured (seed mean ± std)",
    )
    ax.bar(x + 0.2, [r["paper_skewed_top1"] for r in rows], 0.4, label="paper (single run)")
    ax.set_xticks(x)
    ax.set_xticklabels([r["setting"] for r in rows], rotation=25, ha="right", fontsize=7)
    ax.set_ylabel("skewed top-1")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7)
    ax.set_title("cycle 15, 1-layer net width 512: knobs (notes §10.2)", fontsize=9)
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=90)
    return True


def write_figures(result: dict, out) -> list[str]:
    """Write every figure into ``out``; returns the file names written."""
    from memtheory import spectral
    from memtheory.graphs import parse_graph

    out = Path(out)
    names = []
    _, graphs, _, ses, _ = _cells(result)
    parsed = {g: parse_graph(g) for g in graphs}
    edges = {g: parsed[g].edges for g in graphs}
    for se in ses:
        name = "embeddings_self_edges.png" if se else "embeddings.png"
        if embeddings_figure(result, edges, se, out / name):
            names.append(name)
    for g in graphs:
        name = f"cosine_{_safe(g)}.png"
        cosine_figure(result, g, parsed[g].adjacency().toarray(), out / name)
        names.append(name)
        vals, _ = spectral.spectrum(parsed[g])
        name = f"spectrum_{_safe(g)}.png"
        spectrum_figure(result, g, np.asarray(vals), out / name)
        names.append(name)
        name = f"curves_{_safe(g)}.png"
        curves_figure(result, g, out / name)
        names.append(name)
    if knobs_figure(result, out / "knobs.png"):
        names.append("knobs.png")
    return names
