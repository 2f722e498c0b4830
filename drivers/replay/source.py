"""``ReplayPodSource``: one recorded pod, played back as a live source.

It implements ``Source`` like a BLE or simulated pod: its recorded payloads go through the
pod's live decoder path (``drivers.replay.decoders``) at the pace of a shared
``PlaybackClock``, into the same buffers and engine. After a seek it starts again from the
clock's position with a fresh decoder; at the end of the recording it waits for a seek.
"""

from __future__ import annotations

import asyncio

from drivers.recording.reader import Recording
from drivers.recording.records import RecordKind, decode_samples
from drivers.replay.clock import PlaybackClock
from drivers.replay.decoders import replay_decoder
from drivers.source import PodSink, Source
from drivers.types import PodState

END_POLL_S = 0.1


class ReplayPodSource(Source):
    def __init__(self, recording: Recording, pod: int, clock: PlaybackClock) -> None:
        self.entry = recording.header.pods[pod]
        super().__init__(self.entry.info())
        self.model_key = self.entry.model_key
        self.recording = recording
        self.pod = pod
        self.clock = clock
        self._rows = recording.pod_rows(pod)
        self._starts_ns = recording.index.t_ns[self._rows]
        clock.join(self.info.pod_id)

    async def run(self, sink: PodSink) -> None:
        while True:
            generation = self.clock.generation
            self.set_state(PodState.STREAMING)
            finished = await self._play(sink, generation, self.clock.origin_s)
            if finished:
                self.clock.report(self.info.pod_id, None)
                self.set_state(PodState.STOPPED)
                while self.clock.generation == generation:
                    await asyncio.sleep(END_POLL_S)

    async def _play(self, sink: PodSink, generation: int, from_s: float) -> bool:
        """Play from ``from_s``; True at the end of the recording, False after a seek."""
        decoder = replay_decoder(self.entry, self.stats) if self.entry.kind == "raw" else None
        first = max(0, int(self._starts_ns.searchsorted(round(from_s * 1e9), "right")) - 1)
        for row in self._rows[first:].tolist():
            for t_s, channel, payload in self._items(row):
                if t_s < from_s:
                    continue
                self.clock.report(self.info.pod_id, t_s)
                if not await self.clock.wait_until(t_s, generation):
                    return False
                block = (
                    decoder.feed(channel, t_s, payload)
                    if decoder is not None
                    else decode_samples(payload)[1]
                )
                if len(block):
                    sink.push(self.info.pod_id, block)
        return True

    def _items(self, row: int) -> list[tuple[float, int, bytes]]:
        if int(self.recording.index.kind[row]) == RecordKind.SAMPLES:
            _, block = self.recording.samples(row)
            return [(float(block.t_s[0]), -1, self.recording.body(row))]
        batch = self.recording.raw_batch(row)
        times = batch.t_ns.tolist()
        return [(t * 1e-9, batch.channel, p) for t, p in zip(times, batch.payloads, strict=True)]
