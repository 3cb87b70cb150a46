"""Writes of the reports app: the public submission of a report, and what it needs to know first."""

from __future__ import annotations

import copy
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from netralitas import db_insert, notifications, refcache
from netralitas.calendar import due_date_for
from netralitas.elections import ElectionContext, election_context
from netralitas.enums import DeadlineStep, OrganisationKind
from netralitas.models import DeadlineRule, Organisation, Region, ViolationType
from reports import emails
from reports.enums import Confidentiality, EventKind, EvidenceKind, EvidenceSource, ReportKind, ReportStatus
from reports.evidence import attach_drafts, delete_evidence_files, new_evidence_file, new_evidence_link
from reports.models import CaseEvent, Evidence, Report, ReportEvent, Terlapor
from reports.pins import hash_pin, new_pin, new_tracking_code
from reports.workflow import deadline_on_receipt

__all__ = [
    "IntakeContext",
    "ReporterIdentity",
    "TerlaporEntry",
    "discard_drafts",
    "insert_with_fresh_code",
    "intake_context",
    "new_tracking_code",
    "record_case_note",
    "record_report_note",
    "route_report",
    "submit_report",
]

logger = logging.getLogger(__name__)

TRACKING_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class ReporterIdentity:
    name: str = ""
    nik: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class TerlaporEntry:
    name: str
    instansi: Organisation
    employee_status: str
    nip: str = ""
    position: str = ""
    work_unit: str = ""


@dataclass(frozen=True)
class IntakeContext:
    """What the intake derives from the dates and the place: election, phase, reporting window."""

    elections: list[ElectionContext] = field(default_factory=list)
    # Last day of the reporting window (DeadlineRule report_window from the learned date); None without a rule.
    report_due: date | None = None
    late: bool = False

    @property
    def nearest(self) -> ElectionContext | None:
        return self.elections[0] if self.elections else None


def intake_context(
    region: Region, incident_date: date, learned_date: date | None, *, today: date | None = None
) -> IntakeContext:
    """The elections relevant to an incident (nearest first) and whether the report comes late.

    Late means today is after the reporting window that began when the reporter
    learned of the incident (the incident date when not given). Reads only:
    two queries for the elections, one for the deadline rule.
    """
    today = today or timezone.localdate()
    learned = learned_date or incident_date
    try:
        due = due_date_for(DeadlineStep.REPORT_WINDOW, learned).due
    except DeadlineRule.DoesNotExist:  # a missing rule must not stop a citizen's report
        logger.warning("no DeadlineRule %s: reports are never marked late", DeadlineStep.REPORT_WINDOW)
        due = None
    return IntakeContext(
        elections=election_context(region, incident_date),
        report_due=due,
        late=due is not None and today > due,
    )


def route_report(
    region: Region,
    elections: Sequence[ElectionContext],
    instansi: Organisation | Sequence[Organisation] | None,
    *,
    on: date | None = None,
) -> Organisation | None:
    """The organisation that verifies a new report, or None for the national queue.

    The rule (issue 8, domain.md §8: the reporter's identity goes only to the intake
    organisation's verifiers, never to the terlapor's instansi nor its PPK):

    1. An incident that concerns an election (election_context found one: its kampanye,
       masa tenang, pemungutan, or the relevance window around them) goes to the Bawaslu of
       the incident's kab/kota, which handles election violations.
    2. Any other report goes to the recommending authority in force on ``on`` (KASN until
       3 September 2024, BKN from 4 September 2024: netralitas.authority), whose national Satgas
       verifies reports outside the electoral stages, as BKN's SBT does ("Pelaporan Publik",
       verified by the Satgas Netralitas of BKN, KemenPANRB, Kemendagri and Bawaslu; domain
       research §3.3). BKN's Kanreg are not chosen here: the reference data does not say which
       provinces each serves, so a verifier re-routes to a Kanreg by hand when that helps.
    3. Never the terlapor's instansi, nor any organisation above or below it: its BKPSDM,
       Satgas and PPK are the accused's chain of command (reports.confidentiality.independent_of).
       A candidate that is not independent of every terlapor's instansi is skipped; when none
       is left, the national queue (None) holds the report until a national officer routes it.

    The instansi still gets its case: it sees every report naming its ASN
    (reports.selectors), without the sealed data (reports.confidentiality).
    Reads the process's reference copies of the Bawaslu, the authorities and the organisation tree
    (netralitas.refcache): no query on a warm worker; two or three without copies (tests).
    """
    from netralitas.authority import NoAuthorityInForce, authority_in_force
    from reports.confidentiality import independent_of

    if isinstance(instansi, Organisation):
        instansi = [instansi]
    instansi_ids = [org.pk for org in instansi or []]

    def candidates():
        if elections:
            bawaslu = _bawaslu_kabkota(region)
            if bawaslu is not None:
                yield bawaslu
        try:
            authority = authority_in_force(on or timezone.localdate(), from_copy=True).organisation
        except NoAuthorityInForce:
            return
        if authority.is_active:
            yield authority

    for candidate in candidates():
        if independent_of(candidate.pk, instansi_ids, from_copy=True):
            return candidate
    return None


