"""LSL tests run on loopback: liblsl is configured (before it loads) to resolve on this
machine only, and each test names its streams with a unique tag so parallel runs and other
LSL streams on the host never mix in."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

CONFIG = "[multicast]\nResolveScope = machine\n[lab]\nKnownPeers = {localhost}\n"
RESOLVE_TIMEOUT_S = 3.0

if "LSLAPICFG" not in os.environ:
    _config = Path(tempfile.mkdtemp(prefix="gaitdeck-lsl-")) / "lsl_api.cfg"
    _config.write_text(CONFIG)
    os.environ["LSLAPICFG"] = str(_config)

import pylsl  # noqa: E402  (after LSLAPICFG is set)


@pytest.fixture(scope="session")
def lsl_network() -> None:
    """Skip the LSL tests, with the reason, only if liblsl cannot stream on loopback."""
    source_id = f"gaitdeck-probe-{uuid.uuid4().hex}"
    try:
        info = pylsl.StreamInfo("probe", "Probe", 1, 10.0, pylsl.cf_float32, source_id)
        outlet = pylsl.StreamOutlet(info)
    except Exception as exc:  # liblsl failed to start at all
        pytest.skip(f"liblsl cannot create an outlet here: {exc!r}")
    found = pylsl.resolve_byprop("source_id", source_id, 1, RESOLVE_TIMEOUT_S)
    del outlet
    if not found:
        pytest.skip("liblsl cannot resolve a stream on this machine (no loopback networking)")


@pytest.fixture
def tag(lsl_network: None) -> str:
    """A stream-name tag unique to this test."""
    return f"gdtest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def inlets() -> Iterator[list[pylsl.StreamInlet]]:
    """Inlets a test opened, closed at its end."""
    opened: list[pylsl.StreamInlet] = []
    yield opened
    for inlet in opened:
        inlet.close_stream()
