"""``PolarBleSource``: a Polar PMD pod (Verity Sense acc + gyro; H10, OH1 acc only).

Configure: enable CP indications and data notifications (the pod answers no command
before both are on), read the feature bitmap, ask for ACC (and GYRO, when offered)
settings; a rate the normal mode does not offer switches the pod to SDK mode (``02 09``)
and asks again. Subscribe: start each stream with rate, resolution, range and channels,
taking the FACTOR of each start response. Close: stop the streams (and SDK mode).
A setting the pod does not offer, or a start it refuses, is ``ConfigRefused`` naming it,
e.g. ``Polar ACC sample rate 416 Hz: INVALID_PARAMETER``.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.ble.backoff import Backoff
from drivers.ble.errors import ConfigRefused, GattError, LinkLost
from drivers.ble.link import BleTransport, GattService, find_characteristic
from drivers.ble.pod_source import BlePodSource, LinkTimings
from drivers.ble.polar_control import PmdControl
from drivers.clock_sync import SessionClock
from drivers.errors import DecodeError, GaitdeckError
from drivers.models.polar import commands
from drivers.models.polar.control import (
    CpResponse,
    PmdSettings,
    parse_features,
    parse_settings,
    start_factor,
)
from drivers.models.polar.profile import (
    PMD_CONTROL_POINT_UUID,
    PMD_DATA_UUID,
    MeasurementType,
    SettingType,
)
from drivers.notify.polar import PolarNotifications
from drivers.types import PodInfo

POLAR_RATES_HZ = (25, 26, 50, 52, 100, 104, 200, 208, 416)
ALREADY_IN_STATE = 6
_UNITS = {MeasurementType.ACC: "G", MeasurementType.GYRO: "deg/s"}
_SETTING_BY_STATUS = {7: SettingType.RESOLUTION, 9: SettingType.RANGE}
POLAR_TIMINGS = LinkTimings(silence_s=4.0)  # a 52 Hz frame can span more than a second


@dataclass(frozen=True)
class StreamChoice:
    """What one PMD stream is started with."""

    measurement: MeasurementType
    rate_hz: int
    range_: int
    resolution_bits: int = 16

    def settings(self) -> dict[SettingType, int]:
        return commands.stream_settings(self.rate_hz, self.range_, self.resolution_bits)

    def describe(self, setting: SettingType) -> str:
        name = self.measurement.name
        if setting is SettingType.RANGE:
            return f"Polar {name} range ±{self.range_} {_UNITS[self.measurement]}"
        if setting is SettingType.RESOLUTION:
            return f"Polar {name} resolution {self.resolution_bits} bit"
        return f"Polar {name} sample rate {self.rate_hz} Hz"


def polar_rate(rate_hz: float) -> int:
    """The PMD rate for ``rate_hz``; GaitdeckError if no Polar pod has it."""
    if rate_hz not in POLAR_RATES_HZ:
        rates = ", ".join(str(r) for r in POLAR_RATES_HZ)
        raise GaitdeckError(f"Polar pods cannot stream at {rate_hz:g} Hz ({rates})")
    return int(rate_hz)


def choose(
    measurement: MeasurementType, offered: PmdSettings, rate_hz: int, range_: int | None
) -> StreamChoice:
    """Rate as asked, the widest range unless one is asked for; ConfigRefused if not offered."""
    wanted = StreamChoice(measurement, rate_hz, range_ or max(offered.ranges, default=0))
    if rate_hz not in offered.sample_rates_hz:
        rates = ", ".join(str(r) for r in offered.sample_rates_hz)
        raise ConfigRefused(wanted.describe(SettingType.SAMPLE_RATE), f"offers {rates} Hz")
    if wanted.range_ not in offered.ranges:
        raise ConfigRefused(wanted.describe(SettingType.RANGE), f"offers {offered.ranges}")
    if offered.resolutions_bits and 16 not in offered.resolutions_bits:
        raise ConfigRefused(wanted.describe(SettingType.RESOLUTION), "not offered")
    return wanted


class PolarBleSource(BlePodSource):
    """A Polar pod at ``info.address`` streaming ACC (+ GYRO) at ``info.nominal_rate_hz``."""

    model_key = "polar"

    def __init__(
        self,
        info: PodInfo,
        transport: BleTransport | None = None,
        *,
        clock: SessionClock | None = None,
        backoff: Backoff | None = None,
        timings: LinkTimings = POLAR_TIMINGS,
        acc_range_g: int | None = None,
        gyro_range_dps: int | None = None,
    ) -> None:
        super().__init__(info, transport, clock=clock, backoff=backoff, timings=timings)
        self.rate_hz = polar_rate(info.nominal_rate_hz)
        self.ranges = {MeasurementType.ACC: acc_range_g, MeasurementType.GYRO: gyro_range_dps}
        self.control = PmdControl(self.transport, timings.response_timeout_s)
        self.control.on_streams_stopped = self._on_streams_stopped
        self.decoder = PolarNotifications(self.rate_hz, self.stats)
        self.streams: list[StreamChoice] = []
        self.sdk_mode = False

    async def _configure(self, services: tuple[GattService, ...]) -> None:
        for uuid in (PMD_CONTROL_POINT_UUID, PMD_DATA_UUID):
            if find_characteristic(services, uuid) is None:
                raise GattError(f"{self.info.address} is not a Polar PMD pod (no {uuid[:8]})")
        await self.transport.start_notify(PMD_CONTROL_POINT_UUID, self.control.on_indication)
        await self.transport.start_notify(PMD_DATA_UUID, self._on_data)
        features = self._features(await self.transport.read(PMD_CONTROL_POINT_UUID))
        self.decoder.gyro = MeasurementType.GYRO in features
        wanted = [m for m in (MeasurementType.ACC, MeasurementType.GYRO) if m in features]
        self.streams = [await self._choose(m, features) for m in wanted]

    def _features(self, value: bytes) -> frozenset[MeasurementType]:
        try:
            features = parse_features(value)
        except DecodeError as exc:
            raise GattError(f"{self.info.address}: unreadable PMD features: {exc}") from exc
        if MeasurementType.ACC not in features:
            raise GattError(f"{self.info.address} offers no PMD accelerometer stream")
        return features

    async def _choose(
        self, measurement: MeasurementType, features: frozenset[MeasurementType]
    ) -> StreamChoice:
        offered = await self._offered(measurement)
        if self.rate_hz not in offered.sample_rates_hz and MeasurementType.SDK_MODE in features:
            await self._enter_sdk_mode()
            offered = await self._offered(measurement)
        return choose(measurement, offered, self.rate_hz, self.ranges[measurement])

    async def _offered(self, measurement: MeasurementType) -> PmdSettings:
        response = await self._request(commands.get_settings(measurement))
        if not response.ok:
            raise GattError(f"Polar {measurement.name} settings: {response.status_name}")
        try:
            return parse_settings(response.parameters)
        except DecodeError as exc:
            raise GattError(f"Polar {measurement.name} settings unreadable: {exc}") from exc

    async def _enter_sdk_mode(self) -> None:
        if self.sdk_mode:
            return
        response = await self._request(commands.start_sdk_mode())
        if not response.ok and response.status != ALREADY_IN_STATE:
            raise ConfigRefused("Polar SDK mode", response.status_name)
        self.sdk_mode = True
        self._live = True  # leave SDK mode on close even if no stream starts

    async def _subscribe(self) -> None:
        for stream in self.streams:
            await self._start(stream)

    async def _start(self, stream: StreamChoice) -> None:
        command = commands.start_measurement(stream.measurement, stream.settings())
        response = await self._request(command)
        if response.status == ALREADY_IN_STATE:  # left running by an earlier connection
            await self._request(commands.stop_measurement(stream.measurement))
            response = await self._request(command)
        if not response.ok:
            setting = _SETTING_BY_STATUS.get(response.status, SettingType.SAMPLE_RATE)
            raise ConfigRefused(stream.describe(setting), response.status_name)
        factor = start_factor(response)
        self.decoder.set_factor(stream.measurement, factor)
        self._tap_control({"measurement": int(stream.measurement), "factor": factor,
                           "gyro": self.decoder.gyro})  # fmt: skip

    async def _stop_streaming(self) -> None:
        for stream in reversed(self.streams):
            await self._request(commands.stop_measurement(stream.measurement))
        if self.sdk_mode:
            await self._request(commands.stop_sdk_mode())
            self.sdk_mode = False

    def _session_ended(self) -> None:
        self.sdk_mode = False  # whether the pod keeps SDK mode over a reconnect is unknown
        self.control.cancel()
        self.decoder.link_lost()
        self._tap_link_lost()

    async def _request(self, command: bytes) -> CpResponse:
        try:
            return await self.control.request(command)
        except GattError as exc:
            if self._link_is_down():
                raise LinkLost(f"link lost during PMD command {command.hex(' ')}") from exc
            raise

    def _on_data(self, payload: bytes, arrival_ns: int) -> None:
        self._deliver(self.decoder.feed(payload, self._received(payload, arrival_ns)))

    def _on_streams_stopped(self, measurements: tuple[int, ...]) -> None:
        known = {int(m) for m in MeasurementType}
        names = ", ".join(MeasurementType(m).name for m in measurements if m in known)
        self._abort(GattError(f"the pod stopped its {names or 'PMD'} stream(s)"))
