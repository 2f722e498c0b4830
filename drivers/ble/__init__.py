"""The BLE path: transport (the only bleak import), typed errors, states, backoff, sources.

Importing this package does not import bleak; ``drivers.ble.transport`` does.
"""
