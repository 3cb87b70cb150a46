"""The PPK's and BKN's pages under /sanksi/: inbox, case page and its forms, blocking list, letters, admin."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from netralitas.enums import Level, Track
from netralitas.models import SanctionKind, ViolationType
from reports.enums import CaseStatus
from reports.evidence import store_evidence_file, store_evidence_link
from reports.models import Terlapor
from sanctions import services
from sanctions.enums import Compliance, EscalationKind, Examiner, SanctionEventKind
from sanctions.models import Block, Decision, Escalation, SanctionEvent
from tests.test_evidence import MINIMAL_PDF, PE, jpeg_with_gps
from tests.test_recommendations import PPK_DUE, case_in_clarification, officer_of, recommend

REPORTER = {
    "reporter_name": "Rahasia Pelapor Wijaya",
    "reporter_nik": "3404015508910002",
    "reporter_phone": "081234567890",
    "reporter_email": "saksi.rahasia@example.org",
    "reporter_address": "Jalan Kaliurang km 9",
}
EVIDENCE_NAME = "kiriman-wijaya-asli.jpg"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")


def awaiting_ppk(cast, organisations, *, letter_number: str = "R-101/KASN/04/2024", **terlapor_fields) -> Terlapor:
    """A Sleman PNS (by default) whose case awaits the PPK on a B4 recommendation dated LETTER_DATE."""
    terlapor = case_in_clarification(cast, organisations, **terlapor_fields)
    recommend(terlapor, officer_of(terlapor), letter_number=letter_number)
    return Terlapor.objects.get(pk=terlapor.pk)


def sk_pdf(name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def decide(terlapor: Terlapor, actor, **overrides) -> Decision:
    arguments = {
        "sk_number": "800/123/SK/2024",
        "sk_date": date(2024, 4, 20),
        "sanction_kind": SanctionKind.objects.get(code="berat-penurunan-jabatan"),
        "examiner": Examiner.TIM_PEMERIKSA,
        "examination_date": date(2024, 4, 15),
        "examination_record": "Terlapor mengakui hadir pada deklarasi.",
        "effective_from": date(2024, 5, 1),
        "signed_sk": sk_pdf(),
        **overrides,
    }
    return services.record_decision(terlapor, actor=actor, **arguments)


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]


def decision_post(token: str, **overrides) -> dict:
    data = {
        "csrfmiddlewaretoken": token,
        "keputusan-sk_number": "800/123/SK/2024",
        "keputusan-sk_date": "2024-04-20",
        "keputusan-sanction_kind": str(SanctionKind.objects.get(code="berat-penurunan-jabatan").pk),
        "keputusan-effective_from": "2024-05-01",
        "keputusan-effective_until": "",
        "keputusan-examiner": Examiner.TIM_PEMERIKSA,
        "keputusan-examination_date": "2024-04-15",
        "keputusan-examination_record": "Terlapor mengakui hadir pada deklarasi.",
        "keputusan-signed_sk": sk_pdf(),
        "keputusan-deviation_reason": "",
    }
    data.update({f"keputusan-{key}": value for key, value in overrides.items()})
    return data


def text_of(response) -> str:
    return response.content.decode()


def case_url(terlapor: Terlapor, suffix: str = "") -> str:
    return f"/sanksi/perkara/{terlapor.pk}/{suffix}"


# ---------------------------------------------------------------- access


def test_pages_send_anonymous_visitors_to_the_admin_login(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = Client()
    for url in ("/sanksi/", "/sanksi/pemblokiran/", case_url(terlapor), case_url(terlapor, "draf-sk.pdf")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


def test_inbox_is_for_the_ppk_office_and_the_block_list_for_bkn(cast):
    def status(user, url):
        client = Client()
        client.force_login(user)
        return client.get(url).status_code

    assert [status(cast[name], "/sanksi/") for name in ("ppk_sleman", "operator_sleman", "wasdal_bkn", "viewer")] == [
        200,
        200,
        403,
        403,
    ]
    assert [status(cast[name], "/sanksi/pemblokiran/") for name in ("wasdal_bkn", "ppk_sleman", "viewer")] == [
        200,
        403,
        403,
    ]


def test_another_instansi_gets_404_for_the_case_its_letters_and_its_forms(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    decide(terlapor, cast["ppk_sleman"])
    client = csrf_client(cast["operator_yogya"])
    for suffix in ("", "rekomendasi.pdf", "draf-sk.pdf", "sk.pdf"):
        response = client.get(case_url(terlapor, suffix))
        assert response.status_code == 404, suffix
        assert terlapor.name not in text_of(response)
    token = csrf_token(client, "/sanksi/")
    for action in ("keputusan", "koreksi", "keluar-dinas", "blokir", "buka-blokir", "eskalasi"):
        response = client.post(case_url(terlapor, f"{action}/"), {"csrfmiddlewaretoken": token, "koreksi-note": "x"})
        assert response.status_code == 404, action
    assert SanctionEvent.objects.filter(terlapor=terlapor, kind=SanctionEventKind.CORRECTION).count() == 0


def test_a_case_without_a_recommendation_has_no_sanctions_page(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    client = Client()
    client.force_login(cast["ppk_sleman"])
    assert client.get(case_url(terlapor)).status_code == 404


# ---------------------------------------------------------------- the inbox


def test_inbox_lists_exactly_the_cases_addressed_to_the_users_instansi(cast, organisations):
    sleman = awaiting_ppk(cast, organisations, name="Sutrisno Hadi")
    yogya = awaiting_ppk(
        cast,
        organisations,
        letter_number="R-102/KASN/04/2024",
        name="Bambang Yogya Widodo",
        nip="198001012005011001",
        instansi=organisations["pemda_yogya"],
    )
    client = Client()
    client.force_login(cast["ppk_sleman"])

    response = client.get("/sanksi/")

    assert [item["row"].terlapor for item in response.context["items"]] == [sleman]
    html = text_of(response)
    assert "Sutrisno Hadi" in html
    assert "197806122005011003" in html
    assert "Kepala Seksi Pemerintahan" in html
    assert "B4" in html
    assert "R-101/KASN/04/2024" in html
    assert "Penurunan jabatan setingkat lebih rendah selama 12 bulan" in html
    assert f'href="/sanksi/perkara/{sleman.pk}/"' in html
    assert yogya.name not in html
    assert "R-102/KASN/04/2024" not in html

    client.force_login(cast["operator_yogya"])
    assert [item["row"].terlapor for item in client.get("/sanksi/").context["items"]] == [yogya]


def test_inbox_shows_the_empty_state(cast):
    client = Client()
    client.force_login(cast["ppk_sleman"])
    html = text_of(client.get("/sanksi/"))
    assert "Tidak ada rekomendasi yang menunggu tindak lanjut PPK instansi Anda." in html


@pytest.mark.parametrize(
    ("today", "shown", "red"),
    [
        # 29 April 2024 is the deadline; counting working days from the day shown.
        (date(2024, 4, 22), "5 hari kerja lagi", False),
        (date(2024, 4, 29), "tenggat hari ini", True),
        # 30 April, (1 May is Labour Day), 2 May, 3 May.
        (date(2024, 5, 3), "lewat 3 hari kerja", True),
    ],
)
def test_inbox_counts_the_working_days_left_exactly(cast, organisations, today, shown, red):
    with time_machine.travel(date(2024, 4, 5), tick=False):
        awaiting_ppk(cast, organisations)
    client = Client()
    client.force_login(cast["ppk_sleman"])

    with time_machine.travel(today, tick=False):
        html = text_of(client.get("/sanksi/"))

    cell = re.search(r'<span class="days-left([^"]*)">([^<]+)</span>', html)
    assert cell[2] == shown
    assert ("text-danger" in cell[1]) is red
    assert "29 April 2024" in html
    assert ("Lewat tenggat" in html) is (today > PPK_DUE)


def test_inbox_shows_the_evidence_summary_without_names(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    store_evidence_file(SimpleUploadedFile(EVIDENCE_NAME, jpeg_with_gps()), report=terlapor.report)
    store_evidence_file(SimpleUploadedFile("dua.jpg", jpeg_with_gps()), report=terlapor.report)
    store_evidence_link("https://media.example.org/video/123", report=terlapor.report)
    client = Client()
    client.force_login(cast["ppk_sleman"])

    html = text_of(client.get("/sanksi/"))

    assert '<span class="evidence-summary">3 bukti: Foto JPEG ×2, 1 tautan</span>' in html
    assert EVIDENCE_NAME not in html
    assert "media.example.org" not in html


def test_inbox_queries_do_not_grow_with_the_rows(cast, organisations):
    client = Client()
    client.force_login(cast["ppk_sleman"])
    client.get("/sanksi/")  # the session and the user's scope warmed up

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sanksi/").status_code == 200
        return len(queries)

    awaiting_ppk(cast, organisations)
    one = count()
    for n in range(2, 5):
        awaiting_ppk(cast, organisations, letter_number=f"R-10{n}/KASN/04/2024", name=f"Terlapor {n}")
    assert count() == one


# ---------------------------------------------------------------- never the reporter


def test_the_ppk_pages_and_letters_never_show_the_reporter(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    report = terlapor.report
    assert {field: getattr(report, field) for field in REPORTER} == REPORTER  # the data that could leak exists
    store_evidence_file(SimpleUploadedFile(EVIDENCE_NAME, jpeg_with_gps()), report=report)
    client = Client()
    client.force_login(cast["ppk_sleman"])
    decided = awaiting_ppk(cast, organisations, letter_number="R-109/KASN/04/2024", name="Sudah Diputus")
    decide(decided, cast["ppk_sleman"])

    responses = {
        "inbox": client.get("/sanksi/"),
        "case": client.get(case_url(terlapor)),
        "decided case": client.get(case_url(decided)),
        "recommendation": client.get(case_url(terlapor, "rekomendasi.pdf")),
        "draft": client.get(case_url(terlapor, "draf-sk.pdf")),
        "decided draft": client.get(case_url(decided, "draf-sk.pdf")),
    }
    secrets = [*REPORTER.values(), report.tracking_code, report.description, EVIDENCE_NAME]
    for name, response in responses.items():
        assert response.status_code == 200, name
        body = response.content
        assert [secret for secret in secrets if secret.encode() in body] == [], name
    assert responses["recommendation"]["Content-Type"] == "application/pdf"
    assert responses["draft"].content.startswith(b"%PDF-")


# ---------------------------------------------------------------- the decision through the page


def test_recording_a_decision_through_the_page_sanctions_the_case(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = csrf_client(cast["ppk_sleman"])
    token = csrf_token(client, case_url(terlapor))

    response = client.post(case_url(terlapor, "keputusan/"), decision_post(token), follow=True)

    assert response.redirect_chain == [(case_url(terlapor), 302)]
    decision = Decision.objects.get(terlapor=terlapor)
    assert (
        decision.sk_number,
        decision.sanction_kind.code,
        decision.effective_from,
        decision.effective_until,
        decision.examiner,
        decision.compliance,
        decision.recorded_by,
    ) == (
        "800/123/SK/2024",
        "berat-penurunan-jabatan",
        date(2024, 5, 1),
        date(2025, 4, 30),
        Examiner.TIM_PEMERIKSA,
        Compliance.LATE,  # recorded today, long after 29 April 2024
        cast["ppk_sleman"],
    )
    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.SANCTIONED
    html = text_of(response)
    assert re.search(r'data-testid="case-status">Sanksi dijatuhkan<', html)
    assert "Keputusan PPK (SK 800/123/SK/2024) dicatat. Status perkara: Sanksi dijatuhkan." in html
    assert "Penurunan jabatan setingkat lebih rendah selama 12 bulan" in html
    assert 'data-testid="form-keputusan"' not in html  # final: no second decision form
    assert 'data-testid="form-koreksi"' in html
    signed = client.get(case_url(terlapor, "sk.pdf"))
    assert b"".join(signed.streaming_content) == MINIMAL_PDF


def test_an_exe_named_pdf_is_refused_next_to_the_field_and_the_input_is_kept(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = csrf_client(cast["ppk_sleman"])
    token = csrf_token(client, case_url(terlapor))
    upload = SimpleUploadedFile("sk-bupati.pdf", PE + b"\x00" * 512, content_type="application/pdf")

    response = client.post(
        case_url(terlapor, "keputusan/"), decision_post(token, sk_number="800/777/SK/2024", signed_sk=upload)
    )

    assert response.status_code == 400
    html = text_of(response)
    error = re.search(
        r'<div class="invalid-feedback d-block" id="id_keputusan-signed_sk_error">(.*?)</div>', html, re.S
    )
    assert "Berkas «sk-bupati.pdf» ditolak: SK harus berupa PDF (hasil pindai atau cetak ke PDF)." in error[1]
    assert re.search(r'<input type="text" name="keputusan-sk_number" value="800/777/SK/2024"', html)
    assert 'aria-invalid="true"' in re.search(r'<input type="file" name="keputusan-signed_sk"[^>]*>', html)[0]
    assert not Decision.objects.filter(terlapor=terlapor).exists()
    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.AWAITING_PPK


def test_a_sanction_outside_the_recommendation_asks_for_the_reason_on_the_page(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = csrf_client(cast["operator_sleman"])
    token = csrf_token(client, case_url(terlapor))
    light = SanctionKind.objects.get(code="ringan-teguran-tertulis")

    refused = client.post(
        case_url(terlapor, "keputusan/"),
        decision_post(
            token, sanction_kind=str(light.pk), effective_from="", examiner=Examiner.NONE, examination_date=""
        ),
    )
    assert refused.status_code == 400
    error = re.search(r'id="id_keputusan-deviation_reason_error">(.*?)</div>', text_of(refused), re.S)
    assert "berada di luar rekomendasi" in error[1]

    accepted = client.post(
        case_url(terlapor, "keputusan/"),
        decision_post(
            token,
            sanction_kind=str(light.pk),
            effective_from="",
            examiner=Examiner.NONE,
            examination_date="",
            deviation_reason="Terlapor baru pertama kali dan kooperatif.",
        ),
        follow=True,
    )
    assert Decision.objects.get(terlapor=terlapor).deviation_reason == "Terlapor baru pertama kali dan kooperatif."
    # Shown on the case to the recommending authority and BKN.
    for name in ("authority_bkn", "wasdal_bkn"):
        other = Client()
        other.force_login(cast[name])
        shown = re.search(r'data-testid="deviation-reason">(.*?)</dd>', text_of(other.get(case_url(terlapor))), re.S)
        assert shown[1] == "Terlapor baru pertama kali dan kooperatif."
    assert accepted.status_code == 200


def test_the_sanction_select_puts_the_recommended_kinds_first(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = Client()
    client.force_login(cast["ppk_sleman"])
    html = text_of(client.get(case_url(terlapor)))
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S)
    assert [label for label, _ in groups] == ["Sesuai rekomendasi", "Di luar rekomendasi (wajib alasan)"]
    within = re.findall(r">([^<]+)</option>", groups[0][1])
    assert within == [
        "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
        "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
    ]


def test_only_the_ppk_office_of_the_instansi_gets_the_decision_form(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)

    def forms_for(name: str) -> list[str]:
        client = Client()
        client.force_login(cast[name])
        return re.findall(r'data-testid="form-([a-z-]+)"', text_of(client.get(case_url(terlapor))))

    assert forms_for("ppk_sleman") == ["keputusan", "keluar-dinas"]
    assert forms_for("authority_bkn") == []
    assert forms_for("wasdal_bkn") == []  # not overdue yet: nothing to block


def test_a_user_without_the_permission_posting_a_decision_gets_403(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = csrf_client(cast["authority_bkn"])
    token = csrf_token(client, case_url(terlapor))
    response = client.post(case_url(terlapor, "keputusan/"), decision_post(token))
    assert response.status_code == 403
    assert not Decision.objects.filter(terlapor=terlapor).exists()


def test_left_service_closes_the_case_through_the_page(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    client = csrf_client(cast["ppk_sleman"])
    token = csrf_token(client, case_url(terlapor))

    response = client.post(
        case_url(terlapor, "keluar-dinas/"),
        {"csrfmiddlewaretoken": token, "keluar-reason": "retired", "keluar-note": "SK pensiun 821/55/2024"},
        follow=True,
    )

    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.CANNOT_FOLLOW_UP
    assert re.search(r'data-testid="case-status">Tidak dapat ditindaklanjuti<', text_of(response))
    assert "SK pensiun 821/55/2024" in text_of(response)


def test_a_correction_is_a_new_event_on_the_timeline(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    decide(terlapor, cast["ppk_sleman"])
    client = csrf_client(cast["ppk_sleman"])
    token = csrf_token(client, case_url(terlapor))

    refused = client.post(case_url(terlapor, "koreksi/"), {"csrfmiddlewaretoken": token, "koreksi-note": " "})
    assert refused.status_code == 400
    error = re.search(r'id="id_koreksi-note_error">(.*?)</div>', text_of(refused), re.S)
    assert "Bidang ini tidak boleh kosong." in error[1]

    response = client.post(
        case_url(terlapor, "koreksi/"),
        {
            "csrfmiddlewaretoken": token,
            "koreksi-note": "Salah ketik tanggal berlaku pada diktum KETIGA.",
            "koreksi-letter_number": "800/124/SK/2024",
            "koreksi-letter_date": "2024-04-22",
        },
        follow=True,
    )

    event = SanctionEvent.objects.get(terlapor=terlapor, kind=SanctionEventKind.CORRECTION)
    assert (event.note, event.letter_number, event.letter_date) == (
        "Salah ketik tanggal berlaku pada diktum KETIGA.",
        "800/124/SK/2024",
        date(2024, 4, 22),
    )
    assert Decision.objects.get(terlapor=terlapor).sk_number == "800/123/SK/2024"  # unchanged
    assert "Salah ketik tanggal berlaku pada diktum KETIGA." in text_of(response)


# ---------------------------------------------------------------- BKN


def test_bkn_blocks_an_overdue_case_and_lifts_the_block_after_the_decision(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    assert services.sweep_overdue() == 1
    bkn = csrf_client(cast["wasdal_bkn"])

    listed = bkn.get("/sanksi/pemblokiran/")
    assert list(listed.context["overdue"]) == [terlapor]
    assert f'href="/sanksi/perkara/{terlapor.pk}/#blokir"' in text_of(listed)
    token = csrf_token(bkn, case_url(terlapor))
    today = date.today().isoformat()

    blocked = bkn.post(
        case_url(terlapor, "blokir/"),
        {
            "csrfmiddlewaretoken": token,
            "blokir-blocked_on": today,
            "blokir-letter_number": "BKN/BLOKIR/77",
            "blokir-letter_date": today,
        },
        follow=True,
    )

    block = Block.objects.get(terlapor=terlapor)
    assert (block.letter_number, block.is_active, block.blocked_by) == ("BKN/BLOKIR/77", True, cast["wasdal_bkn"])
    assert 'data-testid="blocked-badge"' in text_of(blocked)
    ppk = Client()
    ppk.force_login(cast["ppk_sleman"])
    assert 'data-testid="blocked-badge"' in text_of(ppk.get(case_url(terlapor)))
    assert "Data kepegawaian diblokir" in text_of(ppk.get("/sanksi/"))

    decide(terlapor, cast["ppk_sleman"])
    listed = bkn.get("/sanksi/pemblokiran/")
    assert (list(listed.context["overdue"]), list(listed.context["to_lift"])) == ([], [block])

    lifted = bkn.post(
        case_url(terlapor, "buka-blokir/"),
        {"csrfmiddlewaretoken": token, "buka-lifted_on": today, "buka-letter_number": "BKN/BUKA/78"},
        follow=True,
    )

    block.refresh_from_db()
    assert (block.is_active, block.lift_letter_number, block.lifted_by) == (False, "BKN/BUKA/78", cast["wasdal_bkn"])
    assert 'data-testid="blocked-badge"' not in text_of(lifted)
    assert "Dibuka pada" in text_of(lifted)
    assert list(bkn.get("/sanksi/pemblokiran/").context["to_lift"]) == []


def test_a_block_with_a_bad_date_keeps_the_letter_number(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    services.sweep_overdue()
    bkn = csrf_client(cast["wasdal_bkn"])
    token = csrf_token(bkn, case_url(terlapor))

    response = bkn.post(
        case_url(terlapor, "blokir/"),
        {
            "csrfmiddlewaretoken": token,
            "blokir-blocked_on": "2099-01-01",
            "blokir-letter_number": "BKN/BLOKIR/79",
            "blokir-letter_date": "2024-05-10",
        },
    )

    assert response.status_code == 400
    html = text_of(response)
    assert (
        "Tanggal blokir tidak boleh sesudah hari ini."
        in re.search(r'id="id_blokir-blocked_on_error">(.*?)</div>', html, re.S)[1]
    )
    assert 'value="BKN/BLOKIR/79"' in html
    assert not Block.objects.exists()


def test_a_national_viewer_records_an_escalation(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    services.sweep_overdue()
    client = csrf_client(cast["viewer"])
    token = csrf_token(client, case_url(terlapor))

    response = client.post(
        case_url(terlapor, "eskalasi/"),
        {
            "csrfmiddlewaretoken": token,
            "eskalasi-kind": EscalationKind.TEGURAN_KEMENDAGRI,
            "eskalasi-letter_number": "800/KEMENDAGRI/5",
            "eskalasi-letter_date": "2024-06-01",
            "eskalasi-note": "PPK belum menindaklanjuti.",
        },
        follow=True,
    )

    escalation = Escalation.objects.get(terlapor=terlapor)
    assert (escalation.kind, escalation.letter_number, escalation.recorded_by) == (
        EscalationKind.TEGURAN_KEMENDAGRI,
        "800/KEMENDAGRI/5",
        cast["viewer"],
    )
    assert "Eskalasi dicatat: Teguran Kemendagri." in text_of(response)


# ---------------------------------------------------------------- admin (read only)


def test_the_admin_shows_decisions_read_only_behind_visibility(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    decision = decide(terlapor, cast["ppk_sleman"])
    ppk = Client()
    ppk.force_login(cast["ppk_sleman"])
    assert "800/123/SK/2024" in text_of(ppk.get("/admin/sanctions/decision/"))
    page = ppk.get(f"/admin/sanctions/decision/{decision.pk}/change/")
    assert page.status_code == 200
    assert 'name="sk_number"' not in text_of(page)  # read only
    assert ppk.get("/admin/sanctions/decision/add/").status_code == 403

    other = Client()
    other.force_login(cast["operator_yogya"])
    assert "800/123/SK/2024" not in text_of(other.get("/admin/sanctions/decision/"))
    assert other.get(f"/admin/sanctions/decision/{decision.pk}/change/").status_code == 404
    for model in ("block", "escalation", "sanctionevent"):
        assert ppk.get(f"/admin/sanctions/{model}/").status_code == 200


def test_recommended_levels_and_tracks_are_shown_on_the_case(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    recommend(
        terlapor,
        cast["authority_bkn"],
        violation_type=ViolationType.objects.get(code="A4"),
        track=Track.ETIK,
        level=Level.MORAL,
        sanction_kinds=list(SanctionKind.objects.filter(code="moral-terbuka")),
    )
    client = Client()
    client.force_login(cast["ppk_sleman"])
    html = text_of(client.get(case_url(terlapor)))
    assert "Etik (PP 42/2004), Sanksi moral" in html
    assert "Sanksi moral: pernyataan secara terbuka" in html


def test_the_page_offers_the_decision_exactly_to_whom_the_service_allows_it(cast, organisations, django_user_model):
    """One predicate (sanctions.permissions.is_ppk_office) for the offered form and the service: a superuser,
    whom the service lets record a decision, gets the form; the PPK office of another instansi gets neither."""
    from sanctions.permissions import is_ppk_office

    terlapor = awaiting_ppk(cast, organisations)
    root = django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123")
    client = Client()
    client.force_login(root)
    offered = re.findall(r'data-testid="form-([a-z-]+)"', text_of(client.get(case_url(terlapor))))
    assert offered[:2] == ["keputusan", "keluar-dinas"]
    assert [is_ppk_office(user, terlapor) for user in (root, cast["ppk_sleman"], cast["operator_yogya"], None)] == [
        True,
        True,
        False,
        False,
    ]
