import pytest

from tests.conftest import client_for


def test_home_page_says_what_the_movement_is(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Partner for Protection" in response.content.decode()


def test_member_sees_own_store_in_api(store, other_store):
    response = client_for(store.member.owner).get("/api/stores")
    assert [s["name"] for s in response.json()["items"]] == [store.name]


@pytest.mark.browser
def test_home_page_in_chromium(page, live_server):
    page.goto(live_server.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Safer stores, together"
