"""``python -m memtheory.spectral``."""

import sys

from memtheory.cli import run_cli
from memtheory.spectral.cli import main

if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m memtheory.spectral"))
