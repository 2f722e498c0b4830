"""Retraining feedback: which steps and strides call for a cue, and when one is given.

Two parts, both plain code:

* ``FeedbackBands`` is **bandwidth feedback**: a value outside its band is a fault, one
  inside calls for nothing. The conditions are a rearfoot strike, a trunk twist range below
  its band (the "guarded" trunk of runners with low back pain, Seay et al. 2011), and a
  trunk lean outside its band (Teng & Powers 2015 compare about 4° with about 11° of mean
  trunk flexion).
* ``FeedbackSchedule`` is a list of blocks, each with a share of due cues that are given.
  It covers constant feedback (1.0), **faded** feedback (shares stepping down, e.g.
  1.0 → 0.5 → 0), and **retention** blocks with feedback off (0.0), the structures
  gait-retraining studies use.

  The cues given are spread evenly, not drawn at random: at 50%, every other due cue is
  given, so a runner can rely on the schedule.

``FeedbackController`` joins the two with ``processing.cue_pacing``: a value outside its
band makes a cue *due* only when the fault persists over the last gait cycles and the
last due cue is far enough back (3 s, 6 s for the same kind, by default). It takes the
engine's events in order and returns the cues to give now, and it counts due and given
cues per block for the report. Sound and on-screen display belong to the UI.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from processing.cue_pacing import MIN_GAP_S, CuePacer, CuePacing
from processing.events import GaitEvent, StrideEvent, StrikeEvent, StrikeType

CUE_EVENT = "feedback_cue"  # a recording's event for each cue given
# The recording markers feedback writes:
START_MARKER = "feedback start:"  # "feedback start: faded"
BLOCK_MARKER = "feedback block:"  # "feedback block: faded 50%"
STOP_MARKER = "feedback stop"  # "feedback stop (given 12 of 20 over the run)"
TALLY_MARKER = "feedback tally at recording stop:"  # "…: faded 50%, given 3 of 5"


def is_feedback_marker(text: str) -> bool:
    """Whether a recording marker was written by retraining feedback, not by a person."""
    return text.startswith((START_MARKER, BLOCK_MARKER, STOP_MARKER, TALLY_MARKER))


class CueKind(enum.StrEnum):
    REARFOOT = "rearfoot strike"
    GUARDED_TWIST = "trunk twist low"
    LEAN_LOW = "trunk lean low"
    LEAN_HIGH = "trunk lean high"


MESSAGES = {
    CueKind.REARFOOT: "Land further forward on the foot",
    CueKind.GUARDED_TWIST: "Let the trunk rotate",
    CueKind.LEAN_LOW: "Lean a little forward",
    CueKind.LEAN_HIGH: "Run a little taller",
}


@dataclass(frozen=True)
class Cue:
    kind: CueKind
    t_s: float
    side: str
    value: float  # the value that left its band (deg), nan for a strike type

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]


@dataclass(frozen=True)
class FeedbackBands:
    """What counts as outside the band; None switches a cue off."""

    rearfoot: bool = True
    twist_min_deg: float | None = 8.0
    lean_deg: tuple[float, float] | None = (5.0, 15.0)

    def due(self, event: GaitEvent) -> list[Cue]:
        """The cues ``event`` calls for (empty if it is inside every band)."""
        if isinstance(event, StrikeEvent):
            return self._strike(event)
        if isinstance(event, StrideEvent):
            return self._stride(event)
        return []  # a StepEvent refines a strike already judged at contact

    def checked(self, event: GaitEvent) -> list[CueKind]:
        """The kinds of cue ``event`` gives a value for, inside its band or not."""
        if isinstance(event, StrikeEvent):
            return [CueKind.REARFOOT] if self.rearfoot else []
        if not isinstance(event, StrideEvent):
            return []
        kinds = []
        if self.twist_min_deg is not None and event.trunk_rot_rom_deg is not None:
            kinds.append(CueKind.GUARDED_TWIST)
        if self.lean_deg is not None and event.trunk_flex_mean_deg is not None:
            kinds += [CueKind.LEAN_LOW, CueKind.LEAN_HIGH]
        return kinds

    def _strike(self, event: StrikeEvent) -> list[Cue]:
        if self.rearfoot and event.strike is StrikeType.REARFOOT:
            return [Cue(CueKind.REARFOOT, event.ic_s, event.side.value, event.fsa_deg)]
        return []

    def _stride(self, event: StrideEvent) -> list[Cue]:
        cues = []
        twist = event.trunk_rot_rom_deg
        if self.twist_min_deg is not None and twist is not None and twist < self.twist_min_deg:
            cues.append(Cue(CueKind.GUARDED_TWIST, event.end_s, event.side.value, twist))
        lean = event.trunk_flex_mean_deg
        if self.lean_deg is not None and lean is not None:
            low, high = self.lean_deg
            if lean < low:
                cues.append(Cue(CueKind.LEAN_LOW, event.end_s, event.side.value, lean))
            elif lean > high:
                cues.append(Cue(CueKind.LEAN_HIGH, event.end_s, event.side.value, lean))
        return cues


@dataclass(frozen=True)
class Block:
    """``duration_s`` of running in which ``share`` of the due cues are given."""

    name: str
    duration_s: float
    share: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"block {self.name!r}: share must be between 0 and 1")
        if self.duration_s <= 0.0:
            raise ValueError(f"block {self.name!r}: duration must be positive")


@dataclass(frozen=True)
class FeedbackSchedule:
    """Blocks in order from the schedule's start; after the last, its share holds."""

    blocks: tuple[Block, ...]

    @classmethod
    def constant(cls, share: float = 1.0) -> FeedbackSchedule:
        return cls((Block("feedback", float("inf"), share),))

    @classmethod
    def faded(
        cls, block_s: float = 300.0, shares: Sequence[float] = (1.0, 0.5, 0.0),
        retention_s: float = 300.0,
    ) -> FeedbackSchedule:  # fmt: skip
        """Feedback fading over blocks of ``block_s`` (e.g. every cue → half → none), then a
        retention block with feedback off."""
        blocks = [Block(f"faded {round(100 * s)}%", block_s, s) for s in shares]
        if retention_s > 0:
            blocks.append(Block("retention", retention_s, 0.0))
        return cls(tuple(blocks))

    def block_at(self, elapsed_s: float) -> int:
        """Index of the block running ``elapsed_s`` after the start (the last one after)."""
        end = 0.0
        for i, block in enumerate(self.blocks):
            end += block.duration_s
            if elapsed_s < end:
                return i
        return len(self.blocks) - 1


