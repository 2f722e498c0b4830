"""Lab Streaming Layer output (pylsl is imported only in this package).

* ``time_map.LslTimeMap`` — session-clock seconds to LSL time (``pylsl.local_clock()``).
* ``stream_info`` — stream descriptions: one IMU stream per pod, a marker stream, a
  stream of named numeric values.
* ``outlet.LslOutlet`` — owns the outlets and pushes sample blocks, markers and values.

Nothing is imported here, so ``import drivers.lsl`` costs nothing and does not load liblsl;
the gait-event feed built on it is ``processing.exports.lsl_feed``.
"""
