"""A topic's claims judged on one ``run`` result: the rows of its ``summary.md`` and JSON.

``python -m empirical.validate`` judges the registered claims on a result; an experiment run on
its own (``python -m empirical.experiments.NAME --out DIR``) judges the same claims with the same
tolerances through :func:`claim_rows`, so a threshold is written once (in the topic's
``claims.py``) and the summary cannot disagree with the validation.
"""

from __future__ import annotations

import math
from pathlib import Path

from empirical.running.results import atomic_write_jsonl, atomic_write_text, record
from empirical.validate.claims import Claim, Spread


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def claim_rows(result: dict, claims: list[Claim]) -> list[dict]:
    """One dict per claim: ``id`` (without the topic prefix), ``claim`` (full id), ``statement``,
    ``prediction``, ``measurement`` (the mean over rows when numeric), ``spread`` (``mean``,
    ``std`` with ``ddof = 1``, ``min``, ``max``, ``n``), ``unit`` (the tolerance's quantity),
    ``tolerance`` (its text), ``margins``, ``verdict`` (``holds`` / ``does not reproduce`` /
    ``not measured``: a check raising :class:`LookupError` means its part was not run) and
    ``recorded`` (the registry's non-reproduction category, or None)."""
    out = []
    for claim in claims:
        base = {
            "id": claim.id.split(".", 1)[-1],
            "claim": claim.id,
            "statement": claim.statement,
            "unit": claim.tolerance.quantity,
            "tolerance": claim.tolerance.text,
            "recorded": (
                None if claim.not_reproducing is None else claim.not_reproducing.category.value
            ),
        }
        try:
            rows = claim.judge(result)
        except LookupError as exc:
            out.append(
                dict(
                    base,
                    prediction=claim.prediction,
                    measurement=None,
                    margins=[],
                    spread={
                        "mean": math.nan,
                        "std": math.nan,
                        "min": math.nan,
                        "max": math.nan,
                        "n": 0,
                    },
                    verdict="not measured",
                    detail=str(exc),
                )
            )
            continue
        values = [r.measurement for r in rows]
        numeric = [v for v in values if _is_number(v)]
        if numeric and len(numeric) == len(values):
            s = Spread.of(numeric)
            spread = {
                "mean": s.mean,
                "std": 0.0 if s.n == 1 else s.sd,
                "min": min(numeric),
                "max": max(numeric),
                "n": s.n,
            }
            measurement = s.mean
        else:
            spread = {
                "mean": math.nan,
                "std": math.nan,
                "min": math.nan,
                "max": math.nan,
                "n": len(values),
            }
            measurement = values[0] if len(values) == 1 else values
        out.append(
            dict(
                base,
                prediction=rows[0].prediction
                if rows[0].prediction is not None
                else claim.prediction,
                measurement=measurement,
                spread=spread,
                margins=[r.margin_text for r in rows],
                labels=[r.label for r in rows],
                verdict="holds" if all(r.holds for r in rows) else "does not reproduce",
            )
        )
    return out


def format_value(x) -> str:
    """A table cell: 4 significant digits (scientific outside [1e-3, 1e4)), ``—`` for None,
    mappings as ``key value`` pairs and sequences joined by ``;``."""
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return ", ".join(f"{k} {format_value(v)}" for k, v in x.items())
    if isinstance(x, (list, tuple)):
        return "; ".join(format_value(v) for v in x)
    if x is None:
        return "—"
    if isinstance(x, bool):
        return str(x)
    x = float(x)
    if x != x:
        return "nan"
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.4g}"
    return f"{x:.3e}"


def spread_cell(spread: dict) -> str:
    """``std; min..max; n=N`` of a spread mapping: the summary tables' spread column."""
    f = format_value
    return f"{f(spread['std'])}; {f(spread['min'])}..{f(spread['max'])}; n={spread.get('n', 0)}"


def summary_markdown(result: dict, title: str, paper: str, notes=()) -> str:
    """``summary.md``: one table row per claim (margins per row), free-text notes, the times."""
    lines = [f"# {title}", "", f"Paper: {paper}", ""]
    lines += [
        "| claim | prediction | measurement (mean) | spread over rows (std; min..max; n) "
        "| tolerance | margins | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in result["claims"]:
        sp = spread_cell(c["spread"])
        verdict = c["verdict"]
        if c.get("recorded"):
            verdict += f" (recorded: {c['recorded']})"
        lines.append(
            f"| **{c['id']}**: {c['statement']} | {format_value(c['prediction'])} | "
            f"{format_value(c['measurement'])} | {sp} | {c['tolerance']} | "
            f"{format_value(c['margins'])} | {verdict} |"
        )
    lines.append("")
    lines += [f"- {n}" for n in notes]
    lines.append(
        f"\nWall time: {result.get('wall_time', math.nan):.1f} s; CPU time of this process: "
        f"{result.get('cpu_time', math.nan):.1f} s (shared CPU: upper bounds)"
    )
    return "\n".join(lines) + "\n"


def write_outputs(result: dict, out, name: str, summary: str, figure=None) -> Path:
    """``OUT/results.jsonl`` (one record per claim and per seed row), ``OUT/summary.md`` and,
    through ``figure(path)``, ``OUT/NAME.png``; each written atomically."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = result["config"]
    rows = [
        record(name, config, c, wall_time=result.get("wall_time"), kind="claim")
        for c in result["claims"]
    ]
    rows += [
        record(name, config, m, seed=m.get("seed"), kind="seed") for m in result.get("per_seed", [])
    ]
    atomic_write_jsonl(out / "results.jsonl", rows)
    if figure is not None:
        figure(out / f"{name}.png")
    atomic_write_text(out / "summary.md", summary)
    return out
