"""Dashboards of follow-up and compliance: counts over the cases a staff user may see.

One page for the PPK (or Pj kepala daerah), the national viewers (Kemendagri,
KemenPANRB), BKN and Bawaslu, each over the cases reports.selectors.terlapor_visible_to
gives them; staff of an instansi count their own ASN only. Every figure is an
aggregate computed in the database, so the page costs the same handful of
queries for ten cases or ten thousand. Nothing of the reporter is read.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from netralitas import visibility
from netralitas.enums import INSTANSI_KINDS, PeriodPhase, RegionLevel
from netralitas.models import Election, Region
from netralitas.security import log_event
from reports.enums import CaseStatus
from reports.models import Terlapor
from reports.selectors import terlapor_visible_to
from sanctions.enums import Compliance
from sanctions.models import Block

VIOLATION_ROWS = 10
INSTANSI_ROWS = 20

# The columns of every table (and the CSV), in order: key, heading.
COLUMNS: list[tuple[str, str]] = [
    ("cases", gettext_lazy("ASN dilaporkan")),
    ("proven", gettext_lazy("Terbukti (direkomendasikan)")),
    ("not_proven", gettext_lazy("Tidak terbukti")),
    ("awaiting_ppk", gettext_lazy("Menunggu PPK")),
    ("sanctioned", gettext_lazy("Disanksi")),
    ("overdue", gettext_lazy("Melewati tenggat")),
    ("blocked", gettext_lazy("Diblokir BKN")),
    ("on_time", gettext_lazy("Tepat waktu")),
    ("late", gettext_lazy("Terlambat")),
    ("not_followed_up", gettext_lazy("Tidak ditindaklanjuti")),
]


def case_metrics() -> dict:
    """The aggregates of a set of cases, each one COUNT ... FILTER (the one-to-one joins never duplicate a case)."""
    active_block = Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True))
    return {
        "cases": Count("pk"),
        # Proven = a recommendation was issued, whatever happened to the case afterwards.
        "proven": Count("pk", filter=Q(recommendation__isnull=False)),
        "not_proven": Count("pk", filter=Q(case_status=CaseStatus.NOT_PROVEN)),
        "awaiting_ppk": Count("pk", filter=Q(case_status=CaseStatus.AWAITING_PPK)),
        "sanctioned": Count("pk", filter=Q(decision__isnull=False)),
        "overdue": Count("pk", filter=Q(overdue_since__isnull=False)),
        "blocked": Count("pk", filter=active_block),
        "on_time": Count("pk", filter=Q(decision__compliance=Compliance.ON_TIME)),
        "late": Count("pk", filter=Q(decision__compliance=Compliance.LATE)),
        # The deadline passed and still no decision.
        "not_followed_up": Count("pk", filter=Q(overdue_since__isnull=False, decision__isnull=True)),
    }


def followed_up_rate(row: dict) -> float | None:
    """Share of recommendations the PPK decided on, in percent (None when nothing was recommended)."""
    if not row["proven"]:
        return None
    return round(100 * row["sanctioned"] / row["proven"], 1)


@dataclass(frozen=True)
class DashboardFilter:
    election: Election | None = None
    provinsi: Region | None = None
    received_from: date | None = None
    received_until: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def dashboard_cases(user, where: DashboardFilter | None = None) -> QuerySet[Terlapor]:
    """The cases (terlapor) counted on ``user``'s dashboard, narrowed by ``where``.

    Visibility first (terlapor_visible_to); staff of an instansi (PPK, BKPSDM, Satgas) count
    the ASN of their own instansi only. The period is the report's received date in Asia/Jakarta,
    both ends included.
    """
    where = where or DashboardFilter()
    cases = terlapor_visible_to(user)
    scope = visibility.scope_for(user)
    if not scope.national and scope.organisation_kind in INSTANSI_KINDS:
        cases = cases.filter(instansi_id=scope.organisation_id)
    if where.election is not None:
        cases = cases.filter(report__election=where.election)
    if where.provinsi is not None:
        cases = cases.filter(Q(report__region=where.provinsi) | Q(report__region__parent=where.provinsi))
    if where.received_from is not None:
        cases = cases.filter(report__received_at__gte=_start_of(where.received_from))
    if where.received_until is not None:
        cases = cases.filter(report__received_at__lt=_start_of(where.received_until + timedelta(days=1)))
    return cases


def dashboard_totals(cases: QuerySet[Terlapor]) -> dict:
    """Every metric over ``cases`` (one query), with the followed-up rate."""
    row = cases.order_by().aggregate(**case_metrics())
    row["rate"] = followed_up_rate(row)
    return row


def _grouped(cases: QuerySet[Terlapor], keys: dict, order: list, limit: int | None) -> list[dict]:
    rows = cases.order_by().annotate(**keys).values(*keys).annotate(**case_metrics()).order_by(*order)
    rows = list(rows[:limit] if limit else rows)
    for row in rows:
        row["rate"] = followed_up_rate(row)
    return rows


def cases_by_violation(cases: QuerySet[Terlapor], limit: int | None = VIOLATION_ROWS) -> list[dict]:
    """Metrics per violation code (the recommendation's, else the report's), most cases first."""
    keys = {
        "code": Coalesce(F("recommendation__violation_type__code"), F("report__violation_type__code")),
        "title": Coalesce(F("recommendation__violation_type__title"), F("report__violation_type__title")),
    }
    return _grouped(cases, keys, ["-cases", F("code").asc(nulls_last=True)], limit)


def cases_by_instansi(cases: QuerySet[Terlapor], limit: int | None = INSTANSI_ROWS) -> list[dict]:
    """Metrics per instansi of the terlapor, most cases first (all of them when ``limit`` is None)."""
    keys = {"instansi_name": F("instansi__name"), "instansi_key": F("instansi_id")}
    return _grouped(cases, keys, ["-cases", "instansi_name", "instansi_key"], limit)


def cases_by_election_phase(cases: QuerySet[Terlapor]) -> list[dict]:
    """Metrics per election and phase of the incident, elections by name, phases in election order."""
    keys = {"election_name": F("report__election__name"), "phase": F("report__period_phase")}
    rows = _grouped(cases, keys, [], None)
    order = {value: index for index, value in enumerate(PeriodPhase.values)}
    rows.sort(key=lambda r: (r["election_name"] is None, r["election_name"] or "", order.get(r["phase"], 99)))
    for row in rows:
        row["phase_label"] = PeriodPhase(row["phase"]).label if row["phase"] in PeriodPhase.values else _("-")
    return rows


# --- interface -------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    election = forms.ModelChoiceField(
        label=gettext_lazy("Pemilihan"),
        queryset=Election.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Semua pemilihan"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    provinsi = forms.ModelChoiceField(
        label=gettext_lazy("Provinsi (tempat kejadian)"),
        queryset=Region.objects.filter(level=RegionLevel.PROVINSI).order_by("name"),
        required=False,
        empty_label=gettext_lazy("Semua provinsi"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    received_from = forms.DateField(
        label=gettext_lazy("Laporan diterima sejak"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    received_until = forms.DateField(
        label=gettext_lazy("sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_until")
        if start and end and start > end:
            self.add_error("received_until", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return cleaned

    def dashboard_filter(self) -> DashboardFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return DashboardFilter(
            election=data.get("election"),
            provinsi=data.get("provinsi"),
            received_from=data.get("received_from"),
            received_until=data.get("received_until"),
        )


def _check_access(request: HttpRequest) -> None:
    if visibility.scope_for(request.user).is_empty:
        raise PermissionDenied(_("Akun ini belum terdaftar pada organisasi mana pun."))


def _for_template(rows: list[dict]) -> list[dict]:
    """Each row's values in column order, and the largest case count (the full length of its bar)."""
    largest = max((row["cases"] for row in rows), default=0)
    for row in rows:
        row["values"] = [row[key] for key, _label in COLUMNS]
        row["bar_max"] = largest
    return rows


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _check_access(request)
    form = DashboardFilterForm(request.GET or None)
    cases = dashboard_cases(request.user, form.dashboard_filter())
    scope = visibility.scope_for(request.user)
    own_instansi = not scope.national and scope.organisation_kind in INSTANSI_KINDS
    totals = dashboard_totals(cases)
    context = {
        "form": form,
        "totals": totals,
        "summary": [(label, totals[key]) for key, label in COLUMNS],
        "columns": COLUMNS,
        "compliance": [
            (_("Tepat waktu"), totals["on_time"]),
            (_("Terlambat"), totals["late"]),
            (_("Tidak ditindaklanjuti"), totals["not_followed_up"]),
        ],
        "by_violation": _for_template(cases_by_violation(cases)),
        "by_instansi": _for_template(cases_by_instansi(cases, None if own_instansi else INSTANSI_ROWS)),
        "by_election": _for_template(cases_by_election_phase(cases)),
        "own_instansi": own_instansi,
        "instansi_rows": INSTANSI_ROWS,
        "violation_rows": VIOLATION_ROWS,
        "now": timezone.now(),
        "query": request.GET.urlencode(),
    }
    return render(request, "sanctions/dashboard.html", context)


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The per-instansi table of the dashboard, every row, with the same filters and visibility."""
    _check_access(request)
    form = DashboardFilterForm(request.GET or None)
    cases = dashboard_cases(request.user, form.dashboard_filter())
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dasbor-netralitas-{today:%Y%m%d}.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow([_("Instansi"), *(str(label) for _key, label in COLUMNS), _("Tindak lanjut (%)")])

    def line(name: str, row: dict) -> list[str]:
        rate = row["rate"]
        return [_cell(name), *(_cell(row[key]) for key, _label in COLUMNS), "" if rate is None else f"{rate:.1f}"]

    rows = cases_by_instansi(cases, None)
    for row in rows:
        writer.writerow(line(row["instansi_name"], row))
    writer.writerow(line(_("Jumlah"), dashboard_totals(cases)))
    log_event("export", request=request, what="dasbor per instansi", rows=len(rows), query=request.GET.urlencode())
    return response


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("instansi.csv", dashboard_csv, name="dashboard_csv"),
]
