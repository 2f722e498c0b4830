"""The versioned header of a recording: what was recorded, from which pods, by whom.

Stored as UTF-8 JSON after the preamble. Unknown keys are kept (``extra``) so a newer
minor addition does not break older readers; a newer *format version* is refused with a
clear message by the reader.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from drivers.recording.records import RecordingError
from drivers.types import Placement, PodInfo

SOURCE_KINDS = ("raw", "samples")  # raw: payloads re-decoded on replay; samples: as stored
KNOWN_KEYS = ("started_utc", "app_version", "runner_id", "notes", "start_s")


@dataclass(frozen=True)
class PodEntry:
    """One recorded pod. ``kind`` says whether it stores payloads or samples; ``config``
    holds what its decoder needs besides the payloads (range, scale factors, …)."""

    pod_id: str
    placement: Placement
    model: str
    model_key: str
    address: str
    nominal_rate_hz: float
    kind: str = "raw"
    firmware: str = ""
    config: dict[str, Any] = field(default_factory=dict)

    def info(self) -> PodInfo:
        return PodInfo(self.pod_id, self.placement, self.model, self.address, self.nominal_rate_hz)

    @classmethod
    def from_info(cls, info: PodInfo, model_key: str, kind: str = "raw", **extra: Any) -> PodEntry:
        return cls(info.pod_id, info.placement, info.model, model_key, info.address,
                   info.nominal_rate_hz, kind, **extra)  # fmt: skip


@dataclass(frozen=True)
class RecordingHeader:
    """``started_utc``: ISO time the session clock's zero corresponds to. ``start_s``: the
    recording's own zero on that clock (when recording started; None in files written
    before it was kept: then the first record's time, ``Recording.start_s``). Times shown to
    people are seconds from the recording's zero, whose wall time is ``started_utc`` +
    ``start_s``."""

    pods: tuple[PodEntry, ...]
    started_utc: str
    app_version: str
    runner_id: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    start_s: float | None = None

    def to_json(self) -> bytes:
        data = asdict(self)
        data["pods"] = [{**asdict(p), "placement": p.placement.value} for p in self.pods]
        return json.dumps(data, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> RecordingHeader:
        try:
            data = json.loads(raw.decode("utf-8"))
            pods = tuple(_pod(p) for p in data.pop("pods"))
            known = {k: data.pop(k) for k in KNOWN_KEYS if k in data}
            start = known.get("start_s")
            if start is not None and not isinstance(start, int | float):
                raise ValueError(f"start_s is not a number: {start!r}")
            extra = {**data.pop("extra", {}), **data}
            return cls(pods=pods, extra=extra, **known)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RecordingError(f"the header is damaged ({exc})") from exc

    def wall_time(self, t_s: float) -> datetime.datetime | None:
        """The UTC wall time of ``t_s`` on the session clock; None if ``started_utc`` is
        not a readable ISO time."""
        try:
            zero = datetime.datetime.fromisoformat(self.started_utc)
        except (TypeError, ValueError):
            return None
        if zero.tzinfo is None:
            zero = zero.replace(tzinfo=datetime.UTC)
        return (zero + datetime.timedelta(seconds=t_s)).astimezone(datetime.UTC)

    def pod_index(self, pod_id: str) -> int:
        for i, pod in enumerate(self.pods):
            if pod.pod_id == pod_id:
                return i
        raise KeyError(pod_id)


def _pod(data: dict[str, Any]) -> PodEntry:
    data = dict(data)
    data["placement"] = Placement(data["placement"])
    if data.get("kind", "raw") not in SOURCE_KINDS:
        raise ValueError(f"unknown pod kind {data['kind']!r}")
    return PodEntry(**data)
