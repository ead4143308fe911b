"""The spectral experiment's markdown summary: the Observation-4 table per graph and seed."""

from __future__ import annotations


def summary_markdown(result: dict) -> str:
    """The Observation-4 table: per graph and seed."""
    cfg = result["config"]
    lines = [
        "# Node2Vec spectral bias (exact dynamics)",
        "",
        f"dim {cfg['dim']}, N(0, {cfg['init_std']:g}) init, lr {cfg['lr']:g}, "
        f"{cfg['steps']} full-batch steps; wall {result['wall_time']:.1f} s.",
        "",
        "| graph | set | seed | predicted rank | eff. rank (init -> final) | numerical rank | "
        "max angle | energy outside | ||CV|| (init -> final) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["runs"]:
        lines.append(
            f"| {r['graph']} | {r['graph_set']} | {r['seed']} | {r['predicted_rank']} | "
            f"{r['initial_effective_rank']:.2f} -> {r['effective_rank']:.2f} | "
            f"{r['numerical_rank']} | {r['max_angle_deg']:.2f}° | {r['energy_outside']:.2e} | "
            f"{r['initial_cv_norm']:.2e} -> {r['cv_norm']:.2e} |"
        )
    lines += ["", "![dynamics](spectral.png)", ""]
    if "eigenbasis" in result:
        from empirical.experiments.spectral.eigenbasis import summary_lines

        lines += summary_lines(result["eigenbasis"])
    return "\n".join(lines)


def json_view(result: dict) -> list[dict]:
    """What ``--json`` prints: the per-run rows without their histories."""
    return [{k: v for k, v in r.items() if k != "history"} for r in result["runs"]]
