"""The wide simulator conditions appear in the signals as asked, and truth stays exact.

Each condition (``drivers.sim.conditions``) is checked in the pod signals themselves: the
terminal-swing deceleration in the shoe's acceleration before contact, the pitch peak in
the truth and the gyro, the impact peak, the trunk pod's level as rigid-body lever arm, the
flexion phase, the noise measured while standing.
"""

from __future__ import annotations

import numpy as np
import pytest

from drivers.sim.conditions import DEFAULT_CONDITIONS, Conditions, TerminalSwing
from drivers.sim.mounting import identity_mounting
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.types import Placement

RATE = 1000.0
T = np.arange(4.0, 9.0, 1.0 / RATE)
SHOE = Placement.RIGHT_SHOE


def model(name: str = "heel-striker-guarded", **conditions: object) -> RunnerModel:
    return RunnerModel(
        get_profile(name), seed=4, mounting=identity_mounting(), noise=False, saturate=False,
        conditions=Conditions(**conditions),  # type: ignore[arg-type]
    )  # fmt: skip


def world_acc_g(m: RunnerModel, placement: Placement, t: np.ndarray) -> np.ndarray:
    """Acceleration in world axes, g, gravity removed (noise-free, identity mounting)."""
    rot = m.segment_orientation(placement, t)
    return np.einsum("nij,nj->ni", rot, m.samples(placement, t).acc_g) - [0.0, 0.0, 1.0]


def right_contacts(m: RunnerModel) -> list[float]:
    return [s.ic_s for s in m.steps_between(5.0, 8.5) if s.side == "right"]


def test_default_conditions_change_nothing() -> None:
    plain = RunnerModel(get_profile("mixed"), seed=2)
    explicit = RunnerModel(get_profile("mixed"), seed=2, conditions=DEFAULT_CONDITIONS)
    for placement in Placement:
        a, b = plain.samples(placement, T), explicit.samples(placement, T)
        np.testing.assert_array_equal(a.acc_g, b.acc_g)
        np.testing.assert_array_equal(a.gyro_dps, b.gyro_dps)


@pytest.mark.parametrize("name", ["heel-striker-guarded", "forefoot-relaxed"])
@pytest.mark.parametrize("decel_g", [3.0, 10.0])
def test_terminal_swing_deceleration_is_in_the_shoe_signal_before_contact(
    name: str, decel_g: float
) -> None:
    m = model(name, terminal_swing=TerminalSwing(decel_g))
    acc = world_acc_g(m, SHOE, T)
    for ic in right_contacts(m):
        before = (ic - 0.04 <= T) & (ic - 0.001 > T)
        assert -acc[before, 0].min() == pytest.approx(decel_g, abs=max(0.15 * decel_g, 0.6))


def test_without_the_condition_the_last_40_ms_decelerate_less() -> None:
    m = model()
    acc = world_acc_g(m, SHOE, T)
    for ic in right_contacts(m):
        before = (ic - 0.04 <= T) & (ic - 0.001 > T)
        assert -acc[before, 0].min() < 4.0


@pytest.mark.parametrize("lead_s", [0.015, 0.045])
def test_pitch_peaks_before_contact_and_the_toes_come_down_at_contact(lead_s: float) -> None:
    m = model("midfoot", terminal_swing=TerminalSwing(6.0, pitch_lead_s=lead_s))
    pitch = m.segment_angles_deg(SHOE, T)[:, 0]
    gyro_y = m.samples(SHOE, T).gyro_dps[:, 1]  # toes-down is + about the foot's y axis
    for step in [s for s in m.steps_between(5.0, 8.5) if s.side == "right"]:
        near = (step.ic_s - 0.1 <= T) & (step.ic_s >= T)
        peak_s = T[near][np.argmax(pitch[near])]
        assert step.ic_s - peak_s == pytest.approx(lead_s, abs=0.006)
        at_ic = int(np.searchsorted(T, step.ic_s))
        assert gyro_y[at_ic - 1] > 50.0  # still rotating toes-down as the sole touches
        # truth stays exact: the FSA is the pitch at contact
        exact = m.segment_angles_deg(SHOE, np.array([step.ic_s]))[0, 0]
        assert exact == pytest.approx(step.fsa_deg, abs=1e-9)


