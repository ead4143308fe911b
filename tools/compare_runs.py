"""Compare two ``python -m empirical.validate`` output folders of the same claims.

Usage: ``python tools/compare_runs.py BEFORE AFTER EXPERIMENT`` (e.g. ``tiny_graphs``). Prints,
per metric of ``OUT/experiments/EXPERIMENT/results.jsonl`` (records matched by ``key`` or
``run_id``, list indices folded), the largest ``|after - before|`` and how many values differ
(timing fields skipped), then every claim row of ``OUT/results.jsonl`` whose verdict or
measurement changed. Used to show that a speed change leaves the verdicts alone.
"""

import json
import math
import re
import sys
from collections import defaultdict

SKIP = re.compile(
    r"(wall|seconds|cpu|tokens_per_sec|flops|utilization|versions|figures|time|"
    r"config_hash|matmul|theory_s|torch_s|_s$|reused|trained_cells)",
    re.I,
)


def rows(path):
    return [json.loads(l) for l in open(path) if l.strip()]


def key_of(r):
    return r.get("key") or r.get("run_id")


def walk(a, b, path, out, diffs):
    if SKIP.search(path.split(".")[-1] if path else ""):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            if k not in a or k not in b:
                out[f"{path}.{k} MISSING"] = float("inf")
                continue
            walk(a[k], b[k], f"{path}.{k}" if path else k, out, diffs)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out[f"{path} LENGTH {len(a)} vs {len(b)}"] = float("inf")
            return
        for x, y in zip(a, b, strict=True):
            walk(x, y, path + "[]", out, diffs)
    elif isinstance(a, bool) or isinstance(b, bool) or a is None or b is None or isinstance(a, str):
        if a != b:
            out[f"{path} DIFFERENT {a!r} vs {b!r}"] = float("inf")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) and math.isnan(b):
            d = 0.0
        else:
            d = abs(a - b)
        out[path] = max(out.get(path, 0.0), d)
        if d > 0:
            diffs[path].append(d)


before, after, exp = sys.argv[1], sys.argv[2], sys.argv[3]
A = {key_of(r): r for r in rows(f"{before}/experiments/{exp}/results.jsonl") if key_of(r)}
B = {key_of(r): r for r in rows(f"{after}/experiments/{exp}/results.jsonl") if key_of(r)}
print(f"{exp}: {len(A)} records before, {len(B)} after, {len(set(A) & set(B))} shared keys")
out, diffs = {}, defaultdict(list)
for k in sorted(set(A) & set(B)):
    ra = {kk: v for kk, v in A[k].items() if kk not in ("versions",)}
    rb = {kk: v for kk, v in B[k].items() if kk not in ("versions",)}
    walk(ra, rb, "", out, diffs)
folded = defaultdict(float)
for p, d in out.items():
    folded[re.sub(r"^(history|curve)\[\]", r"\1[]", p)] = max(folded[p], d)
for p in sorted(folded, key=lambda p: -folded[p]):
    if folded[p] > 0 or "--all" in sys.argv:
        print(f"  {p:70s} max|diff| = {folded[p]:.3g}  ({len(diffs[p])} values differ)")
print("  (all other numeric fields: identical)")
# claim rows
ca, cb = rows(f"{before}/results.jsonl"), rows(f"{after}/results.jsonl")
print(f"claim rows: {len(ca)} before, {len(cb)} after")
changed = 0
for x, y in zip(ca, cb, strict=False):  # a length difference is printed above
    same = (
        x["claim"] == y["claim"]
        and x["verdict"] == y["verdict"]
        and x.get("holds") == y.get("holds")
    )
    mx, my = x.get("measurement"), y.get("measurement")
    if not same:
        changed += 1
        print("  VERDICT CHANGED", x["claim"], x.get("seed"), x["verdict"], "->", y["verdict"])
    if mx != my:
        seed = x.get("seed")
        gap = ""
        if isinstance(mx, (int, float)) and isinstance(my, (int, float)):
            gap = f" (|d| {abs(mx - my):.3g})"
        verdicts = f"{x['verdict']}->{y['verdict']}"
        print(f"  {x['claim']} seed {seed}: measurement {mx!r} -> {my!r}{gap} verdict {verdicts}")
print(f"verdicts changed: {changed}")
