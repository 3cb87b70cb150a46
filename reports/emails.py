"""The reports app's e-mails, one function per message; absolute links built in one place (netralitas.links).

Each is queued in the caller's transaction through the outbox (netralitas.notifications, sent on
commit) with a dedupe key. To the reporter: only when they gave an address, and never the PIN: the
link leads to the status page, where the tracking code and PIN open the report. To the PPK: the
case, never the report (and so never the reporter).
"""

from __future__ import annotations

import functools
import hashlib
from contextlib import nullcontext
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from netralitas.calendar import DeadlineExplanation, format_date
from netralitas.enums import DayType, PeriodPhase
from netralitas.links import absolute_reverse, absolute_url
from netralitas.models import SanctionKind
from netralitas.notifications import email_row_of_new_parent, queue_email
from reports.enums import EvidenceKind, ReportStatus
from reports.models import Evidence, Recommendation, Report, ReporterQuestion, ReportEvent

RECEIVED_KEY = "report-received:"  # + the report's id: the receipt's dedupe key
JAKARTA = ZoneInfo("Asia/Jakarta")  # the receipt says WIB whatever time zone is active


def status_url() -> str:
    """The status page on the portal's public address (settings.SITE_URL)."""
    return absolute_url("/status/")


def _render(template: str, context: dict) -> tuple[str, str]:
    """Subject (one line) and text body of ``emails/<template>-…`` in the active language."""
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    return subject, render_to_string(f"emails/{template}-body.txt", context)


def _send(report: Report, template: str, dedupe_key: str, *, language: str | None = "id", **context) -> None:
    """Queue ``template`` to ``report``'s reporter, if they gave an address.

    ``language`` None renders in the active language (the request's), else in ``language``.
    """
    if not report.reporter_email:
        return
    context = {"report": report, "status_url": status_url(), **context}
    with translation.override(language) if language else nullcontext():
        subject, body = _render(template, context)
    queue_email(recipient=report.reporter_email, subject=subject, body=body, dedupe_key=dedupe_key, to_reporter=True)


# ---------------------------------------------------------------- to the reporter


def report_received_message(report: Report, evidence: list[Evidence], *, status_url: str) -> tuple[str, str]:
    """Subject and text body of the receipt, in the active language; ``evidence`` what the report carries, in order.

    Written here rather than by a template (issue 11): the receipt goes out with every public submission, and
    the template engine cost each one ~1 ms, a tenth of its CPU. The texts are the catalogue's (gettext, looked
    up once per language), so translators see the same messages; tests/test_receipt_mail.py holds the exact
    text of each branch.
    """
    text = _receipt_texts(translation.get_language())
    code = report.tracking_code
    at = timezone.localtime(report.received_at, JAKARTA)
    lines = [
        text["heading"],
        "",
        f"{text['code']}: {code}",
        f"{text['received']}: {at.day} {text['months'][at.month - 1]} {at.year}, {at:%H:%M} WIB",
        f"{text['status']}: {text['statuses'][report.status]}",
    ]
    if report.election:
        phase = text["phases"].get(report.period_phase, report.period_phase)
        lines.append(f"{text['election']}: {report.election.name} ({phase})")
    lines += ["", text["follow"] % {"status_url": status_url}, ""]
    if report.reported_late:
        lines += [text["late"], ""]
    files = [item for item in evidence if item.kind == EvidenceKind.FILE]
    if files:
        lines.append(text["files"])
        for item in files:
            lines += [f"- {item.original_name} ({item.size} {text['bytes']})", f"  SHA-256: {item.sha256}"]
        lines.append("")
    links = [item for item in evidence if item.kind == EvidenceKind.LINK]
    if links:
        lines.append(text["links"])
        lines += [f"- {item.url}" for item in links]
        lines.append("")
    lines += [text["footer"], "", ""]
    return text["subject"] % {"code": code}, "\n".join(lines)


@functools.cache
def _receipt_texts(language: str | None) -> dict:
    """The receipt's fixed texts in ``language`` (each gettext cost ~10 µs, and a receipt has some thirty)."""
    with translation.override(language):
        return {
            "heading": _("Laporan Anda tentang netralitas ASN sudah kami terima."),
            "code": _("Kode pelacakan"),
            "received": _("Diterima"),
            "months": [str(MONTHS[number]) for number in range(1, 13)],
            "status": _("Status"),
            "statuses": {value: str(label) for value, label in ReportStatus.choices},
            "election": _("Pemilihan"),
            "phases": {value: str(label) for value, label in PeriodPhase.choices},
            "follow": _(
                "Pantau laporan Anda di %(status_url)s dengan kode pelacakan dan PIN yang ditampilkan sesudah "
                "laporan terkirim. Demi keamanan, PIN tidak pernah dikirim lewat surel; bila PIN hilang, laporan "
                "tetap ditangani tetapi Anda tidak dapat memantaunya."
            ),
            "late": _(
                "Laporan ini melewati batas 7 hari sejak kejadian diketahui. Laporan tetap diterima dan dicatat "
                "terlambat; petugas akan menilai apakah masih dapat diregistrasi."
            ),
            "files": _("Bukti berkas (sidik SHA-256):"),
            "bytes": _("bita"),
            "links": _("Bukti tautan:"),
            "footer": _("Surel ini dikirim otomatis oleh portal Netralitas ASN. Jangan membalas surel ini."),
            "subject": _("Tanda terima laporan %(code)s"),
        }


