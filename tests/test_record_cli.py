"""``gaitdeck record`` as it runs: progress on stderr, and Ctrl-C as an ordinary stop that
leaves a complete file and says which. Real subprocesses, real signals, a real terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

GAITDECK = Path(sys.executable).with_name("gaitdeck")
PROGRESS = re.compile(r"recording (\d\d):(\d\d) · ([\d,]+) samples · (\d+\.\d) MB")


def read_line_within(stream: object, seconds: float) -> str:
    """The next line ``stream`` gives within ``seconds`` ("" if none came)."""
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)  # type: ignore[arg-type]
    try:
        if not selector.select(timeout=seconds):
            return ""
        return stream.readline()  # type: ignore[attr-defined,no-any-return]
    finally:
        selector.close()


def test_ctrl_c_stops_recording_and_says_which_file(tmp_path: Path) -> None:
    out = tmp_path / "f.gdrec"
    proc = subprocess.Popen(
        [str(GAITDECK), "record", "--simulate", "--duration", "60", "--out", str(out),
         "--progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = read_line_within(proc.stderr, 20.0)
        match = PROGRESS.match(line)
        assert match, line
        assert int(match[3].replace(",", "")) > 0  # samples are flowing
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert re.fullmatch(rf"stopped by Ctrl-C after \d+\.\d s: wrote {re.escape(str(out))} "
                        r"\(4 pods, [\d,]+ samples, \d+\.\d MB\)\n", stdout), stdout  # fmt: skip
    info = subprocess.run([str(GAITDECK), "info", str(out), "--json"], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["clean"] and all(pod["samples"] > 50 for pod in data["pods"])


def test_progress_redraws_one_line_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "t.gdrec"
    main_fd, terminal_fd = pty.openpty()
    proc = subprocess.Popen(
        [str(GAITDECK), "record", "--simulate", "--rate", "100", "--duration", "2.2",
         "--out", str(out)],
        stdout=subprocess.PIPE, stderr=terminal_fd, text=True,
    )  # fmt: skip
    os.close(terminal_fd)
    shown = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:  # the terminal closed: the recorder is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_fd)
    stdout, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    text = shown.decode()
    frames = [frame for frame in text.split("\r") if frame.strip()]
    assert len(frames) >= 3 and all(PROGRESS.match(frame.strip()) for frame in frames), text
    assert text.count("\n") == 1 and text.rstrip(" ").endswith("\n")  # one line, ended once
    assert stdout.startswith("recorded 2.") and str(out) in stdout


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "q.gdrec"
    run = subprocess.run([str(GAITDECK), "record", "--simulate", "--duration", "1.2", "--out",
                          str(out)], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0 and run.stderr == ""
    assert re.fullmatch(rf"recorded 1\.\d s: wrote {re.escape(str(out))} \(4 pods, "
                        r"[\d,]+ samples, \d+\.\d MB\)\n", run.stdout), run.stdout  # fmt: skip
