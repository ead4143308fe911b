"""Reading a topic's sizes or thresholds costs no torch: every topic package, its ``config`` and
its ``claims`` import without loading torch or matplotlib (they load only when a run starts)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import empirical.experiments as experiments

TOPICS = sorted(info.name for info in pkgutil.iter_modules(experiments.__path__) if info.ispkg)


def test_every_topic_is_listed():
    assert {"capacity", "pathstar", "teleport", "tiny_graphs"} <= set(TOPICS)


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_config_and_claims_import_without_torch(topic):
    pkg = f"empirical.experiments.{topic}"
    modules = [pkg, f"{pkg}.config"]
    if (Path(experiments.__path__[0]) / topic / "claims.py").exists():
        modules.append(f"{pkg}.claims")
    code = (
        f"import sys, {', '.join(modules)}; "
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
