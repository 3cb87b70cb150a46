"""Contact without exposure: staff ask the reporter a question through the portal, the reporter answers.

Staff who may not know who reported (the recommending authority during klarifikasi, a Bawaslu
doing the kajian, BKN's Satgas when the reporter's identity stays sealed) still need to ask
the reporter something. The question appears on the reporter's status page and, when they
gave an e-mail address, goes to it through the outbox (the address is never shown to staff:
netralitas.admin hides messages to reporters). The answer comes back as an internal report
event. Nobody in a terlapor's chain of command may ask: a question from the accused's office
is pressure, however it is relayed.

Who reads the questions and answers: the asker's organisation, the intake organisation, and
national bodies other than the administrators (reporter_questions_visible_to).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas import visibility
from netralitas.enums import Role
from reports import emails
from reports.confidentiality import independent_of
from reports.enums import REPORT_FINISHED, EventKind
from reports.models import Report, ReporterQuestion, ReportEvent
from reports.selectors import reports_visible_to
from reports.workflow import StaleReport, TransitionNotAllowed

__all__ = [
    "ANSWER_MAX_LENGTH",
    "QUESTION_MAX_LENGTH",
    "answer_question",
    "ask_reporter",
    "may_ask_reporter",
    "open_questions",
    "reporter_questions_visible_to",
]

ASK_PERMISSION = "reports.ask_reporter"
QUESTION_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 5000
DEFAULT_STATUS_URL = None  # the status page on settings.SITE_URL (reports.emails.status_url)


def may_ask_reporter(report: Report, user) -> bool:
    """Whether ``user`` may relay a question to ``report``'s reporter (the button and the service agree)."""
    if user is None or not user.is_authenticated or not user.has_perm(ASK_PERMISSION):
        return False
    if report.status in REPORT_FINISHED:
        return False
    scope = visibility.scope_for(user)
    if scope.organisation_id is None or scope.role == Role.ADMIN:
        return False
    if not reports_visible_to(user).filter(pk=report.pk).exists():
        return False
    return independent_of(scope.organisation_id, report.terlapor.values_list("instansi_id", flat=True))


@transaction.atomic
def ask_reporter(
    report: Report, *, actor, question: str, status_url: str | None = DEFAULT_STATUS_URL
) -> ReporterQuestion:
    """Relay ``question`` to the reporter of ``report``: status page, and e-mail when they gave an address.

    Side effects: a ReporterQuestion, an internal QUESTION_ASKED event, and (with an address) an
    outbox message marked to_reporter (sent on commit; never the PIN). Raises PermissionDenied
    (not allowed, see may_ask_reporter) or ValueError (empty or too long question).
    """
    if not may_ask_reporter(report, actor):
        raise PermissionDenied(_("Anda tidak dapat mengajukan pertanyaan kepada pelapor laporan ini."))
    question = question.strip()
    if not question:
        raise ValueError(_("Tuliskan pertanyaan untuk pelapor."))
    if len(question) > QUESTION_MAX_LENGTH:
        raise ValueError(_("Pertanyaan paling banyak %(max)d karakter.") % {"max": QUESTION_MAX_LENGTH})
    asked = ReporterQuestion.objects.create(
        report=report,
        asked_by=actor,
        organisation_id=visibility.scope_for(actor).organisation_id,
        question=question,
    )
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.QUESTION_ASKED,
        actor=actor,
        note=_("Pertanyaan kepada pelapor diajukan melalui portal (tanpa membuka identitasnya)."),
        is_public=False,
    )
    emails.email_reporter_question(asked, status_url=status_url)
    return asked


def open_questions(report: Report) -> list[ReporterQuestion]:
    """The questions ``report``'s reporter has not answered yet, oldest first (for the status page)."""
    return list(report.questions.filter(answered_at__isnull=True).order_by("asked_at", "pk"))


def answered_questions(report: Report) -> list[ReporterQuestion]:
    """The questions the reporter answered, oldest first (for the status page)."""
    return list(report.questions.filter(answered_at__isnull=False).order_by("asked_at", "pk"))


@transaction.atomic
def answer_question(report: Report, question_id: int, *, answer: str) -> ReporterQuestion:
    """Record the reporter's answer to one open question of ``report``; staff read it as an internal event.

    Side effects: the answer and its time on the question (compare-and-set: once only), and an
    internal REPORTER_ANSWERED event (actor empty: the reporter). Raises ValueError (empty or too
    long answer), TransitionNotAllowed (no such open question of this report, or the report is
    finished), StaleReport (answered meanwhile, e.g. in another tab).
    """
    answer = answer.strip()
    if not answer:
        raise ValueError(_("Tuliskan jawaban Anda."))
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValueError(_("Jawaban paling banyak %(max)d karakter.") % {"max": ANSWER_MAX_LENGTH})
    if report.status in REPORT_FINISHED:
        raise TransitionNotAllowed(report.status)
    question = ReporterQuestion.objects.filter(pk=question_id, report=report).first()
    if question is None:
        raise TransitionNotAllowed("no such question")
    now = timezone.now()
    moved = ReporterQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
        answer=answer, answered_at=now
    )
    if moved != 1:
        raise StaleReport(report.tracking_code)
    question.answer, question.answered_at = answer, now
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.REPORTER_ANSWERED,
        note=_("Pelapor menjawab pertanyaan tanggal %(date)s.")
        % {"date": timezone.localtime(question.asked_at).strftime("%d-%m-%Y %H:%M")},
        is_public=False,
    )
    return question


@visibility.register(ReporterQuestion)
def reporter_questions_visible_to(user) -> QuerySet[ReporterQuestion]:
    """Questions and answers ``user`` may read: the asker's and the intake's organisations, national bodies.

    Never the administrators, never a terlapor's instansi (it cannot ask, and does not read answers).
    """
    scope = visibility.scope_for(user)
    if scope.organisation_id is None and not scope.national:
        return ReporterQuestion.objects.none()
    if scope.role == Role.ADMIN:
        return ReporterQuestion.objects.none()
    if scope.national:
        return ReporterQuestion.objects.all()
    return ReporterQuestion.objects.filter(
        Q(organisation_id=scope.organisation_id) | Q(report__intake_organisation_id=scope.organisation_id)
    )
