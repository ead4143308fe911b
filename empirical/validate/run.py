"""Run the selected claims: one experiment run per (experiment, overrides), rows appended as
each run finishes, then the report.

For each selected claim the experiment that measures it runs once per profile (claims that share
an experiment and its overrides share the run), each claim's check turns the result into judged
rows, and the rows go to ``OUT/results.jsonl`` as each experiment finishes (atomically, so an
interrupted run keeps what it finished; ``resume`` restarts only the claims without rows).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import sys
import time
import traceback
from pathlib import Path

from empirical.running.results import (
    atomic_write_jsonl,
    check_out_dir,
    read_jsonl,
    to_jsonable,
    versions,
)
from empirical.running.sweep import Job, run_jobs
from empirical.validate.claims import Claim, Verdict, all_claims, load_claim_modules, row_verdict
from empirical.validate.report import check_rows, exit_status, print_table, write_report

PROFILES = ("quick", "paper")


def experiment_module(experiment: str):
    """``empirical.experiments.NAME``, or any dotted module path."""
    name = experiment if "." in experiment else f"empirical.experiments.{experiment}"
    return importlib.import_module(name)


def config_module(experiment: str):
    """The module holding an experiment's ``PROFILES`` and optional ``EXPECTED_SECONDS``: a
    topic package's ``config`` (it imports no torch), or a plain module itself."""
    module = experiment_module(experiment)
    if hasattr(module, "__path__"):  # a topic package
        return importlib.import_module(f"{module.__name__}.config")
    return module


def experiment_api(experiment: str) -> tuple:
    """``(PROFILES, run, EXPECTED_SECONDS)`` of an experiment.

    A topic package keeps them in its ``config`` (``PROFILES``, optional ``EXPECTED_SECONDS``)
    and ``run`` (``run(config) -> dict``) modules; a plain module holds all three itself.
    """
    module = experiment_module(experiment)
    config = config_module(experiment)
    run_module = (
        importlib.import_module(f"{module.__name__}.run") if config is not module else module
    )
    return config.PROFILES, run_module.run, getattr(config, "EXPECTED_SECONDS", {})


def expected_seconds(experiment: str, profile: str) -> float:
    """An experiment's rough cost (its ``EXPECTED_SECONDS[profile]``, default 60 s).

    Only used to start the longest runs first, which shortens the whole validation when the
    workers are fewer than the experiments (longest-processing-time-first scheduling). Read from
    :func:`config_module` alone: sorting the jobs does not import the experiments' torch code
    into the parent process.
    """
    return float(getattr(config_module(experiment), "EXPECTED_SECONDS", {}).get(profile, 60.0))


def select_claims(profile: str, only: str | None = None) -> list[Claim]:
    """Registered claims that run in ``profile`` and match the glob ``only`` (comma-separated)."""
    patterns = [p.strip() for p in (only if only is not None else "*").split(",") if p.strip()]
    if not patterns:
        raise ValueError(f"--only {only!r}: give at least one glob on claim ids")
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


def _experiment_config(
    profiles, profile: str, overrides: dict, out_dir: Path, progress: bool = True
):
    base = profiles[profile]
    fields = {f.name for f in dataclasses.fields(base)}
    changes = dict(overrides)
    if "out" in fields:
        changes["out"] = str(out_dir)
    if "progress" in fields and "progress" not in overrides:
        changes["progress"] = progress
    return dataclasses.replace(base, **changes)


def _claim_fields(claim: Claim, profile: str) -> dict:
    nr = claim.recorded(profile)
    return {
        "claim": claim.id,
        "kind": claim.kind.value,
        "paper": claim.paper,
        "statement": claim.statement,
        "expect": claim.expect(profile),
        "category": None if nr is None else nr.category.value,
        "reason": None if nr is None else nr.reason,
        "tolerance": claim.tolerance.text,
        "tolerance_reason": claim.tolerance_reason,
        "symbolic_check": claim.symbolic_check,
    }


