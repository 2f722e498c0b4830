"""Regenerates the sample sessions in this folder (run from the repository root):

    .venv/bin/python recordings/make_samples.py [--shared ../shared]

* ``sim-<profile>.gdrec``: 45 s of each simulated runner profile, 4 pods at 100 Hz, recorded
  through the live path (WitMotion frames, raw payloads with arrival times), seed 1.
* ``gaitmap-walking.gdrec``: the gaitmap example walk (MIT, ../shared/data/
  gaitmap_example_walking), two shoe pods at 204.8 Hz as samples; its first 0.5 s of
  standing is repeated for 3.5 s before it so the pipeline finds a quiet standing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECONDS = 45.0
SPEED = 20.0


def record_profile(profile: str) -> Path:
    from drivers.clock_sync import SessionClock
    from drivers.loop_thread import LoopThread
    from drivers.recording.session_recorder import SessionRecorder
    from drivers.sim.session import LIVE_STANDING_S, simulated_pods
    from processing.live_session import DiscardSink

    path = HERE / f"sim-{profile}.gdrec"
    path.unlink(missing_ok=True)
    clock = SessionClock()
    sources = simulated_pods(profile, rate_hz=100.0, seed=1, clock=clock, speed=SPEED)
    recorder = SessionRecorder(sources, path, clock, runner_id=f"sim-{profile}",
                               notes=f"simulated runner '{profile}', 100 Hz, seed 1")  # fmt: skip
    io = LoopThread("make-samples")
    io.start()
    for source in sources:
        io.submit(source.run(DiscardSink()))
    recorder.marker("standing still (calibration)", 0.5)
    recorder.marker("running", LIVE_STANDING_S)
    while min(s.stats.samples for s in sources) < SECONDS * 100:
        time.sleep(0.05)
    io.stop()
    recorder.stop()
    return path


def convert_gaitmap(shared: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import accuracy_walking  # the benchmark's loader: same padding as the accuracy figures

    from drivers.recording.convert import write_samples_recording

    accuracy_walking.GAITMAP = shared / "data" / "gaitmap_example_walking"
    path = HERE / "gaitmap-walking.gdrec"
    path.unlink(missing_ok=True)
    blocks = accuracy_walking.gaitmap_blocks()
    return write_samples_recording(
        path, blocks, sources={p: "gaitmap example foot IMU (MIT)" for p in blocks},
        runner_id="gaitmap-example", notes="gaitmap example walk (MIT), 204.8 Hz; "
        "first 0.5 s of standing repeated for 3.5 s before it",
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    from drivers.sim.profiles import PROFILES

    for profile in sorted(PROFILES):
        print(record_profile(profile))
    print(convert_gaitmap(args.shared))


if __name__ == "__main__":
    main()