def _bawaslu_kabkota(region: Region) -> Organisation | None:
    """The active Bawaslu of the kab/kota ``region`` (the first by name), from the process's copy when kept."""
    active = Organisation.objects.filter(kind=OrganisationKind.BAWASLU_KABKOTA, is_active=True)
    if settings.NETRALITAS_REFERENCE_CACHE_SECONDS <= 0:
        return active.filter(region=region).first()

    def load() -> dict[int, Organisation]:
        first: dict[int, Organisation] = {}
        for organisation in active.order_by("name", "pk"):
            first.setdefault(organisation.region_id, organisation)
        return first

    found = refcache.cached("bawaslu-kabkota", load).get(region.pk)
    return copy.copy(found) if found is not None else None


def discard_drafts(draft_token: str, ids: Sequence[int]) -> int:
    """Delete draft evidence of ``draft_token`` the citizen removed from the form; returns how many.

    Side effects: deletes the rows and their stored files. Only drafts (no
    report yet) carrying this token can be reached, so a forged id does nothing.
    """
    if not draft_token or not ids:
        return 0
    drafts = list(Evidence.objects.filter(draft_token=draft_token, report__isnull=True, pk__in=ids))
    for draft in drafts:
        for stored in (draft.file, draft.shared_copy):
            if stored:
                stored.delete(save=False)
        draft.delete()
    return len(drafts)


def drafts_for(draft_token: str) -> list[Evidence]:
    """Files kept from earlier attempts of the form holding ``draft_token``, oldest first."""
    if not draft_token:
        return []
    return list(Evidence.objects.filter(draft_token=draft_token, report__isnull=True, kind=EvidenceKind.FILE))


