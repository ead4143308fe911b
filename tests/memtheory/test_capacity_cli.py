"""Tests of ``python -m memtheory.capacity``: output, JSON, bad values, import weight, speed."""

import json
import os
import resource
import subprocess
import sys
import time

import pytest

from memtheory import capacity as c
from memtheory.cli import run_cli

PROG = "python -m memtheory.capacity"


def _run(argv, capsys):
    code = run_cli(c.main, argv, prog=PROG)
    out, err = capsys.readouterr()
    return code, out, err


def test_table_lists_every_scheme(capsys):
    code, out, err = _run(["--facts", "1e5"], capsys)
    assert code == 0 and err == ""
    for row in c.capacity_table(10**5):
        assert row["scheme"] in out
    assert "bits/param" in out and "source" in out


@pytest.mark.parametrize("text", ["1e5", "100000", "1_00_000", "100_000"])
def test_facts_spellings(text, capsys):
    code, out, _ = _run(["--facts", text, "--json"], capsys)
    assert code == 0
    assert json.loads(out) == c.capacity_table(100000)
    code, out, _ = _run(["--facts", "1_000_000", "--json"], capsys)
    assert json.loads(out)[0]["bits"] == pytest.approx(1e6 * 19.931568569324174)


def test_json_has_same_rows_as_table(capsys):
    argv = ["--facts", "5000", "--answers", "32", "--bits-per-param", "3", "--graph", "cycle:15"]
    _, table, _ = _run(argv, capsys)
    _, js, _ = _run(argv + ["--json"], capsys)
    rows = json.loads(js)
    assert [r["scheme"] for r in rows] == [line.split()[0] for line in table.splitlines()[3:-1]]
    assert rows[0]["parameters"] == -(-5000 * 5 // 3)
    assert rows[-1]["scheme"] == "graph_geometric" and rows[-1]["l2"] > 0


@pytest.mark.parametrize(
    "flag, value",
    [
        ("--facts", "-5"),
        ("--facts", "0"),
        ("--facts", "nan"),
        ("--facts", "inf"),
        ("--facts", "abc"),
        ("--facts", "1e400"),
        ("--facts", "2.5"),
        ("--answers", "1"),
        ("--bits-per-param", "0"),
        ("--zipf-alpha", "1"),
        ("--target-error", "1"),
        ("--target-error", "nan"),
        ("--graph", "blob:3"),
    ],
)
def test_bad_values_exit_2_with_one_line(flag, value, capsys):
    argv = ["--facts", "1000"] + [f"{flag}={value}"] if flag != "--facts" else [f"--facts={value}"]
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and flag in err
    if flag == "--facts":
        assert "[2, 1e15]" in err


def test_negative_facts_as_separate_argument_exits_2():
    proc = subprocess.run(
        [sys.executable, "-m", "memtheory.capacity", "--facts", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "--facts" in proc.stderr


_PROBE = """
import contextlib, io, runpy, sys
sys.argv = ["memtheory.capacity", "--facts", "1e5"]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        runpy.run_module("memtheory.capacity", run_name="__main__")
    except SystemExit:
        pass
heavy = ("torch", "sympy", "matplotlib", "scipy", "numpy")
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & set(heavy))))
"""


def test_cli_loads_no_heavy_modules():
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""  # not even numpy on the default path


@pytest.mark.slow
def test_cli_cpu_time_is_small():
    # CPU time (user + sys) of the child is robust to a loaded machine, unlike wall time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [sys.executable, "-m", "memtheory.capacity", "--facts", "1e5"],
        capture_output=True,
        timeout=60,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 0.5, f"CLI used {cpu:.2f} s of CPU"


@pytest.mark.slow
def test_cli_wall_time_under_half_a_second():
    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "memtheory.capacity", "--facts", "1e5"],
            capture_output=True,
            timeout=60,
            env=dict(os.environ),
        )
        walls.append(time.perf_counter() - t0)
    assert min(walls) < 0.5, walls
