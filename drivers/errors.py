"""The typed errors of the driver layer."""


class GaitdeckError(Exception):
    """Base class for errors gaitdeck reports to the user in one line."""


class DecodeError(GaitdeckError):
    """A frame that cannot be decoded (short, wrong header, unknown type)."""


class SourceError(GaitdeckError):
    """A source that cannot start or has failed for good."""


class UnknownRunnerError(GaitdeckError):
    """A simulated runner profile name that does not exist."""
