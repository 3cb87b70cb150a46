"""What happens after a recommendation: the PPK's decision, left service, the overdue sweep, BKN blocks, escalations.

Every service checks who acts (permission, visibility of the case, and for the PPK's
office its own instansi), locks the case row, checks what is asked against the
catalogue, and appends a SanctionEvent. Case statuses move only through
reports.workflow.transition_case.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.calendar import format_date
from netralitas.enums import EmployeeStatus, Level, SanctionAppliesTo, Track
from netralitas.models import SanctionKind
from reports.enums import CaseStatus, LeftServiceReason
from reports.evidence import clean_file_name
from reports.evidence_checks import EvidenceRejected
from reports.models import CaseEvent, Person, Recommendation, Terlapor
from reports.pdfcheck import check_pdf_upload
from reports.recommendations import sanction_applies
from reports.selectors import terlapor_visible_to
from reports.workflow import transition_case
from sanctions import permissions
from sanctions.enums import Compliance, EscalationKind, Examiner, SanctionEventKind
from sanctions.models import Block, Decision, Escalation, SanctionEvent

__all__ = [
    "EXAMINED_LEVELS",
    "allowed_sanction_kinds",
    "recommended_sanction_kind_ids",
    "deviates_from_recommendation",
    "lift_block",
    "record_block",
    "record_correction",
    "record_decision",
    "record_escalation",
    "record_left_service",
    "sanction_period_end",
    "sweep_overdue",
    "sweep_sanctions_ended",
]

# Levels imposed only after an examination (PP 94/2021 Pasal 27; PTDH likewise).
EXAMINED_LEVELS = frozenset({Level.SEDANG, Level.BERAT, Level.PTDH})
_EMPLOYEE_SETS = {
    EmployeeStatus.PNS: (SanctionAppliesTo.ALL, SanctionAppliesTo.PNS),
    EmployeeStatus.CPNS: (SanctionAppliesTo.ALL, SanctionAppliesTo.PNS),
    EmployeeStatus.PPPK: (SanctionAppliesTo.ALL, SanctionAppliesTo.PPPK),
}


# ---------------------------------------------------------------- catalogue rules


def allowed_sanction_kinds(terlapor: Terlapor) -> QuerySet[SanctionKind]:
    """Active sanction kinds within the recommended track and level that apply to the terlapor's employee status.

    Empty when the case has no recommendation.
    """
    recommendation = Recommendation.objects.filter(terlapor_id=terlapor.pk).only("track", "level").first()
    if recommendation is None:
        return SanctionKind.objects.none()
    return SanctionKind.objects.filter(
        is_active=True,
        track=recommendation.track,
        level=recommendation.level,
        applies_to__in=_EMPLOYEE_SETS.get(terlapor.employee_status, ()),
    )


def recommended_sanction_kind_ids(terlapor: Terlapor) -> list[int]:
    """The ids of the sanction kinds the recommendation named, in the catalogue's order (one query)."""
    return list(
        SanctionKind.objects.filter(recommendation__terlapor_id=terlapor.pk)
        .order_by("sort_order", "code")
        .values_list("pk", flat=True)
    )


def deviates_from_recommendation(kind: SanctionKind, recommendation: Recommendation) -> bool:
    """Whether imposing ``kind`` departs from the recommended track or level (a written reason is then needed)."""
    return (kind.track, kind.level) != (recommendation.track, recommendation.level)


def sanction_period_end(kind: SanctionKind, start: date | None) -> date | None:
    """The last day a time-bound sanction is in force, counted from ``start`` (the one place this rule lives).

    An SK reads "terhitung mulai tanggal 1 Januari 2027 sampai dengan 31 Desember 2027" for 12 months:
    the period ends the day before the same calendar day N months later. When that day does not
    exist (31 August + 6 months: there is no 31 February), it ends on the last day of that month
    (28 February). Returns None for a sanction without a period or without a start.
    """
    if kind.duration_months is None or start is None:
        return None
    anniversary = start + relativedelta(months=kind.duration_months)
    if anniversary.day != start.day:  # clamped to a shorter month's end
        return anniversary
    return anniversary - timedelta(days=1)


