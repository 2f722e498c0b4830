"""What ``gaitdeck record`` shows while it runs: elapsed time, samples and file size.

``recording 00:12 · 9,600 samples · 0.4 MB`` — on a terminal one line redrawn twice a
second; otherwise (``--progress`` with stderr in a file or pipe) a plain line after the
first second and then every ``PLAIN_EVERY_S``. No Qt here.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from drivers.source import Source

REDRAW_EVERY_S = 0.5
PLAIN_FIRST_S = 1.0
PLAIN_EVERY_S = 10.0


class RecordTally:
    """Samples the ``sources`` decoded since it was made, and the size of ``path``."""

    def __init__(self, sources: Sequence[Source], path: Path) -> None:
        self.sources = list(sources)
        self.path = path
        self._baseline = self._total()
        self.started_s = time.monotonic()

    def samples(self) -> int:
        return self._total() - self._baseline

    def size_bytes(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def elapsed_s(self) -> float:
        return time.monotonic() - self.started_s

    def line(self) -> str:
        return (f"recording {clock_text(self.elapsed_s())} · {self.samples():,} samples · "
                f"{megabytes(self.size_bytes())}")  # fmt: skip

    def _total(self) -> int:
        return sum(source.snapshot().samples for source in self.sources)


class RecordProgress:
    """Writes ``tally``'s line to ``stream`` when due: redrawn in place (``redraw``) or as
    plain lines."""

    def __init__(self, tally: RecordTally, stream: TextIO, *, redraw: bool) -> None:
        self.tally = tally
        self.stream = stream
        self.redraw = redraw
        self._next_s = REDRAW_EVERY_S if redraw else PLAIN_FIRST_S
        self._width = 0

    def tick(self) -> None:
        elapsed_s = self.tally.elapsed_s()
        if elapsed_s < self._next_s:
            return
        line = self.tally.line()
        if self.redraw:
            self.stream.write("\r" + line.ljust(self._width))
            self._width = len(line)
            self._next_s = elapsed_s + REDRAW_EVERY_S
        else:
            self.stream.write(line + "\n")
            self._next_s = max(elapsed_s, PLAIN_EVERY_S * (elapsed_s // PLAIN_EVERY_S + 1))
        self.stream.flush()

    def close(self) -> None:
        """End a redrawn line, so what follows starts on its own."""
        if self.redraw and self._width:
            self.stream.write("\n")
            self.stream.flush()


def clock_text(seconds: float) -> str:
    """``MM:SS``, or ``H:MM:SS`` from an hour on."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def megabytes(size_bytes: int) -> str:
    return f"{size_bytes / 1e6:.1f} MB"
