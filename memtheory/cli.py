"""Command-line plumbing: one-line errors on stderr and exit status 2 for bad input."""

from __future__ import annotations

import argparse
import sys


class ArgumentParser(argparse.ArgumentParser):
    """An ``argparse.ArgumentParser`` whose usage errors are a single line on stderr."""

    def error(self, message):  # noqa: D401 - argparse API
        sys.stderr.write(f"{self.prog}: error: {_one_line(message)}\n")
        sys.exit(2)


def _one_line(message) -> str:
    return " ".join(str(message).split())


def run_cli(main, argv=None, prog: str | None = None) -> int:
    """Call ``main(argv)``; turn a ``ValueError`` into one stderr line and exit status 2."""
    try:
        code = main(argv)
    except ValueError as exc:
        name = prog or (sys.argv[0].rsplit("/", 1)[-1] if sys.argv else "memtheory")
        sys.stderr.write(f"{name}: error: {_one_line(exc)}\n")
        return 2
    return 0 if code is None else int(code)
