"""The log of openings of sealed data in the admin: BKN's oversight, and each intake organisation's own.

Read only (SealedAccess is append-only, written by reports.confidentiality.unseal); the rows
follow reports.confidentiality.access_log_visible_to. Imported by reports.admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from netralitas.admin import VisibleToUserAdmin
from reports.models import SealedAccess


@admin.register(SealedAccess)
class SealedAccessAdmin(VisibleToUserAdmin):
    list_display = ["created_at", "report_link", "item", "evidence_label", "actor", "reason"]
    list_filter = ["item"]
    search_fields = ["=report__tracking_code", "actor__username"]
    list_select_related = ["report", "actor"]
    fields = ["report", "item", "evidence_label", "actor", "reason", "created_at"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("laporan"), ordering="report__tracking_code")
    def report_link(self, obj: SealedAccess):
        url = reverse("admin:reports_report_change", args=[obj.report_id])
        return format_html('<a href="{}">{}</a>', url, obj.report.tracking_code)

    @admin.display(description=_("bukti"))
    def evidence_label(self, obj: SealedAccess) -> str:
        return f"bukti-{obj.evidence_id}" if obj.evidence_id else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
