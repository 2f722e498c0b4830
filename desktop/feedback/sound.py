"""The cue's sound: a short tone, generated as a WAV file, played without blocking.

``QSoundEffect`` (QtMultimedia, from PySide6-Addons) plays the WAV on the default audio
output, through the sound server (PulseAudio, or PipeWire's PulseAudio service). Without
QtMultimedia, or with no audio output, the sound is the system beep (``QApplication.beep``,
often silent on Linux). ``CueSound.backend`` says which and why, and is chosen again at
each cue, so an output that appears later is used; ``played`` counts sounds asked for
(tests need no audio hardware).

The WAV ends in ``TAIL_S`` of silence: QSoundEffect ends its stream before the server has
played the last tens of ms (without it 35 ms of the tone were cut, ramp-out and all: a
click), so silence is cut instead.
"""

from __future__ import annotations

import functools
import io
import math
import struct
import tempfile
import wave
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QLoggingCategory, QObject, QUrl
from PySide6.QtWidgets import QApplication

TONE_HZ = 880.0
TONE_S = 0.15
TAIL_S = 0.08
RATE_HZ = 22_050
VOLUME = 0.8

QSOUND = "QSoundEffect"
NO_MULTIMEDIA = "no QtMultimedia: system beep"
NO_OUTPUT = "no audio output: system beep"

# QtMultimedia's notes on libraries it probes and does not need for a WAV (PipeWire is
# used only when QT_AUDIO_BACKEND=pipewire; VA-API decodes video); QT_LOGGING_RULES wins.
_QUIET_RULES = "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg.info=false"


def tone_wav(freq_hz: float = TONE_HZ, duration_s: float = TONE_S, rate_hz: int = RATE_HZ,
             volume: float = 0.6, tail_s: float = 0.0) -> bytes:  # fmt: skip
    """A mono 16-bit WAV of a sine tone with 10 ms raised-cosine ramps (no clicks),
    then ``tail_s`` of silence."""
    n = max(1, round(duration_s * rate_hz))
    ramp = max(1, min(n // 2, round(0.010 * rate_hz)))
    frames = bytearray()
    for i in range(n):
        edge = min(i, n - 1 - i)
        gain = 0.5 - 0.5 * math.cos(math.pi * edge / ramp) if edge < ramp else 1.0
        sample = volume * gain * math.sin(2 * math.pi * freq_hz * i / rate_hz)
        frames += struct.pack("<h", round(32767 * sample))
    frames += bytes(2 * round(tail_s * rate_hz))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


@functools.cache
def _multimedia() -> ModuleType | None:
    """QtMultimedia, or None without PySide6-Addons or a library it links (libpulse0)."""
    QLoggingCategory.setFilterRules(_QUIET_RULES)
    try:
        from PySide6 import QtMultimedia
    except ImportError:
        return None
    return QtMultimedia


def _audio_outputs(multimedia: ModuleType) -> list[Any]:
    """The audio outputs the sound server offers (none without a server)."""
    return list(multimedia.QMediaDevices.audioOutputs())


class CueSound(QObject):
    """Plays the cue tone; ``enabled`` False keeps it quiet (the on-screen cue stays)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        self.played = 0
        self._dir = tempfile.TemporaryDirectory(prefix="gaitdeck-cue-")
        self.wav_path = Path(self._dir.name) / "cue.wav"
        self.wav_path.write_bytes(tone_wav(tail_s=TAIL_S))
        self.effect: Any = None  # the QSoundEffect, once there is an output
        self.backend = self._choose()

    def _choose(self) -> str:
        """Have the tone loaded in a QSoundEffect on the default output and say so, or say
        why the cue beeps instead."""
        multimedia = _multimedia()
        if multimedia is None:
            return NO_MULTIMEDIA
        if not _audio_outputs(multimedia):
            return NO_OUTPUT
        effect_class = multimedia.QSoundEffect
        if self.effect is not None and self.effect.status() == effect_class.Status.Error:
            self.effect.deleteLater()  # loaded while the output was unusable: load again
            self.effect = None
        if self.effect is None:
            self.effect = effect_class(self)  # default output, as the server has it
            self.effect.setVolume(VOLUME)
            self.effect.setSource(QUrl.fromLocalFile(str(self.wav_path)))
        return QSOUND

    def check(self) -> str:
        """Look again for QtMultimedia and an audio output; the backend now in use."""
        self.backend = self._choose()
        return self.backend

    def play(self) -> None:
        """Sound the tone (a fresh effect plays once loaded), or beep."""
        if not self.enabled:
            return
        self.played += 1
        if self.check() == QSOUND:
            self.effect.play()
        else:
            QApplication.beep()

    def close(self) -> None:
        self._dir.cleanup()
