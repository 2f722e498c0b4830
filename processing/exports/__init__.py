"""Exports of an analysed session for other tools, and its live Lab Streaming Layer feed.

* ``session`` — one folder in any of the formats below, never overwriting unasked.
* ``c3d`` (+ ``c3d_events``, ``resample``) — IMU channels as C3D analog data, gait events.
* ``html_summary`` (+ ``html_page``, ``html_steps``, ``html_strides``, ``svg``,
  ``session_stats``, ``summary_input``) — the self-contained HTML session summary.
* ``lsl_feed``, ``lsl_tee`` — step markers and stride metrics on LSL, next to the raw IMU
  streams of ``drivers.lsl``.

The steps/strides/summary tables are ``processing.export``; raw pod CSV is
``drivers.imports.pod_csv``.
"""
