"""Clean copies of evidence (reports.cleaning): PDFs rewritten with pikepdf, images re-encoded, a command."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from reports.cleaning import CleaningFailed, clean_pdf, make_missing_clean_copies
from reports.evidence import store_evidence_file
from reports.models import Evidence
from tests.factories import ReportFactory
from tests.test_whistleblower import (
    EXIF_ARTIST,
    EXIF_MAKE,
    IPTC_BYLINE,
    PDF_AUTHOR,
    PDF_CREATOR,
    PDF_XMP,
    XMP_VALUE,
    jpeg_with_reporter_metadata,
    pdf_with_reporter_metadata,
)

SECRET = "Penulis-SriW"


def everything_in(data: bytes) -> bytes:
    """The file's bytes and every stream inflated: where a name could hide in a PDF."""
    parts = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        parts += [obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream)]
    return b"\n".join(parts)


def hostile_pdf() -> bytes:
    """Document info and XMP naming the author, an attachment, JavaScript on open, actions everywhere."""
    pdf = pikepdf.Pdf.open(io.BytesIO(pdf_with_reporter_metadata()))
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(f"app.alert('{SECRET}')"))
    )
    pdf.Root.OpenAction = script
    pdf.Root.AA = pikepdf.Dictionary(WC=script)
    pdf.Root.Outlines = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Outlines, Count=0, A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="x.exe"))
    )
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=script)
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 10, 10],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(f"https://contoh.example/{SECRET}")),
    )
    attachment = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[20, 20, 30, 30],
        FS=pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F="x.txt", EF=pikepdf.Dictionary(F=pdf.make_stream(f"{SECRET} rumah".encode()))
        ),
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(attachment)]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_clean_pdf_keeps_the_page_and_drops_info_xmp_files_scripts_and_actions():
    original = hostile_pdf()
    assert all(v.encode() in everything_in(original) for v in (PDF_AUTHOR, PDF_CREATOR, PDF_XMP, "JavaScript"))

    clean = clean_pdf(original)

    text = everything_in(clean)
    for gone in (
        PDF_AUTHOR,
        PDF_CREATOR,
        PDF_XMP,
        SECRET,
        "JavaScript",
        "/JS",
        "EmbeddedFile",
        "OpenAction",
        "/Launch",
    ):
        assert gone.encode() not in text, gone
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert len(pdf.pages) == 1 and "/Info" not in pdf.trailer
        assert {"/Metadata", "/OpenAction", "/AA", "/Names", "/Outlines"} & set(pdf.Root.keys()) == set()
        assert [str(a.Subtype) for a in pdf.pages[0].Annots] == ["/Link"]  # the link stays, without its action
        assert "/A" not in pdf.pages[0].Annots[0] and "/AA" not in pdf.pages[0].obj


def test_clean_pdf_refuses_what_it_cannot_open():
    with pytest.raises(CleaningFailed):
        clean_pdf(b"%PDF-1.4\nnothing here\n%%EOF\n")


@pytest.fixture
def media(settings, tmp_path, reference_data):
    settings.MEDIA_ROOT = str(tmp_path / "private")


def test_an_uploaded_pdf_gets_a_clean_copy_and_keeps_its_original(media):
    data = pdf_with_reporter_metadata()
    evidence = store_evidence_file(SimpleUploadedFile("surat.pdf", data), report=ReportFactory())

    assert evidence.file.read() == data
    copy = evidence.shared_copy.read()
    assert (
        copy.startswith(b"%PDF")
        and [v for v in (PDF_AUTHOR, PDF_CREATOR, PDF_XMP) if v.encode() in everything_in(copy)] == []
    )


def test_an_uploaded_photo_loses_exif_gps_xmp_and_iptc(media):
    data = jpeg_with_reporter_metadata()
    assert all(v.encode() in data for v in (EXIF_ARTIST, EXIF_MAKE, XMP_VALUE, IPTC_BYLINE))

    evidence = store_evidence_file(SimpleUploadedFile("foto.jpg", data), report=ReportFactory())

    copy = evidence.shared_copy.read()
    assert [
        v for v in (EXIF_ARTIST, EXIF_MAKE, XMP_VALUE, IPTC_BYLINE, "Photoshop", "8BIM") if v.encode() in copy
    ] == []
    image = Image.open(io.BytesIO(copy))
    assert dict(image.getexif()) == {} and not ({"xmp", "exif", "photoshop", "comment"} & set(image.info))


def test_clean_evidence_command_gives_older_files_their_copy_once(media, capsys):
    report = ReportFactory()
    pdf = store_evidence_file(SimpleUploadedFile("surat.pdf", pdf_with_reporter_metadata()), report=report)
    photo = store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_reporter_metadata()), report=report)
    for evidence in (pdf, photo):  # as stored before issue 8 (PDFs had none) or by a failed earlier run
        evidence.shared_copy.delete(save=False)
        Evidence.objects.filter(pk=evidence.pk).update(shared_copy="")
    broken = Evidence.objects.create(
        report=report, kind="file", media_type="application/pdf", sha256="0" * 64, size=3, original_name="x.pdf"
    )
    broken.file.save("evidence", ContentFile(b"not a pdf"), save=True)

    call_command("clean_evidence")

    assert capsys.readouterr().out.strip() == "Salinan dibuat / copies made: 2; gagal / failed: 1"
    pdf.refresh_from_db()
    photo.refresh_from_db()
    assert PDF_AUTHOR.encode() not in everything_in(pdf.shared_copy.read())
    assert EXIF_ARTIST.encode() not in photo.shared_copy.read()
    assert make_missing_clean_copies() == (0, 1)  # idempotent: only the broken file is tried again
