"""View models: pure Python, no Qt."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from desktop_fakes import (
    FakeSession,
    SyntheticRunner,
    coordination,
    full_status,
    pod,
    publish,
    stats,
    strike,
)

from desktop import palette
from desktop.coordination_model import PHASE_BINS, CoordinationTrends, crp_note
from desktop.pod_view_models import PodCardModel, pod_cards
from desktop.view_models import (
    DASH,
    CadenceContactModel,
    DeckViewModel,
    FootStrikeModel,
    FrameRateMeter,
    StickyRange,
    StrideTrends,
    StrikeDistribution,
    format_deg,
    format_number,
    strike_colour,
    toes_note,
)
from drivers.types import Placement, PodState
from processing import traces
from processing.events import Side, StepEvent, StrideEvent, StrikeType


def test_view_models_do_not_import_qt() -> None:
    code = (
        "import sys, desktop.view_models;"
        "print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (12.34, {}, "12.3°"),
        (-1.64, {"signed": True}, "−1.6°"),
        (3.0, {"signed": True}, "+3.0°"),
        (None, {}, DASH),
        (math.nan, {}, DASH),
    ],
)
def test_format_deg(value: float | None, kwargs: dict[str, bool], text: str) -> None:
    assert format_deg(value, **kwargs) == text


def test_format_number_and_notes() -> None:
    assert format_number(171.6) == "172"
    assert format_number(0.7, "s", 2) == "0.70 s"
    assert format_number(None, "ms") == DASH
    assert toes_note(9.0) == "toes up" and toes_note(-3.0) == "toes down"


def test_strike_colours_follow_the_palette() -> None:
    assert strike_colour(StrikeType.REARFOOT) == palette.STRIKE_COLOURS[StrikeType.REARFOOT]
    assert strike_colour(StrikeType.FOREFOOT) == palette.STRIKE_COLOURS[StrikeType.FOREFOOT]
    assert strike_colour(None) == palette.NO_STRIKE_COLOUR


def test_distribution_keeps_the_last_window_steps() -> None:
    dist = StrikeDistribution(window=50)
    for _ in range(60):
        dist.add(StrikeType.REARFOOT)
    for _ in range(30):
        dist.add(StrikeType.FOREFOOT)
    for _ in range(10):
        dist.add(StrikeType.MIDFOOT)
    assert dist.total == 50
    assert dist.counts() == {
        StrikeType.REARFOOT: 10,
        StrikeType.FOREFOOT: 30,
        StrikeType.MIDFOOT: 10,
    }
    assert dist.fractions()[StrikeType.FOREFOOT] == pytest.approx(0.6)


def test_empty_distribution_has_zero_fractions() -> None:
    assert set(StrikeDistribution().fractions().values()) == {0.0}


def test_foot_model_counts_a_step_once_from_strike_and_step_events() -> None:
    foot = FootStrikeModel(Side.LEFT)
    assert foot.type_text == DASH and foot.fsa_text == DASH
    assert foot.add(1.0, 12.0, StrikeType.REARFOOT)
    assert not foot.add(1.0, 12.0, StrikeType.REARFOOT)  # the same step's StepEvent
    assert foot.add(1.7, -4.0, StrikeType.FOREFOOT)
    assert foot.distribution.total == 2
    assert foot.type_text == "FOREFOOT" and foot.fsa_text == "−4.0°"
    assert foot.colour == palette.STRIKE_COLOURS[StrikeType.FOREFOOT]


def test_a_completed_step_refines_the_headline_and_the_distribution() -> None:
    """The strike judged at contact (+9°, rearfoot) and the step's refined angle at toe-off
    (+6°, midfoot): the board shows the refined one everywhere, as steps.csv does."""
    foot = FootStrikeModel(Side.LEFT)
    foot.add(1.0, 9.0, StrikeType.REARFOOT)
    foot.add(1.7, 12.0, StrikeType.REARFOOT)
    assert not foot.add(1.0, 6.0, StrikeType.MIDFOOT)  # the first step completes late
    assert foot.distribution.counts()[StrikeType.MIDFOOT] == 1
    assert foot.distribution.counts()[StrikeType.REARFOOT] == 1
    assert not foot.add(1.7, 11.0, StrikeType.REARFOOT)
    assert foot.fsa_text == "+11.0°" and foot.distribution.total == 2


def test_stride_trends_keep_gaps_for_missing_pods() -> None:
    trends = StrideTrends(window=3)
    assert trends.latest_text("pelvis_rot_rom_deg") == DASH
    for i in range(5):
        trends.add(StrideEvent(Side.LEFT, i, i + 0.7, trunk_rot_rom_deg=10.0 + i))
    assert trends.latest_text("trunk_rot_rom_deg") == "14.0°"
    assert trends.latest_text("pelvis_rot_rom_deg") == DASH
    np.testing.assert_array_equal(trends.series("trunk_rot_rom_deg"), [12.0, 13.0, 14.0])
    assert np.isnan(trends.series("pelvis_rot_rom_deg")).all()


def test_cadence_prefers_board_metrics_and_falls_back_to_steps() -> None:
    model = CadenceContactModel()
    assert model.cadence_spm is None and model.contact_ms(Side.LEFT) is None
    for i in range(5):
        model.add_contact(i * 0.35)
        model.add_step(StepEvent(Side.LEFT, i * 0.7, i * 0.7 + 0.25, 0.0, StrikeType.MIDFOOT))
    assert model.cadence_spm == pytest.approx(60 / 0.35)
    assert model.contact_ms(Side.LEFT) == pytest.approx(250.0)
    model.metrics = {traces.CADENCE_SPM: 180.0, traces.CONTACT_MS["left"]: 231.0}
    assert model.cadence_spm == 180.0 and model.contact_ms(Side.LEFT) == 231.0


def test_pod_cards_in_body_order_with_absent_placements() -> None:
    status = [
        (pod(Placement.RIGHT_SHOE), stats()),
        (pod(Placement.TRUNK), stats(PodState.LOST, 50)),
    ]
    cards = pod_cards(status)
    assert [c.placement for c in cards] == [
        Placement.TRUNK, Placement.PELVIS, Placement.LEFT_SHOE, Placement.RIGHT_SHOE,
    ]  # fmt: skip
    assert cards[0].state_text == "LOST" and cards[0].colour == palette.STATE_COLOURS[PodState.LOST]
    assert cards[0].rate_text.startswith(DASH)  # no rate claimed for a lost pod
    assert "50 lost" in cards[0].lost_text
    assert cards[1] == PodCardModel.absent(Placement.PELVIS)
    assert cards[3].rate_text == "199.6 / 200 Hz"


def test_sticky_range_grows_at_once_and_shrinks_only_when_much_too_wide() -> None:
    sticky = StickyRange(minimum_span=10.0)
    first = sticky.update(-100.0, 100.0)
    assert first is not None and first[0] < -100 and first[1] > 100
    assert sticky.update(-90.0, 95.0) is None
    grown = sticky.update(-100.0, 300.0)
    assert grown is not None and grown[1] > 300
    shrunk = sticky.update(-5.0, 5.0)
    assert shrunk is not None and shrunk[1] - shrunk[0] < 20
    assert sticky.update(math.nan, 1.0) is None


def test_frame_rate_meter() -> None:
    meter = FrameRateMeter()
    for i in range(31):
        meter.tick(i / 30)
    assert meter.fps == pytest.approx(30.0)


def test_deck_pulls_from_a_cursor_and_routes_events() -> None:
    session = FakeSession(full_status())
    deck = DeckViewModel()
    publish(session.board, [strike(Side.LEFT, 1.0, 15.0), strike(Side.RIGHT, 1.35, -5.0)])
    assert deck.pull(session.board) == 2
    assert deck.pull(session.board) == 0  # the cursor moved on
    assert deck.feet[Side.LEFT].last is not None
    assert deck.feet[Side.LEFT].last.strike is StrikeType.REARFOOT
    assert deck.feet[Side.RIGHT].type_text == "FOREFOOT"
    assert len(deck.markers) == 2


def test_deck_on_a_synthetic_run() -> None:
    session = FakeSession(full_status())
    SyntheticRunner(session.board).run(20.0)
    deck = DeckViewModel()
    deck.pull(session.board)
    assert all(foot.distribution.total > 20 for foot in deck.feet.values())
    assert deck.strides.latest is not None
    assert deck.cadence.cadence_spm == pytest.approx(172.0, rel=0.01)
    assert deck.cadence.contact_ms(Side.RIGHT) == pytest.approx(240.0, abs=15.0)


def test_coordination_trends_keep_gaps_and_running_means() -> None:
    trends = CoordinationTrends(window=4, mean_of=2)
    assert trends.mean_shares_pct() is None and trends.mean_crp_deg() is None
    trends.add(StrideEvent(Side.LEFT, 0.0, 0.7))  # no pelvis: a gap
    for i, crp in enumerate((160.0, 170.0, 176.0)):
        trends.add(StrideEvent(Side.RIGHT, i, i + 0.7, **coordination(crp, 70.0 + 10 * i)))
    shares = trends.shares_pct()
    assert shares.shape == (4, len(PHASE_BINS)) and np.isnan(shares[0]).all()
    anti = [b.key for b in PHASE_BINS].index("anti_phase")
    np.testing.assert_allclose(shares[1:].sum(axis=1), 100.0)
    mean = trends.mean_shares_pct()
    assert mean is not None and mean[anti] == pytest.approx(85.0)  # the last two strides
    assert trends.mean_crp_deg() == pytest.approx(173.0)
    assert trends.latest_value("pt_transverse_crp_mean_deg") == 176.0
    assert trends.latest_value("pt_sagittal_cav_deg") is None
    assert np.isnan(trends.crp_series()[0])


def test_crp_note() -> None:
    assert crp_note(None) == "needs trunk and pelvis"
    assert crp_note(20.0) == "near in-phase"
    assert crp_note(170.0) == "near anti-phase"
    assert crp_note(90.0) == "shifted"


def test_deck_routes_strides_to_coordination() -> None:
    session = FakeSession(full_status())
    SyntheticRunner(session.board).run(10.0)
    deck = DeckViewModel()
    deck.pull(session.board)
    assert deck.coordination.revision == deck.strides.revision > 5
    assert deck.coordination.mean_crp_deg() == pytest.approx(150.0, abs=5.0)
