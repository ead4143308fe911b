"""The CLI reference is generated from the parsers; every theory page a claim cites exists."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate() -> str:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools/cli_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.generate()


def test_cli_reference_is_current():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == generate(), (
        "docs/cli.md is stale: run `python tools/cli_reference.py > docs/cli.md`"
    )


def _module_or_package(folder: Path, name: str) -> bool:
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


def test_each_theory_module_has_its_page_and_check():
    with_checks = (
        "spectral",
        "capacity",
        "scaling",
        "dynamics",
        "teleport",
        "normalization",
        "multi_index",
        "counting",
        "numbers",
        "periodic_pde",
    )
    for name in ("geometry", *with_checks):
        assert (ROOT / "docs" / "theory" / f"{name}.md").exists(), name
        assert _module_or_package(ROOT / "memtheory", name), name
    for name in with_checks:
        assert _module_or_package(ROOT / "proofs_check", name), name
