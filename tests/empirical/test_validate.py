"""The claim registry, the executors, resume, atomic writes and the exit status."""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from empirical import validate
from empirical.running.results import atomic_write_json, read_jsonl
from empirical.validate import claims as claims_mod
from empirical.validate.run import experiment_api

MOD = "tests.empirical.fake_claims"
ROOT = Path(__file__).resolve().parents[2]


def run_validate(tmp_path, *args):
    return validate.main(["--out", str(tmp_path), "--no-progress", "--claims-module", MOD, *args])


def test_registry_entries_are_complete():

    for c in claims_mod.all_claims():
        assert c.paper and c.statement and c.prediction, c.id
        assert c.tolerance.text and c.tolerance_reason, c.id
        assert isinstance(c.kind, claims_mod.Kind), c.id
        if not c.id.startswith("fake."):
            profiles, run, _ = experiment_api(c.experiment)
            assert callable(run), c.id
            for p in c.profiles:
                assert p in profiles, (c.id, p)
        if c.symbolic_check:
            from proofs_check._core import load_all

            keys = {f"{k.module}.{k.name}" for k in load_all()}
            assert c.symbolic_check in keys, c.id


def test_exit_status_and_report(tmp_path):
    assert run_validate(tmp_path, "--only", "fake.holds", "--executor", "serial") == 0
    report = (tmp_path / "report.md").read_text()
    assert "fake.holds" in report and "holds" in report
    assert (tmp_path / "figures" / "fake.holds.png").stat().st_size > 1000
    assert run_validate(tmp_path, "--only", "fake.holds,fake.fails", "--executor", "serial") == 1
    # a claim recorded as not reproducing is shown as such and does not fail the run
    assert run_validate(tmp_path, "--only", "fake.recorded", "--executor", "serial") == 0
    assert "not reproducing (recorded)" in (tmp_path / "report.md").read_text()


def test_one_row_per_claim_per_seed(tmp_path):
    run_validate(tmp_path, "--only", "fake.holds,fake.fails", "--executor", "serial")
    rows = read_jsonl(tmp_path / "results.jsonl")
    assert sorted((r["claim"], r["seed"]) for r in rows) == [
        ("fake.fails", 0),
        ("fake.fails", 1),
        ("fake.holds", 0),
        ("fake.holds", 1),
    ]
    for r in rows:
        assert {
            "config",
            "prediction",
            "measurement",
            "verdict",
            "versions",
            "experiment_wall_time",
        } <= set(r)
    # the two claims share one experiment run
    assert (tmp_path / "experiments" / "fake_experiment" / "runs.log").read_text().count("ran") == 1


@pytest.mark.parametrize("executor", ["serial", "local", "submitit-local"])
def test_executors_agree(tmp_path, executor):
    if executor.startswith("submitit"):
        pytest.importorskip("submitit", reason="the 'cluster' extra (pip install -e '.[cluster]')")
    code = run_validate(
        tmp_path, "--only", "fake.holds,fake.fails", "--executor", executor, "--workers", "2"
    )
    assert code == 1
    rows = read_jsonl(tmp_path / "results.jsonl")
    got = {(r["claim"], r["seed"]): r["measurement"] for r in rows}
    assert got == {
        ("fake.holds", 0): 1.0,
        ("fake.holds", 1): 1.01,
        ("fake.fails", 0): 1.0,
        ("fake.fails", 1): 1.01,
    }


def test_resume_skips_finished_claims(tmp_path):
    run_validate(tmp_path, "--only", "fake.holds", "--executor", "serial")
    log = tmp_path / "experiments" / "fake_experiment" / "runs.log"
    assert log.read_text().count("ran") == 1
    run_validate(tmp_path, "--only", "fake.holds,fake.recorded", "--executor", "serial", "--resume")
    rows = read_jsonl(tmp_path / "results.jsonl")
    assert sorted({r["claim"] for r in rows}) == ["fake.holds", "fake.recorded"]
    assert len(rows) == 4  # each claim once (2 seeds each), nothing duplicated
    # fake.recorded shares the experiment, so it ran exactly once more
    assert log.read_text().count("ran") == 2
    # report rebuilt from results.jsonl alone
    (tmp_path / "report.md").unlink()
    assert run_validate(tmp_path, "--report-only") == 0
    assert "fake.recorded" in (tmp_path / "report.md").read_text()


