"""PDF content checks with a real parser (pikepdf, on qpdf): what may run or carry another file is refused.

Every object of the file is visited as qpdf reads it, including objects packed
in compressed object streams, objects reached only through a repaired cross-
reference table, and direct objects nested inside others. A byte search cannot
do this reliably: padding a stream dictionary or putting a comment before
``stream`` hid JavaScript from the scanner this replaces.

Refused wherever they sit (document catalogue, pages, annotations, form fields,
name trees, outlines):

* JavaScript: a /JS entry, a /JavaScript action or name tree, XFA forms;
* actions that start a program or move data: /Launch, /SubmitForm, /ImportData,
  /GoToR and /GoToE (open another or an embedded file), /RichMedia and Flash;
* embedded files: the /EmbeddedFiles name tree, /EmbeddedFile streams,
  /FileAttachment annotations, /Filespec entries carrying /EF.

URI actions (links) are **kept** when they point to an http(s) or mailto
address and fire only when someone clicks them: a web page or social-media post
saved as PDF, the most common evidence after photos, is full of them. A URI
with another scheme (javascript:, file:, data:, …) and a URI that fires by
itself (the document's /OpenAction or an /AA additional action) are refused.

Encrypted PDFs that open without a password are checked like any other; those
that need one, and files qpdf cannot read at all, are refused as uncheckable.
The same checker guards the signed SK in sanctions (check_pdf_upload).
"""

from __future__ import annotations

import io
import re
from typing import IO

import pikepdf
from django.utils.translation import gettext as _

from reports.evidence_checks import EvidenceRejected

# Nodes visited per file: far beyond any real document, low enough to answer within a second or two.
MAX_NODES = 2_000_000
_ACTIONS_REFUSED = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/RichMedia",
    "/RichMediaExecute",
}
_KEYS_REFUSED = {"/JS", "/JavaScript", "/XFA", "/EmbeddedFiles", "/RichMediaContent", "/RichMediaSettings"}
_TYPES_REFUSED = {"/EmbeddedFile", "/RichMedia"}
_SUBTYPES_REFUSED = {"/FileAttachment", "/RichMedia", "/Movie", "/Screen", "/3D"}
_LINK_SCHEMES = ("http://", "https://", "mailto:")


class _Refused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _scripted(shown: str) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "Berkas «%(name)s» ditolak: PDF ini berisi JavaScript, lampiran berkas lain, atau aksi yang dapat "
            "menjalankan program atau mengirim data. Cetak ulang sebagai PDF biasa (Cetak → Simpan sebagai PDF), "
            "lalu kirim lagi."
        )
        % {"name": shown},
        code="pdf_script",
    )


def _uncheckable(shown: str) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "Berkas «%(name)s» ditolak: isi PDF ini terenkripsi atau dikodekan sehingga tidak dapat diperiksa. "
            "Cetak ulang sebagai PDF biasa (Cetak → Simpan sebagai PDF), lalu kirim lagi."
        )
        % {"name": shown},
        code="pdf_uncheckable",
    )


def _corrupt(shown: str) -> EvidenceRejected:
    return EvidenceRejected(
        _("Berkas «%(name)s» ditolak: isinya rusak atau tidak lengkap sebagai Dokumen PDF. Coba kirim berkas aslinya.")
        % {"name": shown},
        code="corrupt",
    )


def _name(value) -> str | None:
    return str(value) if isinstance(value, pikepdf.Name) else None


def _check_uri(action: pikepdf.Dictionary, *, automatic: bool) -> None:
    uri = action.get("/URI")
    text = str(uri) if isinstance(uri, pikepdf.String) else ""
    if automatic or not text.strip().lower().startswith(_LINK_SCHEMES):
        raise _Refused("pdf_uri")


_NAME = re.compile(rb"/([^\x00\t\n\f\r /%()<>\[\]{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NAMES_REFUSED_IN_OBJSTM = {
    name.lstrip("/").encode() for name in (_ACTIONS_REFUSED | _KEYS_REFUSED | _TYPES_REFUSED | {"/FileAttachment"})
}


def _check_object_stream(stream: pikepdf.Stream) -> None:
    """An object stream, decoded: also one that no cross-reference entry points to (a reader may still find it).

    Its objects are searched by name after qpdf removed every filter, so neither padding nor comments
    hide anything; a stream qpdf cannot decode is refused as uncheckable.
    """
    if "/Filter" in stream.stream_dict and not isinstance(stream.stream_dict.get("/Filter"), pikepdf.Object):
        raise _Refused("pdf_uncheckable")  # a filter that points nowhere
    try:
        data = stream.read_bytes()
        first, count = int(stream.stream_dict.get("/First", 0)), int(stream.stream_dict.get("/N", 0))
    except (pikepdf.PdfError, TypeError, ValueError):
        raise _Refused("pdf_uncheckable") from None
    # Decoded, it starts with N pairs of integers (object number, offset): anything else was not decoded.
    header = data[:first].split()
    if len(header) != 2 * count or not all(item.isdigit() for item in header):
        raise _Refused("pdf_uncheckable")
    names = {_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), m[1]) for m in _NAME.finditer(data)}
    if names & _NAMES_REFUSED_IN_OBJSTM:
        raise _Refused("pdf_script")


