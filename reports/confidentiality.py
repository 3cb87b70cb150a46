"""The one confidentiality rule: who may see a report's sealed data, the act of opening it, and its log.

Sealed data is the reporter's identity (name, NIK, address, phone, e-mail), the witnesses,
the original evidence files (and their file names) and the receipt. It may be opened only
by a verifier (operator, Satgas or Bawaslu officer holding reports.view_reporter_identity)
of the report's intake organisation, when that organisation is independent of every
terlapor's instansi: neither the instansi itself nor part of it (its BKPSDM, Satgas and PPK
all work in the instansi's organisation here), nor above or below it in the organisation
tree. Never the administrator role, never a superuser, and nobody at all for an anonymous
report (the reporter chose to be unknown even to the verifiers; witnesses and the camera's
EXIF could name them). Everyone else works with the report without it: clean copies of the
evidence (reports.cleaning), and questions relayed through the portal (reports.relay).

Even an allowed verifier sees nothing sealed by default: ``unseal`` asks for a reason and
writes a SealedAccess row before anything is shown or served (domain.md §8). Every page,
PDF, CSV, e-mail and download asks this module; none decides on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from netralitas import refcache, visibility
from netralitas.enums import OrganisationKind, Role
from netralitas.models import Organisation
from reports.enums import Confidentiality, EvidenceKind, SealedItem
from reports.models import Evidence, Report, SealedAccess, Terlapor

__all__ = [
    "REASON_MAX_LENGTH",
    "SEALED_REPORT_FIELDS",
    "VERIFIER_ROLES",
    "ReasonRequired",
    "access_log_visible_to",
    "independent_of",
    "may_see_access_log",
    "may_see_sealed",
    "organisation_lineage",
    "sealed_evidence",
    "unseal",
]

# The report's sealed fields: the reporter's identity and the witnesses (the retention purge blanks these).
SEALED_REPORT_FIELDS = (
    "reporter_name",
    "reporter_nik",
    "reporter_address",
    "reporter_phone",
    "reporter_email",
    "witnesses",
)
# Roles that verify reports at the intake organisation and so may open what the reporter sealed.
VERIFIER_ROLES = frozenset({Role.OPERATOR, Role.SATGAS, Role.BAWASLU})
SEAL_PERMISSION = "reports.view_reporter_identity"
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500
# Whose staff oversee every opening of sealed data (issue 8: BKN's oversight).
OVERSIGHT_KINDS = frozenset({OrganisationKind.BKN})


class ReasonRequired(ValueError):
    """Unsealing needs a short written reason."""


def organisation_lineage(organisation_ids: Iterable[int], *, from_copy: bool = False) -> dict[int, set[int]]:
    """Each organisation with itself and its ancestors, in one query (none with ``from_copy``).

    Three levels up covers the reference tree (Bawaslu kab/kota → provinsi → RI; pemda kab/kota →
    provinsi; Kanreg → BKN) and a ministry's units added by an administrator. ``from_copy`` reads the
    process's copy of the tree (netralitas.refcache, as the public intake does), the same three levels;
    an organisation the copy does not know yet (created within its TTL) sends it to the database.
    """
    ids = {pk for pk in organisation_ids if pk is not None}
    if from_copy and settings.NETRALITAS_REFERENCE_CACHE_SECONDS > 0:
        parents = refcache.cached(
            "organisation-parents", lambda: dict(Organisation.objects.values_list("pk", "parent_id"))
        )
        if ids <= parents.keys():
            lineage = {}
            for pk in ids:
                chain, parent = {pk}, parents[pk]
                for _level in range(3):
                    if parent is None:
                        break
                    chain.add(parent)
                    parent = parents.get(parent)
                lineage[pk] = chain
            return lineage
    rows = Organisation.objects.filter(pk__in=ids).values_list(
        "pk", "parent_id", "parent__parent_id", "parent__parent__parent_id"
    )
    return {row[0]: {pk for pk in row if pk is not None} for row in rows}


def independent_of(organisation_id: int | None, instansi_ids: Iterable[int], *, from_copy: bool = False) -> bool:
    """Whether ``organisation_id`` stands outside the chain of command of every instansi in ``instansi_ids``.

    Not independent: the instansi itself, an organisation above it (e.g. a ministry over its
    unit), or one below it (a unit of it). None (the national queue) is nobody's chain. One query
    (none ``from_copy``: see organisation_lineage).
    """
    if organisation_id is None:
        return False
    instansi = set(instansi_ids)
    if not instansi:
        return True
    lineage = organisation_lineage(instansi | {organisation_id}, from_copy=from_copy)
    mine = lineage.get(organisation_id, {organisation_id})
    return all(organisation_id not in lineage.get(pk, {pk}) and pk not in mine for pk in instansi)


def _report_instansi(report: Report) -> list[int]:
    cached = getattr(report, "_prefetched_objects_cache", {}).get("terlapor")
    if cached is not None:
        return [t.instansi_id for t in cached]
    return list(Terlapor.objects.filter(report_id=report.pk).values_list("instansi_id", flat=True))


def may_see_sealed(user, report: Report) -> bool:
    """Whether ``user`` may open ``report``'s sealed data (the rule of this module's docstring).

    Cached per user and report for the request (the case page asks once per evidence row).
    """
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    cache = user.__dict__.setdefault("_netralitas_sealed", {})
    key = (report.pk, report.intake_organisation_id, report.confidentiality)
    if key not in cache:
        cache[key] = _may_see_sealed(user, report)
    return cache[key]


def _may_see_sealed(user, report: Report) -> bool:
    if report.confidentiality == Confidentiality.ANONYMOUS:
        return False
    scope = visibility.scope_for(user)
    # VERIFIER_ROLES never holds the administrator; said again so a change there cannot open it.
    if scope.organisation_id is None or scope.role not in VERIFIER_ROLES or scope.role == Role.ADMIN:
        return False
    if report.intake_organisation_id != scope.organisation_id:
        return False
    if not user.has_perm(SEAL_PERMISSION):
        return False
    return independent_of(scope.organisation_id, _report_instansi(report))


def sealed_evidence(report: Report, user) -> list[dict]:
    """The report's evidence as ``user`` may see it on a case page.

    Each row: the Evidence, the name to show (the reporter's file name only to those who may
    open originals, else "bukti-<id>"), whether a clean copy can be downloaded, and whether the
    original may be opened (through ``unseal``).
    """
    allowed = may_see_sealed(user, report)
    rows = []
    for item in report.evidence.order_by("uploaded_at", "pk"):
        is_file = item.kind == EvidenceKind.FILE
        rows.append(
            {
                "evidence": item,
                "name": (item.original_name if allowed else f"bukti-{item.pk}") if is_file else item.url,
                "clean_copy": is_file and bool(item.shared_copy),
                "original": is_file and allowed,
            }
        )
    return rows


@transaction.atomic
def unseal(report: Report, *, actor, item: str, reason: str, evidence: Evidence | None = None) -> SealedAccess:
    """Record that ``actor`` opens ``item`` of ``report`` (the identity and witnesses, or one original file).

    The caller shows or serves the item only after this returns. Side effect: one SealedAccess row.
    Raises PermissionDenied (the rule refuses, or the evidence is not this report's file),
    ReasonRequired (no reason, or one too short or too long).
    """
    if not may_see_sealed(actor, report):
        raise PermissionDenied(_("Data tersegel laporan ini tidak dapat Anda buka."))
    if item == SealedItem.ORIGINAL:
        if evidence is None or evidence.report_id != report.pk or evidence.kind != EvidenceKind.FILE:
            raise PermissionDenied(_("Berkas ini bukan bukti laporan ini."))
    elif item == SealedItem.IDENTITY:
        evidence = None
    else:
        raise ValueError(f"unknown sealed item {item!r}")
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ReasonRequired(
            _("Tuliskan alasan membuka data ini, paling sedikit %(min)d karakter.") % {"min": REASON_MIN_LENGTH}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ReasonRequired(_("Alasan paling banyak %(max)d karakter.") % {"max": REASON_MAX_LENGTH})
    access = SealedAccess.objects.create(report=report, item=item, evidence=evidence, actor=actor, reason=reason)
    from netralitas.security import log_event

    # The security log names the act, never what was opened (no identity, no file name, no reason text).
    log_event("sealed_opened", user=actor, report=report.pk, item=item, evidence=evidence.pk if evidence else None)
    return access


# --- the access log ----------------------------------------------------------------------------------------


@visibility.register(SealedAccess)
def access_log_visible_to(user) -> QuerySet[SealedAccess]:
    """Openings of sealed data ``user`` may read: BKN oversees all; an intake organisation its own reports'."""
    scope = visibility.scope_for(user)
    if scope.organisation_id is None:
        return SealedAccess.objects.none()
    if scope.organisation_kind in OVERSIGHT_KINDS:
        return SealedAccess.objects.all()
    return SealedAccess.objects.filter(report__intake_organisation_id=scope.organisation_id)


def may_see_access_log(user, report: Report) -> bool:
    """Whether the case page shows ``user`` the access log of ``report``."""
    scope = visibility.scope_for(user)
    if scope.organisation_id is None:
        return False
    return scope.organisation_kind in OVERSIGHT_KINDS or report.intake_organisation_id == scope.organisation_id


def access_log(report: Report) -> QuerySet[SealedAccess]:
    """The openings of ``report``'s sealed data, newest first, with the officer and the file (one query)."""
    return SealedAccess.objects.filter(report=report).select_related("actor", "evidence").order_by("-created_at", "-id")
