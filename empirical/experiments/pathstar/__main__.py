"""``python -m empirical.experiments.pathstar``: parse and validate the flags, check ``--out``,
then import the runner (and torch), run, and print the report or the records as JSON."""

from __future__ import annotations

import sys

from memtheory.cli import run_cli


def main(argv=None) -> int:
    """Parse, validate, check ``--out``, run; print the report, or with ``--json`` the records
    without their learning curves."""
    import empirical.experiments.pathstar as pkg
    from empirical.experiment import config_from_args, experiment_parser, print_json
    from empirical.experiments.pathstar.config import NAME, PROFILES, add_arguments
    from empirical.results import check_out_dir

    parser = experiment_parser(NAME, PROFILES, pkg.__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    config = config_from_args(PROFILES, args)
    if config.out:
        check_out_dir(config.out)
    from empirical.experiments.pathstar.report import summary_markdown
    from empirical.experiments.pathstar.run import run

    result = run(config)
    if args.json:
        print_json([{k: v for k, v in r.items() if k != "curve"} for r in result["records"]])
    else:
        sys.stdout.write(summary_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m empirical.experiments.pathstar"))
