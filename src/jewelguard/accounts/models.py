"""Who is who: users and their roles, member jewelers, their stores and staff, agencies."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member jeweler")
    STAFF = "staff", _("Store staff")
    OFFICER = "officer", _("Law-enforcement officer")
    ANALYST = "analyst", _("Association analyst")
    ADMIN = "admin", _("Administrator")


class Country(models.TextChoices):
    US = "US", _("United States")
    CA = "CA", _("Canada")


class LocationSource(models.TextChoices):
    POSTAL_CODE = "postal_code", _("From the ZIP code")
    MAP = "map", _("Picked on the map")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    ori = models.CharField(
        _("ORI"),
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}[A-Z0-9]{7}$",
                _("An ORI is nine characters: two letters for the state, then seven."),
            )
        ],
        help_text=_("The FBI Originating Agency Identifier, e.g. CO0010100."),
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ori})"


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. E-mail is the login; the role says what kind of person it is."""

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Analysts and administrators use the admin site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="officer") | models.Q(agency__isnull=False),
                name="officer_has_agency",
            )
        ]

    def __str__(self) -> str:
        return self.email


class Member(models.Model):
    """A member jeweler: the business that owns stores, pledges and shares."""

    name = models.CharField(_("business name"), max_length=200)
    owner = models.OneToOneField(
        User, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="member"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="stores"
    )
    name = models.CharField(_("store name"), max_length=120)
    street_address = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state or province"), max_length=2, blank=True)
    postal_code = models.CharField(_("ZIP or postal code"), max_length=10)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    location_source = models.CharField(
        _("location from"), max_length=16, choices=LocationSource.choices
    )
    h3_cell = models.CharField(_("H3 cell"), max_length=16, db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90), name="store_latitude"
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="store_longitude",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BusinessHours(models.Model):
    """Opening hours for one weekday, in the store's own time zone; no row means closed."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["store", "weekday"], name="one_hours_per_weekday"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class HoursException(models.Model):
    """A holiday or special day: closed, or open on other hours than the weekday's."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="hours_exceptions")
    date = models.DateField(_("date"))
    label = models.CharField(_("occasion"), max_length=80, blank=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("hours exception")
        verbose_name_plural = _("hours exceptions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["store", "date"], name="one_exception_per_date"),
            models.CheckConstraint(
                condition=(models.Q(opens__isnull=True) & models.Q(closes__isnull=True))
                | models.Q(opens__lt=models.F("closes")),
                name="exception_closed_or_opens_before_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"

    @property
    def is_closed(self) -> bool:
        return self.opens is None


class StaffRight(models.TextChoices):
    VIEW = "view", _("See the store")
    EDIT_STORE = "edit_store", _("Change the store's details and hours")
    REPORT = "report", _("Report incidents")
    RESPOND = "respond", _("Confirm or dismiss live events")


class StaffGrant(models.Model):
    """What one staff user may do at one store of the member who employs them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_grants")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="staff_grants")
    rights = models.JSONField(_("rights"), default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("staff grant")
        verbose_name_plural = _("staff grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "store"], name="one_grant_per_store"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.store}"

    def get_rights_display(self) -> list[str]:
        return [str(StaffRight(r).label) for r in self.rights if r in StaffRight.values]


class StaffInvitation(models.Model):
    """An invitation, sent by e-mail, for someone to join a member's stores as staff."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    # {store_id: [rights]} applied when the invitation is accepted.
    grants = models.JSONField(default=dict)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The link's token is this nonce, signed with the secret key (see
    # services.staff_invitation_token): the worker and the member's page can make the link
    # again, while the database and the task queue never hold a working token.
    link_nonce = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.member}"


class AnalystGrant(models.Model):
    """One member's own data opened to one association analyst, e.g. to help after a crime.

    By their role analysts read what the association sees of every member (stores,
    pledges); with a grant they also read that member's staff, invitations and toolkits.
    Read only: a grant never lets an analyst change anything.
    """

    analyst = models.ForeignKey(
        User,
        verbose_name=_("analyst"),
        on_delete=models.CASCADE,
        related_name="analyst_grants",
        limit_choices_to={"role": Role.ANALYST},
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="analyst_grants"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("granted"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("analyst grant")
        verbose_name_plural = _("analyst grants")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["analyst", "member"], name="one_grant_per_analyst"),
        ]

    def __str__(self) -> str:
        return f"{self.analyst} → {self.member}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
