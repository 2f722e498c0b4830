"""Bluetooth SIG Running Speed and Cadence service (0x1814): foot pods."""
