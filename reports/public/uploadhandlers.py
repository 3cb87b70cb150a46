"""Upload limits enforced while the body streams in, so an oversized file never reaches the disk whole.

LimitedUploadHandler goes first in FILE_UPLOAD_HANDLERS. It counts each file's bytes as they
arrive and skips a file (Django's SkipFile: the bytes already spooled are deleted, the rest is
read and dropped) when it passes NETRALITAS_EVIDENCE_MAX_FILE_BYTES, when the files kept so far
would pass NETRALITAS_EVIDENCE_MAX_REQUEST_BYTES, or when it is beyond the
NETRALITAS_EVIDENCE_MAX_FILES-th file. Skipping rather than stopping the whole upload keeps every
text field of the form, so the citizen loses nothing but the refused files, and the view can
say which ones: upload_refusals(request).

The whole body is still read from the socket: capping that is the reverse proxy's job
(client_max_body_size), not Django's.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

TOO_BIG = "too_big"
TOO_MANY = "too_many"
REQUEST_TOO_BIG = "request_too_big"
REFUSALS_ATTR = "_netralitas_upload_refusals"


class UploadRefusal(NamedTuple):
    field: str
    filename: str
    reason: str  # TOO_BIG, TOO_MANY or REQUEST_TOO_BIG

    @property
    def message(self) -> str:
        """The refusal in words for the citizen (Indonesian source, translated by gettext)."""
        name = self.filename if len(self.filename) <= 80 else self.filename[:77] + "…"
        if self.reason == TOO_BIG:
            return _("Berkas «%(name)s» ditolak: ukurannya melebihi batas %(limit)s per berkas.") % {
                "name": name,
                "limit": filesizeformat(settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES),
            }
        if self.reason == TOO_MANY:
            return _("Berkas «%(name)s» ditolak: paling banyak %(max)d berkas sekali kirim.") % {
                "name": name,
                "max": settings.NETRALITAS_EVIDENCE_MAX_FILES,
            }
        return _(
            "Berkas «%(name)s» ditolak: ukuran semua berkas melebihi batas %(limit)s sekali kirim. "
            "Kirim berkas ini terpisah."
        ) % {"name": name, "limit": filesizeformat(settings.NETRALITAS_EVIDENCE_MAX_REQUEST_BYTES)}


def upload_refusals(request) -> list[UploadRefusal]:
    """Files LimitedUploadHandler refused in ``request`` (they are absent from request.FILES)."""
    if request.method == "POST":
        request.FILES  # noqa: B018 (parses the body if nothing did yet)
    return list(getattr(request, REFUSALS_ATTR, ()))


class LimitedUploadHandler(FileUploadHandler):
    """Skips files over the per-file, per-request and file-count limits while they stream in.

    A file is refused on its first chunk past a limit, before that chunk is handed to the handlers
    that spool to memory or disk. (Raising SkipFile from new_file instead would make Django close the
    previous file's handle in those handlers, so a file over the count is refused on its first chunk.)
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.max_file_bytes = settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES
        self.max_request_bytes = settings.NETRALITAS_EVIDENCE_MAX_REQUEST_BYTES
        self.max_files = settings.NETRALITAS_EVIDENCE_MAX_FILES
        self.files_seen = 0
        self.kept_bytes = 0
        self.refusing: str | None = None
        self.refusals: list[UploadRefusal] = []
        if request is not None:
            setattr(request, REFUSALS_ATTR, self.refusals)

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files_seen += 1
        self.refusing = TOO_MANY if self.files_seen > self.max_files else None

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if self.refusing is None:
            if received > self.max_file_bytes:
                self.refusing = TOO_BIG
            elif self.kept_bytes + received > self.max_request_bytes:
                self.refusing = REQUEST_TOO_BIG
        if self.refusing is not None:
            self.refusals.append(UploadRefusal(self.field_name, self.file_name, self.refusing))
            raise SkipFile(self.refusing)
        return raw_data

    def file_complete(self, file_size):
        self.kept_bytes += file_size
        return None  # the handlers after this one build the file
