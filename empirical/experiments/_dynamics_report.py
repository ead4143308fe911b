"""Shared output plumbing of the four training-dynamics experiments (issue 7).

A claim row is a dict ``{id, statement, prediction, measurement, spread, verdict, tolerance}``;
:func:`claim` builds one from per-seed measurements, :func:`write_outputs` writes
``results.jsonl`` (one record per claim and per seed), the figure and ``summary.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.results import atomic_write_jsonl, atomic_write_text, record


def spread(values) -> dict:
    """Mean, standard deviation, min and max of per-seed values (floats)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0:
        return {"mean": float("nan"), "std": float("nan"), "min": float("nan"), "max": float("nan")}
    return {
        "mean": float(v.mean()),
        "std": float(v.std(ddof=1)) if v.size > 1 else 0.0,
        "min": float(v.min()),
        "max": float(v.max()),
        "n": int(v.size),
    }


def claim(cid, statement, prediction, values, holds, tolerance, unit="") -> dict:
    """One claim row. ``values``: the per-seed measurements; ``holds``: bool verdict."""
    s = spread(values)
    return {
        "id": cid,
        "statement": statement,
        "prediction": prediction,
        "measurement": s["mean"],
        "spread": s,
        "unit": unit,
        "tolerance": tolerance,
        "verdict": "holds" if bool(holds) else "does not reproduce",
    }


def _fmt(x) -> str:
    if isinstance(x, str):
        return x
    x = float(x)
    if x != x:
        return "nan"
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.4g}"
    return f"{x:.3e}"


def summary_markdown(title: str, paper: str, command: str, claims: list, notes=()) -> str:
    """``summary.md``: one table row per claim plus free-text notes."""
    lines = [f"# {title}", "", f"Paper: {paper}", "", f"Command: `{command}`", ""]
    lines += [
        "| claim | prediction | measurement (mean) | spread over seeds (std; min..max; n) "
        "| tolerance | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for c in claims:
        s = c["spread"]
        sp = f"{_fmt(s['std'])}; {_fmt(s['min'])}..{_fmt(s['max'])}; n={s.get('n', 0)}"
        lines.append(
            f"| **{c['id']}**: {c['statement']} | {_fmt(c['prediction'])} | "
            f"{_fmt(c['measurement'])} {c['unit']} | {sp} | {c['tolerance']} | {c['verdict']} |"
        )
    lines.append("")
    for n in notes:
        lines.append(f"- {n}")
    return "\n".join(lines) + "\n"


def write_outputs(
    out_dir,
    name: str,
    config,
    result: dict,
    title: str,
    paper: str,
    command: str,
    figure_fn=None,
    notes=(),
) -> Path:
    """Write ``results.jsonl``, ``summary.md`` and (via ``figure_fn(result, path)``) the figure."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = [
        record(name, config, c, wall_time=result.get("wall_time"), kind="claim")
        for c in result["claims"]
    ]
    rows += [
        record(name, config, m, seed=m.get("seed"), kind="seed") for m in result.get("per_seed", [])
    ]
    atomic_write_jsonl(out / "results.jsonl", rows)
    if figure_fn is not None:
        figure_fn(result, out / f"{name}.png")
    md = summary_markdown(title, paper, command, result["claims"], notes)
    md += (
        f"\nWall time: {result.get('wall_time', float('nan')):.1f} s; CPU time of this process: "
        f"{result.get('cpu_time', float('nan')):.1f} s (shared CPU: upper bounds)\n"
    )
    atomic_write_text(out / "summary.md", md)
    return out


def claims_table(result: dict) -> str:
    """The verdict table as plain text (printed by ``main``)."""
    rows = []
    for c in result["claims"]:
        rows.append(
            f"{c['verdict']:>19}  {c['id']}: prediction {_fmt(c['prediction'])}, "
            f"measured {_fmt(c['measurement'])} (std {_fmt(c['spread']['std'])})"
        )
    return "\n".join(rows)


def experiment_main(module, title: str, notes, argv=None) -> int:
    """The shared ``main`` of the four dynamics experiments.

    ``module`` supplies ``NAME``, ``PAPER``, ``PROFILES``, ``run``, ``figure`` and its docstring;
    ``notes(result, config) -> list[str]`` gives the experiment's free-text notes for
    ``summary.md``. Parses the standard flags, runs, writes the outputs with ``--out``, and prints
    the claims table (or the result as JSON with ``--json``).
    """
    from empirical.experiment import config_from_args, experiment_parser, print_json

    name, profiles = module.NAME, module.PROFILES
    parser = experiment_parser(name, profiles, module.__doc__.split("\n\n")[0])
    args = parser.parse_args(argv)
    config = config_from_args(profiles, args)
    result = module.run(config)
    if args.out:
        cmd = f"python -m empirical.experiments.{name} --profile {args.profile} --out {args.out}"
        write_outputs(
            args.out,
            name,
            config,
            result,
            title,
            module.PAPER,
            cmd,
            module.figure,
            notes=notes(result, config),
        )
    if args.json:
        print_json({k: v for k, v in result.items() if k != "curves"})
    else:
        print(claims_table(result))
    return 0
