"""The rules on real foot traffic (vtest.avi) and on composed crime clips (see conftest.py
for exactly what is synthetic in them)."""

from __future__ import annotations

import pytest

from jewelguard.sentinel.pipeline import analyzer_build
from jewelguard.sentinel.pipeline.offline import WHOLE_VIEW_SETUP
from jewelguard.sentinel.pipeline.video import video_frames
from tests.sentinel.clips import STORE, clip_compose, clip_play

pytestmark = pytest.mark.database_free


def _vtest_hits(path: str, *, is_open: bool, seconds: float) -> list:
    analyzer = analyzer_build(WHOLE_VIEW_SETUP)
    hits = []
    for frame in video_frames(source=path):
        if frame.at_s >= seconds:
            break
        hits.extend(analyzer.frame(image=frame.image, at_s=frame.at_s, is_open=is_open).hits)
    return hits


def test_foot_traffic_while_open_raises_no_robbery(vtest):
    # given vtest.avi's ordinary walkers, the whole view one showcase, the store open
    # when 12 s of it are analysed
    hits = _vtest_hits(vtest, is_open=True, seconds=12)
    # then no smash-and-grab and no distraction theft is raised (nor anything else)
    assert [hit.rule for hit in hits if hit.rule in ("smash_and_grab", "distraction")] == []
    assert hits == []


def test_people_in_view_while_closed_raise_one_intrusion_early(vtest):
    # given the same walkers with the store closed
    hits = _vtest_hits(vtest, is_open=False, seconds=6)
    # then one intrusion for the whole scene, within 2 s of the stream's start,
    # not one per person or per frame
    assert [hit.rule for hit in hits] == ["after_hours_intrusion"]
    hit = hits[0]
    assert hit.at_s <= 2.0
    assert hit.scenario == "three_minute_burglary"
    assert hit.people >= 2
    assert hit.snapshot_jpeg.startswith(b"\xff\xd8")  # a JPEG
    assert {t.track_id for t in hit.tracks} == set(hit.track_ids)


def test_crew_rushing_the_showcase_is_a_smash_and_grab_within_2_s(vtest):
    # given a composed clip: 3 people cut from vtest run (3 body heights/s) into the
    # showcase zone, where the case then flickers as if smashed (synthetic)
    clip = clip_compose(path=vtest, people=3, speed=3.0, seconds=4, smash=True)
    hits = [
        (at_s, hit)
        for at_s, found in clip_play(clip, analyzer=analyzer_build(STORE))
        for hit in found
    ]
    # then exactly one smash-and-grab, within 2 s of the rush's onset
    assert [hit.rule for _, hit in hits] == ["smash_and_grab"]
    at_s, hit = hits[0]
    assert at_s - clip.onset_s <= 2.0
    assert hit.people >= 2
    assert hit.zone == "front case"
    assert hit.confidence >= 0.7
    assert any("violent motion" in entry.text for entry in hit.timeline)


def test_crowd_walking_slowly_to_the_showcase_is_no_smash_and_grab(vtest):
    # given the same three people walking (0.8 body heights/s) to the same showcase,
    # with the same synthetic flicker there once they arrive
    clip = clip_compose(path=vtest, people=3, speed=0.8, seconds=8, smash=True)
    hits = [hit for _, found in clip_play(clip, analyzer=analyzer_build(STORE)) for hit in found]
    # then nothing is raised: they did not come in fast
    assert hits == []


def test_crew_running_in_without_violence_is_no_smash_and_grab(vtest):
    # given the crew running in but nothing happening at the case
    clip = clip_compose(path=vtest, people=3, speed=3.0, seconds=4, smash=False)
    hits = [hit for _, found in clip_play(clip, analyzer=analyzer_build(STORE)) for hit in found]
    # then nothing is raised: fast entry alone is not enough
    assert hits == []
