import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from empirical.results import atomic_save_figure, atomic_write_text  # noqa: E402


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
