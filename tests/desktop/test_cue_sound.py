"""The cue tone: its WAV, the beep when there is nothing to play it on, and that a cue
really sounds an 880 Hz tone.

The audible test starts a private PulseAudio server (Debian ``pulseaudio``, installed by
``.ci/bootstrap``) whose only output is a pipe sink writing what it plays into a FIFO the
test reads. A cue is played in a child process pointed at that server (QtMultimedia
connects to one sound server per process, and this one may already have tried another).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from desktop.feedback import sound as sound_module
from desktop.feedback.sound import NO_MULTIMEDIA, NO_OUTPUT, QSOUND, TAIL_S, CueSound, tone_wav

SINK_RATE_HZ = 48_000
SERVER_CONFIG = """\
load-module module-pipe-sink sink_name=cue file={fifo} format=s16le rate={rate} channels=1 \
use_system_clock_for_timing=yes
load-module module-native-protocol-unix auth-anonymous=1 socket={socket}
set-default-sink cue
"""
# Loads sound.py alone: importing the package would load the processing pipeline (2 s).
PLAY_ONE_CUE = """\
import importlib.util
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

spec = importlib.util.spec_from_file_location("cue_sound", sys.argv[1])
cue_sound = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cue_sound)
app = QApplication([])
sound = cue_sound.CueSound()


def quit_once_played():
    if not sound.effect.isPlaying():
        QTimer.singleShot(300, app.quit)  # the server plays what it was given


sound.play()
if sound.effect is not None:
    sound.effect.playingChanged.connect(quit_once_played)
    QTimer.singleShot(10_000, app.quit)
    app.exec()
