"""Retraining cues per minute on each simulated runner, with the default feedback settings.

Each profile is simulated (seeded, random strap orientations), analysed by the same
GaitPipeline as live processing, and its strikes and strides are fed in time order to a
``FeedbackController`` with the default bands and a constant schedule (every due cue
given). Two pacings are compared: ``every fault`` (each step or stride outside its band is
a cue, as before cue pacing) and the default pacing (a fault persisting over 3 of the last
5 values, due cues >= 3 s apart, a kind >= 6 s). "banner %" is the share of the time the
cue banner is on screen (it shows for HOLD + FADE after each cue moment).

Run: python benchmarks/bench_feedback_cues.py [--seconds 120] [--seeds 2]
"""

from __future__ import annotations

import argparse
from collections import Counter

from common import report

from drivers.sim.runner_model import simulate
from processing.analysis import analyze
from processing.cue_pacing import CuePacing
from processing.events import StrideEvent, StrikeEvent
from processing.feedback import Cue, FeedbackController, FeedbackSettings

PROFILES = ("heel-striker-guarded", "forefoot-relaxed", "midfoot", "mixed")
BANNER_S = 1.45  # desktop.widgets.cue: HOLD_MS + FADE_MS


def event_s(event: StrikeEvent | StrideEvent) -> float:
    return event.ic_s if isinstance(event, StrikeEvent) else event.end_s


def cues_for(events: list[StrikeEvent | StrideEvent], pacing: CuePacing) -> list[Cue]:
    settings = FeedbackSettings(retention=False)
    controller = FeedbackController(settings.bands(), settings.make_schedule(), 0.0, pacing)
    return controller.update(events)


def banner_share(cues: list[Cue], duration_s: float) -> float:
    """Share of ``duration_s`` the banner shows (cues at one moment share one banner)."""
    shown, until = 0.0, -1.0
    for t in sorted(c.t_s for c in cues):
        shown += BANNER_S - max(0.0, until - t)
        until = t + BANNER_S
    return min(1.0, shown / duration_s)


def measure(profile: str, seconds: float, seed: int) -> dict[str, object]:
    blocks, _ = simulate(profile, seconds, 100.0, seed=seed)
    result = analyze(blocks)
    events = sorted([*result.strikes, *result.strides], key=event_s)
    running_s = event_s(events[-1]) - event_s(events[0]) if events else seconds
    row: dict[str, object] = {"profile": profile, "seed": seed, "running_s": round(running_s, 1)}
    for name, pacing in (("every_fault", CuePacing.every_fault()),
                         ("default", FeedbackSettings().pacing())):  # fmt: skip
        cues = cues_for(events, pacing)
        row[f"{name}_per_min"] = round(60.0 * len(cues) / running_s, 1)
        row[f"{name}_banner_pct"] = round(100.0 * banner_share(cues, running_s), 1)
        row[f"{name}_kinds"] = dict(Counter(c.kind.value for c in cues))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    rows = [measure(p, args.seconds, seed) for p in PROFILES for seed in range(1, args.seeds + 1)]
    print(f"{'profile':22} seed  cues/min before → after   banner % before → after")
    for r in rows:
        print(f"{r['profile']:22} {r['seed']:>4}  {r['every_fault_per_min']:>11} → "
              f"{r['default_per_min']:<6} {r['every_fault_banner_pct']:>14} → "
              f"{r['default_banner_pct']}   {r['default_kinds']}")  # fmt: skip
    report("feedback_cues", {"seconds": args.seconds, "rows": rows})


if __name__ == "__main__":
    main()
