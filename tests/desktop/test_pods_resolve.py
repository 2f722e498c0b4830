"""Resolving ``--pod`` arguments: placement, model and rate from the scan and from memory."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from desktop.pod_args import PodSpec, pod_spec
from desktop.pods_cli import resolve
from drivers.ble.link import Advertisement
from drivers.ble.scan import FoundPod
from drivers.errors import GaitdeckError
from drivers.pod_memory import PodMemory
from drivers.registry import POLAR_MODEL, RSC_MODEL, WITMOTION_MODEL, PodModel
from drivers.types import Placement

WIT, H10, STRYD = "C0:FF:EE:00:00:01", "C0:FF:EE:00:01:01", "C0:FF:EE:00:01:03"


def found(address: str, name: str, model: PodModel | None = WITMOTION_MODEL) -> FoundPod:
    return FoundPod(Advertisement(address, name, -60), model)


@pytest.fixture
def memory(tmp_path: Path) -> PodMemory:
    return PodMemory(tmp_path / "pods.json")


def test_pod_spec_parses_address_and_placement() -> None:
    assert pod_spec("c0:ff:ee:00:00:01=Left_Shoe") == PodSpec("c0:ff:ee:00:00:01",
                                                              Placement.LEFT_SHOE)  # fmt: skip
    assert pod_spec("C0:FF:EE:00:00:01") == PodSpec("C0:FF:EE:00:00:01")
    for bad in ("=trunk", "a b=trunk", "X=knee"):
        with pytest.raises(argparse.ArgumentTypeError):
            pod_spec(bad)


def test_heard_pods_take_the_model_from_the_scan(memory: PodMemory) -> None:
    pods = [found(WIT, "WT901BLE60"), found(H10, "Polar H10 1A2B3C4D", POLAR_MODEL),
            found(STRYD, "Stryd", RSC_MODEL)]  # fmt: skip
    specs = [PodSpec(WIT, Placement.TRUNK), PodSpec(H10, Placement.PELVIS),
             PodSpec(STRYD, Placement.TRUNK)]  # fmt: skip
    wit, h10, stryd = resolve(specs, pods, memory, 4.0)
    assert (wit.model_key, wit.rate_hz) == ("witmotion", 100.0)
    assert (h10.model_key, h10.placement) == ("polar", Placement.PELVIS)
    assert h10.rate_hz <= 200.0  # an H10 streams at most 200 Hz
    assert stryd.model_key == "rsc"  # a foot pod may share a placement with an IMU pod


def test_remembered_pods_need_no_placement_and_keep_their_rate(memory: PodMemory) -> None:
    memory.remember(WIT, Placement.LEFT_SHOE, "witmotion", 200.0)
    (choice,) = resolve([PodSpec(WIT.lower())], [found(WIT, "WT901BLE60")], memory, 4.0)
    assert (choice.placement, choice.rate_hz, choice.address) == (Placement.LEFT_SHOE, 200.0, WIT)
    memory.remember(WIT, Placement.LEFT_SHOE, "witmotion", 416.0)  # not a rate it can do
    (choice,) = resolve([PodSpec(WIT)], [found(WIT, "WT901BLE60")], memory, 4.0)
    assert choice.rate_hz == 100.0


def test_a_remembered_pod_not_heard_is_a_warning(memory: PodMemory) -> None:
    memory.remember(WIT, Placement.TRUNK, "witmotion")
    warnings: list[str] = []
    (choice,) = resolve([PodSpec(WIT)], [], memory, 4.0, warn=warnings.append)
    assert choice.model_key == "witmotion"
    assert warnings == [f"pod {WIT} not heard in 4 s; gaitdeck keeps looking for it"]


@pytest.mark.parametrize(
    ("specs", "heard", "message"),
    [
        ([PodSpec(WIT)], [], "where is pod"),
        ([PodSpec(WIT, Placement.TRUNK)], [], "not heard in 4 s"),
        ([PodSpec(WIT, Placement.TRUNK)], [found(WIT, "Kettle", None)], "not a pod gaitdeck"),
        ([PodSpec(WIT, Placement.TRUNK), PodSpec(WIT.lower(), Placement.PELVIS)],
         [found(WIT, "WT901BLE60")], "given twice"),
    ],
)  # fmt: skip
def test_problems_are_named(
    memory: PodMemory, specs: list[PodSpec], heard: list[FoundPod], message: str
) -> None:
    with pytest.raises(GaitdeckError, match=message):
        resolve(specs, heard, memory, 4.0)
