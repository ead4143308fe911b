"""CLI tests of ``python -m memtheory.spectral``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from memtheory import spectral


def _run(*args, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "memtheory.spectral", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_help_loads_no_heavy_modules():
    code = (
        "import sys, runpy\n"
        "sys.argv = ['memtheory.spectral', '--help']\n"
        "try:\n"
        "    runpy.run_module('memtheory.spectral', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "bad = [m for m in ('torch', 'sympy', 'matplotlib') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "usage:" in out.stdout
    assert "HEAVY=\n" in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--graph", "bogus:3"),
        ("--graph", "cycle:2"),
        ("--graph", "cycle:15", "--k", "0"),
        ("--graph", "cycle:15", "--dynamics", "--steps", "0"),
        ("--graph", "cycle:15", "--k", "abc"),
        (),
    ],
)
def test_bad_input_exits_2_with_one_line(args):
    out = _run(*args)
    assert out.returncode == 2, (out.returncode, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert lines[0].startswith("python -m memtheory.spectral: error:")


def test_isolated_node_file_exits_2(tmp_path):
    f = tmp_path / "edges.txt"
    f.write_text("0 1\n0 3\n")  # node 2 is never mentioned: isolated
    out = _run("--graph", str(f))
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "isolated" in out.stderr
    f.write_text("0 1\n1 2\n3 4\n4 5\n5 3\n")  # two components, no isolated node: fine
    assert _run("--graph", str(f)).returncode == 0


def test_text_output_and_json():
    out = _run("--graph", "cycle:15", "--k", "4")
    assert out.returncode == 0, out.stderr
    assert "predicted Node2Vec rank: 3" in out.stdout
    assert "x2" in out.stdout  # multiplicities shown
    js = _run("--graph", "path-star:4x5", "--k", "2", "--json")
    data = json.loads(js.stdout)
    assert data["predicted_rank"] == 4
    assert [c["multiplicity"] for c in data["clusters"]] == [1, 3]  # k=2 extended to 4


def test_dynamics_table_in_process(capsys):
    assert spectral.main(["--graph", "cycle:6", "--dynamics", "--steps", "50", "--dim", "8"]) == 0
    text = capsys.readouterr().out
    assert "|CV|_F" in text and "     50" in text