# ---------------------------------------------------------------- shared checks


def _check_ppk_office(terlapor: Terlapor, actor, message: str) -> None:
    """The PPK or a BKPSDM operator of the terlapor's own instansi who can see the case (or a superuser)."""
    if not permissions.is_ppk_office(actor, terlapor):
        raise PermissionDenied(message)
    if not terlapor_visible_to(actor).filter(pk=terlapor.pk).exists():
        raise PermissionDenied(message)


def _check_actor(terlapor: Terlapor, actor, permission: str, message: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(message)
    if not terlapor_visible_to(actor).filter(pk=terlapor.pk).exists():
        raise PermissionDenied(message)


def _locked(terlapor: Terlapor) -> Terlapor:
    """The case row, locked until the transaction ends; its moving fields refreshed into ``terlapor``."""
    fresh = Terlapor.objects.select_for_update().get(pk=terlapor.pk)
    for field in ("case_status", "due_date", "due_step", "due_explanation", "overdue_since", "person_id"):
        setattr(terlapor, field, getattr(fresh, field))
    return terlapor


def _refuse(message: str, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: [message]})


def _require_awaiting_ppk(terlapor: Terlapor, message: str) -> None:
    if terlapor.case_status != CaseStatus.AWAITING_PPK:
        raise _refuse(message % {"status": terlapor.get_case_status_display()})


def _event(terlapor: Terlapor, kind: str, *, actor, note: str = "", letter_number: str = "", letter_date=None):
    return SanctionEvent.objects.create(
        terlapor=terlapor, kind=kind, actor=actor, note=note, letter_number=letter_number, letter_date=letter_date
    )


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _request_lift(terlapor: Terlapor, *, actor, why: str) -> Block | None:
    """Mark the case's active block for lifting (once) with a LIFT_REQUESTED event; the block or None."""
    block = Block.objects.select_for_update().filter(terlapor=terlapor, lifted_on__isnull=True).first()
    if block is None or block.lift_requested_at is not None:
        return block
    block.lift_requested_at = timezone.now()
    Block.objects.filter(pk=block.pk).update(lift_requested_at=block.lift_requested_at)
    _event(
        terlapor,
        SanctionEventKind.LIFT_REQUESTED,
        actor=actor,
        note=_("%(why)s Blokir %(number)s perlu dibuka BKN.") % {"why": why, "number": block.letter_number},
    )
    return block


# ---------------------------------------------------------------- the signed SK


def checked_signed_sk(upload: File) -> tuple[str, int]:
    """Check the signed SK like evidence, by its content: a PDF, not empty, within the size limit, no scripts.

    Returns (sha256, size). Raises ValidationError on ``signed_sk``.
    """
    if upload is None:
        raise _refuse(_("Unggah SK yang sudah ditandatangani (PDF)."), "signed_sk")
    name = clean_file_name(getattr(upload, "name", "") or "") or _("(tanpa nama)")
    shown = name if len(name) <= 80 else name[:77] + "…"
    size = upload.size
    limit = settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES
    if not size:
        raise _refuse(_("Berkas «%(name)s» ditolak: berkasnya kosong (0 bita).") % {"name": shown}, "signed_sk")
    if size > limit:
        raise _refuse(
            _("Berkas «%(name)s» ditolak: ukurannya %(size)s, melebihi batas %(limit)s per berkas.")
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            "signed_sk",
        )
    try:
        check_pdf_upload(upload, shown)
    except EvidenceRejected as rejected:
        if rejected.code == "not_pdf":
            message = _("Berkas «%(name)s» ditolak: SK harus berupa PDF (hasil pindai atau cetak ke PDF).")
            raise _refuse(message % {"name": shown}, "signed_sk") from None
        raise _refuse(rejected.message, "signed_sk") from None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


# ---------------------------------------------------------------- the PPK's decision


