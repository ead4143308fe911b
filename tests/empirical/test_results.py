import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from empirical.running.results import atomic_save_figure, atomic_write_text  # noqa: E402


def _umask_mode():
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_atomic_save_figure_writes_a_closed_png_and_no_temp_file(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    path = atomic_save_figure(fig, tmp_path / "sub" / "f.png", dpi=50)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
    assert sorted(p.name for p in path.parent.iterdir()) == ["f.png"]
    assert os.stat(path).st_mode & 0o777 == _umask_mode()


def test_atomic_writes_get_the_permissions_of_a_plain_write(tmp_path):
    path = atomic_write_text(tmp_path / "a.txt", "x")
    assert path.read_text() == "x"
    assert os.stat(path).st_mode & 0o777 == _umask_mode()


def test_new_figure_leaves_the_backend_and_pyplot_alone(tmp_path):
    """A library figure neither imports pyplot nor switches the backend a user has chosen."""
    import subprocess
    import sys

    code = (
        "import matplotlib, sys\n"
        "matplotlib.use('svg')\n"
        "from empirical.running.results import new_figure, atomic_save_figure\n"
        "fig, ax = new_figure(1, 2, figsize=(3, 2)); ax[0].plot([0, 1])\n"
        f"atomic_save_figure(fig, {str(tmp_path / 'f.png')!r})\n"
        "print(matplotlib.get_backend(), 'matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["svg", "False"]
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
