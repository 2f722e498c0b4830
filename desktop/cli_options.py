"""Options that several ``gaitdeck`` commands share, defined and checked in one place.

An option means the same everywhere: ``--rate 120`` is refused by the dashboard and by
``record`` alike, with the same one-line error. ``add_simulation_options`` adds the
simulator's options (``--runner``, ``--rate``, ``--seed``) to a parser; ``check_options``
checks every parsed value whose destination ``CHECKS`` names, whichever command it came
with, and raises GaitdeckError (one line) for the first that is out of range.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from drivers.errors import GaitdeckError
from drivers.sim.profiles import PROFILES

RATES_HZ = (50.0, 100.0, 200.0, 416.0)
RUNNERS = tuple(sorted(PROFILES))
DEFAULT_RUNNER = "heel-striker-guarded"
MAX_SESSION_S = 24 * 3600.0
MAX_SEED = 2**32 - 1
SPEED_RANGE = (0.25, 20.0)
FASTEST = ("max", "asap", "fast")


def add_simulation_options(parser: argparse.ArgumentParser) -> None:
    """``--runner``, ``--rate`` and ``--seed`` of the simulated pods."""
    parser.add_argument(
        "--runner", default=DEFAULT_RUNNER, choices=RUNNERS,
        help="simulated runner profile (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--rate", type=float, default=200.0, metavar="HZ",
        help=f"simulated pod sample rate: {_rates_text()} Hz (default: %(default)g)",
    )  # fmt: skip
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N",
        help=f"simulator seed, 0 to {MAX_SEED}: the same seed gives the same run "
        "(default: %(default)s)",
    )  # fmt: skip


def check_options(args: argparse.Namespace) -> None:
    """Check every option of ``args`` that ``CHECKS`` knows (None: not given)."""
    for dest, check in CHECKS.items():
        value = getattr(args, dest, None)
        if value is not None:
            check(value)


def parse_speed(text: str) -> float | None:
    """``--speed``: times real time, or None for as fast as processing goes ('max')."""
    if text.strip().lower() in FASTEST:
        return None
    try:
        speed = float(text)
    except ValueError:
        raise GaitdeckError(f"--speed must be a number or 'max', not {text!r}") from None
    low, high = SPEED_RANGE
    if not low <= speed <= high:
        raise GaitdeckError(f"--speed must be between {low:g} and {high:g} (or 'max')")
    return speed


def parse_loop(text: str) -> tuple[float, float]:
    """``--loop START:END`` in seconds."""
    start, sep, end = text.partition(":")
    try:
        a, b = float(start), float(end)
    except ValueError:
        raise GaitdeckError(f"--loop must be START:END in seconds, not {text!r}") from None
    if not sep or b <= a:
        raise GaitdeckError("--loop END must come after START")
    return a, b


def _rates_text() -> str:
    names = [f"{rate:g}" for rate in RATES_HZ]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _check_rate(rate_hz: float) -> None:
    if rate_hz not in RATES_HZ:
        raise GaitdeckError(f"--rate must be {_rates_text()} Hz, not {rate_hz:g}")


def _check_seed(seed: int) -> None:
    if not 0 <= seed <= MAX_SEED:
        raise GaitdeckError(f"--seed must be between 0 and {MAX_SEED}, not {seed}")


def _seconds(option: str, high_s: float) -> Callable[[float], None]:
    """A check for a positive number of seconds up to ``high_s``."""

    def check(seconds: float) -> None:
        if not 0.0 < seconds <= high_s:
            raise GaitdeckError(f"{option} must be more than 0 s and at most {high_s:g} s, "
                                f"not {seconds:g}")  # fmt: skip

    return check


def _check_packet_loss(percent: float) -> None:
    if not 0.0 <= percent < 100.0:
        raise GaitdeckError(f"--packet-loss must be between 0 and 100, not {percent:g}")


def _check_speed(text: str) -> None:
    parse_speed(text)


def _check_loop(text: str) -> None:
    parse_loop(text)


CHECKS: Mapping[str, Callable[[Any], None]] = {
    "rate": _check_rate,
    "seed": _check_seed,
    "duration": _seconds("--duration", MAX_SESSION_S),
    "exit_after": _seconds("--exit-after", MAX_SESSION_S),
    "scan_timeout": _seconds("--scan-timeout", 60.0),
    "timeout": _seconds("--timeout", 120.0),
    "packet_loss": _check_packet_loss,
    "speed": _check_speed,
    "loop": _check_loop,
}
"""Argument destination → its check, for every command that has that option."""