@transaction.atomic
def record_decision(
    terlapor: Terlapor,
    *,
    actor,
    sk_number: str,
    sk_date: date,
    sanction_kind: SanctionKind,
    examiner: str,
    signed_sk: File,
    effective_from: date | None = None,
    effective_until: date | None = None,
    examination_date: date | None = None,
    examination_record: str = "",
    deviation_reason: str = "",
) -> Decision:
    """Record the PPK's final decision on one terlapor's case, with the signed SK.

    Checks the sanction against the recommendation (track and level, else a written
    ``deviation_reason``; the PNS/PPPK sets strictly), the examination for sedang/berat/PTDH,
    the effective period of a time-bound sanction (``effective_until`` computed), and the SK
    as a PDF by content. Side effects: stores the SK (private storage, SHA-256 kept), creates
    the Decision (compliance on_time/late against the PPK deadline, today in Asia/Jakarta),
    moves the case awaiting_ppk → sanctioned, appends DECISION_RECORDED, and marks an active
    block for lifting (LIFT_REQUESTED). ``overdue_since`` stays as history.
    Raises PermissionDenied (not the PPK's office of the terlapor's instansi), ValidationError
    keyed by field (also when a decision was already recorded), or StaleReport.
    """
    _check_ppk_office(terlapor, actor, _("Anda tidak berwenang mencatat keputusan PPK untuk perkara ini."))
    terlapor = _locked(terlapor)
    if Decision.objects.filter(terlapor_id=terlapor.pk).exists():
        raise _refuse(_("Keputusan untuk terlapor ini sudah dicatat."))
    _require_awaiting_ppk(
        terlapor, _("Keputusan hanya dapat dicatat untuk perkara yang menunggu tindak lanjut PPK (status: %(status)s).")
    )
    recommendation = Recommendation.objects.get(terlapor_id=terlapor.pk)
    today = timezone.localdate()
    sk_number = _one_line(sk_number)
    examination_record, deviation_reason = (examination_record or "").strip(), (deviation_reason or "").strip()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not sk_number:
        add("sk_number", _("Nomor SK wajib diisi."))
    if sk_date is None:
        add("sk_date", _("Tanggal SK wajib diisi."))
    elif sk_date > today:
        add("sk_date", _("Tanggal SK tidak boleh sesudah hari ini."))
    elif sk_date < recommendation.letter_date:
        add(
            "sk_date",
            _("Tanggal SK tidak boleh sebelum tanggal rekomendasi (%(date)s).")
            % {"date": format_date(recommendation.letter_date)},
        )

    if sanction_kind is None:
        add("sanction_kind", _("Pilih jenis sanksi yang dijatuhkan."))
    elif not sanction_kind.is_active:
        add("sanction_kind", _("“%(kind)s” tidak aktif lagi dalam katalog.") % {"kind": sanction_kind.name})
    elif not sanction_applies(sanction_kind, terlapor.employee_status):
        # PNS and PPPK are under different rules: no written reason makes the other set lawful.
        add(
            "sanction_kind",
            _("“%(kind)s” tidak berlaku bagi %(status)s.")
            % {"kind": sanction_kind.name, "status": EmployeeStatus(terlapor.employee_status).label},
        )
    elif deviates_from_recommendation(sanction_kind, recommendation) and not deviation_reason:
        add(
            "deviation_reason",
            _(
                "“%(kind)s” berada di luar rekomendasi (jalur %(track)s, tingkat %(level)s). "
                "Tuliskan alasannya; alasan ini ditampilkan kepada lembaga pemberi rekomendasi dan BKN."
            )
            % {
                "kind": sanction_kind.name,
                "track": Track(recommendation.track).label,
                "level": Level(recommendation.level).label,
            },
        )

    if examiner not in Examiner.values:
        add("examiner", _("Pilih siapa yang memeriksa terlapor."))
    elif sanction_kind is not None and sanction_kind.level in EXAMINED_LEVELS and examiner == Examiner.NONE:
        add(
            "examiner",
            _("Hukuman tingkat %(level)s dijatuhkan setelah pemeriksaan: pilih atasan langsung atau Tim Pemeriksa.")
            % {"level": Level(sanction_kind.level).label},
        )
    if examiner in (Examiner.ATASAN_LANGSUNG, Examiner.TIM_PEMERIKSA):
        if examination_date is None:
            add("examination_date", _("Tanggal pemeriksaan wajib diisi."))
        elif examination_date > today:
            add("examination_date", _("Tanggal pemeriksaan tidak boleh sesudah hari ini."))
        elif sk_date is not None and examination_date > sk_date:
            add("examination_date", _("Pemeriksaan dilakukan sebelum SK ditetapkan, bukan sesudahnya."))
    elif examination_date is not None:
        add("examiner", _("Pilih siapa yang memeriksa, atau kosongkan tanggal pemeriksaan."))

    if sanction_kind is not None and sanction_kind.duration_months:
        if effective_from is None:
            add(
                "effective_from",
                _("“%(kind)s” berlaku %(months)d bulan: isi tanggal mulai berlakunya.")
                % {"kind": sanction_kind.name, "months": sanction_kind.duration_months},
            )
        else:
            computed = sanction_period_end(sanction_kind, effective_from)
            if effective_until is not None and effective_until != computed:
                add(
                    "effective_until",
                    _("Masa berlaku %(months)d bulan sejak %(start)s berakhir %(end)s.")
                    % {
                        "months": sanction_kind.duration_months,
                        "start": format_date(effective_from),
                        "end": format_date(computed),
                    },
                )
            effective_until = computed
    elif sanction_kind is not None and effective_until is not None:
        add(
            "effective_until",
            _("“%(kind)s” tidak berjangka waktu: kosongkan tanggal berakhir.") % {"kind": sanction_kind.name},
        )
    if effective_from is not None and sk_date is not None and effective_from < sk_date:
        add("effective_from", _("Sanksi tidak dapat berlaku sebelum tanggal SK."))

    sha256 = None
    if "signed_sk" not in errors:
        try:
            sha256, _size = checked_signed_sk(signed_sk)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    on_time = terlapor.due_date is None or today <= terlapor.due_date
    decision = Decision(
        terlapor=terlapor,
        sk_number=sk_number,
        sk_date=sk_date,
        sanction_kind=sanction_kind,
        effective_from=effective_from,
        effective_until=effective_until,
        examiner=examiner,
        examination_date=examination_date,
        examination_record=examination_record,
        signed_sk_sha256=sha256,
        deviation_reason=deviation_reason,
        compliance=Compliance.ON_TIME if on_time else Compliance.LATE,
        recorded_by=actor,
    )
    # The name given is ignored: sk_path makes a random one outside the web root.
    decision.signed_sk.save("sk.pdf", signed_sk, save=False)
    try:
        with transaction.atomic():
            decision.save(force_insert=True)
    except IntegrityError:
        # The OneToOne constraint: another request recorded the decision first (a lock-free database).
        decision.signed_sk.storage.delete(decision.signed_sk.name)
        raise _refuse(_("Keputusan untuk terlapor ini sudah dicatat.")) from None
    except BaseException:
        decision.signed_sk.storage.delete(decision.signed_sk.name)
        raise

    summary = _("SK %(number)s tanggal %(date)s: %(kind)s.") % {
        "number": sk_number,
        "date": format_date(sk_date),
        "kind": sanction_kind.name,
    }
    transition_case(terlapor, CaseStatus.SANCTIONED, actor=actor, note=summary)
    note = summary
    if deviation_reason:
        note = f"{summary} " + _("Alasan berbeda dari rekomendasi: %(reason)s") % {"reason": deviation_reason}
    _event(
        terlapor,
        SanctionEventKind.DECISION_RECORDED,
        actor=actor,
        note=note,
        letter_number=sk_number,
        letter_date=sk_date,
    )
    _request_lift(terlapor, actor=actor, why=_("Keputusan PPK sudah dicatat."))
    return decision


