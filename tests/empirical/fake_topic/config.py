from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    value: float = 1.0
    seeds: int = 2
    out: str | None = None

    def __post_init__(self):
        if self.value < 0:
            raise ValueError(f"value must be >= 0, got {self.value}")


PROFILES = {"quick": Config(), "paper": Config(value=2.0, seeds=3)}
EXPECTED_SECONDS = {"quick": 1.0}


def add_arguments(parser):
    parser.add_argument("--value", type=float, default=None, help="the value")
