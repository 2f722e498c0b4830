"""The session clock and the mapping of each pod's clock onto it (see ``drivers.clock_sync``)."""