@transaction.atomic
def record_correction(
    decision: Decision, *, actor, note: str, letter_number: str = "", letter_date: date | None = None
) -> SanctionEvent:
    """Record a correction of a decision as a new CORRECTION event; the Decision row itself never changes.

    Raises PermissionDenied (not the PPK's office of the terlapor's instansi) or ValidationError.
    """
    terlapor = decision.terlapor
    _check_ppk_office(terlapor, actor, _("Anda tidak berwenang mencatat koreksi keputusan perkara ini."))
    note, letter_number = (note or "").strip(), _one_line(letter_number)
    errors: dict[str, list[str]] = {}
    if not note:
        errors["note"] = [_("Tuliskan apa yang dikoreksi dan mengapa.")]
    if letter_date is not None and letter_date > timezone.localdate():
        errors["letter_date"] = [_("Tanggal surat tidak boleh sesudah hari ini.")]
    if letter_date is not None and not letter_number:
        errors["letter_number"] = [_("Isi nomor surat koreksi, atau kosongkan tanggalnya.")]
    if errors:
        raise ValidationError(errors)
    return _event(
        terlapor,
        SanctionEventKind.CORRECTION,
        actor=actor,
        note=note,
        letter_number=letter_number,
        letter_date=letter_date,
    )


@transaction.atomic
def record_left_service(terlapor: Terlapor, *, actor, reason: str, note: str = "") -> CaseEvent:
    """The PPK's office records that the ASN left service, so the case cannot be followed up.

    Side effects: records ``reason`` on the register entry (Person.left_service) when linked;
    moves the case awaiting_ppk → cannot_follow_up (the report closes when this was its last open
    case); appends LEFT_SERVICE; marks an active block for lifting.
    Raises PermissionDenied, ValidationError (unknown reason, case not awaiting the PPK) or StaleReport.
    """
    _check_ppk_office(terlapor, actor, _("Anda tidak berwenang mencatat bahwa ASN ini sudah keluar dari dinas."))
    terlapor = _locked(terlapor)
    _require_awaiting_ppk(
        terlapor,
        _("Hanya perkara yang menunggu tindak lanjut PPK yang dapat dicatat di sini (status: %(status)s)."),
    )
    if reason not in LeftServiceReason.values:
        raise _refuse(_("Pilih alasan ASN keluar dari dinas."), "reason")
    text = _("ASN sudah keluar dari dinas: %(reason)s.") % {"reason": LeftServiceReason(reason).label}
    if note.strip():
        text = f"{text} {note.strip()}"
    event = transition_case(terlapor, CaseStatus.CANNOT_FOLLOW_UP, actor=actor, note=text)
    if terlapor.person_id is not None:
        Person.objects.filter(pk=terlapor.person_id).update(left_service=reason)
    _event(terlapor, SanctionEventKind.LEFT_SERVICE, actor=actor, note=text)
    _request_lift(terlapor, actor=actor, why=_("ASN sudah keluar dari dinas."))
    return event


