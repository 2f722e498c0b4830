"""Reconnect backoff by error class: pure rules, and a counter for one failure streak.

A lost link is retried almost at once (the pod is usually still there); a refused
connection backs off faster; a missing adapter or pod is polled slowly; a refused setting
is tried a few times and then given up. Delays are deterministic (no jitter): pods are few
and each has its own link, so there is no thundering herd to spread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from drivers.ble.errors import (
    BleError,
    BluetoothUnavailable,
    ConfigRefused,
    ConnectFailed,
    GattError,
    LinkLost,
    NotFound,
)


@dataclass(frozen=True)
class BackoffRule:
    """Delay before retry ``n`` (0-based) is ``min(first_s * factor**n, max_s)``."""

    first_s: float
    factor: float = 2.0
    max_s: float = 10.0
    max_retries: int | None = None  # retries after consecutive failures of this class

    def delay_s(self, attempt: int) -> float | None:
        if self.max_retries is not None and attempt >= self.max_retries:
            return None
        return min(self.first_s * self.factor**attempt, self.max_s)


DEFAULT_RULES: Mapping[type[BleError], BackoffRule] = {
    LinkLost: BackoffRule(first_s=0.2, max_s=5.0),
    ConnectFailed: BackoffRule(first_s=0.5, max_s=10.0),
    GattError: BackoffRule(first_s=0.5, max_s=10.0),
    NotFound: BackoffRule(first_s=1.0, max_s=15.0),
    BluetoothUnavailable: BackoffRule(first_s=2.0, factor=1.5, max_s=15.0),
    ConfigRefused: BackoffRule(first_s=1.0, max_s=4.0, max_retries=3),
}
FALLBACK_RULE = BackoffRule(first_s=1.0, max_s=10.0)


def rule_for(error: BleError, rules: Mapping[type[BleError], BackoffRule]) -> BackoffRule:
    """The rule of the most specific class in ``rules`` that ``error`` is an instance of."""
    for cls in type(error).__mro__:
        if issubclass(cls, BleError) and cls in rules:
            return rules[cls]
    return FALLBACK_RULE


class Backoff:
    """Counts failures per error class within one streak; ``reset`` once data flows again."""

    def __init__(self, rules: Mapping[type[BleError], BackoffRule] = DEFAULT_RULES) -> None:
        self.rules = rules
        self._failures: Counter[type[BleError]] = Counter()

    def next_delay_s(self, error: BleError) -> float | None:
        """Seconds to wait before retrying after ``error``, or None to give up."""
        cls = type(error)
        attempt = self._failures[cls]
        self._failures[cls] += 1
        return rule_for(error, self.rules).delay_s(attempt)

    def reset(self) -> None:
        self._failures.clear()