class _TrackingCodeTaken(Exception):
    """The INSERT of a report failed on a unique key: maybe its new tracking code was drawn before."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def submit_report(**kwargs) -> tuple[Report, str]:
    """Save a citizen's report with its terlapor, evidence and first event; return it with its PIN.

    One transaction (see _submit_report for what it writes). Files stored in it are deleted again
    when it fails, so a rolled-back submission leaves no file behind (sweep_orphan_evidence stays the
    backstop when an outer transaction rolls back later). Raises what _submit_report raises.

    A tracking code drawn twice (rare: 31^8 codes) makes the report's INSERT fail; the transaction is
    rolled back, its files deleted, and run again with a new code, so no savepoint guards every INSERT
    (issue 11: two round trips per report). No row is written before the report in that transaction.
    """
    written: list[str] = []
    try:
        for attempt in range(1, TRACKING_CODE_ATTEMPTS + 1):
            try:
                return _submit_report(**kwargs, written=written)
            except _TrackingCodeTaken as taken:
                if attempt == TRACKING_CODE_ATTEMPTS or not Report.objects.filter(tracking_code=taken.code).exists():
                    raise taken.__cause__ from None
                logger.info("tracking code collision, drawing again (attempt %s)", attempt)
                delete_evidence_files(written)
                written.clear()
        raise AssertionError("unreachable")  # pragma: no cover
    except BaseException:
        delete_evidence_files(written)
        raise


@transaction.atomic
def _submit_report(
    *,
    written: list[str],
    confidentiality: str,
    reporter: ReporterIdentity,
    consent: bool,
    terlapor: Sequence[TerlaporEntry],
    incident_date: date,
    learned_date: date | None,
    region: Region,
    place: str,
    description: str,
    violation_type: ViolationType | None = None,
    witnesses: str = "",
    links: Sequence[str] = (),
    files: Sequence[UploadedFile] = (),
    draft_token: str = "",
    status_url: str = "/status/",
) -> tuple[Report, str]:
    """Save a citizen's report with its terlapor, evidence and first event; return it with its PIN.

    One transaction: the Report (status RECEIVED, a fresh tracking code, the PIN hashed, election and
    phase derived, routed by route_report: never to a terlapor's instansi), its Terlapor rows, ``files``
    and ``links`` stored (files checked and written first), a public SUBMITTED event (_insert_submission),
    the drafts of ``draft_token`` attached, and, when the reporter gave an e-mail address, a receipt in
    the outbox (sent on commit; never the PIN). An anonymous report keeps no identity and becomes
    INFORMASI. The PIN is returned once and exists nowhere else in clear.

    Raises reports.evidence_checks.EvidenceRejected (everything rolled back) when a
    file or link is refused, ValueError without terlapor.
    """
    if not terlapor:
        raise ValueError("a report names at least one terlapor")
    now = timezone.now()
    context = intake_context(region, incident_date, learned_date, today=timezone.localdate(now))
    anonymous = confidentiality == Confidentiality.ANONYMOUS
    identity = ReporterIdentity() if anonymous else reporter
    nearest = context.nearest
    pin = new_pin()
    report = Report(
        kind=ReportKind.INFORMASI if anonymous else ReportKind.LAPORAN,
        status=ReportStatus.RECEIVED,
        intake_organisation=route_report(
            region, context.elections, [entry.instansi for entry in terlapor], on=timezone.localdate(now)
        ),
        confidentiality=confidentiality,
        reporter_name=identity.name,
        reporter_nik=identity.nik,
        reporter_address=identity.address,
        reporter_phone=identity.phone,
        reporter_email=identity.email,
        consent_at=now if consent and not anonymous else None,
        pin_hash=hash_pin(pin),
        incident_date=incident_date,
        learned_date=learned_date,
        region=region,
        place=place,
        description=description,
        violation_type=violation_type,
        election=nearest.election if nearest else None,
        period_phase=nearest.phase if nearest else "",
        reported_late=context.late,
        witnesses=witnesses,
        received_at=now,
        **deadline_on_receipt(timezone.localdate(now)),
    )
    rows = [Terlapor(report=report, **vars(entry)) for entry in terlapor]  # TerlaporEntry names Terlapor's fields
    # Files are written before the rows; submit_report deletes them when the transaction fails.
    stored: list[Evidence] = []
    for upload in files:
        stored.append(new_evidence_file(upload, report=report, source=EvidenceSource.INTAKE))
        written.extend(name for name in (stored[-1].file.name, stored[-1].shared_copy.name) if name)
    stored += [new_evidence_link(url, report=report, source=EvidenceSource.INTAKE) for url in links]
    event = ReportEvent(report=report, kind=EventKind.SUBMITTED, to_status=ReportStatus.RECEIVED, is_public=True)
    report.tracking_code = new_tracking_code()
    # The receipt lists what was stored, in order (drafts are read back); its row joins the report's statement.
    inline = identity.email and not draft_token and db_insert.supported()
    receipt = emails.receipt_row(report, stored, status_url=status_url) if inline else None
    attached = _insert_submission(report, rows, stored, event, draft_token, receipt)
    if identity.email and receipt is None:
        emails.email_reporter_received(report, None if attached else stored, status_url=status_url)
    return report, pin


def _insert_submission(report: Report, terlapor: list, evidence: list, event, draft_token: str, receipt=None) -> int:
    """INSERT ``report`` (its tracking code drawn) with its rows, then attach the drafts; returns how many.

    On PostgreSQL the report, terlapor, evidence, event and the ``receipt``'s outbox row (emails.receipt_row)
    are one statement (netralitas.db_insert, issue 11: no ORM compiler, one round trip, no save() called);
    elsewhere the ORM's INSERTs. Raises _TrackingCodeTaken when the INSERT breaks a unique key.
    """
    if db_insert.supported():
        try:
            returned = db_insert.insert_with_children(
                report, [*terlapor, *evidence, event], dependents=[receipt] if receipt else []
            )
        except IntegrityError as exc:
            raise _TrackingCodeTaken(report.tracking_code) from exc
        for message_id in returned[0] if receipt else []:
            notifications.deliver_on_commit(message_id)
        return attach_drafts(draft_token, report)
    try:
        report.save(force_insert=True)
    except IntegrityError as exc:
        raise _TrackingCodeTaken(report.tracking_code) from exc
    Terlapor.objects.bulk_create(terlapor)
    attached = attach_drafts(draft_token, report)
    for item in evidence:
        item.save()
    event.save()
    return attached


def insert_with_fresh_code(report: Report) -> None:
    """INSERT ``report`` under a new tracking code, drawing again on the (rare) collision (a savepoint each try).

    For writers that cannot run their transaction again (reports.triage.record_temuan); the public
    intake retries its whole transaction instead (submit_report).
    """
    for attempt in range(1, TRACKING_CODE_ATTEMPTS + 1):
        report.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                report.save(force_insert=True)
            return
        except IntegrityError:
            report.pk = None
            if (
                attempt == TRACKING_CODE_ATTEMPTS
                or not Report.objects.filter(tracking_code=report.tracking_code).exists()
            ):
                raise
            logger.info("tracking code collision, drawing again (attempt %s)", attempt)


# ---------------------------------------------------------------- internal notes other apps write through


def record_report_note(report: Report, *, actor, note: str) -> ReportEvent:
    """Append an internal note to ``report``'s history (never shown to the reporter).

    For acts of other apps on a report that change no status (taskforce: a Satgas assignment).
    The caller has checked who acts. Raises ValueError for an empty note.
    """
    note = note.strip()
    if not note:
        raise ValueError("a note needs text")
    return ReportEvent.objects.create(report=report, kind=EventKind.NOTE, actor=actor, note=note, is_public=False)


def record_case_note(terlapor: Terlapor, *, actor, note: str) -> CaseEvent:
    """Append a note to one terlapor's case events, its status unchanged (from and to the current one).

    For acts of other apps on a case that change no status (taskforce: a Satgas assignment).
    The caller has checked who acts. Raises ValueError for an empty note.
    """
    note = note.strip()
    if not note:
        raise ValueError("a note needs text")
    status = Terlapor.objects.filter(pk=terlapor.pk).values_list("case_status", flat=True).get()
    return CaseEvent.objects.create(
        terlapor_id=terlapor.pk, from_status=status, to_status=status, actor=actor, note=note
    )
