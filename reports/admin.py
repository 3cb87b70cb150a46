"""Triage in the admin: reports, cases (terlapor), the ASN register, recommendations, events.

Every admin here stands on netralitas.admin.VisibleToUserAdmin (its queryset is the
model's visibility rule, and a foreign or missing id is a
404, never the admin's "perhaps it was deleted" redirect). Status never changes here
except through the actions of reports.admin_views, which call the services.
Changelists stay fast at a million rows: list_select_related, no facet or full counts,
and CappedCountPaginator.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from netralitas import visibility
from netralitas.admin import VisibleToUserAdmin
from netralitas.enums import INSTANSI_KINDS, OrganisationKind, RegionLevel
from netralitas.models import Organisation, Region, ViolationType
from reports import admin_views
from reports.confidentiality import access_log, may_see_access_log, may_see_sealed, sealed_evidence
from reports.enums import CASE_OUTCOMES, REPORT_FINISHED
from reports.models import CaseEvent, ExternalReference, Person, Recommendation, Report, ReportEvent, Terlapor
from reports.pins import normalise_tracking_code
from reports.relay import may_ask_reporter, reporter_questions_visible_to
from reports.selectors import (
    case_timeline,
    cases_overdue,
    possible_duplicates_visible_to,
    recommendations_visible_to,
    report_timeline,
    reports_overdue,
    reports_visible_to,
    terlapor_visible_to,
)

# --- counting without COUNT(*) over the whole table -------------------------------------------


class CappedCountPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows; an unfiltered PostgreSQL table is estimated from pg_class.

    ``count_kind`` tells the template what the number is: "exact", "capped" (more than
    ``cap``) or "estimated" (the planner's row estimate of the whole table).
    """

    cap = 10_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_kind = "exact"

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        estimate = table_estimate(queryset)
        if estimate is not None and estimate > self.cap:
            self.count_kind = "estimated"
            return estimate
        counted = queryset.order_by().values("pk")[: self.cap + 1].count()
        if counted > self.cap:
            self.count_kind = "capped"
        return counted

    @property
    def count_label(self) -> str:
        count = self.count
        if self.count_kind == "capped":
            return _("lebih dari %(n)s") % {"n": number_format(self.cap, force_grouping=True)}
        if self.count_kind == "estimated":
            return _("sekitar %(n)s") % {"n": number_format(count, force_grouping=True)}
        return number_format(count, force_grouping=True)


def table_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's row estimate of an unfiltered queryset's table; None when filtered or elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or queryset.query.where or queryset.query.distinct:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] > 0 else None


