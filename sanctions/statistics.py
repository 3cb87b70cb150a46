"""/statistik/: the public figures (issue 15), aggregates only, from the dashboard rollup, cached.

No name of a reporter or a terlapor: only counts per election, provinsi, violation code, outcome and
pemda. A count from 1 to 4 is suppressed (shown as "<5") so that nobody in a small instansi can be
singled out, and so is a rate computed from a suppressed count. Celery rebuilds the rollup and this
page's data every few minutes (sanctions.refresh_statistics); a request reads the cache, and on a
miss the rollup (never the cases).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from netralitas import safecache
from netralitas.enums import PEMDA_KINDS, RegionLevel
from netralitas.models import Election, Organisation, Region
from reports.enums import CaseStatus
from sanctions import exports, rollup

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
CACHE_SECONDS = 24 * 3600
CACHE_KEY = "statistik:v1:{election}"
HTML_CACHE_KEY = "statistik:html:v1:{election}:{language}:{at}"
FIGURES = ("cases", "proven", "sanctioned", "not_proven")
FOLLOW_UP = ("proven", "on_time", "late", "not_followed_up")


def suppress(value: int) -> int | None:
    """``value``, or None (shown as "<5") when it is between 1 and 4."""
    return None if 0 < value < SUPPRESS_BELOW else value


def _rate(part: int, whole: int, *inputs: int) -> float | None:
    if not whole or any(suppress(value) is None for value in (whole, *inputs)):
        return None
    return round(100 * part / whole, 1)


def _status_order(status: str) -> int:
    return CaseStatus.values.index(status) if status in CaseStatus.values else 99


def _row(label: str, row: dict, keys=FIGURES) -> dict:
    out = {"label": label, **{key: suppress(row.get(key, 0)) for key in keys}}
    out["rate"] = _rate(row.get("sanctioned", 0), row.get("proven", 0), row.get("sanctioned", 0))
    return out


def build_statistics(election_id: int | None = None) -> dict:
    """The public figures (all elections, or one), suppressed, as JSON-ready data (four queries over the rollup)."""
    refreshed_at = rollup.rollup_refreshed_at()
    kinds: dict[str, list[dict]] = {}
    for row in rollup.rollup_rows(election_id=election_id):
        kinds.setdefault(row["kind"], []).append(row)
    total = (kinds.get("total") or [dict.fromkeys(FIGURES, 0)])[0]
    provinsi = dict(Region.objects.filter(level=RegionLevel.PROVINSI).values_list("pk", "name"))
    elections = dict(Election.objects.values_list("pk", "name"))
    pemda_ids = {
        str(pk) for pk in Organisation.objects.filter(kind__in=PEMDA_KINDS).values_list("pk", flat=True).iterator()
    }
    statuses = dict(CaseStatus.choices)

    by_election: dict[str, dict] = {}
    for row in kinds.get("election_phase", []):
        name = row["label"] or _("Tanpa pemilihan")
        into = by_election.setdefault(name, dict.fromkeys(FIGURES, 0))
        for key in FIGURES:
            into[key] += row[key]
    by_region = sorted(
        (_row(provinsi.get(int(r["key"]), _("-")) if r["key"] else _("-"), r) for r in kinds.get("region", [])),
        key=lambda r: r["label"],
    )
    by_violation = sorted(
        (_row(r["key"] or _("Belum diketahui"), {**r}) | {"title": r["label"]} for r in kinds.get("violation", [])),
        key=lambda r: (r["label"] == _("Belum diketahui"), len(r["label"]), r["label"]),
    )
    by_outcome = [
        {"label": str(statuses.get(r["key"], r["key"])), "cases": suppress(r["cases"])}
        for r in sorted(kinds.get("outcome", []), key=lambda r: _status_order(r["key"]))
    ]
    follow_up = []
    for r in kinds.get("instansi", []):
        if r["key"] not in pemda_ids or not r["proven"]:
            continue
        follow_up.append(
            {
                "label": r["label"],
                **{key: suppress(r[key]) for key in FOLLOW_UP},
                "on_time_rate": _rate(r["on_time"], r["proven"], r["on_time"], r["late"], r["not_followed_up"]),
                "late_rate": _rate(r["late"], r["proven"], r["on_time"], r["late"], r["not_followed_up"]),
                "not_followed_up_rate": _rate(
                    r["not_followed_up"], r["proven"], r["on_time"], r["late"], r["not_followed_up"]
                ),
            }
        )
    follow_up.sort(key=lambda r: r["label"])
    return {
        "election": elections.get(election_id) if election_id else None,
        "refreshed_at": refreshed_at.isoformat() if refreshed_at else None,
        "totals": _row(_("Jumlah"), total),
        "by_election": [_row(name, row) for name, row in sorted(by_election.items())],
        "by_region": by_region,
        "by_violation": by_violation,
        "by_outcome": by_outcome,
        "follow_up": follow_up,
    }


def public_statistics(election_id: int | None = None) -> dict:
    """The cached figures; built from the rollup (and cached) on a miss."""
    key = CACHE_KEY.format(election=election_id or "all")
    data = safecache.get(key)
    if data is None:
        data = build_statistics(election_id)
        safecache.add(key, data, CACHE_SECONDS)
    return data


def refresh_public_statistics() -> int:
    """Rebuild the rollup, then the cached figures of every election and of all together; returns the entries.

    Side effects: replaces sanctions.DashboardRollup and the statistics cache entries.
    """
    rollup.refresh_dashboard_rollup()
    ids = [None, *Election.objects.values_list("pk", flat=True)]
    for election_id in ids:
        key = CACHE_KEY.format(election=election_id or "all")
        data = build_statistics(election_id)
        safecache.delete(key)
        safecache.add(key, data, CACHE_SECONDS)
    return len(ids)


# --- interface -------------------------------------------------------------------------------


def _election_id(request: HttpRequest) -> int | None:
    value = request.GET.get("pemilihan", "")
    return int(value) if value.isdigit() and Election.objects.filter(pk=int(value)).exists() else None


def _chart_data(data: dict) -> dict:
    def series(rows, label_key="label"):
        return {
            "labels": [row[label_key] for row in rows],
            "series": [
                {"label": _("ASN dilaporkan"), "data": [row["cases"] for row in rows]},
                {"label": _("Disanksi"), "data": [row["sanctioned"] for row in rows]},
            ],
        }

    return {"region": series(data["by_region"]), "violation": series(data["by_violation"])}


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """The page: its body rendered once per refresh, election and language, then served from the cache."""
    election_id = _election_id(request)
    data = public_statistics(election_id)
    key = HTML_CACHE_KEY.format(election=election_id or "all", language=get_language(), at=data["refreshed_at"])
    body = safecache.get(key)
    if body is None:
        context = {
            "data": data,
            "refreshed_at": parse_datetime(data["refreshed_at"]) if data["refreshed_at"] else None,
            "elections": list(Election.objects.order_by("name").values_list("pk", "name")),
            "election_id": election_id,
            "chart_data": _chart_data(data),
            "suppressed": SUPPRESSED,
            "query": f"pemilihan={election_id}" if election_id else "",
        }
        body = render_to_string("sanctions/_statistics_body.html", context)
        safecache.add(key, body, CACHE_SECONDS)
    # Rendered from our template with autoescaping; only the cache stood in between.
    return render(request, "sanctions/statistics.html", {"data": data, "body": mark_safe(body)})  # noqa: S308


def statistics_rows(data: dict) -> list[list]:
    """Every aggregate of the page as rows (table, key, figures...): what the CSV and the XLSX hold."""
    header = [
        _("Tabel"),
        _("Kelompok"),
        _("ASN dilaporkan"),
        _("Terbukti"),
        _("Disanksi"),
        _("Tindak lanjut (%)"),
        _("Tepat waktu"),
        _("Terlambat"),
        _("Tidak ditindaklanjuti"),
    ]
    rows = [header]

    def shown(value):
        return SUPPRESSED if value is None else value

    def line(table, row):
        return [
            table,
            row["label"],
            shown(row.get("cases")),
            shown(row.get("proven")),
            shown(row.get("sanctioned")),
            "" if row.get("rate") is None else row["rate"],
            "",
            "",
            "",
        ]

    rows.append(line(_("Jumlah"), data["totals"]))
    rows += [line(_("Pemilihan"), row) for row in data["by_election"]]
    rows += [line(_("Provinsi"), row) for row in data["by_region"]]
    rows += [line(_("Kode pelanggaran"), row) for row in data["by_violation"]]
    for row in data["by_outcome"]:
        rows.append([_("Status perkara"), row["label"], shown(row["cases"]), "", "", "", "", "", ""])
    for row in data["follow_up"]:
        rows.append(
            [
                _("Tindak lanjut per pemda"),
                row["label"],
                "",
                shown(row["proven"]),
                "",
                "",
                shown(row["on_time"]),
                shown(row["late"]),
                shown(row["not_followed_up"]),
            ]
        )
    return rows


def _filename(request: HttpRequest, ext: str) -> str:
    return f"statistik-netralitas-{timezone.localdate():%Y%m%d}.{ext}"


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    rows = statistics_rows(public_statistics(_election_id(request)))
    return exports.csv_response(rows, _filename(request, "csv"))


@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    rows = statistics_rows(public_statistics(_election_id(request)))
    return exports.xlsx_response(rows, _filename(request, "xlsx"), title=_("Statistik netralitas ASN"))


urlpatterns = [
    path("", statistics_page, name="statistics"),
    path("statistik.csv", statistics_csv, name="statistics_csv"),
    path("statistik.xlsx", statistics_xlsx, name="statistics_xlsx"),
]
