"""Configuration of the mpp experiment (no torch)."""

from __future__ import annotations

from dataclasses import dataclass

from memtheory.checks import as_float, as_int, as_range


def _increasing(name: str, values, low: int, high: int) -> tuple:
    out = tuple(as_int(name, v, low, high) for v in values)
    if len(out) < 2 or list(out) != sorted(set(out)):
        raise ValueError(f"{name} must be increasing and hold at least two values, got {values}")
    return out


@dataclass(frozen=True)
class Config:
    """Normalization identities: ``networks`` random inner networks g (two-layer tanh,
    ``width``) on histories of ``frames`` x ``grid`` x 3 fields; field scales ``scales``;
    ``draws`` Monte-Carlo draws of the field embedding per number of present fields; ``seeds``
    repeats.

    The Fourier toy (``memtheory.periodic_pde``, ``transfer.py``): u_t + c u_x = nu u_xx on
    ``toy_grid`` periodic points of [0, 2 pi), band-limited fields (modes 1..``toy_kmax``),
    ``toy_history`` frames ``toy_dt`` apart predict the next; advection draws c from ``c_range``
    (nu = 0), diffusion nu from ``nu_range`` (c = 0), advection-diffusion both. A periodic conv
    net (``toy_depth`` layers, kernel ``toy_kernel``, RevIN, normalized MSE, Adam ``lr`` with
    cosine decay, ``batch`` samples a step, one torch thread). Transfer: pretrain width
    ``toy_width`` for ``pretrain_steps`` on ``pretrain_samples`` per system of advection and
    diffusion, then finetune on advection-diffusion with ``finetune_sizes`` samples for
    ``finetune_steps``, against the same training from scratch. Interference: at each of
    ``widths``, one model on all three systems vs one per system, ``interference_steps`` on
    ``interference_samples`` per system. ``test_samples`` per system; ``toy_seeds`` repeats
    (``toy_seeds = 0`` skips the toy)."""

    networks: int = 5
    frames: int = 16
    grid: int = 32
    width: int = 64
    scales: tuple = (1.0, 10.0, 1000.0)
    draws: int = 4000
    seeds: int = 3
    toy_grid: int = 32
    toy_history: int = 4
    toy_dt: float = 0.25
    toy_kmax: int = 4
    c_range: tuple = (-1.5, 1.5)
    nu_range: tuple = (0.02, 0.2)
    toy_width: int = 16
    toy_depth: int = 3
    toy_kernel: int = 5
    batch: int = 24
    lr: float = 3e-3
    pretrain_samples: int = 2048
    pretrain_steps: int = 800
    finetune_sizes: tuple = (4, 64, 1024)
    finetune_steps: int = 1200
    widths: tuple = (2, 4, 16)
    interference_samples: int = 2048
    interference_steps: int = 600
    test_samples: int = 512
    toy_seeds: int = 3
    threads: int = 1
    out: str | None = None

    def __post_init__(self):
        as_int("networks", self.networks, 1, 1000)
        as_int("frames", self.frames, 2, 10**4)
        as_int("grid", self.grid, 2, 4096)
        as_int("width", self.width, 1, 4096)
        as_int("draws", self.draws, 100, 10**7)
        as_int("seeds", self.seeds, 1, 1000)
        scales = tuple(as_float("scales", s, 0.0, low_open=True) for s in self.scales)
        if len(scales) < 2:
            raise ValueError(f"scales must hold at least two field scales, got {self.scales}")
        object.__setattr__(self, "scales", scales)
        if self.frames * self.grid * len(scales) * 8 > 1 << 30:
            raise ValueError("frames x grid x fields is above 1 GiB of float64")
        self._check_toy()

    def _check_toy(self):
        grid = as_int("toy_grid", self.toy_grid, 4, 1024)
        as_int("toy_history", self.toy_history, 1, 64)
        as_float("toy_dt", self.toy_dt, 0.0, low_open=True)
        kmax = as_int("toy_kmax", self.toy_kmax, 1)
        if 2 * kmax >= grid:
            raise ValueError(f"toy_kmax must be < toy_grid / 2 = {grid / 2}, got {kmax}")
        object.__setattr__(self, "c_range", as_range("c_range", self.c_range))
        object.__setattr__(self, "nu_range", as_range("nu_range", self.nu_range, 0.0))
        as_int("toy_width", self.toy_width, 1, 1024)
        as_int("toy_depth", self.toy_depth, 1, 16)
        kernel = as_int("toy_kernel", self.toy_kernel, 1, grid)
        if kernel % 2 == 0:
            raise ValueError(f"toy_kernel must be odd (a centred periodic kernel), got {kernel}")
        batch = as_int("batch", self.batch, 2, 4096)
        if batch % 2:
            raise ValueError(
                f"batch must be even (pretraining batches are half each system), got {batch}"
            )
        as_float("lr", self.lr, 0.0, 1.0, low_open=True)
        as_int("pretrain_samples", self.pretrain_samples, 1, 10**7)
        as_int("pretrain_steps", self.pretrain_steps, 1, 10**7)
        sizes = _increasing("finetune_sizes", self.finetune_sizes, 1, 10**7)
        object.__setattr__(self, "finetune_sizes", sizes)
        as_int("finetune_steps", self.finetune_steps, 1, 10**7)
        object.__setattr__(self, "widths", _increasing("widths", self.widths, 1, 1024))
        as_int("interference_samples", self.interference_samples, 1, 10**7)
        as_int("interference_steps", self.interference_steps, 1, 10**7)
        as_int("test_samples", self.test_samples, 1, 10**7)
        as_int("toy_seeds", self.toy_seeds, 0, 1000)
        as_int("threads", self.threads, 1, 256)


PROFILES = {
    "quick": Config(),
    "paper": Config(
        networks=20,
        frames=16,
        grid=128,
        width=192,
        draws=20000,
        seeds=10,
        # the toy: the quick problem and network with 2.5x the finetuning steps, four times the
        # interference steps, finetuning data to 4096 and widths to 32 (measured: 330 CPU-s)
        finetune_sizes=(4, 16, 64, 256, 1024, 4096),
        finetune_steps=3000,
        widths=(2, 8, 32),
        interference_steps=2400,
    ),
}
# quick: seconds of this experiment in the 2-worker quick validation of 2026-12-03 (one thread)
EXPECTED_SECONDS = {"quick": 61.0, "paper": 600.0}
