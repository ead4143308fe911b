"""Registry of symbolic checks.

A check is a function with no arguments that returns a short detail string (what was verified
and, where it applies, the numeric agreement with the ``memtheory`` function it justifies), or
raises ``AssertionError`` when the identity fails. Register it with ``@check("what it states")``.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
import traceback
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    module: str
    name: str
    statement: str
    func: object


@dataclass(frozen=True)
class CheckResult:
    module: str
    name: str
    statement: str
    ok: bool
    detail: str
    seconds: float


_REGISTRY: dict[str, Check] = {}


def check(statement: str):
    """Decorator registering a symbolic check under ``module.function_name``."""

    def wrap(func):
        # keyed by the memtheory topic (``proofs_check.dynamics.gd_associative`` -> ``dynamics``)
        # so that claims keep citing ``topic.check`` when a topic is split into modules
        parts = func.__module__.split(".")
        module = parts[1] if len(parts) > 1 else parts[0]
        key = f"{module}.{func.__name__}"
        _REGISTRY[key] = Check(module, func.__name__, statement, func)
        return func

    return wrap


def load_all() -> list[Check]:
    """Import every ``proofs_check`` module (subpackages included) and return all checks."""
    import proofs_check

    prefix = proofs_check.__name__ + "."
    for info in pkgutil.walk_packages(proofs_check.__path__, prefix):
        if not any(part.startswith("_") for part in info.name.split(".")):
            importlib.import_module(info.name)
    return list(_REGISTRY.values())


def run_check(c: Check) -> CheckResult:
    """Run one check, catching failures into the result."""
    t0 = time.perf_counter()
    try:
        detail = c.func() or ""
        ok = True
    except Exception as exc:  # a failed or crashed check is reported, never hidden
        ok = False
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {exc} (line {tb.lineno})"
    return CheckResult(c.module, c.name, c.statement, ok, str(detail), time.perf_counter() - t0)
