"""A private ``dbus-daemon`` to stand in for the system bus.

The policy must allow *receiving* too: with only the send rules of ble-testing.md's recipe,
dbus-daemon 1.14 (``<type>system</type>``) rejects even the reply to ``Hello`` and every
client hangs in connect.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/> <allow own="*"/> <allow send_destination="*"/>
    <allow send_type="method_call"/> <allow send_type="signal"/>
    <allow send_type="method_return"/> <allow send_type="error"/>
    <allow receive_sender="*"/> <allow receive_type="method_call"/>
    <allow receive_type="signal"/> <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
"""


class PrivateBus:
    """``with PrivateBus() as bus: bus.address`` — a dbus-daemon in a temp dir."""

    def __init__(self) -> None:
        self.address = ""
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> str:
        exe = shutil.which("dbus-daemon")
        if exe is None:
            raise RuntimeError("dbus-daemon not found: apt-get install dbus-daemon")
        self._dir = tempfile.TemporaryDirectory(prefix="gaitdeck-dbus-")
        config = Path(self._dir.name) / "bus.conf"
        config.write_text(CONFIG.format(socket=Path(self._dir.name) / "bus.sock"))
        self._proc = subprocess.Popen(
            [exe, "--config-file", str(config), "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        assert self._proc.stdout is not None
        self.address = self._proc.stdout.readline().strip()
        if not self.address:
            raise RuntimeError("dbus-daemon did not print its address")
        return self.address

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(5)
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> PrivateBus:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
