"""A session stand-in for desktop tests: a real MetricsBoard fed with synthetic gait."""

from __future__ import annotations

import math

import numpy as np

from drivers.types import LinkStats, Placement, PodInfo, PodState
from processing import traces
from processing.board import MetricsBoard
from processing.events import (
    GaitEvent,
    Side,
    StepEvent,
    StrideEvent,
    StrikeEvent,
    StrikeThresholds,
)

MODEL = "WitMotion WT9011DCL"


def pod(placement: Placement, index: int = 1) -> PodInfo:
    return PodInfo(f"pod-{placement.value}", placement, MODEL, f"AA:BB:CC:00:00:{index:02X}", 200.0)


def stats(state: PodState = PodState.STREAMING, lost: int = 0) -> LinkStats:
    return LinkStats(state=state, samples=20_000, samples_lost=lost, effective_rate_hz=199.6)


def full_status() -> list[tuple[PodInfo, LinkStats]]:
    return [(pod(p, i + 1), stats()) for i, p in enumerate(Placement)]


class FakeSession:
    """Satisfies desktop.view_models.SessionView; ``status`` may be edited by the test."""

    def __init__(self, status: list[tuple[PodInfo, LinkStats]]) -> None:
        self.board = MetricsBoard()
        self.status = status
        self.started = self.stopped = self.calibrations = 0
        self.can_calibrate = True

    def pod_status(self) -> list[tuple[PodInfo, LinkStats]]:
        return list(self.status)

    def request_calibration(self) -> bool:
        if self.can_calibrate:
            self.calibrations += 1
        return self.can_calibrate

    def start(self) -> None:
        self.started += 1

    def stop(self) -> None:
        self.stopped += 1


def strike(side: Side, ic_s: float, fsa_deg: float) -> StrikeEvent:
    return StrikeEvent(side, ic_s, fsa_deg, StrikeThresholds().classify(fsa_deg))


def publish(board: MetricsBoard, events: list[GaitEvent], **metrics: float) -> None:
    board.publish(events, {}, metrics, 0)


class SyntheticRunner:
    """Publishes plausible traces and events for ``seconds`` of running at ~172 steps/min."""

    def __init__(self, board: MetricsBoard, rate_hz: float = 200.0, seed: int = 1) -> None:
        self.board = board
        self.rate_hz = rate_hz
        self.rng = np.random.default_rng(seed)
        self.t_s = 0.0
        self.step_s = 60.0 / 172.0
        self.next_ic_s = 0.2
        self.side = Side.LEFT
        self.last_ic = {Side.LEFT: -1.0, Side.RIGHT: -1.0}
        self.with_pelvis = True

    def run(self, seconds: float, block_s: float = 0.05) -> None:
        while self.t_s < seconds:
            self.advance(block_s)

    def advance(self, block_s: float) -> None:
        t = self.t_s + np.arange(1, round(block_s * self.rate_hz) + 1) / self.rate_hz
        self.t_s = float(t[-1])
        stride_phase = 2 * math.pi * t / (2 * self.step_s)
        out = {
            traces.SHOE_SAGITTAL_GYRO[Placement.LEFT_SHOE]: (t, self._gyro(stride_phase)),
            traces.SHOE_SAGITTAL_GYRO[Placement.RIGHT_SHOE]: (
                t,
                self._gyro(stride_phase + math.pi),
            ),
            traces.TRUNK_FLEXION: (t, 8 + 2.5 * np.sin(2 * stride_phase)),
            traces.TRUNK_ROTATION: (t, 9 * np.sin(stride_phase)),
        }
        if self.with_pelvis:
            out[traces.PELVIS_ROTATION] = (t, -7 * np.sin(stride_phase + 0.3))
        events: list[GaitEvent] = []
        while self.next_ic_s <= self.t_s:
            events.extend(self._step(self.next_ic_s))
            self.next_ic_s += self.step_s * (1 + 0.02 * self.rng.standard_normal())
        metrics = {traces.CADENCE_SPM: 60.0 / self.step_s}
        self.board.publish(events, out, metrics, len(t))

    def _gyro(self, phase: np.ndarray) -> np.ndarray:
        swing = 600 * np.sin(phase) + 250 * np.sin(2 * phase + 0.5)
        return swing + 15 * self.rng.standard_normal(len(phase))

    def _step(self, ic_s: float) -> list[GaitEvent]:
        side = self.side
        self.side = Side.RIGHT if side is Side.LEFT else Side.LEFT
        fsa = float(self.rng.normal(-4.0 if side is Side.LEFT else 3.0, 4.0))
        hit = strike(side, ic_s, fsa)
        contact_s = 0.24 + 0.01 * self.rng.standard_normal()
        events: list[GaitEvent] = [hit, StepEvent(side, ic_s, ic_s + contact_s, fsa, hit.strike)]
        previous, self.last_ic[side] = self.last_ic[side], ic_s
        if previous > 0:
            r = self.rng.normal
            pelvis = coordination(r(150.0, 5.0)) if self.with_pelvis else {}
            events.append(
                StrideEvent(
                    side, previous, ic_s,
                    trunk_flex_mean_deg=r(8.0, 0.4), trunk_flex_rom_deg=r(5.0, 0.5),
                    trunk_rot_rom_deg=r(18.0, 1.0), trunk_lat_rom_deg=r(9.0, 0.6),
                    pelvis_rot_rom_deg=r(14.0, 1.0) if self.with_pelvis else None,
                    trunk_bend_twist_crp_mean_deg=r(100.0, 3.0),
                    **pelvis,
                )
            )  # fmt: skip
        return events


def coordination(crp_deg: float, anti_phase_pct: float = 70.0) -> dict[str, float]:
    """Pelvis-dependent StrideEvent fields of a stride with this transverse CRP."""
    rest = (100.0 - anti_phase_pct) / 3
    return {
        "pelvis_tilt_rom_deg": 5.0, "pelvis_obliquity_rom_deg": 9.0,
        "pt_transverse_coupling_deg": 130.0, "pt_transverse_in_phase_pct": rest,
        "pt_transverse_anti_phase_pct": anti_phase_pct, "pt_transverse_pelvis_phase_pct": rest,
        "pt_transverse_trunk_phase_pct": rest, "pt_transverse_cav_deg": 2.5,
        "pt_transverse_crp_mean_deg": crp_deg, "pt_transverse_crp_sd_deg": 1.2,
        "pt_sagittal_crp_mean_deg": 12.0,
    }  # fmt: skip
