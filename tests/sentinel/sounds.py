"""Sounds for testing the glass-break detector: the shared glass effects, and negatives made
here from a seed (speech-like babble, music, door slams, claps, dropped keys, noise).

Everything but the three glass effects is synthetic; the shapes follow what the detector must
tell apart: a slam is a low thud without shatter, a clap a short broadband burst, keys ring at
a few high pitches, babble has voiced low energy and short hissing fricatives.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import signal

from jewelguard.sentinel.pipeline.audio import audio_file_read

RATE = 44_100
GLASS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "audio" / "glass"
Sound = npt.NDArray[np.float32]


def glass_sounds() -> list[tuple[Sound, int]]:
    return [audio_file_read(path=path) for path in sorted(GLASS.glob("*.ogg"))]


def _band(noise: npt.NDArray[np.float64], low: float, high: float, rate: int = RATE):
    sos = signal.butter(4, (low, high), btype="band", fs=rate, output="sos")
    return signal.sosfilt(sos, noise)


def _norm(sound: npt.NDArray[np.float64], peak: float) -> Sound:
    top = float(np.max(np.abs(sound))) or 1.0
    return (sound * (peak / top)).astype(np.float32)


def noise(chance: np.random.Generator, seconds: float, level: float, pink: bool = False) -> Sound:
    white = chance.standard_normal(int(seconds * RATE))
    if pink:  # -3 dB per octave, roughly: sum of filtered white noise
        b, a = (
            [0.049922035, -0.095993537, 0.050612699, -0.004408786],
            [1, -2.494956002, 2.017265875, -0.522189400],
        )
        white = signal.lfilter(b, a, white)
    return (white / (np.std(white) or 1.0) * level).astype(np.float32)


def babble(chance: np.random.Generator, seconds: float, level: float) -> Sound:
    """Speech-like: voiced syllables (a pitch under formants) with hissing fricatives between."""
    out = np.zeros(int(seconds * RATE))
    t = 0.0
    while t < seconds - 0.5:
        length = chance.uniform(0.12, 0.35)
        n = int(length * RATE)
        f0 = chance.uniform(90, 240)
        times = np.arange(n) / RATE
        glottal = signal.sawtooth(2 * np.pi * f0 * times * (1 + 0.05 * np.sin(6 * times)))
        voiced = sum(
            _band(glottal, f * 0.85, f * 1.15) * w
            for f, w in (
                (chance.uniform(300, 800), 1.0),
                (chance.uniform(900, 2300), 0.5),
                (2800.0, 0.2),
            )
        )
        envelope = np.minimum(1, times / 0.03) * np.minimum(1, (length - times) / 0.05)
        start = int(t * RATE)
        piece = (voiced * envelope)[: len(out) - start]
        out[start : start + len(piece)] += piece
        t += length
        if chance.random() < 0.4:  # a fricative: s, sh, f
            flen = chance.uniform(0.06, 0.2)
            fn = int(flen * RATE)
            hiss = _band(chance.standard_normal(fn), chance.uniform(2500, 4500), 9000) * 0.5
            fenv = np.minimum(1, np.arange(fn) / (0.02 * RATE)) * np.minimum(
                1, (fn - np.arange(fn)) / (0.02 * RATE)
            )
            s = int(t * RATE)
            piece = (hiss * fenv)[: len(out) - s]
            out[s : s + len(piece)] += piece
            t += flen
        t += chance.uniform(0.02, 0.25)
    return _norm(out, level)


def music(chance: np.random.Generator, seconds: float, level: float) -> Sound:
    """Chords of harmonic tones with plucked envelopes, a new chord every half second or so."""
    out = np.zeros(int(seconds * RATE))
    t = 0.0
    while t < seconds - 0.2:
        length = chance.uniform(0.3, 1.0)
        n = int(length * RATE)
        times = np.arange(n) / RATE
        root = 110 * 2 ** (chance.integers(0, 24) / 12)
        chord = np.zeros(n)
        for interval in (0, 4, 7, 12):
            f = root * 2 ** (interval / 12)
            for harmonic in range(1, 12):
                if f * harmonic < 10_000:
                    chord += np.sin(2 * np.pi * f * harmonic * times) / harmonic**1.2
        envelope = np.exp(-times * chance.uniform(1, 5)) * np.minimum(1, times / 0.005)
        start = int(t * RATE)
        piece = (chord * envelope)[: len(out) - start]
        out[start : start + len(piece)] += piece
        t += length
    return _norm(out, level)


def door_slam(chance: np.random.Generator, level: float) -> Sound:
    n = int(0.6 * RATE)
    times = np.arange(n) / RATE
    thud = _band(chance.standard_normal(n), 40, 400) * np.exp(-times / 0.06)
    rattle = _band(chance.standard_normal(n), 800, 5000) * np.exp(-times / 0.03) * 0.3
    boom = np.sin(2 * np.pi * chance.uniform(60, 120) * times) * np.exp(-times / 0.1)
    return _norm(thud + rattle + boom, level)


def clap(chance: np.random.Generator, level: float) -> Sound:
    n = int(0.15 * RATE)
    times = np.arange(n) / RATE
    burst = _band(chance.standard_normal(n), 600, 9000) * np.exp(
        -times / chance.uniform(0.008, 0.02)
    )
    return _norm(burst, level)


def keys_dropped(chance: np.random.Generator, level: float) -> Sound:
    """Keys hitting a floor: a small impact, then metal ringing at a few pitches, bouncing."""
    n = int(0.9 * RATE)
    out = np.zeros(n)
    pitches = chance.uniform(3000, 9000, size=5)
    for bounce, at in enumerate(np.cumsum(chance.uniform(0.04, 0.15, size=4))):
        start = int(at * RATE)
        m = n - start
        times = np.arange(m) / RATE
        hit = sum(np.sin(2 * np.pi * p * times + chance.uniform(0, 6)) for p in pitches)
        impact = _band(chance.standard_normal(m), 100, 1500) * np.exp(-times / 0.01) * 2
        out[start:] += (hit * np.exp(-times / 0.08) + impact) * 0.6**bounce
    return _norm(out, level)


def resampled(sound: Sound, rate: int, to: int = RATE) -> Sound:
    if rate == to:
        return sound
    return signal.resample_poly(sound, to, rate).astype(np.float32)


def place(background: Sound, sound: Sound, at_s: float) -> None:
    start = int(at_s * RATE)
    end = min(len(background), start + len(sound))
    background[start:end] += sound[: end - start]


BEDS = ("quiet room", "babble", "music", "pink noise")


def bed(kind: str, chance: np.random.Generator, seconds: float) -> Sound:
    level = chance.uniform(0.1, 0.4)
    if kind == "babble":
        sound = babble(chance, seconds, level)
    elif kind == "music":
        sound = music(chance, seconds, level)
    elif kind == "pink noise":
        sound = noise(chance, seconds, level * 0.3, pink=True)
    else:
        sound = np.zeros(int(seconds * RATE), dtype=np.float32)
    return sound + noise(chance, seconds, 0.002)


def rms(sound: Sound) -> float:
    return float(np.sqrt(np.mean(np.square(sound, dtype=np.float64)))) or 1e-9


def glass_mix(
    glass: Sound, kind: str, snr_db: float, chance: np.random.Generator, at_s: float = 3.0
) -> Sound:
    """The glass over a bed, the glass's RMS ``snr_db`` over the bed's (a quiet room: its peak
    at 10 ** (snr_db / 20 - 2), so quieter for a lower SNR)."""
    background = bed(kind, chance, at_s + 3.0)
    if kind == "quiet room":
        gain = 10 ** (snr_db / 20 - 2) / float(np.max(np.abs(glass)))
    else:
        gain = rms(background) * 10 ** (snr_db / 20) / rms(glass)
    place(background, (glass * gain).astype(np.float32), at_s)
    peak = float(np.max(np.abs(background)))
    return background / peak * 0.95 if peak > 1 else background


def everyday_events(seed: int, seconds: float, kind: str) -> Sound:
    """A bed of ``kind`` with door slams, claps and dropped keys every few seconds."""
    chance = np.random.default_rng(seed)
    out = bed(kind, chance, seconds)
    at = chance.uniform(0.5, 3)
    while at < seconds - 1:
        event = (door_slam, clap, keys_dropped)[chance.integers(0, 3)]
        place(out, event(chance, chance.uniform(0.1, 0.9)), at)
        at += chance.uniform(2, 8)
    peak = float(np.max(np.abs(out)))
    return out / peak * 0.95 if peak > 1 else out
