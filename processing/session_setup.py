"""A treadmill session's setup, without Qt: the runner, notes, stages and marker presets.

* The runner is named by a pseudonymous id (``R-017``): letters, digits, ``-``, ``_``,
  ``.``, no spaces, at most ``MAX_ID_CHARS``. ``suggest_runner_id`` proposes the next one.
* Stages are treadmill speed (km/h) and incline (%). Starting a stage during a recording
  adds the marker ``stage 2: 12.0 km/h, 1 %`` (``stage_marker``); ``parse_stage_marker``
  reads it back, so a report can split a recording by stage.
* The setup goes into a recording's header: ``runner_id``, ``notes`` and, in ``extra``,
  ``{"session_setup": {"stages": [{"speed_kmh", "incline_pct"}, …], "marker_presets": […]}}``.
* ``to_dict`` / ``from_dict`` round-trip it for storage (the app keeps it in QSettings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_ID_CHARS = 32
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
DEFAULT_MARKER_PRESETS = (
    "speed +",
    "speed −",
    "shoe change",
    "incline +",
    "incline −",
    "fatigue",
    "discomfort / pain",
    "form cue given",
    "note",
)
PRESET_COUNT = 9  # keys 1–9
MAX_SPEED_KMH = 30.0
INCLINE_RANGE_PCT = (-10.0, 30.0)
_STAGE_MARKER = re.compile(
    r"^stage (\d+): (-?\d+(?:\.\d+)?) km/h, ([-−]?\d+(?:\.\d+)?) %$"
)  # fmt: skip


def runner_id_problem(text: str) -> str | None:
    """Why ``text`` is not a usable runner id, or None if it is."""
    text = text.strip()
    if not text:
        return "Enter a pseudonymous runner id, e.g. R-017"
    if len(text) > MAX_ID_CHARS:
        return f"At most {MAX_ID_CHARS} characters"
    if not ID_PATTERN.fullmatch(text):
        return "Use letters, digits, - _ . only (no spaces), e.g. R-017"
    return None


def suggest_runner_id(previous: str = "") -> str:
    """The id after ``previous`` (``R-017`` → ``R-018``, width kept), else ``R-001``."""
    match = re.fullmatch(r"(.*?)(\d+)", previous.strip())
    if not match or runner_id_problem(previous) is not None:
        return "R-001"
    prefix, digits = match.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


@dataclass(frozen=True)
class TreadmillStage:
    speed_kmh: float
    incline_pct: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.speed_kmh <= MAX_SPEED_KMH:
            raise ValueError(f"speed {self.speed_kmh} km/h is outside 0–{MAX_SPEED_KMH:g}")
        low, high = INCLINE_RANGE_PCT
        if not low <= self.incline_pct <= high:
            raise ValueError(f"incline {self.incline_pct} % is outside {low:g}–{high:g}")

    def words(self) -> str:
        """``12.0 km/h, 1 %``"""
        incline = round(self.incline_pct, 1)
        return f"{self.speed_kmh:.1f} km/h, {incline + 0.0:g} %"


def stage_marker(number: int, stage: TreadmillStage) -> str:
    """The recording marker that starts stage ``number`` (from 1)."""
    return f"stage {number}: {stage.words()}"


def parse_stage_marker(text: str) -> tuple[int, TreadmillStage] | None:
    """The stage number and stage a ``stage_marker`` names; None for any other marker."""
    match = _STAGE_MARKER.match(text.strip())
    if match is None:
        return None
    number, speed, incline = match.groups()
    return int(number), TreadmillStage(float(speed), float(incline.replace("−", "-")))


@dataclass(frozen=True)
class SessionSetup:
    runner_id: str = ""
    notes: str = ""
    stages: tuple[TreadmillStage, ...] = ()
    marker_presets: tuple[str, ...] = DEFAULT_MARKER_PRESETS
    slip_threshold_deg: float = 5.0

    def header_extra(self) -> dict[str, Any]:
        """What goes into a recording header's ``extra``."""
        return {
            "session_setup": {
                "stages": [
                    {"speed_kmh": s.speed_kmh, "incline_pct": s.incline_pct} for s in self.stages
                ],
                "marker_presets": list(self.marker_presets),
            }
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "runner_id": self.runner_id,
            "notes": self.notes,
            "stages": [[s.speed_kmh, s.incline_pct] for s in self.stages],
            "marker_presets": list(self.marker_presets),
            "slip_threshold_deg": self.slip_threshold_deg,
        }

    @classmethod
    def from_dict(cls, data: object) -> SessionSetup:
        """The setup stored by ``to_dict``; anything missing or malformed takes its default
        (a damaged settings file must not stop the app)."""
        if not isinstance(data, dict):
            return cls()
        runner = str(data.get("runner_id", "")).strip()
        stages = []
        for row in data.get("stages", []) if isinstance(data.get("stages"), list) else []:
            try:
                stages.append(TreadmillStage(float(row[0]), float(row[1])))
            except (TypeError, ValueError, IndexError):
                continue
        presets = data.get("marker_presets")
        try:
            slip = float(data.get("slip_threshold_deg", 5.0))
        except (TypeError, ValueError):
            slip = 5.0
        return cls(
            runner_id=runner if runner_id_problem(runner) is None else "",
            notes=str(data.get("notes", "")),
            stages=tuple(stages),
            marker_presets=normalised_presets(presets if isinstance(presets, list) else []),
            slip_threshold_deg=slip if 0.5 <= slip <= 45.0 else 5.0,
        )


def normalised_presets(texts: list[object]) -> tuple[str, ...]:
    """Exactly ``PRESET_COUNT`` presets: the texts given (stripped), blanks and missing ones
    filled with the defaults."""
    out = []
    for i in range(PRESET_COUNT):
        text = str(texts[i]).strip() if i < len(texts) else ""
        out.append(text or DEFAULT_MARKER_PRESETS[i])
    return tuple(out)


class StageTracker:
    """Which stage is running: 0 before the first. ``advance`` starts the next planned stage
    (or ``extra``, appended to the plan, once the plan is used up)."""

    def __init__(self, stages: tuple[TreadmillStage, ...] = ()) -> None:
        self.stages = list(stages)
        self.current = 0

    def next_planned(self) -> TreadmillStage | None:
        return self.stages[self.current] if self.current < len(self.stages) else None

    def advance(self, extra: TreadmillStage | None = None) -> tuple[int, TreadmillStage] | None:
        stage = self.next_planned()
        if stage is None:
            if extra is None:
                return None
            self.stages.append(extra)
            stage = extra
        self.current += 1
        return self.current, stage

    def marker(self) -> str | None:
        """The current stage's marker, None before the first stage."""
        if self.current == 0:
            return None
        return stage_marker(self.current, self.stages[self.current - 1])
