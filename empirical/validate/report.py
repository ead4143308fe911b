"""The validation report: verdicts from result rows, the headline, ``report.md`` and figures.

Everything here is rebuilt from ``results.jsonl`` plus the registry: a claim's kind, whether it
is recorded as not reproducing (and why) come from the registry at report time, never from the
stored rows, so editing the registry and running ``--report-only`` shows the new expectations.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from empirical.running.results import atomic_save_figure, atomic_write_text, new_figure
from empirical.validate.claims import (
    Category,
    Claim,
    Kind,
    NotReproducing,
    Spread,
    Verdict,
    row_verdict,
)

KIND_TITLES = {
    Kind.PAPER: "Paper claims reproduced",
    Kind.DERIVATION: "Derivation checks passed",
    Kind.MODEL: "Toolkit models that hold",
    Kind.EXTENSION: "Extensions that hold",
}
REQUIRED = ("claim", "profile", "holds", "verdict")


@dataclass(frozen=True)
class ClaimLine:
    """One claim's summary: its registry entry (or the stored one), rows and verdict."""

    claim: str
    kind: Kind
    paper: str
    not_reproducing: NotReproducing | None
    verdict: Verdict
    prediction: str
    measurement: str
    margin: float | None  # the smallest row margin (the binding row)
    rows: list

    @property
    def category(self) -> Category | None:
        return None if self.not_reproducing is None else self.not_reproducing.category


def check_rows(rows: list[dict], source) -> None:
    """Refuse rows that are not validation rows (``source`` names the file in the message)."""
    for i, r in enumerate(rows, 1):
        missing = [k for k in REQUIRED if k not in r]
        if missing:
            raise ValueError(f"{source}: row {i} is not a validation row (missing {missing})")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list) and len(value) > 4:
        return "[" + ", ".join(_fmt(v) for v in value[:4]) + ", ...]"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return "—" if value is None else str(value)


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _same_numeric_parts(meas: list) -> bool:
    """Every measurement is a mapping with the same keys and numeric values (an AllOf row)."""
    return all(
        isinstance(m, dict) and m.keys() == meas[0].keys() and all(map(_is_number, m.values()))
        for m in meas
    )


def _stored_nr(r: dict) -> NotReproducing | None:
    if r.get("expect", "holds") == "holds":
        return None
    return NotReproducing(r.get("category") or "budget", r.get("reason") or "recorded")


def claim_verdict(rows: list[dict], nr: NotReproducing | None) -> Verdict:
    """One verdict for a claim from its rows: error if any row errored, else every row must
    hold, judged against the registry's expectation ``nr``."""
    if any(r["verdict"] == Verdict.ERROR.value for r in rows):
        return Verdict.ERROR
    return row_verdict(all(r["holds"] for r in rows), nr)


def summarize(rows: list[dict], registry: dict[str, Claim]) -> list[ClaimLine]:
    """One line per claim, the expectation taken from ``registry`` where the claim is known."""
    by_claim: dict[str, list[dict]] = {}
    for r in rows:
        by_claim.setdefault(r["claim"], []).append(r)
    lines = []
    for cid in sorted(by_claim):
        rs = by_claim[cid]
        reg = registry.get(cid)
        nr = reg.recorded(rs[0].get("profile")) if reg else _stored_nr(rs[0])
        kind = reg.kind if reg else Kind(rs[0].get("kind", "paper"))
        meas = [r.get("measurement") for r in rs]
        if len(rs) > 1 and all(_is_number(m) for m in meas):
            measurement = str(Spread.of(meas))
        elif len(rs) > 1 and _same_numeric_parts(meas):
            measurement = (
                "{" + ", ".join(f"{k}: {Spread.of([m[k] for m in meas])}" for k in meas[0]) + "}"
            )
        else:
            measurement = "; ".join(_fmt(m) for m in meas)
        preds = [r.get("prediction") for r in rs]
        prediction = (
            _fmt(preds[0]) if all(p == preds[0] for p in preds) else "; ".join(map(_fmt, preds))
        )
        margins = [r["margin"] for r in rs if _is_number(r.get("margin"))]
        lines.append(
            ClaimLine(
                claim=cid,
                kind=kind,
                paper=reg.paper if reg else rs[0].get("paper", ""),
                not_reproducing=nr,
                verdict=claim_verdict(rs, nr),
                prediction=prediction,
                measurement=measurement,
                margin=min(margins) if margins else None,
                rows=rs,
            )
        )
    return lines


