"""``python -m empirical.validate``: run every registered claim and report the verdicts.

``run`` executes claims (one experiment run per group of claims, rows appended to
``OUT/results.jsonl`` as each finishes, resumable); ``report`` rebuilds ``OUT/report.md`` and the
headline from the rows and the registry; ``cli`` is the command line. Exit status 0 when every
expectation is met (``--strict``: stale expectations fail too), 1 otherwise.
"""

from empirical.validate.cli import main
from empirical.validate.run import report, run_group, select_claims, validate

__all__ = ["main", "report", "run_group", "select_claims", "validate"]
