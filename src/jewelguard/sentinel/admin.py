from __future__ import annotations

from django.contrib import admin

from jewelguard.core.admin import RestrictedAdmin
from jewelguard.sentinel.models import (
    Camera,
    CameraLease,
    CameraStatus,
    LiveEvent,
    LiveEventEntry,
    Microphone,
)


@admin.register(Camera)
class CameraAdmin(RestrictedAdmin[Camera]):
    list_display = ["name", "store", "source_kind", "enabled", "arming"]
    list_filter = ["source_kind", "enabled", "arming"]
    search_fields = ["name", "store__name"]
    # The password is never shown nor edited here (it is encrypted; members set it).
    exclude = ["password_encrypted"]
    raw_id_fields = ["store"]


@admin.register(Microphone)
class MicrophoneAdmin(RestrictedAdmin[Microphone]):
    list_display = ["name", "store", "camera", "enabled"]
    raw_id_fields = ["store", "camera"]


@admin.register(CameraStatus)
class CameraStatusAdmin(RestrictedAdmin[CameraStatus]):
    list_display = ["camera", "state", "node_name", "last_frame_at", "corrupt_frames", "reconnects"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in CameraStatus._meta.fields]


@admin.register(CameraLease)
class CameraLeaseAdmin(RestrictedAdmin[CameraLease]):
    list_display = ["camera", "node_name", "expires_at", "renewed_at"]
    readonly_fields = ["camera", "node_name", "expires_at", "renewed_at"]


class LiveEventEntryInline(admin.TabularInline[LiveEventEntry, LiveEvent]):
    model = LiveEventEntry
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "text", "people", "actor"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(LiveEvent)
class LiveEventAdmin(RestrictedAdmin[LiveEvent]):
    list_display = ["scenario", "store", "camera", "state", "people", "started_at", "ended_at"]
    list_filter = ["state", "scenario"]
    readonly_fields = [f.name for f in LiveEvent._meta.fields]
    inlines = [LiveEventEntryInline]
