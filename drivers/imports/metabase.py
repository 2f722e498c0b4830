"""MbientLab MetaBase CSV exports: separate accelerometer and gyroscope files per device.

MetaBase writes one file per device and sensor, named like
``MetaWear_2024-03-02T10.11.12.345_C8F0A1B2C3D4_Accelerometer_200.000Hz_1.7.3.csv``
(device name, start time, MAC address without colons, sensor, rate, firmware), under::

    epoch (ms),time (+01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)
    epoch (ms),time (+01:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)

``epoch (ms)`` is Unix time in milliseconds on the host's clock, shared by all devices of a
session; the ``time`` column's zone varies and is not used. The two sensors of a device are
sampled separately: gyroscope readings are interpolated onto the accelerometer's sample
times, inside continuous stretches only (across a gap of more than ``GAP_PERIODS`` sample
periods a sample gets NaN gyro, which the processing's input guard drops). Times become
seconds since the earliest sample of the session.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from drivers.errors import GaitdeckError
from drivers.imports.pod_csv import CsvFormatError
from drivers.types import FloatArray, Placement, SampleBlock

ACC_HEADER = "epoch (ms),time (…),elapsed (s),x-axis (g),y-axis (g),z-axis (g)"
GYRO_HEADER = "epoch (ms),time (…),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)"
_HEADER = re.compile(r"^epoch \(ms\),time \([^)]*\),elapsed \(s\),"
                     r"x-axis \((g|deg/s)\),y-axis \(\1\),z-axis \(\1\)$")  # fmt: skip
_FILE = re.compile(r"_(?P<mac>[0-9A-Fa-f]{12})_(?P<sensor>Accelerometer|Gyroscope)")
GAP_PERIODS = 3.0


@dataclass(frozen=True)
class MetaBaseDevice:
    """One device's pair of files in a MetaBase export folder."""

    address: str  # "C8:F0:A1:B2:C3:D4"
    accelerometer: Path
    gyroscope: Path | None


def address_of(mac: str) -> str:
    mac = mac.upper()
    return ":".join(mac[i : i + 2] for i in range(0, 12, 2))


def find_devices(folder: Path) -> list[MetaBaseDevice]:
    """The devices in a MetaBase export folder (by address); raises GaitdeckError if none."""
    if not folder.is_dir():
        raise GaitdeckError(f"{folder}: not a folder")
    files: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.glob("*.csv")):
        match = _FILE.search(path.name)
        if match:
            files.setdefault(address_of(match["mac"]), {})[match["sensor"]] = path
    devices = []
    for address, sensors in sorted(files.items()):
        if "Accelerometer" not in sensors:
            raise GaitdeckError(f"{folder}: device {address} has no Accelerometer file")
        devices.append(MetaBaseDevice(address, sensors["Accelerometer"], sensors.get("Gyroscope")))
    if not devices:
        raise GaitdeckError(f"{folder}: no MetaBase files (…_<MAC>_Accelerometer_….csv) found")
    return devices


def is_metabase_folder(folder: Path) -> bool:
    return folder.is_dir() and any(_FILE.search(p.name) for p in folder.glob("*.csv"))


def read_metabase_folder(
    folder: Path, placements: Mapping[str, Placement]
) -> dict[Placement, SampleBlock]:
    """Every device of the export mapped to a placement by its address (``placements``:
    address → placement). Raises GaitdeckError naming a device that has no placement."""
    devices = find_devices(folder)
    wanted: dict[Placement, MetaBaseDevice] = {}
    for device in devices:
        placement = placements.get(device.address)
        if placement is None:
            raise GaitdeckError(
                f"{folder}: device {device.address} has no placement "
                f"(map it, e.g. {device.address.replace(':', '')}=left_shoe)"
            )
        if placement in wanted:
            raise GaitdeckError(f"{folder}: two devices mapped to {placement.value}")
        wanted[placement] = device
    raw = {p: _device_samples(d) for p, d in wanted.items()}
    t0_ms = min(float(epoch[0]) for epoch, _, _ in raw.values())
    return {p: _block(epoch, acc, gyro, t0_ms) for p, (epoch, acc, gyro) in raw.items()}


def read_sensor_file(path: Path, unit: str) -> tuple[FloatArray, FloatArray]:
    """(epoch ms (n,), xyz (n, 3)) of one MetaBase file whose values are in ``unit``
    ("g" or "deg/s"); raises CsvFormatError naming the file and line."""
    expected = ACC_HEADER if unit == "g" else GYRO_HEADER
    try:
        with path.open("r", encoding="utf-8-sig") as stream:
            header = stream.readline().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CsvFormatError(path.name, None, f"cannot read ({exc})") from None
    match = _HEADER.match(header)
    if match is None or match.group(1) != unit:
        raise CsvFormatError(path.name, 1, f"header must be {expected}")
    epoch, xyz = _rows(path)
    if epoch.size == 0:
        raise CsvFormatError(path.name, 2, "no samples after the header")
    backwards = np.flatnonzero(np.diff(epoch) < 0)
    if backwards.size:
        raise CsvFormatError(path.name, int(backwards[0]) + 3, "epoch (ms) goes backwards")
    return epoch, xyz


def _rows(path: Path) -> tuple[FloatArray, FloatArray]:
    epochs, values = [], []
    with path.open("r", encoding="utf-8-sig") as stream:
        next(stream)
        for number, line in enumerate(stream, start=2):
            cells = line.strip().split(",")
            if cells == [""]:
                continue
            if len(cells) != 6:
                raise CsvFormatError(path.name, number, f"expected 6 values, found {len(cells)}")
            try:
                epochs.append(float(cells[0]))
                values.append([float(c) for c in cells[3:6]])
            except ValueError:
                raise CsvFormatError(path.name, number, "not a number") from None
    return np.asarray(epochs), np.asarray(values, dtype=np.float64).reshape(-1, 3)


def _device_samples(device: MetaBaseDevice) -> tuple[FloatArray, FloatArray, FloatArray]:
    epoch, acc = read_sensor_file(device.accelerometer, "g")
    if device.gyroscope is None:
        return epoch, acc, np.full_like(acc, np.nan)
    gyro_epoch, gyro = read_sensor_file(device.gyroscope, "deg/s")
    return epoch, acc, _onto(epoch, gyro_epoch, gyro)


def _onto(t: FloatArray, t_src: FloatArray, values: FloatArray) -> FloatArray:
    """``values`` sampled at ``t_src`` interpolated at ``t``; NaN outside the source's
    continuous stretches (a gap wider than GAP_PERIODS median periods)."""
    t_src, first = np.unique(t_src, return_index=True)  # a repeated ms stamp keeps the first
    values = values[first]
    out = np.column_stack([np.interp(t, t_src, values[:, k]) for k in range(3)])
    if t_src.size < 2:
        return np.full_like(out, np.nan)
    period = float(np.median(np.diff(t_src)))
    after = np.clip(np.searchsorted(t_src, t), 1, t_src.size - 1)
    span = t_src[after] - t_src[after - 1]
    outside = (t < t_src[0]) | (t > t_src[-1]) | (span > GAP_PERIODS * period)
    out[outside] = np.nan
    return out


def _block(epoch: FloatArray, acc: FloatArray, gyro: FloatArray, t0_ms: float) -> SampleBlock:
    """Samples with strictly increasing times (a repeated ms stamp keeps the first)."""
    keep = np.concatenate([[True], np.diff(epoch) > 0])
    return SampleBlock((epoch[keep] - t0_ms) / 1000.0, acc[keep], gyro[keep])
