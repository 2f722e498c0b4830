"""Streaming equals offline with a late calibration: a recording whose runner runs first and
stands still only later replays with the same steps, strides and angles as ``analyze`` gives
(both start from the file's first quiet standing, ``late_standing.start_from``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from waiting import replayed

from drivers.imports.pod_csv import write_pod_folder
from drivers.sim.runner_model import simulate
from processing.events import StepEvent, StrideEvent, StrikeEvent
from processing.report import load_report_session

RUN_S, STAND_FROM_S, END_S = 0.0, 20.0, 27.0  # running from the first sample, then a standing


def gaitdeck(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "import sys; from desktop.cli import main; "
               "sys.exit(main(sys.argv[1:]))", *args]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def late_standing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pod CSVs of a run with no standing before it (standing from 20 s), imported."""
    folder = tmp_path_factory.mktemp("late")
    blocks, _ = simulate("heel-striker-guarded", END_S, 100.0, seed=21, standing_s=RUN_S,
                         stop_s=STAND_FROM_S)  # fmt: skip
    write_pod_folder(folder / "csv", blocks)
    path = folder / "late.gdrec"
    run = gaitdeck("import", str(folder / "csv"), "--out", str(path))
    assert run.returncode == 0, run.stderr
    return path


def test_replay_gives_the_steps_analyze_gives_before_the_standing(late_standing: Path) -> None:
    offline = load_report_session(late_standing).result
    events, zero = replayed(late_standing)
    strikes = [e for e in events if isinstance(e, StrikeEvent)]
    steps = [e for e in events if isinstance(e, StepEvent)]
    strides = [e for e in events if isinstance(e, StrideEvent)]
    # the running before the standing is analysed, offline and replayed
    early = [s for s in offline.steps if s.ic_s < STAND_FROM_S - 1.0]
    assert len(early) > 35

    def keyed(items: list[StepEvent]) -> list[tuple[str, float, float, str]]:
        return sorted((s.side.value, round(s.ic_s, 6), round(s.fsa_deg, 6), s.strike.value)
                      for s in items)  # fmt: skip

    assert keyed([_at(s, -zero) for s in steps]) == keyed(offline.steps)
    assert sorted((s.side.value, round(s.ic_s - zero, 6)) for s in strikes) == sorted(
        (s.side.value, round(s.ic_s, 6)) for s in offline.strikes
    )
    assert len(strides) == len(offline.strides) > 30
    for live, off in zip(sorted(strides, key=lambda s: (s.start_s, s.side.value)),
                         sorted(offline.strides, key=lambda s: (s.start_s, s.side.value)),
                         strict=True):  # fmt: skip
        assert live.start_s - zero == pytest.approx(off.start_s, abs=1e-6)
        for name in ("trunk_flex_mean_deg", "trunk_rot_rom_deg", "pelvis_rot_rom_deg"):
            a, b = getattr(live, name), getattr(off, name)
            assert (a is None) == (b is None), (name, off.start_s)
            if a is not None:
                assert a == pytest.approx(b, abs=0.05), (name, off.start_s)


def _at(step: StepEvent, shift_s: float) -> StepEvent:
    return StepEvent(step.side, step.ic_s + shift_s, step.to_s + shift_s, step.fsa_deg,
                     step.strike)  # fmt: skip
