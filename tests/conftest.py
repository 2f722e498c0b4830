"""Shared fixtures: where the project's shared research folder is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("GAITDECK_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not (path / "protocols" / "test-vectors.json").exists():
        pytest.skip(f"shared research folder not found at {path} (set GAITDECK_SHARED)")
    return path