def run_group(
    experiment: str,
    profile: str,
    claim_ids: list[str],
    out: str,
    claim_modules=(),
    progress: bool = True,
) -> list[dict]:
    """Run one experiment for ``profile`` and judge the given claims on its result (a job)."""
    load_claim_modules(claim_modules)
    claims = {c.id: c for c in all_claims()}
    group = [claims[i] for i in claim_ids]
    out_dir = Path(out) / "experiments" / experiment.rsplit(".", 1)[-1]
    t0 = time.perf_counter()
    config = None
    try:
        profiles, run, _ = experiment_api(experiment)
        config = _experiment_config(profiles, profile, group[0].overrides, out_dir, progress)
        result = run(config)
        error = None
    except Exception as exc:  # the failure becomes a visible row, never a silent skip
        result, error = None, f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    wall = time.perf_counter() - t0
    rows = []
    for claim in group:
        base = dict(
            _claim_fields(claim, profile),
            profile=profile,
            experiment=experiment,
            config=to_jsonable(config),
            versions=versions(),
            experiment_wall_time=wall,
        )
        try:
            if error:
                raise RuntimeError(f"experiment failed: {error}")
            for row in claim.judge(result):
                rec = dict(base, **to_jsonable(dataclasses.asdict(row)))
                rec["verdict"] = row_verdict(row.holds, claim.recorded(profile)).value
                if row.figure:
                    rec["figure"] = str(out_dir / row.figure)
                rows.append(rec)
        except Exception as exc:
            rows.append(
                dict(
                    base,
                    seed=None,
                    prediction=None,
                    measurement=None,
                    holds=False,
                    margin=None,
                    margin_text="—",
                    detail=f"{type(exc).__name__}: {exc}",
                    verdict=Verdict.ERROR.value,
                )
            )
    return rows


def registry() -> dict[str, Claim]:
    """The registered claims by id (expectations for the report come from here)."""
    return {c.id: c for c in all_claims()}


def report(out, strict: bool = False) -> int:
    """Rebuild ``OUT/report.md`` from ``OUT/results.jsonl``; print the table; exit status."""
    path = Path(out) / "results.jsonl"
    rows = read_jsonl(path)
    if not rows:
        raise ValueError(f"--out {out}: no results.jsonl rows to report")
    check_rows(rows, path)
    lines = write_report(out, rows, registry(), strict=strict)
    print_table(lines, strict)
    return exit_status(lines, strict)


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
    strict=False,
) -> int:
    """Run the selected claims, write results and report, print the table; return exit code."""
    load_claim_modules(claim_modules)
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}; got {profile!r}")
    claims = select_claims(profile, only)
    if not claims:
        raise ValueError(f"--only {only!r} matches no claim of profile {profile}")
    out = check_out_dir(out)
    results = out / "results.jsonl"
    selected = {c.id for c in claims}
    old = read_jsonl(results) if resume else []
    check_rows(old, results)
    old = [r for r in old if r["profile"] == profile and r["claim"] in selected]
    old = [r for r in old if r["verdict"] != Verdict.ERROR.value]
    done = {r["claim"] for r in old}
    atomic_write_jsonl(results, old)
    todo = [c for c in claims if c.id not in done]
    groups = sorted(group_by_run(todo).items(), key=lambda kv: -expected_seconds(kv[0][0], profile))
    jobs = [
        Job(
            "empirical.validate.run",
            "run_group",
            {
                "experiment": experiment,
                "profile": profile,
                "claim_ids": [c.id for c in group],
                "out": str(out),
                "claim_modules": list(claim_modules),
                "progress": progress,
            },
            name=experiment,
        )
        for (experiment, _), group in groups
    ]
    if resume and done:
        print(f"resuming: {len(done)} claims already done, {len(todo)} to run", file=sys.stderr)

    written = list(old)

    def on_result(_i, rows):
        # one experiment's rows land together (temp file, then rename): a kill between two rows
        # of a claim must not leave the claim looking finished to --resume
        written.extend(rows)
        atomic_write_jsonl(results, written)

    run_jobs(
        jobs,
        on_result,
        executor=executor,
        workers=workers,
        folder=str(out / "submitit"),
        slurm=slurm,
        progress=progress,
    )
    code = report(out, strict)
    print(f"report: {out / 'report.md'}  results: {results}", file=sys.stderr)
    return code
