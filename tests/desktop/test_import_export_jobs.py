"""File → Import and File → Export: the worker behind a progress dialog, Cancel that
really stops it and leaves nothing behind, the MetaBase mapping dialog, asking before
overwriting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from desktop_fakes import FakeSession
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from desktop.file_dialogs import ExportDialog, MappingDialog
from desktop.job_runner import Job
from desktop.main_window import MainWindow
from drivers.errors import GaitdeckError
from drivers.imports.pod_csv import write_pod_folder
from drivers.recording.reader import Recording
from drivers.sim.runner_model import simulate
from drivers.types import Placement, SampleBlock
from processing import session_jobs
from processing.exports.session import ExportKind
from processing.replay_session import ReplaySession
from processing.session_jobs import Cancelled, JobControl, export_files, import_recording

SAMPLE = Path(__file__).resolve().parents[2] / "recordings" / "sim-mixed.gdrec"
MACS = {Placement.LEFT_SHOE: "C8F0A1B2C3D4", Placement.RIGHT_SHOE: "D1E2F3A4B5C6"}


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def window(qtbot, session: FakeSession) -> Iterator[MainWindow]:
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.timer.stop()
    win.session_actions.warn = lambda title, text: pytest.fail(f"{title}: {text}")
    yield win
    win.shutdown()


@pytest.fixture(scope="module")
def sim_blocks() -> dict[Placement, SampleBlock]:
    blocks, _ = simulate("forefoot-relaxed", 20.0, 100.0, seed=4)
    return blocks


def finish(qtbot, job: Job | None) -> Job:
    assert job is not None
    with qtbot.waitSignal(job.ended, timeout=60_000):
        pass
    return job


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ------------------------------------------------------------------------- import
def test_import_a_pod_csv_folder_and_open_it(qtbot, window: MainWindow, sim_blocks,
                                             tmp_path: Path, data_home: Path) -> None:  # fmt: skip
    folder = tmp_path / "treadmill-run"
    write_pod_folder(folder, sim_blocks)
    job = finish(qtbot, window.session_actions.import_session(folder))
    assert job.outcome == "done"
    [imported] = files_under(data_home / "gaitdeck" / "sessions")
    assert imported.name.endswith("-import-treadmill-run.gdrec")
    with Recording(imported) as recording:
        assert recording.clean and recording.header.extra["imported"] is True
        assert {p.placement for p in recording.header.pods} == set(sim_blocks)
        assert {p.kind for p in recording.header.pods} == {"samples"}
    [opened] = window.session_actions.windows  # the import opens at once
    qtbot.addWidget(opened)
    assert isinstance(opened.session, ReplaySession)
    assert opened.session.recording.path == imported
    assert "Imported into" in window.statusBar().currentMessage()
    opened.close()


def write_metabase(folder: Path, placement: Placement, block: SampleBlock) -> None:
    """One device of a MetaBase export: accelerometer and gyroscope files, ms epochs."""
    folder.mkdir(parents=True, exist_ok=True)
    epoch = np.round(1_700_000_000_000 + 1000.0 * block.t_s).astype(np.int64)
    for sensor, unit, values in (("Accelerometer", "g", block.acc_g),
                                 ("Gyroscope", "deg/s", block.gyro_dps)):  # fmt: skip
        rows = [f"epoch (ms),time (+00:00),elapsed (s),x-axis ({unit}),y-axis ({unit}),"
                f"z-axis ({unit})"]  # fmt: skip
        rows += [f"{e},t,{(e - epoch[0]) / 1000:.3f},{x:.4f},{y:.4f},{z:.4f}"
                 for e, (x, y, z) in zip(epoch, values, strict=True)]  # fmt: skip
        name = f"MetaWear_2024-01-01T10.00.00.000_{MACS[placement]}_{sensor}_100.000Hz_1.7.3.csv"
        (folder / name).write_text("\n".join(rows) + "\n")


def test_import_a_metabase_export_through_the_mapping_dialog(
    qtbot, window: MainWindow, sim_blocks, tmp_path: Path, data_home: Path
) -> None:
    folder = tmp_path / "metabase"
    for placement in MACS:
        write_metabase(folder, placement, sim_blocks[placement])
    asked: list[list[str]] = []

    def answer(addresses: list[str]) -> dict[str, Placement]:
        asked.append(addresses)
        dialog = MappingDialog(addresses, window)
        qtbot.addWidget(dialog)
        dialog.set_placement("C8:F0:A1:B2:C3:D4", Placement.LEFT_SHOE)
        dialog.set_placement("D1:E2:F3:A4:B5:C6", Placement.RIGHT_SHOE)
        return dialog.mapping()

    window.session_actions.ask_mapping = answer
    job = finish(qtbot, window.session_actions.import_session(folder))
    assert job.outcome == "done"
    assert asked == [["C8:F0:A1:B2:C3:D4", "D1:E2:F3:A4:B5:C6"]]
    [imported] = files_under(data_home / "gaitdeck" / "sessions")
    with Recording(imported) as recording:
        by_placement = {p.placement: p.address for p in recording.header.pods}
    assert by_placement == {Placement.LEFT_SHOE: "C8:F0:A1:B2:C3:D4",
                            Placement.RIGHT_SHOE: "D1:E2:F3:A4:B5:C6"}  # fmt: skip
    for opened in window.session_actions.windows:
        opened.close()


def test_mapping_dialog_wants_distinct_placements(qtbot) -> None:
    dialog = MappingDialog(["AA:00:00:00:00:01", "AA:00:00:00:00:02"])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.mapping() == {}  # no guessing
    dialog.set_placement("AA:00:00:00:00:01", Placement.TRUNK)
    dialog.set_placement("AA:00:00:00:00:02", Placement.TRUNK)
    assert not ok.isEnabled() and "same place" in dialog.problem.text()
    dialog.set_placement("AA:00:00:00:00:02", None)
    assert ok.isEnabled() and dialog.mapping() == {"AA:00:00:00:00:01": Placement.TRUNK}


def test_a_bad_import_folder_is_one_line(window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "left_shoe.csv").write_text("time,what\n1,2\n")
    control = JobControl()
    with pytest.raises(GaitdeckError) as error:
        import_recording(folder, tmp_path / "out.gdrec", control)
    assert "\n" not in str(error.value) and "left_shoe.csv" in str(error.value)
    assert not (tmp_path / "out.gdrec").exists()


def test_a_cancelled_import_leaves_no_file(sim_blocks, tmp_path: Path) -> None:
    folder = tmp_path / "pods"
    write_pod_folder(folder, sim_blocks)
    out = tmp_path / "out.gdrec"
    seen: list[float] = []
    control = JobControl(on_progress=seen.append)

    def cancel_while_writing(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.5:
            control.cancel()

    control.on_progress = cancel_while_writing
    with pytest.raises(Cancelled):
        import_recording(folder, out, control)
    assert seen[-1] > 0.5 and list(tmp_path.glob("out.gdrec*")) == []


# ------------------------------------------------------------------------- export
def test_export_the_open_recording(qtbot, window: MainWindow, tmp_path: Path) -> None:
    replay = window.session_actions.open_recording(SAMPLE)
    qtbot.addWidget(replay)
    out = tmp_path / "export"
    kinds = {ExportKind.TABLES, ExportKind.HTML}
    replay.session_actions.warn = window.session_actions.warn
    job = finish(qtbot, replay.session_actions.export_session(None, out, kinds))
    assert job.outcome == "done"
    names = [p.relative_to(out).as_posix() for p in files_under(out)]
    assert names == ["markers.csv", "steps.csv", "strides.csv", "summary.html", "summary.json"]
    assert "Exported 5 files" in replay.statusBar().currentMessage()
    replay.close()


def test_export_asks_before_overwriting(qtbot, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    (out / "steps.csv").write_text("mine\n")
    questions: list[str] = []
    actions = window.session_actions
    actions.confirm = lambda title, text: questions.append(text) or False
    assert actions.export_session(SAMPLE, out, {ExportKind.TABLES}) is None
    assert "Replace 1 existing file" in questions[0]
    assert (out / "steps.csv").read_text() == "mine\n"
    actions.confirm = lambda title, text: True
    job = finish(qtbot, actions.export_session(SAMPLE, out, {ExportKind.TABLES}))
    assert job.outcome == "done" and (out / "steps.csv").read_text() != "mine\n"


def test_cancel_stops_the_export_and_leaves_no_output(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate, analysing = threading.Event(), threading.Event()
    real_analyze = session_jobs.analyze_loaded

    def slow_analyze(loaded, progress):
        progress(0.1)
        analysing.set()
        assert gate.wait(30.0)
        return real_analyze(loaded, progress=progress)

    monkeypatch.setattr(session_jobs, "analyze_loaded", slow_analyze)
    out = tmp_path / "new" / "export"
    job = window.session_actions.export_session(SAMPLE, out, set(ExportKind))
    assert job is not None and job.dialog.isVisible()
    qtbot.waitUntil(lambda: analysing.is_set() and job.dialog.value() > 0)
    job.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert job.control.cancelled and job.dialog.labelText() == "Cancelling…"
    gate.set()
    finish(qtbot, job)
    assert job.outcome == "cancelled" and not job.dialog.isVisible()
    assert not out.exists() and files_under(tmp_path / "new") == []
    assert window.session_actions.jobs == []
    assert "nothing was written" in window.statusBar().currentMessage()


def test_a_cancel_after_writing_removes_the_staged_files(tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n")
    control = JobControl()
    control.on_progress = lambda fraction: control.cancel() if fraction >= 0.99 else None
    with pytest.raises(Cancelled):
        export_files(SAMPLE, out, {ExportKind.TABLES, ExportKind.SAMPLES}, control)
    assert files_under(out) == [out / "notes.txt"]


def test_export_in_a_live_window_needs_a_recording(window: MainWindow) -> None:
    warnings: list[str] = []
    window.session_actions.warn = lambda title, text: warnings.append(text)
    assert window.session_actions.export_session() is None
    assert warnings and warnings[0].startswith("Nothing recorded yet")


def test_export_dialog_chooses_formats_and_folder(qtbot, tmp_path: Path) -> None:
    dialog = ExportDialog(SAMPLE, tmp_path / "x")
    qtbot.addWidget(dialog)
    assert dialog.kinds() == set(ExportKind) and dialog.out_dir() == tmp_path / "x"
    for box in dialog.boxes.values():
        box.setChecked(False)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.boxes[ExportKind.C3D].setChecked(True)
    assert dialog.kinds() == {ExportKind.C3D}
