"""What a recording holds, for ``gaitdeck info``: header facts, per-pod sample counts and
time spans (from decoding it, so they are the samples replay will give), markers, and
whether the file was closed cleanly or salvaged.

Times are seconds from the recording's zero (``Recording.start_s``), whose UTC wall time is
``started_utc``, the time base of the report and the exports too; ``session_clock_s`` is
where that zero lies on the session clock the file's records are stamped with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drivers.recording.reader import Recording
from drivers.replay.blocks import recording_blocks


def recording_info(path: Path) -> dict[str, Any]:
    with Recording(path) as recording:
        header = recording.header
        zero = recording.start_s
        blocks = recording_blocks(recording)
        pods = []
        for entry in header.pods:
            block = blocks.get(entry.placement)
            n = len(block) if block is not None else 0
            pods.append({
                "pod_id": entry.pod_id, "placement": entry.placement.value,
                "model": entry.model, "model_key": entry.model_key, "address": entry.address,
                "firmware": entry.firmware, "rate_hz": entry.nominal_rate_hz,
                "kind": entry.kind, "samples": n,
                "first_s": _since(float(block.t_s[0]), zero) if n and block is not None else None,
                "last_s": _since(float(block.t_s[-1]), zero) if n and block is not None else None,
            })  # fmt: skip
        spans = [(float(b.t_s[0]), float(b.t_s[-1])) for b in blocks.values() if len(b)]
        duration = max(b for _, b in spans) - min(a for a, _ in spans) if spans else 0.0
        started = recording.started
        return {
            "file": str(path), "format_version": recording.version,
            "clean": recording.clean, "problem": recording.problem,
            "started_utc": started.isoformat(timespec="milliseconds") if started else None,
            "session_clock_s": zero, "app_version": header.app_version,
            "runner_id": header.runner_id, "notes": header.notes, "duration_s": duration,
            "pods": pods,
            "markers": [{"t_s": _since(t, zero), "text": text}
                        for t, text in recording.markers()],
            "records": len(recording.index),
        }  # fmt: skip


def _since(t_s: float, zero_s: float) -> float:
    """Seconds from the recording's zero, to the nanosecond (the file's resolution)."""
    return round(t_s - zero_s, 9)
