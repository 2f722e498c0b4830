"""Parsing ``--pod ADDRESS[=PLACEMENT]`` (kept light: the CLI imports it before anything)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from drivers.types import Placement

PLACEMENT_NAMES = ", ".join(p.value for p in Placement)


@dataclass(frozen=True)
class PodSpec:
    """One ``--pod`` argument: an address and, optionally, where it is worn."""

    address: str
    placement: Placement | None = None


def pod_spec(text: str) -> PodSpec:
    """argparse type for ``ADDRESS`` or ``ADDRESS=PLACEMENT``."""
    address, _, placement = text.partition("=")
    address = address.strip()
    if not address or any(c.isspace() for c in address):
        raise argparse.ArgumentTypeError(f"not a pod address: {text!r}")
    if not placement:
        return PodSpec(address)
    try:
        return PodSpec(address, Placement(placement.strip().lower()))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown placement {placement!r} (use {PLACEMENT_NAMES})"
        ) from None
