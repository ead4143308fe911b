"""The path-star report: the aggregated table (mean and spread over seeds), the degree x length
x width boundary table, one line per claim with its measured numbers, and the throughput line."""

from __future__ import annotations

import numpy as np

from empirical.validate.claims import Spread


def aggregate(records: list[dict]) -> list[dict]:
    """Mean and spread over seeds (:class:`empirical.validate.claims.Spread`: sample sd,
    ``ddof = 1``), per (recipe, degree, length, pause, width, tag)."""
    groups: dict = {}
    for r in records:
        key = (r["recipe"], r["degree"], r["length"], r["n_pause"], r["d_model"], r["tag"])
        groups.setdefault(key, []).append(r)
    rows = []
    for key, rs in groups.items():
        row = dict(
            zip(("recipe", "degree", "length", "n_pause", "d_model", "tag"), key, strict=True)
        )
        row["n_seeds"] = len(rs)
        row["chance"] = rs[0]["chance"]
        for m in (
            "heldout_first_token_acc",
            "heldout_exact_match",
            "heldout_restricted_acc",
            "heldout_first_token_peak",
            "heldout_exact_match_peak",
            "train_first_token_acc",
            "train_exact_match",
            "heldout_contrast",
            "steps_to_fit_train_paths",
        ):
            vals = [r.get(m) for r in rs if r.get(m) is not None]
            sp = Spread.of(vals) if vals else None
            row[m] = None if sp is None else sp.mean
            row[m + "_sd"] = sp.sd if sp is not None and sp.n > 1 else None
        rows.append(row)
    return rows


def format_table(rows: list[dict]) -> str:
    """Plain-text table: held-out accuracy beside chance for every recipe."""
    head = (
        f"{'recipe':<18}{'d':>5}{'l':>3}{'pause':>6}{'width':>6}{'seeds':>6}  {'chance':>6}  "
        f"{'held-out first (peak)':>22}  {'held-out exact (peak)':>22}  {'restricted':>10}  "
        f"{'train exact':>11}  {'contrast':>8}"
    )
    lines = [head, "-" * len(head)]

    def fmt(r, m):
        v, sd = r.get(m), r.get(m + "_sd")
        if v is None:
            return "n/a"
        return f"{v:.2f}" + (f"±{sd:.2f}" if sd is not None else "")

    for r in rows:
        first = f"{fmt(r, 'heldout_first_token_acc')} ({fmt(r, 'heldout_first_token_peak')})"
        exact = f"{fmt(r, 'heldout_exact_match')} ({fmt(r, 'heldout_exact_match_peak')})"
        lines.append(
            f"{r['recipe'] + ('/' + r['tag'] if r['tag'] else ''):<18}{r['degree']:>5}"
            f"{r['length']:>3}{r['n_pause']:>6}{r['d_model']:>6}{r['n_seeds']:>6}  "
            f"{r['chance']:>6.3f}  {first:>22}  {exact:>22}"
            f"  {fmt(r, 'heldout_restricted_acc'):>10}  {fmt(r, 'train_exact_match'):>11}  "
            f"{fmt(r, 'heldout_contrast'):>8}"
        )
    return "\n".join(lines)


def _mean_sd(vals) -> str:
    vals = [v for v in vals if v is not None]
    if not vals:
        return "n/a"
    if len(vals) == 1:
        return f"{vals[0]:.2f}"
    sp = Spread.of(vals)
    return f"{sp.mean:.2f}±{sp.sd:.2f}"