def exit_status(lines: list[ClaimLine], strict: bool = False) -> int:
    """0 when every expectation is met (stale expectations too, under ``strict``), else 1."""
    bad = {Verdict.FAILS, Verdict.ERROR} | ({Verdict.STALE} if strict else set())
    return 1 if any(line.verdict in bad for line in lines) else 0


def headline(lines: list[ClaimLine], strict: bool = False) -> list[str]:
    """The counts a reader needs first: per kind how many hold of how many, the recorded
    non-reproductions by category, unexpected failures, errors and stale expectations."""
    out = []
    for kind, title in KIND_TITLES.items():
        mine = [line for line in lines if line.kind is kind]
        if not mine:
            continue
        held = sum(line.verdict in (Verdict.HOLDS, Verdict.STALE) for line in mine)
        cats = Counter(
            line.category.value
            for line in mine
            if line.verdict in (Verdict.NOT_REPRODUCING, Verdict.NOT_TESTED)
        )
        text = f"{title}: {held} of {len(mine)}."
        if cats:
            parts = [
                f"{n} {'not tested here (regime)' if c == 'regime' else c}"
                for c, n in sorted(cats.items())
            ]
            text += f" Recorded as not reproducing: {', '.join(parts)}."
        out.append(text)
    count = Counter(line.verdict for line in lines)
    out.append(
        f"Unexpected failures: {count[Verdict.FAILS]}. Errors: {count[Verdict.ERROR]}. "
        f"Stale expectations (recorded as not reproducing, now hold): {count[Verdict.STALE]}"
        f"{' (fail under --strict)' if strict else ''}."
    )
    code = exit_status(lines, strict)
    out.append(
        f"Exit status {code}: "
        + ("every expectation is met." if code == 0 else "some expectation is not met.")
    )
    return out


def _margin(m) -> str:
    return "—" if m is None else f"{m:+.3g}"


def _row_label(r: dict) -> str:
    parts = [str(r.get("label") or ""), "" if r.get("seed") is None else f"s{r['seed']}"]
    return " ".join(p for p in parts if p) or "all"


def claim_figure(line: ClaimLine, fig_dir: Path) -> str | None:
    """Measured value per row against the prediction; None when the values are not numbers."""
    rs = line.rows
    meas = [r.get("measurement") for r in rs]
    if not all(_is_number(m) for m in meas):
        return None
    fig, ax = new_figure(figsize=(4.2, 2.6))
    xs = list(range(len(rs)))
    ax.plot(xs, meas, "o", label="measured")
    preds = [r.get("prediction") for r in rs]
    if all(_is_number(p) for p in preds):
        ax.plot(xs, preds, "_", markersize=20, color="C3", label="predicted")
    ax.set_xticks(xs, [_row_label(r) for r in rs], fontsize=6, rotation=60 if len(xs) > 3 else 0)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(f"{line.claim}: {line.verdict.value}", fontsize=8, loc="left")
    # fixed margins, legend above the axes: tight_layout and the "best" legend search were
    # half of the report's time (97 figures, 15 s on one core at the end of the quick run)
    ax.legend(fontsize=6, loc="lower right", bbox_to_anchor=(1.0, 1.08), ncols=2, frameon=False)
    fig.subplots_adjust(left=0.16, right=0.97, top=0.8, bottom=0.36 if len(xs) > 3 else 0.2)
    fig_dir.mkdir(parents=True, exist_ok=True)
    path = fig_dir / f"{line.claim}.png"
    atomic_save_figure(fig, path, dpi=110)
    return str(path)


def _expectation(line: ClaimLine) -> str:
    nr = line.not_reproducing
    if nr is None:
        return "expected to hold"
    return f"recorded as not reproducing ({nr.category.value}): {nr.reason}"


