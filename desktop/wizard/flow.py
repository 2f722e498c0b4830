"""The calibration wizard's and the re-check's logic, without Qt (the dialogs render it).

``CalibrationFlow`` runs the wizard's steps on a live session, polled by ``tick()``:

1. **stand**: asks the pipeline to recalibrate, shows each pod's stillness and counts down
   3 s of continuous stillness (starting again on movement); the step ends once every pod's
   calibration is newer than when the step began. A simulated runner is asked to stand
   (``LiveSession.ask_runner_to_stand``); after ``HINT_AFTER_S`` of sample time without
   stillness, ``hint`` says what to do (and a simulated runner is asked again).
2. **move** (optional, ``skip()`` leaves it): walk or run until every pod's alignment is
   decided.
3. **summary**: each pod's axes in words.

A trunk or pelvis pod whose forward direction is in doubt (ambiguous, or its cues disagree)
is named with the reason on steps 2 and 3, and the wizard can ask (``ask_lean``): **lean**
has the runner lean forward and hold still; that lean's direction is the pod's forward
(``processing.calibration_check.forward_from_lean``), confirmed to the pipeline.

``RecheckFlow`` counts down the same stillness (and asks and hints the same way), then
compares that standing with the calibration standing per pod
(``processing.calibration_check.check_slip``).

If the session's processing is rebuilt (real pods coming or going) the flow starts over.
"""

from __future__ import annotations

import enum
import math

from desktop.wizard.session_probe import (
    ask_runner_to_stand,
    gait_pipeline,
    latest_samples,
    live_session,
    pod_stillness,
)
from drivers.types import Placement
from processing.calibration_check import (
    LEAN_CONFIRM_DEG,
    LEAN_MAX_DEG,
    POD_NAMES,
    SLIP_THRESHOLD_DEG,
    STANDING_S,
    PodCalibration,
    SlipResult,
    Stillness,
    StillnessCheck,
    StillnessCountdown,
    check_slip,
    forward_from_lean,
    pod_calibrations,
    recalibrated,
    stale,
    undecided_segments,
)
from processing.pipeline import GaitPipeline
from processing.stages.alignment import AlignmentStatus


class Step(enum.Enum):
    STAND = "stand"
    MOVE = "move"
    SUMMARY = "summary"
    LEAN = "lean"  # confirming forward by a lean
    RESULT = "result"  # the re-check's


MOVEMENT = ("turning", "moving")  # Stillness reasons that start the count again
NO_PODS = "No pods are streaming: connect pods first (Pods…)."
HINT_AFTER_S = 10.0  # of sample time on the stillness step without a complete count
LEAN_ASK = (
    "Ask the runner to stand tall, then lean the trunk forward from the hips (about 15°) "
    "and hold still for 3 s."
)
STILL_HINT = (
    f"Still moving after {HINT_AFTER_S:.0f} s — ask the runner to stand still, feet apart, "
    "arms relaxed."
)


def stillness_words(s: Stillness, is_stale: bool) -> str:
    if is_stale:
        return "no recent samples — is the pod on and connected?"
    if s.still:
        return f"still · {s.gyro_dps:.0f} °/s"
    if s.reason == "turning":
        return f"turning {s.gyro_dps:.0f} °/s — hold still"
    if s.reason == "moving":
        return f"moving ({s.acc_dev_g:.2f} g off 1 g) — hold still"
    return s.reason