def claims_report(records: list[dict]) -> str:
    """One line per claim of issue 5 with the measured numbers (mean±sd over seeds)."""
    lines = []

    def pick(recipe, tag=""):
        return [r for r in records if r["recipe"] == recipe and r.get("tag", "") == tag]

    def stat(rs, key):
        return _mean_sd([r.get(key) for r in rs])

    mixed = pick("mixed")
    cells = _mixed_cells(records)
    widths = {wd for _, _, wd in cells}
    for (d, ell, wd), rs in cells.items():
        width = f" width {wd}" if len(widths) > 1 else ""
        lines.append(
            f"1. mixed d={d} l={ell}{width} ({len(rs)} seed{'s' * (len(rs) > 1)}): held-out "
            "first-token "
            f"{stat(rs, 'heldout_first_token_acc')} (peak {stat(rs, 'heldout_first_token_peak')}),"
            f" exact {stat(rs, 'heldout_exact_match')} (peak "
            f"{stat(rs, 'heldout_exact_match_peak')}), chance {rs[0]['chance']:.3f}"
        )
    for num, recipe, what in (
        (2, "hardest-token", "first-token-only target"),
        (3, "frozen-embeddings", "frozen token embeddings"),
        (4, "forward-edges", "forward edges only, forward path"),
        (4, "backward-edges", "backward edges only, reversed path"),
        (4, "staged", "staged (edges, then paths)"),
    ):
        rs = pick(recipe)
        if rs:
            lines.append(
                f"{num}. {what}: held-out first-token {stat(rs, 'heldout_first_token_acc')} (peak "
                f"{stat(rs, 'heldout_first_token_peak')}), exact {stat(rs, 'heldout_exact_match')}"
                f" (peak {stat(rs, 'heldout_exact_match_peak')}), restricted "
                f"{stat(rs, 'heldout_restricted_acc')}, chance {rs[0]['chance']:.3f}"
            )
    for r in pick("in-context"):
        tf = r.get("heldout_teacher_forced_per_position") or []
        lines.append(
            f"5. in-context d={r['degree']} l={r['length']}: test first-token "
            f"{r['heldout_first_token_acc']:.2f} (peak {r['heldout_first_token_peak']:.2f}), "
            f"chance {r['chance']:.3f}; teacher-forced per position "
            f"{[round(v, 2) for v in tf]}; train first-token {r['train_first_token_acc']:.2f}"
        )
    for r in mixed[:6]:
        curve = r.get("curve") or []
        geom = next(
            (c["global_step"] for c in curve if (c.get("heldout_contrast") or 0) > 0.2), None
        )
        right = [c for c in curve if (c.get("heldout_exact_match") or 0) > 0]
        init = curve[0].get("heldout_contrast") if curve else None
        lines.append(
            f"6. {r['run_id']}: leaf/first-hop contrast {_mean_sd([init])} at init, > 0.2 from "
            f"step {geom}; first held-out path right at step "
            f"{right[0]['global_step'] if right else None} (contrast then "
            f"{_mean_sd([right[0].get('heldout_contrast') if right else None])}); final contrast "
            f"{_mean_sd([r.get('heldout_contrast')])}"
        )
    control = [r for r in records if r["recipe"] == "mixed" and r.get("tag") == "pause"]
    if control:
        d, ell = control[0]["degree"], control[0]["length"]
        base = [
            r
            for r in mixed
            if (r["degree"], r["length"], r["seed"]) == (d, ell, control[0]["seed"])
        ]
        for r in sorted(base + control, key=lambda r: r["n_pause"]):
            lines.append(
                f"7. pauses={r['n_pause']} (d={d} l={ell}): training paths fit (exact >= 0.9) at "
                f"step {r.get('steps_to_fit_train_paths')}; held-out first-token peak "
                f"{r['heldout_first_token_peak']:.2f} at step "
                f"{r.get('heldout_first_token_peak_step')}, "
                f"final {r['heldout_first_token_acc']:.2f}"
            )
    for r in mixed:
        drop = r["heldout_first_token_peak"] - r["heldout_first_token_acc"]
        if drop >= 0.1:
            lines.append(
                f"8. transient {r['run_id']}: held-out first-token peak "
                f"{r['heldout_first_token_peak']:.2f} "
                f"(step {r.get('heldout_first_token_peak_step')}) -> final "
                f"{r['heldout_first_token_acc']:.2f}; restricted final "
                f"{r['heldout_restricted_acc']:.2f}; contrast final {r['heldout_contrast']:.2f}"
            )
    n_tr = sum(
        1 for r in mixed if r["heldout_first_token_peak"] - r["heldout_first_token_acc"] >= 0.1
    )
    lines.append(
        f"8. {n_tr}/{len(mixed)} mixed runs lose >= 0.10 held-out first-token accuracy after "
        f"their peak; restricted-argmax accuracy (held-out first hops only) "
        f"{stat(mixed, 'heldout_restricted_acc')} vs unrestricted "
        f"{stat(mixed, 'heldout_first_token_acc')}"
    )
    return "\n".join(lines)


def _mixed_cells(records: list[dict]) -> dict:
    """The main-grid ``mixed`` runs by ``(degree, length, d_model)``, sorted, seeds together."""
    cells: dict = {}
    for r in records:
        if r["recipe"] == "mixed" and r.get("tag", "") == "":
            cells.setdefault((r["degree"], r["length"], r["d_model"]), []).append(r)
    return dict(sorted(cells.items()))


#: boundary classes of :func:`boundary_table` (held-out exact match, mean over seeds)
APPEARS, TRANSIENT_DROP = 0.5, 0.1