status = sound.effect.status().name if sound.effect is not None else "-"
print(sound.backend, status, sound.played, sep="|")
sound.close()
"""


class PipeSinkServer:
    """A PulseAudio server in a temporary folder; ``samples()`` is all it has played
    (mono int16 at ``SINK_RATE_HZ``, silence included, paced by the system clock)."""

    def __init__(self, exe: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gaitdeck-pa-"))  # short: a socket path
        self.socket = self.folder / "native"
        self.fifo = self.folder / "played.fifo"
        config = self.folder / "server.pa"
        text = SERVER_CONFIG.format(fifo=self.fifo, rate=SINK_RATE_HZ, socket=self.socket)
        config.write_text(text)
        (self.folder / "home").mkdir()
        (self.folder / "run").mkdir(mode=0o700)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.folder / "home"),
               "XDG_RUNTIME_DIR": str(self.folder / "run")}  # fmt: skip
        self.log = self.folder / "server.log"
        with self.log.open("w") as log:
            self._proc = subprocess.Popen(
                [exe, "--daemonize=no", "--exit-idle-time=-1", "-n", "-F", str(config),
                 "--use-pid-file=no", "--disable-shm=yes", "--log-target=stderr",
                 "--log-level=error"],
                stdout=log, stderr=log, env=env,
            )  # fmt: skip
        self._played = bytearray()
        self._fd = -1
        deadline = time.monotonic() + 10
        while not (self.socket.exists() and self.fifo.exists()):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pulseaudio did not start: {self.log.read_text()}")
            time.sleep(0.01)
        self._fd = os.open(self.fifo, os.O_RDONLY)  # the sink holds it open: no wait
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while chunk := os.read(self._fd, 65_536):
            self._played += chunk

    def samples(self) -> np.ndarray:
        played = bytes(self._played)
        return np.frombuffer(played[: len(played) // 2 * 2], dtype="<i2").astype(float)

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(5)
        if self._fd >= 0:
            self._reader.join(5)
            os.close(self._fd)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def pulse_server() -> Iterator[PipeSinkServer]:
    exe = shutil.which("pulseaudio")
    if exe is None:
        pytest.skip("pulseaudio not installed (.ci/bootstrap installs it)")
    server = PipeSinkServer(exe)
    yield server
    server.stop()


def play_one_cue(pulse_server: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PULSE_SERVER": pulse_server}
    env.pop("QT_AUDIO_BACKEND", None)  # PulseAudio, Qt's default on Linux
    child = subprocess.run([sys.executable, "-c", PLAY_ONE_CUE, sound_module.__file__], env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert child.returncode == 0, child.stderr
    return child.stdout.strip().splitlines()[-1].split("|")


def tone_of(server: PipeSinkServer, timeout_s: float = 5.0) -> np.ndarray:
    """The played stretch louder than 1000 (of 32767), once 0.2 s of quiet follows it."""
    deadline = time.monotonic() + timeout_s
    while True:
        samples = server.samples()
        loud = np.flatnonzero(np.abs(samples) > 1000)
        if len(loud) and len(samples) - loud[-1] > 0.2 * SINK_RATE_HZ:
            return samples[loud[0] : loud[-1] + 1]
        if time.monotonic() > deadline:
            pytest.fail(f"no tone in {len(samples) / SINK_RATE_HZ:.2f} s played")
        time.sleep(0.05)


def test_a_cue_sounds_the_whole_880_hz_tone_on_the_default_output(pulse_server) -> None:
    backend, status, played = play_one_cue(f"unix:{pulse_server.socket}")
    assert (backend, status, played) == (QSOUND, "Ready", "1")
    tone = tone_of(pulse_server)
    duration_s = len(tone) / SINK_RATE_HZ
    assert 0.14 < duration_s < 0.16  # all of the 0.15 s, ramp-out included (not cut at 0.115)
    assert 0.4 < np.abs(tone).max() / 32767 < 0.5  # 0.6 full scale at volume 0.8
    spectrum = np.abs(np.fft.rfft(tone * np.hanning(len(tone)))) ** 2
    freqs_hz = np.fft.rfftfreq(len(tone), 1 / SINK_RATE_HZ)
    assert abs(freqs_hz[spectrum.argmax()] - 880.0) < 10.0
    assert spectrum[np.abs(freqs_hz - 880.0) < 30.0].sum() > 0.95 * spectrum.sum()


def test_without_a_sound_server_a_cue_beeps() -> None:
    missing = Path(tempfile.gettempdir()) / "gaitdeck-no-such-pulse-server"
    assert play_one_cue(f"unix:{missing}") == [NO_OUTPUT, "-", "1"]


def test_tone_is_a_short_wav_with_a_silent_tail() -> None:
    with wave.open(BytesIO(tone_wav(880.0, 0.15, 22_050, tail_s=0.08))) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050)
        assert wav.getnframes() == round(0.15 * 22_050) + round(0.08 * 22_050)
        frames = wav.readframes(wav.getnframes())
    samples = np.frombuffer(frames, dtype="<i2")
    tone_n = round(0.15 * 22_050)
    assert samples[0] == 0 and abs(samples[2000]) > 0  # ramps in from silence
    assert abs(samples[tone_n - 1]) < 50 and not samples[tone_n:].any()  # out, then quiet
    assert len(tone_wav()) < len(tone_wav(tail_s=TAIL_S))


@pytest.mark.parametrize(
    ("outputs", "multimedia", "backend"),
    [(["speaker"], True, QSOUND), ([], True, NO_OUTPUT), (["speaker"], False, NO_MULTIMEDIA)],
)
def test_backend_says_what_plays_the_cue(qtbot, monkeypatch, outputs, multimedia, backend) -> None:
    """The choice, with the outputs and QtMultimedia given; the effect is muted, so a cue
    is silent here even on a machine with speakers."""
    assert sound_module._multimedia() is not None, "QtMultimedia (PySide6-Addons, libpulse0)"
    if not multimedia:
        monkeypatch.setattr(sound_module, "_multimedia", lambda: None)
    monkeypatch.setattr(sound_module, "_audio_outputs", lambda multimedia: outputs)
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    sound = CueSound()
    assert sound.backend == backend and sound.wav_path.read_bytes()[:4] == b"RIFF"
    assert (sound.effect is not None) == (backend == QSOUND)
    if sound.effect is not None:
        sound.effect.setMuted(True)
    sound.play()
    sound.enabled = False
    sound.play()
    assert sound.played == 1 and len(beeps) == (0 if backend == QSOUND else 1)
    sound.close()
    assert not sound.wav_path.exists()


def test_feedback_menu_names_a_beep_in_place_of_the_tone(qtbot, monkeypatch, session) -> None:
    from desktop.main_window import MainWindow

    outputs: list[str] = []
    monkeypatch.setattr(sound_module, "_audio_outputs", lambda multimedia: outputs)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    control = window.feedback
    control.menu.aboutToShow.emit()
    assert control.sound_action.text() == f"Sound with each cue ({NO_OUTPUT})"
    outputs.append("speaker")  # headphones plugged in
    control.menu.aboutToShow.emit()
    assert control.sound_action.text() == "Sound with each cue"
    control.sound.effect.setMuted(True)
    window.shutdown()
