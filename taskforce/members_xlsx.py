"""A decree's member list as XLSX: export, and an all-or-nothing import checked row by row first.

The import reads the first sheet: a header row, then one member per row. Every problem is
reported with its row and column, in Indonesian, before anything is saved; a list with any
error saves nothing. A row whose NIP (or, without NIP, whose name) matches a member of the
Satgas updates that member; any other row adds one. The export writes the same columns, so
an exported list imports back unchanged.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from netralitas.calendar import format_date
from taskforce import permissions
from taskforce.enums import SatgasRole
from taskforce.models import Satgas, SatgasMember
from taskforce.selectors import member_of

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024

# key, header; the first five are required.
COLUMNS = [
    ("name", "Nama"),
    ("role", "Peran"),
    ("institution", "Asal instansi"),
    ("position", "Jabatan"),
    ("joined_on", "Mulai bertugas"),
    ("nip", "NIP"),
    ("left_on", "Berhenti bertugas"),
    ("username", "Akun portal"),
]
REQUIRED = {"name", "role", "institution", "position", "joined_on"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


@dataclass
class ImportResult:
    """The rows read (as plain values, safe to sign and carry to the confirmation) and the errors found."""

    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _roles() -> dict[str, str]:
    """Role values by their label or value, lower-cased ("Wakil ketua" and "wakil_ketua" alike)."""
    found = {}
    for value, label in SatgasRole.choices:
        found[str(label).lower()] = value
        found[value] = value
        found[value.replace("_", " ")] = value
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_member_list(data: bytes) -> ImportResult:
    """Read and check a member list; nothing is saved. Errors name the row and the column."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append(_("Berkas terlalu besar: paling banyak 2 MB."))
        return result
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        result.errors.append(
            _("Berkas ini bukan XLSX yang dapat dibaca. Simpan daftar sebagai Excel (.xlsx) lalu unggah lagi.")
        )
        return result
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_text(cell).lower() for cell in next(lines, ())]
    where = {}
    for key, title in COLUMNS:
        if title.lower() in header:
            where[key] = header.index(title.lower())
    missing = [title for key, title in COLUMNS if key in REQUIRED and key not in where]
    if missing:
        result.errors.append(
            _("Baris 1: kolom %(columns)s tidak ada. Judul kolom yang dibutuhkan: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(title for _k, title in COLUMNS)}
        )
        return result
    roles = _roles()
    seen_nip: dict[str, int] = {}
    seen_user: dict[str, int] = {}
    for number, line in enumerate(lines, start=2):
        cells = {key: (line[index] if index < len(line) else None) for key, index in where.items()}
        if all(_text(value) == "" for value in cells.values()):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(_("Daftar lebih dari %(n)d baris: bagi menjadi beberapa berkas.") % {"n": MAX_ROWS})
            break

        def bad(column: str, message: str, number=number) -> None:
            result.errors.append(
                _("Baris %(row)d, kolom %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        row = {"line": number}
        for key in ("name", "institution", "position", "nip", "username"):
            row[key] = _text(cells.get(key))
        for key in ("name", "institution", "position"):
            if not row[key]:
                bad(dict(COLUMNS)[key], _("wajib diisi."))
        if len(row["name"]) > 160:
            bad("Nama", _("paling banyak 160 huruf."))
        if row["nip"] and not re.fullmatch(r"\d{18}", row["nip"]):
            bad("NIP", _("«%(value)s» bukan NIP 18 angka.") % {"value": row["nip"]})
        elif row["nip"]:
            if row["nip"] in seen_nip:
                bad(
                    "NIP",
                    _("NIP %(nip)s sudah ada di baris %(other)d.") % {"nip": row["nip"], "other": seen_nip[row["nip"]]},
                )
            seen_nip[row["nip"]] = number
        role_text = _text(cells.get("role"))
        row["role"] = roles.get(role_text.lower(), "")
        if not row["role"]:
            choices = ", ".join(str(label) for _v, label in SatgasRole.choices)
            bad(
                "Peran",
                _("«%(value)s» bukan peran Satgas (pilih: %(choices)s).") % {"value": role_text, "choices": choices},
            )
        for key in ("joined_on", "left_on"):
            title = dict(COLUMNS)[key]
            raw = cells.get(key)
            row[key] = ""
            if _text(raw) == "":
                if key == "joined_on":
                    bad(title, _("wajib diisi."))
                continue
            try:
                row[key] = _date(raw).isoformat()
            except ValueError:
                bad(title, _("«%(value)s» bukan tanggal (tulis 2024-01-31 atau 31/01/2024).") % {"value": _text(raw)})
        if row["joined_on"] and row["left_on"] and row["left_on"] <= row["joined_on"]:
            bad("Berhenti bertugas", _("harus sesudah tanggal mulai bertugas."))
        if row["username"]:
            if row["username"] in seen_user:
                bad(
                    "Akun portal",
                    _("akun «%(name)s» sudah dipakai di baris %(other)d.")
                    % {"name": row["username"], "other": seen_user[row["username"]]},
                )
            seen_user[row["username"]] = number
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(_("Daftar anggota kosong: isi satu anggota per baris di bawah judul kolom."))
    return result


def check_against_satgas(result: ImportResult, satgas: Satgas) -> ImportResult:
    """Check what depends on the database: accounts exist and are active, and no account sits on two members."""
    names = {row["username"] for row in result.rows if row["username"]}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
    existing = {m.pk: m for m in satgas.members.all()}
    for row in result.rows:
        if not row["username"]:
            continue
        user = users.get(row["username"])
        if user is None:
            result.errors.append(
                _("Baris %(row)d, kolom Akun portal: akun «%(name)s» tidak ada atau tidak aktif.")
                % {"row": row["line"], "name": row["username"]}
            )
            continue
        target = _match(row, existing.values())
        holder = next((m for m in existing.values() if m.user_id == user.pk), None)
        if holder is not None and (target is None or holder.pk != target.pk):
            result.errors.append(
                _("Baris %(row)d, kolom Akun portal: akun «%(name)s» sudah dipakai anggota %(member)s.")
                % {"row": row["line"], "name": row["username"], "member": holder.name}
            )
    return result


def _match(row: dict, members) -> SatgasMember | None:
    for member in members:
        if row["nip"] and member.nip == row["nip"]:
            return member
    for member in members:
        if not row["nip"] and not member.nip and member.name.lower() == row["name"].lower():
            return member
    return None


@transaction.atomic
def save_member_list(satgas: Satgas, rows: list[dict], *, actor) -> tuple[int, int]:
    """Save checked rows as members of ``satgas`` (all or nothing); returns (added, updated).

    The rows are checked again against the database first. Raises PermissionDenied (not an
    administrator nor the Satgas's ketua/sekretaris) or ValueError with the errors found.
    """
    if not permissions.may_manage_members(actor, member_of(actor, satgas)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah daftar anggota Satgas ini."))
    locked = Satgas.objects.select_for_update().get(pk=satgas.pk)
    checked = check_against_satgas(ImportResult(rows=[dict(row) for row in rows]), locked)
    if checked.errors:
        raise ValueError(checked.errors)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in={r["username"] for r in rows if r["username"]})
    }
    members = list(locked.members.all())
    added = updated = 0
    for order, row in enumerate(rows, start=1):
        member = _match(row, members) or SatgasMember(satgas=locked)
        updated += member.pk is not None
        added += member.pk is None
        member.name, member.nip, member.position = row["name"], row["nip"], row["position"]
        member.institution, member.role, member.order = row["institution"], row["role"], order
        member.joined_on = date.fromisoformat(row["joined_on"])
        member.left_on = date.fromisoformat(row["left_on"]) if row["left_on"] else None
        member.user = users.get(row["username"]) if row["username"] else member.user
        member.save()
        if member not in members:
            members.append(member)
    return added, updated


def member_list_xlsx(satgas: Satgas) -> bytes:
    """The members of ``satgas`` in the import's columns (dates as dates), in the decree's order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Anggota"
    for column, (_key, title) in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=title).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 24
    members = satgas.members.select_related("user").order_by("order", "pk")
    for line, member in enumerate(members, start=2):
        values = {
            "name": member.name,
            "role": member.get_role_display(),
            "institution": member.institution,
            "position": member.position,
            "joined_on": member.joined_on,
            "nip": member.nip,
            "left_on": member.left_on,
            "username": member.user.get_username() if member.user else "",
        }
        for column, (key, _title) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=line, column=column, value=values[key])
            if isinstance(values[key], str) and values[key].startswith("="):
                cell.data_type = "s"
            if isinstance(values[key], date):
                cell.number_format = "yyyy-mm-dd"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def describe_row(row: dict) -> str:
    """One imported row, as the preview shows it."""
    period = format_date(date.fromisoformat(row["joined_on"]))
    if row["left_on"]:
        period += " – " + format_date(date.fromisoformat(row["left_on"]))
    return period
