"""MetaBase CSV exports: pairing accelerometer and gyroscope files, mapping devices, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from drivers.errors import GaitdeckError
from drivers.imports.metabase import (
    find_devices,
    is_metabase_folder,
    read_metabase_folder,
    read_sensor_file,
)
from drivers.imports.pod_csv import CsvFormatError
from drivers.sim.runner_model import simulate
from drivers.types import Placement, SampleBlock
from processing.analysis import analyze

EPOCH0_MS = 1_732_600_000_000
MACS = {Placement.LEFT_SHOE: "C8F0A1B2C3D4", Placement.RIGHT_SHOE: "D1E2F3A4B5C6"}


def write_metabase(
    folder: Path, placement: Placement, block: SampleBlock, offset_ms: float = 0.0
) -> None:
    """What MetaBase writes for one device: ms epochs, 3 decimals, gyro stamped apart."""
    mac = MACS[placement]
    for sensor, unit, values, shift in (
        ("Accelerometer", "g", block.acc_g, 0.0), ("Gyroscope", "deg/s", block.gyro_dps, 0.4),
    ):  # fmt: skip
        epoch = np.round(EPOCH0_MS + offset_ms + 1000.0 * block.t_s + shift).astype(np.int64)
        lines = [
            f"epoch (ms),time (+01:00),elapsed (s),x-axis ({unit}),y-axis ({unit}),z-axis ({unit})"
        ]
        lines += [f"{e},2024-11-26T10.00.00.000,{(e - epoch[0]) / 1000:.3f},{x:.3f},{y:.3f},{z:.3f}"
                  for e, (x, y, z) in zip(epoch, values, strict=True)]  # fmt: skip
        name = f"MetaWear_2024-11-26T10.00.00.000_{mac}_{sensor}_200.000Hz_1.7.3.csv"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def export(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[Placement, SampleBlock], object]:
    folder = tmp_path_factory.mktemp("metabase")
    blocks, model = simulate("forefoot-relaxed", 40.0, 200.0, seed=5)
    for placement in MACS:
        write_metabase(
            folder,
            placement,
            blocks[placement],
            offset_ms=3.0 if placement is Placement.RIGHT_SHOE else 0.0,
        )
    return folder, blocks, model


def mapping() -> dict[str, Placement]:
    return {":".join(m[i : i + 2] for i in range(0, 12, 2)): p for p, m in MACS.items()}


def test_devices_are_found_by_address_with_both_sensors(export: tuple) -> None:
    folder = export[0]
    assert is_metabase_folder(folder)
    devices = find_devices(folder)
    assert [d.address for d in devices] == ["C8:F0:A1:B2:C3:D4", "D1:E2:F3:A4:B5:C6"]
    assert all(d.gyroscope is not None for d in devices)


def test_samples_match_what_was_exported(export: tuple) -> None:
    folder, blocks, _ = export
    read = read_metabase_folder(folder, mapping())
    left, truth = read[Placement.LEFT_SHOE], blocks[Placement.LEFT_SHOE]
    assert len(left) == len(truth)
    assert np.allclose(left.t_s, truth.t_s - truth.t_s[0], atol=6e-4)  # ms stamps
    assert np.allclose(left.acc_g, truth.acc_g, atol=6e-4)
    # gyro stamped 0.4 ms apart and interpolated back onto the accelerometer times
    inside = np.isfinite(left.gyro_dps[:, 0])
    assert inside.mean() > 0.99
    err = np.abs(left.gyro_dps[inside] - truth.gyro_dps[inside])
    assert np.median(err) < 1.0
    right = read[Placement.RIGHT_SHOE]
    assert right.t_s[0] == pytest.approx(left.t_s[0] + 0.003, abs=1e-3)  # one session clock


def test_an_imported_session_analyses_like_the_original(export: tuple) -> None:
    folder, blocks, _ = export
    imported = analyze(read_metabase_folder(folder, mapping()))
    original = analyze({p: blocks[p] for p in MACS})
    assert abs(len(imported.steps) - len(original.steps)) <= 1
    labels = [s.strike.value for s in imported.steps]
    assert labels.count("forefoot") >= 0.9 * len(labels)


def test_a_device_without_a_placement_is_named(export: tuple) -> None:
    folder = export[0]
    with pytest.raises(
        GaitdeckError, match=r"D1:E2:F3:A4:B5:C6 has no placement.*D1E2F3A4B5C6=left_shoe"
    ):
        read_metabase_folder(folder, {"C8:F0:A1:B2:C3:D4": Placement.LEFT_SHOE})


def test_wrong_header_names_the_expected_one(tmp_path: Path) -> None:
    path = tmp_path / "MetaWear_x_C8F0A1B2C3D4_Accelerometer_100Hz.csv"
    path.write_text("time_s,ax,ay,az\n1,2,3,4\n")
    with pytest.raises(CsvFormatError, match=r"line 1: header must be epoch \(ms\),time"):
        read_sensor_file(path, "g")


def test_gyro_file_read_as_accelerometer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "epoch (ms),time (+00:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n"
    )
    with pytest.raises(CsvFormatError, match="x-axis \\(g\\)"):
        read_sensor_file(path, "g")


@pytest.mark.parametrize(
    ("rows", "message"),
    [([], "line 2: no samples"), (["1,t,0,1,2,x"], "line 2: not a number"),
     (["1,t,0,1,2,3", "2,t,0,1,2"], "line 3: expected 6 values"),
     (["5,t,0,1,2,3", "4,t,0,1,2,3"], "line 3: epoch \\(ms\\) goes backwards")],
)  # fmt: skip
def test_malformed_rows_name_the_line(tmp_path: Path, rows: list[str], message: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "\n".join(["epoch (ms),time (+00:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)", *rows])
        + "\n"
    )
    with pytest.raises(CsvFormatError, match=message):
        read_sensor_file(path, "g")


def test_a_folder_without_metabase_files(tmp_path: Path) -> None:
    (tmp_path / "trunk.csv").write_text("time_s\n")
    assert not is_metabase_folder(tmp_path)
    with pytest.raises(GaitdeckError, match="no MetaBase files"):
        find_devices(tmp_path)
