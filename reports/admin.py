"""Admin for reports. Triage actions arrive with the workflow (issue 4); this
is the read view every staff role gets, already behind the visibility rule."""

from __future__ import annotations

from django.contrib import admin

from netralitas.admin import VisibleToUserAdmin
from reports.models import Report, Terlapor
from reports.selectors import can_see_reporter_identity

REPORTER_FIELDS = ("reporter_name", "reporter_nik", "reporter_address", "reporter_phone", "reporter_email")


class TerlaporInline(admin.TabularInline):
    model = Terlapor
    extra = 0
    fields = ["name", "nip", "position", "work_unit", "instansi", "employee_status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(VisibleToUserAdmin):
    list_display = ["tracking_code", "status", "kind", "region", "violation_type", "intake_organisation", "received_at"]
    list_filter = ["status", "kind", "period_phase", "election"]
    search_fields = ["=tracking_code", "terlapor__name", "=terlapor__nip"]
    list_select_related = ["region", "violation_type", "intake_organisation"]
    show_full_result_count = False
    date_hierarchy = "received_at"
    inlines = [TerlaporInline]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in Report._meta.fields if f.name not in ("id",)]
        if obj is None or not can_see_reporter_identity(request.user, obj):
            fields = [f for f in fields if f not in REPORTER_FIELDS]
        return fields

    def get_readonly_fields(self, request, obj=None):
        # Status changes only through the workflow; nothing here edits a report.
        return self.get_fields(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
