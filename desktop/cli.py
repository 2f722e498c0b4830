"""The ``gaitdeck`` command line: parses arguments, reports user errors in one line."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from desktop.cli_folders import folders_epilog
from desktop.cli_general import add_general_options, run_general_options
from desktop.cli_options import add_simulation_options, check_options
from desktop.cli_output import check_screenshot, refuse_overwrite
from desktop.pod_args import pod_spec
from desktop.session_commands import COMMANDS as SESSION_COMMANDS
from desktop.session_commands import add_session_commands, run_session_command
from drivers.errors import GaitdeckError
from drivers.sim.faults import FaultPlan
from drivers.types import Placement, SampleBlock

PROGRESS_AFTER_S = 120.0  # longer sessions get a progress bar on a terminal unasked
BROKEN_PIPE_EXIT = 128 + 13  # SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gaitdeck",
        description="Live foot strike type and trunk bend/twist from IMU pods.",
        epilog=folders_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--simulate", action="store_true", help="use simulated pods")
    add_simulation_options(parser)
    parser.add_argument(
        "--drop-pod", choices=[p.value for p in Placement], default=None,
        help="simulate this pod dropping out for 4 s every 20 s (fault demo)",
    )  # fmt: skip
    parser.add_argument(
        "--packet-loss", type=float, default=0.0, metavar="PERCENT",
        help="share of simulated notifications lost over the air, all pods (default: 0)",
    )  # fmt: skip
    parser.add_argument("--pods", action="store_true",
                        help="open the pod manager: scan, place and connect pods")  # fmt: skip
    parser.add_argument(
        "--pod", action="append", type=pod_spec, metavar="ADDRESS[=PLACEMENT]",
        help="connect this pod (repeat per pod); PLACEMENT is trunk, pelvis, left_shoe or "
        "right_shoe, remembered per pod once given",
    )  # fmt: skip
    parser.add_argument("--scan-timeout", type=float, default=4.0, metavar="S",
                        help="seconds to look for --pod pods before connecting "
                        "(default: %(default)s)")  # fmt: skip
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="save a PNG of the dashboard (and with --pods, FILE-pods.png of the "
                        "pod manager) and exit")  # fmt: skip
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing --screenshot file")  # fmt: skip
    parser.add_argument("--exit-after", type=float, metavar="SECONDS",
                        help="quit after this many seconds")  # fmt: skip
    parser.add_argument("--lsl", action="store_true",
                        help="stream to Lab Streaming Layer (also in Settings)")  # fmt: skip
    add_general_options(parser)
    commands = parser.add_subparsers(
        dest="command", title="commands", metavar="COMMAND",
        help="without a command, gaitdeck opens the live dashboard",
    )  # fmt: skip
    _add_analyze_command(commands)
    _add_scan_command(commands)
    add_session_commands(commands)
    return parser


def _add_analyze_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    analyze = commands.add_parser(
        "analyze", help="analyse a recorded session: steps, strides and a summary",
        description="Analyse a folder of pod CSV files (trunk.csv, pelvis.csv, left_shoe.csv, "
        "right_shoe.csv; any subset), a MbientLab MetaBase export or a gaitdeck recording "
        "into steps.csv, strides.csv and summary.json.",
    )  # fmt: skip
    analyze.add_argument("input", type=Path, metavar="INPUT",
                         help="folder of pod CSV files, MetaBase export or recording")  # fmt: skip
    analyze.add_argument("--map", action="append", default=[], metavar="ADDRESS=PLACEMENT",
                         help="MetaBase: where each device is worn (repeat)")  # fmt: skip
    analyze.add_argument("--out", type=Path, required=True, metavar="DIR",
                         help="folder to write the results to (created if needed)")  # fmt: skip
    analyze.add_argument("--overwrite", action="store_true",
                         help="replace the results of an earlier run in DIR")  # fmt: skip
    analyze.add_argument("--progress", action="store_true",
                         help="show a progress bar, also for short sessions and when stderr "
                         "is not a terminal")  # fmt: skip
    analyze.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _add_scan_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scan = commands.add_parser(
        "scan", help="list nearby pods: model, name, address, signal strength",
        description="Scan for BLE pods gaitdeck knows (WitMotion, Polar, MetaMotion, "
        "running speed & cadence foot pods), strongest signal first.",
    )  # fmt: skip
    scan.add_argument("--timeout", type=float, default=5.0, metavar="S",
                      help="seconds to listen (default: %(default)s)")  # fmt: skip
    scan.add_argument("--all", action="store_true", help="also list devices that are not pods")


def main(argv: Sequence[str] | None = None) -> int:
    """Run gaitdeck; the exit code. Output into a closed pipe (``gaitdeck info F | head -1``)
    ends it quietly with 141, as the shell reports a program SIGPIPE stopped."""
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
    except BrokenPipeError:
        _stdout_to_devnull()
        return BROKEN_PIPE_EXIT


def _stdout_to_devnull() -> None:
    """Point stdout at the null device so Python's own flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):  # no file behind stdout: nothing to do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if (general := run_general_options(args)) is not None:
            return general
        check_options(args)
        if args.command == "analyze":
            return _run_analyze(args)
        if args.command == "scan":
            return _run_scan(args)
        if args.command in SESSION_COMMANDS:
            return run_session_command(args)
        return _run_dashboard(args)
    except GaitdeckError as exc:
        print(f"gaitdeck: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run_dashboard(args: argparse.Namespace) -> int:
    real_pods = args.pods or bool(args.pod)
    if args.simulate and real_pods:
        raise GaitdeckError("--simulate cannot be combined with --pods or --pod")
    if not args.simulate and not real_pods:
        raise GaitdeckError("no pods given: use --pods to find and connect pods, "
                            "--pod ADDRESS=PLACEMENT, or --simulate")  # fmt: skip
    check_screenshot(args.screenshot, overwrite=args.overwrite, pods=args.pods)
    if args.screenshot is not None and args.exit_after is None:
        args.exit_after = 8.0
    if real_pods:
        return _run_pods(args)
    _choose_platform(headless=args.screenshot is not None)
    from desktop.app import run_app  # Qt is imported only once arguments are valid
    from drivers.clock_sync import SessionClock
    from drivers.sim.session import simulated_pods
    from processing.live_session import LiveSession

    clock = SessionClock()
    sources = simulated_pods(args.runner, rate_hz=args.rate, seed=args.seed, clock=clock,
                             faults=_faults(args))  # fmt: skip
    return run_app(LiveSession(sources), screenshot=args.screenshot, exit_after_s=args.exit_after,
                   clock=clock, runner_id=f"sim-{args.runner}", lsl=args.lsl)  # fmt: skip


def _run_pods(args: argparse.Namespace) -> int:
    """Real pods: resolve and connect ``--pod`` pods (errors before any window), then run
    the dashboard, with the pod manager open for ``--pods``."""
    from desktop.pods_cli import pod_session

    session, found = pod_session(args)
    try:
        _choose_platform(headless=args.screenshot is not None)
        from desktop.app import run_app
        from desktop.pod_manager_model import PodManagerModel

        assert session.memory is not None
        manager = PodManagerModel(session, session.memory)
        known = [pod for pod in found if pod.model is not None]
        if known:
            manager.set_found(known)
        return run_app(session, screenshot=args.screenshot, exit_after_s=args.exit_after,
                       pod_manager=manager, show_pod_manager=args.pods,
                       lsl=args.lsl)  # fmt: skip
    finally:
        session.stop()


def _run_analyze(args: argparse.Namespace) -> int:
    """Read the session (pod CSV folder, MetaBase export or recording), analyse it offline,
    write the results. No Qt here."""
    from drivers.imports.session_input import load_session, parse_mapping
    from processing.export import STEPS_FILE, STRIDES_FILE, SUMMARY_FILE, write_analysis

    planned = [args.out / name for name in (STEPS_FILE, STRIDES_FILE, SUMMARY_FILE)]
    refuse_overwrite(planned, overwrite=args.overwrite, inputs=[args.input])
    loaded = load_session(args.input, parse_mapping(args.map))  # input errors first
    blocks, files = loaded.blocks, loaded.files
    from processing.session_analysis import analyze_loaded

    bar = _progress_bar(args, _span_s(blocks))
    try:
        result = analyze_loaded(loaded, progress=bar)  # from the recorded calibration
    finally:
        if bar is not None:
            bar.close()
    try:
        summary = write_analysis(args.out, blocks, result, files)
    except OSError as exc:
        raise GaitdeckError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    if not args.quiet:
        warnings = summary.get("warnings")
        for warning in warnings if isinstance(warnings, list) else []:
            print(f"gaitdeck: warning: {warning}", file=sys.stderr)
        out = args.out
        print(f"{len(result.strikes)} steps, {len(result.strides)} strides: wrote "
              f"{out / STEPS_FILE}, {out / STRIDES_FILE}, {out / SUMMARY_FILE}")  # fmt: skip
    return 0


def _run_scan(args: argparse.Namespace) -> int:
    """Print one line per pod heard advertising. No Qt; bleak only via drivers.ble."""
    import asyncio

    from drivers.ble.scan import format_pod, scan_pods
    from drivers.ble.transport import BleakTransport

    pods = asyncio.run(scan_pods(BleakTransport(), args.timeout, include_unknown=args.all))
    if not pods:
        print(f"gaitdeck: no pods heard in {args.timeout:g} s (switched on? connected "
              "to a phone?)", file=sys.stderr)  # fmt: skip
        return 1
    for pod in pods:
        print(format_pod(pod))
    return 0


def _span_s(blocks: Mapping[Placement, SampleBlock]) -> float:
    """Seconds from the earliest to the latest sample of any pod (time is sorted per pod)."""
    spans = [(float(b.t_s[0]), float(b.t_s[-1])) for b in blocks.values() if len(b)]
    return max(e for _, e in spans) - min(s for s, _ in spans) if spans else 0.0


def _progress_bar(args: argparse.Namespace, span_s: float) -> ProgressBar | None:
    """Asked for (``--progress``): always; otherwise on a terminal for long sessions."""
    if args.quiet:
        return None
    if args.progress or (sys.stderr.isatty() and span_s > PROGRESS_AFTER_S):
        return ProgressBar(sys.stderr)
    return None


class ProgressBar:
    """``analysing [######......]  42%`` on one line of ``stream``, redrawn per percent."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._shown = -1

    def __call__(self, fraction: float) -> None:
        percent = int(100 * min(max(fraction, 0.0), 1.0))
        if percent == self._shown:
            return
        self._shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\ranalysing [{bar}] {percent:3d}%")
        self.stream.flush()

    def close(self) -> None:
        if self._shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


def _faults(args: argparse.Namespace) -> dict[Placement, FaultPlan]:
    """The simulated link faults (``--packet-loss`` already checked)."""
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
