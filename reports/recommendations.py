"""The recommending authority's recommendation on a case (not proven, closed, cancelled: reports.casework).

Each outcome checks who acts (permission and visibility) and what is asked
(the catalogue's track and level, the sanction kinds open to the terlapor's
employee status), then moves the case through reports.workflow, the one
writer of Terlapor.case_status. The PPK is told by e-mail; nothing of the
reporter ever reaches the PPK (domain.md §8).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas import visibility
from netralitas.authority import NoAuthorityInForce, authority_in_force
from netralitas.calendar import DeadlineExplanation, due_date_for, format_date
from netralitas.enums import DeadlineStep, EmployeeStatus, Level, Role, SanctionAppliesTo, Track
from netralitas.models import Membership, RecommendingAuthority, SanctionKind, ViolationType
from reports import emails
from reports.enums import CaseStatus, ReportStatus
from reports.models import Recommendation, ReportEvent, Terlapor
from reports.selectors import terlapor_visible_to
from reports.workflow import transition_case

__all__ = [
    "LEVELS_OF_TRACK",
    "issue_recommendation",
    "ppk_due",
    "ppk_recipients",
    "recommendation_warnings",
    "sanction_applies",
]

# The levels a recommendation may name on each track (domain.md §5).
LEVELS_OF_TRACK: dict[str, frozenset[str]] = {
    Track.ETIK: frozenset({Level.MORAL}),
    Track.DISIPLIN: frozenset({Level.RINGAN, Level.SEDANG, Level.BERAT}),
    Track.UU_ASN: frozenset({Level.PTDH}),
}
# Who at the addressed instansi is told of a recommendation.
PPK_NOTIFIED_ROLES = (Role.PPK, Role.OPERATOR)


def sanction_applies(kind: SanctionKind, employee_status: str) -> bool:
    """Whether ``kind`` may be imposed on an ASN of ``employee_status`` (PNS covers CPNS)."""
    if kind.applies_to == SanctionAppliesTo.ALL:
        return True
    if kind.applies_to == SanctionAppliesTo.PNS:
        return employee_status in (EmployeeStatus.PNS, EmployeeStatus.CPNS)
    return employee_status == EmployeeStatus.PPPK


def ppk_due(letter_date: date) -> DeadlineExplanation:
    """The PPK's follow-up deadline of a recommendation dated ``letter_date``."""
    return due_date_for(DeadlineStep.PPK_FOLLOW_UP, letter_date)


