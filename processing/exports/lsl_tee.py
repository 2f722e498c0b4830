"""A pipeline wrapper that streams what passes through it to LSL, on the processing thread.

``LslTeePipeline(GaitPipeline(pods), feed)`` is a drop-in ``Pipeline`` for the Engine: each
``update`` runs the wrapped pipeline, then pushes the input blocks (raw IMU per pod) and the
published events (step markers, stride metrics) to the feed, and returns the output
unchanged. An LSL failure never costs gait results: it is logged and counted in
``lsl_errors``. Other attributes (``request_calibration``, ``alignment_report``, …) are
those of the wrapped pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Protocol

from drivers.types import Placement, SampleBlock
from processing.engine import Pipeline, PipelineOutput
from processing.events import GaitEvent

log = logging.getLogger(__name__)


class GaitFeed(Protocol):
    """What the tee pushes to (``GaitLslFeed``)."""

    def push_blocks(self, blocks: Mapping[Placement, SampleBlock]) -> None: ...

    def push_events(self, events: Iterable[GaitEvent]) -> None: ...


class LslTeePipeline:
    """``inner``'s results, also pushed to ``feed``."""

    def __init__(self, inner: Pipeline, feed: GaitFeed) -> None:
        self.inner = inner
        self.feed = feed
        self.lsl_errors = 0

    def update(self, blocks: Mapping[Placement, SampleBlock]) -> PipelineOutput:
        output = self.inner.update(blocks)
        try:
            self.feed.push_blocks(blocks)
            self.feed.push_events(output.events)
        except Exception:  # streaming is optional; the gait results are not
            self.lsl_errors += 1
            log.exception("LSL push failed")
        return output

    def __getattr__(self, name: str) -> object:
        if name == "inner":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)
