"""``gaitdeck report`` through the real console script: HTML and PDF out, one-line errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import GUARDED, MIXED

GAITDECK = Path(sys.executable).with_name("gaitdeck")
Run = subprocess.CompletedProcess[str]


def gaitdeck(*args: str) -> Run:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(GAITDECK), "report", *args], capture_output=True, text=True,
                          timeout=180, env=env)  # fmt: skip


def one_line_error(run: Run, *words: str) -> None:
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gaitdeck: "), run.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_html_report_with_comparison(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run = gaitdeck(str(MIXED), "--out", str(out), "--compare", str(GUARDED))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert 'id="compare"' in text and "runner sim-mixed" in text
    assert list(tmp_path.iterdir()) == [out]  # no partial file left behind


def test_pdf_report(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    run = gaitdeck(str(MIXED), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF") and "pages" in run.stdout


def test_existing_output_is_kept_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("keep")
    one_line_error(gaitdeck(str(MIXED), "--out", str(out)), "already exists", "--overwrite")
    assert out.read_text() == "keep"
    run = gaitdeck(str(MIXED), "--out", str(out), "--overwrite")
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unknown_extension(tmp_path: Path) -> None:
    one_line_error(gaitdeck(str(MIXED), "--out", str(tmp_path / "r.docx")), ".html or .pdf")
    assert list(tmp_path.iterdir()) == []


def test_missing_recording(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    one_line_error(gaitdeck(str(tmp_path / "none.gdrec"), "--out", str(out)), "no such file")
    one_line_error(
        gaitdeck(str(MIXED), "--out", str(out), "--compare", str(tmp_path / "old.gdrec")),
        "old.gdrec",
    )
    assert not out.exists()


def test_corrupt_recording(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gdrec"
    bad.write_bytes(b"not a recording at all" * 10)
    out = tmp_path / "r.pdf"
    one_line_error(gaitdeck(str(bad), "--out", str(out)), "not a gaitdeck recording")
    cut = tmp_path / "cut.gdrec"
    cut.write_bytes(MIXED.read_bytes()[:40])
    one_line_error(gaitdeck(str(cut), "--out", str(out)), "cut.gdrec")
    assert not out.exists()


def test_folder_is_not_a_recording(tmp_path: Path) -> None:
    one_line_error(gaitdeck(str(tmp_path), "--out", str(tmp_path / "r.html")), "folder")


def test_comparison_warnings_are_also_said_on_the_terminal(tmp_path: Path) -> None:
    """sim-heel-striker-guarded against sim-mixed, recorded 32 s after it: another runner
    id, and the comparison session is newer. Each warning once, on stderr."""
    out = tmp_path / "report.html"
    run = gaitdeck(str(GUARDED), "--out", str(out), "--compare", str(MIXED))
    assert run.returncode == 0, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("gaitdeck: warning: ") for line in lines)
    assert sum("different runner ids" in line for line in lines) == 1
    newer = [line for line in lines if "was recorded after this one" in line]
    assert len(newer) == 1
    # both start in the same minute: the seconds tell them apart
    moments = re.findall(r"\((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\)", newer[0])
    assert len(moments) == 2 and moments[0] > moments[1], newer[0]
    page = out.read_text(encoding="utf-8")
    assert "different runner ids" in page and "was recorded after this one" in page


def test_same_runner_earlier_session_gives_no_warning(tmp_path: Path) -> None:
    run = gaitdeck(str(MIXED), "--out", str(tmp_path / "r.html"), "--compare", str(MIXED))
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr
