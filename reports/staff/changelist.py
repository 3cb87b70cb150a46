"""What every triage changelist of the admin shares: counting without COUNT(*), the base admins, filters, search.

Changelists stay fast at a million rows: list_select_related, no facet or full counts, and
CappedCountPaginator. Every admin stands on netralitas.admin.VisibleToUserAdmin (its queryset is
the model's visibility rule, and a foreign or missing id is a 404, never the admin's "perhaps it
was deleted" redirect).
"""

from __future__ import annotations

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
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
from reports.models import ExternalReference, Report, Terlapor
from reports.pins import normalise_tracking_code
from reports.selectors import (
    cases_overdue,
    reports_overdue,
    terlapor_visible_to,
)
from reports.staff import action_views
from reports.staff.actions import Action

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
    triage_actions: dict[str, Action] = {}

    def action_url(self, obj, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_action", args=[obj.pk, name])

    def action_page(self, request, object_id: str, name: str):
        return action_views.action_view(self, request, object_id, name, self.triage_actions)

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
