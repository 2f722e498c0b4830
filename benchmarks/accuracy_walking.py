"""Real walking data with references, read in place from ../shared/data (never copied).

* gaitmap example (MIT): two shoe IMUs in the foot frame at 204.8 Hz, mocap stride events
  (IC, terminal contact) and markers (heel FCC, toe) from which the foot angle at IC is the
  pitch of the heel→toe vector at IC minus the same at the preceding mid-stance. The
  recording starts with only ~1 s of standing, so its first 0.5 s (standing) is repeated
  before it, 3.5 s, to give the pipeline the quiet standing it calibrates from.
* IPOL healthy gait subset (AGPL, read in place only): feet + lower back (L5, fed as the
  pelvis pod) at 100 Hz, raw sensor axes, ~4 s of standing first; per foot the annotated
  [toe-off, heel-strike] pairs of each swing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from accuracy_metrics import Errors, TrueStep, step_errors

from drivers.types import FloatArray, Placement, SampleBlock
from processing.analysis import analyze

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GAITMAP = DATA / "gaitmap_example_walking"
IPOL = DATA / "ipol_healthy_gait_subset"
GAITMAP_HZ = 204.8
MOCAP_HZ = 100.0
GRAVITY_MPS2 = 9.81
PAD_S = 3.5


def _gaitmap_imu() -> tuple[list[str], FloatArray]:
    with open(GAITMAP / "imu_sample.csv") as f:
        rows = list(csv.reader(f))
    header = [f"{s}.{a}" for s, a in zip(rows[0], rows[1], strict=True)]
    return header, np.array(rows[2:], dtype=np.float64)


def _padded(acc_g: FloatArray, gyro_dps: FloatArray, rate_hz: float) -> SampleBlock:
    """The recording with its first 0.5 s (standing) repeated before it for PAD_S."""
    still = int(0.5 * rate_hz)
    reps = int(np.ceil(PAD_S * rate_hz / still))
    pad_acc = np.tile(acc_g[:still], (reps, 1))
    pad_gyro = np.tile(gyro_dps[:still], (reps, 1))
    acc, gyro = np.vstack([pad_acc, acc_g]), np.vstack([pad_gyro, gyro_dps])
    t = (np.arange(len(acc)) - len(pad_acc)) / rate_hz
    return SampleBlock(t, acc, gyro)


def gaitmap_blocks() -> dict[Placement, SampleBlock]:
    header, data = _gaitmap_imu()
    blocks = {}
    for side, placement in (("left", Placement.LEFT_SHOE), ("right", Placement.RIGHT_SHOE)):
        col = [header.index(f"{side}_sensor.{a}") for a in ("acc_x", "acc_y", "acc_z")]
        gcol = [header.index(f"{side}_sensor.{a}") for a in ("gyr_x", "gyr_y", "gyr_z")]
        blocks[placement] = _padded(data[:, col] / GRAVITY_MPS2, data[:, gcol], GAITMAP_HZ)
    return blocks


def _foot_pitch_deg(side: str) -> FloatArray:
    """Mocap pitch of the heel→toe vector per mocap frame, degrees, + toes up."""
    with open(GAITMAP / "mocap_sample.csv") as f:
        rows = list(csv.reader(f))
    header = [f"{m}.{a}" for m, a in zip(rows[0], rows[1], strict=True)]
    data = np.array(rows[2:], dtype=np.float64)
    s = side[0].upper()
    toe = data[:, [header.index(f"{s}_TOE.{a}") for a in "xyz"]]
    heel = data[:, [header.index(f"{s}_FCC.{a}") for a in "xyz"]]
    v = toe - heel
    return np.asarray(np.degrees(np.arctan2(v[:, 2], np.hypot(v[:, 0], v[:, 1]))))


def gaitmap_truth() -> list[TrueStep]:
    with open(GAITMAP / "stride_events_sample.csv") as f:
        events = list(csv.DictReader(f))
    out = []
    for side in ("left", "right"):
        pitch = _foot_pitch_deg(side)

        def at(imu_index: float, pitch: FloatArray = pitch) -> float:
            frames = np.arange(len(pitch)) / MOCAP_HZ
            return float(np.interp(imu_index / GAITMAP_HZ, frames, pitch))

        own = [e for e in events if e["foot"] == side]
        tcs = np.array([float(e["tc"]) for e in own]) / GAITMAP_HZ
        for e in own:
            ic = float(e["ic"])
            later = tcs[tcs > ic / GAITMAP_HZ]
            to = float(later[0]) if later.size and later[0] - ic / GAITMAP_HZ < 1.0 else np.nan
            fsa = at(ic) - at(float(e["min_vel"]))
            out.append(TrueStep(side, ic / GAITMAP_HZ, to, fsa))
    return out


def gaitmap_errors() -> Errors:
    blocks = gaitmap_blocks()
    result = analyze(blocks)
    truth = gaitmap_truth()
    annotated = (min(s.ic_s for s in truth) - 0.5, max(s.ic_s for s in truth) + 0.5)
    return step_errors(result, truth, annotated, tol_s=0.1)


def _ipol_block(path: Path) -> SampleBlock:
    data = np.loadtxt(path, skiprows=2)
    t = data[:, 0] / 100.0
    return SampleBlock(t, data[:, 1:4] / GRAVITY_MPS2, np.degrees(data[:, 4:7]))


def ipol_errors(trial: str) -> tuple[Errors, dict[str, dict[str, object]]]:
    blocks = {
        Placement.LEFT_SHOE: _ipol_block(IPOL / f"{trial}_lf.txt"),
        Placement.RIGHT_SHOE: _ipol_block(IPOL / f"{trial}_rf.txt"),
        Placement.PELVIS: _ipol_block(IPOL / f"{trial}_lb.txt"),
    }
    meta = json.loads((IPOL / f"{trial}.json").read_text())
    truth = []
    for side, key in (("left", "LeftFootEvents"), ("right", "RightFootEvents")):
        pairs = meta[key]
        for k, (_, hs) in enumerate(pairs):
            nxt = pairs[k + 1][0] / 100.0 if k + 1 < len(pairs) else np.nan
            to = nxt if nxt - hs / 100.0 < 1.2 else np.nan
            truth.append(TrueStep(side, hs / 100.0, to))
    lo, hi = (b / 100.0 for b in meta["TrialBoundaries"])
    result = analyze(blocks)
    return step_errors(result, truth, (lo, hi + 0.5), tol_s=0.1), result.alignment
