"""Notification paths: from a pod's raw notifications to stamped sample blocks and counters.

No I/O here: BLE sources, simulated pods and tests feed payloads with their arrival times.
"""

from drivers.notify.witmotion import WitMotionNotifications

__all__ = ["WitMotionNotifications"]
