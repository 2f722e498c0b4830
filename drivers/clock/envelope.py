"""The lower envelope of (device time, arrival time) points: the line of minimum latency.

A notification's host arrival time is the pod's time mapped onto the host clock plus a
latency that is never negative (connection intervals, radio retries, OS scheduling, bursts
of queued notifications). So the clock mapping lies *under* every point, and the best
estimate of it is the line under all points that lies as high as possible: the linear
programme "maximise a + b·mean(x) subject to a + b·x_i <= y_i" (the lower-bound fit of
Moon, Skelly and Towsley for network clock skew). Its optimum is the edge of the lower
convex hull that spans mean(x). Late points, however many and however late, cannot move
it; that is what makes it robust to bursts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray


@dataclass(frozen=True)
class Line:
    """``y = intercept + slope · x``."""

    slope: float
    intercept: float

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x


def lower_hull(x: FloatArray, y: FloatArray) -> list[tuple[float, float]]:
    """Vertices of the lower convex hull, left to right (monotone chain)."""
    order = np.lexsort((y, x))
    hx: list[float] = []
    hy: list[float] = []
    for px, py in zip(x[order].tolist(), y[order].tolist(), strict=True):
        if hx and hx[-1] == px:
            continue  # same x, higher y: never on the lower hull
        while len(hx) >= 2 and (
            (hx[-1] - hx[-2]) * (py - hy[-2]) - (hy[-1] - hy[-2]) * (px - hx[-2]) <= 0.0
        ):
            hx.pop()
            hy.pop()
        hx.append(px)
        hy.append(py)
    return list(zip(hx, hy, strict=True))


def supporting_line(x: FloatArray, y: FloatArray, slope: float) -> Line:
    """The highest line of the given slope that lies under every point."""
    return Line(slope, float(np.min(y - slope * x)))


def fit_lower_envelope(
    x: FloatArray, y: FloatArray, slope_lo: float, slope_hi: float, fallback: float = 1.0
) -> Line:
    """The line under all points that is highest at mean(x), its slope kept in range.

    With fewer than two distinct x there is no slope to fit: the result has the
    ``fallback`` slope. ``x`` and ``y`` must be non-empty and the same length.
    """
    hull = lower_hull(x, y)
    if len(hull) < 2:
        return supporting_line(x, y, fallback)
    x_mean = float(np.mean(x))
    edge = next((e for e in itertools.pairwise(hull) if e[1][0] >= x_mean), None)
    (x0, y0), (x1, y1) = edge if edge is not None else (hull[-2], hull[-1])
    slope = (y1 - y0) / (x1 - x0)
    return supporting_line(x, y, min(max(slope, slope_lo), slope_hi))


def slope_uncertainty(x: FloatArray, y: FloatArray, line: Line) -> float:
    """A rough standard error of the fitted slope, from how far points sit above the line.

    The points' mean height above the envelope stands in for their scatter; the slope of a
    fit over ``m`` points spread over ``span`` has an error of about
    ``scatter · sqrt(12 / m) / span``. Infinite with fewer than three points.
    """
    m = int(x.shape[0])
    span = float(np.ptp(x)) if m else 0.0
    if m < 3 or span <= 0.0:
        return float("inf")
    scatter = float(np.mean(y - (line.intercept + line.slope * x)))
    return scatter * float(np.sqrt(12.0 / m)) / span
