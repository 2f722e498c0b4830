"""Widgets render their view models: text, colours, dashes and states."""

from __future__ import annotations

from desktop_fakes import coordination, pod, stats

from desktop import palette
from desktop.coordination_model import CoordinationTrends
from desktop.pod_view_models import PodCardModel
from desktop.view_models import DASH, FootStrikeModel, StrideTrends
from desktop.widgets.coordination import CoordinationPanel
from desktop.widgets.pod_status import PodCard, PodStatusRow
from desktop.widgets.sparkline import Sparkline
from desktop.widgets.stride_ranges import StrideRangesPanel
from desktop.widgets.strike_indicator import StrikeIndicator
from drivers.types import Placement, PodState
from processing.events import Side, StrideEvent, StrikeType


def test_strike_indicator_shows_type_fsa_and_colour(qtbot) -> None:
    foot = FootStrikeModel(Side.LEFT)
    widget = StrikeIndicator(foot)
    qtbot.addWidget(widget)
    assert widget.type_label.text() == DASH
    foot.add(2.0, 14.2, StrikeType.REARFOOT)
    widget.refresh()
    assert widget.type_label.text() == "REARFOOT"
    assert widget.fsa_label.text() == "+14.2°"
    assert "toes up" in widget.note.text()
    assert palette.STRIKE_COLOURS[StrikeType.REARFOOT] in widget.type_label.styleSheet()
    assert widget.bars.fractions[StrikeType.REARFOOT] == 1.0


def test_strike_indicator_distribution_after_50_steps(qtbot) -> None:
    foot = FootStrikeModel(Side.RIGHT)
    widget = StrikeIndicator(foot)
    qtbot.addWidget(widget)
    kinds = [StrikeType.FOREFOOT] * 30 + [StrikeType.MIDFOOT] * 15 + [StrikeType.REARFOOT] * 5
    for i, kind in enumerate(kinds):
        foot.add(i * 0.7, -5.0, kind)
    widget.refresh()
    assert widget.caption.text() == "Last 50 of 50 steps"
    assert widget.bars.total == 50
    assert widget.bars.fractions == {
        StrikeType.FOREFOOT: 0.6, StrikeType.MIDFOOT: 0.3, StrikeType.REARFOOT: 0.1,
    }  # fmt: skip
    widget.resize(320, 420)
    assert not widget.grab().isNull()  # paints without error


def test_stride_panel_shows_dash_for_a_missing_pod(qtbot) -> None:
    trends = StrideTrends()
    panel = StrideRangesPanel(trends)
    qtbot.addWidget(panel)
    assert all(v.text() == DASH for v in panel.values.values())
    trends.add(StrideEvent(Side.LEFT, 0.0, 0.7, 7.8, 4.9, 18.2, 8.8, None))
    panel.refresh()
    assert panel.values["trunk_flex_mean_deg"].text() == "7.8°"
    assert panel.values["trunk_rot_rom_deg"].text() == "18.2°"
    assert panel.values["pelvis_rot_rom_deg"].text() == DASH
    assert len(panel.sparklines["trunk_rot_rom_deg"].values) == 1


def test_sparkline_range_ignores_gaps(qtbot) -> None:
    spark = Sparkline("#ffffff", 10)
    qtbot.addWidget(spark)
    spark.set_values([1.0, float("nan"), 3.0])
    low, high = spark.value_range() or (0, 0)
    assert low < 1.0 and high > 3.0
    spark.set_values([float("nan")])
    assert spark.value_range() is None
    spark.resize(200, 40)
    assert not spark.grab().isNull()


def test_pod_card_shows_lost_in_red(qtbot) -> None:
    card = PodCard(Placement.PELVIS)
    qtbot.addWidget(card)
    assert card.state.text() == "ABSENT"
    card.set_model(PodCardModel.from_status(pod(Placement.PELVIS), stats(PodState.LOST, 120)))
    assert card.state.text() == "LOST"
    assert palette.STATE_COLOURS[PodState.LOST] in card.state.styleSheet()
    assert "120 lost" in card.lost.text()


def test_status_row_updates_each_card(qtbot) -> None:
    row = PodStatusRow()
    qtbot.addWidget(row)
    models = [
        PodCardModel.from_status(pod(Placement.TRUNK), stats(PodState.STREAMING)),
        PodCardModel.from_status(pod(Placement.LEFT_SHOE), stats(PodState.CONNECTING)),
    ]
    row.set_cards(models)
    assert row.cards[Placement.TRUNK].state.text() == "STREAMING"
    assert row.cards[Placement.LEFT_SHOE].state.text() == "CONNECTING"
    assert row.cards[Placement.PELVIS].state.text() == "ABSENT"


def test_pod_card_labels_get_room_to_show(qtbot) -> None:
    card = PodCard(Placement.LEFT_SHOE)
    qtbot.addWidget(card)
    card.set_model(PodCardModel.from_status(pod(Placement.LEFT_SHOE), stats()))
    card.resize(380, 100)
    card.show()
    qtbot.waitExposed(card)
    for text in (card.title, card.rate, card.lost, card.pod_model):
        assert text.width() >= text.fontMetrics().horizontalAdvance(text.text()), text.text()


def test_coordination_panel_shows_shares_crp_and_details(qtbot) -> None:
    trends = CoordinationTrends()
    panel = CoordinationPanel(trends)
    qtbot.addWidget(panel)
    assert panel.crp.text() == DASH and "waiting" in panel.crp_note.text()
    for i in range(12):
        trends.add(StrideEvent(Side.LEFT, i * 0.7, (i + 1) * 0.7, **coordination(170.0, 85.0)))
    panel.refresh()
    assert panel.crp.text() == "170°"
    assert panel.crp_note.text() == "near anti-phase"
    assert "170°" in panel.crp_mean.text()
    assert "Anti-phase 85%" in panel.legend["anti_phase"].text()
    assert "In-phase 5%" in panel.legend["in_phase"].text()
    assert panel.details["pt_transverse_cav_deg"].text() == "2.5°"
    assert panel.details["trunk_bend_twist_crp_mean_deg"].text() == DASH
    assert panel.bars.shares_pct.shape == (12, 4)
    panel.resize(640, 240)
    assert not panel.grab().isNull()  # paints the stacked bars without error


def test_coordination_panel_without_pelvis_shows_dashes(qtbot) -> None:
    trends = CoordinationTrends()
    panel = CoordinationPanel(trends)
    qtbot.addWidget(panel)
    trends.add(StrideEvent(Side.RIGHT, 0.0, 0.7, trunk_bend_twist_crp_mean_deg=104.0))
    panel.refresh()
    assert panel.crp.text() == DASH
    assert panel.crp_note.text() == "needs trunk and pelvis"
    assert "In-phase —" in panel.legend["in_phase"].text()
    assert panel.details["trunk_bend_twist_crp_mean_deg"].text() == "104°"
    assert not panel.grab().isNull()  # an empty slot, no bar
