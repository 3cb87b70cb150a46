"""The public report form at /lapor/: field rules, kept values and files, receipt, abuse resistance."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from netralitas.models import OutboxMessage, Region
from reports.enums import Confidentiality, EventKind, EvidenceKind, ReportKind, ReportStatus
from reports.models import Evidence, Report
from reports.pins import check_pin
from reports.public.antibot import issue_timer
from reports.public.validators import normalise_phone, validate_nik, validate_nip

JAKARTA = ZoneInfo("Asia/Jakarta")
# Outside every election's relevance window in the reference data (Pemilu and Pilkada 2024).
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=JAKARTA)
TODAY = NOW.date()


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(autouse=True)
def intake_env(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The cache namespace is fresh per test (tests/conftest.py), so counters start at zero.
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def places(organisations):
    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    return {
        "sleman": sleman,
        "diy": sleman.parent,
        "jateng": Region.objects.get(name="Jawa Tengah", level="provinsi"),
        "pemda_sleman": organisations["pemda_sleman"],
    }


def jpeg_bytes(color=(200, 30, 30), size=(32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name="foto-bukti.jpg", color=(200, 30, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(color), content_type="image/jpeg")


def report_data(places, **overrides) -> dict:
    """A valid POST of the form: one terlapor, one link, outside any election, reported on time."""
    data = {
        "confidentiality": Confidentiality.CONFIDENTIAL,
        "reporter_name": "Siti Rahmawati",
        "reporter_nik": "3404015205900002",
        "reporter_address": "Jl. Kaliurang km 5, Sleman",
        "reporter_phone": "0812 3456 7890",
        "reporter_email": "siti@example.org",
        "consent": "on",
        "terlapor-TOTAL_FORMS": "1",
        "terlapor-INITIAL_FORMS": "0",
        "terlapor-MIN_NUM_FORMS": "1",
        "terlapor-MAX_NUM_FORMS": "5",
        "terlapor-0-name": "Budi Santoso",
        "terlapor-0-nip": "197806122005011003",
        "terlapor-0-position": "Camat",
        "terlapor-0-work_unit": "Kecamatan Depok",
        "terlapor-0-instansi": str(places["pemda_sleman"].pk),
        "terlapor-0-employee_status": "pns",
        "incident_date": (TODAY - timedelta(days=1)).isoformat(),
        "learned_date": (TODAY - timedelta(days=1)).isoformat(),
        "provinsi": str(places["diy"].pk),
        "kabkota": str(places["sleman"].pk),
        "place": "Balai Desa Caturtunggal",
        "description": "Camat Depok berpidato mengajak warga memilih calon nomor 2 di acara desa.",
        "violation_type": "",
        "evidence_links": "https://www.instagram.com/p/abc123/",
        "witnesses": "",
        "form_ts": issue_timer(),
        "situs_web": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, data):
    return client.post("/lapor/", data)


def text(response) -> str:
    """The page's HTML with runs of white space squeezed to one space (crispy's templates leave many)."""
    return re.sub(r"\s+", " ", response.content.decode())


def receipt_values(html: str) -> tuple[str, str]:
    code = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', html)[1]
    pin = re.search(r'data-testid="pin">([A-Z0-9-]+)<', html)[1]
    return code, pin


def field_errors(html: str, field_id: str) -> list[str]:
    """The messages shown next to ``field_id`` (inside its invalid-feedback block, templates/reports/_field*.html)."""
    pattern = rf'<div class="invalid-feedback d-block" id="{re.escape(field_id)}_error">(.*?)</div>'
    block = re.search(pattern, html, re.S)
    return re.findall(r'<p class="mb-0">(.*?)</p>', block[1], re.S) if block else []


# ---------------------------------------------------------------- the page


def test_form_renders_every_section_labelled_with_plain_selects(client, places):
    html = text(client.get("/lapor/"))
    for legend in (
        "1. Pelapor",
        "2. ASN yang dilaporkan (terlapor)",
        "3. Kejadian",
        "4. Dugaan pelanggaran",
        "5. Bukti",
    ):
        assert f'<legend class="float-none w-auto px-2 h4">{legend}</legend>' in html
    # Every visible input, select and textarea has a label pointing at it (or sits in a fieldset with a legend).
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_[^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*for="(id_[^"]+)"', html))
    hidden = set(re.findall(r'<input type="hidden"[^>]*id="(id_[^"]+)"', html))
    unlabelled = [i for i in ids if i not in labelled and i not in hidden and "__prefix__" not in i]
    assert unlabelled == []
    # Kab/kota and instansi are text boxes (a combobox with JavaScript, resolved by the server without it).
    assert f'<option value="{places["diy"].pk}">Daerah Istimewa Yogyakarta</option>' in html
    assert "<optgroup" not in html
    # The placeholder and 38 provinsi, and the two languages of the switch: no list of kab/kota or instansi.
    assert html.count("<option") == 41
    for name in ("kabkota", "terlapor-0-instansi"):
        assert re.search(rf'<input type="text" name="{name}_text" id="id_{name}" value="" class="form-control"', html)
        assert f'<input type="hidden" name="{name}" id="id_{name}_value" value="">' in html
    assert (
        '<button type="submit" name="add_terlapor" value="1" class="btn btn-outline-secondary" id="add-terlapor">'
        in html
    )
    assert 'value="" class="form-check-input" id="id_violation_type_0" checked' in html  # "Tidak tahu" is the default
    assert re.search(r'name="form_ts" value="[^"]+:[^"]+"', html)  # the signed anti-bot timer
    assert re.search(r'<script src="/static/js/intake\.[0-9a-f]+\.js" defer></script>', html)
    assert "<script>" not in html


def test_a_valid_report_redirects_to_the_receipt_and_is_saved(client, places):
    response = submit(client, report_data(places))
    assert (response.status_code, response["Location"]) == (303, "/lapor/tanda-terima/")
    report = Report.objects.get()
    assert (report.status, report.kind, report.confidentiality) == (
        ReportStatus.RECEIVED,
        ReportKind.LAPORAN,
        Confidentiality.CONFIDENTIAL,
    )
    assert (report.reporter_name, report.reporter_nik, report.reporter_phone, report.reporter_email) == (
        "Siti Rahmawati",
        "3404015205900002",
        "+6281234567890",
        "siti@example.org",
    )
    assert report.consent_at == report.received_at and abs((report.received_at - NOW).total_seconds()) < 60
    assert report.region == places["sleman"] and report.violation_type is None
    assert [(t.name, t.nip, t.instansi_id, t.employee_status) for t in report.terlapor.all()] == [
        ("Budi Santoso", "197806122005011003", places["pemda_sleman"].pk, "pns")
    ]
    assert [(e.kind, e.url) for e in report.evidence.all()] == [("link", "https://www.instagram.com/p/abc123/")]
    assert [(e.kind, e.to_status, e.is_public) for e in report.events.all()] == [
        (EventKind.SUBMITTED, ReportStatus.RECEIVED, True)
    ]
    # Outside any election: routed to the recommending authority in force (BKN), never the terlapor's instansi.
    assert (report.intake_organisation.code, report.election, report.period_phase) == ("bkn", None, "")


# ---------------------------------------------------------------- field rules


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("34040152059000", "NIK harus tepat 16 angka; yang Anda isi 14 angka."),
        ("34040152059000AB", "NIK hanya boleh berisi angka 0–9."),
        ("0904015205900002", "Dua angka pertama NIK adalah kode provinsi (11–99); 09 bukan kode provinsi."),
        (
            "3404013202900002",
            "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (HHBBTT; tanggal ditambah 40 untuk perempuan); "
            "320290 bukan tanggal yang sah.",
        ),
        (
            "3404014213900002",
            "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (HHBBTT; tanggal ditambah 40 untuk perempuan); "
            "421390 bukan tanggal yang sah.",
        ),
        (
            "3404012902010002",
            "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (HHBBTT; tanggal ditambah 40 untuk perempuan); "
            "290201 bukan tanggal yang sah.",
        ),
    ],
)
def test_validate_nik_names_the_rule_broken(nik, message):
    with pytest.raises(ValidationError) as caught:
        validate_nik(nik)
    assert caught.value.messages == [message]


@pytest.mark.parametrize("nik", ["3404015205900002", "3404011205900002", "3404016902000002", "9601010101010001"])
def test_validate_nik_accepts_real_shapes(nik):
    assert validate_nik(nik) is None  # a woman's day +40, 29 Feb 2000, provinsi Papua Barat Daya 96


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19780612200501100", "NIP harus tepat 18 angka; yang Anda isi 17 angka."),
        ("19780612200501100X", "NIP hanya boleh berisi angka 0–9."),
        (
            "197813122005011003",
            "Angka ke-1 sampai ke-8 NIP adalah tanggal lahir (TTTTBBHH); 19781312 bukan tanggal yang sah.",
        ),
        (
            "197802302005011003",
            "Angka ke-1 sampai ke-8 NIP adalah tanggal lahir (TTTTBBHH); 19780230 bukan tanggal yang sah.",
        ),
        (
            "197806122005131003",
            "Angka ke-9 sampai ke-14 NIP adalah bulan pengangkatan (TTTTBB); 200513 bukan bulan yang sah.",
        ),
        ("197806122031011003", "Bulan pengangkatan pada NIP (Januari 2031) belum terjadi."),
        ("197806122026041003", "Bulan pengangkatan pada NIP (April 2026) belum terjadi."),
        (
            "197806121990011003",
            "Bulan pengangkatan pada NIP (Januari 1990) kurang dari 17 tahun sesudah tanggal lahir (19780612): "
            "periksa angka ke-1 sampai ke-14.",
        ),
        (
            "195001012021011003",
            "Bulan pengangkatan pada NIP (Januari 2021) lebih dari 70 tahun sesudah tanggal lahir (19500101): "
            "periksa angka ke-1 sampai ke-14.",
        ),
        (
            "197806122005013003",
            "Angka ke-15 NIP adalah kode jenis kelamin (1 laki-laki, 2 perempuan); 3 tidak dikenal.",
        ),
        ("197806122005011000", "Tiga angka terakhir NIP adalah nomor urut (001–999); 000 tidak dipakai."),
    ],
)
def test_validate_nip_names_the_rule_broken(nip, message):
    with pytest.raises(ValidationError) as caught:
        validate_nip(nip, today=TODAY)
    assert caught.value.messages == [message]


@pytest.mark.parametrize(
    "nip", ["197806122005011003", "200002292020122001", "197806121995061001", "199001012026031001"]
)
def test_validate_nip_accepts_real_shapes(nip):
    # 29 Feb 2000; appointed in the month of the 17th birthday; appointed this month.
    assert validate_nip(nip, today=TODAY) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0274) 123456", "+62274123456"),
    ],
)
def test_phone_is_normalised_to_plus_62(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("812345678", "Nomor telepon harus diawali +62, 62 atau 0, misalnya 0812 3456 7890."),
        ("0812-3456-78a0", "Nomor telepon hanya boleh berisi angka, misalnya 0812 3456 7890."),
        ("0812345", "Nomor telepon harus 9–15 angka (dihitung dari angka 0 di depan); yang Anda isi 7 angka."),
        (
            "0812345678901234",
            "Nomor telepon harus 9–15 angka (dihitung dari angka 0 di depan); yang Anda isi 16 angka.",
        ),
    ],
)
def test_phone_rules(typed, message):
    with pytest.raises(ValidationError) as caught:
        normalise_phone(typed)
    assert caught.value.messages == [message]


def test_nik_nip_and_phone_errors_show_next_to_their_fields(client, places):
    data = report_data(
        places, reporter_nik="3404013202900002", reporter_phone="0812345", **{"terlapor-0-nip": "197806122005013003"}
    )
    html = text(submit(client, data))
    assert field_errors(html, "id_reporter_nik") == [
        "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (HHBBTT; tanggal ditambah 40 untuk perempuan); "
        "320290 bukan tanggal yang sah."
    ]
    assert field_errors(html, "id_reporter_phone") == [
        "Nomor telepon harus 9–15 angka (dihitung dari angka 0 di depan); yang Anda isi 7 angka."
    ]
    assert field_errors(html, "id_terlapor-0-nip") == [
        "Angka ke-15 NIP adalah kode jenis kelamin (1 laki-laki, 2 perempuan); 3 tidak dikenal."
    ]
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_reporter_nik_error[^"]*"[^>]*id="id_reporter_nik"', html)
    assert Report.objects.count() == 0


def test_phone_or_email_is_required_unless_anonymous(client, places):
    html = text(submit(client, report_data(places, reporter_phone="", reporter_email="")))
    message = "Isi nomor telepon atau surel agar petugas dapat menghubungi Anda, atau pilih Anonim."
    assert field_errors(html, "id_reporter_phone") == [message]
    assert field_errors(html, "id_reporter_email") == [message]
    assert Report.objects.count() == 0

    response = submit(client, report_data(places, reporter_email=""))  # a phone alone is enough
    assert response.status_code == 303
    assert Report.objects.get().reporter_phone == "+6281234567890"
    assert OutboxMessage.objects.count() == 0  # no address, no e-mail receipt


def test_name_nik_and_address_are_required_unless_anonymous(client, places):
    html = text(submit(client, report_data(places, reporter_name="", reporter_nik="", reporter_address="")))
    assert field_errors(html, "id_reporter_name") == ["Tulis nama lengkap Anda, atau pilih Anonim."]
    assert field_errors(html, "id_reporter_nik") == ["Tulis NIK Anda (16 angka), atau pilih Anonim."]
    assert field_errors(html, "id_reporter_address") == ["Tulis alamat Anda, atau pilih Anonim."]


def test_consent_is_required_unless_anonymous(client, places):
    data = report_data(places)
    del data["consent"]
    html = text(submit(client, data))
    assert field_errors(html, "id_consent") == ["Centang persetujuan pemrosesan data pribadi, atau pilih Anonim."]
    assert (
        '<a href="#id_consent" class="alert-link">Persetujuan data pribadi: Centang persetujuan pemrosesan data '
        "pribadi, atau pilih Anonim.</a>" in html
    )
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("incident", "learned", "field", "message"),
    [
        (TODAY + timedelta(days=1), None, "id_incident_date", "Tanggal kejadian tidak boleh sesudah hari ini."),
        (
            TODAY,
            TODAY + timedelta(days=1),
            "id_learned_date",
            "Tanggal Anda mengetahui kejadian tidak boleh sesudah hari ini.",
        ),
        (
            TODAY - timedelta(days=2),
            TODAY - timedelta(days=3),
            "id_learned_date",
            "Tanggal Anda mengetahui kejadian tidak boleh sebelum tanggal kejadian.",
        ),
    ],
)
def test_date_rules(client, places, incident, learned, field, message):
    data = report_data(places, incident_date=incident.isoformat(), learned_date=learned.isoformat() if learned else "")
    html = text(submit(client, data))
    assert field_errors(html, field) == [message]
    assert Report.objects.count() == 0


def test_learned_date_defaults_to_nothing_and_today_is_allowed(client, places):
    response = submit(client, report_data(places, incident_date=TODAY.isoformat(), learned_date=""))
    assert response.status_code == 303
    report = Report.objects.get()
    assert (report.incident_date, report.learned_date, report.reported_late) == (TODAY, None, False)


def test_kabkota_must_lie_in_the_chosen_provinsi(client, places):
    html = text(submit(client, report_data(places, provinsi=str(places["jateng"].pk))))
    assert field_errors(html, "id_kabkota") == [
        "Kabupaten Sleman tidak berada di Jawa Tengah. Pilih kabupaten/kota di provinsi itu."
    ]
    assert Report.objects.count() == 0


def test_description_needs_thirty_characters(client, places):
    html = text(submit(client, report_data(places, description="Camat kampanye")))
    assert field_errors(html, "id_description") == [
        "Uraian terlalu singkat: tulis paling sedikit 30 karakter (sekarang 14)."
    ]


def test_at_least_one_evidence_item(client, places):
    html = text(submit(client, report_data(places, evidence_links="")))
    assert field_errors(html, "id_evidence_files") == ["Lampirkan paling sedikit satu bukti: berkas atau tautan."]
    assert Report.objects.count() == 0


def test_a_bad_link_is_refused_with_its_line(client, places):
    links = "https://www.instagram.com/p/abc123/\njavascript:alert(1)"
    html = text(submit(client, report_data(places, evidence_links=links)))
    assert field_errors(html, "id_evidence_links") == [
        "Baris 2: Tautan «javascript:alert(1)» ditolak: hanya alamat yang diawali http:// atau https:// yang diterima."
    ]


def test_each_link_is_checked_once_from_the_form_to_the_row(client, places, monkeypatch):
    from reports import evidence
    from reports.public import forms

    checked = []
    original = evidence.check_link

    def counting(url):
        checked.append(url)
        return original(url)

    monkeypatch.setattr(evidence, "check_link", counting)
    monkeypatch.setattr(forms, "check_link", counting)
    links = " https://www.instagram.com/p/abc123/ \nhttps://youtu.be/xyz\nhttps://youtu.be/xyz"
    response = submit(client, report_data(places, evidence_links=links))
    assert response.status_code == 303
    assert checked == ["https://www.instagram.com/p/abc123/", "https://youtu.be/xyz", "https://youtu.be/xyz"]
    assert list(Evidence.objects.order_by("pk").values_list("url", flat=True)) == [
        "https://www.instagram.com/p/abc123/",
        "https://youtu.be/xyz",
    ]
    assert all(type(url) is str for url in Evidence.objects.values_list("url", flat=True))


def test_at_most_ten_links(client, places):
    links = "\n".join(f"https://www.facebook.com/posts/{i}" for i in range(11))
    html = text(submit(client, report_data(places, evidence_links=links)))
    assert field_errors(html, "id_evidence_links") == ["Paling banyak 10 tautan; Anda mengisi 11."]


def test_at_most_ten_files_in_one_post(client, places):
    # The streaming upload handler refuses the 11th file; the first ten are kept as drafts.
    uploads = [jpeg_upload(f"foto-{i}.jpg", (i * 20, 10, 10)) for i in range(11)]
    html = text(submit(client, report_data(places, description="pendek", evidence_files=uploads)))
    assert field_errors(html, "id_evidence_files") == [
        "Berkas «foto-10.jpg» ditolak: paling banyak 10 berkas sekali kirim."
    ]
    assert Evidence.objects.filter(report=None).count() == 10
    assert Report.objects.count() == 0


def test_at_most_ten_files_with_the_kept_ones(client, places):
    uploads = [jpeg_upload(f"foto-{i}.jpg", (i * 20, 10, 10)) for i in range(9)]
    html = text(submit(client, report_data(places, description="pendek", evidence_files=uploads)))
    signed = re.search(r'name="draft" value="([^"]+)"', html)[1]
    more = [jpeg_upload("lagi-1.jpg", (1, 2, 3)), jpeg_upload("lagi-2.jpg", (3, 2, 1))]
    html = text(submit(client, report_data(places, draft=signed, evidence_files=more)))
    assert field_errors(html, "id_evidence_files") == [
        "Paling banyak 10 berkas bukti; Anda mengirim 2 lagi, padahal tersisa tempat untuk 1. "
        "Pilih ulang paling banyak 1 berkas."
    ]
    assert (Report.objects.count(), Evidence.objects.count()) == (0, 9)


def test_an_oversized_file_is_refused_while_streaming(client, places, settings):
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 1000
    big = SimpleUploadedFile("besar.jpg", jpeg_bytes(size=(400, 400)), content_type="image/jpeg")
    assert big.size > 1000
    html = text(submit(client, report_data(places, evidence_links="", evidence_files=big)))
    assert field_errors(html, "id_evidence_files") == [
        "Berkas «besar.jpg» ditolak: ukurannya melebihi batas 1000 bita per berkas."
    ]
    assert (Report.objects.count(), Evidence.objects.count()) == (0, 0)


def test_ten_files_are_accepted(client, places):
    uploads = [jpeg_upload(f"foto-{i}.jpg", (i * 20, 10, 10)) for i in range(10)]
    response = submit(client, report_data(places, evidence_files=uploads, evidence_links=""))
    assert response.status_code == 303
    assert Report.objects.get().evidence.filter(kind=EvidenceKind.FILE).count() == 10


def test_at_most_five_terlapor(client, places):
    data = report_data(places, **{"terlapor-TOTAL_FORMS": "6"})
    for i in range(1, 6):
        data.update(
            {
                f"terlapor-{i}-name": f"ASN {i}",
                f"terlapor-{i}-instansi": str(places["pemda_sleman"].pk),
                f"terlapor-{i}-employee_status": "pppk",
            }
        )
    html = text(submit(client, data))
    message = "Paling banyak 5 terlapor dalam satu laporan; kirim laporan terpisah untuk yang lain."
    assert f'<a href="#terlapor" class="alert-link">Terlapor: {message}</a>' in html
    assert Report.objects.count() == 0

    data["terlapor-TOTAL_FORMS"] = "5"
    assert submit(client, data).status_code == 303
    assert list(Report.objects.get().terlapor.values_list("name", flat=True)) == [
        "Budi Santoso",
        "ASN 1",
        "ASN 2",
        "ASN 3",
        "ASN 4",
    ]


def test_a_terlapor_needs_a_name_and_an_instansi(client, places):
    data = report_data(places, **{"terlapor-0-name": "", "terlapor-0-instansi": ""})
    html = text(submit(client, data))
    assert field_errors(html, "id_terlapor-0-name") == ["Bidang ini tidak boleh kosong."]
    assert field_errors(html, "id_terlapor-0-instansi") == [
        "Tulis instansi, misalnya Pemerintah Kabupaten Sleman, Kementerian Agama."
    ]
    assert (
        '<a href="#id_terlapor-0-name" class="alert-link">Terlapor 1: Nama ASN: Bidang ini tidak boleh kosong.</a>'
        in html
    )


def test_a_blank_extra_terlapor_form_is_ignored(client, places):
    data = report_data(places, **{"terlapor-TOTAL_FORMS": "2", "terlapor-1-name": "", "terlapor-1-instansi": ""})
    assert submit(client, data).status_code == 303
    assert Report.objects.get().terlapor.count() == 1


def test_violation_category_from_the_catalogue(client, places):
    from netralitas.models import ViolationType

    a3 = ViolationType.objects.get(code="A3")
    assert submit(client, report_data(places, violation_type=str(a3.pk))).status_code == 303
    assert Report.objects.get().violation_type == a3


# ---------------------------------------------------------------- bad input never loses work


def test_an_error_keeps_every_typed_value_and_links_the_summary_to_the_field(client, places):
    data = report_data(places, description="Terlalu pendek", witnesses="Pak RT Wahyu, 0813 1111 2222")
    html = text(submit(client, data))
    summary = re.search(r'<div id="error-summary"(.*?)</div>', html, re.S)[0]
    assert 'role="alert" tabindex="-1" autofocus' in summary
    assert (
        '<a href="#id_description" class="alert-link">Uraian kejadian: Uraian terlalu singkat: tulis paling sedikit '
        "30 karakter (sekarang 14).</a>" in summary
    )
    for typed in (
        'value="Siti Rahmawati"',
        'value="3404015205900002"',
        "> Jl. Kaliurang km 5, Sleman</textarea>",
        'value="0812 3456 7890"',
        'value="siti@example.org"',
        'value="Budi Santoso"',
        'value="197806122005011003"',
        'value="Camat"',
        'value="Kecamatan Depok"',
        'value="Balai Desa Caturtunggal"',
        "> Terlalu pendek</textarea>",
        "> https://www.instagram.com/p/abc123/</textarea>",
        "> Pak RT Wahyu, 0813 1111 2222</textarea>",
        f'value="{(TODAY - timedelta(days=1)).isoformat()}"',
        f'<option value="{places["diy"].pk}" selected>Daerah Istimewa Yogyakarta</option>',
        'name="kabkota_text" id="id_kabkota" value="Kabupaten Sleman"',
        f'<input type="hidden" name="kabkota" id="id_kabkota_value" value="{places["sleman"].pk}">',
        f'name="terlapor-0-instansi_text" id="id_terlapor-0-instansi" value="{places["pemda_sleman"].name}"',
        f'name="terlapor-0-instansi" id="id_terlapor-0-instansi_value" value="{places["pemda_sleman"].pk}"',
        'value="pns" class="form-check-input" id="id_terlapor-0-employee_status_0" checked',
        'name="consent" class="form-check-input" id="id_consent" checked',
    ):
        assert typed in html, typed
    # The date and region were valid: the derived context is confirmed back.
    assert (
        "Menurut tanggal dan tempatnya, kejadian ini tidak terkait pemilihan yang tercatat; "
        "laporan diteruskan ke instansi terlapor." in html
    )


def test_a_file_is_kept_as_a_draft_and_attached_on_resubmit_without_upload(client, places):
    photo = jpeg_bytes()
    data = report_data(places, description="pendek", evidence_links="")
    html = text(submit(client, {**data, "evidence_files": SimpleUploadedFile("foto-bukti.jpg", photo)}))
    draft = Evidence.objects.get()
    digest = hashlib.sha256(photo).hexdigest()
    assert (draft.report, draft.original_name, draft.sha256, draft.size) == (None, "foto-bukti.jpg", digest, len(photo))
    assert draft.draft_token != ""
    assert f'Sudah diterima: foto-bukti.jpg (SHA-256 <code class="text-break">{digest}</code>' in html
    signed = re.search(r'name="draft" value="([^"]+)"', html)[1]
    assert signed.startswith(draft.draft_token + ":")

    # Second attempt: the description fixed, no file sent again.
    response = submit(client, report_data(places, evidence_links="", draft=signed))
    assert response.status_code == 303
    report = Report.objects.get()
    draft.refresh_from_db()
    assert (draft.report, draft.draft_token) == (report, "")
    assert list(report.evidence.values_list("sha256", flat=True)) == [digest]


def test_a_forged_draft_token_reaches_nothing(client, places):
    submit(client, report_data(places, description="pendek", evidence_files=jpeg_upload()))
    draft = Evidence.objects.get()
    response = submit(client, report_data(places, evidence_links="", draft=draft.draft_token + ":forged"))
    assert response.status_code == 200  # no evidence: the token did not verify
    draft.refresh_from_db()
    assert draft.report is None


def test_a_draft_can_be_removed(client, places):
    html = text(submit(client, report_data(places, description="pendek", evidence_files=jpeg_upload())))
    draft = Evidence.objects.get()
    path = draft.file.path
    signed = re.search(r'name="draft" value="([^"]+)"', html)[1]
    html = text(submit(client, report_data(places, description="pendek", draft=signed, remove_drafts=[str(draft.pk)])))
    assert Evidence.objects.count() == 0
    assert "Sudah diterima" not in html
    assert not os.path.exists(path)


def test_a_refused_file_is_named_and_the_good_one_kept(client, places):
    program = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    html = text(submit(client, report_data(places, evidence_links="", evidence_files=[program, jpeg_upload()])))
    assert field_errors(html, "id_evidence_files") == [
        "Berkas «foto.jpg» ditolak: isinya program (executable), bukan foto, video, atau PDF."
    ]
    assert list(Evidence.objects.values_list("original_name", "report")) == [("foto-bukti.jpg", None)]
    assert "Sudah diterima: foto-bukti.jpg" in html


def test_add_terlapor_without_javascript_keeps_values_and_shows_no_errors(client, places):
    data = report_data(places, description="", add_terlapor="1")
    html = text(submit(client, data))
    assert 'name="terlapor-TOTAL_FORMS" value="2"' in html
    assert 'name="terlapor-1-name"' in html and 'value="Budi Santoso"' in html
    assert '<legend class="h5">Terlapor 2</legend>' in html
    assert 'id="error-summary"' not in html, re.search(r'id="error-summary".*?</ul>', html)[0]
    assert "is-invalid" not in html
    assert Report.objects.count() == 0


# ---------------------------------------------------------------- confidentiality


def test_anonymous_report_keeps_no_identity_and_is_informasi(client, places):
    data = report_data(places, confidentiality=Confidentiality.ANONYMOUS, reporter_nik="123")
    del data["consent"]
    assert submit(client, data).status_code == 303
    report = Report.objects.get()
    assert report.kind == ReportKind.INFORMASI
    assert (
        report.reporter_name,
        report.reporter_nik,
        report.reporter_address,
        report.reporter_phone,
        report.reporter_email,
        report.consent_at,
    ) == ("", "", "", "", "", None)
    assert OutboxMessage.objects.count() == 0


def test_confidential_identity_is_stored_but_hidden_from_the_terlapors_instansi(client, places, cast, make_staff):
    """Issue 8: a report outside an election goes to BKN, whose Satgas may open the identity; Sleman's staff never."""
    from netralitas.enums import Role

    submit(client, report_data(places))
    report = Report.objects.get()
    assert report.intake_organisation.code == "bkn"
    url = f"/admin/reports/report/{report.pk}/change/"
    secrets = ("Siti Rahmawati", "3404015205900002", "siti@example.org", "+6281234567890", "Kaliurang")

    for who in ("satgas_sleman", "operator_sleman", "ppk_sleman"):
        staff = Client()
        staff.force_login(cast[who])
        page = staff.get(url)
        html = text(page)
        assert page.status_code == 200 and report.tracking_code in html, who
        assert [secret for secret in secrets if secret in html] == [], who

    verifier = Client()
    verifier.force_login(make_staff("satgas.bkn", report.intake_organisation, Role.SATGAS))
    sealed_page = text(verifier.get(url))
    assert [secret for secret in secrets if secret in sealed_page] == []  # sealed by default, even here
    opened = text(
        verifier.post(f"/rahasia/laporan/{report.pk}/buka/", {"item": "identitas", "reason": "Klarifikasi bukti foto."})
    )
    assert [secret for secret in secrets if secret in opened] == list(secrets)


