"""Generate ``docs/cli.md`` from the argument parsers, so the CLI reference cannot drift.

A maintainer's tool, not part of the library: ``python tools/cli_reference.py > docs/cli.md``
rewrites the file; a test checks that the committed file equals the generated text.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
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


def _main(module: str):
    """The ``main(argv)`` behind ``python -m module``."""
    is_pkg = module.startswith("empirical.experiments.") and hasattr(
        importlib.import_module(module), "__path__"
    )
    if is_pkg:  # a topic package: its own __main__.main if it has one, else experiment_main
        if importlib.util.find_spec(f"{module}.__main__"):
            own = getattr(importlib.import_module(f"{module}.__main__"), "main", None)
            if own is not None:
                return own
        from empirical.running.experiment import experiment_main

        return lambda argv: experiment_main(module, argv)
    name = module if module != "proofs_check" else "proofs_check.__main__"
    return importlib.import_module(name).main


def help_text(module: str) -> str:
    """The ``--help`` output of ``python -m module`` at a fixed width of 100 columns."""
    main = _main(module)
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):
            main(["--help"])
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
        "Generated from the argument parsers by `python tools/cli_reference.py > docs/cli.md`;",
        "a test fails when this file and the parsers disagree.",
        "",
    ]
    for module in cli_modules():
        parts += [f"## `python -m {module}`", "", "```text", help_text(module).rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(generate())
