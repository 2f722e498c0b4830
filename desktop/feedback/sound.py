"""The cue's sound: a short tone, generated as a WAV file, played without blocking.

``QSoundEffect`` (QtMultimedia) plays the WAV when QtMultimedia is installed; it ships in
PySide6-Addons, not in the PySide6-Essentials gaitdeck depends on, so without it the sound
is the system beep (``QApplication.beep``). ``CueSound.backend`` says which one is in use,
``played`` counts sounds asked for (tests need no audio hardware).
"""

from __future__ import annotations

import io
import math
import struct
import tempfile
import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

TONE_HZ = 880.0
TONE_S = 0.15
RATE_HZ = 22_050


def tone_wav(freq_hz: float = TONE_HZ, duration_s: float = TONE_S,
             rate_hz: int = RATE_HZ, volume: float = 0.6) -> bytes:  # fmt: skip
    """A mono 16-bit WAV of a sine tone with 10 ms raised-cosine ramps (no clicks)."""
    n = max(1, round(duration_s * rate_hz))
    ramp = max(1, min(n // 2, round(0.010 * rate_hz)))
    frames = bytearray()
    for i in range(n):
        edge = min(i, n - 1 - i)
        gain = 0.5 - 0.5 * math.cos(math.pi * edge / ramp) if edge < ramp else 1.0
        sample = volume * gain * math.sin(2 * math.pi * freq_hz * i / rate_hz)
        frames += struct.pack("<h", round(32767 * sample))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def _sound_effect_class() -> Any:
    try:
        from PySide6.QtMultimedia import QSoundEffect  # PySide6-Addons only
    except ImportError:
        return None
    return QSoundEffect


class CueSound(QObject):
    """Plays the cue tone; ``enabled`` False keeps it quiet (the on-screen cue stays)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        self.played = 0
        self._dir = tempfile.TemporaryDirectory(prefix="gaitdeck-cue-")
        self.wav_path = Path(self._dir.name) / "cue.wav"
        self.wav_path.write_bytes(tone_wav())
        effect_class = _sound_effect_class()
        self._effect = effect_class(self) if effect_class is not None else None
        if self._effect is not None:
            self._effect.setSource(QUrl.fromLocalFile(str(self.wav_path)))
            self._effect.setVolume(0.8)
        self.backend = "QSoundEffect" if self._effect is not None else "system beep"

    def play(self) -> None:
        if not self.enabled:
            return
        self.played += 1
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()

    def close(self) -> None:
        self._dir.cleanup()
