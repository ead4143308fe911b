import sys
from pathlib import Path

from empirical.running.results import atomic_write_json


def run(config):
    sys.modules["tests.empirical.fake_topic"].RAN = True
    result = {"values": [config.value + 0.01 * s for s in range(config.seeds)]}
    if config.out:
        atomic_write_json(Path(config.out) / "result.json", result)
    return result
