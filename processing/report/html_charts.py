"""Report sections with charts: a strike-angle histogram per foot over the strike-type bands,
and the trunk and pelvis per stride over time with the stages marked."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from drivers.types import FloatArray
from processing.contacts import contacts
from processing.events import Side, StrideEvent
from processing.exports.html_page import Section, paragraph
from processing.exports.session_stats import stat
from processing.exports.summary_input import SIDE_COLOURS
from processing.exports.svg import Chart, data_range
from processing.report.references import TENG_POWERS_2015
from processing.report.report_input import ReportInput

FSA_BIN_DEG = 2.0
TREND_STRIDES = 9
"""Strides in the running median drawn through the per-stride ranges."""
BAND_COLOURS = {"rearfoot": "#e8d5c4", "midfoot": "#fbeeb8", "forefoot": "#d3ecd0"}
STAGE_COLOUR = "#555555"
TENG_POWERS_GROUPS_DEG = ((3.6, "low-flexion group"), (10.8, "high-flexion group"))


class ReportChart(Chart):
    """A Chart with vertical bands and labelled horizontal reference lines."""

    def vband(self, x0: float, x1: float, colour: str, label: str) -> None:
        """A vertical band between x0 and x1 (clipped to the plot), labelled at its top."""
        lo, hi = max(min(x0, x1), self.x[0]), min(max(x0, x1), self.x[1])
        if hi <= lo:
            return
        left, right = float(self.px(lo)), float(self.px(hi))
        y0, y1 = self.top, self.height - self.bottom
        self.marks.append(
            f'<rect class="vband" x="{left:.1f}" y="{y0}" width="{right - left:.1f}" '
            f'height="{y1 - y0}" fill="{colour}" fill-opacity="0.6"/>'
            f'<text x="{(left + right) / 2:.1f}" y="{y0 + 12}" text-anchor="middle" '
            f'font-size="10" fill="#555">{escape(label)}</text>'
        )

    def marker(self, x: float, colour: str, label: str) -> None:
        """A dashed vertical line at ``x`` labelled on the plot's second text line (below
        the band labels), on the side of the line with more room."""
        if not self.x[0] <= x <= self.x[1]:
            return
        px = float(self.px(x))
        y0, y1 = self.top, self.height - self.bottom
        right_half = px > (self.left + self.width - self.right) / 2
        anchor, tx = ("end", px - 3) if right_half else ("start", px + 3)
        self.marks.append(
            f'<line class="marker" x1="{px:.1f}" x2="{px:.1f}" y1="{y0 + 16}" y2="{y1}" '
            f'stroke="{colour}" stroke-dasharray="4 3"/>'
            f'<text x="{tx:.1f}" y="{y0 + 26}" text-anchor="{anchor}" font-size="10" '
            f'fill="{colour}">{escape(label)}</text>'
        )

    def hline(self, y: float, colour: str, label: str) -> None:
        """A dashed horizontal line at ``y`` (if inside the plot), labelled at its left."""
        if not self.y[0] <= y <= self.y[1]:
            return
        py = float(self.py(y))
        x0, x1 = self.left, self.width - self.right
        self.marks.append(
            f'<line class="hline" x1="{x0}" x2="{x1}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="{colour}" stroke-dasharray="5 3"/>'
            f'<text x="{x0 + 4}" y="{py - 3:.1f}" font-size="10" fill="{colour}">'
            f"{escape(label)}</text>"
        )


def _finite(values: Sequence[float | None]) -> FloatArray:
    array: FloatArray = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    finite: FloatArray = array[np.isfinite(array)]
    return finite


def fsa_edges(report: ReportInput) -> FloatArray:
    """Histogram bin edges covering every strike and both thresholds."""
    t = report.options.thresholds
    fsa = _finite([s.fsa_deg for s in contacts(report.session.result)])
    lo = min([*fsa.tolist(), t.forefoot_below_deg - 4.0])
    hi = max([*fsa.tolist(), t.rearfoot_above_deg + 4.0])
    first = np.floor(lo / FSA_BIN_DEG) * FSA_BIN_DEG
    last = np.ceil(hi / FSA_BIN_DEG + 1e-9) * FSA_BIN_DEG
    return np.arange(first, last + FSA_BIN_DEG / 2, FSA_BIN_DEG)


def fsa_foot_chart(report: ReportInput, side: Side, edges: FloatArray, top: float) -> str:
    """One foot's FSA histogram over the rearfoot / midfoot / forefoot bands."""
    t = report.options.thresholds
    fsa = _finite([s.fsa_deg for s in contacts(report.session.result) if s.side == side])
    counts = np.histogram(fsa, edges)[0]
    chart = ReportChart(
        (float(edges[0]), float(edges[-1])), (0.0, top), "FSA (°)", "strikes",
        width=460, height=230,
    )  # fmt: skip
    chart.vband(chart.x[0], t.forefoot_below_deg, BAND_COLOURS["forefoot"], "forefoot")
    chart.vband(t.forefoot_below_deg, t.rearfoot_above_deg, BAND_COLOURS["midfoot"], "midfoot")
    chart.vband(t.rearfoot_above_deg, chart.x[1], BAND_COLOURS["rearfoot"], "rearfoot")
    chart.bars(
        edges.tolist(), counts.tolist(), f"hist {side.value}", SIDE_COLOURS[side], (0.1, 0.9)
    )
    median = stat(fsa.tolist()).median
    if median is not None:
        chart.marker(median, "#222222", f"median {median:.1f}°")
    chart.legend(SIDE_COLOURS[side], f"{side.value} foot ({fsa.size} strikes)")
    return chart.render()


def fsa_feet_section(report: ReportInput) -> Section:
    """Strike-angle histogram per foot, shared bins and scale, with the strike-type bands."""
    strikes = contacts(report.session.result)  # as steps.csv gives them
    sides = [s for s in Side if any(x.side == s for x in strikes)]
    if not sides:
        return Section("fsa-feet", "Foot strike angle per foot", paragraph("No strikes.", "note"))
    edges = fsa_edges(report)
    counts = [
        np.histogram(_finite([s.fsa_deg for s in strikes if s.side == side]), edges)[0].max(
            initial=0
        )
        for side in sides
    ]  # fmt: skip
    top = max(counts) * 1.3 + 1.0
    charts = " ".join(fsa_foot_chart(report, side, edges, float(top)) for side in sides)
    t = report.options.thresholds
    caption = (
        f"Strikes per {FSA_BIN_DEG:g}° bin. Bands: forefoot below {t.forefoot_below_deg:g}°, "
        f"midfoot between, rearfoot above {t.rearfoot_above_deg:g}° (Altman & Davis 2012); "
        "the dashed line is the foot's median."
    )
    body = f'<figure class="pair">{charts}<figcaption>{escape(caption)}</figcaption></figure>'
    return Section("fsa-feet", "Foot strike angle per foot", body)


def running_median(values: FloatArray, window: int = TREND_STRIDES) -> FloatArray:
    """Centered running median over ``window`` values, ignoring NaN; NaN where a window has
    fewer than half its values."""
    out = np.full(values.size, np.nan)
    half = window // 2
    for i in range(values.size):
        part = values[max(0, i - half) : i + half + 1]
        part = part[np.isfinite(part)]
        if part.size * 2 >= window:
            out[i] = float(np.median(part))
    return out


def _stride_values(strides: Sequence[StrideEvent], name: str) -> FloatArray:
    return np.array(
        [np.nan if getattr(s, name) is None else float(getattr(s, name)) for s in strides]
    )


def _mark_stages(report: ReportInput, chart: Chart) -> None:
    for stage in report.stages[1:]:  # the first stage starts with the plot
        chart.vline(stage.period.start_s - report.start_s, STAGE_COLOUR, stage.period.name)


def ranges_chart(report: ReportInput, strides: Sequence[StrideEvent], times: list[float]) -> str:
    series = (
        ("trunk_rot_rom_deg", "trunk rotation range", "#9467bd"),
        ("pelvis_rot_rom_deg", "pelvis rotation range", "#17becf"),
    )
    values = {name: _stride_values(strides, name) for name, _, _ in series}
    guarded = report.options.guarded_twist_below_deg
    chart = ReportChart(
        data_range(times, pad=0.02),
        data_range([*values["trunk_rot_rom_deg"], *values["pelvis_rot_rom_deg"]],
                   include=[0.0, guarded + 2.0]),
        "time (s)", "range over the stride (°)", height=230,
    )  # fmt: skip
    chart.band(0.0, guarded, "#f6d6d6", f"guarded trunk (< {guarded:g}°)")
    for name, label, colour in series:
        chart.points(times, values[name].tolist(), f"rom {name}", colour)
        chart.line(times, running_median(values[name]).tolist(), f"trend {name}", colour)
        chart.legend(colour, label)
    _mark_stages(report, chart)
    return chart.render()


def flexion_chart(report: ReportInput, strides: Sequence[StrideEvent], times: list[float]) -> str:
    flex = _stride_values(strides, "trunk_flex_mean_deg")
    chart = ReportChart(
        data_range(times, pad=0.02),
        data_range(flex.tolist(), include=[0.0, 12.0]),
        "time (s)", "trunk flexion (°)", height=200,
    )  # fmt: skip
    for value, group in TENG_POWERS_GROUPS_DEG:
        chart.hline(value, "#888888", f"{value:g}°: {TENG_POWERS_2015.key} {group}")
    chart.points(times, flex.tolist(), "flex", "#8c564b")
    chart.line(times, running_median(flex).tolist(), "trend flex", "#8c564b")
    chart.legend("#8c564b", "mean trunk flexion per stride")
    _mark_stages(report, chart)
    return chart.render()


def _has_trunk_or_pelvis(stride: StrideEvent) -> bool:
    names = ("trunk_rot_rom_deg", "pelvis_rot_rom_deg", "trunk_flex_mean_deg")
    return any(getattr(stride, name) is not None for name in names)


def ranges_section(report: ReportInput) -> Section:
    """Trunk and pelvis rotation ranges and trunk flexion per stride against time."""
    strides = sorted(
        (s for s in report.session.result.strides if _has_trunk_or_pelvis(s)),
        key=lambda s: s.start_s,
    )
    title = "Trunk and pelvis over time"
    if not strides:
        return Section("ranges", title, paragraph("No trunk or pelvis values.", "note"))
    times = [s.start_s - report.start_s for s in strides]
    caption_ranges = (
        "Axial rotation range (max − min) over each stride; lines are the running median of "
        f"{TREND_STRIDES} strides; the shaded band is the clinic's guarded threshold; dashed "
        "vertical lines are stage starts."
    )
    caption_flex = (
        "Mean trunk flexion per stride, relative to quiet standing. The grey lines are the "
        "group means of Teng & Powers (2015), measured differently (stance phase, in a lab)."
    )
    body = (
        f"<figure>{ranges_chart(report, strides, times)}"
        f"<figcaption>{escape(caption_ranges)}</figcaption></figure>"
        f"<figure>{flexion_chart(report, strides, times)}"
        f"<figcaption>{escape(caption_flex)}</figcaption></figure>"
    )
    return Section("ranges", title, body)
