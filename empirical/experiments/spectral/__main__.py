"""``python -m empirical.experiments.spectral``:
:func:`empirical.running.experiment.experiment_main` (flags and ``--out`` checked before torch is
imported; the topic's hooks live in its ``config`` and ``report`` modules)."""

import sys

from empirical.running.experiment import experiment_main
from memtheory.cli import run_cli


def main(argv=None) -> int:
    return experiment_main("spectral", argv)


if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m empirical.experiments.spectral"))
