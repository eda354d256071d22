"""French (Canada): the catalogue is complete and the pages use it."""

from __future__ import annotations

import re
from pathlib import Path

import jewelguard
from tests.conftest import client_for

CATALOGUE = Path(jewelguard.__file__).parent / "locale" / "fr_CA" / "LC_MESSAGES"


def entries(po: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of a .po file, header left out."""
    found = []
    for block in po.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgid_plural")[0]
                                   .split("msgstr")[0], re.M))  # fmt: skip
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', block, re.M)
        if msgid:
            found.append((msgid, msgstrs, "#, fuzzy" in block))
    return found


def test_every_message_has_a_french_translation():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    catalogue = entries(po)
    assert len(catalogue) > 200
    untranslated = [msgid for msgid, msgstrs, _fuzzy in catalogue if not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, is_fuzzy in catalogue if is_fuzzy]
    assert untranslated == [] and fuzzy == []
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in po


def test_compiled_catalogue_is_newer_than_the_source():
    assert (CATALOGUE / "django.mo").stat().st_mtime >= (CATALOGUE / "django.po").stat().st_mtime


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
