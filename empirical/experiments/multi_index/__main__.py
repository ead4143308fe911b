import sys

from empirical.running.experiment import experiment_main
from memtheory.cli import run_cli

if __name__ == "__main__":
    sys.exit(
        run_cli(
            lambda argv: experiment_main("multi_index", argv),
            prog="python -m empirical.experiments.multi_index",
        )
    )
