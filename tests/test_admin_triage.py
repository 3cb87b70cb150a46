"""Triage in the admin: filters, search, actions through the admin's POST, the case page, fast changelists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netralitas.authority import authority_in_force
from netralitas.enums import PeriodPhase
from netralitas.models import Election, OutboxMessage, Region, SanctionKind, ViolationType
from reports.enums import CaseStatus, ReportStatus
from reports.models import CaseEvent, ExternalReference, Recommendation, Report, ReportEvent, Terlapor
from reports.staff.changelist import CappedCountPaginator
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import MINIMAL_PDF

CHANGELIST = "/admin/reports/report/"


def today() -> dt.date:
    return timezone.localdate()


def make_report(
    organisations,
    *,
    status=ReportStatus.RECEIVED,
    intake="bawaslu_sleman",
    region="Kabupaten Sleman",
    instansi="pemda_sleman",
    terlapor="Budi Santoso",
    nip="197806122005011003",
    case_status=CaseStatus.PENDING,
    **fields,
) -> Report:
    """A report with one terlapor; status set directly (test data, not a transition)."""
    report = ReportFactory(
        intake_organisation=organisations[intake] if intake else None,
        region=Region.objects.get(name=region),
        status=status,
        **fields,
    )
    TerlaporFactory(
        report=report,
        name=terlapor,
        nip=nip,
        instansi=organisations[instansi],
        case_status=case_status,
        authority=authority_in_force(today()) if case_status != CaseStatus.PENDING else None,
    )
    return report


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def csrf_post(client: Client, url: str, data: dict | None = None, *, form_url: str | None = None):
    """POST like a browser: fetch a page with the form first, send its CSRF token back."""
    client.get(form_url or url)
    token = client.cookies["csrftoken"].value
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": token}, follow=True)


def shown(response) -> list[Report]:
    return list(response.context["cl"].result_list)


def codes(response) -> list[str]:
    return sorted(r.tracking_code for r in shown(response))


def sorted_codes(*reports) -> list[str]:
    return sorted(r.tracking_code for r in reports)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def action_url(report: Report, name: str) -> str:
    return reverse("admin:reports_report_action", args=[report.pk, name])


def case_action_url(case: Terlapor, name: str) -> str:
    return reverse("admin:reports_terlapor_action", args=[case.pk, name])


# --- filters and search --------------------------------------------------------------------------


def test_overdue_filter_gives_open_reports_past_their_due_date(cast, organisations):
    yesterday, tomorrow = today() - dt.timedelta(days=1), today() + dt.timedelta(days=1)
    late = make_report(organisations, status=ReportStatus.VERIFYING, due_date=yesterday)
    make_report(organisations, status=ReportStatus.REJECTED, due_date=yesterday)  # finished: no clock runs
    make_report(organisations, status=ReportStatus.VERIFYING, due_date=tomorrow)
    make_report(organisations, status=ReportStatus.VERIFYING, due_date=today())  # due today is not late
    client = client_for(cast["bawaslu_sleman"])

    response = client.get(CHANGELIST, {"lewat_tenggat": "ya"})

    assert codes(response) == [late.tracking_code]
    assert "lewat tenggat" in response.content.decode()


def test_overdue_filter_on_cases(cast, organisations):
    yesterday = today() - dt.timedelta(days=1)
    late = make_report(organisations, status=ReportStatus.FORWARDED, case_status=CaseStatus.CLARIFICATION)
    Terlapor.objects.filter(report=late).update(due_date=yesterday)
    done = make_report(organisations, status=ReportStatus.CLOSED, case_status=CaseStatus.NOT_PROVEN)
    Terlapor.objects.filter(report=done).update(due_date=yesterday)

    response = client_for(cast["authority_bkn"]).get("/admin/reports/terlapor/", {"lewat_tenggat": "ya"})

    assert list(response.context["cl"].result_list) == [late.terlapor.get()]


def test_assigned_to_me_filter(cast, organisations):
    me, colleague = cast["bawaslu_sleman"], cast["bawaslu_diy"]
    mine = make_report(organisations, assigned_to=me)
    make_report(organisations, assigned_to=colleague)
    nobodys = make_report(organisations)
    client = client_for(me)

    assert codes(client.get(CHANGELIST, {"ditangani": "saya"})) == [mine.tracking_code]
    assert codes(client.get(CHANGELIST, {"ditangani": "belum"})) == [nobodys.tracking_code]


def test_provinsi_status_instansi_violation_election_and_phase_filters(cast, organisations):
    b4 = ViolationType.objects.get(code="B4")
    pilkada = Election.objects.order_by("pk").first()
    sleman = make_report(
        organisations,
        status=ReportStatus.VERIFYING,
        violation_type=b4,
        election=pilkada,
        period_phase=PeriodPhase.KAMPANYE,
    )
    surabaya = make_report(
        organisations, intake=None, region="Kota Surabaya", instansi="pemda_yogya", terlapor="Siti Aminah"
    )
    client = client_for(cast["viewer"])  # national: sees both
    diy = Region.objects.get(name="Daerah Istimewa Yogyakarta")
    jatim = Region.objects.get(name="Jawa Timur")

    assert codes(client.get(CHANGELIST)) == sorted_codes(sleman, surabaya)
    assert codes(client.get(CHANGELIST, {"provinsi": diy.pk})) == [sleman.tracking_code]
    assert codes(client.get(CHANGELIST, {"provinsi": jatim.pk})) == [surabaya.tracking_code]
    assert codes(client.get(CHANGELIST, {"status__exact": "verifying"})) == [sleman.tracking_code]
    assert codes(client.get(CHANGELIST, {"instansi": organisations["pemda_yogya"].pk})) == [surabaya.tracking_code]
    assert codes(client.get(CHANGELIST, {"pelanggaran": b4.pk})) == [sleman.tracking_code]
    assert codes(client.get(CHANGELIST, {"pelanggaran": "tidak-tahu"})) == [surabaya.tracking_code]
    assert codes(client.get(CHANGELIST, {"election__id__exact": pilkada.pk})) == [sleman.tracking_code]
    assert codes(client.get(CHANGELIST, {"period_phase__exact": PeriodPhase.KAMPANYE})) == [sleman.tracking_code]


def test_search_by_code_name_nip_and_external_number(cast, organisations):
    budi = make_report(organisations, terlapor="Budi Santoso", nip="197806122005011003")
    rina = make_report(organisations, terlapor="Rina Wulandari", nip="198503152010012014")
    ExternalReference.objects.create(report=rina, system="sigaplapor", number="001/LP/PB/Kab/13.04/X/2024")
    client = client_for(cast["bawaslu_sleman"])

    def search(term: str) -> list[str]:
        return codes(client.get(CHANGELIST, {"q": term}))

    assert search(budi.tracking_code) == [budi.tracking_code]
    assert search(budi.tracking_code.lower().replace("-", "")) == [budi.tracking_code]
    assert search("wulandari") == [rina.tracking_code]
    assert search("198503152010012014") == [rina.tracking_code]
    assert search("19850315201001201") == []  # NIP is exact, never a prefix
    assert search("001/LP/PB/Kab/13.04/X/2024") == [rina.tracking_code]
    assert search("001/LP") == []  # external numbers are exact


def test_case_changelist_search_and_filter_by_instansi(cast, organisations):
    budi = make_report(organisations, terlapor="Budi Santoso").terlapor.get()
    ani = make_report(organisations, terlapor="Ani Yogya", instansi="pemda_yogya", nip="").terlapor.get()
    client = client_for(cast["bawaslu_sleman"])

    def rows(**params) -> list[Terlapor]:
        return list(client.get("/admin/reports/terlapor/", params).context["cl"].result_list)

    assert rows(q="budi") == [budi]
    assert rows(q=budi.report.tracking_code) == [budi]
    assert rows(q="197806122005011003") == [budi]
    assert rows(instansi=organisations["pemda_yogya"].pk) == [ani]


# --- actions -------------------------------------------------------------------------------------


def test_verify_through_the_admin_with_csrf(cast, organisations):
    report = make_report(organisations)
    client = client_for(cast["bawaslu_sleman"], csrf=True)
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert action_url(report, "verifikasi") in page.content.decode()

    response = csrf_post(client, action_url(report, "verifikasi"))

    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFYING
    assert messages_of(response) == [f"Laporan {report.tracking_code} mulai diverifikasi."]
    assert response.redirect_chain == [(reverse("admin:reports_report_change", args=[report.pk]), 302)]


def test_post_without_csrf_token_is_refused(cast, organisations):
    report = make_report(organisations)
    client = client_for(cast["bawaslu_sleman"], csrf=True)

    response = client.post(action_url(report, "verifikasi"))

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED


def test_request_completion_sends_the_message_to_the_reporter(cast, organisations, settings):
    report = make_report(organisations, status=ReportStatus.VERIFYING)
    client = client_for(cast["bawaslu_sleman"], csrf=True)
    message = "Mohon kirim foto yang memperlihatkan wajah terlapor."

    form = client.get(action_url(report, "minta-kelengkapan"))
    assert "Pesan kepada pelapor" in form.content.decode()
    response = csrf_post(client, action_url(report, "minta-kelengkapan"), {"message": message})

    report.refresh_from_db()
    assert report.status == ReportStatus.NEEDS_COMPLETION
    assert report.events.get().public_message == message
    assert messages_of(response) == [f"Permintaan kelengkapan untuk {report.tracking_code} terkirim kepada pelapor."]
    outbox = OutboxMessage.objects.get()
    assert outbox.recipient == "pelapor@example.org" and message in outbox.body


def test_request_completion_without_a_message_shows_the_form_error(cast, organisations):
    report = make_report(organisations, status=ReportStatus.VERIFYING)
    client = client_for(cast["bawaslu_sleman"])

    response = client.post(action_url(report, "minta-kelengkapan"), {"message": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors == {"message": ["Bidang ini tidak boleh kosong."]}
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFYING


def test_reject_with_reason(cast, organisations):
    report = make_report(organisations, status=ReportStatus.VERIFYING)
    client = client_for(cast["bawaslu_sleman"])

    response = client.post(action_url(report, "tolak"), {"reason": "Kejadian di luar masa pelaporan."}, follow=True)

    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    assert report.events.get().public_message == "Kejadian di luar masa pelaporan."
    assert messages_of(response) == [f"Laporan {report.tracking_code} ditolak."]


def test_register_kajian_and_forward_through_the_change_page(cast, organisations, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    report = make_report(organisations, status=ReportStatus.VERIFYING)
    client = client_for(cast["bawaslu_sleman"])

    refused = client.post(action_url(report, "registrasi"), {"formal_met": "on", "note": "x"})
    assert "Centang bila syarat materiel terpenuhi; bila tidak, tolak laporan." in refused.content.decode()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VERIFYING

    kajian_pdf = SimpleUploadedFile("hasil-kajian.pdf", MINIMAL_PDF, content_type="application/pdf")
    for name, data, status, message in (
        (
            "registrasi",
            {"formal_met": "on", "material_met": "on", "note": "Dua saksi."},
            ReportStatus.REGISTERED,
            "Laporan {} diregistrasi.",
        ),
        (
            "kajian",
            {"result": "memenuhi", "reasoning": "Foto dan saksi bersesuaian.", "document": kajian_pdf},
            ReportStatus.KAJIAN,
            "Hasil kajian laporan {} dicatat.",
        ),
        (
            "teruskan",
            {"letter_number": "B-7/PM.06/2024", "letter_date": today().isoformat(), "note": ""},
            ReportStatus.FORWARDED,
            "Laporan {} diteruskan ke lembaga pemberi rekomendasi.",
        ),
    ):
        response = client.post(action_url(report, name), data, follow=True)
        report.refresh_from_db()
        assert report.status == status
        assert messages_of(response) == [message.format(report.tracking_code)]

    assert (report.verified_formal, report.verified_material, report.forward_letter_number) == (
        True,
        True,
        "B-7/PM.06/2024",
    )
    assert report.kajian.document.read() == MINIMAL_PDF
    case = report.terlapor.get()
    assert case.case_status == CaseStatus.CLARIFICATION
    assert case.authority == authority_in_force(today())
    assert case.person is not None  # registration linked the register


def test_bulk_actions_from_the_changelist(cast, organisations):
    first, second = make_report(organisations), make_report(organisations)
    already = make_report(organisations, status=ReportStatus.REGISTERED)
    client = client_for(cast["bawaslu_sleman"], csrf=True)

    response = csrf_post(
        client,
        CHANGELIST,
        {"action": "verify_selected", "_selected_action": [first.pk, second.pk, already.pk]},
    )

    statuses = dict(Report.objects.values_list("tracking_code", "status"))
    assert statuses == {
        first.tracking_code: ReportStatus.VERIFYING,
        second.tracking_code: ReportStatus.VERIFYING,
        already.tracking_code: ReportStatus.REGISTERED,
    }
    # The changelist's order (newest first): the refusal for the registered one, then one line for the rest.
    assert messages_of(response) == [
        f"{already.tracking_code}: tindakan “Mulai verifikasi” tidak tersedia pada status ini "
        "atau Anda tidak berwenang.",
        f"Laporan {second.tracking_code}, {first.tracking_code} mulai diverifikasi.",
    ]


def test_assign_to_me_as_bulk_action(cast, organisations):
    report = make_report(organisations)
    me = cast["bawaslu_sleman"]

    response = client_for(me).post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [report.pk]}, follow=True)

    report.refresh_from_db()
    assert report.assigned_to == me
    assert messages_of(response) == [f"Laporan {report.tracking_code} kini Anda tangani."]


def test_reroute_with_organisation_and_reason(cast, organisations):
    report = make_report(organisations, status=ReportStatus.VERIFYING)
    target = organisations["bkn"]
    form = client_for(cast["bawaslu_sleman"]).get(action_url(report, "alihkan")).context["form"]
    offered = form.fields["organisation"].queryset
    assert target in offered and organisations["pemda_yogya"] in offered
    assert organisations["pemda_sleman"] not in offered  # issue 8: never the terlapor's instansi ...
    assert organisations["pemda_diy"] not in offered  # ... nor the province above it

    response = client_for(cast["bawaslu_sleman"]).post(
        action_url(report, "alihkan"),
        {"organisation": target.pk, "reason": "Di luar masa pemilihan: Satgas nasional yang memverifikasi."},
        follow=True,
    )

    report.refresh_from_db()
    assert report.intake_organisation == target
    assert report.status == ReportStatus.VERIFYING
    assert messages_of(response) == [f"Laporan {report.tracking_code} dialihkan."]
    event = report.events.get()
    assert "Di luar masa pemilihan" in event.note and event.is_public is False


def test_link_a_possible_duplicate_from_the_case_page(cast, organisations):
    report = make_report(organisations, status=ReportStatus.VERIFYING)
    twin = make_report(organisations, incident_date=report.incident_date + dt.timedelta(days=2))
    client = client_for(cast["bawaslu_sleman"], csrf=True)
    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert [r.tracking_code for r in page.context["duplicates"]] == [twin.tracking_code]

    response = csrf_post(
        client,
        action_url(report, "tautkan"),
        {"other": twin.pk},
        form_url=reverse("admin:reports_report_change", args=[report.pk]),
    )

    assert list(report.linked_reports.all()) == [twin]
    assert messages_of(response) == [f"Laporan {report.tracking_code} ditautkan."]
    assert response.context["duplicates"] == []
    assert [r.tracking_code for r in response.context["linked_reports"]] == [twin.tracking_code]


def test_refused_action_shows_the_indonesian_error_and_changes_nothing(cast, organisations):
    report = make_report(organisations)
    url = action_url(report, "verifikasi")

    # The PPK has no verification permission; the Sleman operator works elsewhere than the intake (Bawaslu).
    for user in (cast["ppk_sleman"], cast["operator_sleman"]):
        response = client_for(user).post(url, follow=True)
        assert messages_of(response) == [
            f"Tindakan “Mulai verifikasi” tidak tersedia untuk {report.tracking_code}: statusnya tidak "
            "memungkinkan atau Anda tidak berwenang."
        ]
        assert response.redirect_chain[-1][0] == reverse("admin:reports_report_change", args=[report.pk])

    # The wrong step: a received report cannot be registered yet.
    response = client_for(cast["bawaslu_sleman"]).post(action_url(report, "registrasi"), follow=True)
    assert "tidak tersedia" in messages_of(response)[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
    assert report.events.count() == 0


def test_stale_page_action_is_refused_without_error_page(cast, organisations):
    report = make_report(organisations)
    client = client_for(cast["bawaslu_sleman"])
    client.get(action_url(report, "verifikasi"))
    # Meanwhile a colleague verified it.
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.VERIFYING)

    response = client.post(action_url(report, "verifikasi"), follow=True)

    assert response.status_code == 200
    assert "tidak tersedia" in messages_of(response)[0]
    assert ReportEvent.objects.filter(report=report).count() == 0


def test_service_refusal_becomes_a_message(cast, organisations, monkeypatch):
    """A refusal the service raises (here a concurrent move: StaleReport) is a message, never a 500."""
    from reports import triage
    from reports.workflow import StaleReport

    def stale(report, *, actor, note=""):
        raise StaleReport(report.tracking_code)

    monkeypatch.setattr(triage, "start_verification", stale)
    report = make_report(organisations)

    response = client_for(cast["bawaslu_sleman"]).post(action_url(report, "verifikasi"), follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [
        "Data ini baru saja diubah oleh petugas lain. Muat ulang halaman, periksa statusnya, lalu coba lagi."
    ]


# --- the case (terlapor) ----------------------------------------------------------------------------


@pytest.fixture
def case_in_clarification(organisations):
    report = make_report(
        organisations,
        status=ReportStatus.FORWARDED,
        case_status=CaseStatus.CLARIFICATION,
        violation_type=ViolationType.objects.get(code="B4"),
    )
    return report.terlapor.get()


def recommendation_data(**overrides) -> dict:
    return {
        "finding": "Terlapor hadir dan berorasi pada deklarasi pasangan calon.",
        "violation_type": ViolationType.objects.get(code="B4").pk,
        "track": "disiplin",
        "level": "berat",
        "sanction_kinds": [SanctionKind.objects.get(code="berat-penurunan-jabatan").pk],
        "reasoning": "Bukti foto dan keterangan saksi saling menguatkan.",
        "letter_number": "B-123/R/BKN/X/2024",
        "letter_date": today().isoformat(),
        **overrides,
    }


def test_issue_recommendation_through_the_case_page(cast, case_in_clarification):
    case = case_in_clarification
    client = client_for(cast["authority_bkn"], csrf=True)
    form = client.get(case_action_url(case, "rekomendasi"))
    assert form.context["form"].initial["violation_type"] == ViolationType.objects.get(code="B4").pk

    response = csrf_post(client, case_action_url(case, "rekomendasi"), recommendation_data())

    case.refresh_from_db()
    assert case.case_status == CaseStatus.AWAITING_PPK
    assert messages_of(response) == [f"Rekomendasi untuk {case.name} diterbitkan."]
    recommendation = Recommendation.objects.get()
    assert recommendation.letter_number == "B-123/R/BKN/X/2024"
    assert "Menunggu tindak lanjut PPK" in response.content.decode()
    letter = client.get(reverse("admin:reports_recommendation_letter", args=[recommendation.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert letter["Content-Disposition"] == 'attachment; filename="rekomendasi-B-123-R-BKN-X-2024.pdf"'


def test_recommendation_refused_by_the_catalogue_shows_field_errors(cast, case_in_clarification):
    case = case_in_clarification

    response = client_for(cast["authority_bkn"]).post(
        case_action_url(case, "rekomendasi"), recommendation_data(level="ringan")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["level"] == [
        "Tingkat untuk B4 menurut katalog adalah Hukuman disiplin berat."
    ]
    case.refresh_from_db()
    assert case.case_status == CaseStatus.CLARIFICATION
    assert Recommendation.objects.count() == 0


def test_declare_not_proven_and_close_left_service(cast, organisations, case_in_clarification):
    client = client_for(cast["authority_bkn"])

    response = client.post(
        case_action_url(case_in_clarification, "tidak-terbukti"),
        {"reasoning": "Foto tidak menunjukkan terlapor."},
        follow=True,
    )
    case_in_clarification.refresh_from_db()
    assert case_in_clarification.case_status == CaseStatus.NOT_PROVEN
    assert messages_of(response)[0] == f"Perkara {case_in_clarification.name} dinyatakan tidak terbukti."
    assert Report.objects.get(pk=case_in_clarification.report_id).status == ReportStatus.CLOSED  # its only case

    other = make_report(
        organisations, status=ReportStatus.FORWARDED, case_status=CaseStatus.CLARIFICATION, terlapor="Pensiunan"
    ).terlapor.get()
    response = client.post(case_action_url(other, "keluar-dinas"), {"reason": "retired", "note": ""}, follow=True)
    other.refresh_from_db()
    assert other.case_status == CaseStatus.CANNOT_FOLLOW_UP
    assert messages_of(response)[0] == f"Perkara {other.name} ditutup: tidak dapat ditindaklanjuti."
    assert CaseEvent.objects.filter(terlapor=other).get().note == "ASN sudah keluar dari dinas: Pensiun."


def test_case_actions_are_offered_only_to_the_authority(cast, case_in_clarification):
    url = reverse("admin:reports_terlapor_change", args=[case_in_clarification.pk])

    authority_page = client_for(cast["authority_bkn"]).get(url)
    bawaslu_page = client_for(cast["bawaslu_sleman"]).get(url)

    assert [a.name for a, _url in authority_page.context["triage_actions"]] == [
        "rekomendasi",
        "klarifikasi",
        "tidak-terbukti",
        "keluar-dinas",
        "batalkan",
    ]
    assert bawaslu_page.context["triage_actions"] == []
    refused = client_for(cast["bawaslu_sleman"]).post(
        case_action_url(case_in_clarification, "rekomendasi"), recommendation_data(), follow=True
    )
    assert "tidak tersedia" in messages_of(refused)[0]
    assert Recommendation.objects.count() == 0


# --- the case page -------------------------------------------------------------------------------


def test_case_page_shows_timeline_evidence_deadline_and_the_sealed_identity_only_to_the_intake(
    cast, organisations, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.evidence import store_evidence_file
    from tests.test_evidence import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path / "media"
    report = make_report(
        organisations,
        due_date=today() - dt.timedelta(days=2),
        due_explanation="Verifikasi Satgas: 7 hari kalender sejak penerimaan.",
    )
    evidence = store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_gps()), report=report)
    officer = cast["bawaslu_sleman"]
    officer.first_name, officer.last_name = "Dewi", "Lestari"
    officer.save()
    client_for(officer).post(action_url(report, "verifikasi"))
    url = reverse("admin:reports_report_change", args=[report.pk])

    page = client_for(officer).get(url)
    html = page.content.decode()

    timeline = page.context["timeline"]
    assert [(e.actor, e.to_label) for e in timeline] == [("Dewi Lestari", "Diverifikasi")]
    assert evidence.sha256 in html
    unseal = reverse("sealed-open", args=[report.pk])
    assert f"{unseal}?item=bukti-{evidence.pk}" in html  # the original, through the logged unsealing
    assert reverse("evidence-download-shared", args=[evidence.pk]) in html
    assert f"{unseal}?item=identitas" in html  # the intake's verifier may open who reported ...
    assert "Pelapor Rahasia" not in html  # ... but nothing is shown before that (issue 8)
    # A new deadline started with verification; the earlier, overdue one is in the list filter test.
    assert report.events.get().actor == officer

    ppk_html = client_for(cast["ppk_sleman"]).get(url).content.decode()
    assert evidence.sha256 in ppk_html
    assert "Pelapor Rahasia" not in ppk_html and "3404011201900001" not in ppk_html
    assert "pelapor@example.org" not in ppk_html
    assert unseal not in ppk_html and "foto.jpg" not in ppk_html


def test_case_page_highlights_an_overdue_deadline(cast, organisations):
    report = make_report(
        organisations,
        status=ReportStatus.VERIFYING,
        due_date=today() - dt.timedelta(days=2),
        due_explanation="Verifikasi Satgas: 7 hari kalender.",
    )

    page = client_for(cast["bawaslu_sleman"]).get(reverse("admin:reports_report_change", args=[report.pk]))

    assert page.context["report_overdue"] is True
    html = page.content.decode()
    assert "lewat tenggat" in html and "Verifikasi Satgas: 7 hari kalender." in html


def test_external_number_added_through_the_inline(cast, organisations):
    report = make_report(organisations)
    url = reverse("admin:reports_report_change", args=[report.pk])
    client = client_for(cast["bawaslu_sleman"], csrf=True)

    page = client.get(url)
    data = {"_continue": "1"}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(initial)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(initial)
        for i, form in enumerate(formset.initial_forms):
            data[f"{formset.prefix}-{i}-id"] = form.instance.pk
            data[f"{formset.prefix}-{i}-report"] = report.pk
        if formset.model is ExternalReference:
            data[f"{formset.prefix}-TOTAL_FORMS"] = str(initial + 1)
            data[f"{formset.prefix}-{initial}-system"] = "lapor"
            data[f"{formset.prefix}-{initial}-number"] = "LAPOR-2024-0099"

    response = csrf_post(client, url, data)

    assert response.status_code == 200
    assert list(ExternalReference.objects.values_list("report_id", "system", "number")) == [
        (report.pk, "lapor", "LAPOR-2024-0099")
    ]


# --- fast changelists ------------------------------------------------------------------------------


def changelist_queries(client, url=CHANGELIST) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("url", [CHANGELIST, "/admin/reports/terlapor/"])
def test_changelist_query_count_does_not_grow_with_rows(cast, organisations, url):
    client = client_for(cast["bawaslu_sleman"])
    for i in range(5):
        make_report(organisations, assigned_to=cast["bawaslu_sleman"], terlapor=f"Terlapor {i}")
    client.get(url)  # warm the session and content types
    small = changelist_queries(client, url)
    for i in range(45):
        make_report(organisations, violation_type=ViolationType.objects.get(code="B6"), terlapor=f"Lain {i}")
    large = changelist_queries(client, url)

    assert len(large) == len(small), "\n".join(large)


def test_changelist_never_counts_the_whole_table(cast, organisations, django_assert_max_num_queries):
    for _ in range(3):
        make_report(organisations)
    client = client_for(cast["viewer"])  # national: the unfiltered table
    client.get(CHANGELIST)

    with django_assert_max_num_queries(20) as captured:
        response = client.get(CHANGELIST)

    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the paginator counts (with a limit)"
    assert all("LIMIT" in sql.upper() for sql in counts), counts
    assert response.context["cl"].paginator.count_label == "3"


def test_paginator_caps_the_count_above_its_limit(cast, organisations, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    for _ in range(5):
        make_report(organisations)

    response = client_for(cast["bawaslu_sleman"]).get(CHANGELIST)

    paginator = response.context["cl"].paginator
    assert (paginator.count, paginator.count_kind, paginator.count_label) == (4, "capped", "lebih dari 3")
    assert '<span data-testid="result-count">lebih dari 3</span> laporan' in response.content.decode()


def test_paginator_estimates_a_large_unfiltered_table_on_postgresql(db, monkeypatch):
    from reports.staff import changelist

    monkeypatch.setattr(changelist, "table_estimate", lambda qs: 1_000_000)
    paginator = CappedCountPaginator(Report.objects.all(), 50)

    assert (paginator.count, paginator.count_kind, paginator.num_pages) == (1_000_000, "estimated", 20_000)
    assert paginator.count_label == "sekitar 1.000.000"


def test_table_estimate_reads_pg_class_only_for_an_unfiltered_postgresql_table(db):
    from reports.staff.changelist import table_estimate

    assert table_estimate(Report.objects.filter(status="received")) is None
    if connection.vendor != "postgresql":
        assert table_estimate(Report.objects.all()) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report")
    # An empty, freshly analysed table has no estimate above zero: the paginator then counts (capped).
    assert table_estimate(Report.objects.all()) is None
