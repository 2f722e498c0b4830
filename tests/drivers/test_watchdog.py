"""SilenceWatchdog: silence is judged against each pod's own notification pace."""

from __future__ import annotations

from drivers.source import Source
from drivers.types import Placement, PodInfo, PodState
from drivers.watchdog import SilenceWatchdog


class Pod(Source):
    async def run(self, sink: object) -> None:  # type: ignore[override]
        return None


def pod(name: str) -> Pod:
    source = Pod(PodInfo(name, Placement.TRUNK, "test", "", 52.0))
    source.set_state(PodState.STREAMING)
    return source


def test_a_quiet_fast_pod_is_lost_after_the_timeout() -> None:
    fast = pod("fast")
    dog = SilenceWatchdog([fast], timeout_s=1.0)
    now = 0.0
    for _ in range(50):  # 200 Hz pod, 4 samples a notification: 50 notifications a second
        fast.stats.notifications += 5
        fast.stats.samples += 20
        dog.check(now)
        now += 0.1
    dog.check(now + 0.9)
    assert fast.stats.state is PodState.STREAMING
    dog.check(now + 1.2)
    assert fast.stats.state is PodState.LOST


def test_a_pod_sending_long_frames_rarely_is_not_lost_between_them() -> None:
    slow = pod("slow")  # a Polar at 52 Hz: one 63-sample frame every 1.2 s
    dog = SilenceWatchdog([slow], timeout_s=1.0)
    now = 0.0
    for _ in range(20):
        slow.stats.notifications += 1
        slow.stats.samples += 63
        for step in range(12):
            dog.check(now + 0.1 * step)
        now += 1.2
    assert slow.stats.state is PodState.STREAMING
    assert 3.0 <= dog.timeout_for(slow) <= 4.0
    dog.check(now + 5.0)  # but a real outage still shows
    assert slow.stats.state is PodState.LOST
