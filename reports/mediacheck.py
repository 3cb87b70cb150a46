"""Content check of WebM (Matroska/EBML) videos: the container must be what its first bytes claim.

A WebM recorded by a phone or a browser is an EBML header (DocType "webm" or "matroska") and one
Segment holding SeekHead, Info, Tracks, Clusters, Cues and Tags. The check walks the Segment's
children element by element: every ID must be well-formed and every size must end inside the
file; an element of unknown size (a live recording's Cluster) ends the walk. Matroska
Attachments (which can carry any file, programs included) are refused.
"""

from __future__ import annotations

from typing import IO

EBML_HEADER = 0x1A45DFA3
DOCTYPE = 0x4282
SEGMENT = 0x18538067
ATTACHMENTS = 0x1941A469
# Children of a Segment (Matroska spec), plus Void and CRC-32.
SEGMENT_CHILDREN = {
    0x114D9B74,  # SeekHead
    0x1549A966,  # Info
    0x1654AE6B,  # Tracks
    0x1F43B675,  # Cluster
    0x1C53BB6B,  # Cues
    0x1043A770,  # Chapters
    0x1254C367,  # Tags
    ATTACHMENTS,
    0xEC,  # Void
    0xBF,  # CRC-32
}
DOCTYPES = {b"webm", b"matroska"}
MAX_ELEMENTS = 100_000


class NotWebm(ValueError):
    """The bytes are not a well-formed WebM/Matroska container."""


class HasAttachments(ValueError):
    """The container carries attached files."""


def _vint(data: bytes, position: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, unknown) of the EBML variable-length integer at ``position``."""
    if position >= len(data):
        raise NotWebm("truncated")
    first = data[position]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or position + length > len(data):
        raise NotWebm("bad vint")
    raw = data[position : position + length]
    value = int.from_bytes(raw, "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def _element(data: bytes, position: int) -> tuple[int, int, int | None]:
    """(id, start of its payload, payload size or None when unknown) of the element at ``position``."""
    element_id, id_length, _ = _vint(data, position, keep_marker=True)
    if id_length > 4:
        raise NotWebm("bad id")
    size, size_length, unknown = _vint(data, position + id_length, keep_marker=False)
    return element_id, position + id_length + size_length, None if unknown else size


def check_webm_bytes(head: bytes, read_at, total: int) -> None:
    """Walk a WebM whose first bytes are ``head``; ``read_at(offset, n)`` reads more. Raises NotWebm/HasAttachments."""
    element_id, start, size = _element(head, 0)
    if element_id != EBML_HEADER or size is None or start + size > len(head):
        raise NotWebm("no EBML header")
    position, doctype = start, None
    while position < start + size:
        child, child_start, child_size = _element(head, position)
        if child_size is None:
            raise NotWebm("unknown size in header")
        if child == DOCTYPE:
            doctype = head[child_start : child_start + child_size].rstrip(b"\x00")
        position = child_start + child_size
    if doctype not in DOCTYPES:
        raise NotWebm("doctype")
    window = read_at(position, 16)
    segment, payload, segment_size = _element(window, 0)
    if segment != SEGMENT:
        raise NotWebm("no segment")
    offset = position + payload
    end = total if segment_size is None else offset + segment_size
    if end != total:
        raise NotWebm("segment does not end the file")  # cut short, or something glued after it
    children = 0
    while offset < end:
        children += 1
        if children > MAX_ELEMENTS:
            raise NotWebm("too many elements")
        element_id, payload, element_size = _element(read_at(offset, 16), 0)
        if element_id not in SEGMENT_CHILDREN:
            raise NotWebm("unknown element")
        if element_id == ATTACHMENTS:
            raise HasAttachments("attachments")
        if element_size is None:
            return  # a live recording's last Cluster: nothing after it can be measured
        offset += payload + element_size
        if offset > end:
            raise NotWebm("element past the end")
    if children == 0:
        raise NotWebm("empty segment")


def check_webm(upload: IO[bytes], size: int) -> None:
    """check_webm_bytes over an uploaded file (read in small pieces, never whole)."""

    def read_at(offset: int, length: int) -> bytes:
        upload.seek(offset)
        return upload.read(length)

    upload.seek(0)
    head = upload.read(4096)
    check_webm_bytes(head, read_at, size)