def claim_figures(lines: list[ClaimLine], fig_dir: Path, workers: int = 2) -> dict:
    """``{claim: figure path or None}`` for ``lines``, drawn in ``workers`` processes (about
    0.1 s of CPU per figure, ~100 figures at the end of a validation; one process when
    ``workers`` is 1 or the lines are few)."""
    if workers <= 1 or len(lines) < 16:
        return {line.claim: claim_figure(line, fig_dir) for line in lines}
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        paths = pool.map(claim_figure, lines, [fig_dir] * len(lines), chunksize=8)
        return {line.claim: path for line, path in zip(lines, paths, strict=True)}


def markdown(out: Path, lines: list[ClaimLine], figures: bool = True, strict: bool = False):
    """The text of ``report.md`` (figures written beside it when ``figures``)."""
    workers = min(2, os.cpu_count() or 1)
    figs = claim_figures(lines, out / "figures", workers) if figures else {}
    md = ["# Validation report", ""]
    rows = [r for line in lines for r in line.rows]
    if rows:
        md.append(f"Profile: {rows[0]['profile']}. Versions: {_fmt(rows[0].get('versions'))}.")
        md.append("")
    md += [f"- {h}" for h in headline(lines, strict)]
    walls = {}
    for r in rows:
        walls[r.get("experiment")] = r.get("experiment_wall_time")
    if walls:
        md += ["", "| experiment | wall time (s) |", "|---|---|"]
        for name, wall in sorted(walls.items(), key=lambda kv: -(kv[1] or 0)):
            md.append(f"| `{name}` | {_fmt(wall)} |")
    md += [
        "",
        "Margin: how far the binding row is inside (+) or outside (-) its tolerance, in the "
        "tolerance's units.",
        "",
        "| claim | kind | prediction | measurement | margin | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for line in lines:
        md.append(
            f"| `{line.claim}` | {line.kind.value} | {line.prediction} | {line.measurement} | "
            f"{_margin(line.margin)} | **{line.verdict.value}** |"
        )
    md.append("")
    for line in lines:
        r0 = line.rows[0]
        md += [
            f"## `{line.claim}`",
            "",
            r0.get("statement", ""),
            "",
            f"- kind: {line.kind.value}; source: {line.paper}",
            f"- experiment: `{r0.get('experiment')}` "
            f"(wall {_fmt(r0.get('experiment_wall_time'))} s, shared by its claims)",
            f"- symbolic check: `{r0.get('symbolic_check') or 'none'}`",
            f"- tolerance: {r0.get('tolerance')} — {r0.get('tolerance_reason')}",
            f"- expectation: {_expectation(line)}",
            f"- verdict: **{line.verdict.value}**",
        ]
        for r in line.rows:
            md.append(
                f"  - {_row_label(r)}: predicted {_fmt(r.get('prediction'))}, measured "
                f"{_fmt(r.get('measurement'))}, margin {r.get('margin_text', '—')} -> "
                f"{'holds' if r['holds'] else 'does not hold'}. {r.get('detail', '')}"
            )
        fig = figs.get(line.claim)
        if fig:
            md += ["", f"![{line.claim}](figures/{Path(fig).name})"]
        own = [r["figure"] for r in line.rows if r.get("figure") and Path(r["figure"]).exists()]
        for f in dict.fromkeys(own):
            rel = Path(f).relative_to(out) if Path(f).is_relative_to(out) else Path(f)
            md += ["", f"![{line.claim} experiment figure]({rel})"]
        md.append("")
    return "\n".join(md) + "\n"


def write_report(out, rows, registry, figures=True, strict=False) -> list[ClaimLine]:
    """Write ``OUT/report.md`` (and per-claim figures) from result rows; return the lines."""
    out = Path(out)
    lines = summarize(rows, registry)
    atomic_write_text(out / "report.md", markdown(out, lines, figures, strict))
    return lines


def print_table(lines: list[ClaimLine], strict: bool = False) -> None:
    """The verdict table and the headline on stdout."""
    w = max([len(line.claim) for line in lines] + [5])
    v = max(len(line.verdict.value) for line in lines)
    print(
        f"{'claim':<{w}}  {'kind':<10}  {'verdict':<{v}}  {'margin':>8}  prediction -> measurement"
    )
    for line in lines:
        print(
            f"{line.claim:<{w}}  {line.kind.value:<10}  {line.verdict.value:<{v}}  "
            f"{_margin(line.margin):>8}  {line.prediction} -> {line.measurement}"
        )
    print()
    for h in headline(lines, strict):
        print(h)
