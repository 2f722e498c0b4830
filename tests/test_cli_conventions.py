"""What every ``gaitdeck`` command shares: help for every option, where files go, one check
per option, and a quiet end when the reader of its output goes away."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import build_parser, main
from desktop.cli_folders import sessions_dir

REPO = Path(__file__).resolve().parents[1]
GAITDECK = Path(sys.executable).with_name("gaitdeck")
SAMPLE = REPO / "recordings" / "sim-mixed.gdrec"


def parsers(parser: argparse.ArgumentParser, name: str = "gaitdeck") -> Iterator[tuple[str, Any]]:
    """``(command, parser)`` for ``parser`` and every subcommand parser under it."""
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from parsers(sub, f"{name} {sub_name}")


def test_every_option_of_every_command_has_help() -> None:
    missing = []
    seen = 0
    for name, parser in parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            seen += 1
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
            if isinstance(action, argparse._SubParsersAction):
                missing += [f"{name} {a.dest}" for a in action._choices_actions if not a.help]
    assert seen > 60  # the walk reached the subcommands
    assert missing == []


def test_help_says_where_recordings_reports_and_settings_go(tmp_path: Path) -> None:
    config = tmp_path / "my-config"
    env = {**os.environ, "GAITDECK_CONFIG_DIR": str(config)}
    run = subprocess.run([str(GAITDECK), "--help"], capture_output=True, text=True, env=env,
                         timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "where files go:" in text
    assert str(sessions_dir()) in text  # the dashboard's recordings
    assert "NAME-report.pdf beside the recording" in text
    assert str(config) in text and "pods.json" in text and "gaitdeck.ini" in text
    assert "GAITDECK_CONFIG_DIR" in text and "--overwrite" in text


def test_help_names_the_folder_the_dashboard_records_into() -> None:
    from desktop.recording_control import sessions_dir as dashboard_sessions_dir

    assert sessions_dir() == dashboard_sessions_dir()


# The same option is checked the same way by every command that has it.
SAME_CHECK = [
    ("--rate 120", [["--simulate"], ["record", "--simulate", "--out", "{out}"]],
     "gaitdeck: --rate must be 50, 100, 200 or 416 Hz, not 120"),
    ("--seed -1", [["--simulate"], ["record", "--simulate", "--out", "{out}"]],
     "gaitdeck: --seed must be between 0 and 4294967295, not -1"),
    ("--scan-timeout 0", [["--pod", "C0:FF:EE:00:00:01"],
                          ["record", "--pod", "C0:FF:EE:00:00:01", "--out", "{out}"]],
     "gaitdeck: --scan-timeout must be more than 0 s and at most 60 s, not 0"),
    ("--exit-after -3", [["--simulate"], ["replay", str(SAMPLE)]],
     "gaitdeck: --exit-after must be more than 0 s and at most 86400 s, not -3"),
    ("--duration 0", [["record", "--simulate", "--out", "{out}"]],
     "gaitdeck: --duration must be more than 0 s and at most 86400 s, not 0"),
    ("--speed 50", [["replay", str(SAMPLE)]],
     "gaitdeck: --speed must be between 0.25 and 20 (or 'max')"),
    ("--timeout 500", [["scan"]],
     "gaitdeck: --timeout must be more than 0 s and at most 120 s, not 500"),
    ("--packet-loss 150", [["--simulate"]],
     "gaitdeck: --packet-loss must be between 0 and 100, not 150"),
]  # fmt: skip


@pytest.mark.parametrize(("option", "commands", "message"), SAME_CHECK,
                         ids=[case[0] for case in SAME_CHECK])  # fmt: skip
def test_an_option_is_checked_alike_everywhere(
    option: str, commands: list[list[str]], message: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "never.gdrec"
    for command in commands:
        argv = [arg.format(out=out) for arg in command] + option.split()
        assert main(argv) == 2, argv
        assert capsys.readouterr().err.strip() == message, argv
    assert not out.exists()


def test_record_takes_the_rates_the_dashboard_takes() -> None:
    dashboard = build_parser().parse_args(["--simulate", "--rate", "416"])
    record = build_parser().parse_args(["record", "--simulate", "--rate", "416", "--out", "x"])
    from desktop.cli_options import check_options

    check_options(dashboard)
    check_options(record)
    assert dashboard.rate == record.rate == 416.0


@pytest.mark.parametrize("args", [["info", str(SAMPLE)], ["info", str(SAMPLE), "--json"],
                                  ["--help"], ["export", "--help"]])  # fmt: skip
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    """``gaitdeck info F | head -1``: the reader is gone before gaitdeck writes."""
    proc = subprocess.Popen([str(GAITDECK), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert stderr == ""
    assert code in (0, 141)


def test_head_reads_the_first_line_only(tmp_path: Path) -> None:
    """The shell's own pipe, as a user types it."""
    run = subprocess.run(f"'{GAITDECK}' info '{SAMPLE}' --json | head -1", shell=True,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.stdout == "{\n" and run.stderr == ""
