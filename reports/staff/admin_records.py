"""The register of ASN, recommendations, the event logs, external numbers and the log of openings of sealed data.

Read only, but for new external numbers (added through reports.register.add_external_reference).
The log of openings is BKN's oversight and each intake organisation's own: SealedAccess is
append-only, written by reports.confidentiality.unseal; its rows follow
reports.confidentiality.access_log_visible_to.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from netralitas import visibility
from netralitas.admin import VisibleToUserAdmin
from reports.models import (
    CaseEvent,
    ExternalReference,
    Person,
    Recommendation,
    ReportEvent,
    SealedAccess,
    Terlapor,
)
from reports.selectors import (
    reports_visible_to,
)
from reports.staff import action_views
from reports.staff.changelist import InstansiFilter, ReadOnlyAdmin, TriageAdmin


class RegisteredCasesInline(admin.TabularInline):
    """A person's cases across reports, only those the user may see."""

    model = Terlapor
    fk_name = "person"
    extra = 0
    fields = ["report_link", "case_link", "instansi", "position", "case_status", "blocked"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("riwayat perkara")

    def get_queryset(self, request):
        # Blocks belong to the sanctions app; the reverse relation keeps reports free of its import.
        return (
            visibility.visible_to(Terlapor, request.user)
            .select_related("report", "instansi")
            .annotate(active_blocks=Count("blocks", filter=Q(blocks__lifted_on__isnull=True)))
            .order_by("-report__received_at")
        )

    @admin.display(description=_("data kepegawaian diblokir"), boolean=True)
    def blocked(self, obj: Terlapor) -> bool:
        return bool(obj.active_blocks)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("laporan"))
    def report_link(self, obj: Terlapor):
        url = reverse("admin:reports_report_change", args=[obj.report_id])
        return format_html('<a href="{}">{}</a>', url, obj.report.tracking_code)

    @admin.display(description=_("perkara"))
    def case_link(self, obj: Terlapor):
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_terlapor_change", args=[obj.pk]), obj.name)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "nip", "instansi", "left_service", "created_at"]
    list_filter = [InstansiFilter, "left_service"]
    search_fields = ["name", "=nip"]
    list_select_related = ["instansi"]
    fields = ["name", "nip", "instansi", "left_service", "created_at"]
    readonly_fields = fields
    inlines = [RegisteredCasesInline]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["letter_number", "letter_date", "terlapor", "addressed_to", "authority", "level", "letter_link"]
    list_filter = ["authority", "track", "level"]
    search_fields = ["=letter_number", "terlapor__name", "=terlapor__nip"]
    list_select_related = ["terlapor", "addressed_to", "authority__organisation", "violation_type"]
    fields = [
        "terlapor",
        "authority",
        "addressed_to",
        "finding",
        "violation_type",
        "track",
        "level",
        "sanction_kinds",
        "reasoning",
        "letter_number",
        "letter_date",
        "issued_by",
        "issued_at",
    ]
    readonly_fields = fields

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/surat/",
                self.admin_site.admin_view(self.letter_page),
                name="reports_recommendation_letter",
            )
        ]
        return urls + super().get_urls()

    def letter_page(self, request, object_id: str):
        return action_views.letter_view(self, request, object_id)

    @admin.display(description=_("surat"))
    def letter_link(self, obj: Recommendation):
        url = reverse("admin:reports_recommendation_letter", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Unduh PDF"))


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "kind", "from_status", "to_status", "actor", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["=report__tracking_code"]
    list_select_related = ["report", "actor"]
    fields = [
        "report",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "note",
        "public_message",
        "is_public",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "terlapor", "from_status", "to_status", "actor"]
    list_filter = ["to_status"]
    search_fields = ["=terlapor__report__tracking_code", "=terlapor__nip"]
    list_select_related = ["terlapor", "actor"]
    fields = ["terlapor", "from_status", "to_status", "actor", "note", "created_at"]
    readonly_fields = fields


@admin.register(ExternalReference)
class ExternalReferenceAdmin(TriageAdmin):
    list_display = ["number", "system", "report"]
    list_filter = ["system"]
    search_fields = ["=number", "=report__tracking_code"]
    list_select_related = ["report"]
    autocomplete_fields = ["report"]
    fields = ["report", "system", "number"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "report":
            # Only a report this user may see can receive a number: a foreign id is "not a valid choice".
            kwargs["queryset"] = reports_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ExternalReference, form, change: bool) -> None:
        from reports.register import add_external_reference

        saved = add_external_reference(obj.report, actor=request.user, system=obj.system, number=obj.number)
        obj.pk = saved.pk


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
