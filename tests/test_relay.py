"""Contact without exposure (reports.relay): staff ask, the reporter answers on the status page, nobody learns who."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from netralitas.models import OutboxMessage, Region
from reports import relay
from reports.enums import Confidentiality, EventKind, ReportStatus
from reports.models import ReporterQuestion
from reports.pins import hash_pin
from tests.factories import ReportFactory, TerlaporFactory

PIN = "K7QM-3XWD-9PHT-R2NB"
QUESTION = "Jam berapa deklarasi itu dimulai?"


@pytest.fixture
def report(organisations):
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"],
        region=Region.objects.get(name="Kabupaten Sleman"),
        reporter_email="sri.pelapor@example.org",
        pin_hash=hash_pin(PIN),
    )
    TerlaporFactory(report=report, instansi=organisations["pemda_sleman"])
    return report


def reporter_client(report) -> Client:
    """A browser that opened ``report`` on /status/ with its code and PIN."""
    from reports.public.antibot import issue_timer

    client = Client()
    response = client.post("/status/", {"tracking_code": report.tracking_code, "pin": PIN, "form_ts": issue_timer()})
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    return client


@pytest.fixture(autouse=True)
def no_antibot_wait(settings):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0


def test_the_recommending_authority_asks_and_the_reporter_answers_on_the_status_page(cast, report):
    question = relay.ask_reporter(
        report, actor=cast["authority_bkn"], question=QUESTION, status_url="https://x/status/"
    )

    mail = OutboxMessage.objects.get()
    assert (mail.recipient, mail.to_reporter, mail.dedupe_key) == (
        "sri.pelapor@example.org",
        True,
        f"reporter-question:{question.pk}",
    )
    assert QUESTION in mail.body and "https://x/status/" in mail.body
    client = reporter_client(report)
    page = client.get("/status/laporan/").content.decode()
    assert QUESTION in page and 'action="/status/laporan/jawab/"' in page

    empty = client.post("/status/laporan/jawab/", {"question": question.pk, "jawaban": "  "})
    assert empty.status_code == 400 and "Tuliskan jawaban Anda." in empty.content.decode()
    done = client.post("/status/laporan/jawab/", {"question": question.pk, "jawaban": "Pukul sembilan pagi."})

    assert (done.status_code, done["Location"]) == (303, "/status/laporan/")
    question.refresh_from_db()
    assert question.answer == "Pukul sembilan pagi." and question.answered_at is not None
    assert [(e.kind, e.actor, e.is_public) for e in report.events.order_by("id")] == [
        (EventKind.QUESTION_ASKED, cast["authority_bkn"], False),
        (EventKind.REPORTER_ANSWERED, None, False),
    ]
    again = client.post("/status/laporan/jawab/", {"question": question.pk, "jawaban": "Lagi."})
    assert again.status_code == 303 and ReporterQuestion.objects.get().answer == "Pukul sembilan pagi."


def test_the_asker_reads_the_answer_without_the_reporter_and_the_accused_reads_nothing(cast, report):
    question = relay.ask_reporter(report, actor=cast["authority_bkn"], question=QUESTION)
    relay.answer_question(report, question.pk, answer="Pukul sembilan pagi.")
    url = f"/admin/reports/report/{report.pk}/change/"

    for who, sees in (("authority_bkn", True), ("bawaslu_sleman", True), ("ppk_sleman", False), ("admin", False)):
        client = Client()
        client.force_login(cast[who])
        page = client.get(url)
        html = page.content.decode()
        assert ("Pukul sembilan pagi." in html) is sees, who
        assert "sri.pelapor@example.org" not in html and "Pelapor Rahasia" not in html, who


@pytest.mark.parametrize(
    "who", ["ppk_sleman", "operator_sleman", "satgas_sleman", "admin", "wasdal_bkn", "operator_yogya"]
)
def test_the_accused_chain_of_command_and_others_may_not_ask(cast, report, who):
    assert relay.may_ask_reporter(report, cast[who]) is False
    with pytest.raises(PermissionDenied):
        relay.ask_reporter(report, actor=cast[who], question=QUESTION)
    assert ReporterQuestion.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_an_anonymous_reporter_is_asked_on_the_status_page_only(cast, organisations):
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"],
        confidentiality=Confidentiality.ANONYMOUS,
        reporter_name="",
        reporter_email="",
    )
    relay.ask_reporter(report, actor=cast["authority_bkn"], question=QUESTION)
    assert OutboxMessage.objects.count() == 0 and report.questions.count() == 1


def test_questions_close_with_the_report(cast, report):
    question = relay.ask_reporter(report, actor=cast["bawaslu_sleman"], question=QUESTION)
    type(report).objects.filter(pk=report.pk).update(status=ReportStatus.REJECTED)
    report.refresh_from_db()
    assert relay.may_ask_reporter(report, cast["bawaslu_sleman"]) is False
    from reports.workflow import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        relay.answer_question(report, question.pk, answer="Terlambat.")


def test_the_ask_action_in_the_admin_relays_the_question(cast, report):
    client = Client()
    client.force_login(cast["authority_bkn"])
    page = client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.context["ask_url"] == f"/admin/reports/report/{report.pk}/tindakan/tanya-pelapor/"

    refused = client.post(page.context["ask_url"], {"question": ""})
    done = client.post(page.context["ask_url"], {"question": QUESTION}, follow=True)

    assert refused.status_code == 200 and "question" in refused.context["form"].errors
    assert [str(m) for m in done.context["messages"]] == [
        f"Pertanyaan untuk pelapor {report.tracking_code} terkirim melalui portal."
    ]
    assert list(report.questions.values_list("question", flat=True)) == [QUESTION]


def test_the_question_e_mail_links_to_the_status_page_on_the_portals_address(cast, report, settings):
    """The admin's "Tanya pelapor" passes no address: the e-mail must still carry an absolute link."""
    settings.SITE_URL = "https://netralitas.example.go.id"
    relay.ask_reporter(report, actor=cast["authority_bkn"], question=QUESTION)
    body = OutboxMessage.objects.get().body
    assert "https://netralitas.example.go.id/status/" in body
    assert " /status/" not in body and "\n/status/" not in body
