"""A decree's member list as XLSX: every bad row reported (row and column) before anything is saved; all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from taskforce.members_xlsx import read_member_list
from taskforce.models import Satgas, SatgasMember
from tests.test_evidence import MINIMAL_PDF

HEADER = ["Nama", "Peran", "Asal instansi", "Jabatan", "Mulai bertugas", "NIP", "Berhenti bertugas", "Akun portal"]


def xlsx(rows: list[list], header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("anggota.xlsx", buffer.getvalue())


GOOD = [
    [
        "Kustini Sri Purnomo",
        "Penanggung jawab",
        "Pemerintah Kabupaten Sleman",
        "Bupati Sleman",
        dt.date(2024, 1, 1),
        "",
        None,
        "",
    ],
    ["Harda Kiswaya", "Ketua", "Sekretariat Daerah", "Sekretaris Daerah", "2024-01-01", "", None, "ketua.satgas"],
    [
        "Eko Widodo",
        "anggota",
        "Inspektorat",
        "Inspektur Pembantu",
        "01/02/2024",
        "197001012000031001",
        "2024-12-31",
        "",
    ],
]


def snapshot() -> list[tuple]:
    return list(
        SatgasMember.objects.order_by("pk").values_list(
            "name", "role", "institution", "joined_on", "left_on", "user__username"
        )
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(team) -> str:
    return f"/satgas/tim/{team.satgas.pk}/anggota/impor/"


def test_a_good_list_is_previewed_then_saved(team):
    before = snapshot()
    client = client_for(team.sekretaris.user)
    preview = client.post(url(team), {"file": xlsx(GOOD)})
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="import-preview"' in html
    assert "Pratinjau: 3 anggota" in html and "Kustini Sri Purnomo" in html
    assert snapshot() == before  # nothing saved yet
    token = re.search(r'name="token" value="([^"]+)"', html)[1]

    saved = client.post(url(team), {"token": token})

    assert saved.status_code == 302 and saved["Location"] == f"/satgas/tim/{team.satgas.pk}/anggota/"
    members = {m.name: m for m in SatgasMember.objects.filter(satgas=team.satgas)}
    assert len(members) == 7  # five before (Harda Kiswaya updated), two added
    eko = members["Eko Widodo"]
    assert (eko.role, eko.nip, eko.position, eko.joined_on, eko.left_on, eko.user, eko.order) == (
        "anggota",
        "197001012000031001",
        "Inspektur Pembantu",
        dt.date(2024, 2, 1),
        dt.date(2024, 12, 31),
        None,
        3,
    )
    assert (members["Harda Kiswaya"].pk, members["Harda Kiswaya"].position) == (team.ketua.pk, "Sekretaris Daerah")
    assert members["Kustini Sri Purnomo"].role == "penanggung_jawab"
    follow = client.get(saved["Location"]).content.decode()
    assert "Daftar anggota disimpan: 2 ditambahkan, 1 diperbarui." in follow


def test_a_list_with_a_bad_row_is_refused_whole_and_names_row_and_column(team):
    before = snapshot()
    bad = [
        *GOOD,
        ["", "Ketua umum", "BKPSDM", "Kabid", "31-31-2024", "12345", "2023-01-01", "tidak.ada"],
        [
            "Fajar Nugroho",
            "Anggota",
            "Kesbangpol",
            "Kabid",
            "2024-03-01",
            "197001012000031001",
            "2024-02-01",
            "ketua.satgas",
        ],
    ]
    response = client_for(team.ketua.user).post(url(team), {"file": xlsx(bad)})
    html = response.content.decode()
    errors = re.findall(r"<li>(Baris[^<]+)</li>", html)
    assert response.status_code == 400
    assert [e.replace("&laquo;", "«").replace("&raquo;", "»") for e in errors] == [
        "Baris 5, kolom Nama: wajib diisi.",
        "Baris 5, kolom NIP: «12345» bukan NIP 18 angka.",
        "Baris 5, kolom Peran: «Ketua umum» bukan peran Satgas "
        "(pilih: Penanggung jawab, Ketua, Wakil ketua, Sekretaris, Anggota).",
        "Baris 5, kolom Mulai bertugas: «31-31-2024» bukan tanggal (tulis 2024-01-31 atau 31/01/2024).",
        "Baris 6, kolom NIP: NIP 197001012000031001 sudah ada di baris 4.",
        "Baris 6, kolom Berhenti bertugas: harus sesudah tanggal mulai bertugas.",
        "Baris 6, kolom Akun portal: akun «ketua.satgas» sudah dipakai di baris 3.",
        "Baris 5, kolom Akun portal: akun «tidak.ada» tidak ada atau tidak aktif.",
        "Baris 6, kolom Akun portal: akun «ketua.satgas» sudah dipakai anggota Harda Kiswaya.",
    ]
    assert 'data-testid="import-preview"' not in html
    assert snapshot() == before


def test_an_account_already_on_another_member_is_refused(team):
    rows = [["Orang Baru", "Anggota", "BKPSDM", "Analis", "2024-01-01", "", None, "anggota.satu"]]
    response = client_for(team.ketua.user).post(url(team), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert (
        "Baris 2, kolom Akun portal: akun «anggota.satu» sudah dipakai anggota Ani Lestari."
        in response.content.decode().replace("&laquo;", "«").replace("&raquo;", "»")
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("anggota.xlsx", b"Nama,Peran\nA,Ketua\n"), "Berkas ini bukan XLSX yang dapat dibaca."),
        (
            xlsx([["A", "Ketua"]], header=["Nama", "Peran"]),
            "Baris 1: kolom Asal instansi, Jabatan, Mulai bertugas tidak ada.",
        ),
        (xlsx([]), "Daftar anggota kosong"),
    ],
)
def test_unreadable_or_empty_files_are_refused(team, upload, message):
    before = snapshot()
    response = client_for(team.ketua.user).post(url(team), {"file": upload})
    assert response.status_code == 400 and message in response.content.decode()
    assert snapshot() == before


def test_a_tampered_preview_saves_nothing(team):
    before = snapshot()
    response = client_for(team.ketua.user).post(url(team), {"token": "eyJuYW1lIjoiWCJ9:forged:signature"})
    assert response.status_code == 400 and "Pratinjau ini sudah kedaluwarsa atau rusak." in response.content.decode()
    assert snapshot() == before


def test_the_export_imports_back_unchanged(team):
    client = client_for(team.ketua.user)
    exported = client.get(f"/satgas/tim/{team.satgas.pk}/anggota.xlsx")
    assert exported.status_code == 200 and exported["Cache-Control"] == "private, no-store"
    sheet = load_workbook(BytesIO(exported.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert [c.value for c in sheet[2]][:5] == [
        "Harda Kiswaya",
        "Ketua",
        "Sekretariat Daerah",
        "Analis Kebijakan",
        dt.datetime(2024, 1, 1),
    ]
    assert [c.value for c in sheet[2]][7] == "ketua.satgas"
    before = snapshot()
    result = read_member_list(exported.content)
    assert result.errors == [] and [r["name"] for r in result.rows] == [
        "Harda Kiswaya",
        "Budi Pranowo",
        "Ani Lestari",
        "Bayu Saputra",
        "Citra Dewi",
    ]
    preview = client.post(url(team), {"file": SimpleUploadedFile("a.xlsx", exported.content)})
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())[1]
    assert client.post(url(team), {"token": token}).status_code == 302
    assert snapshot() == before


def test_who_may_import(team, cast):
    assert client_for(team.anggota[0].user).get(url(team)).status_code == 403
    assert client_for(cast["admin"]).get(url(team)).status_code == 200  # the administrator keeps decrees
    assert client_for(cast["operator_yogya"]).get(url(team)).status_code == 404


def test_the_administrator_uploads_the_signed_decree_checked_like_evidence(team, cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    client = client_for(cast["admin"])
    satgas = team.satgas
    form = {
        "name": satgas.name,
        "level": satgas.level,
        "organisation": satgas.organisation_id,
        "decree_number": satgas.decree_number,
        "decree_date": "2024-01-02",
        "decree_title": satgas.decree_title,
        "period_start": "2024-01-01",
        "period_end": "",
        "address": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    fake = client.post(
        f"/admin/taskforce/satgas/{satgas.pk}/change/",
        {**form, "decree_pdf": SimpleUploadedFile("sk.pdf", b"MZ\x90\x00binary", content_type="application/pdf")},
    )
    assert fake.status_code == 200
    assert "Berkas «sk.pdf» ditolak" in fake.content.decode()
    assert not Satgas.objects.get(pk=satgas.pk).decree_pdf

    good = client.post(
        f"/admin/taskforce/satgas/{satgas.pk}/change/",
        {**form, "decree_pdf": SimpleUploadedFile("sk.pdf", MINIMAL_PDF, content_type="application/pdf")},
    )
    assert good.status_code == 302
    stored = Satgas.objects.get(pk=satgas.pk)
    assert stored.decree_sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    download = client_for(team.anggota[0].user).get(f"/satgas/tim/{satgas.pk}/sk.pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["Cache-Control"] == "private, no-store"
    assert client_for(cast["operator_yogya"]).get(f"/satgas/tim/{satgas.pk}/sk.pdf").status_code == 404
