"""Reads of reports, and the one visibility rule of each reports model."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from netralitas import visibility
from netralitas.enums import Role
from reports.enums import Confidentiality
from reports.models import (
    CaseEvent,
    Evidence,
    ExternalReference,
    Person,
    Recommendation,
    Report,
    ReportEvent,
    Terlapor,
)

# Roles that verify reports at the intake organisation and so may know who reported.
VERIFIER_ROLES = frozenset({Role.OPERATOR, Role.SATGAS, Role.BAWASLU})


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
    if scope.organisation_id is None:
        return qs.none()
    mine = Q(intake_organisation_id=scope.organisation_id)
    if scope.region_ids:
        mine |= Q(region_id__in=scope.region_ids)
    names_our_asn = Exists(Terlapor.objects.filter(report=OuterRef("pk"), instansi_id=scope.organisation_id))
    return qs.filter(mine | names_our_asn)


@visibility.register(Terlapor)
def terlapor_visible_to(user) -> QuerySet[Terlapor]:
    """Terlapor of the reports ``user`` may see."""
    scope = visibility.scope_for(user)
    if scope.national:
        return Terlapor.objects.all()
    return Terlapor.objects.filter(report__in=reports_visible_to(user).values("pk"))


def can_see_reporter_identity(user, report: Report) -> bool:
    """Only the intake organisation's verifiers may know who reported (domain.md §8).

    Never the PPK, never an officer of a terlapor's instansi other than its Satgas,
    and nobody for an anonymous report.
    """
    if report.confidentiality == Confidentiality.ANONYMOUS:
        return False
    scope = visibility.scope_for(user)
    if scope.organisation_id is None or scope.role not in VERIFIER_ROLES:
        return False
    if not user.has_perm("reports.view_reporter_identity"):
        return False
    if report.intake_organisation_id != scope.organisation_id:
        return False
    if scope.role == Role.SATGAS:
        return True
    return not report.terlapor.filter(instansi_id=scope.organisation_id).exists()


@visibility.register(Evidence)
def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence of the reports ``user`` may see; drafts (no report yet) are nobody's."""
    scope = visibility.scope_for(user)
    if scope.national:
        return Evidence.objects.filter(report__isnull=False)
    return Evidence.objects.filter(report__in=reports_visible_to(user).values("pk"))


@visibility.register(ReportEvent)
def report_events_visible_to(user) -> QuerySet[ReportEvent]:
    """Events of the reports ``user`` may see."""
    scope = visibility.scope_for(user)
    if scope.national:
        return ReportEvent.objects.all()
    return ReportEvent.objects.filter(report__in=reports_visible_to(user).values("pk"))


@visibility.register(Person)
def persons_visible_to(user) -> QuerySet[Person]:
    """Register entries with at least one case in a report ``user`` may see."""
    scope = visibility.scope_for(user)
    if scope.national:
        return Person.objects.all()
    return Person.objects.filter(pk__in=terlapor_visible_to(user).filter(person__isnull=False).values("person_id"))


@visibility.register(CaseEvent)
def case_events_visible_to(user) -> QuerySet[CaseEvent]:
    scope = visibility.scope_for(user)
    if scope.national:
        return CaseEvent.objects.all()
    return CaseEvent.objects.filter(terlapor__in=terlapor_visible_to(user).values("pk"))


@visibility.register(Recommendation)
def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    scope = visibility.scope_for(user)
    if scope.national:
        return Recommendation.objects.all()
    return Recommendation.objects.filter(terlapor__in=terlapor_visible_to(user).values("pk"))


@visibility.register(ExternalReference)
def external_references_visible_to(user) -> QuerySet[ExternalReference]:
    scope = visibility.scope_for(user)
    if scope.national:
        return ExternalReference.objects.all()
    return ExternalReference.objects.filter(report__in=reports_visible_to(user).values("pk"))
