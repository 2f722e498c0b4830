"""``org.gaitdeck.FakeBlueZ1`` at ``/org/gaitdeck/fakebluez``: drive a fake in another process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from dbus_fast.annotations import DBusSignature
from dbus_fast.service import ServiceInterface, method

from fakebluez.dbus_types import Bool, Str, UInt32

if TYPE_CHECKING:
    from fakebluez.server import FakeBlueZ

CONTROL_PATH = "/org/gaitdeck/fakebluez"
CONTROL_INTERFACE = "org.gaitdeck.FakeBlueZ1"
Counts = Annotated[list[int], DBusSignature("(uuuu)")]


class FakeBlueZControl(ServiceInterface):
    def __init__(self, fake: FakeBlueZ) -> None:
        super().__init__(CONTROL_INTERFACE)
        self.fake = fake

    @method()
    def DropLink(self, address: Str):
        self.fake.drop_link(address)

    @method()
    def FailConnects(self, address: Str, count: UInt32):
        self.fake.fail_connects(address, count)

    @method()
    def RefuseConfig(self, address: Str, refuse: Bool):
        self.fake.refuse_config(address, refuse)

    @method()
    def Counts(self, address: Str) -> Counts:
        """(notifications sent, samples sent, connects, host disconnects)."""
        device = self.fake.devices[address]
        sent = self.fake.witmotion(address).sent
        samples = sum(len(t) for t in sent.t_s)
        return [sent.notifications, samples, device.log.connects, device.log.host_disconnects]
