"""A whole recording decoded at once into one sample block per placement (offline use:
``gaitdeck analyze FILE``, exports)."""

from __future__ import annotations

from collections.abc import Callable

from drivers.errors import GaitdeckError
from drivers.recording.reader import Recording
from drivers.recording.records import RecordKind
from drivers.registry import model_by_key
from drivers.replay.decoders import ReplayDecoder, replay_decoder
from drivers.types import Placement, SampleBlock

ProgressFn = Callable[[float], None]
ITEMS = frozenset({RecordKind.RAW, RecordKind.SAMPLES})


def recording_blocks(
    recording: Recording, progress: ProgressFn | None = None, until_s: float | None = None
) -> dict[Placement, SampleBlock]:
    """Every pod's samples, decoded in recorded order by its live decoder path; with
    ``until_s`` only the records stamped before it (session clock), e.g. a file's head."""
    pods = recording.header.pods
    decoders: dict[int, ReplayDecoder] = {}
    for i, entry in enumerate(pods):
        if entry.kind == "raw" and is_imu(entry.model_key):
            decoders[i] = replay_decoder(entry)
    parts: dict[int, list[SampleBlock]] = {i: [] for i in range(len(pods))}
    rows = list(recording.rows(ITEMS))
    if until_s is not None:
        until_ns = round(until_s * 1e9)
        rows = [r for r in rows if int(recording.index.t_ns[r]) < until_ns]
    for done, row in enumerate(rows):
        if int(recording.index.kind[row]) == RecordKind.SAMPLES:
            pod, block = recording.samples(row)
            _keep(parts, pod, block)
        else:
            batch = recording.raw_batch(row)
            decoder = decoders.get(batch.pod)
            if decoder is None:
                if batch.pod < len(pods):
                    continue  # a pod without IMU samples (a speed & cadence foot pod)
                raise GaitdeckError(f"{recording.path}: payloads of unknown pod {batch.pod}")
            for t_ns, payload in zip(batch.t_ns.tolist(), batch.payloads, strict=True):
                _keep(parts, batch.pod, decoder.feed(batch.channel, t_ns * 1e-9, payload))
        if progress is not None and done % 256 == 0:
            progress(done / max(1, len(rows)))
    return {pods[i].placement: SampleBlock.concat(b) for i, b in parts.items()
            if b and (i in decoders or pods[i].kind == "samples")}  # fmt: skip


def is_imu(model_key: str) -> bool:
    """Whether pods of ``model_key`` stream IMU samples (unknown keys: assume so)."""
    try:
        return model_by_key(model_key).imu
    except KeyError:
        return True


def _keep(parts: dict[int, list[SampleBlock]], pod: int, block: SampleBlock) -> None:
    if pod not in parts:
        raise GaitdeckError(f"recorded samples of unknown pod {pod}")
    if len(block):
        parts[pod].append(block)
