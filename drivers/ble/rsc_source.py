"""``RscBleSource``: a Running Speed and Cadence (0x1814) foot pod, e.g. Stryd.

Configure: check for RSC Measurement (0x2A53), read RSC Feature (0x2A54) when present.
Subscribe: notifications on 0x2A53. Each measurement replaces the latest reading (speed m/s,
cadence as sent, its session arrival time); no IMU samples are pushed. Pods notify about
once a second, so silence is judged over ``RSC_TIMINGS.silence_s``.
"""

from __future__ import annotations

from drivers.ble.backoff import Backoff
from drivers.ble.errors import GattError
from drivers.ble.link import BleTransport, GattService, find_characteristic
from drivers.ble.pod_source import BlePodSource, LinkTimings
from drivers.clock_sync import SessionClock
from drivers.errors import DecodeError
from drivers.foot_pod import FootPodReading
from drivers.models.rsc.decode import decode_feature, decode_measurement
from drivers.models.rsc.profile import RSC, RscFeature, RscProfile
from drivers.notify.rate import RateMeter
from drivers.types import PodInfo, SampleBlock

RSC_TIMINGS = LinkTimings(silence_s=5.0)


class RscBleSource(BlePodSource):
    """A foot pod at ``info.address``; ``latest_reading()`` is safe from any thread."""

    model_key = "rsc"

    def __init__(
        self,
        info: PodInfo,
        transport: BleTransport | None = None,
        *,
        clock: SessionClock | None = None,
        backoff: Backoff | None = None,
        timings: LinkTimings = RSC_TIMINGS,
        profile: RscProfile = RSC,
    ) -> None:
        super().__init__(info, transport, clock=clock, backoff=backoff, timings=timings)
        self.profile = profile
        self.features: RscFeature | None = None
        self._latest: FootPodReading | None = None
        self._rate = RateMeter(window_s=10.0, min_span_s=1.0)

    def latest_reading(self) -> FootPodReading | None:
        return self._latest

    async def _configure(self, services: tuple[GattService, ...]) -> None:
        if find_characteristic(services, self.profile.measurement_uuid) is None:
            raise GattError(f"{self.info.address} is not an RSC foot pod (no 2A53)")
        if find_characteristic(services, self.profile.feature_uuid) is not None:
            try:
                self.features = decode_feature(await self.transport.read(self.profile.feature_uuid))
            except DecodeError as exc:
                self._note(f"RSC feature unreadable: {exc}")

    async def _subscribe(self) -> None:
        await self.transport.start_notify(self.profile.measurement_uuid, self._on_measurement)

    def _on_measurement(self, payload: bytes, arrival_ns: int) -> None:
        arrival_s = self._received(payload, arrival_ns)
        self.stats.notifications += 1
        self.stats.last_arrival_s = arrival_s
        try:
            measurement = decode_measurement(payload)
        except DecodeError:
            self.stats.frames_malformed += 1
            return
        self._latest = FootPodReading.from_measurement(arrival_s, measurement)
        self.stats.effective_rate_hz = self._rate.add(arrival_s, 1)
        self._deliver(SampleBlock.empty())
