"""Running contact detection: initial contact is the landing's jolt, not what comes before.

In running the foot's pitch peaks tens of ms before the sole touches and the foot turns
toes-down fast into the landing: that can jolt the pod a little (a pre-contact jolt), and the
pitch peak is not the contact (walking's soft-landing rule must not apply). After a heel
strike the forefoot slaps down: a second impact of the same order, which must not move IC.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_walking_events import run_detector

from drivers.types import FloatArray
from processing.stages.alignment import second_difference
from processing.stages.gait_events import GaitEventStage
from processing.stages.gait_phases import LobeTracker

RATE_HZ = 200.0
STRIDE_S = 0.72
CONTACT_S = 0.25  # duty factor 0.35: a run
START_S = 1.0


def _lobe(phase: FloatArray, start_s: float, stop_s: float, peak_dps: float) -> FloatArray:
    inside = (phase >= start_s) & (phase < stop_s)
    return np.where(inside, peak_dps * np.sin(np.pi * (phase - start_s) / (stop_s - start_s)), 0)


def running(
    strides: int,
    pre_jolt: float = 0.0,
    slap: float = 0.0,
    landing: tuple[float, ...] = (300_000.0, 200_000.0, 100_000.0),
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Synthetic running strides (t, w, impact, score); ICs at START_S + k·STRIDE_S.

    Per stride from IC: slap plantarflexion (0–40 ms), foot flat, push-off (0.12–0.25 s),
    swing dorsiflexion, a terminal swing still turning toes-up until 30 ms before IC (the
    pitch peak), then toes-down into the landing. The landing's jolt is at IC (the
    ``landing`` levels, one per sample); ``pre_jolt`` adds a jolt of that level (g/s², two
    samples) 35 ms before IC, ``slap`` one of three samples 40 ms after IC.
    """
    t = np.arange(int((START_S + strides * STRIDE_S + 0.3) * RATE_HZ)) / RATE_HZ
    k = np.arange(t.size) - round(START_S * RATE_HZ)
    per_stride = round(STRIDE_S * RATE_HZ)
    phase = np.where(k >= 0, (k % per_stride) / RATE_HZ, -1.0)
    w = (
        _lobe(phase, 0.0, 0.04, -300.0)
        + _lobe(phase, 0.12, CONTACT_S, -600.0)
        + _lobe(phase, CONTACT_S, 0.55, 700.0)
        + np.where((phase >= 0.55) & (phase < STRIDE_S - 0.03), 100.0, 0.0)
        + np.where(phase >= STRIDE_S - 0.03, -150.0, 0.0)
    )
    impact = np.full(t.size, 500.0)
    ics = np.arange(strides) * per_stride + round(START_S * RATE_HZ)
    for j, level in enumerate(landing):
        impact[ics + j] = level
    for offset_s, level, samples in ((-0.035, pre_jolt, 2), (0.04, slap, 3)):
        at = ics[1:] + round(offset_s * RATE_HZ)
        for j in range(samples):
            impact[at + j] = np.maximum(impact[at + j], level)
    score = np.where((phase > 0.05) & (phase < 0.1), 5.0, np.abs(w) + 50.0)
    return t, w, impact, score


def contacts(signals: tuple[FloatArray, ...], chunk: int) -> tuple[FloatArray, FloatArray]:
    """IC and TO times found when the signals are fed ``chunk`` samples at a time."""
    return run_detector(signals, chunk, RATE_HZ)


def true_ics(strides: int) -> FloatArray:
    return START_S + STRIDE_S * np.arange(1, strides)


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_contact_is_the_landing_not_the_jolt_before_it(chunk: int) -> None:
    strides = 8
    ics, _ = contacts(running(strides, pre_jolt=40_000.0), chunk)
    assert ics.size == strides - 1
    # From the second landing on the gait is known to be a run: no pitch-peak rule either.
    assert np.abs(ics[1:] - true_ics(strides)[1:]).max() <= 0.5 / RATE_HZ + 1e-9


