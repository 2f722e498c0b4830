"""GattService1 / GattCharacteristic1 / GattDescriptor1 objects of one fake device.

Handles and paths follow BlueZ: ``<device>/service<hhhh>/char<hhhh>/desc<hhhh>`` (bleak slices
the device path off a characteristic path by length, so each is exactly 4 hex digits).
"""

from __future__ import annotations

from collections.abc import Callable

from dbus_fast import DBusError
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method

from fakebluez.dbus_types import Bool, Bytes, Options, Path, Str, Strs, UInt16

WriteHandler = Callable[[bytes], None]
ReadHandler = Callable[[], bytes]


class FakeGattService(ServiceInterface):
    def __init__(self, device_path: str, handle: int, uuid: str) -> None:
        super().__init__("org.bluez.GattService1")
        self.path = f"{device_path}/service{handle:04x}"
        self.device_path = device_path
        self.uuid = uuid

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> Str:
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Device(self) -> Path:
        return self.device_path

    @dbus_property(access=PropertyAccess.READ)
    def Primary(self) -> Bool:
        return True


class FakeCharacteristic(ServiceInterface):
    """``on_write`` may raise ``DBusError`` to refuse; ``notify`` emits a Value change (a
    notification or an indication); ``on_read``, if given, answers reads (a remote read)."""

    def __init__(
        self, service: FakeGattService, handle: int, uuid: str, flags: list[str],
        on_write: WriteHandler | None = None, on_read: ReadHandler | None = None,
    ) -> None:  # fmt: skip
        super().__init__("org.bluez.GattCharacteristic1")
        self.path = f"{service.path}/char{handle:04x}"
        self.service_path = service.path
        self.uuid = uuid
        self.flags = flags
        self.on_write = on_write
        self.on_read = on_read
        self.value = b""
        self.notifying = False

    def notify(self, payload: bytes) -> None:
        self.value = payload
        self.emit_properties_changed({"Value": payload})

    def set_notifying(self, on: bool) -> None:
        if self.notifying != on:
            self.notifying = on
            self.emit_properties_changed({"Notifying": on})

    @method()
    def ReadValue(self, options: Options) -> Bytes:
        return self.on_read() if self.on_read is not None else self.value

    @method()
    def WriteValue(self, value: Bytes, options: Options):
        if self.on_write is None:
            raise DBusError("org.bluez.Error.NotPermitted", "Write not permitted")
        self.on_write(bytes(value))

    @method()
    def StartNotify(self):
        if "notify" not in self.flags and "indicate" not in self.flags:
            raise DBusError("org.bluez.Error.NotSupported", "Operation is not supported")
        self.set_notifying(True)

    @method()
    def StopNotify(self):
        self.set_notifying(False)

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> Str:
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Service(self) -> Path:
        return self.service_path

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> Bytes:
        return self.value

    @dbus_property(access=PropertyAccess.READ)
    def Notifying(self) -> Bool:
        return self.notifying

    @dbus_property(access=PropertyAccess.READ)
    def Flags(self) -> Strs:
        return self.flags

    @dbus_property(access=PropertyAccess.READ)
    def MTU(self) -> UInt16:
        return 247


class FakeDescriptor(ServiceInterface):
    def __init__(self, char: FakeCharacteristic, handle: int, uuid: str) -> None:
        super().__init__("org.bluez.GattDescriptor1")
        self.path = f"{char.path}/desc{handle:04x}"
        self.char_path = char.path
        self.uuid = uuid

    @method()
    def ReadValue(self, options: Options) -> Bytes:
        return b"\x00\x00"

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> Str:
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Characteristic(self) -> Path:
        return self.char_path

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> Bytes:
        return b"\x00\x00"

    @dbus_property(access=PropertyAccess.READ)
    def Flags(self) -> Strs:
        return ["read", "write"]


GattObject = FakeGattService | FakeCharacteristic | FakeDescriptor
