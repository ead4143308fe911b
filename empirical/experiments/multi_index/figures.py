"""Loss curves of the overlap flows (drawn without touching pyplot's global state)."""

from __future__ import annotations

from pathlib import Path

from empirical.results import atomic_save_figure, new_figure


def save_figures(result: dict, out: Path) -> dict:
    links = list(dict.fromkeys(r["link"] for r in result["flows"]))
    fig, axes = new_figure(1, len(links), figsize=(4 * len(links), 3.2), squeeze=False)
    for ax, link in zip(axes[0], links, strict=True):
        for r in result["flows"]:
            if r["link"] == link:
                style = "-" if r["mode"] == "two-timescale" else ":"
                ax.semilogx(r["t"][1:], r["loss"][1:], style, alpha=0.7)
        ax.set(title=link, xlabel="t", ylabel="population loss")
    path = atomic_save_figure(fig, Path(out) / "multi_index.png")
    return {"loss": path.name}
