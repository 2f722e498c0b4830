"""Live traces of the last few seconds: shoe angular velocity with contacts, trunk, pelvis.

Pulled from the board at frame rate; curves are created once and fed with ``setData``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from desktop import palette
from desktop.view_models import ContactMarker, StickyRange
from drivers.types import FloatArray, Placement
from processing import traces
from processing.board import TRACE_CAPACITY, MetricsBoard
from processing.events import Side
from processing.reference import TENG_POWERS_2015, TRUNK_FLEXION_GROUPS_DEG

WINDOW_S = 5.0
TRACE_MIN_PX = 60  # the least height of each plot's data area: a trace still reads
TITLE_PX = 24  # each plot's title row


@dataclass
class TraceCurve:
    """One board trace drawn as one curve; ``n`` adapts so a read covers the window."""

    name: str
    curve: pg.PlotCurveItem
    n: int = 2048
    t_s: FloatArray | None = None
    values: FloatArray | None = None

    def read(self, board: MetricsBoard) -> None:
        t_s, values = board.trace_latest(self.name, self.n)
        self.t_s, self.values = t_s, values
        if len(t_s) > 2 and t_s[-1] > t_s[0]:
            needed = len(t_s) * (WINDOW_S * 1.1) / (t_s[-1] - t_s[0])
            self.n = int(min(TRACE_CAPACITY, max(64, math.ceil(needed) + 8)))

    @property
    def last_t_s(self) -> float:
        return float(self.t_s[-1]) if self.t_s is not None and len(self.t_s) else -math.inf


class TracePlot:
    """A plot with its curves, a sticky y range and a "no data" note."""

    def __init__(self, item: pg.PlotItem, title: str, min_span: float, missing: str) -> None:
        self.item = item
        self.curves: list[TraceCurve] = []
        self.range = StickyRange(min_span)
        self.title = title
        self.include: tuple[float, ...] = ()  # reference values kept in view
        item.setTitle(title, color=palette.TEXT, size="10.5pt", justify="left")
        item.layout.setRowFixedHeight(0, TITLE_PX)
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        # No pyqtgraph grid: its alpha-blended lines, replayed from QPicture on every frame,
        # cost more than all the curves together. A zero line is cheap and reads well.
        item.addItem(pg.InfiniteLine(0.0, angle=0, pen=pg.mkPen(palette.GRID)), ignoreBounds=True)
        item.enableAutoRange(x=False, y=False)
        item.setXRange(-WINDOW_S, 0.0, padding=0.0)
        item.getAxis("left").setWidth(48)
        self.note = pg.TextItem(missing, color=palette.TEXT_DIM, anchor=(0.5, 0.5))
        item.addItem(self.note, ignoreBounds=True)

    def add_curve(self, name: str, colour: str) -> TraceCurve:
        # A bare PlotCurveItem: 5 s of a 200 Hz trace is ~1000 points, which needs no
        # clipping or downsampling, and PlotDataItem's bookkeeping around them cost more
        # than drawing. 1 px: wide pens are ~3x slower.
        curve = pg.PlotCurveItem(pen=pg.mkPen(colour, width=1))
        self.item.addItem(curve)
        trace = TraceCurve(name, curve)
        self.curves.append(trace)
        return trace

    def draw(self, now_s: float) -> None:
        low, high, any_data = math.inf, -math.inf, False
        for trace in self.curves:
            t_s, values = trace.t_s, trace.values
            if t_s is None or values is None or not len(t_s):
                trace.curve.setData([], [])
                continue
            keep = t_s >= now_s - WINDOW_S * 1.05
            x, y = t_s[keep] - now_s, values[keep]
            finite = np.isfinite(y)
            all_finite = bool(finite.all())
            connect = "all" if all_finite else "finite"  # gaps in a trace stay gaps
            trace.curve.setData(x, y, connect=connect, skipFiniteCheck=all_finite)
            if finite.any():
                shown = y if all_finite else y[finite]
                any_data = True
                low, high = min(low, float(shown.min())), max(high, float(shown.max()))
        self.note.setVisible(not any_data)
        if any_data and self.include:
            low, high = min(low, *self.include), max(high, *self.include)
        new_range = self.range.update(low, high) if any_data else None
        if new_range is not None:
            self.item.setYRange(*new_range, padding=0.0)
        if not any_data:
            y_low, y_high = self.item.viewRange()[1]
            self.note.setPos(-WINDOW_S / 2, (y_low + y_high) / 2)


class ContactMarkers:
    """Initial contacts of one shoe: dots on its curve, coloured by strike type, and lines.

    The items hold contact times as they are and slide with the window by their position,
    so between contacts a frame moves them instead of rebuilding their points.
    """

    def __init__(self, plot: TracePlot, side: Side) -> None:
        self.plot, self.side = plot, side
        self.lines = pg.PlotCurveItem(pen=pg.mkPen(QColor(255, 255, 255, 55), width=1))
        self.dots = pg.ScatterPlotItem(size=11, pen=pg.mkPen(palette.PLOT_BACKGROUND, width=1.5))
        plot.item.addItem(self.lines, ignoreBounds=True)
        plot.item.addItem(self.dots)
        self._brushes = {k: pg.mkBrush(c) for k, c in palette.STRIKE_COLOURS.items()}
        self._shown: tuple[object, ...] = ()

    def draw(self, markers: Iterable[ContactMarker], trace: TraceCurve, now_s: float) -> None:
        shown = [m for m in markers if m.side is self.side and m.ic_s >= now_s - WINDOW_S]
        if not shown or trace.t_s is None or len(trace.t_s) < 2:
            if self._shown:
                self.dots.clear()
                self.lines.setData([], [])
                self._shown = ()
            return
        y_range = tuple(self.plot.item.viewRange()[1])
        key = (*((m.ic_s, m.strike) for m in shown), y_range)
        if key != self._shown:
            self._shown = key
            ic_s = np.array([m.ic_s for m in shown])
            y = np.interp(ic_s, trace.t_s, trace.values)
            self.dots.setData(x=ic_s, y=y, brush=[self._brushes[m.strike] for m in shown])
            lines_y = np.tile(y_range, len(ic_s))
            self.lines.setData(np.repeat(ic_s, 2), lines_y, connect="pairs")
        for item in (self.dots, self.lines):
            item.setPos(-now_s, 0.0)
            item.viewTransformChanged()  # pyqtgraph caches the view rect it culls points with


class UserMarkerLines:
    """The user's markers (recording markers, hotkeys) in the window: a dashed line on
    every plot and the text on the top one. A small pool of items, reused every frame."""

    POOL = 6

    def __init__(self, plots: list[TracePlot]) -> None:
        pen = pg.mkPen(palette.USER_MARKER_COLOUR, width=1, style=Qt.PenStyle.DashLine)
        self.lines = [
            [pg.InfiniteLine(angle=90, pen=pen, movable=False) for _ in range(self.POOL)]
            for _ in plots
        ]
        for plot, lines in zip(plots, self.lines, strict=True):
            for line in lines:
                line.setVisible(False)
                plot.item.addItem(line, ignoreBounds=True)
        self.labels = [
            pg.TextItem("", color=palette.USER_MARKER_COLOUR, anchor=(0.0, 0.0))
            for _ in range(self.POOL)
        ]
        for text in self.labels:
            text.setVisible(False)
            plots[0].item.addItem(text, ignoreBounds=True)
        self.top = plots[0]
        self.shown: list[tuple[float, str]] = []

    def draw(self, markers: Iterable[tuple[float, str]], now_s: float) -> None:
        shown = [(t, text) for t, text in markers if now_s - WINDOW_S <= t <= now_s]
        shown = shown[-self.POOL :]
        self.shown = shown
        y_top = self.top.item.viewRange()[1][1]
        for lines in self.lines:
            for i, line in enumerate(lines):
                if i < len(shown):
                    line.setValue(shown[i][0] - now_s)
                line.setVisible(i < len(shown))
        for i, label in enumerate(self.labels):
            if i < len(shown):
                t_s, text = shown[i]
                if label.toPlainText() != text:
                    label.setText(text)
                label.setPos(t_s - now_s, y_top)
            label.setVisible(i < len(shown))


class FlexionReferences:
    """On the trunk flexion plot: the feedback lean band (shaded) and the Teng & Powers
    (2015) group means as labelled dashed lines."""

    def __init__(self, plot: TracePlot) -> None:
        self.plot = plot
        self.band = pg.LinearRegionItem(orientation="horizontal", movable=False)
        self.band.setZValue(-10)
        plot.item.addItem(self.band, ignoreBounds=True)
        self.lines: dict[str, pg.InfiniteLine] = {}
        for name, value in TRUNK_FLEXION_GROUPS_DEG.items():
            text = f"{value:g}° T&P {name.split('-')[0]}"
            options = {"position": 0.04, "anchors": [(0, 1), (0, 1)]}
            line = pg.InfiniteLine(value, angle=0, movable=False, label=text, labelOpts=options)
            line.setToolTip(TENG_POWERS_2015)
            plot.item.addItem(line, ignoreBounds=True)
            self.lines[name] = line
        self.set_band((5.0, 15.0))
        self.restyle()

    def set_band(self, band: tuple[float, float] | None) -> None:
        self.band.setVisible(band is not None)
        if band is not None:
            self.band.setRegion(band)
            self.band.setToolTip(f"Feedback lean band {band[0]:g}–{band[1]:g}°")
        self.plot.include = (*TRUNK_FLEXION_GROUPS_DEG.values(), *(band or ()))
        self.plot.range.current = None  # refit on the next frame

    def restyle(self) -> None:
        colour = QColor(palette.BAND_COLOUR)
        colour.setAlpha(38)
        self.band.setBrush(pg.mkBrush(colour))
        for edge in self.band.lines:
            edge.setPen(pg.mkPen(colour, width=0))
        for line in self.lines.values():
            line.setPen(pg.mkPen(palette.REFERENCE_COLOUR, width=1, style=Qt.PenStyle.DashLine))
            line.label.setColor(palette.REFERENCE_COLOUR)


# Angles need a calibrated pod (the standing, then the axes): say so, not "no data", while a
# worn pod streams but is still being calibrated.
NO_TRUNK_ANGLES = "no trunk angles: trunk pod not worn, or not calibrated yet"
NO_ROTATION_ANGLES = "no rotation angles: trunk and pelvis pods not worn, or not calibrated yet"


def _legend(*entries: tuple[str, str]) -> str:
    return "  ".join(
        f"<span style='color:{colour}'>&#9632; {text}</span>" for text, colour in entries
    )


class LiveTraces(pg.GraphicsLayoutWidget):
    """Four stacked plots sharing a time axis that ends at the newest sample (t = 0)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ci.setContentsMargins(4, 4, 8, 4)
        self.ci.setSpacing(2)
        self.plots: list[TracePlot] = []
        self.shoe_traces: dict[Side, TraceCurve] = {}
        self.markers: dict[Side, ContactMarkers] = {}
        for side, placement in (
            (Side.LEFT, Placement.LEFT_SHOE),
            (Side.RIGHT, Placement.RIGHT_SHOE),
        ):
            plot = self._add_plot(
                f"{side.value.capitalize()} shoe · sagittal angular velocity (°/s)"
                "  <span style='color:#8c97a6'>· dots: initial contacts</span>",
                400.0,
                f"no {side.value} shoe data",
            )
            colour = palette.SIDE_COLOURS[side]
            self.shoe_traces[side] = plot.add_curve(traces.SHOE_SAGITTAL_GYRO[placement], colour)
            self.markers[side] = ContactMarkers(plot, side)
        flexion = self._add_plot("Trunk flexion (°, forward +)", 6.0, NO_TRUNK_ANGLES)
        self.flexion_plot = flexion
        flexion.add_curve(traces.TRUNK_FLEXION, palette.TRUNK_COLOUR)
        self.flexion_references = FlexionReferences(flexion)
        rotation = self._add_plot(
            "Axial rotation (°)  "
            + _legend(("trunk", palette.TRUNK_COLOUR), ("pelvis", palette.PELVIS_COLOUR)),
            10.0,
            NO_ROTATION_ANGLES,
        )
        rotation.add_curve(traces.TRUNK_ROTATION, palette.TRUNK_COLOUR)
        rotation.add_curve(traces.PELVIS_ROTATION, palette.PELVIS_COLOUR)
        rotation.item.setLabel("bottom", "time (s)")
        self.user_markers = UserMarkerLines(self.plots)
        self.now_s = -math.inf
        self.setMinimumHeight(self.minimum_height_px())

    def set_trunk_note(self, why: str) -> None:
        """Why the trunk flexion plot is empty: ``why`` (e.g. its axes are ambiguous), or the
        usual note when ''."""
        text = f"no trunk angles: {why}" if why else NO_TRUNK_ANGLES
        if self.flexion_plot.note.toPlainText() != text:
            self.flexion_plot.note.setText(text)

    def minimum_height_px(self) -> int:
        """Enough for ``TRACE_MIN_PX`` of data area per plot, with titles and time axis:
        each plot gets that as its minimum, the widget their sum."""
        total = 0.0
        for plot in self.plots:
            axis = plot.item.getAxis("bottom")
            least = TITLE_PX + TRACE_MIN_PX + axis.minimumHeight() + 2
            plot.item.setMinimumHeight(least)
            total += least
        margins = self.ci.layout.getContentsMargins()
        spacing = self.ci.layout.verticalSpacing() * (len(self.plots) - 1)
        return math.ceil(total + spacing + margins[1] + margins[3] + 4)

    def restyle(self) -> None:
        """Titles, curve colours and references in the current palette."""
        for plot in self.plots:
            plot.item.setTitle(plot.title, color=palette.TEXT, size="10.5pt", justify="left")
            plot.item.layout.setRowFixedHeight(0, TITLE_PX)  # setTitle sizes it to the text
            plot.note.setColor(palette.TEXT_DIM)
        colours = {traces.TRUNK_FLEXION: palette.TRUNK_COLOUR,
                   traces.TRUNK_ROTATION: palette.TRUNK_COLOUR,
                   traces.PELVIS_ROTATION: palette.PELVIS_COLOUR}  # fmt: skip
        for side, trace in self.shoe_traces.items():
            colours[trace.name] = palette.SIDE_COLOURS[side]
        for plot in self.plots:
            for trace in plot.curves:
                trace.curve.setPen(pg.mkPen(colours.get(trace.name, palette.TEXT), width=1))
        self.flexion_references.restyle()

    def _add_plot(self, title: str, min_span: float, missing: str) -> TracePlot:
        row = len(self.plots)
        item = self.addPlot(row=row, col=0)
        if self.plots:
            item.setXLink(self.plots[0].item)
            self.plots[-1].item.getAxis("bottom").setStyle(showValues=False)
        plot = TracePlot(item, title, min_span, missing)
        self.plots.append(plot)
        return plot

    def refresh(
        self,
        board: MetricsBoard,
        markers: Iterable[ContactMarker],
        user_markers: Iterable[tuple[float, str]] = (),
    ) -> None:
        """Read every trace from the board and redraw; ``t = 0`` is the newest sample.
        ``user_markers``: (session time, text) drawn as labelled lines."""
        for plot in self.plots:
            for trace in plot.curves:
                trace.read(board)
        latest = max(trace.last_t_s for plot in self.plots for trace in plot.curves)
        if math.isfinite(latest):
            self.now_s = latest
        for plot in self.plots:
            plot.draw(self.now_s)
        marker_list = list(markers)
        for side, contact in self.markers.items():
            contact.draw(marker_list, self.shoe_traces[side], self.now_s)
        self.user_markers.draw(user_markers, self.now_s)
