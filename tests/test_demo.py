"""The demo data `jewelguard up` loads: every role, real cities, two pledged jewelers."""

from django.contrib.auth import authenticate

from jewelguard import demo
from jewelguard.accounts.models import Role, Store, User
from jewelguard.pledge import selectors as pledges


def test_demo_has_every_role_and_each_login_works(db):
    # when the demo is loaded
    logins = demo.demo_load(password="demo-password-123")
    # then every role is there, each person can sign in, and loading is remembered
    roles = {User.objects.get(email=login.email).role for login in logins}
    assert roles == set(Role.values)
    for login in logins:
        assert authenticate(email=login.email, password=login.password) is not None
    assert demo.demo_loaded()


def test_demo_stores_are_placed_in_real_cities_and_two_have_pledged(db):
    demo.demo_load(password="demo-password-123")
    cities = sorted(Store.objects.values_list("city", "time_zone"))
    assert cities == [
        ("Denver", "America/Denver"),
        ("Philadelphia", "America/New_York"),
        ("Seattle", "America/Los_Angeles"),
    ]
    pledged = sorted(
        s.city for s in Store.objects.select_related("member")
        if pledges.pledge_active_for(member=s.member)
    )  # fmt: skip
    assert pledged == ["Denver", "Seattle"]


def test_demo_reports_lie_near_the_stores_most_verified_and_shared_one_private(db):
    from jewelguard.intel.models import Incident, Source, Verification, Visibility

    demo.demo_load(password="demo-password-123")
    reports = Incident.objects.filter(source=Source.MEMBER_REPORT).select_related("store")
    assert reports.count() == len(demo.REPORTS)
    for report in reports:
        # within about a kilometre and a half of the store it was reported at
        assert abs(report.latitude - report.store.latitude) < 0.015
        assert abs(report.longitude - report.store.longitude) < 0.015
    verified = reports.filter(verification=Verification.VERIFIED)
    assert verified.filter(visibility=Visibility.MEMBERS).count() >= 3
    private = reports.filter(visibility=Visibility.PRIVATE)
    assert private.count() == 1 and private.get().verification == Verification.SUBMITTED


def test_denver_open_data_is_imported_once_and_recorded(db):
    from jewelguard.intel.models import ImportRun, Incident, Source
    from tests.conftest import shared_data

    folder = shared_data("crime/denver")
    demo.demo_load(password="demo-password-123")
    assert not demo.demo_crime_imported()
    read: list[int] = []
    summary = demo.demo_crime_import(
        folder=folder, progress=lambda rows, rejects: read.append(rows)
    )
    # then Denver's incidents are on the map and the import is recorded as the analyst's
    assert summary.added == Incident.objects.filter(source=Source.IMPORT).count() == 2763
    assert sum(read) == summary.rows == demo.demo_crime_rows(folder=folder)
    assert demo.demo_crime_imported()
    assert ImportRun.objects.get().started_by.email == f"analyst@{demo.DEMO_DOMAIN}"
    # and a second run would add nothing
    again = demo.demo_crime_import(folder=folder)
    assert (again.added, again.changed) == (0, 0)


def test_the_crime_folder_is_found_only_where_every_file_is(tmp_path, monkeypatch):
    monkeypatch.setenv(demo.CRIME_DATA_VARIABLE, str(tmp_path))
    assert demo.demo_crime_folder() is None
    for name in demo.CRIME_FILES:
        (tmp_path / name).write_text("x\n")
    assert demo.demo_crime_folder() == tmp_path
