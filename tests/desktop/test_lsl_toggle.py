"""Settings → Stream to LSL, ``--lsl``: the tee goes on and off a running session, follows
rebuilt and seeking sessions, and the outlets really stream (on loopback)."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

LSL_CONFIG = "[multicast]\nResolveScope = machine\n[lab]\nKnownPeers = {localhost}\n"
if "LSLAPICFG" not in os.environ:  # before liblsl loads: resolve on this machine only
    _config = Path(tempfile.mkdtemp(prefix="gaitdeck-lsl-")) / "lsl_api.cfg"
    _config.write_text(LSL_CONFIG)
    os.environ["LSLAPICFG"] = str(_config)

import pylsl  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from qt_helpers import end_app_closing  # noqa: E402

from desktop.cli import main  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from drivers.clock_sync import SessionClock  # noqa: E402
from drivers.lsl.stream_info import pod_source_id  # noqa: E402
from drivers.recording.reader import Recording  # noqa: E402
from drivers.sim.session import simulated_pods  # noqa: E402
from drivers.types import Placement, PodInfo, SampleBlock  # noqa: E402
from processing.events import GaitEvent  # noqa: E402
from processing.exports.lsl_tee import LslTeePipeline  # noqa: E402
from processing.live_session import LiveSession  # noqa: E402
from processing.lsl_switch import LslSwitch  # noqa: E402
from processing.pipeline import GaitPipeline  # noqa: E402
from processing.replay_session import ReplaySession  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "recordings" / "sim-mixed.gdrec"
RESOLVE_S = 3.0


@pytest.fixture(scope="module")
def loopback() -> None:
    """Skip, saying why, only where liblsl cannot stream on this machine at all."""
    source_id = f"gaitdeck-desktop-probe-{uuid.uuid4().hex}"
    try:
        outlet = pylsl.StreamOutlet(pylsl.StreamInfo("probe", "Probe", 1, 10.0,
                                                     pylsl.cf_float32, source_id))  # fmt: skip
    except Exception as exc:
        pytest.skip(f"liblsl cannot create an outlet here: {exc!r}")
    found = pylsl.resolve_byprop("source_id", source_id, 1, RESOLVE_S)
    del outlet
    if not found:
        pytest.skip("liblsl cannot resolve a stream on this machine")


class CountingFeed:
    """A stand-in feed: counts what the tee pushes."""

    def __init__(self, pods: Sequence[PodInfo]) -> None:
        self.pods = list(pods)
        self.samples = 0
        self.events = 0
        self.closed = False

    def push_blocks(self, blocks: Mapping[Placement, SampleBlock]) -> None:
        self.samples += sum(len(b) for b in blocks.values())

    def push_events(self, events: Iterable[GaitEvent]) -> None:
        self.events += len(list(events))

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def live(qtbot) -> Iterator[tuple[MainWindow, LiveSession]]:
    clock = SessionClock()
    session = LiveSession(simulated_pods("mixed", rate_hz=100.0, seed=9, clock=clock))
    window = MainWindow(session, clock=clock)
    qtbot.addWidget(window)
    window.timer.stop()
    session.start()
    yield window, session
    window.shutdown()
    session.stop()


def test_stream_to_lsl_creates_the_outlets_and_streams(qtbot, loopback, live) -> None:
    window, session = live
    actions = window.session_actions
    assert actions.lsl_action.isEnabled() and not actions.lsl_action.isChecked()
    assert isinstance(session.engine.pipeline, GaitPipeline)  # off by default
    actions.lsl_action.trigger()
    assert actions.lsl_action.isChecked() and actions.lsl.enabled
    tee = session.engine.pipeline
    assert isinstance(tee, LslTeePipeline) and isinstance(tee.inner, GaitPipeline)
    window.refresh_status()
    assert window.lsl_label.text() == "LSL on · 4 pod streams"
    trunk = session.sources[0].info
    found = pylsl.resolve_byprop("source_id", pod_source_id(trunk), 1, RESOLVE_S)
    assert found and found[0].channel_count() == 6
    inlet = pylsl.StreamInlet(found[0], recover=False)
    inlet.open_stream(RESOLVE_S)
    pulled: list[list[float]] = []

    def pulled_some() -> bool:
        chunk, _ = inlet.pull_chunk(timeout=0.0)
        pulled.extend(chunk)
        return len(pulled) >= 20

    qtbot.waitUntil(pulled_some, timeout=10_000)
    inlet.close_stream()
    actions.lsl_action.trigger()  # off again: the same pipeline, unwrapped
    assert session.engine.pipeline is tee.inner and actions.lsl.feed is None
    assert pylsl.resolve_byprop("source_id", pod_source_id(trunk), 1, 1.0) == []  # closed
    window.refresh_status()
    assert window.lsl_label.text() == ""


def test_a_failing_outlet_leaves_the_switch_off(qtbot, live) -> None:
    window, session = live
    actions = window.session_actions
    warnings: list[str] = []
    actions.warn = lambda title, text: warnings.append(text)

    def broken(pods: Sequence[PodInfo]) -> CountingFeed:
        raise OSError("no network")

    actions.lsl.open_feed = broken
    actions.set_lsl(True)
    assert not actions.lsl_action.isChecked() and not actions.lsl.enabled
    assert warnings == ["Cannot open the LSL outlets: no network"]
    assert isinstance(session.engine.pipeline, GaitPipeline)


def test_the_tee_survives_replay_seeks_and_keeps_the_calibration(qtbot) -> None:
    feeds: list[CountingFeed] = []
    session = ReplaySession(Recording(SAMPLE), speed=None)
    switch = LslSwitch(lambda pods: feeds.append(CountingFeed(pods)) or feeds[-1])
    switch.watch_replay(session)
    switch.set_enabled(True, session)
    session.start()
    try:
        qtbot.waitUntil(lambda: session.board.processed_rows > 4 * 100 * 12, timeout=20_000)
        before = session.engine.pipeline
        assert isinstance(before, LslTeePipeline)
        assert before.inner.alignment_report()["left_shoe"]["calibrated"]
        session.seek(30.0)
        after = session.engine.pipeline
        assert isinstance(after, LslTeePipeline) and after.inner is not before.inner
        assert after.inner.alignment_report()["left_shoe"]["calibrated"]  # carried over
        pushed = feeds[0].samples
        qtbot.waitUntil(lambda: feeds[0].samples > pushed + 400, timeout=10_000)
        assert len(feeds) == 1  # same pods: the same outlets
    finally:
        session.stop()
        switch.close()
        session.recording.close()
    assert feeds[0].closed


def test_the_switch_follows_a_rebuilt_session() -> None:
    feeds: list[CountingFeed] = []
    switch = LslSwitch(lambda pods: feeds.append(CountingFeed(pods)) or feeds[-1])
    first = LiveSession(simulated_pods("mixed", placements=[Placement.TRUNK]))
    switch.set_enabled(True, first)
    assert not switch.follow(first)  # already on it
    rebuilt = LiveSession(simulated_pods("mixed", placements=[Placement.TRUNK, Placement.PELVIS]))
    assert switch.follow(rebuilt)
    assert isinstance(rebuilt.engine.pipeline, LslTeePipeline)
    assert feeds[0].closed
    assert [p.placement for p in feeds[1].pods] == [Placement.TRUNK, Placement.PELVIS]
    switch.close()
    assert isinstance(rebuilt.engine.pipeline, GaitPipeline) and feeds[1].closed


def run_cli_and_look(args: list[str]) -> tuple[int, dict[str, object]]:
    """Run ``gaitdeck ARGS`` in-process; look at the window half-way through."""
    seen: dict[str, object] = {}

    def look() -> None:
        shown = QApplication.topLevelWidgets()
        [window] = [w for w in shown if isinstance(w, MainWindow) and w.isVisible()]
        window.refresh_status()
        seen["enabled"] = window.session_actions.lsl.enabled
        seen["label"] = window.lsl_label.text()
        seen["pipeline"] = type(window.session.engine.pipeline).__name__

    QTimer.singleShot(1000, look)
    code = main(args)
    end_app_closing()  # for the tests after this one
    return code, seen


def test_cli_lsl_flags(qtbot, loopback) -> None:
    code, seen = run_cli_and_look(["--simulate", "--rate", "100", "--lsl", "--exit-after", "2"])
    assert code == 0
    assert seen == {"enabled": True, "label": "LSL on · 4 pod streams",
                    "pipeline": "LslTeePipeline"}  # fmt: skip
    code, seen = run_cli_and_look(["replay", str(SAMPLE), "--lsl", "--exit-after", "2"])
    assert code == 0 and seen["enabled"] is True and seen["pipeline"] == "LslTeePipeline"
    code, seen = run_cli_and_look(["--simulate", "--rate", "100", "--exit-after", "2"])
    assert code == 0 and seen == {"enabled": False, "label": "", "pipeline": "GaitPipeline"}
