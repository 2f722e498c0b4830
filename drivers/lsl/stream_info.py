"""LSL stream descriptions: what LabRecorder and other inlets see of gaitdeck's streams.

Channel metadata follows the XDF meta-data conventions: ``desc/channels/channel`` with
``label``, ``unit`` and ``type``; the pod is described under ``desc/acquisition``. Source ids
are stable — built from the pod's model and address (or its pod id when it has no address),
and a tag for the non-pod streams — so an inlet (or LabRecorder) finds the same stream again
after gaitdeck restarts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pylsl

from drivers.types import PodInfo

IMU_TYPE = "IMU"
MARKER_TYPE = "Markers"
METRICS_TYPE = "GaitMetrics"
DEFAULT_TAG = "gaitdeck"
IMU_CHANNELS = (
    ("acc_x", "g", "Accelerometer"),
    ("acc_y", "g", "Accelerometer"),
    ("acc_z", "g", "Accelerometer"),
    ("gyro_x", "deg/s", "Gyroscope"),
    ("gyro_y", "deg/s", "Gyroscope"),
    ("gyro_z", "deg/s", "Gyroscope"),
)


def pod_source_id(pod: PodInfo, tag: str = DEFAULT_TAG) -> str:
    """``<tag>-<model>-<address>``; the pod id stands in for a missing address."""
    address = pod.address or pod.pod_id
    return f"{tag}-{pod.model}-{address}".replace(" ", "_")


def imu_stream_info(pod: PodInfo, tag: str = DEFAULT_TAG) -> pylsl.StreamInfo:
    """Six float32 channels (acc_g xyz, gyro_dps xyz, sensor axes) at the pod's rate."""
    info = pylsl.StreamInfo(
        f"{tag} {pod.placement.value}",
        IMU_TYPE,
        len(IMU_CHANNELS),
        float(pod.nominal_rate_hz),
        pylsl.cf_float32,
        pod_source_id(pod, tag),
    )
    _add_channels(info, IMU_CHANNELS)
    acquisition = info.desc().append_child("acquisition")
    acquisition.append_child_value("manufacturer", pod.model)
    acquisition.append_child_value("model", pod.model)
    acquisition.append_child_value("address", pod.address)
    acquisition.append_child_value("placement", pod.placement.value)
    acquisition.append_child_value("axes", "pod sensor axes")
    return info


def marker_stream_info(tag: str = DEFAULT_TAG) -> pylsl.StreamInfo:
    """One string channel at an irregular rate: a small JSON object per event."""
    info = pylsl.StreamInfo(
        f"{tag} steps", MARKER_TYPE, 1, pylsl.IRREGULAR_RATE, pylsl.cf_string, f"{tag}-steps"
    )
    _add_channels(info, [("event", "json", "Marker")])
    return info


def metrics_stream_info(
    channels: Sequence[tuple[str, str]], tag: str = DEFAULT_TAG
) -> pylsl.StreamInfo:
    """Float32 channels named ``channels`` ((label, unit) pairs) at an irregular rate."""
    info = pylsl.StreamInfo(
        f"{tag} strides",
        METRICS_TYPE,
        len(channels),
        pylsl.IRREGULAR_RATE,
        pylsl.cf_float32,
        f"{tag}-strides",
    )
    _add_channels(info, [(label, unit, "Metric") for label, unit in channels])
    return info


def _add_channels(info: pylsl.StreamInfo, channels: Sequence[tuple[str, str, str]]) -> None:
    node = info.desc().append_child("channels")
    for label, unit, kind in channels:
        channel = node.append_child("channel")
        channel.append_child_value("label", label)
        channel.append_child_value("unit", unit)
        channel.append_child_value("type", kind)