class _StillnessFlow:
    """Shared by both flows: the session, its pipeline now, stillness and the countdown."""

    def __init__(self, session: object, check: StillnessCheck | None = None) -> None:
        self.session = session
        self.check = check or StillnessCheck()
        self.countdown = StillnessCountdown(STANDING_S, lead_s=self.check.window_s)
        self.pipeline: GaitPipeline | None = None
        self.stillness: dict[Placement, Stillness] = {}
        self.stale: set[Placement] = set()
        self.message = ""
        self.hint = ""
        self.step = Step.STAND
        self.stand_from_s: float | None = None  # sample time the stillness step began
        self._asked = 0  # stand requests since then

    def _poll_stillness(self) -> bool:
        """Update stillness and the countdown; False if there is no live pipeline."""
        live = live_session(self.session)
        pipeline = gait_pipeline(live) if live is not None else None
        if live is None or pipeline is None:
            self.pipeline, self.stillness, self.message = None, {}, NO_PODS
            return False
        if pipeline is not self.pipeline:
            self.pipeline = pipeline
            self.restart()
        self.stillness = pod_stillness(live, self.check)
        self.stale = stale(self.stillness)
        moving = any(s.reason in MOVEMENT for s in self.stillness.values())
        unknown = self.stale or any(not s.still for s in self.stillness.values())
        latest = self.latest_t_s()
        if latest is not None and (moving or not unknown):  # no news: the count holds
            self.countdown.update(latest, not moving)
        self._update_hint(latest)
        return True

    def restart(self) -> None:
        """Begin the stillness step again (a simulated runner is asked to stand)."""
        self.countdown.reset()
        self.step = Step.STAND
        self.stand_from_s, self.hint = None, ""
        self._asked = 1 if ask_runner_to_stand(self.session) else 0

    def _update_hint(self, latest: float | None) -> None:
        """Hint after ``HINT_AFTER_S`` on the stillness step without stillness, and ask a
        simulated runner to stand again every ``HINT_AFTER_S``."""
        if self.step is not Step.STAND or latest is None:
            self.hint = ""
            return
        if self.stand_from_s is None:
            self.stand_from_s = latest
        waited = latest - self.stand_from_s
        stuck = waited >= HINT_AFTER_S
        self.hint = STILL_HINT if stuck and self.countdown.still_since_s is None else ""
        if stuck and self._asked and waited >= HINT_AFTER_S * self._asked:
            self._asked += 1
            ask_runner_to_stand(self.session)

    def latest_t_s(self) -> float | None:
        """The newest sample time of any pod (None before samples)."""
        times = [s.latest_t_s for s in self.stillness.values() if math.isfinite(s.latest_t_s)]
        return max(times) if times else None

    def pod_words(self) -> dict[Placement, str]:
        return {p: stillness_words(s, p in self.stale) for p, s in self.stillness.items()}

    def _stand_message(self) -> str:
        if self.stale:
            names = ", ".join(POD_NAMES[p] for p in sorted(self.stale))
            return f"Waiting for samples from the {names}."
        moving = [POD_NAMES[p] for p, s in self.stillness.items() if not s.still]
        if moving:
            return f"Hold still — movement at the {', '.join(moving)}."
        if self.countdown.done:
            return "Hold still — finishing the calibration…"
        return f"Hold still… {self.countdown.remaining_s:.1f} s"


