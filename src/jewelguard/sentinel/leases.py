"""Camera leases: which sentinel node reads which camera, renewed by a heartbeat.

A node claims cameras whose lease is free or expired, and renews its own each heartbeat; a
node that dies stops renewing, and after the lease time another node claims its cameras. On
PostgreSQL the claim reads candidate rows ``FOR UPDATE SKIP LOCKED``, so nodes claiming at
the same moment never wait on each other nor take the same camera; on SQLite (one writer at
a time) a conditional UPDATE does the same: it succeeds only while the lease is still free.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jewelguard.sentinel.models import Camera, CameraLease

# Free leases looked at per claim on SQLite, where each is tried in turn.
CANDIDATES_MAX = 1000


def _leases_ensure() -> None:
    missing = Camera.objects.filter(enabled=True, lease__isnull=True).values_list("pk", flat=True)
    CameraLease.objects.bulk_create(
        [CameraLease(camera_id=pk, node_name="") for pk in missing], ignore_conflicts=True
    )


def camera_leases_claim(*, node_name: str, ttl: timedelta, limit: int) -> list[int]:
    """Renew ``node_name``'s leases and claim free ones, up to ``limit`` cameras in all.

    Returns the ids of the enabled cameras the node holds now. A lease of a disabled camera
    is given up.
    """
    now = timezone.now()
    until = now + ttl
    _leases_ensure()
    with transaction.atomic():
        CameraLease.objects.filter(node_name=node_name, camera__enabled=False).update(
            node_name="", expires_at=now
        )
        CameraLease.objects.filter(node_name=node_name, expires_at__gt=now).update(
            expires_at=until, renewed_at=now
        )
    held = list(
        CameraLease.objects.filter(node_name=node_name, expires_at__gt=now).values_list(
            "camera_id", flat=True
        )
    )
    room = limit - len(held)
    if room <= 0:
        return sorted(held)
    free = Q(expires_at__lte=now) | Q(node_name="")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                CameraLease.objects.select_for_update(skip_locked=True)
                .filter(free, camera__enabled=True)
                .order_by("camera_id")
                .values_list("camera_id", flat=True)[:room]
            )
            CameraLease.objects.filter(camera_id__in=ids).update(
                node_name=node_name, expires_at=until, renewed_at=now
            )
            held += ids
    else:
        candidates = list(
            CameraLease.objects.filter(free, camera__enabled=True)
            .order_by("camera_id")
            .values_list("camera_id", flat=True)[:CANDIDATES_MAX]
        )
        for camera_id in candidates:
            if len(held) >= limit:
                break
            # Only one node's UPDATE finds the lease still free; the other updates nothing.
            taken = CameraLease.objects.filter(free, camera_id=camera_id).update(
                node_name=node_name, expires_at=until, renewed_at=now
            )
            if taken:
                held.append(camera_id)
    return sorted(held)


def camera_leases_release(*, node_name: str, camera_ids: list[int] | None = None) -> int:
    """Give up ``node_name``'s leases (all, or those of ``camera_ids``) so others claim them now."""
    leases = CameraLease.objects.filter(node_name=node_name)
    if camera_ids is not None:
        leases = leases.filter(camera_id__in=camera_ids)
    return leases.update(node_name="", expires_at=timezone.now())
