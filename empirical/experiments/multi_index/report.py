"""Markdown summary of a multi_index result."""

from __future__ import annotations

from empirical.experiments.multi_index.metrics import PREDICTED_SLOPE, escape_slope


def summary_markdown(result: dict) -> str:
    cfg = result["config"]
    lines = [
        "# Multi-index gradient flow on the overlap M",
        "",
        f"d = {cfg['d']}, {cfg['seeds']} uniform starts per link and mode.",
        "",
        "| link | mode | loss start -> end | smallest singular value of M | drop times |"
        " loss between drops (predicted) |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["flows"]:
        drops = ", ".join(f"{t:.3g}" for t in r["drops"])
        between = ", ".join(f"{v:.3g}" for v in r["loss_between_drops"]) or "-"
        pred = ", ".join(f"{v:g}" for v in r["plateau_levels"][1:-1]) or "-"
        lines.append(
            f"| {r['link']} | {r['mode']} | {r['initial_loss']:.3g} -> {r['final_loss']:.2g} |"
            f" {r['min_singular_value']:.4f} | {drops} | {between} ({pred}) |"
        )
    lines += ["", "Escape time of the last drop, median over seeds (two-timescale):", ""]
    for link in dict.fromkeys(r["link"] for r in result["escape"]):
        slope, med = escape_slope(result["escape"], link)
        lines.append(
            f"- {link}: d = {cfg['dims']}: {[round(m, 3) for m in med]}; log-log slope "
            f"{slope:.3f} (derived here: {PREDICTED_SLOPE.get(link, float('nan')):g})"
        )
    for r in result.get("finite", []):
        lines.append(
            f"- online SGD at d = {r['d']} ({r['link']}): largest gap to the flow's singular "
            f"values {r['max_abs_gap']:.3g} = {r['gap_in_se']:.3g} (standard error + lr)"
        )
    lines += ["", f"wall time {result['wall_time']:.1f} s", ""]
    return "\n".join(lines)
