"""French (Canada): every catalogue is complete and the pages use it."""

from __future__ import annotations

import gettext
import re
from collections import Counter
from pathlib import Path

import polib
import pytest

import jewelguard
from tests.conftest import client_for

SOURCE = Path(jewelguard.__file__).parent
# Every catalogue: the site's own and each room's.
CATALOGUES = sorted(SOURCE.glob("**/locale/fr_CA/LC_MESSAGES/*.po"))
# printf-style placeholders as Python's % operator reads them: %(name)s, %s, %d, %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> Counter[str]:
    return Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")


def catalogue_problems(po: polib.POFile) -> list[str]:
    """What stops a catalogue from being complete French: one line per entry at fault."""
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        name = repr(entry.msgid)
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {name}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(t.strip() for t in translations):
            problems.append(f"untranslated: {name}")
            continue
        if "python-format" not in entry.flags:
            continue
        wanted = [placeholders(entry.msgid)]
        if entry.msgid_plural:
            wanted.append(placeholders(entry.msgid_plural))
        for translation in translations:
            if placeholders(translation) not in wanted:
                problems.append(f"placeholders differ: {name} -> {translation!r}")
    return problems


def test_every_room_and_the_site_has_a_catalogue():
    rooms = {path.relative_to(SOURCE).parts[0] for path in CATALOGUES}
    assert rooms == {"assessment", "intel", "locale", "playbook", "pledge", "sentinel"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_message_has_a_french_translation(path):
    po = polib.pofile(str(path))
    assert len(po) > 50
    assert catalogue_problems(po) == []
    assert po.metadata["Plural-Forms"].startswith("nplurals=2; plural=(n > 1);")


def test_the_check_finds_fuzzy_untranslated_and_mismatched_entries(tmp_path):
    # given a catalogue with one entry of each kind of fault, and one good entry
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Stores"\nmsgstr "Magasins"\n\n'
        'msgid "Alerts"\nmsgstr ""\n\n'
        '#, python-format\nmsgid "%(count)s stores near %(city)s"\n'
        'msgstr "%(count)s magasins près de %(ville)s"\n\n'
        '#, python-format\nmsgid "%(name)s pledged"\nmsgstr "%(name)s s\'est engagé"\n\n'
        '#, python-format\nmsgid "one store"\nmsgid_plural "%(count)s stores"\n'
        'msgstr[0] "un magasin"\nmsgstr[1] "%(count)s magasins"\n',
        encoding="utf-8",
    )
    # when it is checked, then each fault is named and the good entries pass
    assert catalogue_problems(polib.pofile(str(path))) == [
        "fuzzy: 'Stores'",
        "untranslated: 'Alerts'",
        "placeholders differ: '%(count)s stores near %(city)s' -> "
        "'%(count)s magasins près de %(ville)s'",
    ]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_compiled_catalogue_matches_the_source(path):
    # given the .po as translated and the .mo the site loads
    po = polib.pofile(str(path))
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # then every translation in the source is the one served (compilemessages was run)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 5) == (entry.msgstr_plural[1])
            ), entry.msgid
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_pages_speak_french_when_asked(member, store):
    client = client_for(member.owner)
    client.cookies["django_language"] = "fr-ca"
    home = client.get("/").content.decode()
    assert '<html lang="fr-ca">' in home
    assert "Des magasins plus sûrs, ensemble" in home
    detail = client.get(f"/me/stores/{store.pk}/").content.decode()
    assert "Heures d'ouverture" in detail and "Lundi" in detail


def test_errors_from_the_services_are_french_too(member):
    client = client_for(member.owner)
    client.cookies["django_language"] = "fr-ca"
    response = client.post(
        "/me/stores/new/",
        {"name": "Bijouterie", "street_address": "1 rue", "country": "US",
         "postal_code": "99999"},
    )  # fmt: skip
    assert "Le code ZIP 99999 n&#x27;est pas un code ZIP américain connu." in (
        response.content.decode()
    )


def test_allauth_pages_fall_back_to_its_own_french(client, db):
    client.cookies["django_language"] = "fr-ca"
    page = client.get("/accounts/login/").content.decode()
    assert "Mot de passe" in page
