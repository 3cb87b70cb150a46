"""The reports app's steps for the reminder engine (netralitas.reminders).

Verification (the intake organisation), the reporter's completion (the reporter before the due
date, the intake's verifiers after it), Bawaslu's kajian, and the recommending authority's
clarification and recommendation. Each due() is one indexed query on (status, due_date) that
returns only open items: a finished report or case has no due date (reports.workflow clears it).
Also the "new reports" part of the daily campaign digest.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy

from netralitas import refcache, reminders
from netralitas.enums import NATIONAL_KINDS, DeadlineStep
from netralitas.models import Organisation, Region
from reports.enums import CaseStatus, ReportStatus
from reports.models import Report, Terlapor
from reports.selectors import reports_visible_to

VERIFYING = (ReportStatus.RECEIVED, ReportStatus.VERIFYING)
KAJIAN = (ReportStatus.REGISTERED, ReportStatus.KAJIAN)
KAJIAN_STEPS = (DeadlineStep.BAWASLU_KAJIAN, DeadlineStep.BAWASLU_KAJIAN_EXTENSION)
AT_AUTHORITY = (CaseStatus.CLARIFICATION, CaseStatus.RECOMMENDED)

# One table only: a join to the regions lets the planner pick a nested loop over all regions when its
# estimate of the due rows is low (seen at 1 M reports); region names come from the process's copy.
_REPORT_FIELDS = ("pk", "tracking_code", "due_date", "intake_organisation_id", "region_id", "reporter_email")


def _national_organisations() -> tuple[int, ...]:
    """Who holds the national queue (reports without an intake organisation)."""
    return refcache.cached(
        "national-organisations",
        lambda: tuple(
            Organisation.objects.filter(kind__in=NATIONAL_KINDS, is_active=True).values_list("pk", flat=True)
        ),
    )


def _region_names() -> dict[int, str]:
    return refcache.cached("region-names", lambda: dict(Region.objects.values_list("pk", "name")))


# ---------------------------------------------------------------- report steps


def _report_step(key: str, statuses, due_steps, *, with_reporter: bool = False):
    """due() and recheck() of a step on reports in ``statuses`` whose clock is one of ``due_steps``."""

    def item(row: tuple, national: tuple[int, ...], regions: dict[int, str]) -> reminders.DueItem:
        pk, code, due_date, intake_id, region_id, reporter_email = row
        url = reverse("admin:reports_report_change", args=[pk])
        return reminders.DueItem(
            subject=f"{key}:{pk}",
            due_date=due_date,
            title=f"{code} · {regions.get(region_id, '')}",
            url=url,
            organisation_ids=(intake_id,) if intake_id else national,
            region_id=region_id,
            reporter_email=reporter_email if with_reporter else "",
            supervisor_url=url,
        )

    def rows():
        return Report.objects.filter(status__in=statuses, due_step__in=due_steps).values_list(*_REPORT_FIELDS)

    def items(found: list[tuple]) -> list[reminders.DueItem]:
        national = _national_organisations() if any(row[3] is None for row in found) else ()
        regions = _region_names() if found else {}
        return [item(row, national, regions) for row in found]

    def due(query: reminders.DueQuery) -> Iterable[reminders.DueItem]:
        return items(list(rows().filter(query.q()).order_by("due_date", "pk")))

    def recheck(subject: str) -> reminders.DueItem | None:
        found = items(list(rows().filter(pk=reminders.subject_pk(subject), due_date__isnull=False)[:1]))
        return found[0] if found else None

    return due, recheck


_verification = _report_step("reports.verification", VERIFYING, (DeadlineStep.SATGAS_VERIFICATION,))
reminders.register_step(
    reminders.Step(
        key="reports.verification",
        title=gettext_lazy("Verifikasi laporan"),
        order=10,
        due=_verification[0],
        recheck=_verification[1],
        permission="reports.verify_report",
        deadline_step=DeadlineStep.SATGAS_VERIFICATION,
    )
)

_completion = _report_step(
    "reports.completion", (ReportStatus.NEEDS_COMPLETION,), (DeadlineStep.REPORTER_COMPLETION,), with_reporter=True
)
reminders.register_step(
    reminders.Step(
        key="reports.completion",
        title=gettext_lazy("Kelengkapan laporan dari pelapor"),
        order=20,
        due=_completion[0],
        recheck=_completion[1],
        permission="reports.verify_report",
        deadline_step=DeadlineStep.REPORTER_COMPLETION,
        reporter=True,
    )
)

_kajian = _report_step("reports.kajian", KAJIAN, KAJIAN_STEPS)
reminders.register_step(
    reminders.Step(
        key="reports.kajian",
        title=gettext_lazy("Kajian Bawaslu"),
        order=30,
        due=_kajian[0],
        recheck=_kajian[1],
        permission="reports.assess_report",
        deadline_step=DeadlineStep.BAWASLU_KAJIAN,
    )
)


# ---------------------------------------------------------------- at the recommending authority

_CASE_FIELDS = ("pk", "name", "due_date", "authority__organisation_id", "report__tracking_code", "report__region_id")


def _authority_item(row: tuple) -> reminders.DueItem:
    pk, name, due_date, organisation_id, code, region_id = row
    url = reverse("admin:reports_terlapor_change", args=[pk])
    return reminders.DueItem(
        subject=f"reports.authority:{pk}",
        due_date=due_date,
        title=f"{name} · {code}",
        url=url,
        organisation_ids=(organisation_id,) if organisation_id else (),
        region_id=region_id,
        supervisor_title=code,
        supervisor_url=url,
    )


def _authority_rows():
    return Terlapor.objects.filter(case_status__in=AT_AUTHORITY, due_step=DeadlineStep.AUTHORITY_ACTION).values_list(
        *_CASE_FIELDS
    )


def _authority_due(query: reminders.DueQuery) -> list[reminders.DueItem]:
    return [_authority_item(row) for row in _authority_rows().filter(query.q()).order_by("due_date", "pk")]


def _authority_recheck(subject: str) -> reminders.DueItem | None:
    row = _authority_rows().filter(pk=reminders.subject_pk(subject), due_date__isnull=False).first()
    return _authority_item(row) if row else None


reminders.register_step(
    reminders.Step(
        key="reports.authority",
        title=gettext_lazy("Klarifikasi dan rekomendasi"),
        order=40,
        due=_authority_due,
        recheck=_authority_recheck,
        permission="reports.issue_recommendation",
        deadline_step=DeadlineStep.AUTHORITY_ACTION,
    )
)


# ---------------------------------------------------------------- the daily campaign digest: new reports


def _new_reports(user, since, until, limit: int) -> tuple[int, list[reminders.DigestLine]]:
    qs = reports_visible_to(user).filter(received_at__gte=since, received_at__lt=until)
    count = qs.count()
    rows = list(qs.select_related("region").order_by("received_at", "pk")[:limit]) if count else []
    return count, [
        reminders.DigestLine(
            r.tracking_code,
            f"{r.get_status_display()} · {r.region.name}",
            reverse("admin:reports_report_change", args=[r.pk]),
        )
        for r in rows
    ]


reminders.register_digest_section(
    reminders.DigestSection(
        key="reports.new",
        title=gettext_lazy("Laporan baru kemarin"),
        order=10,
        applies=lambda user: user.has_perm("reports.view_report"),
        fetch=_new_reports,
    )
)
