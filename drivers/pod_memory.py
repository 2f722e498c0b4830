"""Remembers, per device address, where a pod is worn, what model it is and its rate.

A small JSON file in the user's configuration folder::

    {"version": 1,
     "pods": {"C0:FF:EE:00:00:01": {"placement": "trunk", "model": "witmotion",
                                    "rate_hz": 100.0}}}

Addresses are kept upper-case (BlueZ and Windows give MAC addresses, macOS gives UUIDs).
A file that cannot be read or parsed is reported in one warning and treated as empty; it
is replaced on the next save. Saving writes a temporary file and renames it over the old one,
so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.types import Placement

log = logging.getLogger(__name__)
FILE_NAME = "pods.json"
VERSION = 1
CONFIG_ENV = "GAITDECK_CONFIG_DIR"  # overrides the folder (tests, portable installs)

Warn = Callable[[str], None]


def config_dir() -> Path:
    """gaitdeck's configuration folder: ``$GAITDECK_CONFIG_DIR``, else the platform's."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    try:
        import platformdirs
    except ImportError:
        return _fallback_config_dir()
    return Path(platformdirs.user_config_dir("gaitdeck", appauthor=False))


def _fallback_config_dir() -> Path:
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "gaitdeck"
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "gaitdeck"
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else home / ".config") / "gaitdeck"


def default_memory_path() -> Path:
    return config_dir() / FILE_NAME


def normalise_address(address: str) -> str:
    return address.strip().upper()


@dataclass(frozen=True)
class RememberedPod:
    """What was last chosen for the pod at ``address``; ``rate_hz`` None: model default."""

    address: str
    placement: Placement
    model_key: str
    rate_hz: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"placement": self.placement.value, "model": self.model_key, "rate_hz": self.rate_hz}

    @classmethod
    def from_json(cls, address: str, entry: object) -> RememberedPod:
        """Raises ValueError (or KeyError/TypeError) for an entry that is not one of ours."""
        if not isinstance(entry, dict):
            raise ValueError(f"entry for {address} is not an object")
        rate = entry.get("rate_hz")
        if rate is not None and (not isinstance(rate, int | float) or rate <= 0):
            raise ValueError(f"bad rate_hz for {address}: {rate!r}")
        model = entry["model"]
        if not isinstance(model, str) or not model:
            raise ValueError(f"bad model for {address}: {model!r}")
        return cls(
            normalise_address(address),
            Placement(entry["placement"]),
            model,
            float(rate) if rate is not None else None,
        )


class PodMemory:
    """The remembered pods, loaded from ``path`` (default: the user's config folder).

    ``warn`` receives one line per problem (unreadable file, failed save); it never raises.
    """

    def __init__(self, path: Path | None = None, *, warn: Warn | None = None) -> None:
        self.path = path if path is not None else default_memory_path()
        self._warn = warn if warn is not None else log.warning
        self._pods: dict[str, RememberedPod] = self._load()

    def get(self, address: str) -> RememberedPod | None:
        return self._pods.get(normalise_address(address))

    def all(self) -> list[RememberedPod]:
        return sorted(self._pods.values(), key=lambda p: p.address)

    def remember(
        self, address: str, placement: Placement, model_key: str, rate_hz: float | None = None
    ) -> RememberedPod:
        """Store (and save) the choice for ``address``; returns what was stored."""
        pod = RememberedPod(normalise_address(address), placement, model_key, rate_hz)
        if self._pods.get(pod.address) != pod:
            self._pods[pod.address] = pod
            self.save()
        return pod

    def forget(self, address: str) -> None:
        if self._pods.pop(normalise_address(address), None) is not None:
            self.save()

    def save(self) -> bool:
        """Write the file; False (with a warning) if it cannot be written."""
        data = {"version": VERSION, "pods": {a: p.to_json() for a, p in sorted(self._pods.items())}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            self._warn(f"cannot save pod placements to {self.path}: {exc.strerror or exc}")
            return False
        return True

    def _load(self) -> dict[str, RememberedPod]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            self._warn(f"cannot read pod placements from {self.path} ({exc}); starting empty")
            return {}
        try:
            return _parse(text)
        except (ValueError, KeyError, TypeError) as exc:
            self._warn(f"ignoring unreadable pod placements in {self.path} ({exc}); starting empty")
            return {}


def _parse(text: str) -> dict[str, RememberedPod]:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"not a version {VERSION} pod placement file")
    pods = data.get("pods")
    if not isinstance(pods, dict):
        raise ValueError("no 'pods' object")
    parsed = (RememberedPod.from_json(address, entry) for address, entry in pods.items())
    return {pod.address: pod for pod in parsed}
