"""Pod memory: placements, models and rates remembered per address in a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.pod_memory import CONFIG_ENV, PodMemory, RememberedPod, config_dir
from drivers.types import Placement


def test_remembers_across_instances_case_insensitively(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "pods.json"
    memory = PodMemory(path)
    memory.remember("c0:ff:ee:00:00:01", Placement.LEFT_SHOE, "witmotion", 200.0)
    memory.remember("C0:FF:EE:00:00:02", Placement.TRUNK, "polar")
    again = PodMemory(path)
    assert again.get("C0:FF:EE:00:00:01") == RememberedPod(
        "C0:FF:EE:00:00:01", Placement.LEFT_SHOE, "witmotion", 200.0
    )
    assert again.get("c0:ff:ee:00:00:02") == RememberedPod(
        "C0:FF:EE:00:00:02", Placement.TRUNK, "polar", None
    )
    assert again.get("C0:FF:EE:00:00:03") is None
    assert [p.address for p in again.all()] == ["C0:FF:EE:00:00:01", "C0:FF:EE:00:00:02"]
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert data["pods"]["C0:FF:EE:00:00:01"] == {
        "placement": "left_shoe", "model": "witmotion", "rate_hz": 200.0,
    }  # fmt: skip
    assert not path.with_name("pods.json.tmp").exists()


def test_a_new_choice_replaces_the_old_and_forget_removes(tmp_path: Path) -> None:
    path = tmp_path / "pods.json"
    memory = PodMemory(path)
    memory.remember("AA", Placement.TRUNK, "witmotion", 100.0)
    memory.remember("AA", Placement.PELVIS, "witmotion", 50.0)
    assert PodMemory(path).get("AA") == RememberedPod("AA", Placement.PELVIS, "witmotion", 50.0)
    memory.forget("aa")
    assert PodMemory(path).get("AA") is None


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"version": 2, "pods": {}}',
        '{"version": 1, "pods": []}',
        '{"version": 1, "pods": {"AA": {"placement": "elbow", "model": "witmotion"}}}',
        '{"version": 1, "pods": {"AA": {"placement": "trunk"}}}',
        '{"version": 1, "pods": {"AA": {"placement": "trunk", "model": "x", "rate_hz": -5}}}',
        '{"version": 1, "pods": {"AA": "trunk"}}',
    ],
)
def test_a_corrupt_file_is_one_warning_and_an_empty_start(tmp_path: Path, content: str) -> None:
    path = tmp_path / "pods.json"
    path.write_text(content)
    warnings: list[str] = []
    memory = PodMemory(path, warn=warnings.append)
    assert memory.all() == []
    assert len(warnings) == 1 and "\n" not in warnings[0] and str(path) in warnings[0]
    memory.remember("AA", Placement.TRUNK, "witmotion")  # replaces the bad file
    assert PodMemory(path).get("AA") is not None


def test_undecodable_bytes_are_a_warning_too(tmp_path: Path) -> None:
    path = tmp_path / "pods.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    warnings: list[str] = []
    assert PodMemory(path, warn=warnings.append).all() == []
    assert len(warnings) == 1


def test_an_unwritable_folder_warns_and_keeps_the_choice(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    warnings: list[str] = []
    memory = PodMemory(blocker / "pods.json", warn=warnings.append)
    warnings.clear()  # reading it failed too
    memory.remember("AA", Placement.TRUNK, "witmotion")
    assert memory.get("AA") is not None  # still known for this run
    assert len(warnings) == 1 and "cannot save" in warnings[0]


def test_config_dir_honours_the_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path))
    assert config_dir() == tmp_path
    monkeypatch.delenv(CONFIG_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir().name == "gaitdeck"