@dataclass
class BlockTally:
    due: int = 0
    given: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class FeedbackController:
    """Turns events into cues to give, per ``bands``, ``pacing`` and ``schedule`` from
    ``start_s``."""

    def __init__(
        self, bands: FeedbackBands, schedule: FeedbackSchedule, start_s: float = 0.0,
        pacing: CuePacing | None = None,
    ) -> None:  # fmt: skip
        self.bands = bands
        self.schedule = schedule
        self.start_s = start_s
        self.pacer = CuePacer(pacing or CuePacing())
        self.tallies = [BlockTally() for _ in schedule.blocks]
        self._credit: dict[CueKind, float] = {}
        self._block = -1

    def update(self, events: Iterable[GaitEvent]) -> list[Cue]:
        """The cues to give for ``events`` (in publication order)."""
        given = []
        for event in events:
            for cue in self._due(event):
                if self._give(cue):
                    given.append(cue)
        return given

    def _due(self, event: GaitEvent) -> list[Cue]:
        """The cues ``event`` makes due: its faults that persist and are spaced enough."""
        faults = {cue.kind: cue for cue in self.bands.due(event)}
        side, t_s = event.side.value, _event_s(event)
        due = []
        for kind in self.bands.checked(event):
            cue = faults.get(kind)
            if self.pacer.admit(kind.value, side, t_s, cue is not None) and cue is not None:
                due.append(cue)
        return due

    def block_name(self, t_s: float) -> str:
        return self.schedule.blocks[self.schedule.block_at(t_s - self.start_s)].name

    def _give(self, cue: Cue) -> bool:
        index = self.schedule.block_at(cue.t_s - self.start_s)
        if index != self._block:  # a new block: its share starts from a clean slate
            self._block, self._credit = index, {}
        share = self.schedule.blocks[index].share
        tally = self.tallies[index]
        tally.due += 1
        credit = self._credit.get(cue.kind, 0.0) + share
        give = credit >= 1.0 - 1e-9
        self._credit[cue.kind] = credit - 1.0 if give else credit
        if give:
            tally.given += 1
            tally.by_kind[cue.kind.value] = tally.by_kind.get(cue.kind.value, 0) + 1
        return give


def _event_s(event: GaitEvent) -> float:
    return event.end_s if isinstance(event, StrideEvent) else event.ic_s


