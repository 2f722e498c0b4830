"""gaitdeck's own simulator under wide conditions (issue 12, item 5): the physics the
literature reports, not just the four profiles' comfortable defaults.

Each session ``k`` draws its conditions from ``numpy.random.default_rng([k, WIDE_KEY])``
(so the table is the same on every run): profile, rate (50-416 Hz), random strap
orientations (the model's own, by seed), terminal-swing deceleration 3-10 g with the pitch
peaking 10-50 ms before contact, landing impact 2-15 g, trunk pod anywhere from T1 to L5,
flexion-oscillation phase 0-360°, accelerometer noise 2-25 mg per pod, and one of three
timelines (by ``k % 3``):

* ``start``: 0-6 s of standing, then running to the end;
* ``late``: no standing at the start, 30 s of running, 2-4 s of standing, running again;
* ``bouts``: 0-6 s of standing, then bouts of 10-20 s with 1-4 s standing between, one of
  them a shuttle with a 180° turn.

Scored exactly as the own-sim table (accuracy_gaitdeck_sim: steps matched within 60 ms,
contact time, stride ranges, mean-flexion sign). Per session a context line says what was
drawn and how many steps each side found.

Run alone: python benchmarks/accuracy_gaitdeck_wide.py [--sessions 12] [--seconds 60]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
from accuracy_gaitdeck_sim import (
    PROFILES,
    RATES_HZ,
    CaseErrors,
    case_row,
    contact_errors,
    stride_errors,
)
from accuracy_metrics import TrueStep, step_errors
from accuracy_table import Row, format_table

from drivers.sim.bouts import Bout, BoutSession
from drivers.sim.conditions import SPINE_LEVELS, Conditions, TerminalSwing
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.types import Placement
from processing.analysis import analyze

WIDE_KEY = 0x57DE
TIMELINES = ("start", "late", "bouts")


@dataclass(frozen=True)
class WideSession:
    """One drawn session: its runner, timeline and what to print about it."""

    profile: str
    rate_hz: int
    conditions: Conditions
    standing_s: float
    bouts: list[Bout]
    timeline: str

    def build(self, seed: int) -> BoutSession:
        runner = RunnerModel(get_profile(self.profile), seed, conditions=self.conditions)
        return BoutSession(runner, self.standing_s, self.bouts)

    def describe(self) -> str:
        plan = " | ".join(
            f"{b.run_s:.0f}s" + (f" turn {b.turn_deg:.0f}°" if b.turn_deg else "")
            + (f", stand {b.stand_s:.1f}s" if b.stand_s else "")
            for b in self.bouts[:-1]
        )  # fmt: skip
        timeline = f"{self.timeline}: standing {self.standing_s:.1f}s" + (
            f", bouts {plan}, then on" if plan else ""
        )
        return f"{self.profile} @{self.rate_hz} Hz; {timeline}; {self.conditions.describe()}"


def _timeline(kind: str, rng: np.random.Generator, seconds: float) -> tuple[float, list[Bout]]:
    if kind == "start":
        return float(rng.uniform(0.0, 6.0)), [Bout(np.inf)]
    if kind == "late":
        return 0.0, [Bout(30.0, float(rng.uniform(2.0, 4.0))), Bout(np.inf)]
    bouts, used = [], 0.0
    turn_at = int(rng.integers(2))
    while used < seconds - 25.0:
        run_s = float(rng.uniform(10.0, 20.0))
        stand_s = float(rng.uniform(1.0, 4.0))
        bouts.append(Bout(run_s, stand_s, 180.0 if len(bouts) == turn_at else 0.0))
        used += run_s + stand_s + 2.0
    return float(rng.uniform(0.0, 6.0)), [*bouts, Bout(np.inf)]


def draw_session(k: int, seconds: float) -> WideSession:
    rng = np.random.default_rng([k, WIDE_KEY])
    profile = PROFILES[int(rng.integers(len(PROFILES)))]
    rate = RATES_HZ[int(rng.integers(len(RATES_HZ)))]
    swing = TerminalSwing(float(rng.uniform(3.0, 10.0)), float(rng.uniform(0.01, 0.05)))
    conditions = Conditions(
        terminal_swing=swing,
        impact_peak_g=float(rng.uniform(2.0, 15.0)),
        trunk_pod_level=SPINE_LEVELS[int(rng.integers(len(SPINE_LEVELS)))],
        trunk_flex_phase_deg=float(rng.uniform(0.0, 360.0)),
        acc_noise_g={p: float(rng.uniform(0.002, 0.025)) for p in Placement},
    )
    kind = TIMELINES[k % len(TIMELINES)]
    standing_s, bouts = _timeline(kind, rng, seconds)
    return WideSession(profile, rate, conditions, standing_s, bouts, kind)


def wide_case(k: int, seconds: float) -> tuple[CaseErrors, str]:
    """Analyse session ``k``; its errors and its context line."""
    drawn = draw_session(k, seconds)
    session = drawn.build(seed=1000 + k)
    t = np.arange(round(seconds * drawn.rate_hz)) / drawn.rate_hz
    result = analyze({p: session.samples(p, t) for p in Placement})
    end = seconds - 0.5
    model_steps = session.steps_between(0.0, end)
    truth = [TrueStep(s.side, s.ic_s, s.to_s, s.fsa_deg, s.strike) for s in model_steps]
    errors = CaseErrors(steps=step_errors(result, truth, (0.0, end)))
    errors.contact_ms = contact_errors(result, model_steps)
    stride_errors(errors, result, session, seconds - 2.0)  # type: ignore[arg-type]
    found = ", ".join(
        f"{side} {sum(s.side.value == side for s in result.strikes)}/"
        f"{sum(s.side == side for s in model_steps)}"
        for side in ("left", "right")
    )
    flex_found, flex_true = errors.flex_means[-1]
    flex = (f"flex mean {flex_found:+.1f}° vs {flex_true:+.1f}°" if flex_found is not None
            else "no flex")  # fmt: skip
    return errors, f"{drawn.describe()}\n       found {found}; {flex}"


def gaitdeck_wide_rows(sessions: int, seconds: float) -> dict[str, object]:
    """One row per session, then the pooled row; context lines per session."""
    rows: list[tuple[str, Row]] = []
    context: dict[str, str] = {}
    overall = CaseErrors()
    for k in range(sessions):
        errors, line = wide_case(k, seconds)
        overall.add(errors)
        name = f"wide-{k:02d}"
        rows.append((name, case_row(errors)))
        context[name] = line
        print(f"  {name} done", flush=True)
    rows.append(("pooled", case_row(overall)))
    return {"rows": rows, "context": context}


def report_lines(result: dict[str, object], seconds: float) -> list[str]:
    rows = result["rows"]
    context = result["context"]
    assert isinstance(rows, list) and isinstance(context, dict)
    title = (f"gaitdeck simulator, wide conditions ({len(rows) - 1} seeded sessions × "
             f"{seconds:g} s; flip = mean trunk flexion sign wrong)")  # fmt: skip
    lines = [format_table(title, rows)]
    lines += [f"  {name}: {text}" for name, text in context.items()]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    result = gaitdeck_wide_rows(args.sessions, args.seconds)
    print("\n".join(report_lines(result, args.seconds)))


if __name__ == "__main__":
    main()
