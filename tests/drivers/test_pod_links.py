"""PodLinks and RelaySource with simulated pods: links outlive processing sessions."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from drivers.ble.link import BleTransport
from drivers.clock_sync import SessionClock
from drivers.pod_links import PodLinks
from drivers.sim.pod_source import SimulatedPodSource
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.source import CollectingSink, Source
from drivers.types import Placement, PodInfo, PodState


def simulated(
    model_key: str, info: PodInfo, _t: BleTransport | None, clock: SessionClock
) -> Source:
    model = RunnerModel(get_profile("heel-striker-guarded"), seed=1)
    return SimulatedPodSource(info, model, clock)


def info(address: str, placement: Placement) -> PodInfo:
    return PodInfo(address, placement, "sim", address, 100.0)


def wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


@pytest.fixture
def links() -> PodLinks:
    links = PodLinks(source_factory=simulated)
    yield links
    links.close()


def test_relay_routes_samples_only_while_bound(links: PodLinks) -> None:
    link = links.connect("sim", info("AA", Placement.TRUNK))
    relay = links.relay(link)
    assert relay.stats is link.source.stats  # the session sees the real counters
    sink = CollectingSink()
    running = links.io.submit(relay.run(sink))
    wait_for(lambda: sink.count("AA") > 20)
    running.cancel()
    wait_for(lambda: running.done())  # unbound on the very thread that pushes
    count = sink.count("AA")
    samples = link.source.stats.samples
    wait_for(lambda: link.source.stats.samples > samples + 10)  # the pod streams on …
    assert sink.count("AA") == count  # … but no longer into the old sink
    assert relay.snapshot().state is PodState.STREAMING


def test_disconnect_stops_one_pod_and_not_the_other(links: PodLinks) -> None:
    links.connect("sim", info("AA", Placement.TRUNK))
    other = links.connect("sim", info("BB", Placement.PELVIS))
    links.disconnect("aa").result(5)
    assert [link.address for link in links.links()] == ["BB"]
    samples = other.source.stats.samples
    wait_for(lambda: other.source.stats.samples > samples + 10)


def test_connecting_twice_is_refused(links: PodLinks) -> None:
    links.connect("sim", info("AA", Placement.TRUNK))
    with pytest.raises(ValueError, match="already connected"):
        links.connect("sim", info("aa", Placement.PELVIS))


def test_a_source_that_gives_up_leaves_its_reason(links: PodLinks) -> None:
    class GivesUp(Source):
        async def run(self, sink: object) -> None:
            raise RuntimeError("pod refused output rate 200 Hz")

    links.source_factory = lambda key, pod, transport, clock: GivesUp(pod)
    link = links.connect("sim", info("AA", Placement.TRUNK))
    wait_for(lambda: link.error is not None)
    assert link.error == "pod refused output rate 200 Hz"
