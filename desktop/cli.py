"""The ``gaitdeck`` command line: parses arguments, reports user errors in one line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from drivers.errors import GaitdeckError
from drivers.sim.faults import FaultPlan
from drivers.sim.profiles import PROFILES
from drivers.types import Placement

RATES_HZ = (50.0, 100.0, 200.0, 416.0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gaitdeck",
        description="Live foot strike type and trunk bend/twist from IMU pods.",
    )
    parser.add_argument("--simulate", action="store_true", help="use simulated pods")
    parser.add_argument(
        "--runner", default="heel-striker-guarded", choices=sorted(PROFILES),
        help="simulated runner profile (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument("--rate", type=float, default=200.0, choices=RATES_HZ,
                        help="simulated pod sample rate in Hz (default: %(default)s)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="simulator seed")
    parser.add_argument(
        "--drop-pod", choices=[p.value for p in Placement], default=None,
        help="simulate this pod dropping out for 4 s every 20 s (fault demo)",
    )  # fmt: skip
    parser.add_argument(
        "--packet-loss", type=float, default=0.0, metavar="PERCENT",
        help="share of simulated notifications lost over the air, all pods (default: 0)",
    )  # fmt: skip
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the dashboard and exit")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS",
                        help="quit after this many seconds")  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run_dashboard(args)
    except GaitdeckError as exc:
        print(f"gaitdeck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_dashboard(args: argparse.Namespace) -> int:
    if not args.simulate:
        raise GaitdeckError("no pods to connect to yet: start with --simulate")
    if args.screenshot is not None and args.exit_after is None:
        args.exit_after = 8.0
    _choose_platform(headless=args.screenshot is not None)
    from desktop.app import run_app  # Qt is imported only once arguments are valid
    from drivers.sim.session import simulated_pods
    from processing.live_session import LiveSession

    sources = simulated_pods(args.runner, rate_hz=args.rate, seed=args.seed, faults=_faults(args))
    return run_app(LiveSession(sources), screenshot=args.screenshot, exit_after_s=args.exit_after)


def _faults(args: argparse.Namespace) -> dict[Placement, FaultPlan]:
    if not 0.0 <= args.packet_loss < 100.0:
        raise GaitdeckError(f"--packet-loss must be between 0 and 100, not {args.packet_loss:g}")
    loss = args.packet_loss / 100.0
    faults = {placement: FaultPlan(drop_probability=loss) for placement in Placement}
    if args.drop_pod is not None:
        windows = tuple((20.0 * k + 10.0, 4.0) for k in range(500))
        faults[Placement(args.drop_pod)] = FaultPlan(drop_probability=loss, disconnects=windows)
    return faults


def _choose_platform(*, headless: bool) -> None:
    """Render off-screen for screenshots, or when there is no display to show a window on."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless or (sys.platform.startswith("linux") and not has_display):
        if not headless:
            print("gaitdeck: no display found; running off-screen (use --screenshot to see it)",
                  file=sys.stderr)  # fmt: skip
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