# ---------------------------------------------------------------- receipt


def test_receipt_shows_code_pin_once_and_the_hash_of_the_stored_file(client, places):
    photo = jpeg_bytes()
    submit(client, report_data(places, evidence_files=SimpleUploadedFile("foto-bukti.jpg", photo)))
    report = Report.objects.get()
    html = text(client.get("/lapor/tanda-terima/"))
    code, pin = receipt_values(html)
    assert code == report.tracking_code
    assert "Simpan PIN ini, tidak akan ditampilkan lagi." in html
    assert check_pin(pin, report.pin_hash)
    stored = report.evidence.get(kind=EvidenceKind.FILE)
    with stored.file.open("rb") as handle:
        on_disk = hashlib.sha256(handle.read()).hexdigest()
    assert re.findall(r'data-testid="sha256">([0-9a-f]{64})<', html) == [on_disk] == [hashlib.sha256(photo).hexdigest()]
    assert f'<span class="fw-semibold text-break">foto-bukti.jpg</span> · {len(photo)} bita<br>' in html
    assert ">https://www.instagram.com/p/abc123/</li>" in html
    assert "Siti Rahmawati" in html  # the reporter's own data, back to the reporter only

    again = text(client.get("/lapor/tanda-terima/"))
    assert pin not in again
    assert 'data-testid="pin-hidden">Sudah ditampilkan sekali dan tidak ditampilkan lagi.</dd>' in again
    assert Client().get("/lapor/tanda-terima/")["Location"] == "/lapor/"  # another browser has no receipt


