"""Markdown summary of a multi_index result."""

from __future__ import annotations

from empirical.experiments.multi_index.metrics import (
    PREDICTED_SLOPE,
    TRAP_LEVEL,
    escape_slope,
    trap_table,
)


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
    table = trap_table(result.get("trap", []))
    if table:
        lines += [
            "",
            f"Symmetric targets, {table[0]['n']} uniform starts each at d = {cfg['d']}: trapped ="
            f" loss >= {TRAP_LEVEL:g} E f*^2 at the end of the flow"
            f" (t = {cfg['trap_t_max']:g} or alignment).",
            "",
            "| link | mode | trapped | sign rule predicts | rule right | a trapped start ends at |",
            "|---|---|---|---|---|---|",
        ]
        for t in table:
            ex = t["trapped_example"]
            where = "-" if ex is None else f"seed {ex['seed']}: M = {_fmt(ex['final_M'])}"
            pred = "-" if t["predicted_fraction"] is None else f"{t['predicted_fraction']:.3f}"
            agree = "-" if t["agreement"] is None else f"{t['agreement']:.3f}"
            lines.append(
                f"| {t['link']} | {t['mode']} | {t['trapped']}/{t['n']} = {t['fraction']:.3f} |"
                f" {pred} | {agree} | {where} |"
            )
    lines += ["", f"wall time {result['wall_time']:.1f} s", ""]
    return "\n".join(lines)


def _fmt(M) -> str:
    return "[" + ", ".join("[" + ", ".join(f"{x:.3f}" for x in row) + "]" for row in M) + "]"