class CalibrationFlow(_StillnessFlow):
    """The wizard's three steps (see the module docstring)."""

    def __init__(self, session: object, check: StillnessCheck | None = None) -> None:
        super().__init__(session, check)
        self.baseline: dict[Placement, PodCalibration] = {}
        self.calibrations: dict[Placement, PodCalibration] = {}
        self.calibrated: set[Placement] = set()
        self.requested = False
        self.move_from_s: float | None = None  # sample time the walking step began
        self.lean_deg: dict[Placement, float] = {}  # the lean seen on the lean step
        self.confirmed: set[Placement] = set()  # forward confirmed by a lean
        self._doubts: dict[Placement, str] = {}  # why each pod's forward was in doubt

    def restart(self) -> None:
        """Begin step 1 again: ask for a new calibration from the next quiet standing."""
        super().restart()
        pipeline = self.pipeline
        self.requested = pipeline is not None
        if pipeline is not None:
            self.baseline = pod_calibrations(pipeline)
            pipeline.request_calibration()
        self.calibrated = set()
        self.confirmed, self.lean_deg, self._doubts = set(), {}, {}

    def in_doubt(self) -> dict[Placement, str]:
        """Trunk and pelvis pods whose forward direction has been in doubt (ambiguous, or
        its cues disagreed; a later attempt on standing says nothing new) and is still not
        decided, with the reason."""
        return {
            p: why
            for p, why in self._doubts.items()
            if p in self.calibrations and self.calibrations[p].status is not AlignmentStatus.DECIDED
        }

    def ask_lean(self) -> None:
        """Confirm the doubtful pods' forward direction by a forward lean (step **lean**)."""
        if self.in_doubt() and self.step in (Step.MOVE, Step.SUMMARY):
            self.step = Step.LEAN
            self.countdown.reset()
            self.lean_deg = {}

    def skip(self) -> None:
        """Leave the functional step: go to the summary with what is known."""
        if self.step is Step.MOVE:
            self.step = Step.SUMMARY

    def tick(self) -> None:
        if not self._poll_stillness() or self.pipeline is None:
            return
        self.calibrations = pod_calibrations(self.pipeline)
        self.calibrated = recalibrated(self.baseline, self.calibrations)
        self._doubts.update(undecided_segments(self.calibrations))
        if self.step is Step.LEAN:
            self._check_lean()
        if self.step is Step.STAND and self.calibrated >= set(self.calibrations):
            self.step = Step.MOVE
            self.move_from_s = self.latest_t_s()
        if self.step is Step.MOVE and all(
            c.status is AlignmentStatus.DECIDED for c in self.calibrations.values()
        ):
            self.step = Step.SUMMARY
        self.message = self._message()

    def _check_lean(self) -> None:
        """Once the doubtful pods have been still for the count, their lean tells forward:
        confirmed if large enough, else the count starts again."""
        live = live_session(self.session)
        doubtful = self.in_doubt()
        if live is None or self.pipeline is None or not doubtful:
            self.step = Step.SUMMARY
            return
        samples = latest_samples(live, 1.0)
        for placement in doubtful:
            block = samples.get(placement)
            if block is not None and len(block):
                up = self.calibrations[placement].up_sensor
                self.lean_deg[placement] = forward_from_lean(up, block.acc_g)[1]
        if not self.countdown.done:
            return
        found = {p: forward_from_lean(self.calibrations[p].up_sensor, samples[p].acc_g)[0]
                 for p in doubtful if p in samples and len(samples[p])}  # fmt: skip
        if found and all(f is not None for f in found.values()):
            for placement, forward in found.items():
                assert forward is not None
                self.pipeline.confirm_forward(placement, forward)
                self.confirmed.add(placement)
            self.step = Step.SUMMARY
        else:
            self.countdown.reset()

    def _lean_message(self) -> str:
        doubtful = self.in_doubt()
        names = ", ".join(POD_NAMES[p] for p in doubtful)
        if not doubtful:
            return "Forward confirmed."
        if self.countdown.still_since_s is not None:
            return f"Hold the lean… {self.countdown.remaining_s:.1f} s"
        return f"Confirming forward for the {names}. {LEAN_ASK}"

    def lean_words(self) -> dict[Placement, str]:
        """The lean step, per doubtful pod: how far it leans now."""
        out = {}
        for placement in self.in_doubt():
            lean = self.lean_deg.get(placement)
            if lean is None:
                out[placement] = "waiting for samples"
            elif lean < LEAN_CONFIRM_DEG:
                out[placement] = f"leaning {lean:.0f}° — lean further forward"
            elif lean > LEAN_MAX_DEG:
                out[placement] = f"tilted {lean:.0f}° — too far: has the pod moved?"
            else:
                out[placement] = f"leaning {lean:.0f}° — hold still"
        return out

    def _message(self) -> str:
        if self.step is Step.STAND:
            return self._stand_message()
        if self.step is Step.LEAN:
            return self._lean_message()
        if self.step is Step.MOVE:
            left = [
                c for c in self.calibrations.values() if c.status is not AlignmentStatus.DECIDED
            ]
            names = ", ".join(POD_NAMES[c.placement] for c in left)
            start, now = self.move_from_s, self.latest_t_s()
            so_far = f" ({now - start:.0f} s so far)" if start is not None and now else ""
            return f"Walk or run at an easy pace{so_far} — still looking at the {names}."
        doubtful = self.in_doubt()
        if doubtful:
            names = "; ".join(f"{POD_NAMES[p]}: {why}" for p, why in doubtful.items())
            return (f"Ambiguous forward direction ({names}). Confirm it: have the runner lean "
                    "forward briefly (Confirm by leaning), or check the strap.")  # fmt: skip
        undecided = sum(c.status is not AlignmentStatus.DECIDED for c in self.calibrations.values())
        if undecided:
            pods = f"{undecided} pod{'s' if undecided > 1 else ''}"
            return (f"Calibrated. {pods} still need walking or running to find their axes "
                    "(they will, during the run).")  # fmt: skip
        return "Calibrated and aligned: every pod's axes are known. Ready to record."

    def move_words(self) -> dict[Placement, str]:
        """Step 2, per pod: where its alignment stands."""
        words = {
            AlignmentStatus.WAITING_FOR_STANDING: "not calibrated",
            AlignmentStatus.PENDING: "finding the forward direction…",
            AlignmentStatus.AMBIGUOUS: "direction unclear — keep going; check the strap",
        }
        doubtful = self.in_doubt()
        return {
            p: f"axes found · quality {c.quality:.2f}"
            if c.status is AlignmentStatus.DECIDED
            else f"ambiguous — {doubtful[p]}"
            if p in doubtful
            else words[c.status]
            for p, c in self.calibrations.items()
        }


class RecheckFlow(_StillnessFlow):
    """Quiet standing again, compared with the calibration standing."""

    def __init__(
        self,
        session: object,
        threshold_deg: float = SLIP_THRESHOLD_DEG,
        check: StillnessCheck | None = None,
    ) -> None:
        super().__init__(session, check)
        self.threshold_deg = threshold_deg
        self.results: list[SlipResult] = []

    def restart(self) -> None:
        super().restart()
        self.results = []

    def tick(self) -> None:
        if self.step is Step.RESULT:
            return
        live = live_session(self.session)
        if not self._poll_stillness() or live is None or self.pipeline is None:
            return
        if self.countdown.done:
            standing = latest_samples(live, STANDING_S)
            self.results = check_slip(pod_calibrations(self.pipeline), standing,
                                      self.threshold_deg)  # fmt: skip
            self.step = Step.RESULT
            moved = [r for r in self.results if r.moved]
            self.message = (
                f"{len(moved)} pod{'s' if len(moved) > 1 else ''} moved: re-strap, then "
                "recalibrate." if moved else "Every pod is where it was at calibration."
            )  # fmt: skip
            return
        self.message = self._stand_message()
