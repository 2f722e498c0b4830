"""A small SVG chart builder for self-contained HTML: axes, bands, points, bars, lines.

Pure text out, no dependencies beyond numpy. Coordinates are data units; the chart maps
them into its plot area. Every mark carries a CSS class (for styling and for counting in
tests) and an explicit colour, so charts read the same with or without the page's CSS.
Non-finite values are skipped (points) or break the line (lines).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np

from drivers.types import FloatArray

Range = tuple[float, float]


def nice_step(span: float, count: int) -> float:
    """A 1/2/5 × 10^k step giving about ``count`` intervals over ``span``."""
    raw = span / max(count, 1)
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values inside [lo, hi]."""
    step = nice_step(hi - lo, count)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-6, step)
    return [round(float(t), 10) + 0.0 for t in ticks]


def data_range(
    values: Iterable[float | None], include: Sequence[float] = (), pad: float = 0.05
) -> Range:
    """The finite values' range (and ``include``), padded by ``pad`` of its span."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    finite.extend(include)
    if not finite:
        return (0.0, 1.0)
    lo, hi = min(finite), max(finite)
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return (lo - pad * span, hi + pad * span)


def tick_text(value: float) -> str:
    return f"{value:g}"


@dataclass
class Chart:
    """One plot: ``x`` and ``y`` ranges with axis titles; marks added, then ``render``."""

    x: Range
    y: Range
    x_title: str
    y_title: str
    width: int = 900
    height: int = 240
    left: int = 56
    right: int = 12
    top: int = 24
    bottom: int = 40
    marks: list[str] = field(default_factory=list)
    legend_items: list[tuple[str, str]] = field(default_factory=list)

    def px(self, x: FloatArray | float) -> FloatArray:
        span = self.x[1] - self.x[0] or 1.0
        inner = self.width - self.left - self.right
        return self.left + (np.asarray(x, dtype=float) - self.x[0]) / span * inner

    def py(self, y: FloatArray | float) -> FloatArray:
        span = self.y[1] - self.y[0] or 1.0
        inner = self.height - self.top - self.bottom
        return self.height - self.bottom - (np.asarray(y, dtype=float) - self.y[0]) / span * inner

    def band(self, y0: float, y1: float, colour: str, label: str) -> None:
        """A horizontal band between y0 and y1 (clipped to the plot), labelled at its right."""
        lo, hi = max(min(y0, y1), self.y[0]), min(max(y0, y1), self.y[1])
        if hi <= lo:
            return
        top, bottom = float(self.py(hi)), float(self.py(lo))
        x0, x1 = self.left, self.width - self.right
        self.marks.append(
            f'<rect class="band" x="{x0}" y="{top:.1f}" width="{x1 - x0}" '
            f'height="{bottom - top:.1f}" fill="{colour}" fill-opacity="0.35"/>'
            f'<text class="band-label" x="{x1 - 4}" y="{top + 12:.1f}" text-anchor="end" '
            f'font-size="10" fill="#555">{escape(label)}</text>'
        )

    def vline(self, x: float, colour: str, label: str) -> None:
        """A dashed vertical line at ``x`` (if inside the plot), labelled at its top."""
        if not self.x[0] <= x <= self.x[1]:
            return
        px = float(self.px(x))
        y0, y1 = self.top, self.height - self.bottom
        self.marks.append(
            f'<line class="vline" x1="{px:.1f}" x2="{px:.1f}" y1="{y0}" y2="{y1}" '
            f'stroke="{colour}" stroke-dasharray="4 3"/>'
            f'<text x="{px + 3:.1f}" y="{y0 + 11}" font-size="10" fill="{colour}">'
            f"{escape(label)}</text>"
        )

    def points(self, xs: Sequence[float], ys: Sequence[float], css: str, colour: str) -> None:
        for x, y in zip(self.px(np.asarray(xs)), self.py(np.asarray(ys)), strict=True):
            if math.isfinite(x) and math.isfinite(y):
                self.marks.append(
                    f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="2.6" '
                    f'fill="{colour}" fill-opacity="0.8"/>'
                )

    def line(self, xs: Sequence[float], ys: Sequence[float], css: str, colour: str) -> None:
        """A polyline, broken where a value is missing."""
        px, py = self.px(np.asarray(xs)), self.py(np.asarray(ys))
        ok = np.isfinite(px) & np.isfinite(py)
        breaks = np.flatnonzero(~ok)
        for start, stop in zip([-1, *breaks.tolist()], [*breaks.tolist(), ok.size], strict=True):
            if stop - start - 1 < 2:
                continue
            run = " ".join(
                f"{x:.1f},{y:.1f}"
                for x, y in zip(px[start + 1 : stop], py[start + 1 : stop], strict=True)
            )
            self.marks.append(
                f'<polyline class="{css}" points="{run}" fill="none" '
                f'stroke="{colour}" stroke-width="1.2" stroke-opacity="0.6"/>'
            )

    def bars(
        self, edges: Sequence[float], counts: Sequence[float], css: str, colour: str, slot: Range
    ) -> None:
        """Histogram bars: bin ``i`` spans edges[i]..edges[i+1]; ``slot`` is the (start,
        end) fraction of each bin this series fills, for side-by-side series."""
        for i, count in enumerate(counts):
            if count <= 0:
                continue
            w = edges[i + 1] - edges[i]
            x0, x1 = self.px(edges[i] + slot[0] * w), self.px(edges[i] + slot[1] * w)
            top, base = float(self.py(count)), float(self.py(0.0))
            self.marks.append(
                f'<rect class="{css}" x="{float(x0):.1f}" y="{top:.1f}" '
                f'width="{float(x1 - x0):.1f}" height="{base - top:.1f}" fill="{colour}"/>'
            )

    def legend(self, colour: str, label: str) -> None:
        self.legend_items.append((colour, label))

    def render(self) -> str:
        body = [self._axes(), *self.marks, self._legend()]
        return (
            f'<svg viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" role="img" '
            f'font-family="sans-serif">{"".join(body)}</svg>'
        )

    def _axes(self) -> str:
        x0, x1 = self.left, self.width - self.right
        y0, y1 = self.top, self.height - self.bottom
        parts = [
            f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" '
            'fill="#fff" stroke="#999"/>'
        ]
        for tick in nice_ticks(*self.y):
            y = float(self.py(tick))
            parts.append(
                f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
                f'<text x="{x0 - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="10">'
                f"{tick_text(tick)}</text>"
            )
        for tick in nice_ticks(*self.x, count=8):
            x = float(self.px(tick))
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y1}" y2="{y1 + 4}" stroke="#999"/>'
                f'<text x="{x:.1f}" y="{y1 + 15}" text-anchor="middle" font-size="10">'
                f"{tick_text(tick)}</text>"
            )
        parts.append(
            f'<text x="{(x0 + x1) / 2:.0f}" y="{self.height - 6}" text-anchor="middle" '
            f'font-size="11">{escape(self.x_title)}</text>'
            f'<text transform="translate(13 {(y0 + y1) / 2:.0f}) rotate(-90)" '
            f'text-anchor="middle" font-size="11">{escape(self.y_title)}</text>'
        )
        return "".join(parts)

    def _legend(self) -> str:
        parts = []
        x = self.left + 8
        for colour, label in self.legend_items:
            parts.append(
                f'<rect x="{x}" y="{self.top - 17}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{x + 14}" y="{self.top - 8}" font-size="11">{escape(label)}</text>'
            )
            x += 24 + 7 * len(label)
        return "".join(parts)
