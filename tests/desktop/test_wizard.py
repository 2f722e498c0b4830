"""The calibration wizard and the slipped-pod re-check.

End to end on simulated pods at real time (they stand for 5 s, then run): the stillness
step passes while standing, the walking step once running, and the summary names each pod's
axes as the simulator mounted them; opened mid-run, the wizard has the simulated runner
stand, and calibrates. Then, deterministically, on a live session whose buffers the test
fills by hand (the engine stepped by hand): movement restarts the countdown, and after 10 s
without stillness a hint says what to do (and the runner is asked to stand again); a pod
rotated on its strap after calibration is named in the re-check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.wizard.calibration_wizard import CalibrationWizard
from desktop.wizard.flow import NO_PODS, STILL_HINT, Step
from desktop.wizard.recheck import RecheckDialog
from drivers.clock_sync import SessionClock
from drivers.sim.profiles import get_profile
from drivers.sim.rotations import axis_angle
from drivers.sim.runner_model import RunnerModel
from drivers.sim.session import LIVE_STANDING_S, simulated_pods
from drivers.types import Placement, SampleBlock
from processing.calibration_check import POD_NAMES, axes_words, pod_calibrations
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline

RATE = 100.0


def dominant_words(text: str) -> str:
    return re.sub(r" \(tilted \d+°\)", "", text)


@pytest.fixture
def running() -> Iterator[tuple[LiveSession, RunnerModel]]:
    model = RunnerModel(get_profile("midfoot"), seed=11, standing_s=LIVE_STANDING_S)
    session = LiveSession(simulated_pods(rate_hz=RATE, clock=SessionClock(), model=model))
    yield session, model
    session.stop()


def test_wizard_end_to_end_on_simulated_pods(qtbot, running) -> None:
    session, model = running
    wizard = CalibrationWizard(session)
    qtbot.addWidget(wizard)
    wizard.show()
    session.start()
    assert wizard.step is Step.STAND and wizard.flow.requested
    seen_counting = []
    wizard.timer.timeout.connect(lambda: seen_counting.append(wizard.flow.countdown.remaining_s))
    qtbot.waitUntil(lambda: wizard.step is not Step.STAND, timeout=10_000)
    # every pod calibrated anew, while standing (running starts at 5 s)
    cals = pod_calibrations(wizard.flow.pipeline)
    assert wizard.flow.calibrated == set(Placement)
    assert all(c.version == 1 and c.calibrated_at_s < LIVE_STANDING_S for c in cals.values())
    assert any(0.0 < remaining < 3.0 for remaining in seen_counting)  # it counted down
    qtbot.waitUntil(lambda: wizard.step is Step.SUMMARY, timeout=20_000)
    assert wizard.close_button.text() == "Done" and wizard.pages.currentIndex() == 2
    lines = wizard.summary_lines()
    assert len(lines) == 4 and all("confident" in line for line in lines)
    for placement in Placement:
        # the mounting's rows are the segment axes in sensor axes: what the words must say
        truth = dominant_words(axes_words(model.mounting[placement], placement.is_shoe))
        line = next(line for line in lines if line.startswith(POD_NAMES[placement] + ":"))
        assert dominant_words(line).startswith(f"{POD_NAMES[placement]}: {truth}, ")
        assert wizard.summary_rows.text(placement) == line.split(": ", 1)[1]
    assert "Ready to record" in wizard.message.text()


def test_wizard_opened_mid_run_has_the_simulated_runner_stand(qtbot, running) -> None:
    session, _ = running
    session.start()
    qtbot.wait(8_000)  # running since 5 s: without a stand, no calibration would come
    wizard = CalibrationWizard(session)
    qtbot.addWidget(wizard)
    wizard.show()
    opened_at_s = wizard.flow.latest_t_s()
    assert opened_at_s is not None and opened_at_s > LIVE_STANDING_S + 2.0
    assert wizard.step is Step.STAND and wizard.flow.requested
    qtbot.waitUntil(lambda: wizard.step is not Step.STAND, timeout=8_000)
    assert wizard.flow.calibrated == set(Placement) and wizard.flow.hint == ""
    for cal in pod_calibrations(wizard.flow.pipeline).values():
        assert cal.version == 2 and cal.calibrated_at_s is not None
        assert opened_at_s < cal.calibrated_at_s < opened_at_s + 6.0
    if wizard.step is Step.MOVE:
        wizard.skip()
    assert wizard.step is Step.SUMMARY and wizard.message.text().startswith("Calibrated")
    assert all(c.calibrated for c in wizard.flow.calibrations.values())
    assert len(wizard.summary_lines()) == 4


def test_recheck_opened_mid_run_has_the_simulated_runner_stand(qtbot) -> None:
    model = RunnerModel(get_profile("forefoot-relaxed"), seed=2, standing_s=LIVE_STANDING_S)
    sources = simulated_pods(rate_hz=RATE, clock=SessionClock(), model=model, speed=4.0)
    session = LiveSession(sources)
    session.start()
    try:
        qtbot.waitUntil(lambda: min(s.stats.last_arrival_s or 0.0 for s in sources) > 8.0,
                        timeout=10_000)  # fmt: skip
        dialog = RecheckDialog(session, 5.0)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.flow.step is Step.RESULT, timeout=6_000)
    finally:
        session.stop()
    assert len(dialog.flow.results) == 4 and dialog.warnings() == []
    assert dialog.message.text() == "Every pod is where it was at calibration."


# ------------------------------------------------------------- buffers fed by hand
def _pass() -> None:
    return None


class StandCounting(LiveSession):
    """A live session on simulated pods that counts the requests for the runner to stand."""

    def __init__(self) -> None:
        super().__init__(simulated_pods(rate_hz=RATE, clock=SessionClock()))
        self.asked = 0

    def ask_runner_to_stand(self) -> bool:
        self.asked += 1
        return super().ask_runner_to_stand()


class HandFed:
    """A live session never started: the test pushes samples and steps the engine."""

    def __init__(self, session: LiveSession | None = None) -> None:
        self.session = session or LiveSession(simulated_pods(rate_hz=RATE, clock=SessionClock()))
        self.t_s = 0.0
        self.up = {p: np.array([0.0, 0.0, 1.0]) for p in Placement}
        self.rng = np.random.default_rng(1)

    def stand(
        self, seconds: float, moving: Placement | None = None, each: Callable[[], None] = _pass
    ) -> None:
        """Quiet standing for every pod (``moving`` turns at 60 °/s meanwhile), pushed in
        0.1 s blocks with an engine step and a call to ``each`` (a dialog's refresh) after
        each block, as the dialog's timer would."""
        for _ in range(round(seconds * 10)):
            n = int(RATE / 10)
            t = self.t_s + np.arange(n) / RATE
            self.t_s += n / RATE
            for info in self.session.buffers.pods.values():
                acc = self.up[info.placement] + 0.004 * self.rng.standard_normal((n, 3))
                gyro = 0.5 * self.rng.standard_normal((n, 3))
                if info.placement is moving:
                    gyro[:, 1] += 60.0
                self.session.buffers.push(info.pod_id, SampleBlock(t, acc, gyro))
            self.session.engine.step()
            each()

    @property
    def pipeline(self) -> GaitPipeline:
        pipeline = self.session.engine.pipeline
        assert isinstance(pipeline, GaitPipeline)
        return pipeline


@pytest.fixture
def fed() -> HandFed:
    return HandFed()


def test_stillness_step_counts_down_and_restarts_on_movement(qtbot, fed: HandFed) -> None:
    wizard = CalibrationWizard(fed.session)
    qtbot.addWidget(wizard)
    wizard.timer.stop()  # refreshed by hand
    assert wizard.countdown.text() == "–"  # no samples yet
    fed.stand(1.5, each=wizard.refresh)
    assert wizard.step is Step.STAND
    assert wizard.flow.countdown.remaining_s == pytest.approx(1.5, abs=0.11)
    assert wizard.countdown.text() == "2"
    assert wizard.stand_rows.text(Placement.PELVIS).startswith("still")
    fed.stand(0.3, moving=Placement.PELVIS, each=wizard.refresh)
    assert wizard.flow.countdown.remaining_s == 3.0 and wizard.flow.countdown.restarts == 1
    assert "movement at the pelvis pod" in wizard.message.text()
    assert wizard.stand_rows.text(Placement.PELVIS).startswith("turning 6")
    fed.stand(2.0, each=wizard.refresh)  # counting from when the last 0.5 s were quiet
    assert wizard.step is Step.STAND
    assert wizard.flow.countdown.remaining_s == pytest.approx(1.0, abs=0.11)
    # each pod calibrates on its own 3 s: all but the pelvis, which moved, are done
    assert wizard.flow.calibrated == set(Placement) - {Placement.PELVIS}
    assert wizard.stand_rows.text(Placement.TRUNK) == "calibrated ✓"
    assert wizard.stand_rows.text(Placement.PELVIS).startswith("still")
    fed.stand(1.5, each=wizard.refresh)
    assert wizard.flow.calibrated == set(Placement) and wizard.step is Step.MOVE
    assert "Walk or run" in wizard.message.text() and wizard.skip_button.isVisibleTo(wizard)
    wizard.skip()
    assert wizard.step is Step.SUMMARY
    assert wizard.summary_rows.text(Placement.LEFT_SHOE).startswith(
        "up = +z; forward not found yet"
    )
    assert "still need walking or running" in wizard.message.text()
    wizard.start_again()  # asks for a new calibration
    assert wizard.step is Step.STAND and wizard.flow.calibrated == set()


def test_a_hint_after_10_s_without_stillness_and_the_runner_is_asked_again(qtbot) -> None:
    session = StandCounting()
    fed = HandFed(session)
    wizard = CalibrationWizard(session)
    qtbot.addWidget(wizard)
    wizard.timer.stop()  # refreshed by hand
    assert session.asked == 1  # the step began: a simulated runner is asked to stand
    fed.stand(9.5, moving=Placement.PELVIS, each=wizard.refresh)
    assert wizard.flow.hint == "" and not wizard.hint.isVisibleTo(wizard)
    assert session.asked == 1
    fed.stand(1.0, moving=Placement.PELVIS, each=wizard.refresh)
    assert wizard.step is Step.STAND and session.asked == 2  # asked again at 10 s
    assert wizard.hint.text() == STILL_HINT and wizard.hint.isVisibleTo(wizard)
    assert STILL_HINT.startswith("Still moving after 10 s — ask the runner to stand still")
    fed.stand(1.0, each=wizard.refresh)  # still now, counting down: no hint
    assert wizard.flow.countdown.still_since_s is not None
    assert wizard.flow.hint == "" and not wizard.hint.isVisibleTo(wizard)
    wizard.start_again()
    assert session.asked == 3


def test_wizard_without_pods_says_so(qtbot) -> None:
    wizard = CalibrationWizard(object())
    qtbot.addWidget(wizard)
    wizard.timer.stop()
    assert wizard.message.text() == NO_PODS and wizard.step is Step.STAND


def test_recheck_names_a_pod_that_slipped(qtbot, fed: HandFed) -> None:
    fed.stand(3.5)
    calibrations = pod_calibrations(fed.pipeline)
    assert all(c.calibrated for c in calibrations.values())
    fed.stand(1.0, moving=Placement.TRUNK)  # walking about, then the pelvis strap slips 9°
    fed.up[Placement.PELVIS] = axis_angle(np.array([1.0, 0.0, 0.0]), np.radians(9.0)) @ np.array(
        [0.0, 0.0, 1.0]
    )
    recalibrate = []
    dialog = RecheckDialog(fed.session, 5.0, recalibrate=lambda: recalibrate.append(1))
    qtbot.addWidget(dialog)
    dialog.timer.stop()
    fed.stand(1.5, each=dialog.refresh)
    assert dialog.flow.step is Step.STAND and dialog.countdown.text() == "2"
    fed.stand(2.0, each=dialog.refresh)
    assert dialog.flow.step is Step.RESULT
    assert dialog.warnings() == ["pelvis pod moved 9° since calibration — re-strap and recalibrate"]
    assert dialog.rows.text(Placement.PELVIS) == (
        "moved 9° since calibration — re-strap and recalibrate"
    )
    assert dialog.rows.text(Placement.TRUNK).endswith("from calibration — in place")
    assert "1 pod moved" in dialog.message.text()
    # the recheck did not recalibrate: the pipeline still holds the first standing
    assert pod_calibrations(fed.pipeline)[Placement.PELVIS].version == 1
    dialog.threshold.setValue(12.0)
    dialog.check_again()
    fed.stand(3.5, each=dialog.refresh)
    assert dialog.flow.step is Step.RESULT and dialog.warnings() == []
    dialog.recalibrate_button.click()
    assert recalibrate == [1]


# ------------------------------------------------------------------ keyboard: Enter
def _press_enter(qtbot, dialog: QDialog, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Enter as the clinician presses it: with the keyboard focus on the first button (the
    worst case: Start again / Check again)."""
    focus = dialog.focusWidget() or dialog
    qtbot.keyClick(focus, key)


def test_enter_on_the_result_page_is_done_not_start_again(qtbot) -> None:
    session = StandCounting()
    fed = HandFed(session)
    wizard = CalibrationWizard(session)
    qtbot.addWidget(wizard)
    wizard.timer.stop()  # refreshed by hand
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.again_button.setFocus()
    _press_enter(qtbot, wizard)  # counting down: Enter neither cancels nor restarts
    assert wizard.isVisible() and session.asked == 1 and wizard.step is Step.STAND
    fed.stand(3.5, each=wizard.refresh)
    wizard.skip()
    assert wizard.step is Step.SUMMARY and wizard.close_button.text() == "Done"
    assert wizard.close_button.isDefault() and not wizard.again_button.autoDefault()
    wizard.again_button.setFocus()
    versions = {p: c.version for p, c in pod_calibrations(fed.pipeline).items()}
    with qtbot.waitSignal(wizard.accepted, timeout=1000):
        _press_enter(qtbot, wizard)
    assert not wizard.isVisible() and wizard.result() == QDialog.DialogCode.Accepted
    assert session.asked == 1 and wizard.step is Step.SUMMARY  # not asked to stand again
    assert wizard.flow.calibrated == set(Placement)  # Start again would have cleared it
    fed.stand(3.5)  # another quiet standing: nothing was asked for, nothing recalibrates
    assert {p: c.version for p, c in pod_calibrations(fed.pipeline).items()} == versions
    assert not wizard.timer.isActive()


def test_cancel_before_the_result_rejects(qtbot, fed: HandFed) -> None:
    wizard = CalibrationWizard(fed.session)
    qtbot.addWidget(wizard)
    wizard.show()
    with qtbot.waitSignal(wizard.rejected, timeout=1000):
        qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible() and not wizard.timer.isActive()


def test_enter_on_the_recheck_result_closes_it_without_checking_again(qtbot, fed) -> None:
    fed.stand(3.5)
    dialog = RecheckDialog(fed.session, 5.0)
    qtbot.addWidget(dialog)
    dialog.timer.stop()
    dialog.show()
    qtbot.waitExposed(dialog)
    fed.stand(3.5, each=dialog.refresh)
    assert dialog.flow.step is Step.RESULT and dialog.warnings() == []
    dialog.again_button.setFocus()
    _press_enter(qtbot, dialog, Qt.Key.Key_Enter)
    assert not dialog.isVisible() and dialog.flow.step is Step.RESULT
