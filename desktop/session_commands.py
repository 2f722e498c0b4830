"""``gaitdeck record | replay | info | import | export | report``: sessions on the command
line.

Each command reports user mistakes as one-line ``GaitdeckError``s (the caller prints them
and exits 2). Only ``replay`` opens a window; the others run without Qt.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli_options import parse_loop as _loop
from desktop.cli_options import parse_speed as _speed
from desktop.cli_output import check_screenshot, refuse_overwrite, remove_for_overwrite
from desktop.record_command import add_record_command, run_record
from drivers.errors import GaitdeckError

SubParsers = argparse._SubParsersAction  # type: ignore[type-arg]
EXPORT_KINDS = ("tables", "samples", "c3d", "html")
COMMANDS = ("record", "replay", "info", "import", "export", "report")
REPORT_SUFFIXES = (".html", ".pdf")


def add_session_commands(commands: SubParsers) -> None:
    add_record_command(commands)
    _add_replay(commands)
    _add_info(commands)
    _add_import(commands)
    _add_export(commands)
    _add_report(commands)


def run_session_command(args: argparse.Namespace) -> int:
    runners = {"record": run_record, "replay": _run_replay, "info": _run_info,
               "import": _run_import, "export": _run_export, "report": _run_report}  # fmt: skip
    return runners[args.command](args)


def _add_replay(commands: SubParsers) -> None:
    replay = commands.add_parser(
        "replay", help="play a recording in the dashboard",
        description="Play a recording through the same decoders and processing as live.",
    )  # fmt: skip
    replay.add_argument("file", type=Path, metavar="FILE", help="the recording to play")
    replay.add_argument("--speed", default="1", metavar="X",
                        help="0.25 to 20 times real time, or 'max' (default: 1)")  # fmt: skip
    replay.add_argument("--loop", metavar="START:END", help="play this range (s) over and over")
    replay.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="save a PNG of the dashboard and exit")  # fmt: skip
    replay.add_argument("--overwrite", action="store_true",
                        help="replace an existing --screenshot file")  # fmt: skip
    replay.add_argument("--exit-after", type=float, metavar="SECONDS",
                        help="quit after this many seconds")  # fmt: skip
    replay.add_argument("--lsl", action="store_true", help="stream to Lab Streaming Layer")


def _add_info(commands: SubParsers) -> None:
    info = commands.add_parser("info", help="what a recording holds",
                               description="Print what a gaitdeck recording holds.")  # fmt: skip
    info.add_argument("file", type=Path, metavar="FILE", help="the recording to describe")
    info.add_argument("--json", action="store_true", help="machine-readable output")


def _add_import(commands: SubParsers) -> None:
    imp = commands.add_parser(
        "import", help="turn a pod CSV folder or MetaBase export into a recording",
        description="Convert a folder of pod CSV files (trunk.csv, …) or a MbientLab "
        "MetaBase export into a gaitdeck recording that replay and analyze open.",
    )  # fmt: skip
    imp.add_argument("input", type=Path, metavar="FOLDER",
                     help="folder of pod CSV files or a MetaBase export")  # fmt: skip
    imp.add_argument("--out", type=Path, required=True, metavar="FILE",
                     help="the recording to write (FILE.gdrec)")  # fmt: skip
    imp.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    imp.add_argument("--map", action="append", default=[], metavar="ADDRESS=PLACEMENT",
                     help="MetaBase: which device is worn where (repeat per device)")  # fmt: skip
    imp.add_argument("--runner-id", metavar="ID",
                     help="pseudonymous runner id (default: session.json's)")  # fmt: skip
    imp.add_argument("--notes", metavar="TEXT",
                     help="free text stored in the file (default: session.json's)")  # fmt: skip


def _add_export(commands: SubParsers) -> None:
    export = commands.add_parser(
        "export", help="steps/strides tables, raw samples, C3D and an HTML summary",
        description="Analyse a session (recording, pod CSV folder or MetaBase export) and "
        "write the chosen formats into a folder.",
    )  # fmt: skip
    export.add_argument("input", type=Path, metavar="INPUT",
                        help="recording, folder of pod CSV files or MetaBase export")  # fmt: skip
    export.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder to write into (created if needed)")  # fmt: skip
    export.add_argument(
        "--format",
        default=",".join(EXPORT_KINDS),
        metavar="LIST",
        help="comma-separated: tables, samples, c3d, html (default all)",
    )
    export.add_argument("--map", action="append", default=[], metavar="ADDRESS=PLACEMENT",
                        help="MetaBase: which device is worn where (repeat)")  # fmt: skip
    export.add_argument("--overwrite", action="store_true",
                        help="replace files of an earlier export in DIR")  # fmt: skip


def _add_report(commands: SubParsers) -> None:
    report = commands.add_parser(
        "report", help="clinician report of a recording, as HTML or PDF",
        description="Write the clinician report of a recording: strikes, trunk and pelvis, "
        "coordination, stages (from markers), symmetry, fatigue drift, reference values; "
        "optionally compared with an earlier session of the same runner.",
    )  # fmt: skip
    report.add_argument("recording", type=Path, metavar="RECORDING",
                        help="the recording to report on")  # fmt: skip
    report.add_argument("--out", type=Path, required=True, metavar="FILE.html|FILE.pdf",
                        help="the report to write; its suffix chooses HTML or PDF")  # fmt: skip
    report.add_argument("--compare", type=Path, metavar="EARLIER_RECORDING",
                        help="an earlier session of the same runner (pre/post)")  # fmt: skip
    report.add_argument(
        "--guarded-below", type=float, default=None, metavar="DEG",
        help="trunk rotation range per stride called guarded (default 8°)",
    )  # fmt: skip
    report.add_argument("--overwrite", action="store_true", help="replace an existing FILE")


def _run_report(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise GaitdeckError(f"--out must end in .html or .pdf, not {out.name!r}")
    refuse_overwrite([out], overwrite=args.overwrite, inputs=[args.recording, args.compare])
    if not out.parent.is_dir():
        raise GaitdeckError(f"cannot write {out}: {out.parent} is not a folder")
    from processing.report import ReportOptions, build_report_input, load_report_session
    from processing.report.html_report import render_report_html, report_title

    options = ReportOptions()
    if args.guarded_below is not None:
        if not 0.0 < args.guarded_below < 90.0:
            raise GaitdeckError("--guarded-below must be between 0 and 90 degrees")
        options = ReportOptions(guarded_twist_below_deg=args.guarded_below)
    session = load_report_session(args.recording, options.thresholds)
    earlier = load_report_session(args.compare, options.thresholds) if args.compare else None
    report = build_report_input(session, options, earlier)
    for warning in report.earlier.warnings if report.earlier is not None else []:
        print(f"gaitdeck: warning: {warning}", file=sys.stderr)  # also on the page
    html = render_report_html(report)
    partial = out.with_name(f".{out.name}.partial")
    try:
        if out.suffix.lower() == ".pdf":
            from desktop.cli import _choose_platform

            _choose_platform(headless=True)
            from desktop.report_pdf import write_report_pdf

            pages = write_report_pdf(partial, report_title(report), html)
            what = f"{pages} pages"
        else:
            partial.write_text(html, encoding="utf-8")
            what = "HTML"
        partial.replace(out)
    except OSError as exc:
        raise GaitdeckError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    print(f"wrote {out} ({what})")
    return 0


def _run_replay(args: argparse.Namespace) -> int:
    speed = _speed(args.speed)
    loop = _loop(args.loop) if args.loop else None
    check_screenshot(args.screenshot, overwrite=args.overwrite, inputs=[args.file])
    from drivers.recording.reader import Recording

    recording = Recording(args.file)  # errors before any window
    from desktop.cli import _choose_platform
    from processing.replay_session import ReplaySession

    session = ReplaySession(recording, speed=speed)
    if loop is not None:  # seconds from the recording's start, as info and the report
        session.set_loop(session.origin_s + loop[0], session.origin_s + loop[1])
    if args.screenshot is not None and args.exit_after is None:
        args.exit_after = 8.0
    _choose_platform(headless=args.screenshot is not None)
    from desktop.app import run_app

    try:
        return run_app(session, screenshot=args.screenshot, exit_after_s=args.exit_after,
                       lsl=args.lsl)  # fmt: skip
    finally:
        recording.close()


def _run_info(args: argparse.Namespace) -> int:
    from drivers.recording.info import recording_info

    info = recording_info(args.file)
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(_info_text(info))
    return 0


def _info_text(info: dict[str, Any]) -> str:
    state = "closed cleanly" if info["clean"] else f"salvaged: {info['problem']}"
    lines = [
        f"{info['file']}: gaitdeck recording, format v{info['format_version']}, {state}",
        f"recording started {info['started_utc'] or 'at an unknown time'} (times below are "
        f"seconds from then), app {info['app_version']}, runner {info['runner_id'] or '-'}, "
        f"duration {info['duration_s']:.1f} s",
    ]
    if info["notes"]:
        lines.append(f"notes: {info['notes']}")
    lines.append("pods:")
    for pod in info["pods"]:
        span = f"{pod['first_s']:.3f}–{pod['last_s']:.3f} s" if pod["samples"] else "no samples"
        lines.append(f"  {pod['placement']:<11} {pod['model']:<36} {pod['address'] or '-':<17} "
                     f"{pod['rate_hz']:g} Hz  {pod['samples']} samples  {span}")  # fmt: skip
    lines.append(f"markers: {len(info['markers'])}")
    lines += [f"  {m['t_s']:9.2f} s  {m['text']}" for m in info["markers"]]
    return "\n".join(lines)


def _run_import(args: argparse.Namespace) -> int:
    refuse_overwrite([args.out], overwrite=args.overwrite, inputs=[args.input])
    from drivers.imports.session_input import load_session, parse_mapping, write_import

    loaded = load_session(args.input, parse_mapping(args.map))
    if loaded.kind == "recording":
        raise GaitdeckError(f"{args.input} is already a recording")
    if args.overwrite:
        remove_for_overwrite(args.out)
    write_import(args.out, loaded, runner_id=args.runner_id, notes=args.notes)
    pods = ", ".join(p.value for p in loaded.blocks)
    print(f"imported {pods} from {args.input} into {args.out}")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    kinds = _export_kinds(args.format)
    from drivers.imports.session_input import load_session, parse_mapping
    from drivers.types import Placement
    from processing.exports.session import (
        ExportExistsError,
        export_session,
        planned_files,
        session_facts,
    )
    from processing.session_analysis import analyze_loaded

    # before any work; every pod's samples file counts (a stale one would join the export)
    planned = planned_files(args.out, kinds, tuple(Placement), calibration=True, session=True)
    refuse_overwrite(planned, overwrite=args.overwrite, inputs=[args.input])
    loaded = load_session(args.input, parse_mapping(args.map))
    result = analyze_loaded(loaded)
    try:
        written = export_session(args.out, loaded.blocks, result, kinds=kinds,
                                 files=loaded.files, overwrite=args.overwrite,
                                 facts=session_facts(loaded))  # fmt: skip
    except ExportExistsError as exc:  # appeared while analysing
        refuse_overwrite(exc.paths, overwrite=False)
        raise
    except OSError as exc:
        raise GaitdeckError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    for path in written:
        print(path)
    return 0


def _export_kinds(text: str) -> Any:
    from processing.exports.session import ExportKind

    names = [k.strip().lower() for k in text.split(",") if k.strip()]
    unknown = [k for k in names if k not in EXPORT_KINDS]
    if unknown or not names:
        raise GaitdeckError(f"--format takes {', '.join(EXPORT_KINDS)}, not {text!r}")
    return {ExportKind[k.upper()] for k in names}
