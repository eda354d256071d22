"""Evaluation: the glass-break detector's recall on glass mixes and its false triggers.

What it does (numpy and scipy only, CPU):

1. recall: each of the three shared glass sounds (../shared/data/audio/glass) placed, 3 s in,
   over each background (a quiet room; speech-like babble; music; pink noise), with the glass's
   RMS 20, 10 and 0 dB over the background's (a quiet room: its peak at -20, -30, -40 dBFS),
   --mixes times per cell with a new seed; a hit is a break found within 0.1 s before to 0.9 s
   after the glass starts;
2. false triggers: --minutes of each background with door slams, claps and dropped keys every
   2-8 s (all synthetic, tests/sentinel/sounds.py), breaks per hour;
3. speed: seconds of audio analysed per second of CPU time.

    .venv/bin/python benchmarks/sentinel_audio_eval.py [--mixes 8] [--minutes 15]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mixes", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=15)
    options = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import numpy as np
    from tests.sentinel import sounds

    from jewelguard.sentinel.pipeline.audio import glass_breaks_find

    glass = [sounds.resampled(sound, rate) for sound, rate in sounds.glass_sounds()]
    chance = np.random.default_rng(2026)
    print(f"Glass-break detector, Python {platform.python_version()}, {platform.machine()}")
    print("| glass over background | " + " | ".join(sounds.BEDS) + " | all |")
    print("|---" * (len(sounds.BEDS) + 2) + "|")
    for snr in (20, 10, 0):
        cells = []
        total = 0
        for kind in sounds.BEDS:
            hits = 0
            for n in range(options.mixes * len(glass)):
                mix = sounds.glass_mix(glass[n % len(glass)], kind, snr, chance)
                events = glass_breaks_find(samples=mix, sample_rate=sounds.RATE)
                hits += any(2.9 <= event.start_s <= 3.9 for event in events)
            cells.append(f"{hits / (options.mixes * len(glass)):.2f}")
            total += hits
        overall = total / (options.mixes * len(glass) * len(sounds.BEDS))
        print(f"| recall at +{snr} dB | " + " | ".join(cells) + f" | {overall:.2f} |")
    cells = []
    triggers = 0
    analysed = 0.0
    cpu = 0.0
    for n, kind in enumerate(sounds.BEDS):
        audio = sounds.everyday_events(100 + n, options.minutes * 60, kind)
        started = time.process_time()
        found = len(glass_breaks_find(samples=audio, sample_rate=sounds.RATE))
        cpu += time.process_time() - started
        analysed += len(audio) / sounds.RATE
        triggers += found
        cells.append(f"{found * 60 / options.minutes:.0f}")
    per_hour = triggers * 3600 / analysed
    print("| false triggers per hour | " + " | ".join(cells) + f" | {per_hour:.0f} |")
    print(
        f"\n{analysed / 60:.0f} min of negatives; {analysed / cpu:.0f} s of 44.1 kHz audio "
        "analysed per CPU second"
    )


if __name__ == "__main__":
    main()