# ---------------------------------------------------------------- the overdue sweep


@transaction.atomic
def sweep_overdue(today: date | None = None) -> int:
    """Mark every case past its PPK deadline without a decision as overdue; return how many were marked now.

    A case awaiting the PPK whose due date is before ``today`` (default today in Asia/Jakarta) and
    not yet overdue gets ``overdue_since = today`` and one OVERDUE event. Idempotent: the rows are
    locked and re-checked, so a second (or concurrent) run marks nothing more.
    """
    today = today or timezone.localdate()
    due = list(
        Terlapor.objects.select_for_update()
        .filter(case_status=CaseStatus.AWAITING_PPK, due_date__lt=today, overdue_since__isnull=True)
        .order_by("pk")
        .values_list("pk", "due_date")
    )
    if not due:
        return 0
    marked = Terlapor.objects.filter(pk__in=[pk for pk, _due in due], overdue_since__isnull=True).update(
        overdue_since=today
    )
    SanctionEvent.objects.bulk_create(
        SanctionEvent(
            terlapor_id=pk,
            kind=SanctionEventKind.OVERDUE,
            note=_("Tenggat tindak lanjut PPK %(due)s terlewati tanpa keputusan.") % {"due": format_date(due_date)},
        )
        for pk, due_date in due
    )
    return marked


