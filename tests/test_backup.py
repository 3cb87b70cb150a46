"""Backups: `manage.py backup` (pg_dump -Fc, a tar of the private media, a SHA-256 manifest of every file) and
`manage.py restore` into a fresh database and folder give back every report, event and file byte for byte."""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from reports import assessment, triage
from reports.evidence import store_evidence_file, store_evidence_link
from tests.conftest import NEEDS_POSTGRES
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import MINIMAL_PDF, jpeg_with_gps

pytestmark = [NEEDS_POSTGRES, pytest.mark.django_db(transaction=True)]

TABLES = [
    "reports_report",
    "reports_terlapor",
    "reports_evidence",
    "reports_reportevent",
    "reports_caseevent",
    "auth_user",
    "netralitas_membership",
]


def rows(cursor, table: str) -> list[tuple]:
    cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (our own table names)
    return cursor.fetchall()


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = params.get("user") or "postgres"
    host, port = params.get("host") or "127.0.0.1", params.get("port") or 5432
    password = f":{params['password']}" if params.get("password") else ""
    yield name, f"postgres://{user}{password}@{host}:{port}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def seeded(cast, organisations, settings, tmp_path) -> Path:
    """A rejected report with a photo (and its clean copy), a PDF and a link; a forwarded one with its case."""
    media = tmp_path / "private"
    settings.MEDIA_ROOT = str(media)
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"], witnesses="Pak Harjo")
    TerlaporFactory(report=report, name="Sutrisno Hadi", instansi=organisations["pemda_sleman"])
    store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_gps()), report=report)
    store_evidence_file(SimpleUploadedFile("surat.pdf", MINIMAL_PDF), report=report)
    store_evidence_link("https://www.instagram.com/p/abc123/", report=report)
    officer = cast["bawaslu_sleman"]
    triage.start_verification(report, actor=officer)
    triage.reject_report(report, actor=officer, reason="Di luar masa pelaporan.")
    forwarded = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=forwarded, name="Rina Wulandari", instansi=organisations["pemda_sleman"])
    triage.start_verification(forwarded, actor=officer)
    triage.register_report(forwarded, actor=officer)
    assessment.record_kajian(forwarded, actor=officer, result="memenuhi", reasoning="Unsur terpenuhi.")
    assessment.forward_report(forwarded, actor=officer)  # opens each terlapor's case: case events
    return media


def test_backup_then_restore_into_a_fresh_database_and_folder_gives_everything_back(seeded, fresh_database, tmp_path):
    name, url = fresh_database
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "cadangan"), stdout=out)
    (backup,) = (tmp_path / "cadangan").iterdir()
    manifest = (backup / "MANIFEST.sha256").read_text().splitlines()
    original_files = files_under(seeded)
    assert len(original_files) == 4  # the photo and the PDF, each with its clean copy
    for relative, data in original_files.items():
        assert f"{hashlib.sha256(data).hexdigest()}  media/{relative}" in manifest
    assert any(line.endswith("  database.dump") for line in manifest)

    restored_media = tmp_path / "dipulihkan"
    call_command("restore", str(backup), "--database-url", url, "--media-root", str(restored_media), stdout=out)

    assert files_under(restored_media) == original_files
    restored = psycopg2.connect(url)
    try:
        with connection.cursor() as mine, restored.cursor() as theirs:
            for table in TABLES:
                original = rows(mine, table)
                assert original, table
                assert rows(theirs, table) == original, table
    finally:
        restored.close()
    assert "Pemulihan selesai: 4 berkas cocok dengan manifest." in out.getvalue()


def test_a_backup_that_was_altered_is_refused_before_anything_is_restored(seeded, fresh_database, tmp_path):
    name, url = fresh_database
    call_command("backup", "--output", str(tmp_path / "cadangan"), stdout=io.StringIO())
    (backup,) = (tmp_path / "cadangan").iterdir()
    archive = backup / "media.tar"
    data = bytearray(archive.read_bytes())
    data[600] ^= 0xFF  # one flipped byte inside the first file
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="media.tar: SHA-256 tidak cocok dengan manifest"):
        call_command("restore", str(backup), "--database-url", url, "--media-root", str(tmp_path / "x"))

    assert not (tmp_path / "x").exists()
    restored = psycopg2.connect(url)
    try:
        with restored.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert cursor.fetchone() == (0,)
    finally:
        restored.close()


def test_restore_refuses_a_database_that_is_not_empty(seeded, tmp_path):
    call_command("backup", "--output", str(tmp_path / "cadangan"), stdout=io.StringIO())
    (backup,) = (tmp_path / "cadangan").iterdir()

    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(backup), "--media-root", str(tmp_path / "y"))
