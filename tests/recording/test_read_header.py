"""Reading a recording's header alone (the report's search for earlier sessions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.recording import Recording, RecordingError
from drivers.recording.reader import read_header

SAMPLE = Path(__file__).resolve().parents[2] / "recordings" / "sim-mixed.gdrec"


def test_the_header_alone_is_the_recordings_header() -> None:
    with Recording(SAMPLE) as recording:
        assert read_header(SAMPLE) == recording.header
    assert read_header(SAMPLE).runner_id == "sim-mixed"


def test_bad_files_are_refused_in_one_line(tmp_path: Path) -> None:
    not_ours = tmp_path / "notes.gdrec"
    not_ours.write_bytes(b"hello, this is not a recording at all")
    cut = tmp_path / "cut.gdrec"
    cut.write_bytes(SAMPLE.read_bytes()[:40])
    for path, says in [(not_ours, "is not a gaitdeck recording"),
                       (cut, "cut short inside its header"),
                       (tmp_path / "missing.gdrec", "cannot open")]:  # fmt: skip
        with pytest.raises(RecordingError, match=says):
            read_header(path)
