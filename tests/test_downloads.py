"""Evidence downloads: staff only, through the visibility rule, always an attachment, never by a public URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from netralitas.models import Region
from reports.evidence import store_evidence_file
from tests.factories import ReportFactory
from tests.test_evidence import MINIMAL_PDF, jpeg_with_gps


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast's eleven users hash their password; a fast hasher saves seconds a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sleman_photo(media, organisations):
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"], region=Region.objects.get(name="Kabupaten Sleman")
    )
    # A name that would break a header or a shell if it were ever echoed.
    upload = SimpleUploadedFile('rumah "Budi";\r\nX-Evil: 1.jpg', jpeg_with_gps(), content_type="text/html")
    return store_evidence_file(upload, report=report)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_evidence_gives_the_exact_original_as_an_attachment(cast, sleman_photo):
    url = reverse("evidence-download", args=[sleman_photo.pk])
    assert url == f"/bukti/{sleman_photo.pk}/unduh/"

    response = client_for(cast["bawaslu_sleman"]).get(url)

    assert response.status_code == 200
    assert body_of(response) == jpeg_with_gps()
    assert {
        header: response[header]
        for header in (
            "Content-Type",
            "Content-Disposition",
            "Content-Length",
            "X-Content-Type-Options",
            "Cache-Control",
            "Content-Security-Policy",
        )
    } == {
        "Content-Type": "image/jpeg",
        "Content-Disposition": f'attachment; filename="bukti-{sleman_photo.pk}.jpg"',
        "Content-Length": str(len(jpeg_with_gps())),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }


def test_download_shared_copy_gives_the_photo_without_metadata(cast, sleman_photo, tmp_path):
    response = client_for(cast["bawaslu_sleman"]).get(reverse("evidence-download-shared", args=[sleman_photo.pk]))

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "image/jpeg",
        f'attachment; filename="bukti-{sleman_photo.pk}-salinan.jpg"',
    )
    copy = tmp_path / "salinan.jpg"
    copy.write_bytes(body_of(response))
    assert copy.read_bytes() == Path(sleman_photo.shared_copy.path).read_bytes()
    assert dict(Image.open(copy).getexif()) == {}


def test_download_evidence_is_404_for_staff_who_cannot_see_the_report(cast, sleman_photo):
    client = client_for(cast["operator_yogya"])
    for name in ("evidence-download", "evidence-download-shared"):
        response = client.get(reverse(name, args=[sleman_photo.pk]))
        assert (response.status_code, response.get("Content-Disposition")) == (404, None)
    # A foreign id and a missing one are told apart by nothing.
    missing = client.get(reverse("evidence-download", args=[sleman_photo.pk + 1000]))
    assert missing.status_code == 404


def test_download_evidence_sends_anonymous_visitors_to_the_admin_login(sleman_photo):
    url = reverse("evidence-download", args=[sleman_photo.pk])
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next=/bukti/{sleman_photo.pk}/unduh/")


def test_download_evidence_of_a_draft_is_404_for_everyone(cast, media):
    draft = store_evidence_file(SimpleUploadedFile("surat.pdf", MINIMAL_PDF), draft_token="draf-belum-dikirim")
    for role in ("viewer", "admin", "bawaslu_sleman"):
        response = client_for(cast[role]).get(reverse("evidence-download", args=[draft.pk]))
        assert (role, response.status_code) == (role, 404)


def test_download_shared_copy_is_404_when_the_file_has_none(cast, media, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    pdf = store_evidence_file(SimpleUploadedFile("surat.pdf", MINIMAL_PDF), report=report)
    client = client_for(cast["viewer"])
    assert client.get(reverse("evidence-download-shared", args=[pdf.pk])).status_code == 404
    response = client.get(reverse("evidence-download", args=[pdf.pk]))
    assert (response.status_code, response["Content-Type"], body_of(response)) == (200, "application/pdf", MINIMAL_PDF)


def test_download_evidence_refuses_post(cast, sleman_photo):
    response = client_for(cast["bawaslu_sleman"]).post(reverse("evidence-download", args=[sleman_photo.pk]))
    assert response.status_code == 405


def test_no_public_url_serves_evidence_files(cast, sleman_photo, media):
    stored = sleman_photo.file.name
    assert stored.startswith("evidence/") and (media / stored).is_file()
    client = client_for(cast["admin"])
    for url in (f"/media/{stored}", f"/static/{stored}", f"/{stored}", f"/var/private/{stored}"):
        response = client.get(url)
        assert (url, response.status_code) == (url, 404)
        assert b"".join(getattr(response, "streaming_content", [response.content])) != jpeg_with_gps()
