"""One table layout for every data set of bench_accuracy_all, and the measures they share.

A data set's result is a list of rows (a session, trial or case, then a pooled row); each
row maps a measure key to a number, a short text or None. Columns with no value in any row
are left out, so a data set shows only what it has a reference for.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Value = float | int | str | None
Row = dict[str, Value]

# key, header, format: the measures of issue 12, in its order
COMMON_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("step_recall_pct", "rec%", ".1f"),
    ("step_precision_pct", "prec%", ".1f"),
    ("strike_acc_pct", "type%", ".1f"),
    ("fsa_rmse_deg", "FSArms", ".2f"),
    ("fsa_bias_deg", "FSAbias", ".2f"),
    ("ic_mae_ms", "ICmae", ".1f"),
    ("ic_bias_ms", "ICbias", ".1f"),
    ("contact_mae_ms", "TCmae", ".1f"),
    ("to_mae_ms", "TOmae", ".1f"),
    ("trunk_flex_mean_mae_deg", "flexM", ".2f"),
    ("flex_sign_flip", "flip", "s"),
    ("trunk_flex_rom_mae_deg", "flexR", ".2f"),
    ("trunk_rot_rom_mae_deg", "rotR", ".2f"),
    ("trunk_lat_rom_mae_deg", "latR", ".2f"),
    ("pelvis_rot_rom_mae_deg", "pelR", ".2f"),
    ("n_true_steps", "steps", "d"),
)
FLIP_MIN_DEG = 1.0  # a true mean flexion closer to 0 than this has no sign to flip


def mae(values: Sequence[float]) -> float | None:
    return float(np.mean(np.abs(values))) if len(values) else None


def sign_flip(found_mean_deg: float | None, true_mean_deg: float | None) -> str | None:
    """ "yes"/"no" when the session's mean trunk flexion has the wrong sign, None if unknown."""
    if found_mean_deg is None or true_mean_deg is None or abs(true_mean_deg) < FLIP_MIN_DEG:
        return None
    return "yes" if found_mean_deg * true_mean_deg < 0 else "no"


def count_flips(rows: Sequence[Row]) -> str | None:
    """ "k/n": sessions whose mean flexion flipped sign, of those where it is known."""
    known = [r["flex_sign_flip"] for r in rows if r.get("flex_sign_flip") in ("yes", "no")]
    return f"{known.count('yes')}/{len(known)}" if known else None


def _cell(value: Value, fmt: str, width: int) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return f"{'-':>{width}}"
    if fmt == "s" or isinstance(value, str):
        return f"{value!s:>{width}}"
    if fmt == "d":
        return f"{int(value):>{width}d}"
    return f"{float(value):>{width}{fmt}}"


def format_table(
    title: str,
    rows: Sequence[tuple[str, Row]],
    columns: Sequence[tuple[str, str, str]] = COMMON_COLUMNS,
) -> str:
    """``title``, a header and one line per row; only the columns some row has a value for."""
    used = [c for c in columns if any(r.get(c[0]) is not None for _, r in rows)]
    name_w = max([len(name) for name, _ in rows] + [8]) + 1
    widths = [max(len(header), 6) + 1 for _, header, _ in used]
    lines = [f"== {title}", f"{'':<{name_w}}" + "".join(
        f"{header:>{w}}" for (_, header, _), w in zip(used, widths, strict=True))]  # fmt: skip
    for name, row in rows:
        cells = (_cell(row.get(k), f, w) for (k, _, f), w in zip(used, widths, strict=True))
        lines.append(f"{name:<{name_w}}" + "".join(cells))
    return "\n".join(lines)
