"""PlaybackClock: speed, pause, seek, loop and as-fast-as-possible pacing, on a fake wall."""

from __future__ import annotations

import asyncio

import pytest

from drivers.replay.clock import ASAP_LEAD_S, ASAP_MAX_BACKLOG_S, PlaybackClock


class Wall:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_runs_at_its_speed_and_changes_speed_without_jumping() -> None:
    wall = Wall()
    clock = PlaybackClock(start_s=10.0, speed=2.0, wall=wall)
    wall.now += 1.5
    assert clock.position_s() == pytest.approx(13.0)
    clock.set_speed(0.25)
    wall.now += 4.0
    assert clock.position_s() == pytest.approx(14.0)
    with pytest.raises(ValueError):
        clock.set_speed(0.0)


def test_pause_stands_still_and_resume_goes_on_from_there() -> None:
    wall = Wall()
    clock = PlaybackClock(speed=1.0, wall=wall)
    wall.now += 2.0
    clock.pause()
    wall.now += 50.0
    assert clock.position_s() == pytest.approx(2.0) and clock.paused
    clock.resume()
    wall.now += 1.0
    assert clock.position_s() == pytest.approx(3.0)


def test_seek_moves_the_origin_and_bumps_the_generation() -> None:
    wall = Wall()
    clock = PlaybackClock(speed=1.0, wall=wall)
    clock.seek(42.0)
    assert (clock.generation, clock.origin_s, clock.position_s()) == (1, 42.0, 42.0)


def test_a_loop_wraps_back_to_its_start() -> None:
    wall = Wall()
    clock = PlaybackClock(speed=1.0, wall=wall)
    clock.set_loop(5.0, 8.0)
    generation = clock.generation
    wall.now += 2.0
    assert clock.position_s() == pytest.approx(7.0)
    wall.now += 1.5
    assert clock.position_s() == pytest.approx(5.0)
    assert clock.generation == generation + 1 and clock.origin_s == 5.0
    with pytest.raises(ValueError):
        clock.set_loop(3.0, 3.0)


def test_as_fast_as_possible_keeps_pods_together_and_waits_for_the_consumer() -> None:
    backlog = [0.0]
    clock = PlaybackClock(speed=None, backlog_s=lambda: backlog[0])
    clock.join("a")
    clock.join("b")
    clock.report("a", 30.0)
    clock.report("b", 2.0)
    assert clock.position_s() == pytest.approx(2.0 + ASAP_LEAD_S)  # the slowest pod leads
    clock.report("b", 5.0)
    backlog[0] = ASAP_MAX_BACKLOG_S + 1.0
    assert clock.position_s() == pytest.approx(2.0 + ASAP_LEAD_S)  # consumer behind: hold
    backlog[0] = 0.0
    clock.report("b", None)  # b finished: only a is left
    assert clock.position_s() == pytest.approx(30.0 + ASAP_LEAD_S)


def test_wait_until_returns_false_after_a_seek() -> None:
    clock = PlaybackClock(speed=1.0)

    async def waiting() -> bool:
        task = asyncio.create_task(clock.wait_until(1000.0, clock.generation))
        await asyncio.sleep(0.05)
        clock.seek(0.0)
        return await task

    assert asyncio.run(waiting()) is False
