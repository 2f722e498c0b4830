"""The colours and font sizes of the two themes, dark and light, as plain values (no Qt).

Every colour is a module attribute (``palette.TEXT``…) read when something is drawn, so
``use("light")`` switches what the next paint uses; ``desktop.theme`` then restyles what
was styled once (style sheets, plot backgrounds). Both themes have the same names.
"""

from __future__ import annotations

from drivers.types import Placement, PodState
from processing.events import Side, StrikeType

DARK = "dark"
LIGHT = "light"

_BASE = {
    DARK: {
        "BACKGROUND": "#12161c", "PANEL": "#1b2129", "PANEL_BORDER": "#2a323d",
        "PLOT_BACKGROUND": "#161b22", "GRID": "#2c3440", "TEXT": "#e8ecf1",
        "TEXT_MUTED": "#8c97a6", "TEXT_DIM": "#5d6775", "REARFOOT": "#ff6a3d",
        "MIDFOOT": "#ffc233", "FOREFOOT": "#35d07f", "LOST": "#ff4d4f", "ABSENT": "#3a434f",
        "RECORDING": "#ff5c5c", "WARNING": "#ffb74d", "USER_MARKER": "#ffd54f",
        "LEFT": "#4fc3f7", "RIGHT": "#f06ba8", "TRUNK": "#7fd4c8", "PELVIS": "#b39ddb",
        "IN_PHASE": "#64b5f6", "ANTI_PHASE": "#ffab40", "REFERENCE": "#c5cae9",
        "BAND": "#7fd4c8", "CUE_BACKGROUND": "#ffd54f", "CUE_TEXT": "#101317",
    },
    LIGHT: {
        "BACKGROUND": "#eef1f5", "PANEL": "#ffffff", "PANEL_BORDER": "#d3d9e1",
        "PLOT_BACKGROUND": "#fbfcfd", "GRID": "#dde2e9", "TEXT": "#17202b",
        "TEXT_MUTED": "#5a6573", "TEXT_DIM": "#97a1ae", "REARFOOT": "#e0461b",
        "MIDFOOT": "#c98a00", "FOREFOOT": "#1d9d5a", "LOST": "#d9302f", "ABSENT": "#c3cad3",
        "RECORDING": "#d93636", "WARNING": "#b86e00", "USER_MARKER": "#b07d00",
        "LEFT": "#0a84c1", "RIGHT": "#c8386f", "TRUNK": "#138a7d", "PELVIS": "#6f4fb3",
        "IN_PHASE": "#2f78c4", "ANTI_PHASE": "#d9770f", "REFERENCE": "#3f4a8a",
        "BAND": "#138a7d", "CUE_BACKGROUND": "#17202b", "CUE_TEXT": "#ffd54f",
    },
}  # fmt: skip
THEMES = tuple(_BASE)

FONT_FAMILY = "DejaVu Sans, Noto Sans, Segoe UI, Helvetica, Arial, sans-serif"
STRIKE_TYPE_PX = 64  # the strike type a runner reads from 2 m (shrunk to fit)
STRIKE_FSA_PX = 96
METRIC_VALUE_PX = 26

# Set by use(); declared here so imports and type checkers see them.
NAME = DARK
BACKGROUND = PANEL = PANEL_BORDER = PLOT_BACKGROUND = GRID = ""
TEXT = TEXT_MUTED = TEXT_DIM = ""
NO_STRIKE_COLOUR = ABSENT_COLOUR = RECORDING_COLOUR = WARNING_COLOUR = USER_MARKER_COLOUR = ""
TRUNK_COLOUR = PELVIS_COLOUR = IN_PHASE_COLOUR = ANTI_PHASE_COLOUR = ""
REFERENCE_COLOUR = BAND_COLOUR = CUE_BACKGROUND = CUE_TEXT = ""
STRIKE_COLOURS: dict[StrikeType, str] = {}
STATE_COLOURS: dict[PodState, str] = {}
SIDE_COLOURS: dict[Side, str] = {}
PLACEMENT_COLOURS: dict[Placement, str] = {}


def use(name: str) -> None:
    """Make ``name`` (``dark`` or ``light``) the palette every later read sees."""
    if name not in _BASE:
        raise ValueError(f"unknown theme {name!r}: choose one of {', '.join(THEMES)}")
    c = _BASE[name]
    g = globals()
    g["NAME"] = name
    for key in ("BACKGROUND", "PANEL", "PANEL_BORDER", "PLOT_BACKGROUND", "GRID", "TEXT",
                "TEXT_MUTED", "TEXT_DIM", "CUE_BACKGROUND", "CUE_TEXT"):  # fmt: skip
        g[key] = c[key]
    for key in ("ABSENT", "RECORDING", "WARNING", "USER_MARKER", "TRUNK", "PELVIS",
                "IN_PHASE", "ANTI_PHASE", "REFERENCE", "BAND"):  # fmt: skip
        g[f"{key}_COLOUR"] = c[key]
    g["NO_STRIKE_COLOUR"] = c["TEXT_DIM"]
    # Dicts are updated in place: modules holding a reference see the new colours.
    STRIKE_COLOURS.update({t: c[t.name] for t in StrikeType})
    STATE_COLOURS.update({
        PodState.STREAMING: c["FOREFOOT"], PodState.CONNECTING: c["TEXT_MUTED"],
        PodState.LOST: c["LOST"], PodState.STOPPED: c["TEXT_DIM"],
    })  # fmt: skip
    SIDE_COLOURS.update({Side.LEFT: c["LEFT"], Side.RIGHT: c["RIGHT"]})
    PLACEMENT_COLOURS.update({
        Placement.TRUNK: c["TRUNK"], Placement.PELVIS: c["PELVIS"],
        Placement.LEFT_SHOE: c["LEFT"], Placement.RIGHT_SHOE: c["RIGHT"],
    })  # fmt: skip


def colours(name: str) -> dict[str, str]:
    """The base colours of theme ``name`` (for tests and previews)."""
    return dict(_BASE[name])


def mix(colour: str, background: str, amount: float) -> str:
    """``colour`` blended over ``background`` by ``amount`` in [0, 1], as #rrggbb."""
    amount = min(1.0, max(0.0, amount))
    fg = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    bg = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    out = [round(b + (f - b) * amount) for f, b in zip(fg, bg, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in out)


use(DARK)
