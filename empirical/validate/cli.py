"""The command line of ``python -m empirical.validate``."""

from __future__ import annotations

from empirical.running.results import check_out_dir
from empirical.running.sweep import EXECUTORS
from empirical.validate.claims import load_claim_modules
from empirical.validate.run import PROFILES, report, select_claims, validate
from memtheory.cli import ArgumentParser

DESCRIPTION = "Run every registered claim and report the verdicts."


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="python -m empirical.validate", description=DESCRIPTION)
    p.add_argument(
        "--profile",
        choices=PROFILES,
        default="quick",
        help="quick: 2 CPU cores, minutes; paper: the papers' sizes (GPU)",
    )
    p.add_argument("--only", default=None, help="glob(s) on claim ids, comma-separated")
    p.add_argument("--out", default="runs/validate", help="output folder (default: %(default)s)")
    p.add_argument(
        "--workers", type=int, default=None, help="parallel processes (default: CPU cores)"
    )
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local processes (default), serial, or submitit (SLURM job array)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep finished claims in OUT/results.jsonl and run only the rest",
    )
    p.add_argument(
        "--report-only",
        action="store_true",
        help="rebuild OUT/report.md from OUT/results.jsonl without running",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="also exit 1 on stale expectations (claims recorded as not reproducing that hold)",
    )
    p.add_argument("--list", action="store_true", help="list the registered claims and exit")
    p.add_argument("--no-progress", action="store_true", help="hide progress bars")
    p.add_argument(
        "--claims-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="also load claims registered by this module (repeatable)",
    )
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.list and args.report_only:
        raise ValueError("--list and --report-only exclude each other")
    if args.report_only and (args.resume or args.only is not None):
        raise ValueError("--report-only reports OUT/results.jsonl as it is: drop --resume/--only")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be an integer >= 1, got {args.workers}")
    if args.only is not None and not args.only.strip(" ,"):
        raise ValueError(f"--only {args.only!r}: give at least one glob on claim ids")
    if not (args.list or args.report_only):
        check_out_dir(args.out)  # before any claim module (and torch) is loaded
    load_claim_modules(args.claims_module)
    if args.list:
        for c in select_claims(args.profile, args.only):
            nr = c.recorded(args.profile)
            flag = "" if nr is None else f" [{nr.category.value}]"
            print(f"{c.id:<44} {c.kind.value:<10} {c.experiment:<16} {c.paper}{flag}")
        return 0
    if args.report_only:
        return report(args.out, args.strict)
    return validate(
        args.profile,
        args.only,
        args.out,
        args.workers,
        args.executor,
        args.resume,
        progress=not args.no_progress,
        claim_modules=args.claims_module,
        strict=args.strict,
    )
