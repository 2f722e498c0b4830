"""``gaitdeck record``: record simulated or real pods to a file, without a window.

It runs for ``--duration`` seconds or until Ctrl-C. Ctrl-C is an ordinary way to stop: the
file is closed cleanly, its name is printed and the exit code is 0. While it runs, stderr
shows the elapsed time, samples and file size (``desktop.record_progress``).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from desktop.cli_options import MAX_SESSION_S, add_simulation_options
from desktop.cli_output import refuse_overwrite, remove_for_overwrite
from desktop.pod_args import pod_spec
from desktop.record_progress import RecordProgress, RecordTally, megabytes
from drivers.errors import GaitdeckError

SubParsers = argparse._SubParsersAction  # type: ignore[type-arg]
TICK_S = 0.2


def add_record_command(commands: SubParsers) -> None:
    record = commands.add_parser(
        "record", help="record a session to a file without the window",
        description="Record what the pods send (simulated or real) to a gaitdeck recording, "
        "for --duration seconds or until Ctrl-C (which closes the file cleanly and exits 0).",
    )  # fmt: skip
    record.add_argument("--simulate", action="store_true", help="record simulated pods")
    add_simulation_options(record)
    record.add_argument("--pod", action="append", default=[], type=pod_spec,
                        metavar="ADDRESS[=PLACEMENT]",
                        help="a real pod to record (repeat per pod)")  # fmt: skip
    record.add_argument("--scan-timeout", type=float, default=4.0, metavar="S",
                        help="seconds to look for --pod pods (default: %(default)s)")  # fmt: skip
    record.add_argument("--duration", type=float, metavar="SECONDS",
                        help="stop after this many seconds (default: at Ctrl-C, "
                        f"at most {MAX_SESSION_S:g} s)")  # fmt: skip
    record.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="the recording to write (FILE.gdrec)")  # fmt: skip
    record.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    record.add_argument("--runner-id", default="", metavar="ID", help="pseudonymous runner id")
    record.add_argument("--notes", default="", metavar="TEXT", help="free text stored in the file")
    record.add_argument("--progress", action="store_true",
                        help="show progress lines even when stderr is not a terminal")  # fmt: skip
    record.add_argument("--quiet", action="store_true", help="print nothing but errors")


class Outcome(NamedTuple):
    """How a recording ended: by Ctrl-C or not, after ``seconds``, with ``samples`` from
    ``pods``."""

    interrupted: bool
    seconds: float
    samples: int
    pods: int


def run_record(args: argparse.Namespace) -> int:
    if args.simulate == bool(args.pod):
        raise GaitdeckError("record needs either --simulate or --pod ADDRESS=PLACEMENT")
    refuse_overwrite([args.out], overwrite=args.overwrite)
    outcome = _record_simulated(args) if args.simulate else _record_pods(args)
    if not args.quiet:
        print(_summary(outcome, args.out))
    return 0


def _summary(outcome: Outcome, out: Path) -> str:
    size = megabytes(out.stat().st_size) if out.exists() else "nothing"
    what = f"{outcome.pods} pods, {outcome.samples:,} samples, {size}"
    if outcome.interrupted:
        return f"stopped by Ctrl-C after {outcome.seconds:.1f} s: wrote {out} ({what})"
    return f"recorded {outcome.seconds:.1f} s: wrote {out} ({what})"


def _record_simulated(args: argparse.Namespace) -> Outcome:
    from drivers.clock_sync import SessionClock
    from drivers.loop_thread import LoopThread
    from drivers.recording.session_recorder import SessionRecorder
    from drivers.sim.session import simulated_pods
    from processing.live_session import DiscardSink

    clock = SessionClock()
    sources = simulated_pods(args.runner, rate_hz=args.rate, seed=args.seed, clock=clock)
    _make_way(args)
    recorder = SessionRecorder(sources, args.out, clock, runner_id=args.runner_id,
                               notes=args.notes)  # fmt: skip
    io = LoopThread("gaitdeck-record")
    io.start()
    try:
        for source in sources:
            io.submit(source.run(DiscardSink()))
        return _run(args, sources)
    finally:
        with _sigint_ignored():
            io.stop()
            recorder.stop()


def _record_pods(args: argparse.Namespace) -> Outcome:
    """Real pods resolved and connected as ``gaitdeck --pod`` does; what their own sources
    receive is recorded (no processing session is needed)."""
    from desktop.pods_cli import pod_session
    from drivers.recording.session_recorder import SessionRecorder

    session, _ = pod_session(args)
    try:
        sources = [link.source for link in session.links.links()]
        _make_way(args)
        recorder = SessionRecorder(sources, args.out, session.links.clock,
                                   runner_id=args.runner_id, notes=args.notes)  # fmt: skip
        try:
            return _run(args, sources)
        finally:
            with _sigint_ignored():
                recorder.stop()
    finally:
        with _sigint_ignored():
            session.stop()


def _make_way(args: argparse.Namespace) -> None:
    """Remove the file ``--overwrite`` replaces, as late as possible (the pods are ready)."""
    if args.overwrite:
        remove_for_overwrite(args.out)


def _run(args: argparse.Namespace, sources: Sequence[Any]) -> Outcome:
    """Wait out ``--duration`` (or until Ctrl-C), showing progress."""
    tally = RecordTally(sources, args.out)
    progress = _progress(args, tally)
    limit_s = MAX_SESSION_S if args.duration is None else args.duration
    interrupted = False
    try:
        while (left_s := limit_s - tally.elapsed_s()) > 0:
            time.sleep(min(TICK_S, left_s))
            if progress is not None:
                progress.tick()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if progress is not None:
            progress.close()
    return Outcome(interrupted, tally.elapsed_s(), tally.samples(), len(sources))


def _progress(args: argparse.Namespace, tally: RecordTally) -> RecordProgress | None:
    if args.quiet:
        return None
    if sys.stderr.isatty():
        return RecordProgress(tally, sys.stderr, redraw=True)
    return RecordProgress(tally, sys.stderr, redraw=False) if args.progress else None


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Let the file close cleanly even if Ctrl-C is pressed again meanwhile."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
