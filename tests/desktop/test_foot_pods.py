"""Running speed & cadence foot pods beside gaitdeck's own cadence."""

from __future__ import annotations

from desktop_fakes import FakeSession, full_status, pod, stats

from desktop.main_window import MainWindow
from desktop.pod_view_models import FootPodStatus, foot_pod_text
from drivers.foot_pod import FootPodReading
from drivers.types import Placement, PodState

STRYD = FootPodReading(t_s=12.0, speed_m_s=3.456, cadence_per_min=174, running=True)


def test_foot_pod_text_gives_cadence_and_speed_or_the_state() -> None:
    right = (pod(Placement.RIGHT_SHOE), stats(), STRYD)
    left = (pod(Placement.LEFT_SHOE), stats(PodState.LOST), STRYD)
    assert foot_pod_text([right]) == "foot pod (right shoe): 174 steps/min · 3.46 m/s"
    assert foot_pod_text([left]) == "foot pod (left shoe): lost"
    assert foot_pod_text([(pod(Placement.LEFT_SHOE), stats(), None)]).endswith("streaming")
    assert foot_pod_text([]) == ""


class FootPodSession(FakeSession):
    def __init__(self) -> None:
        super().__init__(full_status())
        self.feet: list[FootPodStatus] = []

    def foot_pods(self) -> list[FootPodStatus]:
        return list(self.feet)


def test_window_shows_foot_pods_only_when_there_are_some(qtbot) -> None:
    session = FootPodSession()
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    window.refresh_status()
    assert window.timing_panel.foot_pods.isHidden()
    session.feet = [(pod(Placement.RIGHT_SHOE), stats(), STRYD)]
    window.refresh_status()
    assert not window.timing_panel.foot_pods.isHidden()
    assert window.timing_panel.foot_pods.text() == "foot pod (right shoe): 174 steps/min · 3.46 m/s"
    assert window.frame_errors == {}
