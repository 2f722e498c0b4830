"""Pod I/O for gaitdeck: sample types, the Source interface, pod models and simulated pods.

Nothing in this package imports Qt; bleak is imported only by the BLE transport.
"""
