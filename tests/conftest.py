"""Shared fixtures: the research material the tests use, vendored into ``tests/fixtures``
(see its README for sources and licences), so a fresh clone tests itself."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The folder holding ``protocols/test-vectors.json`` (the wire-protocol vectors with
    their provenance) and ``gaitmap/`` (real walking with motion capture)."""
    return FIXTURES
