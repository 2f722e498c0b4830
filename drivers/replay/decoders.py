"""Per-model replay decoding: a recorded pod's payloads back through its live decoder path.

``replay_decoder`` builds, for one recorded pod, the same notification path its live source
used (``drivers.notify``), so replayed samples are the live samples bit for bit, and a
decoder fix applies to old recordings. Channels follow ``drivers.source``: data payloads are
decoded, control payloads configure decoding, a link-lost mark is passed on as the live
source passed it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drivers.errors import GaitdeckError
from drivers.notify import WitMotionNotifications
from drivers.recording.header import PodEntry
from drivers.source import CHANNEL_CONTROL, CHANNEL_DATA, CHANNEL_LINK_LOST
from drivers.types import LinkStats, SampleBlock


@dataclass
class ReplayDecoder:
    """Turns one recorded pod's (channel, arrival, payload) items into sample blocks."""

    data: Callable[[bytes, float], SampleBlock]
    control: Callable[[bytes], None] = lambda payload: None
    link_lost: Callable[[], None] = lambda: None

    def feed(self, channel: int, arrival_s: float, payload: bytes) -> SampleBlock:
        if channel == CHANNEL_DATA:
            return self.data(payload, arrival_s)
        if channel == CHANNEL_CONTROL:
            self.control(payload)
        elif channel == CHANNEL_LINK_LOST:
            self.link_lost()
        return SampleBlock.empty()


def _witmotion(entry: PodEntry, stats: LinkStats) -> ReplayDecoder:
    return ReplayDecoder(WitMotionNotifications(entry.nominal_rate_hz, stats).feed)


BUILDERS: dict[str, Callable[[PodEntry, LinkStats], ReplayDecoder]] = {
    "witmotion": _witmotion,
}


def replay_decoder(entry: PodEntry, stats: LinkStats | None = None) -> ReplayDecoder:
    """The decoder path of ``entry``'s model; raises GaitdeckError for a model this
    gaitdeck cannot decode."""
    builder = BUILDERS.get(entry.model_key)
    if builder is None:
        raise GaitdeckError(
            f"pod {entry.pod_id}: recorded from a {entry.model or entry.model_key!r} pod, "
            "which this gaitdeck cannot decode"
        )
    return builder(entry, stats if stats is not None else LinkStats())
