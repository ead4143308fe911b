"""Fuzz table of the experiment and validation CLIs (issue 17): bad flags and output paths.

Every case runs ``python -m MODULE ARGS`` in a subprocess limited to 1 GiB of address space and
10 s. It must exit 2 with exactly one line on stderr, no traceback, and without importing torch
(arguments and ``--out`` are checked before torch is loaded, so a bad flag costs no training).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 10.0
TORCH_MARK = "TORCH-WAS-IMPORTED"
EXPERIMENTS = (
    "capacity",
    "counting",
    "distributional",
    "factual_recall",
    "gd_associative",
    "heavy_tailed",
    "mpp",
    "multi_index",
    "numbers",
    "pathstar",
    "scaling",
    "scaling_trained",
    "spectral",
    "teleport",
    "tiny_graphs",
)

# Runs the module as __main__ and, whatever happens, tells on stderr whether torch was loaded.
_RUNNER = (
    "import runpy, sys\n"
    "mod = sys.argv[1]; sys.argv = [mod] + sys.argv[2:]\n"
    "try:\n"
    "    runpy.run_module(mod, run_name='__main__', alter_sys=True)\n"
    "finally:\n"
    f"    if 'torch' in sys.modules: sys.stderr.write('{TORCH_MARK}\\n')\n"
)


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _RUNNER, module, *args],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
    )


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    out = {"file": d / "a_file.txt", "empty_row": d / "empty_row", "corrupt": d / "corrupt"}
    out["file"].write_text("not a folder\n")
    out["empty_row"].mkdir()
    (out["empty_row"] / "results.jsonl").write_text("{}\n")
    out["corrupt"].mkdir()
    (out["corrupt"] / "results.jsonl").write_text(json.dumps({"claim": "x"}) + "\n{not json\n")
    return {k: str(v) for k, v in out.items()}


# (module, args, a fragment the one-line message must contain); {name} is a path above
CASES = [
    *[
        (f"empirical.experiments.{e}", ["--profile", "quick", "--out", "{file}"], "--out")
        for e in EXPERIMENTS
    ],
    *[(f"empirical.experiments.{e}", ["--profile", "nope"], "--profile") for e in EXPERIMENTS],
    ("empirical.experiments.pathstar", ["--steps", "0"], "steps"),
    ("empirical.experiments.pathstar", ["--seeds", "-1"], "seeds"),
    ("empirical.experiments.tiny_graphs", ["--width", "1000000000"], "width"),
    ("empirical.experiments.tiny_graphs", ["--graph", "cycle:1000000000000"], "max_bytes"),
    ("empirical.experiments.tiny_graphs", ["--graph", "path-star:1000000x1000"], "max_bytes"),
    ("empirical.validate", ["--claims-module", "does.not.exist"], "does.not.exist"),
    ("empirical.validate", ["--report-only", "--out", "{empty_row}"], "results.jsonl"),
    ("empirical.validate", ["--report-only", "--out", "{corrupt}"], "results.jsonl:2"),
    ("empirical.validate", ["--list", "--report-only"], "--report-only"),
    ("empirical.validate", ["--only", ""], "--only"),
    ("empirical.validate", ["--out", "{file}", "--only", "nothing.matches"], "--out"),
]


@pytest.mark.parametrize(("module", "args", "fragment"), CASES, ids=lambda v: str(v)[:40])
def test_cli_refuses_with_one_line_before_torch(paths, module, args, fragment):
    args = [a.format(**paths) for a in args]
    proc = _cli(module, *args)
    err = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert TORCH_MARK not in proc.stderr, f"torch imported before refusing: {args}"
    assert len(err) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert fragment in err[0], err[0]
