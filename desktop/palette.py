"""The colours and font sizes of the dark clinical theme, as plain values (no Qt here)."""

from __future__ import annotations

from drivers.types import Placement, PodState
from processing.events import Side, StrikeType

BACKGROUND = "#12161c"
PANEL = "#1b2129"
PANEL_BORDER = "#2a323d"
PLOT_BACKGROUND = "#161b22"
GRID = "#2c3440"
TEXT = "#e8ecf1"
TEXT_MUTED = "#8c97a6"
TEXT_DIM = "#5d6775"

STRIKE_COLOURS = {
    StrikeType.REARFOOT: "#ff6a3d",  # orange-red
    StrikeType.MIDFOOT: "#ffc233",  # amber
    StrikeType.FOREFOOT: "#35d07f",  # green
}
NO_STRIKE_COLOUR = TEXT_DIM

STATE_COLOURS = {
    PodState.STREAMING: "#35d07f",
    PodState.CONNECTING: "#8c97a6",
    PodState.LOST: "#ff4d4f",
    PodState.STOPPED: "#5d6775",
}
ABSENT_COLOUR = "#3a434f"
RECORDING_COLOUR = "#ff5c5c"
WARNING_COLOUR = "#ffb74d"
USER_MARKER_COLOUR = "#ffd54f"  # markers added by the user (recording / timeline)

SIDE_COLOURS = {Side.LEFT: "#4fc3f7", Side.RIGHT: "#f06ba8"}
TRUNK_COLOUR = "#7fd4c8"
PELVIS_COLOUR = "#b39ddb"
IN_PHASE_COLOUR = "#64b5f6"  # coordination bins; pelvis-/trunk-phase use the segment colours
ANTI_PHASE_COLOUR = "#ffab40"

PLACEMENT_COLOURS = {
    Placement.TRUNK: TRUNK_COLOUR,
    Placement.PELVIS: PELVIS_COLOUR,
    Placement.LEFT_SHOE: SIDE_COLOURS[Side.LEFT],
    Placement.RIGHT_SHOE: SIDE_COLOURS[Side.RIGHT],
}

FONT_FAMILY = "DejaVu Sans, Noto Sans, Segoe UI, Helvetica, Arial, sans-serif"
STRIKE_TYPE_PX = 64  # the strike type a runner reads from 2 m (shrunk to fit)
STRIKE_FSA_PX = 96
METRIC_VALUE_PX = 26


def mix(colour: str, background: str, amount: float) -> str:
    """``colour`` blended over ``background`` by ``amount`` in [0, 1], as #rrggbb."""
    amount = min(1.0, max(0.0, amount))
    fg = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    bg = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    out = [round(b + (f - b) * amount) for f, b in zip(fg, bg, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in out)
