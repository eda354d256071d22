"""A virtual assessment in real browsers under `jewelguard serve` (uvicorn, where the live
stream runs): the jeweler's answers change the advice beside the questions, and the analyst's
screen, in a second browser, shows each answer as it is given, and the other way round."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import PASSWORD, login_in_browser
from tests.core.test_live_updates import LiveSite, _own_database

JEWELER = "ana@frontrange.example"
ANALYST = "jordan@association.example"


@pytest.fixture(scope="module")
def assess_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    import os

    from tests.core.test_live_updates import HEARTBEAT_SECONDS, REPO

    tmp = tmp_path_factory.mktemp("assess")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEWELGUARD_", "DJANGO_"))}
    with _own_database(tmp) as database_url:
        env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            JEWELGUARD_DEBUG="1",
            JEWELGUARD_DATA_DIR=str(tmp / "data"),
            JEWELGUARD_DATABASE_URL=database_url,
            JEWELGUARD_EVENTS_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
            JEWELGUARD_MAP_TILES_URL="",
            PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
            PYTHONUNBUFFERED="1",
        )
        if os.environ.get("JEWELGUARD_REDIS_URL"):
            env["JEWELGUARD_REDIS_URL"] = os.environ["JEWELGUARD_REDIS_URL"]
        site = LiveSite(tmp=tmp, env=env)
        site.manage("migrate", "--verbosity", "0")
        # a member with a Denver store, and an analyst the administrator granted it to
        site.python(
            "from tests.factories import *\n"
            f"owner = UserFactory(email={JEWELER!r}, password={PASSWORD!r})\n"
            "store = StoreFactory(member=MemberFactory(owner=owner))\n"
            f"analyst = AnalystFactory(email={ANALYST!r}, password={PASSWORD!r})\n"
            "AnalystGrantFactory(analyst=analyst, member=store.member)\n"
        )
        try:
            site.start_web()
            yield site
        finally:
            site.stop()


def recommended(page: Page) -> list[str]:
    return page.locator("[data-recommendations] [data-control]").evaluate_all(
        "items => items.map(item => item.dataset.control)"
    )


def wait_live(page: Page) -> None:
    page.wait_for_function("() => document.body.dataset.live === 'open'", timeout=15_000)


@pytest.mark.browser
def test_answers_change_the_advice_and_the_analyst_sees_them_live(
    assess_site: LiveSite, page: Page, browser: Browser
) -> None:
    # given the jeweler signed in, starting an assessment of their store
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    login_in_browser(page, assess_site, JEWELER)
    page.goto(f"{assess_site.base}/assessment/")
    page.get_by_role("button", name="Start a new assessment").click()
    page.wait_for_url(f"{assess_site.base}/assessment/*/")
    assessment_url = page.url
    assert page.get_by_text(
        "Answer a few questions: what would help most appears here."
    ).is_visible()
    assert page.locator("#q-bollards").count() == 0

    # and the analyst, on a call with them, opening the same assessment in another browser
    other = browser.new_context()
    analyst = other.new_page()
    login_in_browser(analyst, assess_site, ANALYST)
    analyst.goto(assessment_url)
    wait_live(analyst)
    wait_live(page)

    # when the jeweler says the store is on the street, the question about bollards appears
    page.locator("#a-store_setting-street").check()
    page.locator("#q-bollards").wait_for()
    # and when they answer that there are none, bollards join the advice, with what to ask for
    page.locator("#a-bollards-no").check()
    page.locator('[data-recommendations] [data-control="bollards"]').wait_for()
    advice = page.locator('[data-recommendations] [data-control="bollards"]').inner_text()
    assert "Crash-rated bollards" in advice
    assert page.locator("#q-store_setting").get_by_role("radio", checked=True).count() == 1
    first_advice = recommended(page)

    # then the analyst's screen shows both answers without reloading
    analyst.locator("#a-bollards-no:checked").wait_for(timeout=10_000)
    assert analyst.locator("#a-store_setting-street").is_checked()
    assert recommended(analyst) == first_advice

    # when the jeweler says the safe is unrated, the advice is reordered for both
    page.locator("#a-safe_rating-none").check()
    page.wait_for_function(
        "before => [...document.querySelectorAll('[data-recommendations] [data-control]')]"
        ".map(item => item.dataset.control).join() !== before",
        arg=",".join(first_advice),
    )
    analyst.locator("#a-safe_rating-none:checked").wait_for(timeout=10_000)
    assert recommended(analyst) == recommended(page) != first_advice

    # and an answer the analyst gives, as the jeweler tells them, appears on the jeweler's screen
    analyst.locator("#a-entry_buzzer-yes").check()
    page.locator("#a-entry_buzzer-yes:checked").wait_for(timeout=10_000)

    # and a refused answer shows its reason beside the question, on the jeweler's own screen
    page.locator("#a-overnight_share").fill("250")
    page.locator("#a-overnight_share").press("Tab")
    page.locator("#e-overnight_share").wait_for()
    assert "between 0 and 100" in page.locator("#e-overnight_share").inner_text()
    other.close()
    # and nothing the page did was blocked by the content security policy or failed
    assert problems == []
