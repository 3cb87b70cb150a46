"""Staff exports (issue 15): the case list as CSV and XLSX, the case summary and the dashboard as PDF."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pikepdf
import pytest
from django.test import Client
from openpyxl import load_workbook

from netralitas.models import Region
from reports.models import Terlapor
from sanctions.exports import neutralise
from tests import test_dashboards as base
from tests.test_dashboards import REPORTER

world = base.world
dataset = base.dataset


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ('\uff1dHYPERLINK("x")', '\'\uff1dHYPERLINK("x")'),
        ("\uff0b1", "'\uff0b1"),
        ("  =cmd", "'  =cmd"),
        ("\tx", "'\tx"),
        ("Budi = Ketua", "Budi = Ketua"),
        (None, ""),
        (7, "7"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def _text_of_pdf(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return b"\n".join(obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream))


@pytest.fixture
def formula_names(dataset):
    Terlapor.objects.filter(pk=dataset["sanctioned"].pk).update(name='=HYPERLINK("http://x")', position="\uff1d1+1")
    return dataset


HEADER = (
    "ID perkara;Diterima;Provinsi/kab/kota kejadian;Pemilihan;Tahapan;Kode pelanggaran;Nama terlapor;NIP;Jabatan;"
    "Unit kerja;Instansi;Status perkara;Tenggat;Nomor rekomendasi;Tanggal rekomendasi;Nomor SK;Tanggal SK;"
    "Kepatuhan PPK;Masih diblokir"
)


def test_case_list_csv_of_the_ppk_has_exactly_its_cases(cast, formula_names, client):
    cases = formula_names
    response = login(cast["ppk_sleman"]).get("/dasbor/perkara.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff" + HEADER + "\r\n")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))[1:]
    assert [row[0] for row in rows] == [str(cases[k].pk) for k in ("not_proven", "sanctioned", "overdue")]
    sanctioned = rows[1]
    assert sanctioned[1:9] == [
        "2024-10-02T00:30:00+07:00",
        "Kabupaten Sleman",
        "Pilkada Serentak 2024",
        "Selama masa kampanye",
        "B4",
        '\'=HYPERLINK("http://x")',
        "197806122005011003",
        "'\uff1d1+1",
    ]
    assert sanctioned[10:12] == ["Pemerintah Kabupaten Sleman", "Sanksi dijatuhkan"]
    assert sanctioned[13:] == [f"R-{cases['sanctioned'].recommendation.letter_number[2:]}", "2024-10-30",
                               f"SK-{cases['sanctioned'].pk}", "2024-11-15", "Tepat waktu", "Tidak"]  # fmt: skip
    assert rows[2][-1] == "Ya"  # the overdue case is blocked
    assert "Yogyakarta;" not in body.replace("Daerah Istimewa Yogyakarta", "")
    assert [secret for secret in REPORTER if secret in body] == []


def test_case_list_xlsx_has_the_same_rows_typed_and_the_filters_in_force(cast, formula_names):
    client = login(cast["viewer"])
    jateng = Region.objects.get(name="Jawa Tengah").pk
    sheet = load_workbook(io.BytesIO(client.get(f"/dasbor/perkara.xlsx?provinsi={jateng}").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["ID perkara", formula_names["semarang"].pk]

    sheet = load_workbook(io.BytesIO(client.get("/dasbor/perkara.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    by_id = {row[0]: row for row in rows[1:]}
    sanctioned = by_id[formula_names["sanctioned"].pk]
    assert isinstance(sanctioned[0], int)
    assert sanctioned[1] == datetime(2024, 10, 2, 0, 30)  # Jakarta wall time
    assert sanctioned[6] == '\'=HYPERLINK("http://x")'
    assert sanctioned[8] == "'\uff1d1+1"
    assert sanctioned[14] == datetime(2024, 10, 30, 0, 0) and sanctioned[16] == datetime(2024, 11, 15, 0, 0)
    assert sanctioned[18] is False and by_id[formula_names["overdue"].pk][18] is True


def test_bawaslu_case_list_leaves_out_other_regions(cast, dataset):
    body = login(cast["bawaslu_diy"]).get("/dasbor/perkara.csv").content.decode()
    assert len(body.strip().split("\r\n")) == 1 + 4
    assert "Semarang" not in body


def test_case_summary_pdf_for_the_ppk_and_404_for_another_instansi(cast, dataset):
    client = login(cast["ppk_sleman"])
    response = client.get(f"/dasbor/perkara/{dataset['sanctioned'].pk}/ringkasan.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = _text_of_pdf(response.content)
    assert dataset["sanctioned"].name.encode() in text
    assert b"SK-" in text
    assert [secret for secret in REPORTER if secret.encode() in text] == []
    assert client.get(f"/dasbor/perkara/{dataset['yogya'].pk}/ringkasan.pdf").status_code == 404


def test_dashboard_pdf_is_one_page_of_the_users_figures(cast, dataset):
    response = login(cast["ppk_sleman"]).get("/dasbor/dasbor.pdf")
    assert response["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert len(pdf.pages) == 1
    text = _text_of_pdf(response.content)
    assert b"Dasbor sanksi instansi" in text
    assert b"Pemerintah Kota Yogyakarta" not in text


def test_exports_need_a_staff_login(client):
    for url in ("/dasbor/perkara.csv", "/dasbor/perkara.xlsx", "/dasbor/dasbor.pdf", "/dasbor/perkara/1/ringkasan.pdf"):
        assert client.get(url)["Location"] == f"/admin/login/?next={url}"


def test_dashboard_pdf_names_its_rates_as_the_dashboard_does(cast, dataset):
    """The count of cases followed up on time and its rate were both "Tepat waktu" in the PDF."""
    text = _text_of_pdf(login(cast["ppk_sleman"]).get("/dasbor/dasbor.pdf").content)
    assert text.count(b"Tepat waktu") == 1
    assert b"Rekomendasi ditindaklanjuti PPK" in text
    assert b"Ditindaklanjuti tepat waktu" in text


def test_dashboard_pdf_says_so_when_no_recommendation_is_overdue(cast, dataset):
    """As the page does, instead of a table of headers alone."""
    text = _text_of_pdf(login(cast["ppk_sleman"]).get("/dasbor/dasbor.pdf").content)
    assert b"Tidak ada rekomendasi yang melewati tenggat." in text
    assert b"Surat rekomendasi" not in text


def test_dashboard_pdf_lists_the_recommendations_past_their_deadline(cast, dataset):
    Terlapor.objects.filter(pk=dataset["overdue"].pk).update(due_date=datetime(2024, 11, 19).date())
    letter = dataset["overdue"].recommendation.letter_number
    text = _text_of_pdf(login(cast["ppk_sleman"]).get("/dasbor/dasbor.pdf").content)
    assert rb"Terlambat \(hari kerja\)" in text and letter.encode() in text  # PDF strings escape parentheses
    assert b"Tidak ada rekomendasi yang melewati tenggat." not in text
