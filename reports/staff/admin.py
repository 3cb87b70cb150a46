"""Triage in the admin: the report's page (the case page) and each terlapor's case page, with their actions.

Status never changes here except through the actions of reports.staff.actions, which call the
services. The changelists' shared parts (paginator, filters, search) are in reports.staff.changelist;
the register, recommendations and event logs in reports.staff.admin_records.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports.confidentiality import access_log, may_see_access_log, may_see_sealed, sealed_evidence
from reports.enums import CASE_OUTCOMES, REPORT_FINISHED
from reports.models import ExternalReference, Report, Terlapor
from reports.relay import may_ask_reporter, reporter_questions_visible_to
from reports.selectors import (
    case_timeline,
    possible_duplicates_visible_to,
    recommendations_visible_to,
    report_timeline,
    reports_visible_to,
    terlapor_visible_to,
)
from reports.staff import action_views
from reports.staff.actions import CASE_ACTIONS, REFUSALS, REPORT_ACTIONS, offered_actions, refusal_message
from reports.staff.changelist import (
    AssignedToMeFilter,
    CaseProvinsiFilter,
    InstansiFilter,
    OverdueFilter,
    ProvinsiFilter,
    ReadOnlyAdmin,
    TriageAdmin,
    ViolationTypeFilter,
    due_cell,
    search_cases,
    search_reports,
)

# --- reports (the case page) -----------------------------------------------------------------


class TerlaporInline(admin.TabularInline):
    model = Terlapor
    extra = 0
    fields = ["case_link", "nip", "position", "instansi", "employee_status", "case_status", "due_date"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        # A report shared by two instansi: each sees its own ASN's case only (issue 8).
        return terlapor_visible_to(request.user).select_related("instansi")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("terlapor"))
    def case_link(self, obj: Terlapor):
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_terlapor_change", args=[obj.pk]), obj.name)


class ExternalReferenceInline(admin.TabularInline):
    model = ExternalReference
    extra = 1
    fields = ["system", "number"]
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a recorded number is kept; a new one is added through the service


@admin.register(Report)
class ReportAdmin(TriageAdmin):
    list_display = [
        "tracking_code",
        "status",
        "terlapor_names",
        "region",
        "intake_organisation",
        "assigned_to",
        "due_column",
        "received_at",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        AssignedToMeFilter,
        ProvinsiFilter,
        InstansiFilter,
        ViolationTypeFilter,
        "election",
        "period_phase",
        "kind",
    ]
    search_fields = ["=tracking_code"]  # the box; get_search_results decides what a term means
    search_help_text = _("Kode pelacakan, nama atau NIP terlapor, atau nomor SIGAPLAPOR/LAPOR!/SBT.")
    list_select_related = ["region", "intake_organisation", "assigned_to", "violation_type"]
    inlines = [TerlaporInline, ExternalReferenceInline]
    # Registration, kajian and forwarding record their substance (requirements met, result and reasoning,
    # the forwarding letter): they are done one report at a time on its page, never in bulk.
    actions = ["verify_selected", "assign_to_me"]
    change_form_template = "admin/reports/report/change_form.html"
    triage_actions = REPORT_ACTIONS

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "reports_report_changelist":
            qs = qs.prefetch_related(Prefetch("terlapor", queryset=terlapor_visible_to(request.user).order_by("id")))
        return qs

    def get_search_results(self, request, queryset, search_term):
        return search_reports(queryset, search_term, terlapor_visible_to(request.user)), False

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                _("Laporan"),
                {
                    "fields": [
                        "tracking_code",
                        "kind",
                        "status",
                        "intake_organisation",
                        "received_at",
                        "confidentiality",
                    ]
                },
            ),
            (
                _("Kejadian"),
                {
                    "fields": [
                        "incident_date",
                        "learned_date",
                        "reported_late",
                        "region",
                        "place",
                        "description",
                        "violation_type",
                        "election",
                        "period_phase",
                    ]
                },
            ),
            (_("Penanganan"), {"fields": ["assigned_to", "due_date", "due_step", "due_explanation"]}),
        ]
        # The reporter's identity and the witnesses are sealed: never a field here, only through
        # reports.staff.sealed's "Buka identitas pelapor", which asks a reason and logs it (issue 8).
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Nothing on a report is edited here: status moves through the actions only.
        return [name for _title, options in self.get_fieldsets(request, obj) for name in options["fields"]]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_verify_permission(self, request) -> bool:
        return request.user.has_perm("reports.verify_report")

    @admin.display(description=_("terlapor"))
    def terlapor_names(self, obj: Report) -> str:
        return ", ".join(t.name for t in obj.terlapor.all())

    @admin.display(description=_("tenggat"), ordering="due_date")
    def due_column(self, obj: Report):
        return due_cell(obj.due_date, finished=obj.status in REPORT_FINISHED)

    @admin.action(description=_("Mulai verifikasi laporan terpilih"), permissions=["verify"])
    def verify_selected(self, request, queryset):
        action_views.run_bulk(self, request, queryset, "verifikasi")

    @admin.action(description=_("Tangani sendiri laporan terpilih"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        action_views.run_bulk(self, request, queryset, "tangani")

    def save_model(self, request, obj, form, change) -> None:
        pass  # every field is read-only; only new external numbers are saved (save_formset)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not ExternalReference:
            super().save_formset(request, form, formset, change)
            return
        from reports.register import add_external_reference

        for reference in formset.save(commit=False):
            refusal = None
            try:
                add_external_reference(
                    form.instance, actor=request.user, system=reference.system, number=reference.number
                )
            except REFUSALS as exc:
                refusal = refusal_message(exc)
            if refusal:
                messages.error(request, refusal)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        context = {**(extra_context or {}), **self.case_page_context(request, report)}
        return super().change_view(request, object_id, form_url, context)

    def case_page_context(self, request, report: Report) -> dict:
        user = request.user
        today = timezone.localdate()
        visible_recommendations = set(
            recommendations_visible_to(user).filter(terlapor__report=report).values_list("pk", flat=True)
        )
        cases = []
        for case in cases_of(report, user):
            recommendation = getattr(case, "recommendation", None)
            cases.append(
                {
                    "case": case,
                    "url": reverse("admin:reports_terlapor_change", args=[case.pk]),
                    "overdue": bool(case.due_date and case.due_date < today and case.case_status not in CASE_OUTCOMES),
                    "recommendation": recommendation,
                    "letter_url": reverse("admin:reports_recommendation_letter", args=[recommendation.pk])
                    if recommendation is not None and recommendation.pk in visible_recommendations
                    else "",
                }
            )
        may_link = REPORT_ACTIONS["tautkan"].offered(report, user)
        return {
            "triage_actions": [
                (action, self.action_url(report, action.name))
                for action in offered_actions(self.triage_actions, report, user)
                if action.name not in ("tautkan", "tanya-pelapor")
            ],
            "report_overdue": bool(
                report.due_date and report.due_date < today and report.status not in REPORT_FINISHED
            ),
            "cases": cases,
            "evidence": sealed_evidence(report, user),
            "sealed": may_see_sealed(user, report),
            "unseal_url": reverse("sealed-open", args=[report.pk]),
            "access_log": list(access_log(report)) if may_see_access_log(user, report) else None,
            "questions": list(
                reporter_questions_visible_to(user).filter(report=report).select_related("asked_by", "organisation")
            ),
            "ask_url": self.action_url(report, "tanya-pelapor") if may_ask_reporter(report, user) else "",
            "timeline": report_timeline(report, user),
            "linked_reports": list(visible_linked_reports(report, user).select_related("region")),
            "duplicates": list(possible_duplicates_visible_to(user, report).select_related("region")[:20])
            if may_link
            else [],
            "link_url": self.action_url(report, "tautkan") if may_link else "",
        }


# --- cases (terlapor) ----------------------------------------------------------------------------


@admin.register(Terlapor)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "nip", "instansi", "report_link", "case_status", "authority", "due_column"]
    list_filter = ["case_status", OverdueFilter, CaseProvinsiFilter, InstansiFilter, "authority"]
    search_fields = ["=nip"]
    search_help_text = _("Nama atau NIP terlapor, atau kode pelacakan laporan.")
    list_select_related = ["instansi", "report", "authority__organisation"]
    fields = [
        "report",
        "person",
        "name",
        "nip",
        "position",
        "work_unit",
        "instansi",
        "employee_status",
        "case_status",
        "authority",
        "due_date",
        "due_step",
        "due_explanation",
    ]
    readonly_fields = fields
    change_form_template = "admin/reports/terlapor/change_form.html"
    triage_actions = CASE_ACTIONS

    def get_search_results(self, request, queryset, search_term):
        return search_cases(queryset, search_term), False

    @admin.display(description=_("laporan"), ordering="report__received_at")
    def report_link(self, obj: Terlapor):
        url = reverse("admin:reports_report_change", args=[obj.report_id])
        return format_html('<a href="{}">{}</a>', url, obj.report.tracking_code)

    @admin.display(description=_("tenggat"), ordering="due_date")
    def due_column(self, obj: Terlapor):
        return due_cell(obj.due_date, finished=obj.case_status in CASE_OUTCOMES)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, unquote(object_id))
        recommendation = recommendations_visible_to(request.user).filter(terlapor=case).first()
        context = {
            **(extra_context or {}),
            "triage_actions": [
                (action, self.action_url(case, action.name))
                for action in offered_actions(self.triage_actions, case, request.user)
            ],
            "case_overdue": bool(
                case.due_date and case.due_date < timezone.localdate() and case.case_status not in CASE_OUTCOMES
            ),
            "timeline": case_timeline(case),
            "recommendation": recommendation,
            "letter_url": reverse("admin:reports_recommendation_letter", args=[recommendation.pk])
            if recommendation
            else "",
            "report_url": reverse("admin:reports_report_change", args=[case.report_id]),
        }
        return super().change_view(request, object_id, form_url, context)


def cases_of(report: Report, user):
    """The report's terlapor with what the case page shows of each (one query)."""
    from reports.selectors import terlapor_visible_to

    return (
        terlapor_visible_to(user)
        .filter(report=report)
        .select_related("instansi", "authority__organisation", "person", "recommendation")
        .order_by("id")
    )


def visible_linked_reports(report: Report, user):
    return report.linked_reports.filter(pk__in=reports_visible_to(user).values("pk")).order_by("-received_at")
