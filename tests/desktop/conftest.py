"""Desktop tests run headless: the offscreen platform is chosen before Qt is imported."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from desktop_fakes import FakeSession, full_status


@pytest.fixture
def session() -> FakeSession:
    """A session whose board the test feeds by hand, with four streaming pods."""
    return FakeSession(full_status())
