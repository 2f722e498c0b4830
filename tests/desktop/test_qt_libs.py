"""The check of Qt's X11 plugin links (desktop/qt_libs.py), run by .ci/bootstrap.

It runs the real ``ldd`` on the installed plugin and on copies of it whose links are broken
for real: one without Qt's own libraries beside it, one asking for a library version that
does not exist.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.qt_libs import describe, missing_libraries, not_found, xcb_plugin

LDD_MISSING_ICCCM = """\
\tlinux-vdso.so.1 (0x00007ffd5a5f1000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7f)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f5c1a2e5000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f5c1a33b000)
"""


def plugin() -> Path:
    found = xcb_plugin()
    if found is None:
        pytest.fail("PySide6's libqxcb.so is not installed")
    if shutil.which("ldd") is None:
        pytest.skip("no ldd on this system")
    return found


def copy_plugin(folder: Path, *, with_qt_libs: bool, rename: tuple[bytes, bytes] | None) -> Path:
    """``folder/plugins/platforms/libqxcb.so``; its RUNPATH ($ORIGIN/../../lib) finds Qt's
    libraries only ``with_qt_libs``; ``rename`` swaps one linked name for another."""
    original = plugin()
    platforms = folder / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    data = original.read_bytes()
    if rename is not None:
        old, new = rename
        assert len(old) == len(new) and data.count(old + b"\0") == 1
        data = data.replace(old + b"\0", new + b"\0")
    copy = platforms / original.name
    copy.write_bytes(data)
    if with_qt_libs:
        (folder / "lib").symlink_to(original.parents[2] / "lib")
    return copy


def test_ldd_lines_that_say_not_found_are_named_once_each() -> None:
    assert not_found(LDD_MISSING_ICCCM) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_the_message_names_the_debian_package_of_each_library() -> None:
    assert describe(["libxcb-icccm.so.4", "libfoo.so.9"]) == (
        "Qt's X11 plugin cannot load, missing libxcb-icccm.so.4 (Debian package libxcb-icccm4), "
        "libfoo.so.9"
    )


def test_the_installed_plugin_finds_every_library() -> None:
    assert missing_libraries(plugin()) == []


def test_a_plugin_copy_without_qts_libraries_names_them(tmp_path: Path) -> None:
    copy = copy_plugin(tmp_path, with_qt_libs=False, rename=None)
    missing = missing_libraries(copy)
    assert {"libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6Core.so.6"} <= set(missing)
    assert not any(name.startswith("libxcb") for name in missing)


def test_the_command_prints_nothing_when_all_is_well_and_one_line_when_not(
    tmp_path: Path,
) -> None:
    def check(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop.qt_libs", *args],
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    fine = check()
    assert (fine.returncode, fine.stdout, fine.stderr) == (0, "", "")
    broken = copy_plugin(tmp_path, with_qt_libs=True,
                         rename=(b"libxcb-icccm.so.4", b"libxcb-icccm.so.9"))  # fmt: skip
    result = check(str(broken))
    assert result.returncode == 1
    assert result.stderr == "Qt's X11 plugin cannot load, missing libxcb-icccm.so.9\n"
