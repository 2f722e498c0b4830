"""D-Bus signatures as ``typing.Annotated`` aliases (dbus-fast reads these)."""

from typing import Annotated

from dbus_fast import Variant
from dbus_fast.annotations import DBusSignature

Bool = Annotated[bool, DBusSignature("b")]
Str = Annotated[str, DBusSignature("s")]
Path = Annotated[str, DBusSignature("o")]
Int16 = Annotated[int, DBusSignature("n")]
UInt16 = Annotated[int, DBusSignature("q")]
UInt32 = Annotated[int, DBusSignature("u")]
Bytes = Annotated[bytes, DBusSignature("ay")]
Strs = Annotated[list[str], DBusSignature("as")]
Options = Annotated[dict[str, Variant], DBusSignature("a{sv}")]
ManufacturerData = Annotated[dict[int, Variant], DBusSignature("a{qv}")]
ByteArrays = Annotated[list[bytes], DBusSignature("aay")]
