"""The notification rate meter: samples per second over a sliding window."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.notify.rate import RateMeter


def test_steady_stream_gives_its_rate() -> None:
    meter = RateMeter(window_s=2.0)
    rate = 0.0
    for k in range(500):  # 4 samples every 20 ms: 200 Hz
        rate = meter.add(k * 0.02, 4)
    assert abs(rate - 200.0) < 1e-9


@given(st.lists(st.tuples(st.floats(0.001, 0.5), st.integers(0, 8)), min_size=1, max_size=200))
def test_matches_counting_the_window_afresh(arrivals: list[tuple[float, int]]) -> None:
    meter = RateMeter(window_s=2.0, min_span_s=0.2)
    seen: list[tuple[float, int]] = []
    t, expected = 0.0, 0.0
    for gap, n in arrivals:
        t += gap
        seen.append((t, n))
        window = [(a, k) for a, k in seen if t - a <= 2.0]
        span = t - window[0][0]
        if span > 0.2:
            expected = (sum(k for _, k in window) - window[0][1]) / span
        assert meter.add(t, n) == expected
