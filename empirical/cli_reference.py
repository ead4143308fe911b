"""Generate ``docs/cli.md`` from the argument parsers, so the CLI reference cannot drift.

``python -m empirical.cli_reference > docs/cli.md`` rewrites it; a test checks that the
committed file equals the generated text.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import pkgutil
import sys

FIXED = ("memtheory.capacity", "memtheory.spectral", "proofs_check", "empirical.validate")


def cli_modules() -> list[str]:
    """Every module with a command line: the fixed ones and each experiment."""
    import empirical.experiments

    exps = sorted(
        f"empirical.experiments.{m.name}"
        for m in pkgutil.iter_modules(empirical.experiments.__path__)
        if not m.name.startswith("_")
    )
    return [m for m in FIXED if importlib.util.find_spec(m)] + exps


def help_text(module: str) -> str:
    """The ``--help`` output of ``python -m module`` at a fixed width of 100 columns."""
    name = module if module != "proofs_check" else "proofs_check.__main__"
    mod = importlib.import_module(name)
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):
            mod.main(["--help"])
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    return buf.getvalue().rstrip() + "\n"


def generate() -> str:
    """The whole reference as Markdown."""
    parts = [
        "# Command-line reference",
        "",
        "Generated from the argument parsers by `python -m empirical.cli_reference > docs/cli.md`;",
        "a test fails when this file and the parsers disagree.",
        "",
    ]
    for module in cli_modules():
        parts += [f"## `python -m {module}`", "", "```text", help_text(module).rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(generate())