def test_the_pin_needs_the_browsers_pad(client, places):
    submit(client, report_data(places))
    del client.cookies["ntr_receipt_pad"]  # the session alone cannot give the PIN back
    html = text(client.get("/lapor/tanda-terima/"))
    assert 'data-testid="pin"' not in html
    assert 'data-testid="pin-hidden"' in html


def test_pin_is_not_stored_in_clear(client, places):
    submit(client, report_data(places))
    _code, pin = receipt_values(text(client.get("/lapor/tanda-terima/")))
    report = Report.objects.get()
    assert check_pin(pin, report.pin_hash) and not check_pin("2222-3333-4444-5555", report.pin_hash)
    bare = pin.replace("-", "")
    values = " ".join(str(v) for v in Report.objects.filter(pk=report.pk).values().get().values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reports_report WHERE id = %s", [report.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
        cursor.execute("SELECT * FROM reports_reportevent WHERE report_id = %s", [report.pk])
        events = " ".join(str(v) for r in cursor.fetchall() for v in r)
    outbox = " ".join(f"{m.subject} {m.body}" for m in OutboxMessage.objects.all())
    # Not even the session store (table or cache): it holds the PIN XOR-ed with a pad that only the browser has.
    sessions = json.dumps(dict(client.session.items()))
    assert "sealed_pin" in sessions
    for dump in (values, row, events, outbox, sessions):
        assert pin not in dump and bare not in dump


def test_pdf_receipt_carries_code_hashes_and_the_pin_only_shortly_after(client, places, intake_env):
    photo = jpeg_bytes()
    submit(client, report_data(places, evidence_files=SimpleUploadedFile("foto-bukti.jpg", photo)))
    _code, pin = receipt_values(text(client.get("/lapor/tanda-terima/")))
    report = Report.objects.get()

    response = client.get("/lapor/tanda-terima.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="tanda-terima-{report.tracking_code}.pdf"'
    assert "no-store" in response["Cache-Control"]
    body = response.content
    assert body.startswith(b"%PDF-")
    assert f"({report.tracking_code})".encode() in body
    assert f"SHA-256: {hashlib.sha256(photo).hexdigest()}".encode() in body
    assert f"({pin})".encode() in body
    assert b"Siti" not in body  # no identity in a document that gets forwarded

    intake_env.shift(timedelta(minutes=11))
    later = client.get("/lapor/tanda-terima.pdf").content
    assert pin.encode() not in later and f"({report.tracking_code})".encode() in later


# ---------------------------------------------------------------- late reports


def test_late_report_is_accepted_with_a_warning(client, places):
    learned = TODAY - timedelta(days=8)
    data = report_data(places, incident_date=learned.isoformat(), learned_date=learned.isoformat())
    html = text(submit(client, {**data, "description": "pendek"}))
    assert (
        "Batas pelaporan 7 hari sejak Anda mengetahui kejadian berakhir 9 Maret 2026. Laporan Anda tetap diterima"
        in html
    )
    assert submit(client, data).status_code == 303
    report = Report.objects.get()
    assert report.reported_late is True
    receipt = text(client.get("/lapor/tanda-terima/"))
    assert "Anda mengetahui kejadian ini pada 2 Maret 2026; batas pelaporan berakhir 9 Maret 2026." in receipt


def test_seven_days_after_learning_is_still_on_time(client, places):
    learned = TODAY - timedelta(days=7)
    data = report_data(places, incident_date=learned.isoformat(), learned_date=learned.isoformat())
    assert submit(client, data).status_code == 303
    assert Report.objects.get().reported_late is False
    assert "late-warning" not in text(client.get("/lapor/tanda-terima/"))


# ---------------------------------------------------------------- routing


def test_election_period_in_sleman_goes_to_bawaslu_sleman(client, places, organisations, intake_env):
    intake_env.move_to(datetime(2024, 10, 16, 9, 0, tzinfo=JAKARTA))
    data = report_data(places, incident_date="2024-10-14", learned_date="2024-10-15", form_ts=issue_timer())
    assert submit(client, data).status_code == 303
    report = Report.objects.get()
    assert report.intake_organisation == organisations["bawaslu_sleman"]
    assert (report.election.name, report.period_phase, report.reported_late) == (
        "Pilkada Serentak 2024",
        "kampanye",
        False,
    )
    receipt = text(client.get("/lapor/tanda-terima/"))
    assert 'data-testid="election">Pilkada Serentak 2024 (Selama masa kampanye)</dd>' in receipt


# ---------------------------------------------------------------- abuse resistance


def test_csrf_is_enforced(places):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/lapor/", report_data(places)).status_code == 403
    assert Report.objects.count() == 0

    client.get("/lapor/")
    token = client.cookies["csrftoken"].value
    response = client.post("/lapor/", {**report_data(places), "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Report.objects.count() == 1


def test_rate_limit_refuses_the_third_post_and_keeps_the_values(client, places, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit": (2, 3600)}
    assert submit(client, report_data(places)).status_code == 303
    assert submit(client, report_data(places)).status_code == 303
    response = submit(client, report_data(places, reporter_name="Siti Ketiga"))
    html = text(response)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Terlalu banyak pengiriman dari alamat Anda. Isian Anda tetap di bawah;" in html
    assert 'value="Siti Ketiga"' in html
    assert Report.objects.count() == 2


def test_honeypot_refuses_and_stores_nothing(client, places):
    data = report_data(places, situs_web="http://spam.example", evidence_files=jpeg_upload())
    html = text(submit(client, data))
    assert "Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi." in html
    assert (Report.objects.count(), Evidence.objects.count()) == (0, 0)


def test_timer_refuses_a_post_faster_than_a_person(client, places, settings):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 3
    html = text(submit(client, report_data(places, form_ts=issue_timer())))
    assert "Formulir terkirim terlalu cepat. Periksa isian Anda lalu kirim sekali lagi." in html
    assert Report.objects.count() == 0
    # The re-rendered form carries a fresh timer: the person who waits a moment gets through.
    fresh = re.search(r'name="form_ts" value="([^"]+)"', html)[1]
    intake_env_shift = time_machine.travel(NOW + timedelta(seconds=5), tick=False)
    with intake_env_shift:
        assert submit(client, report_data(places, form_ts=fresh)).status_code == 303


def test_a_forged_timer_is_refused(client, places):
    html = text(submit(client, report_data(places, form_ts="form:forged:sig")))
    assert "Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi." in html
    assert Report.objects.count() == 0


def test_email_receipt_carries_code_status_url_and_hashes_but_never_the_pin(
    client, places, celery_eager, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://netralitas.example.go.id"
    photo = jpeg_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, report_data(places, evidence_files=SimpleUploadedFile("foto-bukti.jpg", photo)))
    _code, pin = receipt_values(text(client.get("/lapor/tanda-terima/")))
    report = Report.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["siti@example.org"], f"Tanda terima laporan {report.tracking_code}")
    assert f"Kode pelacakan: {report.tracking_code}" in message.body
    assert "https://netralitas.example.go.id/status/" in message.body
    assert f"SHA-256: {hashlib.sha256(photo).hexdigest()}" in message.body
    assert "- https://www.instagram.com/p/abc123/" in message.body
    assert pin not in message.body and pin.replace("-", "") not in message.body
    assert OutboxMessage.objects.get().dedupe_key == f"report-received:{report.pk}"


def test_the_view_keeps_queries_few(client, places, django_assert_max_num_queries, settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60  # as in production: the reference copy is warm
    assert submit(Client(), report_data(places)).status_code == 303
    data = report_data(places)
    with django_assert_max_num_queries(24):
        assert submit(client, data).status_code == 303


def test_receipt_and_pdf_without_a_submission_go_back_to_the_form(client, places):
    assert client.get("/lapor/tanda-terima/")["Location"] == "/lapor/"
    assert client.get("/lapor/tanda-terima.pdf")["Location"] == "/lapor/"
    assert client.put("/lapor/").status_code == 405
