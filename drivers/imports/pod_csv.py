"""Pod CSV files: one file per pod named after its placement, samples in its sensor axes.

A session is a folder holding any non-empty subset of ``trunk.csv``, ``pelvis.csv``,
``left_shoe.csv`` and ``right_shoe.csv`` (other files are ignored). Each file is UTF-8 text,
one sample per line, comma separated, under exactly this header::

    time_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps
    12.340000,0.0121,-0.9812,0.1043,1.52,-0.31,0.20

* ``time_s``: seconds on the pods' clock (any origin), finite and strictly increasing.
* ``ax_g … az_g``: specific force in standard gravity; ``gx_dps … gz_dps``: angular velocity
  in degrees per second; both in the pod's own sensor axes (any strap orientation).
* ``nan`` (or ``inf``) in a sensor cell marks a missing value: the sample is kept here and
  dropped by the processing's input guard. Any other text that is not a number is an error.
* Empty lines are skipped.

A folder may also hold ``calibration.json``: the calibration the session started from, as a
recording's ``calibration`` event (``{"type": "calibration", "pods": {…}}``, see
recordings/README.md), with ``calibrated_at_s`` on the files' clock. ``gaitdeck export
--format samples`` writes it beside the samples of a recording that holds one, and
``analyze`` and ``import`` start from it, so a recording made after calibrating live (whose
file holds no standing) gives the same steps after the round trip. ``session.json``
(``drivers.imports.session_file``) carries the rest of a recording's session: its start,
runner, notes, markers and events.

Reading is pure (no logging, no clocks) and fast: one ``numpy.loadtxt`` pass; only when it
fails is the file re-scanned line by line to name the offending line in ``CsvFormatError``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from drivers.errors import GaitdeckError
from drivers.types import FloatArray, Placement, SampleBlock

HEADER = "time_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps"
COLUMNS = tuple(HEADER.split(","))
POD_FILE_NAMES = {placement: f"{placement.value}.csv" for placement in Placement}
TIME_FORMAT = "%.6f"  # microseconds, whatever the clock's origin
SENSOR_FORMAT = "%.9g"
CALIBRATION_FILE = "calibration.json"


class CsvFormatError(GaitdeckError):
    """A pod CSV file that cannot be read; the message names the file and, if known, the line."""

    def __init__(self, file_name: str, line: int | None, reason: str) -> None:
        self.file_name = file_name
        self.line = line
        self.reason = reason
        where = file_name if line is None else f"{file_name} line {line}"
        super().__init__(f"{where}: {reason}")


def pod_files(folder: Path) -> dict[Placement, Path]:
    """The pod files present in ``folder``, by placement (possibly none)."""
    found = {p: folder / name for p, name in POD_FILE_NAMES.items()}
    return {p: path for p, path in found.items() if path.exists()}


def read_pod_folder(folder: Path) -> dict[Placement, SampleBlock]:
    """Every pod file in ``folder``; raises GaitdeckError if it is not a folder or has none."""
    if not folder.exists():
        raise GaitdeckError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise GaitdeckError(f"{folder}: not a folder (give the folder holding the pod CSV files)")
    files = pod_files(folder)
    if not files:
        names = ", ".join(POD_FILE_NAMES.values())
        raise GaitdeckError(f"{folder}: none of {names} found")
    return {placement: read_pod_csv(path) for placement, path in files.items()}


def read_pod_csv(path: Path) -> SampleBlock:
    """One pod file as a SampleBlock; raises CsvFormatError naming the file and line."""
    _check_header(path)
    table = _load_table(path)
    if table.shape[0] == 0:
        raise CsvFormatError(path.name, 2, "no samples after the header")
    if table.shape[1] != len(COLUMNS):
        raise CsvFormatError(path.name, 2, _column_count_problem(table.shape[1]))
    t_s = np.ascontiguousarray(table[:, 0])
    _check_time(path, t_s)
    acc_g = np.ascontiguousarray(table[:, 1:4])
    gyro_dps = np.ascontiguousarray(table[:, 4:7])
    return SampleBlock(t_s, acc_g, gyro_dps)


def write_pod_csv(path: Path, block: SampleBlock) -> None:
    """Write ``block`` in the pod CSV format (reading it back gives the same samples)."""
    table = np.column_stack([block.t_s, block.acc_g, block.gyro_dps])
    formats = [TIME_FORMAT] + [SENSOR_FORMAT] * 6
    np.savetxt(path, table, fmt=formats, delimiter=",", header=HEADER, comments="")


def write_pod_folder(folder: Path, blocks: Mapping[Placement, SampleBlock]) -> list[Path]:
    """One ``<placement>.csv`` per block in ``folder`` (created if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for placement, block in blocks.items():
        path = folder / POD_FILE_NAMES[placement]
        write_pod_csv(path, block)
        paths.append(path)
    return paths


def read_calibration(folder: Path) -> dict[str, Any] | None:
    """The folder's ``calibration.json`` as a JSON object (None if there is none); raises
    CsvFormatError if it is not a JSON object (its content is checked where it is used)."""
    path = folder / CALIBRATION_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CsvFormatError(CALIBRATION_FILE, None, f"cannot read ({exc})") from None
    if not isinstance(data, dict):
        raise CsvFormatError(CALIBRATION_FILE, None, "must hold a JSON object")
    return data


def write_calibration(folder: Path, event: Mapping[str, Any]) -> Path:
    """Write ``event`` (a ``calibration`` event's body) as the folder's calibration.json."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CALIBRATION_FILE
    path.write_text(json.dumps(dict(event), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as stream:
            first = stream.readline()
    except OSError as exc:
        raise CsvFormatError(path.name, None, f"cannot read ({exc.strerror or exc})") from None
    if not first.strip():
        raise CsvFormatError(path.name, 1, f"empty, expected the header {HEADER}")
    header = _decoded(path, 1, first).lstrip("\ufeff").strip()
    if header.replace(" ", "") == HEADER:
        return
    if _row_problem(header) is None:
        raise CsvFormatError(path.name, 1, f"no header: the first line must be {HEADER}")
    raise CsvFormatError(path.name, 1, f"header must be {HEADER}, not {_shortened(header)}")


def _load_table(path: Path) -> FloatArray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": reported by caller
            table = np.loadtxt(
                path, delimiter=",", skiprows=1, ndmin=2, comments=None, dtype=np.float64,
                encoding="utf-8",
            )  # fmt: skip
    except (ValueError, UnicodeDecodeError) as exc:
        raise _first_bad_line(path) or CsvFormatError(path.name, None, str(exc)) from None
    except OSError as exc:
        raise CsvFormatError(path.name, None, f"cannot read ({exc.strerror or exc})") from None
    return np.asarray(table, dtype=np.float64)


def _check_time(path: Path, t_s: FloatArray) -> None:
    """Time must be finite and strictly increasing: the line of the first offence is named."""
    bad = np.flatnonzero(~np.isfinite(t_s))
    if bad.size:
        row = int(bad[0])
        raise CsvFormatError(path.name, _line_of_row(path, row), "time_s is not a finite number")
    steps = np.flatnonzero(np.diff(t_s) <= 0.0)
    if steps.size:
        row = int(steps[0]) + 1
        now, before = float(t_s[row]), float(t_s[row - 1])
        reason = (
            f"time repeats ({now!r})"
            if now == before
            else f"time goes backwards ({now!r} after {before!r})"
        )
        raise CsvFormatError(path.name, _line_of_row(path, row), reason)


def _data_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) of each non-empty line after the header."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw.rstrip(b"\r\n")
            if number > 1 and line:
                yield number, line


def _line_of_row(path: Path, row: int) -> int:
    """The file line holding data row ``row`` (0-based; empty lines are not rows)."""
    for k, (number, _) in enumerate(_data_lines(path)):
        if k == row:
            return number
    return row + 2


def _first_bad_line(path: Path) -> CsvFormatError | None:
    """The first line ``loadtxt`` would reject, as an error; None if none is found."""
    for number, raw in _data_lines(path):
        problem = _row_problem(_decoded(path, number, raw))
        if problem is not None:
            return CsvFormatError(path.name, number, problem)
    return None


def _decoded(path: Path, number: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CsvFormatError(path.name, number, "not UTF-8 text") from None


def _row_problem(text: str) -> str | None:
    """Why one data line is malformed, or None if it holds seven numbers."""
    cells = text.split(",")
    if len(cells) != len(COLUMNS):
        return _column_count_problem(len(cells))
    for column, cell in zip(COLUMNS, cells, strict=True):
        if not cell.strip():
            return f"{column} is empty (write nan for a missing value)"
        try:
            float(cell.replace("_", "?"))  # float() accepts 1_000, the fast reader does not
        except ValueError:
            return f"{column} is not a number: {_shortened(cell.strip())}"
    return None


def _column_count_problem(count: int) -> str:
    return f"expected {len(COLUMNS)} comma-separated values, found {count}"


def _shortened(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
