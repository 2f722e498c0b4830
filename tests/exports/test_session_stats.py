"""Per-foot figures, symmetry and coupling summaries, and the chart helpers."""

from __future__ import annotations

import math

import pytest

from processing.analysis import AnalysisResult
from processing.contacts import contacts
from processing.events import Side, StepEvent, StrideEvent, StrikeEvent, StrikeType
from processing.export import step_rows
from processing.exports.session_stats import (
    coupling_figures,
    difference,
    foot_figures,
    stat,
    symmetry_index,
)
from processing.exports.svg import Chart, data_range, nice_ticks


def test_symmetry_index_and_difference() -> None:
    assert symmetry_index(110.0, 90.0) == pytest.approx(20.0)
    assert symmetry_index(90.0, 110.0) == pytest.approx(-20.0)
    assert symmetry_index(None, 1.0) is None and symmetry_index(0.0, 0.0) is None
    assert difference(5.0, 7.5) == -2.5 and difference(1.0, None) is None


def test_stat_skips_missing_values() -> None:
    s = stat([1.0, None, 3.0, math.nan, 5.0])
    assert (s.n, s.mean, s.median) == (3, 3.0, 3.0) and s.sd == pytest.approx(2.0)
    assert stat([None]).mean is None and stat([2.0]).sd is None


def test_foot_figures() -> None:
    kinds = [StrikeType.REARFOOT, StrikeType.REARFOOT, StrikeType.FOREFOOT, StrikeType.MIDFOOT]
    strikes = [StrikeEvent(Side.LEFT, 0.7 * k, 10.0 - k, kind) for k, kind in enumerate(kinds)]
    steps = [StepEvent(Side.LEFT, s.ic_s, s.ic_s + 0.25, s.fsa_deg, s.strike) for s in strikes]
    strides = [StrideEvent(Side.LEFT, 0.7 * k, 0.7 * (k + 1)) for k in range(3)]
    other = [StrikeEvent(Side.RIGHT, 0.35, 1.0, StrikeType.MIDFOOT)]
    result = AnalysisResult(strikes=[*strikes, *other], steps=steps, strides=strides)
    left = foot_figures(result, Side.LEFT)
    assert left.strikes == 4 and left.strike_counts[StrikeType.REARFOOT] == 2
    assert left.share(StrikeType.FOREFOOT) == 25.0
    assert left.contact_ms.mean == pytest.approx(250.0)
    assert left.stride_s.median == pytest.approx(0.7)
    assert left.cadence_spm == pytest.approx(120.0 / 0.7)
    assert foot_figures(result, Side.RIGHT).strikes == 1


def test_foot_figures_show_the_refined_angle_as_steps_csv_does() -> None:
    """The first strike published +59.5° at contact, refined at toe-off to 29.45°: the report's
    figures (and steps.csv) show 29.45°; a strike without toe-off keeps its angle."""
    first = StrikeEvent(Side.LEFT, 1.0, 59.5, StrikeType.REARFOOT)
    second = StrikeEvent(Side.LEFT, 1.7, -6.0, StrikeType.FOREFOOT)
    refined = [StepEvent(Side.LEFT, 1.0, 1.25, 29.45, StrikeType.REARFOOT),
               StepEvent(Side.LEFT, 1.7, 1.95, 2.0, StrikeType.MIDFOOT)]  # fmt: skip
    open_ = StrikeEvent(Side.LEFT, 2.4, 12.0, StrikeType.REARFOOT)
    result = AnalysisResult(strikes=[first, second, open_], steps=refined)
    left = foot_figures(result, Side.LEFT)
    assert left.strikes == 3 and left.fsa_deg.median == pytest.approx(12.0)
    assert left.fsa_deg.mean == pytest.approx((29.45 + 2.0 + 12.0) / 3)
    assert left.strike_counts[StrikeType.MIDFOOT] == 1 and left.share(StrikeType.FOREFOOT) == 0
    rows = step_rows(result)
    assert [r["fsa_deg"] for r in rows] == [s.fsa_deg for s in contacts(result)]
    assert contacts(result)[0].fsa_deg == 29.45


def test_coupling_mean_angle_is_axial() -> None:
    strides = [
        StrideEvent(Side.LEFT, 0.0, 0.7, pt_transverse_coupling_deg=179.0,
                    pt_transverse_in_phase_pct=10.0, pt_transverse_crp_mean_deg=20.0),
        StrideEvent(Side.RIGHT, 0.35, 1.05, pt_transverse_coupling_deg=3.0,
                    pt_transverse_in_phase_pct=30.0, pt_transverse_crp_mean_deg=40.0),
        StrideEvent(Side.LEFT, 0.7, 1.4),
    ]  # fmt: skip
    figures = coupling_figures(AnalysisResult(strides=strides), "pt_transverse")
    assert figures.strides == 2
    assert (
        figures.coupling_deg is not None
        and min(figures.coupling_deg, 180 - figures.coupling_deg) < 2
    )
    assert figures.shares_pct["in_phase"] == 20.0 and figures.crp_mean_deg == 30.0
    assert figures.shares_pct["anti_phase"] is None


def test_ticks_and_ranges() -> None:
    assert nice_ticks(0.0, 60.0, 6) == [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    assert nice_ticks(-1.6, 8.0, 5) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert data_range([None, math.nan]) == (0.0, 1.0)
    lo, hi = data_range([1.0, 3.0], include=[0.0], pad=0.0)
    assert (lo, hi) == (0.0, 3.0)


def test_chart_skips_missing_points_and_breaks_lines() -> None:
    chart = Chart((0.0, 10.0), (0.0, 10.0), "x", "y")
    chart.points([1.0, 2.0, 3.0], [1.0, math.nan, 3.0], "p", "#000")
    chart.line([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.0, 2.0, math.nan, 4.0, 5.0, 6.0], "l", "#000")
    svg = chart.render()
    assert svg.count('class="p"') == 2
    assert svg.count('class="l"') == 2  # 1-2, then 4-5-6
