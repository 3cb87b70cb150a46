"""Reads of reports, and the one visibility rule of each reports model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas import visibility
from netralitas.enums import INSTANSI_KINDS
from reports.enums import CASE_OUTCOMES, REPORT_FINISHED, EventKind
from reports.models import (
    CaseEvent,
    Clarification,
    Evidence,
    ExternalReference,
    Kajian,
    Person,
    Recommendation,
    Report,
    ReportEvent,
    Terlapor,
)


@visibility.register(Report)
def reports_visible_to(user) -> QuerySet[Report]:
    """Reports ``user`` may see (domain.md §8).

    National bodies see all; Bawaslu sees its region (a provinsi also its kab/kota);
    an instansi (pemda, ministry) sees reports it received or that name its ASN.
    """
    scope = visibility.scope_for(user)
    qs = Report.objects.all()
    if scope.national:
        return qs
    # organisation_ids: the user's organisation, plus what a scope contributor adds (a Satgas's pemda).
    if not scope.organisation_ids and not scope.region_ids:
        return qs.none()
    mine = Q(intake_organisation_id__in=scope.organisation_ids)
    if scope.region_ids:
        mine |= Q(region_id__in=scope.region_ids)
    names_our_asn = Exists(Terlapor.objects.filter(report=OuterRef("pk"), instansi_id__in=scope.organisation_ids))
    return qs.filter(mine | names_our_asn)


@visibility.register(Terlapor)
def terlapor_visible_to(user) -> QuerySet[Terlapor]:
    """Cases (terlapor) ``user`` may see: those of the reports they may see, one ASN at a time for an instansi.

    Staff of an instansi (its BKPSDM operator, its Satgas, its PPK) see the cases of their own
    ASN only, even on a report that also names another instansi's ASN (issue 8): not that ASN's
    name, NIP, letters, decision, SK or events. An instansi that received a report naming none
    of its own ASN (it verifies as an outsider) sees every case of it. Everything that belongs
    to a case (recommendations, decisions, blocks, events, the register) follows this rule.
    A Satgas member sees, besides, the cases of the pemda whose Satgas they serve on (issue 13:
    scope.organisation_ids, from taskforce's scope contributor), one instansi at a time in the same way.
    """
    scope = visibility.scope_for(user)
    if scope.national:
        return Terlapor.objects.all()
    if not scope.organisation_ids and not scope.region_ids:
        return Terlapor.objects.none()
    if scope.organisation_kind in INSTANSI_KINDS:
        ids = scope.organisation_ids
        ours = Terlapor.objects.filter(report=OuterRef("report_id"), instansi_id__in=ids)
        return Terlapor.objects.filter(
            Q(instansi_id__in=ids) | (Q(report__intake_organisation_id__in=ids) & ~Exists(ours))
        )
    return Terlapor.objects.filter(report__in=reports_visible_to(user).values("pk"))


@visibility.register(Evidence)
def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence of the reports ``user`` may see; drafts (no report yet) are nobody's."""
    scope = visibility.scope_for(user)
    if scope.national:
        return Evidence.objects.filter(report__isnull=False)
    return Evidence.objects.filter(report__in=reports_visible_to(user).values("pk"))


report_events_visible_to = visibility.register_follows(ReportEvent, "report", reports_visible_to)


@visibility.register(Person)
def persons_visible_to(user) -> QuerySet[Person]:
    """Register entries with at least one case in a report ``user`` may see."""
    scope = visibility.scope_for(user)
    if scope.national:
        return Person.objects.all()
    return Person.objects.filter(pk__in=terlapor_visible_to(user).filter(person__isnull=False).values("person_id"))


case_events_visible_to = visibility.register_follows(CaseEvent, "terlapor", terlapor_visible_to)


recommendations_visible_to = visibility.register_follows(Recommendation, "terlapor", terlapor_visible_to)


external_references_visible_to = visibility.register_follows(ExternalReference, "report", reports_visible_to)


kajian_visible_to = visibility.register_follows(Kajian, "report", reports_visible_to)


clarifications_visible_to = visibility.register_follows(Clarification, "terlapor", terlapor_visible_to)


# --- Triage reads (issue 4): overdue steps and the case timeline -----------------------------


def reports_overdue(reports: QuerySet[Report], *, today: date | None = None) -> QuerySet[Report]:
    """Reports of ``reports`` whose current step is past its due date (today in Asia/Jakarta) and still open."""
    today = today or timezone.localdate()
    return reports.filter(due_date__lt=today).exclude(status__in=REPORT_FINISHED)


def cases_overdue(cases: QuerySet[Terlapor], *, today: date | None = None) -> QuerySet[Terlapor]:
    """Cases of ``cases`` whose current step is past its due date and that have not reached an outcome."""
    today = today or timezone.localdate()
    return cases.filter(due_date__lt=today).exclude(case_status__in=CASE_OUTCOMES)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a report's timeline: a ReportEvent or a CaseEvent of one of its terlapor."""

    at: datetime
    what: str
    from_label: str
    to_label: str
    actor: str
    note: str
    public_message: str
    is_public: bool
    terlapor: str = ""


def _actor_name(actor, *, fallback: str) -> str:
    if actor is None:
        return fallback
    return actor.get_full_name() or actor.username


def report_timeline(report: Report, user=None) -> list[TimelineEntry]:
    """Report events and the case events of its terlapor ``user`` may see, oldest first, with actor names.

    Two queries. Case events are internal: the reporter's status page never shows them. Without
    ``user`` every case is included (for callers that already decided who reads the timeline).
    """
    reporter_kinds = {EventKind.SUBMITTED, EventKind.REPORTER_ADDED, EventKind.WITHDRAWN}
    entries = [
        TimelineEntry(
            at=e.created_at,
            what=e.get_kind_display(),
            from_label=e.get_from_status_display() if e.from_status else "",
            to_label=e.get_to_status_display() if e.to_status else "",
            actor=_actor_name(e.actor, fallback=_("Pelapor") if e.kind in reporter_kinds else _("Sistem")),
            note=e.note,
            public_message=e.public_message,
            is_public=e.is_public,
        )
        for e in report.events.select_related("actor").order_by("created_at", "id")
    ]
    entries += [
        TimelineEntry(
            at=e.created_at,
            what=_("Status perkara berubah"),
            from_label=e.get_from_status_display() if e.from_status else "",
            to_label=e.get_to_status_display(),
            actor=_actor_name(e.actor, fallback=_("Sistem")),
            note=e.note,
            public_message="",
            is_public=False,
            terlapor=e.terlapor.name,
        )
        for e in (CaseEvent.objects if user is None else visibility.visible_to(CaseEvent, user))
        .filter(terlapor__report=report)
        .select_related("actor", "terlapor")
        .order_by("created_at", "id")
    ]
    return sorted(entries, key=lambda entry: entry.at)


def case_timeline(terlapor: Terlapor) -> list[TimelineEntry]:
    """The case events of one terlapor, oldest first, with actor names (one query)."""
    return [
        TimelineEntry(
            at=e.created_at,
            what=_("Status perkara berubah"),
            from_label=e.get_from_status_display() if e.from_status else "",
            to_label=e.get_to_status_display(),
            actor=_actor_name(e.actor, fallback=_("Sistem")),
            note=e.note,
            public_message="",
            is_public=False,
            terlapor=terlapor.name,
        )
        for e in terlapor.events.select_related("actor").order_by("created_at", "id")
    ]


def possible_duplicates_visible_to(user, report: Report) -> QuerySet[Report]:
    """reports.register.possible_duplicates of ``report``, narrowed to what ``user`` may see."""
    from reports.register import possible_duplicates

    # The candidates are few: fetch their ids first, so the visibility rule runs on a handful of rows.
    candidates = list(possible_duplicates(report).values_list("pk", flat=True)[:100])
    return reports_visible_to(user).filter(pk__in=candidates).order_by("incident_date", "pk")


def last_case_event_id() -> int:
    """The newest case event's id (0 when none): it changes whenever a case moves, as every transition records
    one (reports.workflow.transition_case), so a cache keyed on it is never older than the last transition."""
    return CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