def receipt_row(report: Report, evidence: list[Evidence], *, status_url: str) -> tuple[str, list] | None:
    """The receipt's outbox row, to be written in the statement that inserts the new ``report`` (netralitas.
    db_insert's dependents: the same message and dedupe key as email_reporter_received); None without an address.

    ``report`` is not saved yet; its tracking code is drawn. After the statement: deliver_on_commit(the id).
    """
    if not report.reporter_email:
        return None
    subject, body = report_received_message(report, evidence, status_url=status_url)
    return email_row_of_new_parent(
        recipient=report.reporter_email, subject=subject, body=body, key_prefix=RECEIVED_KEY, to_reporter=True
    )


def email_reporter_received(report: Report, evidence: list[Evidence] | None, *, status_url: str) -> None:
    """The receipt: the report arrived, with its tracking code and the evidence sent (in the reporter's language).

    ``evidence`` is what the submission stored, in order; None reads it back from the report.
    """
    if not report.reporter_email:
        return
    if evidence is None:
        evidence = list(report.evidence.order_by("uploaded_at", "pk"))
    subject, body = report_received_message(report, evidence, status_url=status_url)
    queue_email(
        recipient=report.reporter_email,
        subject=subject,
        body=body,
        dedupe_key=f"{RECEIVED_KEY}{report.pk}",
        to_reporter=True,
    )


def email_reporter_needs_completion(
    report: Report, event: ReportEvent, *, message: str, status_url: str | None = None
) -> None:
    """The verifiers ask the reporter for more information (``message``), answered on the status page."""
    extra = {"status_url": status_url} if status_url else {}
    _send(
        report,
        "report_needs_completion",
        f"report_needs_completion:{report.pk}:{event.pk}",
        language=None,
        message=message,
        **extra,
    )


def email_reporter_rejected(report: Report, event: ReportEvent, *, reason: str, status_url: str | None = None) -> None:
    """The report cannot be followed up, with the reason the verifiers gave."""
    extra = {"status_url": status_url} if status_url else {}
    _send(report, "report_rejected", f"report_rejected:{report.pk}:{event.pk}", language=None, reason=reason, **extra)


def email_reporter_question(question: ReporterQuestion, *, status_url: str | None = None) -> None:
    """Staff relay a question (reports.relay); the reporter answers it on the status page."""
    extra = {"status_url": status_url} if status_url else {}
    _send(
        question.report,
        "reporter_question",
        f"reporter-question:{question.pk}",
        language=None,
        question=question.question,
        **extra,
    )


def email_reporter_registered(report: Report, event: ReportEvent) -> None:
    """The report passed verification and was registered; the kajian comes next."""
    _send(report, "report_registered", f"report-registered:{report.pk}:{event.pk}")


def email_reporter_forwarded(report: Report, event: ReportEvent, *, authority: str) -> None:
    """The kajian found a suspected violation; the report went to the recommending authority."""
    _send(report, "report_forwarded", f"report-forwarded:{report.pk}:{event.pk}", authority=authority)


def email_reporter_recommendation(recommendation: Recommendation) -> None:
    """A recommendation was issued on one terlapor of the reporter's report (track and level, PPK deadline)."""
    terlapor = recommendation.terlapor
    report = terlapor.report
    _send(
        report,
        "case_recommended",
        f"case-recommended:{recommendation.pk}",
        terlapor_name=terlapor.name,
        letter_date=format_date(recommendation.letter_date),
        track=recommendation.get_track_display(),
        level=recommendation.get_level_display(),
        due_date=format_date(terlapor.due_date) if terlapor.due_date else "",
    )


def email_reporter_closed(report: Report) -> None:
    """Every terlapor reached an outcome: the report is closed, each outcome named."""
    from reports.outcomes import case_outcomes

    with translation.override("id"):
        cases = case_outcomes(report)
    _send(report, "report_closed", f"report-closed:{report.pk}", cases=cases)


# ---------------------------------------------------------------- to the PPK


def email_ppk_recommendation(
    recommendation: Recommendation, kinds: list[SanctionKind], *, due: DeadlineExplanation, recipients: list[str]
) -> None:
    """The recommendation to follow up, to each of ``recipients`` (the instansi, its PPK and operators), once each."""
    terlapor = recommendation.terlapor
    # Only what the PPK needs; the report (and so the reporter) is deliberately not in the context.
    context = {
        "ppk_display": recommendation.addressed_to.ppk_display or recommendation.addressed_to.name,
        "authority_name": recommendation.authority.organisation.name,
        "letter_number": recommendation.letter_number,
        "letter_date": format_date(recommendation.letter_date),
        "terlapor_name": terlapor.name,
        "terlapor_nip": terlapor.nip,
        "terlapor_position": terlapor.position,
        "terlapor_work_unit": terlapor.work_unit,
        "terlapor_status": terlapor.get_employee_status_display(),
        "instansi": recommendation.addressed_to.name,
        "violation": f"{recommendation.violation_type.code} · {recommendation.violation_type.title}",
        "track": recommendation.get_track_display(),
        "level": recommendation.get_level_display(),
        "sanction_kinds": [kind.name for kind in kinds],
        "due_date": format_date(due.due),
        "due_days": due.days,
        "due_unit": _("hari kerja") if due.day_type == DayType.WORKING else _("hari kalender"),
        "case_url": absolute_reverse("sanctions:case", pk=terlapor.pk),
    }
    subject, body = _render("recommendation_issued", context)
    for recipient in recipients:
        digest = hashlib.sha256(recipient.lower().encode()).hexdigest()[:24]
        queue_email(
            recipient=recipient,
            subject=subject,
            body=body,
            dedupe_key=f"recommendation-issued:{recommendation.pk}:{digest}",
        )