@pytest.mark.parametrize("peak_g", [2.0, 15.0])
def test_impact_peak_is_as_asked_and_starts_at_contact(peak_g: float) -> None:
    """The only difference a landing peak makes is the transient after each contact."""
    low, high = model(impact_peak_g=1.0), model(impact_peak_g=peak_g)
    diff = np.linalg.norm(world_acc_g(high, SHOE, T) - world_acc_g(low, SHOE, T), axis=1)
    for ic in right_contacts(low):
        after = (ic <= T) & (ic + 0.05 > T)
        assert diff[after].max() == pytest.approx(peak_g - 1.0, rel=0.02)
        assert diff[(ic - 0.05 <= T) & (ic > T)].max() < 1e-6


def test_t1_and_l5_pods_differ_by_the_trunks_rotation_about_their_lever() -> None:
    """One rigid trunk: same rates and angles, specific force differs by ``dw/dt x d +
    w x (w x d)`` with ``d`` the 0.5 m between the levels; T1 sees more of the pitching."""
    t1, l5 = model(trunk_pod_level="T1"), model(trunk_pod_level="L5")
    a, b = t1.samples(Placement.TRUNK, T), l5.samples(Placement.TRUNK, T)
    np.testing.assert_allclose(a.gyro_dps, b.gyro_dps, atol=1e-9)
    np.testing.assert_allclose(
        t1.segment_angles_deg(Placement.TRUNK, T), l5.segment_angles_deg(Placement.TRUNK, T)
    )
    d = t1.conditions.trunk_pod_m() - l5.conditions.trunk_pod_m()
    assert d[2] == pytest.approx(0.5)
    w = np.radians(a.gyro_dps)
    dw = np.gradient(w, 1.0 / RATE, axis=0)
    expected = (np.cross(dw, d) + np.cross(w, np.cross(w, d))) / 9.80665
    measured = a.acc_g - b.acc_g
    inner = slice(5, -5)
    np.testing.assert_allclose(measured[inner], expected[inner], atol=0.01)
    assert np.std(measured[:, 0]) > 0.02  # the pitching's tangential part is visible


@pytest.mark.parametrize("phase_deg", [0.0, 90.0, 180.0, 270.0])
def test_flexion_peaks_the_asked_share_of_a_step_after_mid_stance(phase_deg: float) -> None:
    m = model(trunk_flex_phase_deg=phase_deg)
    p = m.profile
    for step in m.steps_between(5.0, 8.0):
        mid = step.ic_s + 0.5 * p.contact_ms / 1000.0
        near = np.arange(mid - 0.05, mid + 0.05 + p.step_period_s, 1.0 / RATE)
        flex = m.segment_angles_deg(Placement.TRUNK, near)[:, 0]
        lag_s = near[np.argmax(flex)] - mid
        expected_s = phase_deg / 360.0 * p.step_period_s
        period = p.step_period_s  # the peak of one step or the next: compare on the circle
        off_s = (lag_s - expected_s + 0.5 * period) % period - 0.5 * period
        assert abs(off_s) < 0.035
    means = [s.trunk_flex_mean_deg for s in m.strides_between(5.0, 8.0)]
    assert np.mean(means) == pytest.approx(p.trunk_flex_mean_deg, abs=0.2)


def test_each_pod_has_its_own_accelerometer_noise_while_standing() -> None:
    asked = {Placement.TRUNK: 0.002, Placement.PELVIS: 0.025,
             Placement.LEFT_SHOE: 0.012, Placement.RIGHT_SHOE: 0.019}  # fmt: skip
    m = RunnerModel(get_profile("midfoot"), seed=1, standing_s=6.0,
                    conditions=Conditions(acc_noise_g=asked))  # fmt: skip
    standing = np.arange(0.0, 5.0, 1.0 / 200.0)
    for placement, noise_g in asked.items():
        acc = m.samples(placement, standing).acc_g
        sd = np.diff(acc, axis=0).std(axis=0) / np.sqrt(2.0)  # white noise, not the sway
        np.testing.assert_allclose(sd, noise_g, rtol=0.1)


def test_conditions_refuse_what_they_cannot_simulate() -> None:
    with pytest.raises(ValueError, match=r"T1\.\.T12"):
        Conditions(trunk_pod_level="C7")
    with pytest.raises(ValueError, match="decel_g"):
        TerminalSwing(40.0)