# ---------------------------------------------------------------- the end of the sanction: done


@transaction.atomic
def sweep_sanctions_ended(today: date | None = None) -> int:
    """Close as done every sanctioned case whose sanction period has ended (or that has no period); return how many.

    A case is done the day after the last day of its sanction (Decision.effective_until, see
    sanction_period_end); a sanction without a period (teguran, moral, PTDH) is done at the first
    sweep after the decision. Each move is a SYSTEM transition with its CaseEvent; the report
    closes when it was its last open case. Idempotent: rows are locked and moved with a
    compare-and-set, so a second or concurrent run moves nothing more.
    """
    today = today or timezone.localdate()
    ended = list(
        Terlapor.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(case_status=CaseStatus.SANCTIONED)
        .filter(Q(decision__effective_until__isnull=True) | Q(decision__effective_until__lt=today))
        .select_related("decision")
        .order_by("pk")
    )
    for terlapor in ended:
        until = getattr(terlapor, "decision", None) and terlapor.decision.effective_until
        note = (
            _("Masa hukuman berakhir %(date)s.") % {"date": format_date(until)}
            if until
            else _("Sanksi tanpa masa berlaku telah dijatuhkan.")
        )
        transition_case(terlapor, CaseStatus.DONE, actor=None, note=note, system=True)
    return len(ended)


# ---------------------------------------------------------------- BKN: blocks and escalations


@transaction.atomic
def record_block(terlapor: Terlapor, *, actor, blocked_on: date, letter_number: str, letter_date: date) -> Block:
    """BKN records the pemblokiran of the overdue ASN's personnel data.

    Side effects: creates the Block, appends BLOCKED. Raises PermissionDenied, or ValidationError
    (case not overdue or no longer awaiting the PPK, an active block already, bad dates).
    """
    _check_actor(terlapor, actor, "sanctions.add_block", _("Anda tidak berwenang memblokir data kepegawaian."))
    terlapor = _locked(terlapor)
    _require_awaiting_ppk(
        terlapor, _("Hanya perkara yang menunggu tindak lanjut PPK yang dapat diblokir (status: %(status)s).")
    )
    if terlapor.overdue_since is None:
        raise _refuse(_("Perkara ini belum melewati tenggat tindak lanjut PPK."))
    if Block.objects.filter(terlapor=terlapor, lifted_on__isnull=True).exists():
        raise _refuse(_("Data kepegawaian terlapor ini sedang diblokir."))
    today, letter_number = timezone.localdate(), _one_line(letter_number)
    errors: dict[str, list[str]] = {}
    if blocked_on is None:
        errors["blocked_on"] = [_("Tanggal blokir wajib diisi.")]
    elif blocked_on > today:
        errors["blocked_on"] = [_("Tanggal blokir tidak boleh sesudah hari ini.")]
    elif blocked_on < terlapor.overdue_since:
        errors["blocked_on"] = [
            _("Tanggal blokir tidak boleh sebelum perkara melewati tenggat (%(date)s).")
            % {"date": format_date(terlapor.overdue_since)}
        ]
    if not letter_number:
        errors["letter_number"] = [_("Nomor surat blokir wajib diisi.")]
    if letter_date is None:
        errors["letter_date"] = [_("Tanggal surat wajib diisi.")]
    elif letter_date > today:
        errors["letter_date"] = [_("Tanggal surat tidak boleh sesudah hari ini.")]
    if errors:
        raise ValidationError(errors)
    block = Block(
        terlapor=terlapor, blocked_on=blocked_on, letter_number=letter_number, letter_date=letter_date, blocked_by=actor
    )
    try:
        with transaction.atomic():
            block.save(force_insert=True)
    except IntegrityError:
        raise _refuse(_("Data kepegawaian terlapor ini sedang diblokir.")) from None
    _event(
        terlapor,
        SanctionEventKind.BLOCKED,
        actor=actor,
        note=_("Data kepegawaian diblokir sejak %(date)s.") % {"date": format_date(blocked_on)},
        letter_number=letter_number,
        letter_date=letter_date,
    )
    return block