class _Walker:
    def __init__(self) -> None:
        self.nodes = 0

    def visit(self, obj, *, automatic: bool = False) -> None:
        """Check ``obj`` and the direct objects inside it; indirect ones are visited on their own."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused("pdf_uncheckable")
        if isinstance(obj, pikepdf.Stream):
            if _name(obj.stream_dict.get("/Type")) == "/ObjStm":
                _check_object_stream(obj)
            self.visit_dictionary(obj.stream_dict, automatic=automatic)
        elif isinstance(obj, pikepdf.Dictionary):
            self.visit_dictionary(obj, automatic=automatic)
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                if isinstance(item, pikepdf.Object) and not item.is_indirect:
                    self.visit(item, automatic=automatic)

    def visit_dictionary(self, dictionary: pikepdf.Dictionary, *, automatic: bool) -> None:
        keys = set(dictionary.keys())
        if keys & _KEYS_REFUSED:
            raise _Refused("pdf_script")
        if _name(dictionary.get("/Type")) in _TYPES_REFUSED or _name(dictionary.get("/Subtype")) in _SUBTYPES_REFUSED:
            raise _Refused("pdf_script")
        if "/EF" in keys:  # a file specification with the file itself inside
            raise _Refused("pdf_script")
        action = _name(dictionary.get("/S"))
        if action in _ACTIONS_REFUSED:
            raise _Refused("pdf_script")
        if action == "/URI":
            _check_uri(dictionary, automatic=automatic)
        for key in keys:
            value = dictionary.get(key)
            if not isinstance(value, pikepdf.Object):
                continue  # numbers and booleans arrive as Python values
            if value.is_indirect:
                if key in ("/OpenAction", "/AA") or automatic:
                    self.visit_automatic(value)
                continue
            self.visit(value, automatic=automatic or key in ("/OpenAction", "/AA"))

    def visit_automatic(self, obj) -> None:
        """An action reached from /OpenAction or /AA through a reference: checked as one that fires by itself."""
        if isinstance(obj, pikepdf.Dictionary) and _name(obj.get("/S")) == "/URI":
            raise _Refused("pdf_uri")


def check_pdf(source: IO[bytes] | str, shown: str) -> None:
    """Refuse (EvidenceRejected) a PDF that carries JavaScript, a dangerous action or an embedded file.

    ``source`` is a seekable binary file or a path; ``shown`` is the file name as the citizen sees it.
    """
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError:
        raise _uncheckable(shown) from None
    except (pikepdf.PdfError, ValueError, OSError):
        raise _corrupt(shown) from None
    walker = _Walker()
    try:
        with pdf:
            walker.visit(pdf.trailer)
            for obj in pdf.objects:
                walker.visit(obj)
    except _Refused as refused:
        if refused.code == "pdf_uncheckable":
            raise _uncheckable(shown) from None
        raise _scripted(shown) from None
    except pikepdf.PdfError:
        raise _corrupt(shown) from None


def _size(upload) -> int:
    if getattr(upload, "size", None) is not None:
        return upload.size
    upload.seek(0, 2)
    return upload.tell()


def check_pdf_upload(upload, shown: str | None = None) -> None:
    """Check an uploaded file as a PDF: it must be one (by its first bytes, not its name) and pass check_pdf.

    ``shown`` defaults to the upload's cleaned file name. Reads from the temporary path when the
    upload has one, else from memory. Raises EvidenceRejected with a message for the person uploading.
    """
    from reports.evidence import clean_file_name

    if shown is None:
        name = clean_file_name(getattr(upload, "name", "") or "") or _("(tanpa nama)")
        shown = name if len(name) <= 80 else name[:77] + "…"
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise EvidenceRejected(
            _("Berkas «%(name)s» ditolak: isinya bukan PDF (hasil pindai atau cetak ke PDF).") % {"name": shown},
            code="not_pdf",
        )
    upload.seek(max(_size(upload) - 1024, 0))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:  # an upload cut short: qpdf would repair it, we ask for the whole file
        raise _corrupt(shown)
    path = getattr(upload, "temporary_file_path", None)
    try:
        if path is not None:
            check_pdf(path(), shown)
        else:
            check_pdf(io.BytesIO(upload.read()), shown)
    finally:
        upload.seek(0)
