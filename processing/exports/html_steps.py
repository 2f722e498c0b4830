"""Section builders about the session and its steps: facts, strikes, FSA, cadence and
contact, left/right symmetry. Each takes a SummaryInput and returns one Section."""

from __future__ import annotations

import numpy as np

from processing.contacts import contacts
from processing.events import Side, StrikeType
from processing.exports.html_page import Html, Section, figure, fmt, paragraph, share_bar, table
from processing.exports.session_stats import (
    difference,
    foot_figures,
    session_cadence_spm,
    stride_stat,
    symmetry_index,
)
from processing.exports.summary_input import SIDE_COLOURS, STRIKE_COLOURS, SummaryInput
from processing.exports.svg import Chart, data_range

FSA_BIN_DEG = 2.0


def facts_section(data: SummaryInput) -> Section:
    """Duration, pods, steps and strides, alignment per pod, warnings."""
    s = data.summary
    duration = s.get("duration_s")
    facts = table(
        [],
        [
            ["Duration", Html(fmt(duration if isinstance(duration, float) else None, 1, " s"))],
            ["Steps (foot contacts)", s.get("steps")],
            ["Strides", s.get("strides")],
            ["Cadence", Html(fmt(session_cadence_spm(data.result), 1, " steps/min"))],
        ],
    )
    pods = table(
        ["Pod", "Samples", "Rate (Hz)", "From (s)", "To (s)", "Dropped (non-finite)"],
        [
            [
                name,
                e["samples"],
                e["rate_hz"],
                _rel(data, e["start_s"]),
                _rel(data, e["end_s"]),
                e["non_finite_samples"],
            ]
            for name, e in data.pod_inputs.items()
        ],
    )
    alignment = table(
        ["Pod", "Alignment", "Quality", "Note"],
        [
            [name, e.get("status"), e.get("quality"), e.get("note")]
            for name, e in data.result.alignment.items()
        ],
        decimals=2,
    )
    listed = "".join(f"<li>{fmt(w)}</li>" for w in data.warnings) or "<li>none</li>"
    body = (
        f"{facts}<h3>Pods</h3>{pods}<h3>Alignment found</h3>{alignment}"
        f'<h3>Warnings</h3><ul class="warnings">{listed}</ul>'
    )
    return Section("facts", "Session", body)


def _rel(data: SummaryInput, t_s: object) -> float | None:
    return float(t_s) - data.start_s if isinstance(t_s, int | float) else None


def strikes_section(data: SummaryInput) -> Section:
    """Count and share of each strike type per foot."""
    rows, bars = [], []
    for side in data.sides:
        foot = foot_figures(data.result, side)
        shares = [foot.share(k) for k in StrikeType]
        rows.append(
            [side.value, foot.strikes]
            + [
                Html(f"{foot.strike_counts[k]} ({fmt(p, 0, '%')})")
                for k, p in zip(StrikeType, shares, strict=True)
            ]
        )
        parts = [
            (k.value, p, STRIKE_COLOURS[k.value]) for k, p in zip(StrikeType, shares, strict=True)
        ]
        bars.append(share_bar(side.value, parts))
    headers = ["Foot", "Strikes", *(k.value for k in StrikeType)]
    t = data.thresholds
    note = (
        f"Foot strike angle (FSA) above {t.rearfoot_above_deg:g}° is rearfoot, below "
        f"{t.forefoot_below_deg:g}° forefoot, midfoot between (Altman & Davis 2012)."
    )
    return Section(
        "strikes",
        "Strike distribution",
        table(headers, rows) + "".join(bars) + paragraph(note, "note"),
    )


def fsa_time_section(data: SummaryInput) -> Section:
    """FSA of every strike against time, per foot, over the strike-type bands."""
    strikes = contacts(data.result)
    times = [s.ic_s - data.start_s for s in strikes]
    t = data.thresholds
    chart = Chart(
        data_range(times, pad=0.02),
        data_range(
            [s.fsa_deg for s in strikes],
            include=[t.forefoot_below_deg - 4, t.rearfoot_above_deg + 4],
        ),
        "time (s)",
        "FSA (°)",
    )
    chart.band(t.rearfoot_above_deg, chart.y[1], "#e8d5c4", "rearfoot")
    chart.band(t.forefoot_below_deg, t.rearfoot_above_deg, "#fbeeb8", "midfoot")
    chart.band(chart.y[0], t.forefoot_below_deg, "#d3ecd0", "forefoot")
    for side in data.sides:
        mine = [s for s in strikes if s.side == side]
        chart.points(
            [s.ic_s - data.start_s for s in mine],
            [s.fsa_deg for s in mine],
            f"fsa {side.value}",
            SIDE_COLOURS[side],
        )
        chart.legend(SIDE_COLOURS[side], f"{side.value} ({len(mine)})")
    caption = "Foot strike angle per step (positive: toes up at contact)."
    return Section("fsa-time", "Foot strike angle over time", figure(chart.render(), caption))


