"""French (Canada): the catalogue is complete and the pages use it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import jewelguard
from tests.conftest import client_for

CATALOGUE = Path(jewelguard.__file__).parent / "locale" / "fr_CA" / "LC_MESSAGES"


def entries(po: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file, header left out."""
    found = []
    for block in po.split("\n\n")[1:]:
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            keyword = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if keyword:
                key = keyword.group(1)
                parts[key] = keyword.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            msgstrs = [v for k, v in parts.items() if k.startswith("msgstr")]
            found.append((parts["msgid"], msgstrs, "#, fuzzy" in block))
    return found


def test_every_message_has_a_french_translation():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    catalogue = entries(po)
    assert len(catalogue) > 200
    untranslated = [msgid for msgid, msgstrs, _fuzzy in catalogue if not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, is_fuzzy in catalogue if is_fuzzy]
    assert untranslated == [] and fuzzy == []
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in po


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_compiled_catalogue_matches_the_source():
    # given the .po as translated and the .mo the site loads
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # then every translation in the source is the one served (compilemessages was run)
    for msgid, msgstrs, _fuzzy in entries(po):
        if len(msgstrs) == 1:
            assert compiled.gettext(unescape(msgid)) == unescape(msgstrs[0]), msgid


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
