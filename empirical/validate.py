"""``python -m empirical.validate``: run every registered claim and report the verdicts.

For each selected claim: the experiment that measures it runs once per profile (claims that share
an experiment share the run), each claim's ``check`` turns the result into rows (prediction,
measurement, verdict), and the rows are appended to ``OUT/results.jsonl`` as each experiment
finishes (atomically, so an interrupted run keeps what it finished; ``--resume`` restarts only the
claims without rows). ``OUT/report.md`` (verdict table, one figure per claim) is rebuilt from
``results.jsonl`` alone (``--report-only``). Exit status: 0 when every claim expected to hold
holds, 1 otherwise; claims recorded as not reproducing are shown as such.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import math
import sys
import time
import traceback
from pathlib import Path

from empirical.claims import Claim, all_claims
from empirical.results import (
    append_jsonl,
    atomic_save_figure,
    atomic_write_jsonl,
    atomic_write_text,
    read_jsonl,
    to_jsonable,
    versions,
)
from empirical.sweep import EXECUTORS, Job, run_jobs
from memtheory.cli import ArgumentParser, run_cli

PROFILES = ("quick", "paper")


def load_claim_modules(modules=()) -> None:
    """Import extra modules that register claims (a researcher's own, or the tests')."""
    for mod in modules:
        importlib.import_module(mod)


def experiment_module(experiment: str):
    """``empirical.experiments.NAME``, or any dotted module path holding PROFILES and run."""
    name = experiment if "." in experiment else f"empirical.experiments.{experiment}"
    return importlib.import_module(name)


def expected_seconds(experiment: str, profile: str) -> float:
    """An experiment's rough cost (its ``EXPECTED_SECONDS[profile]``, default 60 s).

    Only used to start the longest runs first, which shortens the whole validation when the
    workers are fewer than the experiments (longest-processing-time-first scheduling).
    """
    costs = getattr(experiment_module(experiment), "EXPECTED_SECONDS", {})
    return float(costs.get(profile, 60.0))


def select_claims(profile: str, only: str | None = None) -> list[Claim]:
    """Registered claims that run in ``profile`` and match the glob ``only`` (comma-separated)."""
    patterns = [p.strip() for p in (only or "*").split(",") if p.strip()]
    return [
        c
        for c in all_claims()
        if profile in c.profiles and any(fnmatch.fnmatch(c.id, p) for p in patterns)
    ]


def group_by_run(claims: list[Claim]) -> dict[tuple, list[Claim]]:
    """Claims that can share one experiment run: same experiment and same config overrides."""
    groups: dict[tuple, list[Claim]] = {}
    for c in claims:
        key = (c.experiment, tuple(sorted((k, repr(v)) for k, v in c.overrides.items())))
        groups.setdefault(key, []).append(c)
    return groups


def _experiment_config(module, profile: str, overrides: dict, out_dir: Path):
    base = module.PROFILES[profile]
    fields = {f.name for f in dataclasses.fields(base)}
    changes = dict(overrides)
    if "out" in fields:
        changes["out"] = str(out_dir)
    if "progress" in fields and "progress" not in overrides:
        changes["progress"] = True
    return dataclasses.replace(base, **changes)


def run_group(
    experiment: str, profile: str, claim_ids: list[str], out: str, claim_modules=()
) -> list[dict]:
    """Run one experiment for ``profile`` and evaluate the given claims on its result (a job)."""
    load_claim_modules(claim_modules)
    claims = {c.id: c for c in all_claims()}
    group = [claims[i] for i in claim_ids]
    out_dir = Path(out) / "experiments" / experiment.rsplit(".", 1)[-1]
    t0 = time.perf_counter()
    config = None
    try:
        module = experiment_module(experiment)
        config = _experiment_config(module, profile, group[0].overrides, out_dir)
        result = module.run(config)
        error = None
    except Exception as exc:  # the failure becomes a visible row, never a silent skip
        result, error = None, f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    wall = time.perf_counter() - t0
    rows = []
    for claim in group:
        base = {
            "claim": claim.id,
            "profile": profile,
            "experiment": experiment,
            "paper": claim.paper,
            "statement": claim.statement,
            "expect": claim.expect,
            "tolerance": claim.tolerance,
            "tolerance_reason": claim.tolerance_reason,
            "symbolic_check": claim.symbolic_check,
            "config": to_jsonable(config),
            "versions": versions(),
            "experiment_wall_time": wall,
        }
        try:
            if error:
                raise RuntimeError(f"experiment failed: {error}")
            outcomes = claim.check(result)
            if not outcomes:
                raise RuntimeError("check returned no outcome")
            for o in outcomes:
                row = dict(base, **to_jsonable(dataclasses.asdict(o)))
                row["verdict"] = verdict(bool(o.holds), claim.expect)
                if o.figure:
                    row["figure"] = str(out_dir / o.figure)
                rows.append(row)
        except Exception as exc:
            rows.append(
                dict(
                    base,
                    seed=None,
                    prediction=None,
                    measurement=None,
                    holds=False,
                    detail=f"{type(exc).__name__}: {exc}",
                    verdict="error",
                )
            )
    return rows


def verdict(holds: bool, expect: str) -> str:
    """Row verdict from whether it holds and what the registry expects."""
    if expect == "holds":
        return "holds" if holds else "FAILS"
    return "holds (recorded as not reproducing)" if holds else "not reproducing (recorded)"


def claim_status(rows: list[dict]) -> str:
    """One verdict for a claim from its rows (all rows must hold)."""
    if any(r["verdict"] == "error" for r in rows):
        return "error"
    holds = all(r["holds"] for r in rows)
    return verdict(holds, rows[0]["expect"])


def passed(status: str) -> bool:
    """Whether a claim status lets the validation exit 0."""
    return status in ("holds", "not reproducing (recorded)", "holds (recorded as not reproducing)")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}" if math.isfinite(value) else str(value)
    if isinstance(value, list) and len(value) > 4:
        return "[" + ", ".join(_fmt(v) for v in value[:4]) + ", ...]"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def summarize(rows: list[dict]) -> list[dict]:
    """One line per claim: prediction and measurement (mean and spread over seeds), verdict."""
    by_claim: dict[str, list[dict]] = {}
    for r in rows:
        by_claim.setdefault(r["claim"], []).append(r)
    lines = []
    for cid in sorted(by_claim):
        rs = by_claim[cid]
        meas = [r["measurement"] for r in rs]
        preds = [r["prediction"] for r in rs]
        nums = [m for m in meas if isinstance(m, (int, float)) and not isinstance(m, bool)]
        if len(rs) > 1 and len(nums) == len(meas):
            mean = sum(nums) / len(nums)
            spread = (max(nums) - min(nums)) / 2
            measurement = f"{mean:.4g} ± {spread:.2g} (n={len(nums)})"
        else:
            measurement = "; ".join(_fmt(m) for m in meas)
        prediction = (
            _fmt(preds[0])
            if all(p == preds[0] for p in preds)
            else "; ".join(_fmt(p) for p in preds)
        )
        lines.append(
            {
                "claim": cid,
                "paper": rs[0]["paper"],
                "prediction": prediction,
                "measurement": measurement,
                "verdict": claim_status(rs),
                "detail": rs[0].get("detail", ""),
                "rows": rs,
            }
        )
    return lines


def _claim_figure(line: dict, fig_dir: Path) -> str | None:
    """Measured value per seed against the prediction; None when the values are not numbers."""
    rs = line["rows"]
    pts = [(r.get("seed"), r["measurement"], r["prediction"]) for r in rs]
    if not all(isinstance(m, (int, float)) and not isinstance(m, bool) for _, m, _ in pts):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    xs = list(range(len(pts)))
    ax.plot(xs, [m for _, m, _ in pts], "o", label="measured")
    preds = [p for _, _, p in pts]
    if all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in preds):
        ax.plot(xs, preds, "_", markersize=20, color="C3", label="predicted")
    labels = []
    for r in rs:
        what = str(r.get("detail") or "").split(";")[0].split(":")[0]
        what = what if 0 < len(what) <= 16 else ""
        seed = "" if r.get("seed") is None else f"s{r['seed']}"
        labels.append(" ".join(x for x in (what, seed) if x) or "all")
    ax.set_xticks(xs, labels, fontsize=6, rotation=60 if len(xs) > 3 else 0, ha="right")
    ax.set_title(f"{line['claim']}: {line['verdict']}", fontsize=8)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig_dir.mkdir(parents=True, exist_ok=True)
    path = fig_dir / f"{line['claim']}.png"
    atomic_save_figure(fig, path, dpi=110)
    return str(path)


def write_report(out: Path, rows: list[dict], figures: bool = True) -> tuple[str, list[dict]]:
    """Write ``report.md`` (and per-claim figures) from result rows; return (text, lines)."""
    lines = summarize(rows)
    md = ["# Validation report", ""]
    if rows:
        md.append(f"Profile: {rows[0]['profile']}. Versions: {_fmt(rows[0]['versions'])}.")
    n_pass = sum(passed(line["verdict"]) for line in lines)
    n_rec = sum(line["verdict"].startswith("not reproducing") for line in lines)
    md += [
        f"{n_pass} of {len(lines)} claims pass: {n_pass - n_rec} hold, {n_rec} are recorded as "
        f"not reproducing (and do not); {len(lines) - n_pass} fail.",
        "",
        "| claim | paper | prediction | measurement | verdict |",
        "|---|---|---|---|---|",
    ]
    for line in lines:
        md.append(
            f"| `{line['claim']}` | {line['paper']} | {line['prediction']} | "
            f"{line['measurement']} | **{line['verdict']}** |"
        )
    md.append("")
    for line in lines:
        r0 = line["rows"][0]
        md += [
            f"## `{line['claim']}`",
            "",
            r0["statement"],
            "",
            f"- paper: {r0['paper']}",
            f"- experiment: `empirical.experiments.{r0['experiment']}` "
            f"(wall {r0['experiment_wall_time']:.1f} s, shared by its claims)",
            f"- symbolic check: `{r0['symbolic_check'] or 'none'}`",
            f"- tolerance: {r0['tolerance']} — {r0['tolerance_reason']}",
            f"- verdict: **{line['verdict']}**",
        ]
        for r in line["rows"]:
            seed = "" if r.get("seed") is None else f"seed {r['seed']}: "
            md.append(
                f"  - {seed}predicted {_fmt(r['prediction'])}, measured "
                f"{_fmt(r['measurement'])} -> {r['verdict']}. {r.get('detail', '')}"
            )
        fig = _claim_figure(line, out / "figures") if figures else None
        if fig:
            md += ["", f"![{line['claim']}](figures/{Path(fig).name})"]
        own = [r["figure"] for r in line["rows"] if r.get("figure") and Path(r["figure"]).exists()]
        for f in dict.fromkeys(own):
            rel = Path(f).relative_to(out) if Path(f).is_relative_to(out) else Path(f)
            md += ["", f"![{line['claim']} experiment figure]({rel})"]
        md.append("")
    text = "\n".join(md) + "\n"
    atomic_write_text(out / "report.md", text)
    return text, lines


def print_table(lines: list[dict]) -> None:
    """The verdict table on stdout."""
    w = max([len(line["claim"]) for line in lines] + [5])
    print(f"{'claim':<{w}}  {'verdict':<28}  prediction -> measurement")
    for line in lines:
        print(
            f"{line['claim']:<{w}}  {line['verdict']:<28}  "
            f"{line['prediction']} -> {line['measurement']}"
        )
    n_pass = sum(passed(line["verdict"]) for line in lines)
    print(f"{n_pass} passed, {len(lines) - n_pass} failed")


def validate(
    profile="quick",
    only=None,
    out="runs/validate",
    workers=None,
    executor="local",
    resume=False,
    progress=True,
    slurm=None,
    claim_modules=(),
) -> int:
    """Run the selected claims, write results and report, print the table; return exit code."""
    load_claim_modules(claim_modules)
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}; got {profile!r}")
    out = Path(out)
    claims = select_claims(profile, only)
    if not claims:
        raise ValueError(f"--only {only!r} matches no claim of profile {profile}")
    results = out / "results.jsonl"
    selected = {c.id for c in claims}
    old = [r for r in read_jsonl(results) if r.get("profile") == profile] if resume else []
    old = [r for r in old if r["claim"] in selected and r["verdict"] != "error"]
    done = {r["claim"] for r in old}
    atomic_write_jsonl(results, old)
    todo = [c for c in claims if c.id not in done]
    jobs = []
    groups = sorted(group_by_run(todo).items(), key=lambda kv: -expected_seconds(kv[0][0], profile))
    for (experiment, _), group in groups:
        ids = [c.id for c in group]
        jobs.append(
            Job(
                "empirical.validate",
                "run_group",
                {
                    "experiment": experiment,
                    "profile": profile,
                    "claim_ids": ids,
                    "out": str(out),
                    "claim_modules": list(claim_modules),
                },
                name=experiment,
            )
        )
    if resume and done:
        print(f"resuming: {len(done)} claims already done, {len(todo)} to run", file=sys.stderr)

    def on_result(_i, rows):
        for row in rows:
            append_jsonl(results, row)

    run_jobs(
        jobs,
        on_result,
        executor=executor,
        workers=workers,
        folder=str(out / "submitit"),
        slurm=slurm,
        progress=progress,
    )
    rows = read_jsonl(results)
    _, lines = write_report(out, rows)
    print_table(lines)
    print(f"report: {out / 'report.md'}  results: {results}", file=sys.stderr)
    return 0 if all(passed(line["verdict"]) for line in lines) else 1


def main(argv=None) -> int:
    parser = ArgumentParser(prog="python -m empirical.validate", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="quick",
        help="quick: 2 CPU cores, minutes; paper: the papers' sizes (GPU)",
    )
    parser.add_argument("--only", default=None, help="glob(s) on claim ids, comma-separated")
    parser.add_argument(
        "--out", default="runs/validate", help="output folder (default: %(default)s)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="parallel processes (default: CPU cores)"
    )
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local processes (default), serial, or submitit (SLURM job array)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep finished claims in OUT/results.jsonl and run only the rest",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rebuild OUT/report.md from OUT/results.jsonl without running",
    )
    parser.add_argument("--list", action="store_true", help="list the registered claims and exit")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    parser.add_argument(
        "--claims-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="also load claims registered by this module (repeatable)",
    )
    args = parser.parse_args(argv)
    load_claim_modules(args.claims_module)
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be an integer >= 1, got {args.workers}")
    if args.list:
        for c in select_claims(args.profile, args.only):
            print(f"{c.id:<40} {c.experiment:<16} {c.paper}")
        return 0
    if args.report_only:
        rows = read_jsonl(Path(args.out) / "results.jsonl")
        if not rows:
            raise ValueError(f"--out {args.out}: no results.jsonl rows to report")
        _, lines = write_report(Path(args.out), rows)
        print_table(lines)
        return 0 if all(passed(line["verdict"]) for line in lines) else 1
    return validate(
        args.profile,
        args.only,
        args.out,
        args.workers,
        args.executor,
        args.resume,
        progress=not args.no_progress,
        claim_modules=args.claims_module,
    )


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m empirical.validate"))
