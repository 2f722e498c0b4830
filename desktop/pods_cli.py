"""``gaitdeck --pods`` and ``gaitdeck --pod ADDRESS[=PLACEMENT]``: real pods, before Qt.

``--pod`` resolves each pod first — placement given or remembered, model from a short scan
(or remembered), rate remembered or the model's default — so that every mistake is one line
on stderr before a window opens. A remembered pod that is not heard yet is only a warning:
its source keeps looking for it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from desktop.pod_args import PLACEMENT_NAMES, PodSpec
from desktop.pod_manager_model import default_rate_hz, rate_choices
from desktop.pod_session import PodChoice, PodSession, is_imu
from drivers.ble.scan import FoundPod
from drivers.errors import GaitdeckError
from drivers.pod_links import PodLinks
from drivers.pod_memory import PodMemory, normalise_address
from drivers.registry import model_by_key
from drivers.types import Placement

SCAN_GRACE_S = 10.0  # beyond the scan's own timeout, before giving up on the BLE thread


def warn(message: str) -> None:
    print(f"gaitdeck: warning: {message}", file=sys.stderr)


def resolve(
    specs: Sequence[PodSpec],
    found: Sequence[FoundPod],
    memory: PodMemory,
    scan_s: float,
    warn: Callable[[str], None] = warn,
) -> list[PodChoice]:
    """What to connect for each ``--pod``; GaitdeckError names the first problem."""
    heard = {normalise_address(pod.address): pod for pod in found}
    choices = [_resolve_one(spec, heard, memory, scan_s, warn) for spec in specs]
    _check_unique(choices)
    return choices


def _resolve_one(
    spec: PodSpec,
    heard: dict[str, FoundPod],
    memory: PodMemory,
    scan_s: float,
    warn: Callable[[str], None],
) -> PodChoice:
    remembered = memory.get(spec.address)
    placement = spec.placement or (remembered.placement if remembered else None)
    if placement is None:
        raise GaitdeckError(f"where is pod {spec.address} worn? give it as "
                            f"{spec.address}=PLACEMENT ({PLACEMENT_NAMES})")  # fmt: skip
    pod = heard.get(normalise_address(spec.address))
    if pod is not None and pod.model is None:
        raise GaitdeckError(f"{spec.address} ({pod.name or 'no name'}) is not a pod gaitdeck knows")
    model_key = pod.model.key if pod is not None and pod.model is not None else None
    if model_key is None and remembered is not None:
        model_key = remembered.model_key
        warn(f"pod {spec.address} not heard in {scan_s:g} s; gaitdeck keeps looking for it")
    if model_key is None:
        raise GaitdeckError(f"pod {spec.address} not heard in {scan_s:g} s (switched on? "
                            "connected to a phone?)")  # fmt: skip
    name = pod.name if pod is not None else None
    default = default_rate_hz(model_key, name)
    if default is None:
        raise GaitdeckError(f"gaitdeck cannot stream from {model_by_key(model_key).label} "
                            "pods yet")  # fmt: skip
    rate = remembered.rate_hz if remembered is not None else None
    rate = rate if rate in rate_choices(model_key, name) else default
    address = pod.address if pod is not None else spec.address
    return PodChoice(address, model_key, placement, float(rate))


def _check_unique(choices: Sequence[PodChoice]) -> None:
    addresses: set[str] = set()
    worn: dict[Placement, str] = {}
    for choice in choices:
        address = normalise_address(choice.address)
        if address in addresses:
            raise GaitdeckError(f"pod {choice.address} is given twice")
        addresses.add(address)
        if not is_imu(choice.model_key):
            continue
        if choice.placement in worn:
            raise GaitdeckError(f"two pods worn on {choice.placement.value}: "
                                f"{worn[choice.placement]} and {choice.address}")  # fmt: skip
        worn[choice.placement] = choice.address


def pod_session(args: argparse.Namespace) -> tuple[PodSession, list[FoundPod]]:
    """The session for ``--pods`` / ``--pod``, with the given pods connecting, and the pods
    the scan before connecting heard (none without ``--pod``).

    Raises GaitdeckError (Bluetooth unavailable, a pod that cannot be resolved) after
    closing whatever it started.
    """
    memory = PodMemory(warn=warn)
    session = PodSession(PodLinks(), memory)
    found: list[FoundPod] = []
    try:
        if args.pod:
            scan = session.links.scan(args.scan_timeout, include_unknown=True)
            found = scan.result(args.scan_timeout + SCAN_GRACE_S)
            for choice in resolve(args.pod, found, memory, args.scan_timeout):
                session.connect(choice)
    except BaseException:
        session.stop()
        raise
    return session, found
