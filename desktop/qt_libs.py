"""Which shared libraries Qt's X11 platform plugin cannot find, named with their Debian package.

Without one of them Qt aborts with a misleading hint about ``libxcb-cursor0``; ``ldd`` on the
plugin names the real missing library. ``python -m desktop.qt_libs`` (run by ``.ci/bootstrap``)
prints one line naming each missing library and exits 1, or prints nothing and exits 0.
No Qt is imported here: the check must work when Qt cannot load.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

# The libraries libqxcb.so links against beyond Qt's own, and the Debian package of each.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def xcb_plugin() -> Path | None:
    """The installed PySide6's ``libqxcb.so``, found without importing Qt (None if absent)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def not_found(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``NAME => not found``, in its order, once each."""
    names: list[str] = []
    for line in ldd_output.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found" and name.strip() not in names:
            names.append(name.strip())
    return names


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries ``plugin`` needs that the dynamic linker cannot find."""
    try:
        ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=30)
    except FileNotFoundError:  # no ldd (not glibc): nothing to say
        return []
    return not_found(ldd.stdout)


def describe(missing: list[str]) -> str:
    """One line naming each missing library and the Debian package that provides it."""
    named = [f"{lib} (Debian package {DEBIAN_PACKAGES[lib]})" if lib in DEBIAN_PACKAGES else lib
             for lib in missing]  # fmt: skip
    return "Qt's X11 plugin cannot load, missing " + ", ".join(named)


def main(argv: list[str]) -> int:
    """Check ``argv[0]`` if given, else the installed plugin; 1 and one line if any is missing."""
    plugin = Path(argv[0]) if argv else xcb_plugin()
    if plugin is None or not plugin.is_file():
        print("PySide6's X11 plugin (libqxcb.so) is not installed", file=sys.stderr)
        return 1
    missing = missing_libraries(plugin)
    if missing:
        print(describe(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
