"""The recording container: round trips, salvage of damaged files, crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.recording import (
    FORMAT_VERSION,
    PodEntry,
    Recording,
    RecordingError,
    RecordingHeader,
    RecordingWriter,
    RecordKind,
)
from drivers.recording.records import PREAMBLE
from drivers.types import Placement, SampleBlock

RAW = frozenset({RecordKind.RAW})


def header(*placements: Placement) -> RecordingHeader:
    pods = tuple(
        PodEntry(f"pod-{p.value}", p, "WitMotion WT9011DCL", "witmotion", f"AA:00:00:00:00:0{i}",
                 200.0, firmware="1.0", config={"range_g": 16})
        for i, p in enumerate(placements or (Placement.LEFT_SHOE,))
    )  # fmt: skip
    extra = {"calibration": {"trunk": [0, 0, 1]}}
    return RecordingHeader(pods, "2026-11-26T12:00:00+00:00", "0.1.0", runner_id="R-017",
                           notes="treadmill 12 km/h", extra=extra)  # fmt: skip


def block(n: int, t0: float = 0.0) -> SampleBlock:
    rng = np.random.default_rng(n)
    return SampleBlock(t0 + np.arange(n) / 200.0, rng.normal(size=(n, 3)), rng.normal(size=(n, 3)))


def write_sample_file(path: Path) -> list[tuple[int, int, bytes]]:
    sent = [(pod, 1_000_000 * k + pod, bytes([pod, k % 256]) * (1 + k % 5))
            for k in range(300) for pod in (0, 1)]  # fmt: skip
    with RecordingWriter(path, header(Placement.LEFT_SHOE, Placement.RIGHT_SHOE),
                         flush_interval_s=0.01) as writer:  # fmt: skip
        for i, (pod, t_ns, payload) in enumerate(sent):
            writer.raw(pod, 0, t_ns, payload)
            if i == 100:
                writer.marker(0.05, "speed 12 km/h")
                writer.event(0.05, "calibrated", pods=["left_shoe"])
                time.sleep(0.03)  # let the flusher write a few records meanwhile
    return sent


def read_raw(rec: Recording) -> list[tuple[int, int, bytes]]:
    out = []
    for i in rec.rows(RAW):
        batch = rec.raw_batch(i)
        out += [(batch.pod, int(t), p) for t, p in zip(batch.t_ns, batch.payloads, strict=True)]
    return out


def test_raw_payloads_markers_events_and_header_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.gdrec"
    sent = write_sample_file(path)
    with Recording(path) as rec:
        assert rec.clean and rec.problem is None and rec.version == FORMAT_VERSION
        assert rec.header == header(Placement.LEFT_SHOE, Placement.RIGHT_SHOE)
        got = read_raw(rec)
        for pod in (0, 1):  # per pod, arrival order is kept exactly
            assert [g for g in got if g[0] == pod] == [s for s in sent if s[0] == pod]
        assert rec.markers() == [(0.05, "speed 12 km/h")]
        assert rec.events() == [(0.05, {"type": "calibrated", "pods": ["left_shoe"]})]
        assert rec.end_summary is not None and rec.end_summary["notifications"] == len(sent)


def test_sample_blocks_round_trip_bit_exact(tmp_path: Path) -> None:
    path = tmp_path / "s.gdrec"
    blocks = [block(50), block(7, 0.25), block(1, 0.3)]
    with RecordingWriter(path, header()) as writer:
        for b in blocks:
            writer.samples(0, b)
    with Recording(path) as rec:
        got = [rec.samples(i) for i in rec.rows(frozenset({RecordKind.SAMPLES}))]
    assert [pod for pod, _ in got] == [0, 0, 0]
    for (_, b), sent in zip(got, blocks, strict=True):
        assert np.array_equal(b.t_s, sent.t_s) and np.array_equal(b.acc_g, sent.acc_g)
        assert np.array_equal(b.gyro_dps, sent.gyro_dps)


def test_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "s.gdrec"
    path.write_bytes(b"precious")
    with pytest.raises(RecordingError, match="already exists"):
        RecordingWriter(path, header())
    assert path.read_bytes() == b"precious"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"PK\x03\x04 zip file", "not a gaitdeck recording"),
     (PREAMBLE.pack(b"GDREC", FORMAT_VERSION + 1, 2) + b"{}", "format v2; this gaitdeck"),
     (PREAMBLE.pack(b"GDREC", 1, 500) + b"{}", "cut short inside its header"),
     (PREAMBLE.pack(b"GDREC", 1, 5) + b"{oops", "header is damaged")],
)  # fmt: skip
def test_unreadable_files_get_one_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.gdrec"
    path.write_bytes(content)
    with pytest.raises(RecordingError, match=message):
        Recording(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="cannot open"):
        Recording(tmp_path / "nope.gdrec")


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[bytes, list[tuple[int, int, bytes]]]:
    path = tmp_path_factory.mktemp("ref") / "s.gdrec"
    write_sample_file(path)
    with Recording(path) as rec:
        return path.read_bytes(), read_raw(rec)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10**6))
def test_any_truncation_salvages_a_prefix(
    tmp_path_factory: pytest.TempPathFactory, reference: tuple[bytes, list[tuple[int, int, bytes]]],
    cut: int,
) -> None:  # fmt: skip
    data, full = reference
    cut %= len(data)
    path = tmp_path_factory.mktemp("cut") / "s.gdrec"
    path.write_bytes(data[:cut])
    try:
        rec = Recording(path)
    except RecordingError as exc:  # only a cut inside the preamble or header is fatal
        assert "header" in str(exc) or "empty" in str(exc) or "not a gaitdeck" in str(exc)
        return
    with rec:
        assert not rec.clean
        got = read_raw(rec)
        for pod in (0, 1):
            mine = [g for g in got if g[0] == pod]
            assert mine == [s for s in full if s[0] == pod][: len(mine)]


def test_a_corrupted_byte_stops_at_that_record_and_keeps_the_rest_before(
    tmp_path: Path, reference: tuple[bytes, list[tuple[int, int, bytes]]]
) -> None:
    data, full = reference
    damaged = bytearray(data)
    damaged[len(data) * 2 // 3] ^= 0xFF
    path = tmp_path / "s.gdrec"
    path.write_bytes(bytes(damaged))
    with Recording(path) as rec:
        assert not rec.clean and rec.problem is not None and "byte" in rec.problem
        got = read_raw(rec)
        assert 0 < len(got) < len(full)


def test_writes_from_several_threads(tmp_path: Path) -> None:
    path = tmp_path / "s.gdrec"
    with RecordingWriter(path, header(*Placement), flush_interval_s=0.005) as writer:

        def pod(index: int) -> None:
            for k in range(2000):
                writer.raw(index, 0, k * 1000 + index, k.to_bytes(4, "little"))

        threads = [threading.Thread(target=pod, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    with Recording(path) as rec:
        got = read_raw(rec)
    for index in range(4):
        mine = [int.from_bytes(p, "little") for pod, _, p in got if pod == index]
        assert mine == list(range(2000))


RECORDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path[:0] = [{tests!r}]
    from test_recording_file import header
    from drivers.recording import RecordingWriter
    writer = RecordingWriter(Path(sys.argv[1]), header())
    k = 0
    while True:
        now = time.monotonic_ns()
        writer.raw(0, 0, now, k.to_bytes(8, "little"))
        k += 1
        if k == 50:
            print("recording", flush=True)
        time.sleep(0.002)
""")


def test_kill_9_while_recording_loses_at_most_the_last_second(tmp_path: Path) -> None:
    path = tmp_path / "crash.gdrec"
    script = RECORDER.format(tests=str(Path(__file__).parent))
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"recording"
        time.sleep(1.5)
        killed_ns = time.monotonic_ns()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    with Recording(path) as rec:
        assert not rec.clean
        got = read_raw(rec)
    counters = [int.from_bytes(p, "little") for _, _, p in got]
    assert counters == list(range(len(counters)))  # a gap-free prefix
    last_ns = got[-1][1]
    assert killed_ns - last_ns < 1_000_000_000
