"""experiment_main: flags parsed and validated and --out checked before ``run`` is imported."""

import sys

from empirical.running.experiment import experiment_main
from memtheory.cli import run_cli

TOPIC = "tests.empirical.fake_topic"


def _main(argv):
    return experiment_main(TOPIC, argv)


def _forget_run():
    sys.modules.pop(f"{TOPIC}.run", None)
    import tests.empirical.fake_topic as pkg

    pkg.RAN = False
    return pkg


def test_runs_and_writes(tmp_path, capsys):
    pkg = _forget_run()
    assert run_cli(_main, ["--value", "3", "--out", str(tmp_path / "o")]) == 0
    assert pkg.RAN and (tmp_path / "o" / "result.json").exists()
    assert "values: [3.0, 3.01]" in capsys.readouterr().out


def test_bad_value_and_bad_out_fail_before_run_is_imported(tmp_path, capsys):
    _forget_run()
    afile = tmp_path / "afile"
    afile.write_text("")
    assert run_cli(_main, ["--value", "-1"]) == 2
    assert run_cli(_main, ["--out", str(afile)]) == 2
    assert run_cli(_main, ["--out", str(afile / "sub")]) == 2
    assert f"{TOPIC}.run" not in sys.modules
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "value must be >= 0" in err[0] and "afile" in err[1]
