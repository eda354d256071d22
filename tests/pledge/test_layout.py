"""Text fitting: long and accented store names never leave their box, in measure or in ink."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from jewelguard.core.brand import FONT_FAMILY, Weight
from jewelguard.core.documents import svg_to_png
from jewelguard.pledge.toolkit import artwork
from jewelguard.pledge.toolkit.artwork import TextPiece, text_markup
from jewelguard.pledge.toolkit.layout import Box, fit_text
from jewelguard.pledge.toolkit.spec import ToolkitSpec

LEVESQUE = "Bijouterie Lévesque & Fils — Centre-ville de Montréal"
LONGEST = (
    "The Extraordinarily Long-Named Family Jewelers, Goldsmiths, Watchmakers "
    "and Diamond Merchants of Greater Saint-Jean-sur-"
)
NAMES = ["Front Range Jewelers", LEVESQUE, LONGEST, "W" * 120, "Ø"]


def spec_for(name: str, language: str = "en") -> ToolkitSpec:
    return ToolkitSpec(
        store_id=1,
        store_name=name,
        member_since=2025,
        language=language,
        statements=(),
        verify_url="https://jewelguard.example.org/pledge/verify/12.34:" + "x" * 43 + "/",
    )


def ink_of(piece: TextPiece, design: int, size: int) -> Box:
    """Where the text's pixels really land, in design units: rasterised alone, by the same
    rasteriser as the artwork, at ``size`` pixels for a ``design``-unit square."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {design} {design}"><g font-family="{FONT_FAMILY}, Inter">'
        f"{text_markup((piece,))}</g></svg>"
    )
    box = Image.open(io.BytesIO(svg_to_png(svg=svg))).getchannel("A").getbbox()
    assert box is not None, "nothing was drawn"
    return Box(*box).scaled(design / size)


def test_the_longest_name_is_exactly_120_characters():
    assert len(LONGEST) == 120


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("size", artwork.BADGE_SIZES)
def test_badge_text_stays_in_its_box_and_the_name_is_whole(name, size):
    # given a badge for a store with a long, accented or unbreakable name
    art = artwork.badge(spec_for(name))
    # then every piece of text is measured inside its box, and the canvas
    canvas = Box(0, 0, art.width, art.height)
    for piece in art.texts:
        assert piece.block.fits, piece.block.text
        assert canvas.contains(piece.block.ink)
    # and the name is all there, nothing cut off
    name_piece = next(p for p in art.texts if p.block.text == name)
    lines = name_piece.block.lines
    assert "".join(line.text for line in lines).replace(" ", "") == name.replace(" ", "")
    # and the rasterised ink of the name stays inside its box (a pixel for anti-aliasing)
    ink = ink_of(TextPiece(name_piece.block, "#000"), art.width, size)
    assert name_piece.block.box.contains(ink, tolerance=art.width / size)


@pytest.mark.parametrize("name", [LEVESQUE, LONGEST])
@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_text_blocks_of_every_graphic_do_not_overlap(name, language):
    from django.utils import translation

    with translation.override(language):
        scenes = [artwork.badge(spec_for(name, language))]
        scenes += [artwork.social(spec_for(name), w, h) for w, h in artwork.SOCIAL_SIZES]
        scenes.append(artwork.email_banner(spec_for(name)))
    for scene in scenes:
        inks = [t.block.ink for t in scene.texts]
        for text in scene.texts:
            assert text.block.fits
            assert Box(0, 0, scene.width, scene.height).contains(text.block.ink)
        for i, first in enumerate(inks):
            for second in inks[i + 1 :]:
                apart = (
                    first.right <= second.left
                    or second.right <= first.left
                    or first.bottom <= second.top
                    or second.bottom <= first.top
                )
                assert apart, (scene.title, first, second)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Pd", "Po"), max_codepoint=0x17F
        ),
        min_size=1,
        max_size=120,
    ).filter(lambda t: t.strip()),
    width=st.integers(min_value=60, max_value=900),
    lines=st.integers(min_value=1, max_value=4),
)
def test_any_text_fits_any_box_without_losing_a_character(text, width, lines):
    box = Box(10, 10, 10 + width, 10 + width * 0.4)
    block = fit_text(
        text, box=box, weight=Weight.BOLD, max_size=width / 6, min_size=width / 30, max_lines=lines
    )
    assert block.fits
    assert len(block.lines) <= lines
    assert "".join(line.text for line in block.lines).replace(" ", "") == "".join(text.split())
