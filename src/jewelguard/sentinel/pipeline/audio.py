"""Glass break by sound: a two-stage detector fed blocks of mono samples, numpy and scipy only.

Acoustic glass-break sensors listen for two things in order: the low-frequency blow that
flexes the pane (a few hundred Hz), then the high-frequency shatter (3-8 kHz) within a short
window. Either alone is an everyday sound (a door slam, a clap, keys, a hiss), so a break is
reported only when

1. a *blow*: the low band jumps at least ``blow_rise_db`` within a few frames to at least
   ``blow_db`` over its slow baseline, and then
2. a *shatter*: the high band rises sharply to at least ``shatter_db`` over its baseline,
   starting from ``shatter_lead_s`` before the blow to ``window_s`` after it, and stays up
   (``continue_db`` over it, within ``hold_db`` of its peak) between ``shatter_min_s`` and
   ``shatter_max_s`` (a clap is too short, running water too
   long), noise-like (spectral flatness of the high band at least ``flatness_min``: falling
   keys and music ring at a few pitches) but not as flat as a hiss (at most
   ``flatness_max``: an "s" of speech), and carrying at least ``high_share_min`` of the
   frame's energy above the low band's top.

The input is resampled to ``sample_rate`` (16 kHz) as it streams, so any input rate works;
state is kept between blocks, so the cut between blocks changes nothing.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import signal

from jewelguard.sentinel.pipeline.types import SoundEvent

LABEL = "glass_break"
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class GlassBreakConfig:
    """The detector's thresholds; the defaults were set on the shared glass sounds and the
    negatives in tests/sentinel/test_glass_break.py (see BENCHMARKS.md for the figures)."""

    # Rate the analysis runs at (Hz); the high band must fit under half of it.
    sample_rate: int = 16_000
    # Analysis frame and hop (samples at sample_rate): 32 ms frames every 8 ms.
    frame: int = 512
    hop: int = 128
    # The blow's band and the shatter's band (Hz).
    low_band: tuple[float, float] = (120.0, 900.0)
    high_band: tuple[float, float] = (3_000.0, 7_800.0)
    # Baselines follow each band's level with this time constant (s), slower while it is loud.
    baseline_s: float = 4.0
    # A level below this (dB full scale) is silence: it never counts as a blow or a shatter.
    floor_dbfs: float = -70.0
    # The blow: this far over the low band's baseline (dB), having risen this much (dB) in
    # ``rise_s``.
    blow_db: float = 6.0
    blow_rise_db: float = 5.0
    rise_s: float = 0.04
    # A blow is an impact, noise-like across the low band; a voice or an instrument starting
    # is a row of harmonics (low flatness).
    blow_flatness_min: float = 0.2
    # The shatter: this far over the high band's baseline (dB), having risen this much.
    shatter_db: float = 10.0
    shatter_rise_db: float = 8.0
    # The shatter goes on while the high band stays this far over its baseline and within
    # ``hold_db`` of the shatter's own peak (so a loud clap's tail is not a long shatter).
    continue_db: float = 6.0
    hold_db: float = 30.0
    # The shatter starts at most this long before the blow (s; effects put both together) ...
    shatter_lead_s: float = 0.05
    # ... and at most this long after it (real panes: 0.5-0.64 s between the two peaks).
    window_s: float = 0.8
    # How long the shatter lasts (s), gaps shorter than ``gap_s`` included.
    shatter_min_s: float = 0.08
    shatter_max_s: float = 2.5
    gap_s: float = 0.08
    # Mean spectral flatness of the high band over the shatter (0: one pitch, 1: white noise).
    flatness_min: float = 0.1
    # ... and at most this: a hiss ("s", "sh", an air leak) is flatter than glass, whose
    # fragments ring.
    flatness_max: float = 0.42
    # Mean share of the frame's energy above ``low_band``'s top, over the shatter.
    high_share_min: float = 0.2
    # After a break is reported, nothing more for this long (s): one break, one event.
    refractory_s: float = 2.0

    def __post_init__(self) -> None:
        if self.sample_rate < 2 * self.high_band[1]:
            raise ValueError("sample_rate: must be at least twice the high band's top")
        if not 0 < self.hop <= self.frame:
            raise ValueError("hop: must be between 1 and frame")
        if not 0 < self.low_band[0] < self.low_band[1] <= self.high_band[0] < self.high_band[1]:
            raise ValueError("low_band, high_band: must be increasing and not overlap")
        if self.shatter_min_s > self.shatter_max_s:
            raise ValueError("shatter_min_s: must not exceed shatter_max_s")


class _Resampler:
    """Streaming rate change: an anti-alias low-pass with kept state, then linear steps."""

    def __init__(self, *, rate_in: int, rate_out: int) -> None:
        self.step = rate_in / rate_out
        self.sos = (
            signal.butter(8, 0.45 * rate_out, btype="low", fs=rate_in, output="sos")
            if rate_in > rate_out
            else None
        )
        self.zi = np.zeros((self.sos.shape[0], 2)) if self.sos is not None else None
        self.position = 0.0  # of the next output sample, in input samples from `previous`
        self.previous = np.zeros(0, dtype=np.float64)

    def feed(self, samples: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if self.step == 1.0:
            return samples
        if self.sos is not None:
            samples, self.zi = signal.sosfilt(self.sos, samples, zi=self.zi)
        joined = np.concatenate([self.previous, samples])
        last = len(joined) - 1
        if last < 1:
            self.previous = joined
            return np.zeros(0)
        count = max(0, math.floor((last - self.position) / self.step) + 1)
        positions = self.position + self.step * np.arange(count)
        out: npt.NDArray[np.float64] = np.interp(positions, np.arange(len(joined)), joined)
        next_position = self.position + self.step * count
        keep = math.floor(next_position)
        self.previous = joined[keep:]
        self.position = next_position - keep
        return out


@dataclass
class _Shatter:
    start_s: float
    last_loud_s: float
    peak_level: float
    frames: int = 0
    flatness: float = 0.0
    high_share: float = 0.0
    peak_db: float = 0.0
    # The sum of |second difference| of the high band's level: shattering crackles, a hiss
    # or a ringing tone glides.
    roughness: float = 0.0
    levels: tuple[float, float] | None = None


class GlassBreakDetector:
    """Feed it blocks of mono float32 samples in time order; it answers the breaks it heard."""

    def __init__(self, *, sample_rate: int, config: GlassBreakConfig | None = None) -> None:
        if sample_rate < 8_000:
            raise ValueError("sample_rate: glass break needs at least 8000 Hz")
        self.config = config or GlassBreakConfig()
        config = self.config
        self.input_rate = sample_rate
        # Below 16 kHz the shatter band is cut at what the input holds.
        self.rate = min(config.sample_rate, sample_rate)
        self.resampler = _Resampler(rate_in=sample_rate, rate_out=self.rate)
        self.window = np.hanning(config.frame)
        freqs = np.fft.rfftfreq(config.frame, 1 / self.rate)
        top = min(config.high_band[1], 0.48 * self.rate)
        self.low = (freqs >= config.low_band[0]) & (freqs < config.low_band[1])
        self.high = (freqs >= config.high_band[0]) & (freqs < top)
        self.above_low = freqs >= config.low_band[1]
        self.pending = np.zeros(0, dtype=np.float64)
        self.frame_index = 0
        self.frame_s = config.hop / self.rate
        rise_frames = max(1, round(config.rise_s / self.frame_s))
        self.recent_low: deque[float] = deque(maxlen=rise_frames + 1)
        self.recent_high: deque[float] = deque(maxlen=rise_frames + 1)
        self.baseline_low: float | None = None
        self.baseline_high: float | None = None
        self.blows: deque[float] = deque()
        self.shatter: _Shatter | None = None
        self.quiet_until = -math.inf

    def feed(self, samples: Samples) -> list[SoundEvent]:
        """Analyse the next block; the breaks that ended in it (times from the first sample)."""
        block = np.asarray(samples, dtype=np.float64).reshape(-1)
        if not np.all(np.isfinite(block)):
            block = np.nan_to_num(block, nan=0.0, posinf=0.0, neginf=0.0)
        self.pending = np.concatenate([self.pending, self.resampler.feed(block)])
        frame, hop = self.config.frame, self.config.hop
        count = (len(self.pending) - frame) // hop + 1 if len(self.pending) >= frame else 0
        if count <= 0:
            return []
        frames = np.lib.stride_tricks.sliding_window_view(self.pending, frame)[::hop][:count]
        power = np.abs(np.fft.rfft(frames * self.window, axis=1)) ** 2 + 1e-20
        norm = (self.window**2).sum() * frame / 2
        low_db = 10 * np.log10(power[:, self.low].sum(axis=1) / norm)
        high_power = power[:, self.high]
        high_db = 10 * np.log10(high_power.sum(axis=1) / norm)
        flatness = np.exp(np.log(high_power).mean(axis=1)) / high_power.mean(axis=1)
        low_power = power[:, self.low]
        low_flatness = np.exp(np.log(low_power).mean(axis=1)) / low_power.mean(axis=1)
        share = power[:, self.above_low].sum(axis=1) / power.sum(axis=1)
        self.pending = self.pending[count * hop :]
        events: list[SoundEvent] = []
        for index in range(count):
            event = self._step(
                float(low_db[index]),
                float(high_db[index]),
                float(flatness[index]),
                float(share[index]),
                float(low_flatness[index]),
            )
            if event is not None:
                events.append(event)
        return events

    def _baseline(self, baseline: float | None, level: float) -> float:
        if baseline is None:
            return level
        # Loud moments move the baseline ten times slower, so a break does not hide itself.
        seconds = self.config.baseline_s * (10 if level > baseline + 6 else 1)
        alpha = self.frame_s / seconds
        return baseline + alpha * (level - baseline)

    def _step(
        self, low: float, high: float, flatness: float, share: float, low_flatness: float
    ) -> SoundEvent | None:
        config = self.config
        now = self.frame_index * self.frame_s
        self.frame_index += 1
        # Digital silence would drag the baselines down without end: silence is the floor.
        low = max(low, config.floor_dbfs)
        high = max(high, config.floor_dbfs)
        self.baseline_low = self._baseline(self.baseline_low, low)
        self.baseline_high = self._baseline(self.baseline_high, high)
        low_over = low - self.baseline_low
        high_over = high - self.baseline_high
        low_rise = low - min(self.recent_low) if self.recent_low else 0.0
        high_rise = high - min(self.recent_high) if self.recent_high else 0.0
        self.recent_low.append(low)
        self.recent_high.append(high)
        while self.blows and self.blows[0] < now - config.window_s:
            self.blows.popleft()
        if now < self.quiet_until:
            return None
        impact = (
            low_over >= config.blow_db
            and low_rise >= config.blow_rise_db
            and low_flatness >= config.blow_flatness_min
        )
        if impact and (not self.blows or now - self.blows[-1] > config.rise_s):
            self.blows.append(now)
        shatter = self.shatter
        if shatter is None:
            if high_over >= config.shatter_db and high_rise >= config.shatter_rise_db:
                self.shatter = _Shatter(start_s=now, last_loud_s=now, peak_level=high)
                self._count(self.shatter, flatness, share, high_over, high)
            return None
        shatter.peak_level = max(shatter.peak_level, high)
        if high_over >= config.continue_db and high >= shatter.peak_level - config.hold_db:
            shatter.last_loud_s = now
            self._count(shatter, flatness, share, high_over, high)
            if now - shatter.start_s > config.shatter_max_s:
                self.shatter = None  # a long hiss: not glass
            return None
        if now - shatter.last_loud_s <= config.gap_s:
            return None
        self.shatter = None
        return self._judge(shatter)

    @staticmethod
    def _count(shatter: _Shatter, flatness: float, share: float, over: float, high: float) -> None:
        if shatter.levels is not None:
            before, last = shatter.levels
            shatter.roughness += abs(high - 2 * last + before)
            shatter.levels = (last, high)
        else:
            shatter.levels = (high, high)
        shatter.frames += 1
        shatter.flatness += flatness
        shatter.high_share += share
        shatter.peak_db = max(shatter.peak_db, over)

    def _judge(self, shatter: _Shatter) -> SoundEvent | None:
        config = self.config
        duration = shatter.last_loud_s - shatter.start_s + self.frame_s
        if not config.shatter_min_s <= duration <= config.shatter_max_s:
            return None
        flatness = shatter.flatness / shatter.frames
        share = shatter.high_share / shatter.frames
        if not config.flatness_min <= flatness <= config.flatness_max:
            return None
        if share < config.high_share_min:
            return None
        blows = [
            blow
            for blow in self.blows
            if shatter.start_s - config.window_s <= blow <= shatter.start_s + config.shatter_lead_s
        ]
        if not blows:
            return None
        self.blows.clear()
        end = shatter.last_loud_s + self.frame_s
        self.quiet_until = end + config.refractory_s
        margin = min(1.0, (shatter.peak_db - config.shatter_db) / 20)
        shape = min(1.0, (flatness - config.flatness_min) / max(1e-6, 1 - config.flatness_min))
        confidence = round(min(0.99, 0.5 + 0.3 * margin + 0.2 * shape), 3)
        # Times are of the analysed signal, which is the input's: the frame's start.
        return SoundEvent(start_s=blows[0], end_s=end, label=LABEL, confidence=confidence)


def glass_breaks_find(
    *, samples: Samples, sample_rate: int, config: GlassBreakConfig | None = None
) -> list[SoundEvent]:
    """Every break in a whole recording, fed through the detector in one-second blocks."""
    detector = GlassBreakDetector(sample_rate=sample_rate, config=config)
    events: list[SoundEvent] = []
    for start in range(0, len(samples), sample_rate):
        events.extend(detector.feed(samples[start : start + sample_rate]))
    events.extend(detector.feed(np.zeros(sample_rate, dtype=np.float32)))  # flush the tail
    return events


# A recording longer than this is not read into memory at once.
MAX_FILE_SECONDS = 3600


def audio_file_read(*, path: Path, max_seconds: float = MAX_FILE_SECONDS) -> tuple[Samples, int]:
    """A sound file (WAV, OGG, MP3, FLAC... through PyAV) as mono float32 and its sample rate.

    ValueError naming the file when it cannot be read, holds no audio or is too long.
    """
    import av  # optional at import time: the pipeline's other parts do without it

    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as error:
        raise ValueError(f"{path.name}: cannot be read as audio ({error})") from None
    with container:
        if not container.streams.audio:
            raise ValueError(f"{path.name}: holds no audio")
        stream = container.streams.audio[0]
        rate = int(stream.rate or stream.codec_context.sample_rate or 0)
        if rate <= 0:
            raise ValueError(f"{path.name}: has no sample rate")
        # Planar float at the file's own rate and channels; the channels averaged here.
        resampler = av.AudioResampler(format="fltp", rate=rate)
        chunks: list[Samples] = []
        total = 0
        try:
            for frame in container.decode(stream):
                for planar in resampler.resample(frame):
                    chunk = planar.to_ndarray().mean(axis=0).astype(np.float32)
                    total += len(chunk)
                    if total > max_seconds * rate:
                        raise ValueError(f"{path.name}: is longer than {max_seconds:g} s")
                    chunks.append(chunk)
            for planar in resampler.resample(None):
                chunks.append(planar.to_ndarray().mean(axis=0).astype(np.float32))
        except av.FFmpegError as error:
            raise ValueError(f"{path.name}: cannot be decoded ({error})") from None
    if not chunks:
        raise ValueError(f"{path.name}: holds no audio")
    return np.concatenate(chunks), rate


class GlassBreakStream:
    """Glass breaks in a live stream whose blocks come with their start times.

    The analyzer's sound detector: one `GlassBreakDetector` per stream, started again when
    the stream's sample rate changes; event times are in seconds from the stream's start.
    """

    def __init__(self, *, config: GlassBreakConfig | None = None) -> None:
        self.config = config
        self._detector: GlassBreakDetector | None = None
        self._offset_s = 0.0

    def detect(self, *, samples: Samples, sample_rate: int, at_s: float) -> list[SoundEvent]:
        if self._detector is None or self._detector.input_rate != sample_rate:
            self._detector = GlassBreakDetector(sample_rate=sample_rate, config=self.config)
            self._offset_s = at_s
        offset = self._offset_s
        return [
            SoundEvent(
                start_s=event.start_s + offset,
                end_s=event.end_s + offset,
                label=event.label,
                confidence=event.confidence,
            )
            for event in self._detector.feed(samples)
        ]


def audio_detector_build(*, config: GlassBreakConfig | None = None) -> GlassBreakStream:
    """The sound detector the pipeline runs on a camera's audio or a microphone."""
    return GlassBreakStream(config=config)
