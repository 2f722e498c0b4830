"""The calibration wizard says when a trunk pod's forward direction is ambiguous, with the
reason, and asks: the runner leans forward briefly and that lean confirms forward (issue 12,
item 2). On a live session fed by hand with a simulated session whose trunk standing is
bent forward, so the running leans back from it against the braking cue."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from doubtful_session import doubtful_session
from test_wizard import RATE, HandFed

from desktop.wizard.calibration_wizard import CalibrationWizard
from desktop.wizard.flow import Step
from drivers.types import Placement, SampleBlock
from processing.calibration_check import pod_calibrations
from processing.stages.alignment import AlignmentStatus

TRUNK = Placement.TRUNK


def feed(fed: HandFed, blocks: dict[Placement, SampleBlock], seconds: float,
         each: Callable[[], None]) -> None:  # fmt: skip
    """The session's next ``seconds`` of every pod, in 0.1 s blocks, stepping the engine."""
    ids = {info.placement: info.pod_id for info in fed.session.buffers.pods.values()}
    n = int(RATE / 10)
    for _ in range(round(seconds * 10)):
        k = round(fed.t_s * RATE)
        for placement, block in blocks.items():
            part = block.slice(k, k + n)
            fed.session.buffers.push(
                ids[placement],
                SampleBlock(fed.t_s + np.arange(n) / RATE, part.acc_g, part.gyro_dps),
            )
        fed.t_s += n / RATE
        fed.session.engine.step()
        each()


def leaning(up: np.ndarray, forward: np.ndarray, degrees: float) -> np.ndarray:
    """Gravity's reaction (sensor axes) for a segment leaning ``degrees`` forward from the
    standing whose up is ``up``: it tilts toward the segment's back."""
    back = -(forward - (forward @ up) * up)
    back /= np.linalg.norm(back)
    angle = np.radians(degrees)
    return np.asarray(np.cos(angle) * up + np.sin(angle) * back)


def test_an_ambiguous_trunk_is_named_and_a_forward_lean_confirms_it(qtbot) -> None:
    blocks, model = doubtful_session()
    fed = HandFed()
    wizard = CalibrationWizard(fed.session)
    qtbot.addWidget(wizard)
    wizard.timer.stop()  # refreshed by hand
    feed(fed, blocks, 16.0, wizard.refresh)
    assert wizard.step is Step.MOVE  # the shoes and pelvis are found, the trunk is not
    assert wizard.flow.in_doubt() == {TRUNK: "braking and forward lean disagree on forward"}
    assert wizard.move_rows.text(TRUNK) == (
        "ambiguous — braking and forward lean disagree on forward"
    )
    assert wizard.lean_button.isVisibleTo(wizard)
    wizard.skip()
    assert "Ambiguous forward direction (trunk pod: braking and forward lean disagree" in (
        wizard.message.text()
    )
    assert "forward direction ambiguous (braking" in wizard.summary_rows.text(TRUNK)
    assert pod_calibrations(fed.pipeline)[TRUNK].axes is None  # no guess shown as fact

    wizard.lean_button.click()
    assert wizard.step is Step.LEAN and wizard.pages.currentIndex() == 3
    up = {p: c.up_sensor for p, c in pod_calibrations(fed.pipeline).items()}
    forward = np.asarray(model.mounting[TRUNK])[0]
    fed.up = dict(up)
    fed.up[TRUNK] = leaning(up[TRUNK], forward, 4.0)  # too little to tell
    fed.stand(3.5, each=wizard.refresh)
    assert wizard.step is Step.LEAN
    assert wizard.lean_rows.text(TRUNK) == "leaning 4° — lean further forward"
    fed.up[TRUNK] = leaning(up[TRUNK], forward, 60.0)  # not a lean: the pod moved
    fed.stand(3.5, each=wizard.refresh)
    assert wizard.step is Step.LEAN
    assert wizard.lean_rows.text(TRUNK) == "tilted 60° — too far: has the pod moved?"
    fed.up[TRUNK] = leaning(up[TRUNK], forward, 15.0)
    fed.stand(1.0, each=wizard.refresh)
    assert wizard.lean_rows.text(TRUNK) == "leaning 15° — hold still"
    assert wizard.message.text().startswith("Hold the lean…")
    fed.stand(3.0, each=wizard.refresh)
    assert wizard.step is Step.SUMMARY and wizard.flow.confirmed == {TRUNK}
    trunk = pod_calibrations(fed.pipeline)[TRUNK]
    assert trunk.status is AlignmentStatus.DECIDED and trunk.axes is not None
    level = forward - (forward @ trunk.up_sensor) * trunk.up_sensor  # forward at standing
    assert float(trunk.axes[0] @ level / np.linalg.norm(level)) > 0.99
    assert wizard.summary_rows.text(TRUNK).endswith("confirmed by a forward lean")
    assert not wizard.lean_button.isVisibleTo(wizard)
    assert fed.pipeline.alignment_report()["trunk"]["status"] == "decided"
