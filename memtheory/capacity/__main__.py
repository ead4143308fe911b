"""``python -m memtheory.capacity``."""

import sys

from memtheory.capacity.cli import main
from memtheory.cli import run_cli

if __name__ == "__main__":
    sys.exit(run_cli(main, prog="python -m memtheory.capacity"))
