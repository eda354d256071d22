"""The toolkit's files: sizes, transparency, QR codes, signs that say only what is true,
French, and the cache that rebuilds them only when what they show changes."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from xml.etree import ElementTree

import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from jewelguard.core.documents import PAPERS
from jewelguard.pledge import selectors, services
from jewelguard.pledge.deterrents import DETERRENTS
from jewelguard.pledge.toolkit.build import (
    FILES,
    ZIP_NAME,
    toolkit_build,
    toolkit_ready,
    toolkit_render,
)
from jewelguard.pledge.toolkit.documents import signage_document
from jewelguard.pledge.toolkit.spec import ToolkitSpec
from tests.factories import PledgeFactory, StoreFactory
from tests.pledge.conftest import decode_qr, pdf_sizes, pdf_text, take_pledge

LEVESQUE = "Bijouterie Lévesque & Fils — Centre-ville de Montréal"
LONGEST = (
    "The Extraordinarily Long-Named Family Jewelers, Goldsmiths, Watchmakers "
    "and Diamond Merchants of Greater Saint-Jean-sur-"
)
CHOSEN = ("video_surveillance", "merchandise_removed", "time_delay_safe")
VERIFY = "https://jewelguard.example.org/pledge/verify/41.7:" + "A" * 43 + "/"
LETTER = [(612.0, 792.0), (792.0, 612.0)]
A4 = [(595.28, 841.89), (841.89, 595.28)]


def spec(name: str, language: str = "en", statements: tuple[str, ...] = CHOSEN) -> ToolkitSpec:
    return ToolkitSpec(
        store_id=7,
        store_name=name,
        member_since=2025,
        language=language,
        statements=statements,
        verify_url=VERIFY,
        briefing_digest="test",
    )


@pytest.fixture(scope="module")
def english() -> dict[str, bytes]:
    return toolkit_render(spec(LEVESQUE))


@pytest.fixture(scope="module")
def french() -> dict[str, bytes]:
    return toolkit_render(spec(LEVESQUE, language="fr-ca"))


def signs(language: str) -> dict[str, str]:
    with translation.override(language):
        return {d.id: str(d.sign) for d in DETERRENTS}


def test_the_toolkit_has_every_file_and_a_zip_of_them(english):
    assert set(english) == {f.name for f in FILES} | {ZIP_NAME}
    archive = zipfile.ZipFile(io.BytesIO(english[ZIP_NAME]))
    assert set(archive.namelist()) == {f.name for f in FILES} | {"README.txt"}
    for f in FILES:
        assert archive.read(f.name) == english[f.name]
    assert VERIFY in archive.read("README.txt").decode()


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("badge-256.png", (256, 256)),
        ("badge-512.png", (512, 512)),
        ("badge-1024.png", (1024, 1024)),
        ("social-square-1080x1080.png", (1080, 1080)),
        ("social-wide-1200x630.png", (1200, 630)),
        ("email-signature-600x100.png", (600, 100)),
    ],
)
def test_png_sizes(english, name, size):
    assert Image.open(io.BytesIO(english[name])).size == size


@pytest.mark.parametrize("size", [256, 512, 1024])
def test_the_badge_is_transparent_around_its_rounded_corners(english, size):
    image = Image.open(io.BytesIO(english[f"badge-{size}.png"]))
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    last = size - 1
    for corner in [(0, 0), (last, 0), (0, last), (last, last)]:
        assert alpha.getpixel(corner) == 0
    assert alpha.getpixel((size // 2, size // 2)) == 255


@pytest.mark.parametrize("size", [256, 512, 1024])
def test_the_badge_qr_code_opens_the_verification_page(english, size):
    assert decode_qr(english[f"badge-{size}.png"]) == VERIFY


def test_the_svg_badge_names_the_store_and_embeds_its_font(english):
    svg = english["badge.svg"].decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "Lévesque &amp; Fils" in svg
    assert "PARTNER FOR" in svg
    assert "@font-face" in svg and "font/otf" in svg


def test_a_hostile_store_name_is_only_ever_text():
    # given a store name made to break out of the SVG markup
    hostile = "</text><script>alert(1)</script><text> & \"quoted\" 'name'"
    files = toolkit_render(spec(hostile, statements=()))
    # then the SVG badge is well-formed, has no script, and shows the name as text
    root = ElementTree.fromstring(files["badge.svg"])  # noqa: S314 (our own output)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    shown = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    assert "<script>alert(1)</script>" in shown
    # and every image is still made, with its QR code
    assert decode_qr(files["badge-512.png"]) == VERIFY
    assert hostile in pdf_text(files["signage-letter.pdf"])


@pytest.mark.parametrize(
    ("name", "sizes"), [("signage-letter.pdf", LETTER), ("signage-a4.pdf", A4)]
)
def test_signs_come_in_letter_and_a4_door_portrait_window_landscape(english, name, sizes):
    assert pdf_sizes(english[name]) == sizes


@pytest.mark.parametrize(
    ("name", "size"),
    [("staff-briefing-letter.pdf", (612.0, 792.0)), ("staff-briefing-a4.pdf", (595.28, 841.89))],
)
def test_the_staff_briefing_is_one_page_of_either_size(english, name, size):
    assert pdf_sizes(english[name]) == [size]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_signs_show_the_whole_name_and_exactly_the_chosen_statements(english, paper):
    text = pdf_text(english[f"signage-{paper}.pdf"])
    assert LEVESQUE in text
    for statement_id, sign in signs("en").items():
        if statement_id in CHOSEN:
            assert text.count(sign) == 2, sign  # on the door sign and on the window sign
        else:
            assert sign not in text, sign


def test_signs_without_statements_claim_nothing():
    files = toolkit_render(spec("Front Range Jewelers", statements=()))
    text = pdf_text(files["signage-letter.pdf"])
    assert "Front Range Jewelers" in text
    assert "Security is our top priority." in text
    for sign in signs("en").values():
        assert sign not in text


def largest_empty_band(page, *, left_of: float = 0.0) -> float:
    """The tallest horizontal band of a laid-out page with no text or image in it, as a share
    of the page height (only content right of ``left_of``, a share of the page width)."""
    spans = []

    def walk(box):
        kind = type(box).__name__
        if kind in {"TextBox", "InlineReplacedBox", "BlockReplacedBox"} and (
            box.position_x >= left_of * page.width
        ):
            spans.append((box.position_y, box.position_y + box.margin_height()))
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    reached, largest = 0.0, 0.0
    for top, bottom in sorted(spans):
        largest = max(largest, top - reached)
        reached = max(reached, bottom)
    return max(largest, page.height - reached) / page.height


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.id)
@pytest.mark.parametrize("name", ["Front Range Jewelers", LONGEST])
def test_signs_made_right_after_pledging_have_no_large_empty_middle(paper, name):
    # given a store that has just pledged and confirmed no statement yet
    bare = spec(name, statements=())
    with translation.override("en"):
        document = signage_document(bare, paper)
    door, window = document.pages
    # then the emblem and the pledge fill the door sign: no band of it is left empty
    # (without them, the lower third of the door sign was blank)
    assert largest_empty_band(door) < 0.15
    # and the window sign's message column is filled too
    assert largest_empty_band(window, left_of=0.4) < 0.2
    # and each sign is still one page
    assert len(document.pages) == 2


def test_a_120_character_name_is_printed_whole():
    files = toolkit_render(spec(LONGEST, statements=tuple(d.id for d in DETERRENTS)))
    for paper, sizes in (("letter", LETTER), ("a4", A4)):
        assert LONGEST in pdf_text(files[f"signage-{paper}.pdf"])
        assert pdf_sizes(files[f"signage-{paper}.pdf"]) == sizes
        assert len(pdf_sizes(files[f"staff-briefing-{paper}.pdf"])) == 1
    assert decode_qr(files["badge-1024.png"]) == VERIFY


def test_the_staff_briefing_covers_the_ten_scenarios(english):
    from jewelguard.playbook.selectors import scenario_list

    text = pdf_text(english["staff-briefing-letter.pdf"])
    scenarios = scenario_list()
    assert len(scenarios) == 10
    for scenario in scenarios:
        assert scenario.title in text
        assert " ".join(scenario.what_to_do[0].split()) in text
    assert LEVESQUE in text


def test_the_french_toolkit_is_in_french(french):
    signage = pdf_text(french["signage-letter.pdf"])
    assert "La sécurité est notre priorité absolue." in signage
    assert "Membre Partenaire pour la protection" in signage
    for statement_id in CHOSEN:
        assert signs("fr-ca")[statement_id] in signage
    assert "Security is our top priority" not in signage
    briefing = pdf_text(french["staff-briefing-a4.pdf"])
    assert "Que faire en cas de crime" in briefing
    assert "Membre Partenaire pour la protection: Bijouterie" in french["badge.svg"].decode()
    assert (
        "Membre depuis 2025"
        in zipfile.ZipFile(io.BytesIO(french[ZIP_NAME])).read("README.txt").decode()
    )


def test_the_cache_rebuilds_only_when_what_the_files_show_changes(member, store, documents_dir):
    # given a pledged member's toolkit, built once
    pledge = PledgeFactory(member=member)
    first = toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language="en"))
    badge = documents_dir / first.name_of("badge-512.png")
    built_at = badge.stat().st_mtime_ns
    # when it is asked for again with nothing changed
    again = toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language="en"))
    # then the same files are served, not rebuilt
    assert again == first
    assert badge.stat().st_mtime_ns == built_at
    # when the member confirms a statement for the signs
    services.store_signage_set(store=store, statements=["alarm_monitored"])
    changed = toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language="en"))
    # then a new toolkit is built, it shows the statement, and the outdated one is gone
    assert changed.folder != first.folder
    assert signs("en")["alarm_monitored"] in pdf_text(changed.read("signage-a4.pdf"))
    assert not badge.exists() and not (documents_dir / first.folder).exists()
    # and renaming the store builds another
    store.name = "Front Range Fine Jewelry"
    store.save(update_fields=["name"])
    renamed = toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language="en"))
    assert renamed.folder != changed.folder
    assert "Front Range Fine Jewelry" in pdf_text(renamed.read("signage-letter.pdf"))


def test_a_toolkit_is_ready_only_once_complete_and_never_built_by_asking(member, store):
    # given a pledged store whose toolkit is not built yet
    pledge = take_pledge(member)
    spec_now = selectors.toolkit_spec_for(store=store, pledge=pledge, language="en")
    # then asking whether it is ready builds nothing
    assert toolkit_ready(spec_now) is None
    assert toolkit_ready(spec_now) is None
    # and once built, it is ready with every file readable
    built = toolkit_build(spec_now)
    ready = toolkit_ready(spec_now)
    assert ready == built
    assert {f.name for f in FILES} | {ZIP_NAME} <= set(ready.stored)
    assert ready.read("badge-256.png").startswith(b"\x89PNG")


def test_a_toolkit_built_twice_at_once_stays_complete(member, store, documents_dir):
    # given two builders of the same toolkit, the second finishing after the first
    pledge = take_pledge(member)
    spec_now = selectors.toolkit_spec_for(store=store, pledge=pledge, language="en")
    first = toolkit_build(spec_now)
    (documents_dir / first.folder / "manifest.json").unlink()  # the second saw no manifest
    second = toolkit_build(spec_now)
    # then the one kept is complete and its files are what the manifest names
    for name in second.stored:
        assert second.read(name)
    assert toolkit_ready(spec_now) == second


def test_each_store_of_a_member_gets_its_own_toolkit(member, store):
    pledge = PledgeFactory(member=member)
    second = StoreFactory(member=member, name="Boulder Branch", postal_code="80302")
    spec_one = selectors.toolkit_spec_for(store=store, pledge=pledge, language="en")
    spec_two = selectors.toolkit_spec_for(store=second, pledge=pledge, language="en")
    assert spec_one.key() != spec_two.key()
    assert spec_one.verify_url != spec_two.verify_url
    assert toolkit_build(spec_one).folder != toolkit_build(spec_two).folder


def test_withdrawing_removes_the_members_toolkits(
    member, store, documents_dir, django_capture_on_commit_callbacks
):
    pledge = take_pledge(member)
    built = toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language="en"))
    assert (documents_dir / built.folder).is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_withdraw(member=member)
    assert not (documents_dir / built.folder).exists()
    assert not (documents_dir / "pledge" / "toolkit" / str(store.pk)).exists()


def test_unzipped_files_are_readable_by_everyone_not_only_their_owner(english, tmp_path):
    # when the member unzips the toolkit (as unzip and Python's extractor both do)
    archive = zipfile.ZipFile(io.BytesIO(english[ZIP_NAME]))
    for info in archive.infolist():
        # then each entry is a regular file with mode 0644
        assert info.external_attr >> 16 == 0o100644, info.filename
    archive.extractall(tmp_path)
    for info in archive.infolist():
        path = tmp_path / info.filename
        os.chmod(path, info.external_attr >> 16 & 0o777)  # what unzip applies
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("toolkit", ["english", "french"])
def test_every_document_is_set_in_the_shipped_inter_only(request, toolkit):
    # whatever fonts the machine has, the PDFs embed Inter and nothing else
    files = request.getfixturevalue(toolkit)
    for name in files:
        if name.endswith(".pdf"):
            fonts = set()
            for page in PdfReader(io.BytesIO(files[name])).pages:
                for font in page["/Resources"].get("/Font", {}).values():
                    fonts.add(str(font.get_object()["/BaseFont"]))
            assert fonts and all("Inter" in font for font in fonts), (name, fonts)


def test_the_images_are_set_in_the_shipped_inter():
    # the rasteriser only knows the shipped Inter: a word set in it has the width Inter gives
    # it (measured with the font file; kerning makes up the last percent), where a fallback
    # such as DejaVu Sans would be some 15% wider
    from jewelguard.core.brand import FONT_FAMILY, Weight, font
    from jewelguard.core.documents import svg_to_png

    word = "Membership verified"
    expected = font(Weight.BOLD, 100).getbbox(word, anchor="ls")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="200">'
        f'<text x="50" y="140" font-family="{FONT_FAMILY}, Inter, sans-serif" font-size="100" '
        f'font-weight="700">{word}</text></svg>'
    )
    ink = Image.open(io.BytesIO(svg_to_png(svg=svg))).getchannel("A").getbbox()
    assert ink is not None, "no text was drawn"
    assert abs((ink[2] - ink[0]) / (expected[2] - expected[0]) - 1) < 0.025
    # and a font that is not shipped draws nothing rather than something else
    missing = svg.replace(f"{FONT_FAMILY}, Inter, sans-serif", "DejaVu Sans")
    other = Image.open(io.BytesIO(svg_to_png(svg=missing))).getchannel("A").getbbox()
    assert other is None
