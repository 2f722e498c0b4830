"""The dashboard shows confidence (issue 12, items 2 and 4): a pod card says what its angles
rest on, ``ambiguous — <why>`` or ``low confidence — <why>``; the strike headline greys a
low-confidence step, marks its type with a "?" and says why."""

from __future__ import annotations

from doubtful_session import doubtful_session
from test_wizard import HandFed
from test_wizard_lean import feed

from desktop import palette
from desktop.confidence_view import pod_confidence
from desktop.main_window import MainWindow
from desktop.view_models import FootStrikeModel
from drivers.types import Placement
from processing.events import Side, StepEvent, StrikeEvent, StrikeType
from processing.quality import REFERENCE_WORDS, Quality, ReferenceKind

DECIDED = {"status": "decided", "reference": "standing", "acc_sd_g": 0.01}


def test_pod_card_lines() -> None:
    assert pod_confidence(None).text == ""
    assert pod_confidence(DECIDED).text == "angles from standing"
    carried = pod_confidence({**DECIDED, "reference": "carried from live"})
    assert carried.text == "angles from the live calibration" and carried.quality is Quality.GOOD
    ambiguous = pod_confidence(
        {"status": "ambiguous", "note": "running seen, but …: braking and lean disagree"}
    )
    assert ambiguous.text == "ambiguous — braking and lean disagree"
    assert ambiguous.quality is Quality.AMBIGUOUS
    noisy = pod_confidence({**DECIDED, "acc_sd_g": 0.06})
    assert noisy.text == "low confidence — noisy pod (60 mg standing)"
    recent = [Quality.LOW] * 4 + [Quality.GOOD] * 6
    assert pod_confidence(DECIDED, recent).text == "low confidence — 4 of last 10 steps"
    assert pod_confidence(DECIDED, recent[:4]).text == "angles from standing"  # too few yet
    assert pod_confidence({"status": "waiting for standing"}).quality is Quality.LOW
    disagreeing = {"status": "pending", "alignment_note": "braking and lean disagree"}
    assert pod_confidence(disagreeing).text == "ambiguous — braking and lean disagree"
    assert pod_confidence({"status": "pending"}).text == "finding its axes — walk or run"


def test_every_reference_kind_has_words_on_the_card_and_in_the_report() -> None:
    for kind in ReferenceKind:
        assert pod_confidence({**DECIDED, "reference": kind.value}).text, kind
        assert REFERENCE_WORDS[kind], kind
    gait = pod_confidence({**DECIDED, "reference": "gait"})
    assert gait.text == "steps from the gait, no standing" and gait.quality is Quality.GOOD


def test_the_headline_greys_a_low_confidence_step() -> None:
    foot = FootStrikeModel(Side.RIGHT)
    assert foot.add(2.0, 12.0, StrikeType.REARFOOT)
    assert (
        foot.type_text == "REARFOOT" and foot.colour == palette.STRIKE_COLOURS[StrikeType.REARFOOT]
    )
    why = "FSA estimates 9° apart"
    assert not foot.add(2.0, 10.5, StrikeType.REARFOOT, Quality.LOW, why)  # its step completes
    assert foot.type_text == "REARFOOT?" and foot.fsa_text == "+10.5°"  # the refined angle
    assert foot.colour == palette.TEXT_DIM and foot.quality_note == f"low confidence · {why}"
    assert foot.distribution.total == 1  # counted once
    assert foot.add(2.7, 11.0, StrikeType.REARFOOT)
    assert foot.type_text == "REARFOOT" and foot.quality_note == ""


def test_window_strike_headline_and_pod_cards(qtbot) -> None:
    fed = HandFed()
    window = MainWindow(fed.session)
    qtbot.addWidget(window)
    window.timer.stop()
    blocks, _ = doubtful_session()
    feed(fed, blocks, 16.0, lambda: None)
    window.on_frame()
    window.refresh_status()
    cards = window.pod_row.cards
    trunk = cards[Placement.TRUNK].confidence
    assert trunk.text() == "ambiguous — braking and lean disagree"
    assert palette.WARNING_COLOUR in trunk.styleSheet()
    note = window.traces.flexion_plot.note.toPlainText()
    assert note == "no trunk angles: ambiguous — braking and lean disagree"
    assert cards[Placement.PELVIS].confidence.text() == "angles from standing"
    assert cards[Placement.LEFT_SHOE].confidence.text() == "angles from standing"
    board = fed.session.board
    why = "FSA estimates 9° apart"
    board.publish([StrikeEvent(Side.LEFT, 100.0, 3.0, StrikeType.MIDFOOT),
                   StepEvent(Side.LEFT, 100.0, 100.25, 2.5, StrikeType.MIDFOOT, Quality.LOW,
                             why)], {}, {}, 0)  # fmt: skip
    window.on_frame()
    indicator = window.strike[Side.LEFT]
    assert indicator.type_label.text() == "MIDFOOT?" and indicator.fsa_label.text() == "+2.5°"
    assert indicator.note.text() == f"low confidence · {why}"
    assert palette.TEXT_DIM in indicator.fsa_label.styleSheet()