def fsa_histogram_section(data: SummaryInput) -> Section:
    """Histogram of the FSA per foot, bins of FSA_BIN_DEG, side by side."""
    strikes = contacts(data.result)
    fsa = np.array([s.fsa_deg for s in strikes], dtype=float)
    fsa = fsa[np.isfinite(fsa)]
    lo = np.floor((fsa.min() if fsa.size else -10.0) / FSA_BIN_DEG) * FSA_BIN_DEG
    hi = np.ceil((fsa.max() if fsa.size else 20.0) / FSA_BIN_DEG + 1e-9) * FSA_BIN_DEG
    edges = np.arange(lo, hi + FSA_BIN_DEG / 2, FSA_BIN_DEG)
    counts = {
        side: np.histogram([s.fsa_deg for s in strikes if s.side == side], edges)[0]
        for side in data.sides
    }
    top = max((int(c.max()) for c in counts.values() if c.size), default=1)
    chart = Chart(
        (float(edges[0]), float(edges[-1])), (0.0, top * 1.15 + 0.5), "FSA (°)", "strikes"
    )
    width = 1.0 / max(len(counts), 1)
    for k, (side, c) in enumerate(counts.items()):
        chart.bars(
            edges.tolist(),
            c.tolist(),
            f"hist {side.value}",
            SIDE_COLOURS[side],
            (k * width, (k + 1) * width),
        )
        chart.legend(SIDE_COLOURS[side], side.value)
    t = data.thresholds
    chart.vline(t.rearfoot_above_deg, "#8c564b", f"rearfoot > {t.rearfoot_above_deg:g}°")
    chart.vline(t.forefoot_below_deg, "#2ca02c", f"forefoot < {t.forefoot_below_deg:g}°")
    caption = f"Strikes per {FSA_BIN_DEG:g}° FSA bin, per foot."
    return Section(
        "fsa-histogram", "Foot strike angle distribution", figure(chart.render(), caption)
    )


def cadence_contact_section(data: SummaryInput) -> Section:
    """Per foot: cadence from that foot's strides, contact and stride time."""
    rows = []
    for side in data.sides:
        f = foot_figures(data.result, side)
        rows.append(
            [
                side.value,
                f.strikes,
                f.cadence_spm,
                f.contact_ms.mean,
                f.contact_ms.sd,
                f.contact_ms.median,
                f.stride_s.median,
            ]
        )
    headers = [
        "Foot",
        "Strikes",
        "Cadence (steps/min)",
        "Contact mean (ms)",
        "Contact SD (ms)",
        "Contact median (ms)",
        "Stride median (s)",
    ]
    note = (
        f"Session cadence: {fmt(session_cadence_spm(data.result), 1)} steps/min. A foot's "
        "cadence is twice its stride rate (median interval between its contacts)."
    )
    return Section(
        "cadence", "Cadence and contact time", table(headers, rows) + paragraph(note, "note")
    )


def symmetry_section(data: SummaryInput) -> Section:
    """Left against right: symmetry index for times, difference for angles and shares."""
    if len(data.sides) < 2:
        return Section(
            "symmetry", "Left/right symmetry", paragraph("Needs both shoe pods.", "note")
        )
    left, right = (foot_figures(data.result, s) for s in (Side.LEFT, Side.RIGHT))
    by_side = {s: [x for x in data.result.strides if x.side == s] for s in Side}

    def stride_mean(side: Side, name: str) -> float | None:
        return stride_stat(by_side[side], name).mean

    rows: list[list[object]] = [
        [
            "Contact time (ms)",
            left.contact_ms.mean,
            right.contact_ms.mean,
            symmetry_index(left.contact_ms.mean, right.contact_ms.mean),
            None,
        ],
        [
            "Stride time (s)",
            left.stride_s.mean,
            right.stride_s.mean,
            symmetry_index(left.stride_s.mean, right.stride_s.mean),
            None,
        ],
        [
            "FSA (°)",
            left.fsa_deg.mean,
            right.fsa_deg.mean,
            None,
            difference(left.fsa_deg.mean, right.fsa_deg.mean),
        ],
        [
            "Rearfoot strikes (%)",
            left.share(StrikeType.REARFOOT),
            right.share(StrikeType.REARFOOT),
            None,
            difference(left.share(StrikeType.REARFOOT), right.share(StrikeType.REARFOOT)),
        ],
    ]
    for name, label in (
        ("trunk_rot_rom_deg", "Trunk rotation range (°)"),
        ("pelvis_rot_rom_deg", "Pelvis rotation range (°)"),
    ):
        l_val, r_val = stride_mean(Side.LEFT, name), stride_mean(Side.RIGHT, name)
        rows.append([label, l_val, r_val, symmetry_index(l_val, r_val), None])
    headers = ["Measure (mean)", "Left", "Right", "Symmetry index (%)", "Left − right"]
    note = (
        "Symmetry index = 100 × (L − R) / ((L + R) / 2): 0 is symmetric, positive means "
        "left larger. Angles and shares are compared by their difference. Trunk and pelvis "
        "ranges are over the strides of each foot."
    )
    return Section(
        "symmetry",
        "Left/right symmetry",
        table(headers, rows, decimals=1) + paragraph(note, "note"),
    )
