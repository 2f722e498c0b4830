"""Layering contracts: Qt only in desktop/, bleak only in the BLE transport, lint and types."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = ("drivers", "processing")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def core_files() -> list[Path]:
    return [p for package in CORE for p in (REPO / package).rglob("*.py")]


def test_no_qt_below_desktop() -> None:
    qt = {"PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6"}
    offenders = [str(p) for p in core_files() if imported_modules(p) & qt]
    assert offenders == []


def test_dependency_direction_is_desktop_processing_drivers() -> None:
    drivers = [p for p in (REPO / "drivers").rglob("*.py")]
    assert [str(p) for p in drivers if imported_modules(p) & {"processing", "desktop"}] == []
    processing = list((REPO / "processing").rglob("*.py"))
    assert [str(p) for p in processing if "desktop" in imported_modules(p)] == []


def test_bleak_only_in_the_ble_transport() -> None:
    all_files = [p for p in REPO.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    users = [p.relative_to(REPO) for p in all_files if "bleak" in imported_modules(p)]
    assert all(p.parts[:2] == ("drivers", "ble") for p in users), users


def test_core_imports_with_qt_absent() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in core_files()
    )
    script = (
        "import sys\n"
        "for name in ('PySide6', 'pyqtgraph', 'shiboken6'): sys.modules[name] = None\n"
        f"for m in {modules!r}: __import__(m)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True)


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a tool installed beside this interpreter (the test extra brings ruff and mypy)."""
    exe = Path(sys.executable).with_name(name)
    if not exe.exists():
        pytest.fail(f"{name} is not installed beside {sys.executable}: pip install -e '.[test]'")
    return subprocess.run([str(exe), *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_is_clean() -> None:
    result = run_tool(
        "ruff", "check", "--no-cache", "drivers", "processing", "desktop", "tests", "benchmarks"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = run_tool(
        "ruff",
        "format",
        "--no-cache",
        "--check",
        "drivers",
        "processing",
        "desktop",
        "tests",
        "benchmarks",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_core() -> None:
    result = run_tool("mypy", *CORE)
    assert result.returncode == 0, result.stdout + result.stderr
