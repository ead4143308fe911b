"""What every experiment shares: profiles, the command line, the output folder.

A topic package ``empirical/experiments/NAME/`` has ``config.py`` (a frozen config dataclass with
an ``out`` field, ``PROFILES``, optionally ``EXPECTED_SECONDS`` and ``add_arguments(parser)`` for
its own flags; no torch import), ``run.py`` (a pure ``run(config) -> dict`` that writes results,
figures and ``summary.md`` into ``config.out`` when it is set, and resumes from them),
``report.py`` (``summary_markdown(result)``) and ``__main__.py``::

    import sys
    from empirical.running.experiment import experiment_main
    from memtheory.cli import run_cli

    if __name__ == "__main__":
        sys.exit(run_cli(lambda argv: experiment_main("NAME", argv), prog="..."))

:func:`experiment_main` parses and validates the flags and checks ``--out`` before it imports
``run`` (and with it torch), so a bad flag or an unwritable folder costs no training.

Older single-file experiment modules follow the same contract in one module:

An experiment module defines a config dataclass, ``PROFILES = {"quick": Config(...),
"paper": Config(...)}``, a pure ``run(config) -> dict`` and ``main(argv)``, which is usually::

    def main(argv=None):
        parser = experiment_parser("tiny_graphs", PROFILES, __doc__)
        args = parser.parse_args(argv)
        config = config_from_args(PROFILES, args)
        result = run(config)
        ...

or, for modules with ``write_outputs`` and ``summary_markdown``, :func:`summary_main`.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys

from empirical.running.results import check_out_dir, to_jsonable
from memtheory.cli import ArgumentParser


def experiment_parser(name: str, profiles: dict, description: str | None = None) -> ArgumentParser:
    """Parser with the flags every experiment takes: --profile, --out, --json, --seeds, --device."""
    parser = ArgumentParser(prog=f"python -m empirical.experiments.{name}", description=description)
    parser.add_argument(
        "--profile",
        choices=sorted(profiles),
        default="quick",
        help="preset sizes: quick (2 CPU cores, minutes) or paper (GPU)",
    )
    parser.add_argument("--out", default=None, help="output folder (results, figures, summary)")
    parser.add_argument("--json", action="store_true", help="print the result records as JSON")
    parser.add_argument(
        "--seeds", type=int, default=None, help="number of seeds (default: profile's)"
    )
    parser.add_argument(
        "--device",
        choices=["cpu", "cuda", "auto"],
        default=None,
        help="torch device (default: the profile's; auto picks cuda when present)",
    )
    return parser


def config_from_args(profiles: dict, args, **overrides):
    """The profile's config with every non-None matching CLI flag (and ``overrides``) applied."""
    base = profiles[args.profile]
    fields = {f.name for f in dataclasses.fields(base)}
    changes = {k: v for k, v in vars(args).items() if k in fields and v is not None}
    changes.update({k: v for k, v in overrides.items() if v is not None})
    return dataclasses.replace(base, **changes)


def print_json(obj) -> None:
    """Print ``obj`` as JSON on stdout (numpy values and dataclasses converted)."""
    json.dump(to_jsonable(obj), sys.stdout, indent=2)
    sys.stdout.write("\n")


def summary_main(module, argv=None) -> int:
    """``main`` of an experiment module with ``NAME``, ``PROFILES``, ``run``,
    ``write_outputs(result, out)`` and ``summary_markdown(result)``: parse the standard flags,
    run, write the outputs with ``--out``, print the result as JSON with ``--json`` and the
    markdown summary otherwise."""
    parser = experiment_parser(module.NAME, module.PROFILES, module.__doc__)
    args = parser.parse_args(argv)
    result = module.run(config_from_args(module.PROFILES, args))
    if args.out:
        module.write_outputs(result, args.out)
    if args.json:
        print_json(result)
    else:
        sys.stdout.write(module.summary_markdown(result))
    return 0


def experiment_main(topic: str, argv=None) -> int:
    """``main`` of a topic package ``empirical.experiments.<topic>``: parse the standard flags
    (and the config module's ``add_arguments``), build and validate the config, check ``--out``,
    then import ``run`` and run; print ``report.summary_markdown(result)``, or the result as
    JSON with ``--json``.

    Optional hooks let a topic keep its own command line without its own ``main``: the
    package's ``CLI_HELP`` (the ``--help`` description; default the docstring's first line);
    ``config.config_from_cli(args)`` builds the config (default :func:`config_from_args`);
    ``report.after_run(result, config, command)`` runs after ``run`` (e.g. to write a summary
    naming the command); ``report.console_text(result)`` replaces the printed summary;
    ``report.json_view(result)`` is what ``--json`` prints (default: the whole result).
    """
    pkg = topic if "." in topic else f"empirical.experiments.{topic}"
    name = topic.rsplit(".", 1)[-1]
    cfg = importlib.import_module(f"{pkg}.config")
    package = importlib.import_module(pkg)
    doc = getattr(package, "CLI_HELP", None) or (package.__doc__ or "").strip().split("\n")[0]
    parser = experiment_parser(name, cfg.PROFILES, doc or None)
    if hasattr(cfg, "add_arguments"):
        cfg.add_arguments(parser)
    args = parser.parse_args(argv)
    if hasattr(cfg, "config_from_cli"):
        config = cfg.config_from_cli(args)
    else:
        config = config_from_args(cfg.PROFILES, args)
    if getattr(config, "out", None):
        check_out_dir(config.out)
    result = importlib.import_module(f"{pkg}.run").run(config)
    report = importlib.import_module(f"{pkg}.report")
    if hasattr(report, "after_run"):
        words = sys.argv[1:] if argv is None else list(argv)
        report.after_run(
            result, config, " ".join([f"python -m empirical.experiments.{name}", *words])
        )
    if args.json:
        print_json(report.json_view(result) if hasattr(report, "json_view") else result)
    elif hasattr(report, "console_text"):
        sys.stdout.write(report.console_text(result))
    else:
        sys.stdout.write(report.summary_markdown(result))
    return 0
