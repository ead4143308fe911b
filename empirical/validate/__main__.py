"""``python -m empirical.validate``."""

import sys

from empirical.validate.cli import main
from memtheory.cli import run_cli

if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m empirical.validate"))