# ------------------------------------------------------------------ settings and status
SCHEDULE_KINDS = ("constant", "faded")
_DEFAULT_BANDS = FeedbackBands()
_DEFAULT_LEAN = _DEFAULT_BANDS.lean_deg or (5.0, 15.0)


@dataclass(frozen=True)
class FeedbackSettings:
    """What the clinician chose: which cues, their thresholds and the schedule.

    ``schedule`` is ``constant`` (every due cue) or ``faded`` (100% → 50% → 0% over blocks
    of ``block_min`` minutes); with ``retention`` a block of the same length with feedback
    off follows (a constant schedule without retention runs until stopped). Due cues are at
    least ``cue_gap_s`` apart, the same kind twice that (``CuePacing.spaced``).
    """

    rearfoot: bool = _DEFAULT_BANDS.rearfoot
    twist: bool = True
    twist_min_deg: float = _DEFAULT_BANDS.twist_min_deg or 8.0
    lean: bool = True
    lean_low_deg: float = _DEFAULT_LEAN[0]
    lean_high_deg: float = _DEFAULT_LEAN[1]
    schedule: str = "constant"
    block_min: float = 5.0
    retention: bool = True
    cue_gap_s: float = MIN_GAP_S

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULE_KINDS:
            raise ValueError(f"schedule must be one of {SCHEDULE_KINDS}, not {self.schedule!r}")
        if self.block_min <= 0:
            raise ValueError("block length must be positive")
        if self.lean_low_deg >= self.lean_high_deg:
            raise ValueError("the lean band's low edge must be below its high edge")
        if self.cue_gap_s < 0:
            raise ValueError("the gap between cues must not be negative")

    def bands(self) -> FeedbackBands:
        return FeedbackBands(
            rearfoot=self.rearfoot,
            twist_min_deg=self.twist_min_deg if self.twist else None,
            lean_deg=(self.lean_low_deg, self.lean_high_deg) if self.lean else None,
        )

    def pacing(self) -> CuePacing:
        return CuePacing.spaced(self.cue_gap_s)

    def make_schedule(self) -> FeedbackSchedule:
        block_s = 60.0 * self.block_min
        retention_s = block_s if self.retention else 0.0
        if self.schedule == "faded":
            return FeedbackSchedule.faded(block_s, retention_s=retention_s)
        if not self.retention:
            return FeedbackSchedule.constant()
        return FeedbackSchedule((Block("constant 100%", block_s, 1.0),
                                 Block("retention", retention_s, 0.0)))  # fmt: skip

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeedbackSettings:
        """Settings from ``to_dict`` output (or stored strings); unknown or malformed
        entries keep their defaults, and an inconsistent whole gives the defaults."""
        default = cls()
        values: dict[str, object] = {}
        for name in cls.__dataclass_fields__:
            if name in data:
                parsed = _parse_like(getattr(default, name), data[name])
                if parsed is not None:
                    values[name] = parsed
        try:
            return cls(**values)  # type: ignore[arg-type]
        except ValueError:
            return default


def _parse_like(default: object, value: object) -> object | None:
    """``value`` (maybe a string from a settings file) as the type of ``default``."""
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in ("true", "1", "yes")
            return bool(value)
        if isinstance(default, float):
            number = float(value)  # type: ignore[arg-type]
            return number if number == number else None  # no NaN
        return str(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class FeedbackStatus:
    """The running block at ``now_s``: its name, share of cues given, and the tally."""

    block: str
    index: int
    blocks: int
    share: float
    due: int
    given: int
    elapsed_s: float  # in the block
    left_s: float  # until the block ends (inf for an open-ended one)
    finished: bool  # past the end of the last block of a finite schedule
    run_due: int = 0  # over every block of the run so far
    run_given: int = 0


def feedback_status(controller: FeedbackController, now_s: float) -> FeedbackStatus:
    """Where ``controller``'s schedule is at ``now_s`` (session time)."""
    blocks = controller.schedule.blocks
    elapsed = max(0.0, now_s - controller.start_s)
    index = controller.schedule.block_at(elapsed)
    start = sum(b.duration_s for b in blocks[:index])
    end = start + blocks[index].duration_s
    tally = controller.tallies[index]
    return FeedbackStatus(
        block=blocks[index].name,
        index=index,
        blocks=len(blocks),
        share=blocks[index].share,
        due=tally.due,
        given=tally.given,
        elapsed_s=elapsed - start,
        left_s=max(0.0, end - elapsed),
        finished=elapsed >= end,
        run_due=sum(t.due for t in controller.tallies),
        run_given=sum(t.given for t in controller.tallies),
    )
