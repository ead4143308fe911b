"""Made-up experiment results, one passing and one failing per claim.

Each module here is named like an experiment package and holds
``CASES = {claim_id: (passing_result, failing_result)}``: the smallest result dicts the claim's
check reads. ``tests/empirical/test_claim_checks.py`` judges every claim on both, so a check
weakened to always pass (or never pass) fails a test, and a claim without cases fails too.
"""
