"""Incidents, aligned with the FBI's NIBRS so that a record can be handed to police.

Offender descriptions hold only what identifies a person in the moment; there are no race,
ethnicity or religion fields (a NIBRS export writes those as unknown).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import Agency, Member, Store, User
from jewelguard.intel.geo import MAP_RESOLUTIONS
from jewelguard.playbook.content import SCENARIO_IDS

SCENARIO_CHOICES = [(scenario_id, scenario_id) for scenario_id in SCENARIO_IDS]


class Attempt(models.TextChoices):
    ATTEMPTED = "attempted", _("Attempted")
    COMPLETED = "completed", _("Completed")


class LocationType(models.TextChoices):
    """The NIBRS location types a jeweler meets (NIBRS has no jewelry-store code)."""

    SPECIALTY_STORE = "24", _("Specialty store")
    SHOPPING_MALL = "55", _("Shopping mall")
    CONVENIENCE_STORE = "07", _("Convenience store")
    DEPARTMENT_STORE = "09", _("Department or discount store")
    HOTEL = "14", _("Hotel or motel")
    PARKING_LOT = "18", _("Parking lot or garage")
    RESIDENCE = "20", _("Residence or home")
    HIGHWAY = "13", _("Highway, road, alley or street")
    BANK = "03", _("Bank")
    OTHER = "25", _("Other or unknown")


class Premises(models.TextChoices):
    ON = "on", _("On the premises")
    OFF = "off", _("Off the premises")


class OffPremisesScene(models.TextChoices):
    NONE = "", _("Not off the premises")
    TRADE_SHOW = "trade_show", _("Trade show")
    HOTEL = "hotel", _("Hotel")
    PARKING_LOT = "parking_lot", _("Parking lot")
    RESIDENCE = "residence", _("Residence")
    VEHICLE = "vehicle", _("Vehicle")


class Currency(models.TextChoices):
    USD = "USD", _("U.S. dollar")
    CAD = "CAD", _("Canadian dollar")


class Source(models.TextChoices):
    MEMBER_REPORT = "member_report", _("Member report")
    IMPORT = "import", _("Police open data")
    LIVE_EVENT = "live_event", _("Live event")


class Visibility(models.TextChoices):
    """Who sees the incident itself. Once verified, all but private ones count in aggregates."""

    PUBLIC_AGGREGATE = "public", _("Public, as aggregates only")
    MEMBERS = "members", _("Member jewelers")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PRIVATE = "private", _("Private")


class Verification(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class ModusOperandi(models.TextChoices):
    SIGNAL_JAMMER = "signal_jammer", _("Signal jammer")
    CONSTRUCTION_VEST = "construction_vest", _("Construction vest or uniform")
    WALL_ENTRY = "wall_entry", _("Entry through a wall or roof")
    HAMMER = "hammer", _("Hammer or sledgehammer")
    FAKE_EMERGENCY = "fake_emergency", _("Fake emergency")
    VEHICLE_RAMMING = "vehicle_ramming", _("Vehicle ramming")
    DISTRACTION = "distraction", _("Distraction")
    SWITCH = "switch", _("Switch with a fake")
    FIREARM = "firearm", _("Firearm shown")


class Incident(models.Model):
    scenario_id = models.CharField(_("scenario"), max_length=40, choices=SCENARIO_CHOICES)
    nibrs_offense_code = models.CharField(
        _("NIBRS offense code"),
        max_length=3,
        validators=[
            RegexValidator(
                r"^[0-9]{2}[0-9A-H]$", _("A NIBRS offense code is three characters, e.g. 23C.")
            )
        ],
    )
    attempt = models.CharField(_("attempted or completed"), max_length=9, choices=Attempt.choices)
    occurred_from = models.DateTimeField(_("occurred from"))
    occurred_to = models.DateTimeField(_("occurred to"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"))

    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    # One H3 cell per resolution the map uses, so that a viewport is a GROUP BY on one column.
    h3_r4 = models.CharField(max_length=16, editable=False)
    h3_r5 = models.CharField(max_length=16, editable=False)
    h3_r6 = models.CharField(max_length=16, editable=False)
    h3_r7 = models.CharField(max_length=16, editable=False)
    h3_r8 = models.CharField(max_length=16, editable=False)
    h3_r9 = models.CharField(max_length=16, editable=False)
    h3_r10 = models.CharField(max_length=16, editable=False)
    # The nearest ZIP code's or FSA's state or province and city (intel.places), for statistics.
    region = models.CharField(_("state or province"), max_length=2, blank=True, editable=False)
    city = models.CharField(_("city"), max_length=100, blank=True, editable=False)
    location_type = models.CharField(
        _("NIBRS location type"), max_length=2, choices=LocationType.choices
    )
    premises = models.CharField(_("premises"), max_length=3, choices=Premises.choices)
    off_premises_scene = models.CharField(
        _("off-premises scene"), max_length=16, choices=OffPremisesScene.choices, blank=True
    )

    property_lost_cents = models.PositiveBigIntegerField(_("property lost (cents)"), default=0)
    property_recovered_cents = models.PositiveBigIntegerField(
        _("property recovered (cents)"), default=0
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    modus_operandi = models.JSONField(_("modus operandi"), default=list, blank=True)

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("police agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    police_case_number = models.CharField(_("police case number"), max_length=40, blank=True)

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # For imports: the profile's source name and the row's id there (unique together).
    source_name = models.CharField(_("source name"), max_length=60, blank=True)
    source_id = models.CharField(_("source id"), max_length=60, blank=True)
    reporter = models.ForeignKey(
        User,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents_reported",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incidents",
    )
    store = models.ForeignKey(
        Store,
        verbose_name=_("store"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )

    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    verification = models.CharField(
        _("verification"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.SUBMITTED,
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        User,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents_verified",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # A duplicate points at the incident kept in its place; it is rejected, so that it is
    # listed and counted nowhere, and its reporter still finds it, saying where it went.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "source_id"],
                condition=~models.Q(source_id=""),
                name="incident_source_id_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="import") | ~models.Q(source_id=""),
                name="incident_import_has_source_id",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="incident_coordinates",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification="rejected") | ~models.Q(rejection_reason=""),
                name="incident_rejection_has_reason",
            ),
        ]
        indexes = [
            # The map's and the local crime level's counts: per cell and scenario, over
            # verified incidents not kept private. Partial, and covering on SQLite (which
            # must read the filtered columns), so a viewport is a walk down one index.
            *(
                models.Index(
                    fields=[f"h3_r{resolution}", "scenario_id", "verification", "visibility"],
                    condition=models.Q(verification="verified") & ~models.Q(visibility="private"),
                    name=f"incident_counted_h3_r{resolution}",
                )
                for resolution in MAP_RESOLUTIONS
            ),
            models.Index(fields=["verification", "visibility"], name="incident_access"),
            models.Index(fields=["region", "city"], name="incident_region_city"),
            models.Index(fields=["occurred_from"], name="incident_occurred_from"),
            models.Index(fields=["updated_at"], name="incident_updated_at"),
            models.Index(fields=["latitude", "longitude"], name="incident_latitude"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.occurred_from:%Y-%m-%d} #{self.pk}"


class Sex(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Build(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    SLIM = "slim", _("Slim")
    MEDIUM = "medium", _("Medium")
    HEAVY = "heavy", _("Heavy")
    MUSCULAR = "muscular", _("Muscular")


class Offender(models.Model):
    """What identifies a person in the moment, and nothing of who they are."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="offenders")
    age_min = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"), null=True, blank=True, validators=[MaxValueValidator(250)]
    )
    build = models.CharField(_("build"), max_length=10, choices=Build.choices, blank=True)
    clothing = models.CharField(_("clothing"), max_length=300, blank=True)
    disguise = models.CharField(_("disguise"), max_length=200, blank=True)
    distinguishing_marks = models.CharField(_("distinguishing marks"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("offender")
        verbose_name_plural = _("offenders")
        ordering = ["incident", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="offender_age_range",
            )
        ]

    def __str__(self) -> str:
        return f"offender #{self.pk} of incident #{self.incident_id}"


class Direction(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    NORTH = "N", _("North")
    NORTH_EAST = "NE", _("North-east")
    EAST = "E", _("East")
    SOUTH_EAST = "SE", _("South-east")
    SOUTH = "S", _("South")
    SOUTH_WEST = "SW", _("South-west")
    WEST = "W", _("West")
    NORTH_WEST = "NW", _("North-west")


class Vehicle(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="vehicles")
    plate = models.CharField(_("plate"), max_length=12, blank=True)
    plate_region = models.CharField(_("plate state or province"), max_length=2, blank=True)
    make = models.CharField(_("make"), max_length=40, blank=True)
    model = models.CharField(_("model"), max_length=40, blank=True)
    colour = models.CharField(_("colour"), max_length=30, blank=True)
    direction_of_travel = models.CharField(
        _("direction of travel"), max_length=2, choices=Direction.choices, blank=True
    )

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["incident", "pk"]

    def __str__(self) -> str:
        return f"vehicle #{self.pk} of incident #{self.incident_id}"


class EvidencePhoto(models.Model):
    """A photo, stored re-encoded without location or camera metadata."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="intel/evidence/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")
        ordering = ["incident", "pk"]

    def __str__(self) -> str:
        return f"photo #{self.pk} of incident #{self.incident_id}"


class IncidentDraft(models.Model):
    """A report being written: what the form held when last saved, one per user.

    Kept on the server so that a page closed by mistake (or a phone that ran out of battery)
    loses nothing; photos are not kept, only the typed fields.
    """

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="incident_draft"
    )
    # The form's fields as sent: {name: [values]}, bounded by the service that saves it.
    fields = models.JSONField(_("fields"), default=dict)
    updated_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("incident draft")
        verbose_name_plural = _("incident drafts")

    def __str__(self) -> str:
        return f"incident draft of user #{self.user_id}"


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class ImportRun(models.Model):
    """One import of police open-data files started from the browser, and how it went.

    The uploaded files are kept in the default storage under ``files`` (original name and stored
    name) until the run ends; the worker updates the counts after each batch.
    """

    started_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    # A shipped profile's name, or the uploaded profile's file name.
    profile_name = models.CharField(_("import profile"), max_length=100)
    # The uploaded profile's YAML; empty for a shipped profile.
    profile_yaml = models.TextField(blank=True, editable=False)
    files = models.JSONField(default=list, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the files"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    added = models.PositiveIntegerField(_("incidents added"), default=0)
    changed = models.PositiveIntegerField(_("incidents changed"), default=0)
    unchanged = models.PositiveIntegerField(_("incidents unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped by the profile"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rejects = models.FileField(_("rejected rows (CSV)"), upload_to="intel/imports/", blank=True)
    error = models.TextField(_("why it was refused"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.profile_name})"

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.REFUSED)

    def rows_per_second(self) -> float | None:
        """Rows read per second since the worker started, None before it has."""
        if self.started_at is None:
            return None
        end = self.finished_at or timezone.now()
        seconds = (end - self.started_at).total_seconds()
        return self.rows_read / seconds if seconds > 0 else None
