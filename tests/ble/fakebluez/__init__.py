"""A fake ``org.bluez`` on a private D-Bus, good enough to run bleak's real BlueZ backend.

See ``shared/ble-testing.md``. ``PrivateBus`` starts a ``dbus-daemon``; ``FakeBlueZ`` owns
``org.bluez`` on it (adapter ``hci0``, devices, GATT objects with BlueZ's exact paths);
``FakeBlueZThread`` runs it on its own loop so tests can poke it; ``python -m fakebluez``
runs it in a subprocess (driven over ``org.gaitdeck.FakeBlueZ1``) for benchmarks.
"""

from fakebluez.bus import PrivateBus
from fakebluez.server import FakeBlueZ, FakeBlueZThread, PodSpec

__all__ = ["FakeBlueZ", "FakeBlueZThread", "PodSpec", "PrivateBus"]
