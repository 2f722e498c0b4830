"""Session recordings: a crash-safe, append-only file of what the pods sent (see
``recordings/README.md`` for the format)."""

from drivers.recording.header import PodEntry, RecordingHeader
from drivers.recording.reader import Recording
from drivers.recording.records import FORMAT_VERSION, RecordingError, RecordKind
from drivers.recording.writer import RecordingWriter

__all__ = [
    "FORMAT_VERSION",
    "PodEntry",
    "RecordKind",
    "Recording",
    "RecordingError",
    "RecordingHeader",
    "RecordingWriter",
]
