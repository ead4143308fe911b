"""``python -m empirical.experiments.spectral``: the standard experiment flags plus ``--steps``;
``--json`` prints the per-run rows without their histories (as it always has)."""

import sys

from empirical.experiment import config_from_args, experiment_parser, print_json
from empirical.experiments.spectral import __doc__ as DOC
from empirical.experiments.spectral.config import NAME, PROFILES, add_arguments
from empirical.results import check_out_dir
from memtheory.cli import run_cli


def main(argv=None) -> int:
    parser = experiment_parser(NAME, PROFILES, DOC.strip().split("\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    config = config_from_args(PROFILES, args, progress=True)
    if config.out:
        check_out_dir(config.out)
    from empirical.experiments.spectral.report import summary_markdown
    from empirical.experiments.spectral.run import run

    result = run(config)
    if args.json:
        print_json([{k: v for k, v in r.items() if k != "history"} for r in result["runs"]])
    else:
        print(summary_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog=f"python -m empirical.experiments.{NAME}"))
