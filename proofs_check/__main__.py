"""``python -m proofs_check [--only PATTERN] [--json]``: run every symbolic check."""

from __future__ import annotations

import fnmatch
import json
import sys

from memtheory.cli import ArgumentParser, run_cli
from proofs_check._core import load_all, run_check


def main(argv=None) -> int:
    parser = ArgumentParser(prog="python -m proofs_check", description=__doc__)
    parser.add_argument("--only", default="*", help="glob on 'module.check' (default: all)")
    parser.add_argument("--json", action="store_true", help="print results as JSON lines")
    args = parser.parse_args(argv)
    checks = [c for c in load_all() if fnmatch.fnmatch(f"{c.module}.{c.name}", args.only)]
    if not checks:
        raise ValueError(f"--only {args.only!r} matches no check")
    results = []
    for c in checks:
        r = run_check(c)
        results.append(r)
        if args.json:
            print(json.dumps(r.__dict__), flush=True)
    if not args.json:
        w = max(len(f"{r.module}.{r.name}") for r in results)
        print(f"{'check':<{w}}  {'ok':<4}  {'sec':>6}  statement / detail")
        for r in results:
            print(
                f"{r.module + '.' + r.name:<{w}}  {'PASS' if r.ok else 'FAIL':<4}  "
                f"{r.seconds:6.2f}  {r.statement}"
            )
            print(f"{'':<{w}}  {'':<4}  {'':>6}    -> {r.detail}")
        failed = sum(not r.ok for r in results)
        print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if any(not r.ok for r in results) else 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m proofs_check"))
