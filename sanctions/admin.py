"""Admin for the sanctions app: read only. Decisions, blocks and escalations are recorded on the
PPK and BKN pages (sanctions.views) through the services; the admin shows them, behind the
visibility rule of each model (netralitas.admin.VisibleToUserAdmin).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from netralitas.admin import VisibleToUserAdmin
from sanctions.models import Block, Decision, Escalation, SanctionEvent


class ReadOnlyAdmin(VisibleToUserAdmin):
    """Everything shown, nothing changed: writes go through sanctions.services only."""

    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields or [])


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["sk_number", "sk_date", "terlapor", "sanction_kind", "compliance", "recorded_at"]
    list_filter = ["compliance", "sanction_kind__track", "sanction_kind__level"]
    search_fields = ["sk_number", "terlapor__name", "terlapor__nip"]
    list_select_related = ["terlapor", "sanction_kind"]
    date_hierarchy = "sk_date"
    # The signed SK itself is private: no URL; the case page offers the download behind the visibility rule.
    fields = [
        "terlapor",
        "sk_number",
        "sk_date",
        "sanction_kind",
        "effective_from",
        "effective_until",
        "examiner",
        "examination_date",
        "examination_record",
        "signed_sk_sha256",
        "deviation_reason",
        "compliance",
        "recorded_by",
        "recorded_at",
    ]


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["letter_number", "terlapor", "blocked_on", "status", "lift_requested_at", "lifted_on"]
    list_filter = [("lifted_on", admin.EmptyFieldListFilter)]
    search_fields = ["letter_number", "lift_letter_number", "terlapor__name", "terlapor__nip"]
    list_select_related = ["terlapor"]
    fields = [
        "terlapor",
        "blocked_on",
        "letter_number",
        "letter_date",
        "blocked_by",
        "lift_requested_at",
        "lifted_on",
        "lift_letter_number",
        "lifted_by",
    ]

    @admin.display(description=_("status"))
    def status(self, obj: Block) -> str:
        return _("Aktif") if obj.is_active else _("Dibuka")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["letter_number", "kind", "terlapor", "letter_date", "recorded_at"]
    list_filter = ["kind"]
    search_fields = ["letter_number", "terlapor__name", "terlapor__nip"]
    list_select_related = ["terlapor"]
    fields = ["terlapor", "kind", "letter_number", "letter_date", "note", "recorded_by", "recorded_at"]


@admin.register(SanctionEvent)
class SanctionEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "terlapor", "actor", "letter_number"]
    list_filter = ["kind"]
    search_fields = ["letter_number", "terlapor__name", "terlapor__nip"]
    list_select_related = ["terlapor", "actor"]
    fields = ["terlapor", "kind", "actor", "note", "letter_number", "letter_date", "created_at"]
