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
