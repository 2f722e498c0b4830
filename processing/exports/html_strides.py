"""Section builders about strides: trunk and pelvis per stride, pelvis–trunk coordination.
Each takes a SummaryInput and returns one Section."""

from __future__ import annotations

from processing.exports.html_page import Cell, Section, figure, paragraph, share_bar, table
from processing.exports.session_stats import COUPLING_SHARES, coupling_figures, stride_stat
from processing.exports.summary_input import SIDE_COLOURS, SummaryInput
from processing.exports.svg import Chart, data_range

TRUNK_ROWS = (
    ("trunk_flex_mean_deg", "Trunk flexion, mean (°)"),
    ("trunk_rot_rom_deg", "Trunk rotation range (°)"),
    ("trunk_lat_rom_deg", "Trunk lateral bend range (°)"),
    ("pelvis_rot_rom_deg", "Pelvis rotation range (°)"),
    ("pelvis_tilt_rom_deg", "Pelvis tilt range (°)"),
    ("pelvis_obliquity_rom_deg", "Pelvis obliquity range (°)"),
)
RANGE_SERIES = (
    ("trunk_rot_rom_deg", "trunk rotation", "#9467bd"),
    ("pelvis_rot_rom_deg", "pelvis rotation", "#17becf"),
)
COUPLINGS = {
    "pt_transverse": "Pelvis–trunk, transverse (axial rotation)",
    "pt_sagittal": "Pelvis–trunk, sagittal (tilt / flexion)",
    "trunk_bend_twist": "Trunk bend–twist (lateral bend / rotation)",
}
SHARE_COLOURS = ("#2ca02c", "#d62728", "#17becf", "#9467bd")


def trunk_section(data: SummaryInput) -> Section:
    """Trunk flexion mean and trunk/pelvis rotation ranges per stride over time."""
    strides = data.result.strides
    rows: list[list[Cell]] = []
    for name, label in TRUNK_ROWS:
        s = stride_stat(strides, name)
        rows.append([label, s.n, s.mean, s.sd, s.median])
    body = table(["Per stride", "Strides", "Mean", "SD", "Median"], rows)
    if not any(
        s.trunk_flex_mean_deg is not None or s.pelvis_rot_rom_deg is not None for s in strides
    ):
        body += paragraph("No trunk or pelvis pod values in this session.", "note")
        return Section("trunk", "Trunk and pelvis per stride", body)
    times = [s.start_s - data.start_s for s in strides]
    flex = Chart(
        data_range(times, pad=0.02),
        data_range([s.trunk_flex_mean_deg for s in strides]),
        "time (s)",
        "trunk flexion (°)",
        height=200,
    )
    for side in data.sides:
        mine = [s for s in strides if s.side == side]
        flex.points(
            [s.start_s - data.start_s for s in mine],
            [_value(s.trunk_flex_mean_deg) for s in mine],
            f"flex {side.value}",
            SIDE_COLOURS[side],
        )
        flex.legend(SIDE_COLOURS[side], f"{side.value} strides")
    ranges = Chart(
        flex.x,
        data_range([getattr(s, n) for s in strides for n, _, _ in RANGE_SERIES], include=[0.0]),
        "time (s)",
        "range over the stride (°)",
        height=200,
    )
    for name, label, colour in RANGE_SERIES:
        values = [_value(getattr(s, name)) for s in strides]
        ranges.line(times, values, f"rom-line {name}", colour)
        ranges.points(times, values, f"rom {name}", colour)
        ranges.legend(colour, label)
    body += figure(
        flex.render(),
        "Mean trunk flexion (forward +) over each stride, by the foot whose stride it is.",
    )
    body += figure(
        ranges.render(), "Trunk and pelvis axial rotation range (max − min) over each stride."
    )
    return Section("trunk", "Trunk and pelvis per stride", body)


def coordination_section(data: SummaryInput) -> Section:
    """Vector-coding phase shares, mean coupling angle and CRP mean per coupling."""
    rows: list[list[Cell]] = []
    bars = []
    for name, title in COUPLINGS.items():
        f = coupling_figures(data.result, name)
        shares = [f.shares_pct[s] for s in COUPLING_SHARES[name]]
        rows.append([title, f.strides, *shares, f.coupling_deg, f.crp_mean_deg])
        if f.strides:
            labels = [s.replace("_", "-") for s in COUPLING_SHARES[name]]
            parts = list(zip(labels, shares, SHARE_COLOURS, strict=True))
            bars.append(share_bar(title, parts))
    headers = [
        "Coupling",
        "Strides",
        "In-phase (%)",
        "Anti-phase (%)",
        "Pelvis/bend-phase (%)",
        "Trunk/twist-phase (%)",
        "Coupling angle (°)",
        "CRP mean (°)",
    ]
    note = (
        "Vector coding: shares of each stride's movement in each phase bin, averaged over "
        "strides; coupling angle 45° in-phase, 135° anti-phase (axial mean over strides). "
        "CRP mean: |mean continuous relative phase|, 0° in phase … 180° anti-phase. For "
        "pelvis–trunk couplings the pelvis is the first segment; for bend–twist, the bend."
    )
    return Section(
        "coordination",
        "Pelvis–trunk coordination",
        table(headers, rows) + "".join(bars) + paragraph(note, "note"),
    )


def _value(value: float | None) -> float:
    return float("nan") if value is None else float(value)
