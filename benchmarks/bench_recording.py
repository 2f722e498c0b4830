"""Recordings: writing cost per sample, file size per pod-hour, opening and seeking a 1-hour
4-pod recording (targets: open <= 1 s, seek <= 100 ms), and replay speed (offline decode and
through the live engine as fast as possible) in multiples of real time.

The 1-hour file holds what 4 WitMotion pods at 200 Hz send (4 frames per notification,
arrival times as a live session stamps them), built from 20 s of simulated running repeated.

Run: python benchmarks/bench_recording.py [--minutes 60] [--keep FILE]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from common import report

from drivers.models.witmotion.commands import encode_frames
from drivers.recording import PodEntry, Recording, RecordingHeader, RecordingWriter
from drivers.replay.blocks import recording_blocks
from drivers.replay.source import ReplayPodSource
from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, PodState
from processing.replay_session import ReplaySession

RATE_HZ = 200.0
FRAMES = 4  # per notification, as the firmware bundles them at 200 Hz
PIECE_S = 20.0


def notifications() -> dict[Placement, list[bytes]]:
    """One simulated 20 s piece per pod, as notification payloads."""
    blocks, _ = simulate("mixed", PIECE_S, RATE_HZ, seed=2)
    out = {}
    for placement, b in blocks.items():
        n = len(b) - len(b) % FRAMES
        frames = encode_frames(b.acc_g[:n], b.gyro_dps[:n], np.zeros((n, 3)))
        size = 20 * FRAMES
        out[placement] = [frames[k : k + size] for k in range(0, len(frames), size)]
    return out


def header() -> RecordingHeader:
    pods = tuple(
        PodEntry.from_info(PodInfo(f"pod-{p.value}", p, "WitMotion", f"AA:BB:CC:00:00:0{i}",
                                   RATE_HZ), "witmotion")
        for i, p in enumerate(Placement)
    )  # fmt: skip
    return RecordingHeader(pods, "2026-11-26T00:00:00+00:00", "bench")


def write(path: Path, minutes: float) -> dict[str, float]:
    pieces = notifications()
    period_ns = round(FRAMES / RATE_HZ * 1e9)
    per_piece = min(len(v) for v in pieces.values())
    total = int(minutes * 60 * RATE_HZ / FRAMES)
    started = time.process_time()
    with RecordingWriter(path, header(), flush_interval_s=3600.0) as writer:
        for k in range(total):
            t_ns = k * period_ns + 4_000_000
            for i, placement in enumerate(Placement):
                writer.raw(i, 0, t_ns + i * 1000, pieces[placement][k % per_piece])
            if k % 50 == 49:  # what the flusher does 4 times a second at real time
                writer.flush()
    spent = time.process_time() - started
    samples = total * FRAMES * 4
    return {"write_cpu_s": spent, "write_us_per_sample": 1e6 * spent / samples,
            "samples": samples}  # fmt: skip


def time_open(path: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with Recording(path) as rec:
            rec.pod_rows(0)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_seek(path: Path, minutes: float, runs: int = 20) -> float:
    """Locate a random time and decode the first second there for every pod."""
    rng = np.random.default_rng(0)
    times = []
    with Recording(path) as rec:
        sources = [ReplayPodSource(rec, i, _Clock()) for i in range(4)]
        for _ in range(runs):
            target = float(rng.uniform(0, minutes * 60 - 2))
            started = time.perf_counter()
            for source in sources:
                _first_second(source, target)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


class _Clock:
    def join(self, pod_id: str) -> None:
        return None


def _first_second(source: ReplayPodSource, target_s: float) -> None:
    from drivers.replay.decoders import replay_decoder

    decoder = replay_decoder(source.entry)
    first = max(0, int(source._starts_ns.searchsorted(round(target_s * 1e9), "right")) - 1)
    for row in source._rows[first : first + 8].tolist():
        for t_s, channel, payload in source._items(row):
            if target_s <= t_s < target_s + 1.0:
                decoder.feed(channel, t_s, payload)


def replay_live_x(path: Path) -> float:
    with Recording(path) as rec:
        session = ReplaySession(rec, speed=None)
        started = time.perf_counter()
        session.start()
        try:
            while not all(s.stats.state is PodState.STOPPED for s in session.sources):
                time.sleep(0.05)
            while session.engine.backlog_s() > 0:
                time.sleep(0.02)
        finally:
            session.stop()
        return session.end_s / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "hour.gdrec"
        written = write(path, args.minutes)
        size_mb = path.stat().st_size / 1e6
        open_s = time_open(path)
        seek_s = time_seek(path, args.minutes)
        started = time.perf_counter()
        with Recording(path) as rec:
            recording_blocks(rec)
        decode_s = time.perf_counter() - started
        short = Path(tmp) / "short.gdrec"
        write(short, 5.0)
        live_x = replay_live_x(short)
    report(
        "recording",
        {
            "minutes": args.minutes, "pods": 4, "rate_hz": RATE_HZ, **written,
            "file_mb": size_mb, "mb_per_pod_hour": size_mb / 4 / (args.minutes / 60),
            "open_s_median": open_s, "seek_s_median": seek_s,
            "offline_decode_s": decode_s,
            "offline_decode_x_real_time": args.minutes * 60 / decode_s,
            "replay_live_asap_x_real_time_5min": live_x,
            "targets": "open <= 1 s, seek <= 100 ms",
        },
    )  # fmt: skip


if __name__ == "__main__":
    main()
