"""Per-model replay decoding: a recorded pod's payloads back through its live decoder path.

``replay_decoder`` builds, for one recorded pod, the same notification path its live source
used (``drivers.notify``), so replayed samples are the live samples bit for bit, and a
decoder fix applies to old recordings. Channels follow ``drivers.source``: data payloads are
decoded, control payloads configure decoding, a link-lost mark is passed on as the live
source passed it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drivers.errors import GaitdeckError
from drivers.models.metamotion.decode import StreamConfig
from drivers.models.metamotion.profile import Chip
from drivers.models.polar.profile import MeasurementType
from drivers.notify import WitMotionNotifications
from drivers.notify.metamotion import MetaMotionNotifications
from drivers.notify.polar import PolarNotifications
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


def _polar(entry: PodEntry, stats: LinkStats) -> ReplayDecoder:
    decoder = PolarNotifications(entry.nominal_rate_hz, stats)

    def control(payload: bytes) -> None:  # a start response: its scale factor
        config = _config(payload)
        decoder.gyro = bool(config.get("gyro", decoder.gyro))
        decoder.set_factor(MeasurementType(int(config["measurement"])), float(config["factor"]))

    return ReplayDecoder(decoder.feed, control, decoder.link_lost)


def _metamotion(entry: PodEntry, stats: LinkStats) -> ReplayDecoder:
    decoder = MetaMotionNotifications(entry.nominal_rate_hz, stats, StreamConfig(Chip.BMI160))

    def control(payload: bytes) -> None:  # the chip and ranges found when configuring
        config = _config(payload)
        decoder.config = StreamConfig(Chip(config["chip"]), float(config["acc_range_g"]),
                                      float(config["gyro_range_dps"]))  # fmt: skip

    return ReplayDecoder(decoder.feed, control, decoder.link_lost)


def _config(payload: bytes) -> dict[str, Any]:
    try:
        value = json.loads(payload)
    except ValueError as exc:
        raise GaitdeckError(f"a recorded control record is damaged ({exc})") from exc
    if not isinstance(value, dict):
        raise GaitdeckError("a recorded control record is damaged (not an object)")
    return value


BUILDERS: dict[str, Callable[[PodEntry, LinkStats], ReplayDecoder]] = {
    "witmotion": _witmotion,
    "polar": _polar,
    "metamotion": _metamotion,
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