def test_kill_then_resume(tmp_path, monkeypatch):
    """Kill a real run after its fast claim finished; --resume completes only the rest."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [
        sys.executable,
        "-m",
        "empirical.validate",
        "--out",
        str(tmp_path),
        "--no-progress",
        "--claims-module",
        MOD,
        "--only",
        "fake.holds,fake.slow",
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = tmp_path / "results.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline and not any(
        r["claim"] == "fake.holds" for r in read_jsonl(results)
    ):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    rows = read_jsonl(results)
    assert {r["claim"] for r in rows} == {"fake.holds"}
    # resume, with the slow claim made fast: only it runs
    from tests.empirical import fake_claims  # noqa: F401

    monkeypatch.setitem(
        claims_mod._REGISTRY,
        "fake.slow",
        dataclasses.replace(claims_mod._REGISTRY["fake.slow"], overrides={"sleep": 0.0}),
    )
    code = validate.validate(
        "quick",
        "fake.holds,fake.slow",
        str(tmp_path),
        executor="serial",
        resume=True,
        progress=False,
        claim_modules=[MOD],
    )
    assert code == 0
    rows = read_jsonl(results)
    assert sorted(r["claim"] for r in rows) == ["fake.holds"] * 2 + ["fake.slow"] * 2


def test_experiment_error_is_a_failing_row(tmp_path, monkeypatch):
    from tests.empirical import fake_claims  # noqa: F401

    c = claims_mod._REGISTRY["fake.holds"]
    broken = dataclasses.replace(c, id="fake.broken", overrides={"value": -1.0})
    monkeypatch.setitem(claims_mod._REGISTRY, "fake.broken", broken)
    code = validate.validate(
        "quick", "fake.broken", str(tmp_path), executor="serial", progress=False
    )
    assert code == 1
    (row,) = read_jsonl(tmp_path / "results.jsonl")
    assert row["verdict"] == "error" and "negative value" in row["detail"]


def test_atomic_write_leaves_no_temp_and_keeps_old_on_failure(tmp_path):
    target = tmp_path / "x.json"
    atomic_write_json(target, {"a": 1})

    class Boom:
        pass

    with pytest.raises(TypeError):
        atomic_write_json(target, {"a": Boom()})
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_bad_arguments_exit_2(tmp_path, capsys):
    from memtheory.cli import run_cli

    assert run_cli(validate.main, ["--workers", "0", "--out", str(tmp_path)]) == 2
    assert run_cli(validate.main, ["--only", "nothing.matches", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("error" in line for line in err)


def test_headline_counts_kinds_categories_and_stale(tmp_path, capsys):
    ids = "fake.holds,fake.recorded,fake.regime,fake.derivation,fake.stale"
    assert run_validate(tmp_path, "--only", ids, "--executor", "serial") == 0
    out = capsys.readouterr().out
    assert "Paper claims reproduced: 2 of 3. Recorded as not reproducing: 1 refuted." in out
    assert "Derivation checks passed: 1 of 1." in out
    assert "Toolkit models that hold: 0 of 1. Recorded as not reproducing: 1 not tested here" in out
    assert "Unexpected failures: 0. Errors: 0. Stale expectations" in out
    assert "now hold): 1." in out
    assert "0 failed" not in out
    rows = {r["claim"]: r for r in read_jsonl(tmp_path / "results.jsonl")}
    assert rows["fake.stale"]["verdict"] == "stale: holds, recorded as not reproducing"
    assert rows["fake.regime"]["verdict"] == "not tested here"
    assert rows["fake.recorded"]["category"] == "refuted"
    # --strict fails on the stale expectation; the report says so
    assert run_validate(tmp_path, "--report-only", "--strict") == 1
    assert run_validate(tmp_path, "--report-only") == 0


def test_a_record_applies_only_to_its_profiles(tmp_path):
    """A quick-profile budget record: quick reports it as not reproducing, paper expects the
    claim to hold (and fails if it does not)."""
    only = ("--only", "fake.quick-budget", "--executor", "serial")
    assert run_validate(tmp_path / "q", *only) == 0
    (row,) = {r["claim"]: r for r in read_jsonl(tmp_path / "q" / "results.jsonl")}.values()
    assert (row["expect"], row["category"]) == ("not-reproducing", "budget")
    assert row["verdict"] == "not reproducing (recorded)"
    assert run_validate(tmp_path / "p", *only, "--profile", "paper") == 0
    rows = read_jsonl(tmp_path / "p" / "results.jsonl")
    assert {(r["expect"], r["category"], r["verdict"]) for r in rows} == {("holds", None, "holds")}
    c = claims_mod.get("fake.quick-budget")
    assert c.recorded("quick") is c.not_reproducing and c.recorded("paper") is None


def test_rows_carry_margins_in_tolerance_units(tmp_path):
    run_validate(tmp_path, "--only", "fake.holds,fake.fails", "--executor", "serial")
    rows = {(r["claim"], r["seed"]): r for r in read_jsonl(tmp_path / "results.jsonl")}
    # |1.01 - 1| <= 0.05: margin 0.04 inside; |1 - 10| <= 0.5: margin 0.5 - 9 outside
    assert abs(rows[("fake.holds", 1)]["margin"] - 0.04) < 1e-12
    assert abs(rows[("fake.fails", 0)]["margin"] - (0.5 - 9.0)) < 1e-12
    assert rows[("fake.holds", 0)]["tolerance"] == "|value - predicted| <= 0.05 x |predicted|"
    assert "+0.04" in (tmp_path / "report.md").read_text()


def test_report_takes_expectations_from_the_registry(tmp_path, monkeypatch):
    """A claim re-recorded in the registry is reported with the new expectation, not the one
    stored in results.jsonl."""
    run_validate(tmp_path, "--only", "fake.fails", "--executor", "serial")
    assert run_validate(tmp_path, "--report-only") == 1
    from tests.empirical.fake_claims import RECORDED

    c = claims_mod._REGISTRY["fake.fails"]
    monkeypatch.setitem(
        claims_mod._REGISTRY, "fake.fails", dataclasses.replace(c, not_reproducing=RECORDED)
    )
    assert run_validate(tmp_path, "--report-only") == 0
    assert "refuted" in (tmp_path / "report.md").read_text()


def test_bad_result_files_and_flags_are_one_line_errors(tmp_path, capsys):
    from memtheory.cli import run_cli

    (tmp_path / "results.jsonl").write_text("{}\n")
    assert run_cli(validate.main, ["--report-only", "--out", str(tmp_path)]) == 2
    (tmp_path / "results.jsonl").write_text('{"claim": 1\n')
    assert run_cli(validate.main, ["--report-only", "--out", str(tmp_path)]) == 2
    assert run_cli(validate.main, ["--list", "--report-only"]) == 2
    assert run_cli(validate.main, ["--only", "", "--out", str(tmp_path)]) == 2
    assert run_cli(validate.main, ["--claims-module", "does.not.exist"]) == 2
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert (
        run_cli(
            validate.main, ["--only", "fake.holds", "--claims-module", MOD, "--out", str(afile)]
        )
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 6, err
    assert "results.jsonl" in err[0] and "results.jsonl:1" in err[1]
    assert "does.not.exist" in err[4] and "afile" in err[5]
