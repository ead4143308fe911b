"""The counting experiment: config validation, a tiny run end to end, resume, the CLI."""

import dataclasses

import pytest

from empirical.experiments.counting.config import PROFILES, Config

TINY = dict(
    length=24,
    regions=2,
    max_region_length=3,
    ood_lengths=(40,),
    ood_regions=(1, 3),
    positions=("nope", "rope"),
    width=8,
    steps=3,
    batch=8,
    eval_batch=16,
    seeds=1,
    theory_lengths=(8, 40),
    theory_max_regions=3,
    theory_sequences=1,
    threads=1,
)


@pytest.mark.parametrize(
    "field, value",
    [
        ("length", 1),
        ("regions", 0),
        ("p_one", 2.0),
        ("ood_lengths", ()),
        ("ood_regions", (9,)),
        ("masks", ("sideways",)),
        ("positions", ("alibi",)),
        ("width", 7),
        ("lr", 0.0),
        ("seeds", 0),
        ("device", "tpu"),
        ("theory_max_regions", 0),
        ("train_regions", (5,)),
    ],
)
def test_config_rejects_bad_fields(field, value):
    with pytest.raises(ValueError, match=f"^{field}"):
        Config(**{field: value})


def test_profiles_are_valid_and_paper_uses_paper_sizes():
    assert PROFILES["paper"].length == 512 and PROFILES["paper"].regions == 4
    assert set(PROFILES) == {"quick", "cpu-2000", "paper"}


@pytest.mark.slow
def test_tiny_run_writes_and_resumes(tmp_path):
    from empirical.experiments.counting.run import run

    cfg = Config(**TINY, out=str(tmp_path))
    res = run(cfg)
    assert len(res["runs"]) == 4  # 2 masks x 2 positions x 1 seed
    for r in res["runs"]:
        assert 0 <= r["accuracy"] <= 1 and set(r["ood_regions"]) == {"1", "3"}
        assert r["decoder"]["bias_token"] in ("bos", "close")
        assert 0 <= r["encoder"]["delimiter_mass"] <= 1 + 1e-9
    bos = [r for r in res["theory"]["handbuilt"] if r["bias"] == "bos"]
    assert bos and all(r["exact_fraction"] == 1.0 for r in bos)
    assert all(r["noncausal_max_diff"] < 1e-12 for r in res["theory"]["proposition3"])
    for name in ("summary.md", "result.json", "results.jsonl", "theory.json", "accuracy.png"):
        assert (tmp_path / name).exists()
    # resume: a second run reads every row back and trains nothing
    again = run(cfg)
    assert [r["accuracy"] for r in again["runs"]] == [r["accuracy"] for r in res["runs"]]
    assert [r["seconds"] for r in again["runs"]] == [r["seconds"] for r in res["runs"]]
    # a folder written under another config is refused
    with pytest.raises(ValueError, match="^out"):
        run(dataclasses.replace(cfg, steps=4))


def test_same_seed_same_numbers():
    from empirical.experiments.counting.run import run

    cfg = Config(**{**TINY, "masks": ("causal",), "positions": ("nope",)})
    a, b = run(cfg), run(cfg)
    assert [r["accuracy"] for r in a["runs"]] == [r["accuracy"] for r in b["runs"]]
    assert [r["final_loss"] for r in a["runs"]] == [r["final_loss"] for r in b["runs"]]


def test_cli_rejects_bad_flag_in_one_line(capsys):
    from empirical.running.experiment import experiment_main
    from memtheory.cli import run_cli

    code = run_cli(lambda argv: experiment_main("counting", argv), ["--width", "7"], prog="x")
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "width" in err


def test_varied_training_region_counts_run():
    from empirical.experiments.counting.run import run

    cfg = Config(**{**TINY, "masks": ("causal",), "positions": ("nope",), "train_regions": (1, 2)})
    res = run(cfg)
    assert res["config"]["train_regions"] == [1, 2] and len(res["runs"]) == 1
