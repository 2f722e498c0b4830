"""A fake ``org.bluez`` on a private D-Bus, good enough to run bleak's real BlueZ backend.

See ``shared/ble-testing.md``. ``PrivateBus`` starts a ``dbus-daemon``; ``FakeBlueZ`` owns
``org.bluez`` on it (adapter ``hci0``, devices, GATT objects with BlueZ's exact paths);
``FakeBlueZThread`` runs it on its own loop so tests can poke it; ``python -m fakebluez``
runs it in a subprocess (driven over ``org.gaitdeck.FakeBlueZ1``) for benchmarks.

Peripherals by ``PodSpec.kind``: ``witmotion`` (``witmotion.py``), ``polar`` (``polar.py``:
Verity Sense, or H10 when the name starts "Polar H10"), ``metamotion`` (``metamotion.py``:
BMI160, or BMI270 when the name contains "MMS"), ``rsc`` (``rsc.py``), ``other``
(advertises only). All but WitMotion and ``other`` expose the Battery Service too.
"""

from fakebluez.bus import PrivateBus
from fakebluez.server import FakeBlueZ, FakeBlueZThread, PodSpec

__all__ = ["FakeBlueZ", "FakeBlueZThread", "PodSpec", "PrivateBus"]
