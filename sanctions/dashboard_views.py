"""The /dasbor/ pages: the dashboard of the viewer's scope, its CSV, and (sanctions.exports) its files."""

from __future__ import annotations

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from netralitas import safecache, visibility
from netralitas.enums import RegionLevel
from netralitas.models import Election, Region
from netralitas.security import log_event
from reports.public.formfields import ReferenceChoiceField, election_choices, provinsi_choices
from reports.public.formrender import PLAIN_RENDERER
from reports.selectors import last_case_event_id, terlapor_visible_to
from sanctions import exports, pdfs
from sanctions.dashboards import (
    FIGURES_CACHE_SECONDS,
    INSTANSI_ROWS,
    LISTS_CACHE_SECONDS,
    VIOLATION_ROWS,
    DashboardFilter,
    Figures,
    View,
    cases_by_instansi,
    dashboard_cases,
    dashboard_figures,
    dashboard_lists,
    dashboard_totals,
    dashboard_view,
    lists_cache_key,
)
from sanctions.measures import COLUMNS


class DashboardFilterForm(forms.Form):
    default_renderer = PLAIN_RENDERER  # the widgets written in Python, byte for byte Django's templates
    # Options from the process's reference copies (no query, no server-side cursor per page).
    election = ReferenceChoiceField(
        Election.objects.order_by("name"),
        rows=election_choices,
        cache_key="dashboard-elections",
        label=gettext_lazy("Pemilihan"),
        required=False,
        empty_label=gettext_lazy("Semua pemilihan"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    provinsi = ReferenceChoiceField(
        Region.objects.filter(level=RegionLevel.PROVINSI).order_by("name"),
        rows=provinsi_choices,
        cache_key="dashboard-provinsi",
        label=gettext_lazy("Provinsi (tempat kejadian)"),
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


def check_access(request: HttpRequest) -> None:
    if visibility.scope_for(request.user).is_empty:
        raise PermissionDenied(_("Akun ini belum terdaftar pada organisasi mana pun."))


def _for_template(rows: list[dict]) -> list[dict]:
    """Each row's values in column order, and the largest case count (the full length of its bar)."""
    largest = max((row["cases"] for row in rows), default=0)
    for row in rows:
        row["values"] = [row[key] for key, _label in COLUMNS]
        row["bar_max"] = largest
    return rows


def chart_data(figures: Figures) -> dict:
    """What static/js/dashboard-charts.js draws (read from a json_script block): labels and series only."""
    return {
        "trend": {
            "labels": [row["week"].isoformat() for row in figures.trend],
            "series": [
                {"label": _("ASN dilaporkan"), "data": [row["cases"] for row in figures.trend]},
                {"label": _("Direkomendasikan"), "data": [row["proven"] for row in figures.trend]},
                {"label": _("Disanksi"), "data": [row["sanctioned"] for row in figures.trend]},
            ],
        },
        "violation": {
            "labels": [row["code"] or _("Belum diketahui") for row in figures.by_violation],
            "series": [{"label": _("ASN dilaporkan"), "data": [row["cases"] for row in figures.by_violation]}],
        },
        "jabatan": {
            "labels": [row["label"] for row in figures.by_jabatan],
            "series": [{"label": _("ASN dilaporkan"), "data": [row["cases"] for row in figures.by_jabatan]}],
        },
        "phase": {
            "labels": [row["phase_label"] for row in figures.by_phase],
            "series": [{"label": _("ASN dilaporkan"), "data": [row["cases"] for row in figures.by_phase]}],
        },
        "region": {
            "labels": [row["label"] for row in figures.by_region],
            "series": [
                {"label": _("ASN dilaporkan"), "data": [row["cases"] for row in figures.by_region]},
                {"label": _("Disanksi"), "data": [row["sanctioned"] for row in figures.by_region]},
            ],
        },
    }


def dashboard_context(request: HttpRequest, *, lists: bool = True) -> dict:
    """What the page shows around its sections (a fixed number of queries); ``lists``: with the due-soon and
    overdue lists, counted now (the page reads them through _list_fragment instead)."""
    form = DashboardFilterForm(request.GET or None)
    where = form.dashboard_filter()
    figures = dashboard_figures(request.user, where)
    view = dashboard_view(request.user)
    context = {
        "nav": "dashboard",
        "form": form,
        "where": where,
        "view": view,
        "figures": figures,
        "totals": figures.totals,
        "own_instansi": view == View.INSTANSI,
        "now": timezone.now(),
        "query": request.GET.urlencode(),
        "export_urls": [
            (_("Unduh daftar perkara (CSV)"), reverse("dashboard_cases_csv")),
            (_("Unduh daftar perkara (XLSX)"), reverse("dashboard_cases_xlsx")),
            (_("Unduh dasbor (PDF)"), reverse("dashboard_pdf")),
        ],
    }
    if lists:
        context.update(dashboard_lists(request.user, where, worst_ppk=figures.worst_ppk))
    return context


def figure_context(context: dict) -> dict:
    """The entries the summary and figure sections (and the PDF) read, from the context's figures."""
    figures = context["figures"]
    totals = figures.totals
    return {
        "summary": [(label, totals[key]) for key, label in COLUMNS],
        "columns": COLUMNS,
        "compliance": [
            (_("Tepat waktu"), totals["on_time"]),
            (_("Terlambat"), totals["late"]),
            (_("Tidak ditindaklanjuti"), totals["not_followed_up"]),
        ],
        "by_violation": _for_template(figures.by_violation),
        "by_instansi": _for_template(figures.by_instansi),
        "by_election": _for_template(figures.by_election),
        "by_phase": figures.by_phase,
        "by_jabatan": figures.by_jabatan,
        "by_region": figures.by_region,
        "trend": figures.trend,
        "chart_data": chart_data(figures),
        "instansi_rows": INSTANSI_ROWS,
        "violation_rows": VIOLATION_ROWS,
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    check_access(request)
    context = dashboard_context(request, lists=False)
    context.update(_figure_fragments(context))
    context.update(_list_fragment(request, context))
    return render(request, "sanctions/dashboard.html", context)


FRAGMENTS = {"summary_html": "sanctions/_dashboard_summary.html", "figures_html": "sanctions/_dashboard_figures.html"}


def _figure_fragments(context: dict) -> dict:
    """The page's summary and figure sections as HTML, cached with figures from the rollup.

    They depend on the figures only (Figures.cache_key names them: scope, filter, rebuild,
    language), so users of one scope render them once per rebuild; live figures render each time.
    When rendered, the entries they were rendered from come along (figure_context).
    """
    key = context["figures"].cache_key
    fragments = safecache.get(f"{key}:html") if key else None
    entries = {}
    if fragments is None:
        entries = figure_context(context)
        fragments = {name: render_to_string(template, {**context, **entries}) for name, template in FRAGMENTS.items()}
        if key:
            safecache.add(f"{key}:html", fragments, FIGURES_CACHE_SECONDS)
    return {**entries, **{name: mark_safe(html) for name, html in fragments.items()}}  # noqa: S308 - our templates


def _list_fragment(request: HttpRequest, context: dict) -> dict:
    """The due-soon and overdue lists (and the PPKs most behind) with their HTML, shared by a scope for up to
    LISTS_CACHE_SECONDS and never older than the last case transition (lists_cache_key)."""
    today = timezone.localdate()
    figures = context["figures"]
    key = lists_cache_key(request.user, context["where"], today, last_case_event_id(), figures.refreshed_at)
    cached = safecache.get(key)
    now = timezone.now()
    # The age is checked here too, by the portal's clock: the cache's own expiry runs on the cache server's.
    if cached is None or (now - cached["lists"]["lists_at"]).total_seconds() >= LISTS_CACHE_SECONDS:
        lists = dashboard_lists(request.user, context["where"], today, worst_ppk=figures.worst_ppk)
        lists["lists_at"] = now
        html = render_to_string("sanctions/_dashboard_lists.html", {**context, **lists})
        cached = {"lists": lists, "html": html}
        safecache.set(key, cached, LISTS_CACHE_SECONDS)
    return {**cached["lists"], "lists_html": mark_safe(cached["html"])}  # noqa: S308 - our template's output


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return exports.neutralise(value)


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The per-instansi table of the dashboard, every row, with the same filters and visibility."""
    check_access(request)
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


def _filtered_cases(request: HttpRequest):
    return dashboard_cases(request.user, DashboardFilterForm(request.GET or None).dashboard_filter())


@login_required
@require_GET
def case_list_csv(request: HttpRequest) -> HttpResponse:
    """Every case of the dashboard the user may see, with its filters: UTF-8 BOM, ';', formulas neutralised."""
    check_access(request)
    rows = exports.case_list_rows(_filtered_cases(request))
    log_event("export", request=request, what="daftar perkara CSV", rows=len(rows) - 1, query=request.GET.urlencode())
    return exports.csv_response(rows, f"perkara-netralitas-{timezone.localdate():%Y%m%d}.csv")


@login_required
@require_GET
def case_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The same rows as case_list_csv in an XLSX (dates and numbers typed)."""
    check_access(request)
    rows = exports.case_list_rows(_filtered_cases(request))
    log_event("export", request=request, what="daftar perkara XLSX", rows=len(rows) - 1, query=request.GET.urlencode())
    return exports.xlsx_response(rows, f"perkara-netralitas-{timezone.localdate():%Y%m%d}.xlsx", title=_("Perkara"))


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    """The dashboard the user sees, on one A4 page."""
    check_access(request)
    context = dashboard_context(request)
    data = pdfs.dashboard_pdf({**context, **figure_context(context)})
    log_event("export", request=request, what="dasbor PDF", query=request.GET.urlencode())
    return _pdf(data, f"dasbor-netralitas-{timezone.localdate():%Y%m%d}.pdf")


@login_required
@require_GET
def case_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One case the user may see, summarised for the PPK's file (404 for any other)."""
    check_access(request)
    cases = terlapor_visible_to(request.user).select_related(
        "report__region", "report__election", "instansi", "recommendation__violation_type", "decision__sanction_kind"
    )
    terlapor = get_object_or_404(cases, pk=pk)
    log_event("export", request=request, what="ringkasan perkara PDF", case=terlapor.pk)
    return _pdf(pdfs.case_summary_pdf(terlapor), f"ringkasan-perkara-{terlapor.pk}.pdf")


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("instansi.csv", dashboard_csv, name="dashboard_csv"),
    path("perkara.csv", case_list_csv, name="dashboard_cases_csv"),
    path("perkara.xlsx", case_list_xlsx, name="dashboard_cases_xlsx"),
    path("dasbor.pdf", dashboard_pdf, name="dashboard_pdf"),
    path("perkara/<int:pk>/ringkasan.pdf", case_summary_pdf, name="case_summary_pdf"),
]
