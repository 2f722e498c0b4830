"""Pod CSV reader and writer: round trips, tolerated variations, typed errors with lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from drivers.errors import GaitdeckError
from drivers.imports.pod_csv import (
    HEADER,
    CsvFormatError,
    read_pod_csv,
    read_pod_folder,
    write_pod_csv,
    write_pod_folder,
)
from drivers.types import Placement, SampleBlock


def random_block(n: int = 500, t0_s: float = 1_732_612_345.0, seed: int = 0) -> SampleBlock:
    """Epoch-like clock (large origin), 200 Hz, realistic magnitudes."""
    rng = np.random.default_rng(seed)
    t_s = t0_s + np.arange(n) / 200.0
    return SampleBlock(t_s, rng.normal(0.0, 2.0, (n, 3)), rng.normal(0.0, 400.0, (n, 3)))


def write_text(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def test_round_trip_keeps_samples(tmp_path: Path) -> None:
    block = random_block()
    path = tmp_path / "trunk.csv"
    write_pod_csv(path, block)
    back = read_pod_csv(path)
    np.testing.assert_allclose(back.t_s, block.t_s, rtol=0, atol=1e-6)
    np.testing.assert_allclose(back.acc_g, block.acc_g, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(back.gyro_dps, block.gyro_dps, rtol=1e-8, atol=1e-12)
    assert path.read_text().splitlines()[0] == HEADER


def test_writing_what_was_read_gives_the_same_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_pod_csv(first, random_block())
    write_pod_csv(second, read_pod_csv(first))
    assert first.read_bytes() == second.read_bytes()


def test_missing_values_round_trip_as_nan(tmp_path: Path) -> None:
    block = random_block(50)
    block.acc_g[3, 1] = np.nan
    block.gyro_dps[7, 2] = np.inf
    path = tmp_path / "pelvis.csv"
    write_pod_csv(path, block)
    back = read_pod_csv(path)
    assert np.isnan(back.acc_g[3, 1]) and np.isposinf(back.gyro_dps[7, 2])
    assert np.isfinite(back.acc_g).sum() == 50 * 3 - 1


def test_folder_round_trip_reads_only_pod_files(tmp_path: Path) -> None:
    blocks = {Placement.LEFT_SHOE: random_block(seed=1), Placement.TRUNK: random_block(seed=2)}
    write_pod_folder(tmp_path, blocks)
    write_text(tmp_path / "notes.csv", "anything,at,all")
    back = read_pod_folder(tmp_path)
    assert set(back) == set(blocks)
    np.testing.assert_allclose(back[Placement.TRUNK].acc_g, blocks[Placement.TRUNK].acc_g)


def test_a_folder_without_pod_files_is_an_error(tmp_path: Path) -> None:
    write_text(tmp_path / "Trunk.CSV", HEADER, "0,0,0,1,0,0,0")
    with pytest.raises(GaitdeckError, match=r"none of trunk\.csv, pelvis\.csv"):
        read_pod_folder(tmp_path)


def test_crlf_bom_blank_lines_and_spaces_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "trunk.csv"
    text = "\ufefftime_s, ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\r\n0.0,0,0,1,0,0,0\r\n\r\n"
    path.write_text(text + "0.01, 0.5 ,0,1,0,0,NaN\r\n", encoding="utf-8", newline="")
    block = read_pod_csv(path)
    assert block.t_s.tolist() == [0.0, 0.01] and block.acc_g[1, 0] == 0.5
    assert np.isnan(block.gyro_dps[1, 2])


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "right_shoe.csv", HEADER, "1,0,0,1,0,0,0", "", "", "0.5,0,0,1,0,0,0"
    )
    with pytest.raises(CsvFormatError) as caught:
        read_pod_csv(path)
    assert (caught.value.file_name, caught.value.line) == ("right_shoe.csv", 5)
    assert str(caught.value) == "right_shoe.csv line 5: time goes backwards (0.5 after 1.0)"


def test_a_bad_cell_names_its_column_and_line(tmp_path: Path) -> None:
    rows = [f"{k / 100},0,0,1,0,0,0" for k in range(1000)]
    rows[700] = "7.0,0,0,1,0,oops,0"
    path = write_text(tmp_path / "pelvis.csv", HEADER, *rows)
    with pytest.raises(
        CsvFormatError, match=r"^pelvis.csv line 702: gy_dps is not a number: 'oops'$"
    ):
        read_pod_csv(path)


def test_an_unreadable_file_is_a_csv_error(tmp_path: Path) -> None:
    (tmp_path / "trunk.csv").mkdir()
    with pytest.raises(CsvFormatError, match=r"^trunk.csv: cannot read \(Is a directory\)$"):
        read_pod_folder(tmp_path)
