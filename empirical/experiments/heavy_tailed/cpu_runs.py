"""Named CPU runs of the heavy-tailed experiment closer to the paper's sizes than ``quick``.

The ``paper`` profile (``m = 11``: 22,528 samples x 24,576 features; memories with N = 1024)
needs a GPU. These configs are the largest that ran on the 2 shared CPU cores here, with
half-decade step grids narrowed around the quick profile's selections (the selection rule is the
same, :func:`.metrics.select_lr`; a step at a grid edge would be reported as such)::

    python -m empirical.experiments.heavy_tailed.cpu_runs tiered-m7 --out runs/ht_tiered_m7

``tiered-m7`` is the paper's "smaller, longer" size ``m = 7`` (896 samples, 127 classes,
1,024 features) for 500 of its 10,000 epochs: enough for every group's half-loss time under
Adam and sign descent, and a lower bound for GD's rarest tier; ``tiered-m7-gd-long`` trains GD
alone at the step ``tiered-m7`` selected (0.01) for 3,000 steps, so that GD's rare tiers halve
too (their half-times do not depend on the horizon once reached).
"""

from __future__ import annotations

import sys

from empirical.experiments.heavy_tailed.config import HeavyTailedConfig

CPU_RUNS = {
    "tiered-m7": HeavyTailedConfig(
        m=7,
        steps=500,
        seeds=1,
        grid_gd=(-3.0, -1.0),
        grid_adam=(-4.0, -2.0),
        grid_sign=(-4.0, -2.0),
        problems=("tiered",),
    ),
    # GD alone at the step tiered-m7 selected, long enough for its rare tiers to halve
    "tiered-m7-gd-long": HeavyTailedConfig(
        m=7,
        steps=3000,
        seeds=1,
        problems=("tiered",),
        methods=("gd",),
        fixed_lr=(("gd", 0.01),),
    ),
    "memory-gaussian-N128": HeavyTailedConfig(
        memory_inputs=128,
        memory_dim=128,
        memory_steps=1000,
        seeds=3,
        grid_gd=(-0.5, 1.5),
        grid_adam=(-3.0, -1.0),
        grid_sign=(-3.0, -1.0),
        problems=("memory-gaussian",),
    ),
    "memory-gaussian-N256": HeavyTailedConfig(
        memory_inputs=256,
        memory_dim=256,
        memory_steps=1000,
        seeds=2,
        grid_gd=(-0.5, 1.5),
        grid_adam=(-3.5, -1.5),
        grid_sign=(-3.5, -1.5),
        problems=("memory-gaussian",),
    ),
}


def main(argv=None) -> int:
    """``python -m empirical.experiments.heavy_tailed.cpu_runs NAME --out DIR``: run one named
    config, write its outputs into DIR and print its ``summary.md``."""
    import dataclasses

    from empirical.running.results import check_out_dir
    from memtheory.cli import ArgumentParser

    parser = ArgumentParser(prog="python -m empirical.experiments.heavy_tailed.cpu_runs")
    parser.add_argument("name", choices=sorted(CPU_RUNS))
    parser.add_argument("--out", required=True, help="output folder")
    args = parser.parse_args(argv)
    check_out_dir(args.out)
    from empirical.experiments.heavy_tailed import report
    from empirical.experiments.heavy_tailed.run import run

    result = run(dataclasses.replace(CPU_RUNS[args.name], out=args.out))
    sys.stdout.write(report.summary_markdown(result))
    return 0


if __name__ == "__main__":
    from memtheory.cli import run_cli

    sys.exit(run_cli(main, prog="python -m empirical.experiments.heavy_tailed.cpu_runs"))
