"""``python -m empirical.experiments.tiny_graphs``: parse and validate the flags, check
``--out``, then import ``run`` (and torch) and run; print the per-cell table and the judged
claims, or the records as JSON with ``--json``."""

from __future__ import annotations

import sys

from empirical.experiment import experiment_parser, print_json
from empirical.results import check_out_dir
from memtheory.cli import run_cli

PROG = "python -m empirical.experiments.tiny_graphs"


def main(argv=None) -> int:
    import empirical.experiments.tiny_graphs as pkg
    from empirical.experiments.tiny_graphs.config import (
        NAME,
        PROFILES,
        add_arguments,
        config_from_cli,
    )

    parser = experiment_parser(NAME, PROFILES, pkg.__doc__.strip().split("\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    config = config_from_cli(args)
    if config.out is not None:
        check_out_dir(config.out)
    from pathlib import Path

    from empirical.experiments.tiny_graphs.report import claims_text, summary_markdown, text_table
    from empirical.experiments.tiny_graphs.run import run
    from empirical.results import atomic_write_text

    result = run(config)
    if config.out is not None:  # the summary again, now with the command that made it
        argv_list = sys.argv[1:] if argv is None else list(argv)
        command = f"{PROG} " + " ".join(argv_list)
        text = summary_markdown(result, command, result.get("figures", ()))
        atomic_write_text(Path(config.out) / "summary.md", text)
    if args.json:
        print_json(
            [
                {k: v for k, v in r.items() if k not in ("history", "config")}
                for r in result["records"]
            ]
        )
    else:
        print(text_table(result["records"]))
        print()
        print(claims_text(result))
        print(f"\nwall time {result['wall_time']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog=PROG))