def boundary_table(records: list[dict]) -> str:
    """Held-out exact match of the ``mixed`` runs on the degree x length x width grid.

    Each cell reads ``final/peak`` (mean over seeds) and a class: ``T`` transient (peak - final
    >= 0.1; checked first), ``A`` appears (final >= 0.5), ``F`` fails (peak < 0.5), ``-``
    otherwise (peak just above 0.5, final just below it). The ``sweep`` profile's finding is
    where the classes change.
    """
    cells = _mixed_cells(records)
    if not cells:
        return ""
    degrees = sorted({d for d, _, _ in cells})
    rows = sorted({(ell, wd) for _, ell, wd in cells})
    head = f"{'length':>6} {'width':>5} | " + " ".join(f"{'d=' + str(d):>13}" for d in degrees)
    lines = [
        "held-out exact match final/peak (A appears: final >= 0.5; T transient: peak - final "
        ">= 0.1; F fails: peak < 0.5)",
        head,
        "-" * len(head),
    ]
    for ell, wd in rows:
        shown = []
        for d in degrees:
            rs = cells.get((d, ell, wd))
            if not rs:
                shown.append(f"{'':>13}")
                continue
            fin = float(np.mean([r["heldout_exact_match"] for r in rs]))
            peak = float(np.mean([r["heldout_exact_match_peak"] for r in rs]))
            if peak - fin >= TRANSIENT_DROP:
                tag = "T"
            elif fin >= APPEARS:
                tag = "A"
            elif peak < APPEARS:
                tag = "F"
            else:
                tag = "-"
            shown.append(f"{fin:.2f}/{peak:.2f} {tag:>3}")
        lines.append(f"{ell:>6} {wd:>5} | " + " ".join(shown))
    return "\n".join(lines)


def throughput_line(t: dict) -> str:
    return (
        f"throughput: {t['tokens_per_sec']:.3g} tokens/s, {t['achieved_flops'] / 1e9:.3g} GFLOP/s "
        f"achieved vs {t['matmul_flops'] / 1e9:.3g} GFLOP/s measured matmul "
        f"({100 * t['utilization']:.1f}%), {t['train_seconds']:.0f} s of training\n"
    )


def markdown_table(rows: list[dict]) -> str:
    """The aggregated table (:func:`aggregate`) as Markdown: final values, peaks in brackets,
    mean ± sd over graph seeds where there are several (the docs quote it verbatim)."""

    def fmt(r, m):
        v, sd = r.get(m), r.get(m + "_sd")
        if v is None:
            return "n/a"
        return f"{v:.2f}" + (f" ± {sd:.2f}" if sd is not None else "")

    lines = [
        "| recipe | d | l | pauses | width | seeds | chance | held-out first token (peak) | "
        "held-out exact (peak) | restricted | train exact | contrast |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = r["recipe"] + (", " + r["tag"] if r["tag"] else "")
        lines.append(
            f"| {name} | {r['degree']} | {r['length']} | {r['n_pause']} | {r['d_model']} | "
            f"{r['n_seeds']} | {r['chance']:.3f} | {fmt(r, 'heldout_first_token_acc')} "
            f"({fmt(r, 'heldout_first_token_peak')}) | {fmt(r, 'heldout_exact_match')} "
            f"({fmt(r, 'heldout_exact_match_peak')}) | {fmt(r, 'heldout_restricted_acc')} | "
            f"{fmt(r, 'train_exact_match')} | {fmt(r, 'heldout_contrast')} |"
        )
    return "\n".join(lines) + "\n"


def summary_md(result: dict) -> str:
    """What ``summary.md`` holds: the Markdown table, the throughput and the claim lines."""
    return (
        markdown_table(result["summary"])
        + "\n"
        + throughput_line(result["throughput"])
        + "\n```text\n"
        + claims_report(result["records"])
        + "\n```\n"
    )


def summary_text(result: dict) -> str:
    """What ``summary.txt`` holds: table, throughput, boundary table and the claim lines."""
    records = result["records"]
    return (
        result["table"]
        + "\n"
        + throughput_line(result["throughput"])
        + boundary_table(records)
        + "\n"
        + claims_report(records)
        + "\n"
    )


def summary_markdown(result: dict) -> str:
    """What ``python -m empirical.experiments.pathstar`` prints: table, throughput, the claim
    lines and the figure paths."""
    records, t = result["records"], result["throughput"]
    lines = [result["table"], throughput_line(t) + claims_report(records)]
    lines += [f"figure: {f}" for f in result["figures"]]
    return "\n".join(lines) + "\n"


def json_view(result: dict) -> list[dict]:
    """What ``--json`` prints: the run records without their learning curves."""
    return [{k: v for k, v in r.items() if k != "curve"} for r in result["records"]]
