"""Walking contact detection: a swing needs a real forward swing of the foot.

In walking the heel strike makes the pod ring; the ringing can swing the sagittal gyro past
the swing threshold for a sample or two after ``min_stance_s``. Such a rebound turns the foot
a few degrees, a swing 60–100°: only the latter may end a stance.
"""

from __future__ import annotations

import numpy as np
import pytest

from drivers.types import FloatArray
from processing.stages.gait_events import GaitEventStage
from processing.stages.gait_phases import PEAK_FRACTION, SwingOnsetTracker

RATE_HZ = 100.0
STRIDE_S = 1.1
# The push-off half-sine lobe (0.45–0.67 s) falls below PEAK_FRACTION of its peak here.
PUSH_OFF_END_S = 0.45 + 0.22 * (1.0 - np.arcsin(PEAK_FRACTION) / np.pi)


def _lobe(t: FloatArray, start_s: float, stop_s: float, peak_dps: float) -> FloatArray:
    """A half-sine lobe of angular velocity between start_s and stop_s."""
    inside = (t >= start_s) & (t < stop_s)
    return np.where(inside, peak_dps * np.sin(np.pi * (t - start_s) / (stop_s - start_s)), 0.0)


def walking(strides: int, rebound_dps: float = 350.0) -> tuple[FloatArray, ...]:
    """Synthetic walking strides (t, w, impact, score) starting with a stance at t = 1 s.

    Per stride from IC: loading plantarflexion (0–60 ms), a heel-strike rebound spike of
    ``rebound_dps`` at 100–110 ms, foot flat, push-off lobe (0.45–0.67 s, toe-off where its
    peak ends, see ``PUSH_OFF_END_S``), swing dorsiflexion (≈ 75°) and a slowing terminal swing; the
    landing jolt is at each IC.
    """
    t = np.arange(int((1.0 + strides * STRIDE_S + 0.5) * RATE_HZ)) / RATE_HZ
    phase = np.where(t >= 1.0, (t - 1.0) % STRIDE_S, -1.0)
    w = (
        _lobe(phase, 0.0, 0.06, -250.0)
        + np.where((phase >= 0.095) & (phase < 0.115), rebound_dps, 0.0)
        + _lobe(phase, 0.45, 0.67, -400.0)
        + _lobe(phase, 0.67, 1.0, 360.0)
        + _lobe(phase, 1.0, STRIDE_S, -80.0)
    )
    impact = np.full(t.size, 500.0)  # g/s², swing kinematics
    for k, level in enumerate((60000.0, 40000.0, 20000.0)):
        impact[np.isclose(phase, k / RATE_HZ) & (t < 1.0 + strides * STRIDE_S)] = level
    flat = (phase > 0.15) & (phase < 0.42)
    score = np.where(flat, 5.0, np.abs(w) + 50.0)
    return t, w, impact, score


def run_detector(
    signals: tuple[FloatArray, ...], chunk: int, rate_hz: float = RATE_HZ
) -> tuple[FloatArray, FloatArray]:
    """IC and TO times (s) found when the signals are fed ``chunk`` samples at a time."""
    t, w, impact, score = signals
    detector = GaitEventStage(rate_hz)
    ics, tos = [], []
    for k in range(0, t.size, chunk):
        part = slice(k, k + chunk)
        detector.update(t[part], w[part], impact[part], score[part], k)
        ics += [e.ic_s for e in detector.events_ if e.to_s is None]
        tos += [e.to_s for e in detector.events_ if e.to_s is not None]
    return np.array(ics), np.array(tos)


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_heel_strike_rebound_does_not_start_a_swing(chunk: int) -> None:
    strides = 8
    ics, tos = run_detector(walking(strides), chunk)
    true_ic = 1.0 + STRIDE_S * np.arange(1, strides)
    assert ics.size == true_ic.size  # no double contact after the rebound
    assert np.abs(ics - true_ic).max() < 0.01
    true_to = 1.0 + PUSH_OFF_END_S + STRIDE_S * np.arange(1, strides)  # the last swing: no IC
    assert tos.size == true_to.size
    assert np.abs(tos - true_to).max() < 0.011  # the push-off lobe, not the loading lobe


def test_swing_onset_needs_rotation_and_a_fast_sample() -> None:
    tracker = SwingOnsetTracker(RATE_HZ, min_swing_deg=15.0)
    t = np.arange(100) / RATE_HZ
    spike = np.zeros(100)
    spike[10:13] = 400.0  # 12° in a single run: impact ringing
    assert tracker.find(t, spike, spike > 100.0) is None
    slow = np.full(100, 50.0)  # 50° of slow drift, never fast
    tracker.reset()
    assert tracker.find(t, slow, slow > 100.0) is None
    swing = _lobe(t, 0.2, 0.5, 300.0)
    tracker.reset()
    onset = tracker.find(t, swing, swing > 100.0)
    assert onset is not None
    first = int(np.flatnonzero(swing > 100.0)[0])
    assert onset.t0_s == t[first]
    turned_deg = np.sum(swing[first : onset.index + 1]) / RATE_HZ  # from the first fast sample
    assert 15.0 <= turned_deg < 15.0 + 300.0 / RATE_HZ


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_swing_onset_does_not_depend_on_chunking(seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(400) / RATE_HZ
    w = _lobe(t, 0.5, 0.6, 200.0) + _lobe(t, 1.2, 1.35, 250.0) + _lobe(t, 2.0, 2.4, 300.0)
    w += rng.normal(0.0, 3.0, t.size)
    fast = w > 100.0
    whole = SwingOnsetTracker(RATE_HZ, 15.0).find(t, w, fast)
    assert whole is not None
    tracker, start, found = SwingOnsetTracker(RATE_HZ, 15.0), 0, None
    while found is None and start < t.size:
        stop = start + int(rng.integers(1, 30))
        hit = tracker.find(t[start:stop], w[start:stop], fast[start:stop])
        found = (start + hit.index, hit.t0_s, hit.peak_dps) if hit else None
        start = stop
    assert found == (whole.index, whole.t0_s, whole.peak_dps)


def test_swing_onset_is_counted_within_one_run() -> None:
    """A fast spike, then a slow dorsiflexion run: the two never add up."""
    t = np.arange(100) / RATE_HZ
    w = np.zeros(100)
    w[10:12] = 400.0  # 8°, fast
    w[20:60] = 40.0  # 16°, slow
    assert SwingOnsetTracker(RATE_HZ, 15.0).find(t, w, w > 100.0) is None