def test_without_the_wait_the_pre_contact_jolt_would_have_fired() -> None:
    """The pre-contact jolt is strong enough to fire a contact on its own."""
    strides = 8
    detector_ics, _ = contacts(running(strides, pre_jolt=40_000.0), 10_000)
    no_wait = GaitEventStage(RATE_HZ, settle_s=0.0)
    t, w, impact, score = running(strides, pre_jolt=40_000.0)
    no_wait.update(t, w, impact, score, 0)
    early = np.array([e.ic_s for e in no_wait.events_ if e.to_s is None])
    assert np.median(early[1:] - true_ics(strides)[1:]) < -0.025
    assert np.abs(detector_ics[1:] - true_ics(strides)[1:]).max() < 0.005


@pytest.mark.parametrize("chunk", [1, 10_000])
def test_forefoot_slap_after_a_heel_strike_does_not_move_contact(chunk: int) -> None:
    strides = 8
    ics, _ = contacts(running(strides, slap=700_000.0), chunk)  # 3.5 times the landing
    assert np.abs(ics[1:] - true_ics(strides)[1:]).max() <= 0.5 / RATE_HZ + 1e-9


def test_a_jolt_that_grows_keeps_its_onset_and_its_toe_off() -> None:
    """A landing whose jolt starts small and grows more than fivefold within a sample of its
    onset is one contact: the stronger sample keeps the first onset, and the toe-off is
    paired with that contact. (The jolt fires at its second sample with its first as onset;
    the third is over five times stronger and, alone, would start one sample later.)"""
    strides = 8
    t, w, impact, score = running(strides, landing=(20_000.0, 90_000.0, 445_000.0))
    detector = GaitEventStage(RATE_HZ)
    detector.update(t, w, impact, score, 0)
    ics = [e.ic_s for e in detector.events_ if e.to_s is None]
    to_pairs = [e.ic_s for e in detector.events_ if e.to_s is not None]
    assert np.abs(np.array(ics[1:]) - true_ics(strides)[1:]).max() <= 0.5 / RATE_HZ + 1e-9
    assert to_pairs == ics  # every contact, the last included, ends with its own toe-off


def test_running_gait_is_judged_from_the_duty_factor() -> None:
    detector = GaitEventStage(RATE_HZ)
    t, w, impact, score = running(6)
    detector.update(t, w, impact, score, 0)
    assert detector.running_


def test_toe_off_is_where_a_plateau_of_plantarflexion_ends() -> None:
    t = np.arange(100) / RATE_HZ
    w = np.full(100, 0.0)
    w[20:60] = -400.0  # push-off at a steady rate, the toes still on the ground
    w[40] = -410.0  # its most negative sample, early in the plateau
    w[60:70] = np.linspace(-300.0, -60.0, 10)  # braking once the toes are off
    lobes = LobeTracker(50.0)
    lobes.update(t, w)
    assert lobes.cand_t == pytest.approx(t[59])


def test_second_difference_ignores_timestamp_jitter_and_counts_dropped_samples() -> None:
    rng = np.random.default_rng(3)
    n = 200
    true_t = np.arange(n) / RATE_HZ
    acc = np.zeros((n, 3))
    acc[:, 0] = -5.0 * np.sin(2 * np.pi * 1.4 * true_t)  # a smooth 5 g swing deceleration
    stamped = true_t + rng.uniform(-0.0017, 0.0017, n)  # stamped on arrival
    jittered = second_difference(acc, stamped, RATE_HZ)
    smooth = second_difference(acc, true_t, RATE_HZ)
    assert np.allclose(jittered, smooth)
    keep = np.ones(n, dtype=bool)
    keep[100] = False  # one dropped sample
    dropped = second_difference(acc[keep], stamped[keep], RATE_HZ)
    assert dropped.max() < 1.5 * smooth.max()
