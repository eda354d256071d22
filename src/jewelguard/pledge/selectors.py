"""Reads of the pledge room: membership status, counts by region, the toolkit's contents."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from jewelguard.accounts.models import Member, Store, User
from jewelguard.accounts.next_steps import MemberOverview, NextStep, StatusPanel
from jewelguard.core.dates import date_long
from jewelguard.playbook.selectors import content_version
from jewelguard.pledge.deterrents import deterrents_in_order
from jewelguard.pledge.models import Pledge, StoreSignage
from jewelguard.pledge.regions import region_name
from jewelguard.pledge.toolkit.spec import ToolkitSpec
from jewelguard.pledge.verification import local_date, verify_url


def pledge_active_for(*, member: Member) -> Pledge | None:
    """The member's pledge in force, or None: membership is derived from this alone."""
    return Pledge.objects.active().filter(member=member).first()


@dataclass(frozen=True)
class RegionCount:
    country: str
    region: str
    name: str
    stores: int


@dataclass(frozen=True)
class PledgeCounts:
    regions: list[RegionCount]
    stores: int
    members: int

    @property
    def most(self) -> int:
        return max((r.stores for r in self.regions), default=0)


def pledged_store_counts() -> PledgeCounts:
    """How many stores have pledged, by state or province: counts only, never names."""
    pledged = Exists(Pledge.objects.active().filter(member=OuterRef("member")))
    stores = Store.objects.filter(pledged)
    rows = stores.values("country", "region").annotate(stores=Count("pk", distinct=True))
    regions = sorted(
        (
            RegionCount(
                country=row["country"],
                region=row["region"],
                name=region_name(country=row["country"], region=row["region"]),
                stores=row["stores"],
            )
            for row in rows
        ),
        key=lambda r: (-r.stores, r.name),
    )
    members = Member.objects.filter(Exists(Pledge.objects.active().filter(member=OuterRef("pk"))))
    members_count = members.count()
    return PledgeCounts(
        regions=regions, stores=sum(r.stores for r in regions), members=members_count
    )


# The pledge page's bar chart of stores by region: one row per region, widths to scale.
CHART_ROW = 30
CHART_LABEL = 190
CHART_BAR = 330


@dataclass(frozen=True)
class RegionBar:
    region: RegionCount
    y: int
    width: int


@dataclass(frozen=True)
class RegionChart:
    bars: list[RegionBar]
    height: int
    # Where the bars start (after the region names), their longest length, the whole width.
    label: int
    bar: int
    width: int


def pledged_store_chart(*, counts: PledgeCounts) -> RegionChart:
    """The geometry of the stores-by-region chart; the region with most stores is longest."""
    bars = [
        RegionBar(
            region=region,
            y=index * CHART_ROW,
            width=max(2, round(CHART_BAR * region.stores / counts.most)),
        )
        for index, region in enumerate(counts.regions)
    ]
    return RegionChart(
        bars=bars,
        height=max(1, len(bars)) * CHART_ROW,
        label=CHART_LABEL,
        bar=CHART_BAR,
        width=CHART_LABEL + CHART_BAR + 60,
    )


def pledged_members() -> QuerySet[Pledge]:
    """Pledges in force with their member and its store count, newest first (for analysts)."""
    return (
        Pledge.objects.active()
        .select_related("member", "member__owner")
        .annotate(store_count=Count("member__stores", distinct=True))
        .order_by("-taken_at")
    )


def withdrawn_pledges(*, limit: int = 50) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(~Q(withdrawn_at=None))
        .select_related("member")
        .order_by("-withdrawn_at")[:limit]
    )


def pledged_stores_of_staff(*, user: User) -> list[Store]:
    """The stores a staff user works at (has any grant for) whose member has pledged."""
    pledged = Exists(Pledge.objects.active().filter(member=OuterRef("member")))
    return list(
        Store.objects.filter(pledged, staff_grants__user=user)
        .select_related("member")
        .distinct()
        .order_by("name", "pk")
    )


def signage_statements_for(*, store: Store) -> tuple[str, ...]:
    """The deterrents the member confirmed for this store, in catalogue order."""
    signage = StoreSignage.objects.filter(store=store).first()
    return tuple(d.id for d in deterrents_in_order(signage.statements if signage else ()))


def toolkit_spec_for(*, store: Store, pledge: Pledge, language: str) -> ToolkitSpec:
    """Everything this store's toolkit shows, in ``language``."""
    return ToolkitSpec(
        store_id=store.pk,
        store_name=store.name,
        member_since=local_date(pledge.taken_at, store=store).year,
        language=language,
        statements=signage_statements_for(store=store),
        verify_url=verify_url(store_id=store.pk, pledge_id=pledge.pk),
        briefing_digest=content_version(),
    )


def member_overview_pledge(member: Member) -> MemberOverview:
    """The pledge's part of the member's dashboard: its status, the toolkit, and the steps
    of taking the pledge and choosing what each store's signs say."""
    pledge = pledge_active_for(member=member)
    stores = list(member.stores.order_by("name"))
    chosen = set(
        StoreSignage.objects.filter(store__in=stores)
        .exclude(statements=[])
        .values_list("store_id", flat=True)
    )
    without_statements = [store for store in stores if store.pk not in chosen]
    where = stores[0] if stores else None
    since = ""
    if pledge:
        since = date_long(local_date(pledge.taken_at, store=where) if where else pledge.taken_at)
    if pledge:
        panel = StatusPanel(
            order=10,
            title=_("Pledge taken"),
            lines=[_("You took the pledge on %(date)s.") % {"date": since}],
            link_url=reverse("pledge:toolkit"),
            link_label=_("Open your toolkit"),
        )
    else:
        panel = StatusPanel(
            order=10,
            title=_("Not pledged yet"),
            lines=[_("Take the pledge to get your badge, window signs and social images.")],
            link_url=reverse("pledge:index"),
            link_label=_("Read the pledge"),
        )
    if pledge and without_statements:
        signage_url = reverse("pledge:toolkit_store", args=[without_statements[0].pk]) + "#signage"
    else:
        signage_url = reverse("pledge:toolkit")
    return MemberOverview(
        panels=[panel],
        steps=[
            NextStep(
                order=30,
                label=_("Take the pledge"),
                done=pledge is not None,
                url=reverse("pledge:index"),
                detail=_("On %(date)s") % {"date": since} if pledge else "",
            ),
            NextStep(
                order=40,
                label=_("Choose what your signs say"),
                done=pledge is not None and bool(stores) and not without_statements,
                url=signage_url,
                detail="" if pledge else _("After the pledge."),
            ),
        ],
    )
