"""One overwrite policy for every ``gaitdeck`` command that writes files.

Before doing any work a command lists the files it would write and calls
``refuse_overwrite``: an existing one is refused in one line naming ``--overwrite`` (said
once, however many files exist), and a file the command reads is never written, with or
without ``--overwrite``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from drivers.errors import GaitdeckError


def refuse_overwrite(
    outputs: Sequence[Path], *, overwrite: bool, inputs: Iterable[Path | None] = ()
) -> None:
    """Raise GaitdeckError if writing ``outputs`` would replace one of ``inputs`` (a
    recording, or the files of a pod CSV / MetaBase folder), a folder, or, without
    ``overwrite``, any existing file."""
    read = {_key(path) for path in input_files(inputs)}
    for out in outputs:
        if _key(out) in read:
            raise GaitdeckError(f"{out} is an input of this command; write the output elsewhere")
        if out.is_dir():
            raise GaitdeckError(f"{out} is a folder; give a file name")
    existing = [out for out in outputs if out.exists() or out.is_symlink()]
    if existing and not overwrite:
        raise GaitdeckError(_exists_message(existing))


def remove_for_overwrite(path: Path) -> None:
    """Make way for a file the user allowed to be replaced (``--overwrite``)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise GaitdeckError(f"cannot replace {path}: {exc.strerror or exc}") from None


def check_screenshot(
    path: Path | None, *, overwrite: bool, pods: bool = False, inputs: Iterable[Path | None] = ()
) -> None:
    """``--screenshot FILE.png``: a PNG name, under the same overwrite policy (with
    ``pods``, the pod manager's picture beside it too)."""
    if path is None:
        return
    if path.suffix.lower() != ".png":
        raise GaitdeckError(f"--screenshot must name a .png file, not {path.name!r}")
    outputs = [path, pods_screenshot_path(path)] if pods else [path]
    refuse_overwrite(outputs, overwrite=overwrite, inputs=inputs)


def pods_screenshot_path(screenshot: Path) -> Path:
    """Where the pod manager's picture goes beside the dashboard's: ``FILE-pods.png``."""
    return screenshot.with_name(f"{screenshot.stem}-pods{screenshot.suffix or '.png'}")


def input_files(inputs: Iterable[Path | None]) -> list[Path]:
    """The files a command reads from ``inputs``: a file itself, or the pod CSV files (and
    calibration.json) or MetaBase files of a folder."""
    files: list[Path] = []
    for path in inputs:
        if path is None:
            continue
        files += _folder_inputs(path) if path.is_dir() else [path]
    return files


def _folder_inputs(folder: Path) -> list[Path]:
    from drivers.imports.metabase import find_devices, is_metabase_folder
    from drivers.imports.pod_csv import CALIBRATION_FILE, pod_files

    files = [*pod_files(folder).values(), folder / CALIBRATION_FILE]
    if is_metabase_folder(folder):
        for device in find_devices(folder):
            files += [device.accelerometer] + ([device.gyroscope] if device.gyroscope else [])
    return files


def _exists_message(existing: Sequence[Path]) -> str:
    first = existing[0]
    if len(existing) == 1:
        return f"{first} already exists; add --overwrite to replace it"
    others = len(existing) - 1
    files = "file" if others == 1 else "files"
    return (f"{first} and {others} other {files} already exist; "
            "add --overwrite to replace them")  # fmt: skip


def _key(path: Path) -> str:
    """One spelling per file: absolute, symlinks resolved, case as the OS compares it."""
    return os.path.normcase(str(path.resolve()))
