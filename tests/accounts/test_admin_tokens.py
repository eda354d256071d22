"""The admin site as an operator sees it: branded, distinct sections, API tokens to revoke."""

from __future__ import annotations

import re

from jewelguard.accounts import services
from jewelguard.accounts.models import ApiToken, Role
from tests.conftest import client_for, make_user


def _admin_client(db):
    return client_for(make_user("ops@association.example", role=Role.ADMIN))


def test_admin_is_branded_and_its_sections_have_distinct_names(db):
    page = _admin_client(db).get("/admin/").content.decode()

    assert "Django administration" not in page
    assert "JewelGuard administration" in page
    sections = re.findall(r'<caption>\s*<a[^>]*class="section"[^>]*>([^<]+)</a>', page)
    assert sections, page
    assert len(sections) == len(set(sections)), sections


def test_admin_lists_api_tokens_without_their_hashes_and_revokes_them(member):
    # given a member's token
    api_token, secret = services.api_token_create(user=member.owner, name="Point of sale")
    client = _admin_client(None)

    # when an administrator opens the tokens list and one token
    listed = client.get("/admin/accounts/apitoken/").content.decode()
    shown = client.get(f"/admin/accounts/apitoken/{api_token.pk}/change/").content.decode()

    # then they see whose it is and when it was used, never the hash or the token
    assert "Point of sale" in listed and api_token.prefix in listed
    for page in (listed, shown):
        assert api_token.token_hash not in page
        assert secret not in page
    assert 'name="_save"' not in shown  # read-only

    # when they revoke it
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [api_token.pk]},
        follow=True,
    )

    # then it is gone, and the API refuses it
    assert "1 token(s) revoked." in response.content.decode()
    assert not ApiToken.objects.filter(pk=api_token.pk).exists()
    api = client_for(member.owner).__class__()
    assert api.get("/api/stores", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_api_404_says_what_was_not_found(store, other_member):
    client = client_for(other_member.owner)

    for store_id in (store.pk, 999_999):
        response = client.get(f"/api/stores/{store_id}")
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"There is no store {store_id} among the stores you may see."
        }