def forwarded_date(terlapor: Terlapor) -> date | None:
    """The day the report was forwarded to the authority: its letter's date, else the forwarding event's day."""
    report = terlapor.report
    if report.forward_letter_date is not None:
        return report.forward_letter_date
    created = (
        ReportEvent.objects.filter(report_id=terlapor.report_id, to_status=ReportStatus.FORWARDED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(created) if created else None


def responsible_authority(terlapor: Terlapor, *, on: date | None = None) -> RecommendingAuthority | None:
    """The body that acts on the case on ``on`` (default today): its authority while in force, else the successor.

    A case forwarded to KASN that KASN had not processed continues at BKN after 4 September 2024
    (SE MenPANRB 4/2024): once the case's body is no longer in force, the body in force acts.
    """
    if terlapor.authority_id is None:
        return None
    on = on or timezone.localdate()
    authority = RecommendingAuthority.objects.select_related("organisation").get(pk=terlapor.authority_id)
    if authority.valid_until is None or authority.valid_until >= on:
        return authority
    try:
        return authority_in_force(on)
    except NoAuthorityInForce:
        return authority


def check_issuer(terlapor: Terlapor, actor) -> None:
    """The act comes from the organisation responsible for the case (its authority, or that body's successor)."""
    authority = responsible_authority(terlapor)
    if authority is None:
        return  # refused by the caller with its own message
    if visibility.scope_for(actor).organisation_id != authority.organisation_id:
        name = authority.organisation.name
        raise PermissionDenied(_("Perkara ini ditangani %(authority)s: Anda bukan petugasnya.") % {"authority": name})


def recommendation_warnings(terlapor: Terlapor, violation_type: ViolationType) -> list[str]:
    """Checks that warn, never refuse: B9 (before penetapan) vs B10 (after) against the incident date."""
    from netralitas.elections import penetapan_of

    report = terlapor.report
    if violation_type.code not in ("B9", "B10") or report.election_id is None:
        return []
    penetapan = penetapan_of(report.election_id)
    if penetapan is None:
        return []
    before = report.incident_date < penetapan
    if violation_type.code == "B10" and before:
        return [
            _(
                "B10 berlaku sesudah penetapan peserta (%(date)s), tetapi kejadian tanggal %(incident)s terjadi "
                "sebelumnya: periksa apakah B9 lebih tepat."
            )
            % {"date": format_date(penetapan), "incident": format_date(report.incident_date)}
        ]
    if violation_type.code == "B9" and not before:
        return [
            _(
                "B9 berlaku sebelum penetapan peserta (%(date)s), tetapi kejadian tanggal %(incident)s terjadi "
                "sesudahnya: periksa apakah B10 lebih tepat."
            )
            % {"date": format_date(penetapan), "incident": format_date(report.incident_date)}
        ]
    return []


def check_case_actor(terlapor: Terlapor, actor, permission: str, message: str) -> None:
    """Raise PermissionDenied with ``message`` unless ``actor`` holds ``permission`` and sees the case."""
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(message)
    if not terlapor_visible_to(actor).filter(pk=terlapor.pk).exists():
        raise PermissionDenied(message)


def locked_case(terlapor: Terlapor) -> Terlapor:
    """The case row, locked for the rest of the transaction, refreshed into ``terlapor``."""
    fresh = Terlapor.objects.select_for_update().get(pk=terlapor.pk)
    for field in (
        "case_status",
        "due_date",
        "due_step",
        "due_explanation",
        "authority_id",
        "person_id",
        "satgas_track",
        "satgas_level",
    ):
        setattr(terlapor, field, getattr(fresh, field))
    return terlapor


def require_case_status(terlapor: Terlapor, allowed: Iterable[str], message: str) -> None:
    """Raise ValidationError with ``message`` (naming the status) unless the case is in one of ``allowed``."""
    if terlapor.case_status not in allowed:
        raise ValidationError({NON_FIELD_ERRORS: [message % {"status": terlapor.get_case_status_display()}]})


def _track_errors(violation_type: ViolationType, track: str, level: str, terlapor: Terlapor) -> dict[str, str]:
    errors: dict[str, str] = {}
    if violation_type.track == Track.SATGAS:
        # Outside the matrix the Satgas decides first (taskforce.services); the recommendation follows it.
        if not terlapor.satgas_track:
            errors["track"] = _(
                "Untuk pelanggaran di luar matriks (B13), Satgas harus lebih dulu menetapkan jalur dan tingkat."
            )
        elif (track, level) != (terlapor.satgas_track, terlapor.satgas_level):
            errors["track"] = _(
                "Untuk pelanggaran di luar matriks (B13), jalur dan tingkat harus sesuai keputusan Satgas: "
                "%(track)s, %(level)s."
            ) % {"track": Track(terlapor.satgas_track).label, "level": Level(terlapor.satgas_level).label}
        return errors
    elif track != violation_type.track:
        errors["track"] = _("Jalur untuk %(code)s menurut katalog adalah %(track)s.") % {
            "code": violation_type.code,
            "track": Track(violation_type.track).label,
        }
    if "track" in errors:
        return errors
    if violation_type.track != Track.SATGAS and level != violation_type.level:
        errors["level"] = _("Tingkat untuk %(code)s menurut katalog adalah %(level)s.") % {
            "code": violation_type.code,
            "level": Level(violation_type.level).label if violation_type.level else "-",
        }
    elif level not in LEVELS_OF_TRACK.get(track, ()):
        errors["level"] = _("Tingkat %(level)s tidak ada pada jalur %(track)s.") % {
            "level": Level(level).label if level in Level.values else level,
            "track": Track(track).label,
        }
    return errors


def _sanction_errors(kinds: list[SanctionKind], track: str, level: str, employee_status: str) -> list[str]:
    if not kinds:
        return [_("Pilih sekurang-kurangnya satu jenis sanksi yang direkomendasikan.")]
    errors = []
    status_label = EmployeeStatus(employee_status).label
    for kind in kinds:
        if not kind.is_active:
            errors.append(_("“%(kind)s” tidak aktif lagi.") % {"kind": kind.name})
        elif kind.track != track or kind.level != level:
            errors.append(
                _("“%(kind)s” bukan sanksi jalur %(track)s tingkat %(level)s.")
                % {"kind": kind.name, "track": Track(track).label, "level": Level(level).label}
            )
        elif not sanction_applies(kind, employee_status):
            errors.append(_("“%(kind)s” tidak berlaku bagi %(status)s.") % {"kind": kind.name, "status": status_label})
    return errors


@transaction.atomic
def issue_recommendation(
    terlapor: Terlapor,
    *,
    actor,
    finding: str,
    violation_type: ViolationType,
    track: str,
    level: str,
    sanction_kinds: Iterable[SanctionKind],
    reasoning: str,
    letter_number: str,
    letter_date: date,
    received_date: date | None = None,
) -> Recommendation:
    """Issue the recommendation on one terlapor's case and send it to the PPK of their instansi.

    ``received_date``: the day the instansi received the letter (default: ``letter_date``); the
    PPK's deadline runs from it. The letter may not precede the forwarding nor lie in the future;
    the issuer must work at the organisation that is the case's recommending authority.
    Side effects: creates the Recommendation (authority kept on the case, addressed to the
    terlapor's instansi); moves the case clarification → recommended → awaiting_ppk (two
    CaseEvents), the PPK's deadline counted from the day received; queues an e-mail to the
    instansi's official address and to its PPK and operators (never anything of the reporter), with
    the link to the case page where the PPK records the decision, and one to the reporter (track,
    level and deadline; never the PIN).
    Raises PermissionDenied (no permission, a case the actor cannot see, or an issuer outside the
    case's authority), ValidationError with messages keyed by field, or StaleReport when another
    request moved the case first.
    """
    check_case_actor(
        terlapor,
        actor,
        "reports.issue_recommendation",
        _("Anda tidak berwenang menerbitkan rekomendasi untuk perkara ini."),
    )
    terlapor = locked_case(terlapor)
    check_issuer(terlapor, actor)
    require_case_status(
        terlapor,
        {CaseStatus.CLARIFICATION},
        _("Rekomendasi hanya dapat diterbitkan untuk perkara dalam tahap klarifikasi (status sekarang: %(status)s)."),
    )
    finding, reasoning, letter_number = finding.strip(), reasoning.strip(), " ".join(letter_number.split())
    kinds = list(sanction_kinds)
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if terlapor.authority_id is None:
        add(NON_FIELD_ERRORS, _("Perkara ini belum diteruskan ke lembaga pemberi rekomendasi."))
    if terlapor.employee_status == EmployeeStatus.UNKNOWN:
        add(
            NON_FIELD_ERRORS,
            _(
                "Status kepegawaian terlapor belum diketahui. Lengkapi dulu (PNS, CPNS atau PPPK) pada data "
                "terlapor: sanksi bagi PNS dan PPPK berbeda."
            ),
        )
    if not finding:
        add("finding", _("Temuan wajib diisi."))
    if not violation_type.is_active:
        add("violation_type", _("Jenis pelanggaran %(code)s tidak aktif lagi.") % {"code": violation_type.code})
    else:
        for field, message in _track_errors(violation_type, track, level, terlapor).items():
            add(field, message)
        if "track" not in errors and "level" not in errors:
            for message in _sanction_errors(kinds, track, level, terlapor.employee_status):
                add("sanction_kinds", message)
    if not reasoning:
        if violation_type.track == Track.SATGAS:
            add("reasoning", _("Untuk pelanggaran di luar matriks, pertimbangan wajib memuat keputusan Satgas."))
        else:
            add("reasoning", _("Pertimbangan wajib diisi."))
    if not letter_number:
        add("letter_number", _("Nomor surat wajib diisi."))
    elif Recommendation.objects.filter(letter_number=letter_number).exists():
        add("letter_number", _("Nomor surat %(number)s sudah dipakai.") % {"number": letter_number})
    if letter_date is None:
        add("letter_date", _("Tanggal surat wajib diisi."))
    elif letter_date > timezone.localdate():
        add("letter_date", _("Tanggal surat tidak boleh sesudah hari ini."))
    else:
        forwarded_on = forwarded_date(terlapor)
        if forwarded_on is not None and letter_date < forwarded_on:
            add(
                "letter_date",
                _("Tanggal surat tidak boleh sebelum laporan diteruskan (%(date)s).")
                % {"date": format_date(forwarded_on)},
            )
        if received_date is not None and received_date < letter_date:
            add("received_date", _("Tanggal diterima tidak boleh sebelum tanggal surat."))
        elif received_date is not None and received_date > timezone.localdate():
            add("received_date", _("Tanggal diterima tidak boleh sesudah hari ini."))
    if errors:
        raise ValidationError(errors)

    recommendation = Recommendation(
        terlapor=terlapor,
        authority_id=terlapor.authority_id,
        addressed_to_id=terlapor.instansi_id,
        finding=finding,
        violation_type=violation_type,
        track=track,
        level=level,
        reasoning=reasoning,
        letter_number=letter_number,
        letter_date=letter_date,
        received_date=received_date,
        issued_by=actor,
    )
    try:
        with transaction.atomic():
            recommendation.save(force_insert=True)
    except IntegrityError:
        # Another recommendation took the number between the check and the insert.
        raise ValidationError(
            {"letter_number": [_("Nomor surat %(number)s sudah dipakai.") % {"number": letter_number}]}
        ) from None
    recommendation.sanction_kinds.set(kinds)
    note = _("Rekomendasi %(number)s tanggal %(date)s.") % {"number": letter_number, "date": format_date(letter_date)}
    transition_case(terlapor, CaseStatus.RECOMMENDED, actor=actor, note=note, start=letter_date)
    transition_case(
        terlapor,
        CaseStatus.AWAITING_PPK,
        actor=actor,
        note=_("Rekomendasi dikirim kepada PPK %(instansi)s.") % {"instansi": terlapor.instansi.name},
        start=recommendation.deadline_start,
    )
    emails.email_ppk_recommendation(
        recommendation, kinds, due=ppk_due(recommendation.deadline_start), recipients=ppk_recipients(recommendation)
    )
    emails.email_reporter_recommendation(recommendation)
    return recommendation


def ppk_recipients(recommendation: Recommendation) -> list[str]:
    """The addressed instansi's official e-mail, then its active PPK and operators' e-mails (no duplicates)."""
    organisation = recommendation.addressed_to
    addresses = [organisation.email] if organisation.email else []
    addresses += (
        Membership.objects.filter(
            organisation=organisation, role__in=PPK_NOTIFIED_ROLES, is_active=True, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique
