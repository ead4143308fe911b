"""A tiny experiment for testing the validation machinery (not a real measurement)."""

import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    value: float = 1.0
    seeds: int = 2
    sleep: float = 0.0
    out: str | None = None


PROFILES = {"quick": Config(), "paper": Config(value=2.0, seeds=3)}


def run(config: Config) -> dict:
    if config.out:
        Path(config.out).mkdir(parents=True, exist_ok=True)
        with open(Path(config.out) / "runs.log", "a") as fh:
            fh.write("ran\n")
    time.sleep(config.sleep)
    if config.value < 0:
        raise RuntimeError("negative value")
    return {"values": [config.value + 0.01 * s for s in range(config.seeds)]}
