"""What the wizard reads from the window's session, without Qt: its live processing (a
``LiveSession``, or the current one of a ``PodSession``), the ``GaitPipeline`` in it, and
the latest raw samples of each pod from its buffers; and the one thing it asks of it: that
a simulated runner stand still for a while (``ask_runner_to_stand``)."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.pod_session import PodSession
from drivers.types import Placement, SampleBlock
from processing.calibration_check import Stillness, StillnessCheck, last_seconds
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline, gait_pipeline_of


def live_session(session: object) -> LiveSession | None:
    """The live processing of ``session`` now (a PodSession rebuilds it as pods come and go);
    None for replays, stand-ins and a PodSession with no pods."""
    if isinstance(session, PodSession):
        return session.live
    return session if isinstance(session, LiveSession) else None


def ask_runner_to_stand(session: object) -> bool:
    """Have a simulated runner stop and stand for a few seconds (then run on); False if the
    session has no live processing or its pods are real (the clinician asks the runner)."""
    live = live_session(session)
    return live.ask_runner_to_stand() if live is not None else False


def gait_pipeline(live: LiveSession) -> GaitPipeline | None:
    """The GaitPipeline the engine runs (through an LSL tee if streaming)."""
    return gait_pipeline_of(live.engine.pipeline)


def latest_samples(live: LiveSession, seconds: float) -> dict[Placement, SampleBlock]:
    """Each pod's samples of its last ``seconds`` (by its nominal rate, then by time)."""
    out = {}
    for pod in live.buffers.pods.values():
        n = int(seconds * max(pod.nominal_rate_hz, 1.0) * 1.2) + 2
        out[pod.placement] = last_seconds(live.buffers.latest(pod.placement, n), seconds)
    return out


def pod_stillness(live: LiveSession, check: StillnessCheck) -> dict[Placement, Stillness]:
    """``check`` on each pod's latest samples."""
    blocks: Mapping[Placement, SampleBlock] = latest_samples(live, 2.0 * check.window_s)
    return {placement: check.assess(block) for placement, block in blocks.items()}