class TriageAdmin(VisibleToUserAdmin):
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    triage_actions: dict[str, admin_views.Action] = {}

    def action_url(self, obj, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_action", args=[obj.pk, name])

    def action_page(self, request, object_id: str, name: str):
        return admin_views.action_view(self, request, object_id, name, self.triage_actions)

    def get_urls(self):
        if not self.triage_actions:
            return super().get_urls()
        urls = [
            path(
                "<path:object_id>/tindakan/<slug:name>/",
                self.admin_site.admin_view(self.action_page),
                name=f"{self.opts.app_label}_{self.opts.model_name}_action",
            )
        ]
        return urls + super().get_urls()


class ReadOnlyAdmin(TriageAdmin):
    """Records nobody edits here: events, recommendations, the register."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- filters -----------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("tenggat")
    parameter_name = "lewat_tenggat"

    def lookups(self, request, model_admin):
        return [("ya", _("Lewat tenggat"))]

    def queryset(self, request, queryset):
        if self.value() == "ya":
            return reports_overdue(queryset) if queryset.model is Report else cases_overdue(queryset)
        return queryset


class AssignedToMeFilter(admin.SimpleListFilter):
    title = _("penanganan")
    parameter_name = "ditangani"

    def lookups(self, request, model_admin):
        return [("saya", _("Ditangani saya")), ("belum", _("Belum ada yang menangani"))]

    def queryset(self, request, queryset):
        if self.value() == "saya":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "belum":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProvinsiFilter(admin.SimpleListFilter):
    """The provinsi of the incident region: 38 choices, whatever the size of the table."""

    title = _("provinsi")
    parameter_name = "provinsi"
    region_path = "region"

    def lookups(self, request, model_admin):
        return list(Region.objects.filter(level=RegionLevel.PROVINSI).order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        provinsi = _int_or_none(self.value())
        regions = Region.objects.filter(Q(pk=provinsi) | Q(parent_id=provinsi)).values("pk")
        return queryset.filter(**{f"{self.region_path}__in": regions})


class CaseProvinsiFilter(ProvinsiFilter):
    region_path = "report__region"


def instansi_choices(user) -> list[tuple[int, str]]:
    """Instansi a user may filter by: all for national bodies, else those of their provinsi and the pusat."""
    qs = Organisation.objects.filter(kind__in=INSTANSI_KINDS, is_active=True)
    scope = visibility.scope_for(user)
    if not scope.national:
        org = Organisation.objects.select_related("region").filter(pk=scope.organisation_id).first()
        region = org.region if org else None
        provinsi = None if region is None else (region.pk if region.level == RegionLevel.PROVINSI else region.parent_id)
        qs = qs.filter(
            Q(kind=OrganisationKind.KEMENTERIAN_LEMBAGA) | Q(region_id=provinsi) | Q(region__parent_id=provinsi)
        )
    return list(qs.order_by("name").values_list("pk", "name"))


class InstansiFilter(admin.SimpleListFilter):
    """The instansi of a terlapor (of any terlapor, on the report list)."""

    title = _("instansi terlapor")
    parameter_name = "instansi"

    def lookups(self, request, model_admin):
        return instansi_choices(request.user)

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        instansi = _int_or_none(self.value())
        if queryset.model is Report:
            # Only the cases this user may see: a shared report is not found by another instansi's ASN.
            cases = terlapor_visible_to(request.user).filter(report=OuterRef("pk"), instansi_id=instansi)
            return queryset.filter(Exists(cases))
        return queryset.filter(instansi_id=instansi)


class ViolationTypeFilter(admin.SimpleListFilter):
    """The catalogue code only (A1 … B13): the titles are paragraphs, too long for a sidebar."""

    title = _("dugaan pelanggaran")
    parameter_name = "pelanggaran"

    def lookups(self, request, model_admin):
        codes = list(ViolationType.objects.order_by("sort_order", "code").values_list("pk", "code"))
        return [*codes, ("tidak-tahu", _("Tidak tahu"))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() == "tidak-tahu":
            return queryset.filter(violation_type__isnull=True)
        return queryset.filter(violation_type_id=_int_or_none(self.value()))


def search_reports(queryset: QuerySet[Report], term: str, cases: QuerySet[Terlapor] | None = None) -> QuerySet[Report]:
    """Tracking code or NIP: exact (an index hit); otherwise an external number (exact), else a terlapor's name.

    Names and NIPs are searched among ``cases`` (the searching user's visible terlapor), so a
    report shared with another instansi is never found by that instansi's ASN. The number and
    the code are looked up first, one indexed query each: ORing them with the name scan would
    stop PostgreSQL from using a semi-join (seconds at a million reports).
    """
    cases = Terlapor.objects.all() if cases is None else cases
    term = term.strip()
    if not term:
        return queryset
    code = normalise_tracking_code(term)
    if code and term.upper().startswith("NTR"):
        return queryset.filter(tracking_code=code)
    if term.isdigit() and len(term) == 18:
        return queryset.filter(pk__in=cases.filter(nip=term).values("report_id"))
    by_number = queryset.filter(pk__in=ExternalReference.objects.filter(number=term).values("report_id"))
    if by_number.exists():
        return by_number
    if code and queryset.filter(tracking_code=code).exists():
        return queryset.filter(tracking_code=code)
    return queryset.filter(pk__in=cases.filter(name__icontains=term).values("report_id"))


def search_cases(queryset: QuerySet[Terlapor], term: str) -> QuerySet[Terlapor]:
    term = term.strip()
    if not term:
        return queryset
    code = normalise_tracking_code(term)
    if code and term.upper().startswith("NTR"):
        return queryset.filter(report__tracking_code=code)
    if term.isdigit() and len(term) == 18:
        return queryset.filter(nip=term)
    return queryset.filter(name__icontains=term)


def due_cell(due_date, *, finished: bool):
    if due_date is None:
        return "—"
    if not finished and due_date < timezone.localdate():
        return format_html(
            '<strong class="overdue">{} · {}</strong>', date_format(due_date, "SHORT_DATE_FORMAT"), _("lewat tenggat")
        )
    return date_format(due_date, "SHORT_DATE_FORMAT")


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
    triage_actions = admin_views.REPORT_ACTIONS

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
        # reports.sealed's "Buka identitas pelapor", which asks a reason and logs it (issue 8).
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
        admin_views.run_bulk(self, request, queryset, "verifikasi")

    @admin.action(description=_("Tangani sendiri laporan terpilih"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        admin_views.run_bulk(self, request, queryset, "tangani")

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
            except admin_views.REFUSALS as exc:
                refusal = admin_views.refusal_message(exc)
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
        for case in admin_views.cases_of(report, user):
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
        may_link = admin_views.REPORT_ACTIONS["tautkan"].offered(report, user)
        return {
            "triage_actions": [
                (action, self.action_url(report, action.name))
                for action in admin_views.offered_actions(self.triage_actions, report, user)
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
            "linked_reports": list(admin_views.visible_linked_reports(report, user).select_related("region")),
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
    triage_actions = admin_views.CASE_ACTIONS

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
                for action in admin_views.offered_actions(self.triage_actions, case, request.user)
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


# --- the register, recommendations, events, external numbers ----------------------------------


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
        return admin_views.letter_view(self, request, object_id)

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


from reports import admin_sealed  # noqa: E402, F401  (registers the sealed-data access log)
