"""The self-contained HTML session summary: one .html file, inline CSS, inline SVG plots.

The page is a list of sections, each made by a small builder ``SummaryInput -> Section``
(``SECTIONS``), so a longer report (issue 6, the clinician report) can reuse, reorder or
add builders. Nothing on the page refers outside it (no scripts, fonts, images or links
other than its own anchors).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.events import StrikeThresholds
from processing.exports.html_page import Section, document
from processing.exports.html_steps import (
    cadence_contact_section,
    facts_section,
    fsa_histogram_section,
    fsa_time_section,
    strikes_section,
    symmetry_section,
)
from processing.exports.html_strides import coordination_section, trunk_section
from processing.exports.summary_input import SummaryInput, summary_input
from processing.stages.strike import DEFAULT_THRESHOLDS

SectionBuilder = Callable[[SummaryInput], Section]

SECTIONS: tuple[SectionBuilder, ...] = (
    facts_section,
    strikes_section,
    fsa_time_section,
    fsa_histogram_section,
    trunk_section,
    coordination_section,
    cadence_contact_section,
    symmetry_section,
)


def render_summary(data: SummaryInput, builders: Sequence[SectionBuilder] = SECTIONS) -> str:
    """The page for ``data``, one section per builder, in order."""
    duration = data.summary.get("duration_s")
    length = f"{duration:.0f} s" if isinstance(duration, float) else "no samples"
    pods = ", ".join(p.value.replace("_", " ") for p in Placement if p in data.blocks)
    subtitle = f"{length}; pods: {pods or 'none'}; times from the first sample"
    return document(data.title, subtitle, [build(data) for build in builders])


def write_html_summary(
    path: Path,
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    *,
    thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
    files: Mapping[Placement, str] | None = None,
    title: str = "gaitdeck session summary",
) -> Path:
    """Write the summary page of an analysed session to ``path``; returns ``path``."""
    data = summary_input(blocks, result, thresholds=thresholds, files=files, title=title)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_summary(data), encoding="utf-8")
    return path
