"""Decode cost per frame and per sample, for each pod model's decoder, plus the cost of
putting a notification on the session clock (``RateStamper``, ``DeviceTimeMapper``).

Frames are the shared test vectors (real captures and SDK-test bytes; see
../shared/protocols/README.md) and, where a vector is short, frames built by the models'
own encoders at the size the pods send. Each figure is the median over repeats of the mean
time of a tight loop of calls, on one core, with no I/O.

Run: python benchmarks/bench_decode_cost.py [--repeats 15] [--min-repeat-s 0.05]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from common import report

from drivers.clock_sync import DeviceTimeMapper, RateStamper
from drivers.models.metamotion.decode import StreamConfig
from drivers.models.metamotion.decode import decode_notification as mm_decode
from drivers.models.metamotion.profile import Chip
from drivers.models.polar.decode import decode_data_frame
from drivers.models.rsc.decode import decode_measurement
from drivers.models.witmotion.commands import encode_frames
from drivers.models.witmotion.decode import decode_notification as wit_decode

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GAITDECK_SHARED", REPO.parent / "shared"))


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[], object]
    frame_bytes: int
    samples: int  # samples decoded per call (RSC: one measurement)
    source: str


def vector(vectors: list[dict[str, Any]], device: str, kind: str) -> bytes:
    """The bytes of the one vector whose device and kind contain the given words."""
    found = [v for v in vectors if device in v["device"] and kind in v["kind"]]
    if len(found) != 1:
        raise LookupError(f"{len(found)} vectors match {device!r} / {kind!r}")
    return bytes.fromhex(found[0]["hex"])


def decoder_cases(vectors: list[dict[str, Any]]) -> list[Case]:
    wit4 = vector(vectors, "WitMotion", "4 concatenated 0x61 frames")
    wit1 = vector(vectors, "WitMotion", "single 20-byte frame")
    polar_plain = vector(vectors, "Polar PMD", "ACC, uncompressed frame type 1")
    polar_delta = vector(vectors, "Polar Verity Sense", "full 228-byte notification")
    mm_acc = vector(vectors, "MetaMotion", "notify acceleration (module 0x03, register 0x04)")
    mm_packed = vector(vectors, "MetaMotion", "notify packed acceleration, BMI160")
    mm_gyro_packed = vector(vectors, "MetaMotion", "notify packed rotation, BMI160")
    rsc = vector(vectors, "Running Speed", "all fields present")
    rng = np.random.default_rng(0)
    wit_built = encode_frames(
        rng.normal(0, 2, (4, 3)), rng.normal(0, 300, (4, 3)), rng.normal(0, 40, (4, 3))
    )
    bmi160 = StreamConfig(Chip.BMI160, 8.0, 1000.0)
    vectors_src = "shared test vector"
    return [
        Case("witmotion_1_frame", lambda: wit_decode(wit1), len(wit1), 1, vectors_src),
        Case("witmotion_4_frames", lambda: wit_decode(wit4), len(wit4), 4, vectors_src),
        Case("witmotion_4_frames_encoded", lambda: wit_decode(wit_built), 80, 4, "encoder"),
        Case(
            "polar_acc_uncompressed",
            lambda: decode_data_frame(polar_plain),
            len(polar_plain),
            len(decode_data_frame(polar_plain)),
            vectors_src,
        ),
        Case(
            "polar_acc_delta_0x80",
            lambda: decode_data_frame(polar_delta),
            len(polar_delta),
            len(decode_data_frame(polar_delta)),
            "shared test vector (Verity Sense capture)",
        ),
        Case(
            "metamotion_acc_plain", lambda: mm_decode(mm_acc, bmi160), len(mm_acc), 1, vectors_src
        ),
        Case(
            "metamotion_acc_packed",
            lambda: mm_decode(mm_packed, bmi160),
            len(mm_packed),
            3,
            vectors_src,
        ),
        Case(
            "metamotion_gyro_packed",
            lambda: mm_decode(mm_gyro_packed, bmi160),
            len(mm_gyro_packed),
            3,
            vectors_src,
        ),
        Case("rsc_measurement", lambda: decode_measurement(rsc), len(rsc), 1, vectors_src),
    ]


def latency_s(k: int) -> float:
    """A repeatable spread of link latencies, 0–10 ms."""
    return (k * 7919 % 97) / 97 * 0.010


def clock_cases() -> list[Case]:
    """One call = one notification put on the session clock, with jittered arrivals, and
    the sync estimate read as the notification paths do for ``LinkStats``."""
    stamper = RateStamper(200.0)
    notes = itertools.count(1)

    def stamp() -> object:
        k = next(notes)
        return stamper.stamp(4, 0.02 * k + latency_s(k)), stamper.estimate

    mapper = DeviceTimeMapper()
    frames = itertools.count(1)
    offsets = np.arange(-35, 1) / 208.0  # a Polar ACC frame: 36 samples at 208 Hz

    def map_frame() -> object:
        k = next(frames)
        last = 0.173 * k
        mapper.observe(last, last + 12.0 + latency_s(k))
        return mapper.to_session_s(last + offsets), mapper.estimate

    return [
        Case("clock_rate_stamper_4_samples", stamp, 0, 4, "synthetic arrivals"),
        Case("clock_device_mapper_36_samples", map_frame, 0, 36, "synthetic frames"),
    ]


def time_case(case: Case, repeats: int, min_repeat_s: float) -> dict[str, Any]:
    timer = timeit.Timer(case.call)
    number, _ = timer.autorange()
    number = max(number, int(number * min_repeat_s / 0.2))
    per_call_s = np.array(timer.repeat(repeat=repeats, number=number)) / number
    median_us = float(np.median(per_call_s)) * 1e6
    return {
        "frame_bytes": case.frame_bytes,
        "samples_per_frame": case.samples,
        "median_us_per_frame": median_us,
        "median_us_per_sample": median_us / case.samples,
        "spread_us_per_frame": [
            float(np.min(per_call_s)) * 1e6,
            float(np.max(per_call_s)) * 1e6,
        ],
        "calls_per_repeat": number,
        "source": case.source,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--min-repeat-s", type=float, default=0.05)
    args = parser.parse_args()
    vectors = json.loads((SHARED / "protocols" / "test-vectors.json").read_text())
    results = {
        c.name: time_case(c, args.repeats, args.min_repeat_s)
        for c in decoder_cases(vectors) + clock_cases()
    }
    budget = 4 * 200  # samples per second: 4 pods at 200 Hz
    report(
        "decode_cost",
        {
            "repeats": args.repeats,
            "cases": results,
            "core_share_pct_4_pods_200hz": {
                name: 100 * r["median_us_per_sample"] * 1e-6 * budget
                for name, r in results.items()
                if not name.startswith("rsc")
            },
        },
    )


if __name__ == "__main__":
    main()
