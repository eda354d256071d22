"""Markup a screen reader relies on: every field labelled, every reference resolved,
one main landmark, ids unique."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from jewelguard.accounts import services
from tests.conftest import client_for

UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str]] = []
        self.described_by: list[str] = []
        self.mains = 0
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if "id" in attr:
            self.ids.append(attr["id"])
        if "aria-describedby" in attr:
            self.described_by += attr["aria-describedby"].split()
        if tag == "label":
            self.open_labels += 1
            if attr.get("for"):
                self.label_for.add(attr["for"])
        if tag == "main":
            self.mains += 1
        if tag in ("input", "select", "textarea") and attr.get("type") not in UNLABELLED_TYPES:
            self.fields.append(attr | {"_wrapped": "1" if self.open_labels else ""})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def check(html: str) -> None:
    page = Page()
    page.feed(html)
    assert page.mains == 1
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert duplicates == set()
    missing = [i for i in page.described_by if i not in page.ids]
    assert missing == [], "aria-describedby points at nothing"
    unlabelled = [
        f.get("name") for f in page.fields
        if f.get("id") not in page.label_for and not f.get("aria-label") and not f["_wrapped"]
    ]  # fmt: skip
    assert unlabelled == []


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_public_pages(client, db, path):
    check(client.get(path).content.decode())


def test_member_pages(store):
    client = client_for(store.member.owner)
    for path in ("/me/", "/me/stores/", "/me/stores/new/", f"/me/stores/{store.pk}/",
                 f"/me/stores/{store.pk}/edit/", "/me/staff/", "/me/api-tokens/"):  # fmt: skip
        check(client.get(path).content.decode())


def test_store_form_with_errors(member_client):
    response = member_client.post(
        "/me/stores/new/",
        {"name": "", "country": "US", "postal_code": "99999", "latitude": "91",
         "monday_opens": "18:00", "monday_closes": "10:00"},
    )  # fmt: skip
    check(response.content.decode())


def test_invitation_page(client, store):
    _invitation, token = services.staff_invite(
        member=store.member, email="lee@example.com", grants={store.pk: []}
    )
    check(client.get(f"/me/invitations/{token}/").content.decode())
