"""The simulated shoe: toe-off at the peak toes-down rate, smooth swing, strike-style impacts."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from drivers.sim.curves import STANDARD_GRAVITY_MPS2
from drivers.sim.foot import IMPACT_DIRECTION
from drivers.sim.impact import foot_impact, impact_acc_mps2
from drivers.sim.profiles import PROFILES
from drivers.sim.runner_model import RunnerModel, StepTruth, identity_mounting, simulate
from drivers.types import FloatArray, Placement, SampleBlock

RATE_HZ = 1000.0
RUN = (6.0, 19.0)  # after standing and run-up, before the end of the 20 s session
IMPACT_ZONE_S = 0.02  # the landing transient is allowed to be sharp within this of IC
SPIKE_RATIO = 5.0  # a sample this many times its neighbours' second difference is a spike
SPIKE_FLOOR_G = 0.002  # below this a second difference is noise-level, never a spike


@cache
def clean_run(name: str) -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    return simulate(
        name, 20.0, RATE_HZ, seed=4, mounting=identity_mounting(), noise=False, saturate=False
    )


def shoe_of(step: StepTruth) -> Placement:
    return Placement.LEFT_SHOE if step.side == "left" else Placement.RIGHT_SHOE


def window(block: SampleBlock, t0_s: float, t1_s: float) -> SampleBlock:
    lo, hi = np.searchsorted(block.t_s, [t0_s, t1_s])
    return block.slice(int(lo), int(hi))


def spike_ratio(acc_g: FloatArray) -> FloatArray:
    """Per sample (first and last excluded), ‖a[k+1] - 2a[k] + a[k-1]‖ over the larger of the
    same two samples away on either side (plus a floor). A jerk step (a kink in the
    acceleration) puts its whole second difference in one or two samples: a large ratio.
    Smooth (C3) motion changes it gradually: a ratio near 1."""
    d2 = np.linalg.norm(acc_g[2:] - 2.0 * acc_g[1:-1] + acc_g[:-2], axis=1)
    padded = np.pad(d2, 2, mode="edge")
    around = np.maximum(padded[:-4], padded[4:])
    return np.asarray(d2 / (around + SPIKE_FLOOR_G), dtype=np.float64)


def away_from_contacts(model: RunnerModel, t_s: FloatArray) -> FloatArray:
    ics = np.array([s.ic_s for s in model.steps_between(0.0, 21.0)])
    gap = np.min(np.abs(t_s[:, None] - ics[None, :]), axis=1)
    return np.asarray((gap > IMPACT_ZONE_S) & (t_s > RUN[0]) & (t_s < RUN[1]))


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_toe_off_is_at_the_peak_toes_down_rate(name: str) -> None:
    """Falbriard et al. (2018): the foot's sagittal rate is most toes-down at toe-off; the
    lowest pitch (-60..-75°) follows early in swing."""
    data, model = clean_run(name)
    for step in model.steps_between(*RUN):
        block = window(data[shoe_of(step)], step.to_s - 0.15, step.to_s + 0.1)
        pitch_rate = -block.gyro_dps[:, 1]  # toes up = -y rotation
        assert abs(block.t_s[np.argmin(pitch_rate)] - step.to_s) <= 0.005
        assert pitch_rate.min() < -600.0
        pitch = model.segment_angles_deg(shoe_of(step), block.t_s)[:, 0]
        lowest = int(np.argmin(pitch))
        assert -75.0 <= pitch[lowest] <= -60.0
        assert 0.02 <= block.t_s[lowest] - step.to_s <= 0.08
        at_to = model.segment_angles_deg(shoe_of(step), np.array([step.to_s]))[0, 0]
        assert -60.0 < at_to < -35.0


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_contact_times_follow_the_profile(name: str) -> None:
    _, model = clean_run(name)
    contact_ms = [1000.0 * (s.to_s - s.ic_s) for s in model.steps_between(*RUN)]
    assert float(np.mean(contact_ms)) == pytest.approx(PROFILES[name].contact_ms, rel=0.03)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_foot_acceleration_has_no_isolated_spikes_outside_contacts(name: str) -> None:
    data, model = clean_run(name)
    for shoe in (Placement.LEFT_SHOE, Placement.RIGHT_SHOE):
        block = data[shoe]
        ratio = spike_ratio(block.acc_g)
        away = away_from_contacts(model, block.t_s[1:-1])
        worst = int(np.argmax(np.where(away, ratio, 0.0)))
        assert ratio[worst] < SPIKE_RATIO, (shoe, float(block.t_s[worst + 1]))


def test_spike_check_finds_a_kink_in_terminal_swing() -> None:
    """The check has teeth: a jerk step of 1000 m/s³ (the size of the old knots' kinks) 0.1 s
    before contact is found."""
    data, model = clean_run("midfoot")
    for step in model.steps_between(*RUN)[:10]:
        block = data[shoe_of(step)]
        kink_s = step.ic_s - 0.1 + 0.0004
        ramp = np.maximum(block.t_s - kink_s, 0.0) * 1000.0 / STANDARD_GRAVITY_MPS2
        kinked = block.acc_g + np.outer(ramp, [1.0, 0.0, 0.0])
        near = np.abs(block.t_s[1:-1] - kink_s) < 0.002
        assert spike_ratio(kinked)[near].max() > SPIKE_RATIO


def transient_g(step: StepTruth) -> tuple[FloatArray, FloatArray]:
    """Times since contact (s) and the shoe's landing transient alone (n, 3), g."""
    t = np.arange(0.0, 0.1, 1e-4)
    impact = foot_impact(np.full(len(t), step.fsa_deg))
    return t, impact_acc_mps2(t, impact, IMPACT_DIRECTION) / STANDARD_GRAVITY_MPS2


def test_impact_depends_on_strike_style() -> None:
    _, model = clean_run("mixed")
    peaks: dict[str, list[float]] = {}
    for step in model.steps_between(*RUN):
        peak = float(np.linalg.norm(transient_g(step)[1], axis=1).max())
        peaks.setdefault(step.strike, []).append(peak)
    mean = {k: float(np.mean(v)) for k, v in peaks.items()}
    assert 5.0 <= mean["rearfoot"] <= 10.0
    assert 2.0 <= mean["forefoot"] <= 5.0
    assert mean["rearfoot"] > mean["midfoot"] > mean["forefoot"]
    assert min(peaks["forefoot"]) >= 2.0


@pytest.mark.parametrize("name", ["heel-striker-guarded", "forefoot-relaxed"])
def test_impact_rings_at_15_to_30_hz(name: str) -> None:
    _, model = clean_run(name)
    for step in model.steps_between(*RUN)[:6]:
        t, acc = transient_g(step)
        vertical = acc[:, 2]
        crossings = t[1:-1][np.diff(np.sign(vertical[1:])) != 0]  # vertical[0] is 0
        freq_hz = 1.0 / (2.0 * float(np.diff(crossings[:3]).mean()))
        assert 15.0 <= freq_hz <= 30.0


def test_shoe_sees_the_landing_in_its_signal() -> None:
    """Specific force at the shoe in the 30 ms after contact: a heel strike several g above a
    forefoot landing, which still shows a clear transient."""
    for name, low, high in (("heel-striker-guarded", 6.0, 16.0), ("forefoot-relaxed", 2.5, 8.0)):
        data, model = clean_run(name)
        for step in model.steps_between(*RUN):
            block = window(data[shoe_of(step)], step.ic_s, step.ic_s + 0.03)
            assert low <= np.linalg.norm(block.acc_g, axis=1).max() <= high, name
