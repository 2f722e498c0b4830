"""The dashboard opens in a real X server, not only off-screen.

The test starts its own Xvfb (on a display number Xvfb picks itself) with the openbox
window manager, runs ``gaitdeck --simulate --exit-after`` there with Qt's X11 plugin (no
``QT_QPA_PLATFORM``), and watches the window tree with ``xwininfo`` while it runs: the
dashboard's top-level window must appear, mapped and managed, and the app must exit 0.
Without Xvfb, openbox or xwininfo it skips, except on CI (``CI=true``), where they are
installed by ``.ci/bootstrap`` and a skip would hide the very failure it is there for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

GAITDECK = Path(sys.executable).with_name("gaitdeck")
TOOLS = ("Xvfb", "openbox", "xwininfo", "xprop")
SCREEN = "1920x1080x24"
RUN_S = 3.0  # --exit-after
START_TIMEOUT_S = 10.0
# A line of `xwininfo -root -tree`: 0x40000e "gaitdeck · live · …": ("gaitdeck" "gaitdeck")  …
WINDOW_LINE = re.compile(r'^\s*(0x[0-9a-f]+) "(gaitdeck[^"]*)": \("([^"]*)" "([^"]*)"\)')


@dataclass(frozen=True)
class Window:
    id: str
    name: str
    wm_class: str


def need_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (.ci/bootstrap installs them)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must open the dashboard in a real X server: {message}")
    pytest.skip(message)


def x_env(display: str) -> dict[str, str]:
    env = {**os.environ, "DISPLAY": display}
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XAUTHORITY"):
        env.pop(name, None)
    return env


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:g} s waiting for {what}")
        time.sleep(0.05)


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A fresh Xvfb with openbox managing it; its DISPLAY."""
    need_tools()
    read_fd, write_fd = os.pipe()
    with (tmp_path / "xvfb.log").open("wb") as log:
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=log, stderr=log,
        )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        if not number:
            pytest.fail(f"Xvfb did not start: {(tmp_path / 'xvfb.log').read_text()}")
        display = f":{number}"
        with (tmp_path / "openbox.log").open("wb") as log:
            wm = subprocess.Popen(["openbox"], env=x_env(display), stdout=log, stderr=log)
        try:
            wait_for(lambda: window_manager_running(display), 10, "openbox to manage the screen")
            yield display
        finally:
            stop(wm)
    finally:
        stop(xvfb)


def window_manager_running(display: str) -> bool:
    probe = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=x_env(display),
                           capture_output=True, text=True, timeout=10)  # fmt: skip
    return "window id #" in probe.stdout


def gaitdeck_windows(display: str) -> list[Window]:
    """Top-level client windows (those with a WM_CLASS) whose name starts with gaitdeck."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=x_env(display),
                          capture_output=True, text=True, timeout=10)  # fmt: skip
    matches = (WINDOW_LINE.match(line) for line in tree.stdout.splitlines())
    return [Window(m[1], m[2], m[4]) for m in matches if m]


def map_state(display: str, window_id: str) -> str:
    info = subprocess.run(["xwininfo", "-id", window_id], env=x_env(display),
                          capture_output=True, text=True, timeout=10)  # fmt: skip
    found = re.search(r"Map State: (\w+)", info.stdout)
    return found[1] if found else "?"


def test_the_dashboard_opens_a_window_in_a_real_x_server(x_display: str, tmp_path: Path) -> None:
    if not GAITDECK.exists():
        pytest.fail(f"console script missing at {GAITDECK}: pip install -e '.[test]'")
    env = {**x_env(x_display), "GAITDECK_CONFIG_DIR": str(tmp_path / "config")}
    app = subprocess.Popen(
        [str(GAITDECK), "--simulate", "--exit-after", str(RUN_S)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    seen: list[Window] = []
    states: set[str] = set()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S + RUN_S
        while app.poll() is None and time.monotonic() < deadline:
            live = [w for w in gaitdeck_windows(x_display) if w.name.startswith("gaitdeck · live")]
            if live:
                seen = live
                states.add(map_state(x_display, live[0].id))
                if "IsViewable" in states:
                    break
            time.sleep(0.1)
        _, err = app.communicate(timeout=START_TIMEOUT_S + RUN_S)
    finally:
        stop(app)
    assert seen, f"no gaitdeck window appeared; stderr: {err}"
    assert seen[0].wm_class == "gaitdeck"  # the launcher's StartupWMClass
    assert "IsViewable" in states, states
    assert app.returncode == 0, err
    assert "Traceback" not in err