@transaction.atomic
def lift_block(block: Block, *, actor, lifted_on: date, letter_number: str) -> Block:
    """BKN records that it lifted the block.

    Side effects: sets lifted_on, lift_letter_number and lifted_by; appends BLOCK_LIFTED.
    Raises PermissionDenied or ValidationError (already lifted, bad date, no letter).
    """
    _check_actor(block.terlapor, actor, "sanctions.lift_block", _("Anda tidak berwenang membuka blokir."))
    block = Block.objects.select_for_update().select_related("terlapor").get(pk=block.pk)
    if not block.is_active:
        raise _refuse(_("Blokir ini sudah dibuka pada %(date)s.") % {"date": format_date(block.lifted_on)})
    letter_number = _one_line(letter_number)
    errors: dict[str, list[str]] = {}
    if lifted_on is None:
        errors["lifted_on"] = [_("Tanggal pembukaan wajib diisi.")]
    elif lifted_on > timezone.localdate():
        errors["lifted_on"] = [_("Tanggal pembukaan tidak boleh sesudah hari ini.")]
    elif lifted_on < block.blocked_on:
        errors["lifted_on"] = [
            _("Tanggal pembukaan tidak boleh sebelum tanggal blokir (%(date)s).")
            % {"date": format_date(block.blocked_on)}
        ]
    if not letter_number:
        errors["letter_number"] = [_("Nomor surat pembukaan wajib diisi.")]
    if errors:
        raise ValidationError(errors)
    block.lifted_on, block.lift_letter_number, block.lifted_by = lifted_on, letter_number, actor
    block.save(update_fields=["lifted_on", "lift_letter_number", "lifted_by"])
    _event(
        block.terlapor,
        SanctionEventKind.BLOCK_LIFTED,
        actor=actor,
        note=_("Blokir %(number)s dibuka pada %(date)s.")
        % {"number": block.letter_number, "date": format_date(lifted_on)},
        letter_number=letter_number,
        letter_date=lifted_on,
    )
    return block


@transaction.atomic
def record_escalation(
    terlapor: Terlapor, *, actor, kind: str, letter_number: str, letter_date: date, note: str = ""
) -> Escalation:
    """Record a step against a PPK who did not act (teguran Kemendagri/KemenPANRB, recommendation to the President).

    Side effects: creates the Escalation, appends ESCALATION with the letter.
    Raises PermissionDenied, or ValidationError (case neither overdue nor blocked, unknown kind, letter).
    """
    _check_actor(terlapor, actor, "sanctions.add_escalation", _("Anda tidak berwenang mencatat eskalasi."))
    terlapor = _locked(terlapor)
    if terlapor.overdue_since is None and not Block.objects.filter(terlapor=terlapor).exists():
        raise _refuse(_("Eskalasi hanya untuk perkara yang melewati tenggat atau diblokir."))
    letter_number, note = _one_line(letter_number), (note or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in EscalationKind.values:
        errors["kind"] = [_("Pilih jenis eskalasi.")]
    if not letter_number:
        errors["letter_number"] = [_("Nomor surat wajib diisi.")]
    if letter_date is None:
        errors["letter_date"] = [_("Tanggal surat wajib diisi.")]
    elif letter_date > timezone.localdate():
        errors["letter_date"] = [_("Tanggal surat tidak boleh sesudah hari ini.")]
    if errors:
        raise ValidationError(errors)
    escalation = Escalation.objects.create(
        terlapor=terlapor,
        kind=kind,
        letter_number=letter_number,
        letter_date=letter_date,
        note=note,
        recorded_by=actor,
    )
    label = str(EscalationKind(kind).label)
    _event(
        terlapor,
        SanctionEventKind.ESCALATION,
        actor=actor,
        note=f"{label}. {note}" if note else f"{label}.",
        letter_number=letter_number,
        letter_date=letter_date,
    )
    return escalation
