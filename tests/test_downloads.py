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
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import MINIMAL_PDF, WEBM, jpeg_with_gps


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
    TerlaporFactory(report=report, instansi=organisations["pemda_sleman"])  # so Sleman's staff see the report
    # A name that would break a header or a shell if it were ever echoed.
    upload = SimpleUploadedFile('rumah "Budi";\r\nX-Evil: 1.jpg', jpeg_with_gps(), content_type="text/html")
    return store_evidence_file(upload, report=report)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def unseal_original(client: Client, evidence, reason: str = "Memeriksa foto asli untuk verifikasi."):
    return client.post(
        reverse("sealed-open", args=[evidence.report_id]), {"item": f"bukti-{evidence.pk}", "reason": reason}
    )


def test_the_original_leaves_only_through_the_logged_unsealing_as_an_attachment(cast, sleman_photo):
    """Issue 8: the intake's verifier gets the exact original, after giving a reason that is logged."""
    from reports.models import SealedAccess

    url = reverse("sealed-open", args=[sleman_photo.report_id])
    assert url == f"/rahasia/laporan/{sleman_photo.report_id}/buka/"
    client = client_for(cast["bawaslu_sleman"])
    form = client.get(url, {"item": f"bukti-{sleman_photo.pk}"})
    assert form.status_code == 200 and form.context["form"].initial == {"item": f"bukti-{sleman_photo.pk}"}
    assert SealedAccess.objects.count() == 0  # asking is not opening

    response = unseal_original(client, sleman_photo)

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
        "Content-Disposition": f'attachment; filename="bukti-{sleman_photo.pk}-asli.jpg"',
        "Content-Length": str(len(jpeg_with_gps())),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store, max-age=0, no-cache, must-revalidate",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    assert list(SealedAccess.objects.values_list("report", "item", "evidence", "actor", "reason")) == [
        (
            sleman_photo.report_id,
            "original",
            sleman_photo.pk,
            cast["bawaslu_sleman"].pk,
            "Memeriksa foto asli untuk verifikasi.",
        )
    ]


def test_the_original_needs_a_reason(cast, sleman_photo):
    from reports.models import SealedAccess

    response = unseal_original(client_for(cast["bawaslu_sleman"]), sleman_photo, reason="lihat")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["reason"] == [
        "Tuliskan alasan membuka data ini, paling sedikit 10 karakter."
    ]
    assert "lihat</textarea>" in response.content.decode()  # what was typed is kept
    assert SealedAccess.objects.count() == 0


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


def test_evidence_is_404_for_staff_who_cannot_see_the_report(cast, sleman_photo):
    client = client_for(cast["operator_yogya"])
    response = client.get(reverse("evidence-download-shared", args=[sleman_photo.pk]))
    assert (response.status_code, response.get("Content-Disposition")) == (404, None)
    assert unseal_original(client, sleman_photo).status_code == 404
    # A foreign id and a missing one are told apart by nothing.
    missing = client.get(reverse("evidence-download-shared", args=[sleman_photo.pk + 1000]))
    assert missing.status_code == 404


@pytest.mark.parametrize("role", ["ppk_sleman", "operator_sleman", "satgas_sleman", "wasdal_bkn", "viewer", "admin"])
def test_the_original_is_refused_to_everyone_but_the_intakes_verifiers(cast, sleman_photo, role):
    from reports.models import SealedAccess

    response = unseal_original(client_for(cast[role]), sleman_photo)

    assert response.status_code == 403
    assert jpeg_with_gps() not in response.content
    assert SealedAccess.objects.count() == 0


def test_evidence_sends_anonymous_visitors_to_the_admin_login(sleman_photo):
    url = reverse("sealed-open", args=[sleman_photo.report_id])
    response = Client().post(url, {"item": f"bukti-{sleman_photo.pk}", "reason": "Memeriksa foto asli."})
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")
    shared = reverse("evidence-download-shared", args=[sleman_photo.pk])
    assert Client().get(shared)["Location"] == f"/admin/login/?next={shared}"


def test_evidence_of_a_draft_is_404_for_everyone(cast, media):
    draft = store_evidence_file(SimpleUploadedFile("surat.pdf", MINIMAL_PDF), draft_token="draf-belum-dikirim")
    for role in ("viewer", "admin", "bawaslu_sleman"):
        response = client_for(cast[role]).get(reverse("evidence-download-shared", args=[draft.pk]))
        assert (role, response.status_code) == (role, 404)


def test_a_file_the_portal_cannot_clean_shows_its_hash_but_offers_no_download(cast, media, organisations):
    """Issue 8: a video (like a PDF pikepdf cannot rewrite) has no clean copy: only the verifier may download it."""
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    video = store_evidence_file(SimpleUploadedFile("video.webm", WEBM), report=report)
    client = client_for(cast["viewer"])
    assert client.get(reverse("evidence-download-shared", args=[video.pk])).status_code == 404
    page = client.get(reverse("admin:reports_report_change", args=[report.pk])).content.decode()
    assert video.sha256 in page and "Tidak dapat diunduh: metadata berkas ini tidak dapat dibersihkan." in page
    assert reverse("sealed-open", args=[report.pk]) not in page
    assert unseal_original(client, video).status_code == 403


def test_the_unsealing_page_refuses_put_and_delete(cast, sleman_photo):
    url = reverse("sealed-open", args=[sleman_photo.report_id])
    assert client_for(cast["bawaslu_sleman"]).delete(url).status_code == 405


def test_no_public_url_serves_evidence_files(cast, sleman_photo, media):
    stored = sleman_photo.file.name
    assert stored.startswith("evidence/") and (media / stored).is_file()
    client = client_for(cast["admin"])
    for url in (f"/media/{stored}", f"/static/{stored}", f"/{stored}", f"/var/private/{stored}"):
        response = client.get(url)
        assert (url, response.status_code) == (url, 404)
        assert b"".join(getattr(response, "streaming_content", [response.content])) != jpeg_with_gps()
