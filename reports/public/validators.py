"""Checks of the numbers a citizen types on the public report form: NIK, NIP, an Indonesian phone number.

Each raises ValidationError in Indonesian, naming the rule broken and the digits that break it.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.calendar import MONTHS

_DIGITS = re.compile(r"[0-9]+")


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def validate_nik(nik: str) -> None:
    """A Nomor Induk Kependudukan: 16 digits, a provinsi code, a date of birth (DD+40 for women)."""
    if not _DIGITS.fullmatch(nik):
        raise ValidationError(_("NIK hanya boleh berisi angka 0–9."), code="nik_digits")
    if len(nik) != 16:
        raise ValidationError(
            _("NIK harus tepat 16 angka; yang Anda isi %(count)d angka.") % {"count": len(nik)}, code="nik_length"
        )
    if not 11 <= int(nik[:2]) <= 99:
        raise ValidationError(
            _("Dua angka pertama NIK adalah kode provinsi (11–99); %(code)s bukan kode provinsi.") % {"code": nik[:2]},
            code="nik_province",
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women: day of birth plus 40
        day -= 40
    if _valid_date(2000 + year, month, day) is None and _valid_date(1900 + year, month, day) is None:
        raise ValidationError(
            _(
                "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (HHBBTT; tanggal ditambah 40 untuk perempuan); "
                "%(value)s bukan tanggal yang sah."
            )
            % {"value": nik[6:12]},
            code="nik_birth_date",
        )


def _month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def validate_nip(nip: str, *, today: date | None = None) -> None:
    """A Nomor Induk Pegawai: birth date YYYYMMDD, appointment YYYYMM, sex digit 1/2, serial of 3 digits.

    Raises ValidationError naming the rule broken and the digits that break it.
    """
    today = today or timezone.localdate()
    if not _DIGITS.fullmatch(nip):
        raise ValidationError(_("NIP hanya boleh berisi angka 0–9."), code="nip_digits")
    if len(nip) != 18:
        raise ValidationError(
            _("NIP harus tepat 18 angka; yang Anda isi %(count)d angka.") % {"count": len(nip)}, code="nip_length"
        )
    birth = _valid_date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth is None or birth.year < 1900:
        raise ValidationError(
            _("Angka ke-1 sampai ke-8 NIP adalah tanggal lahir (TTTTBBHH); %(value)s bukan tanggal yang sah.")
            % {"value": nip[0:8]},
            code="nip_birth_date",
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1900:
        raise ValidationError(
            _("Angka ke-9 sampai ke-14 NIP adalah bulan pengangkatan (TTTTBB); %(value)s bukan bulan yang sah.")
            % {"value": nip[8:14]},
            code="nip_appointment",
        )
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            _("Bulan pengangkatan pada NIP (%(month)s) belum terjadi.") % {"month": _month_name(year, month)},
            code="nip_appointment_future",
        )
    if (year, month) < (birth.year + 17, birth.month):
        raise ValidationError(
            _(
                "Bulan pengangkatan pada NIP (%(month)s) kurang dari 17 tahun sesudah tanggal lahir "
                "(%(birth)s): periksa angka ke-1 sampai ke-14."
            )
            % {"month": _month_name(year, month), "birth": nip[0:8]},
            code="nip_too_young",
        )
    if (year, month) > (birth.year + 70, birth.month):
        raise ValidationError(
            _(
                "Bulan pengangkatan pada NIP (%(month)s) lebih dari 70 tahun sesudah tanggal lahir "
                "(%(birth)s): periksa angka ke-1 sampai ke-14."
            )
            % {"month": _month_name(year, month), "birth": nip[0:8]},
            code="nip_too_old",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Angka ke-15 NIP adalah kode jenis kelamin (1 laki-laki, 2 perempuan); %(value)s tidak dikenal.")
            % {"value": nip[14]},
            code="nip_sex",
        )
    if nip[15:] == "000":
        raise ValidationError(
            _("Tiga angka terakhir NIP adalah nomor urut (001–999); 000 tidak dipakai."), code="nip_serial"
        )


def normalise_phone(value: str) -> str:
    """An Indonesian phone number as +62…; ValidationError when it is not one."""
    raw = re.sub(r"[\s\-.()/]", "", value)
    for prefix in ("+62", "62", "0"):
        if raw.startswith(prefix):
            national = "0" + raw[len(prefix) :]
            break
    else:
        raise ValidationError(
            _("Nomor telepon harus diawali +62, 62 atau 0, misalnya 0812 3456 7890."), code="phone_prefix"
        )
    if not _DIGITS.fullmatch(national) or national.startswith("00"):
        raise ValidationError(
            _("Nomor telepon hanya boleh berisi angka, misalnya 0812 3456 7890."), code="phone_digits"
        )
    if not 9 <= len(national) <= 15:
        raise ValidationError(
            _("Nomor telepon harus 9–15 angka (dihitung dari angka 0 di depan); yang Anda isi %(count)d angka.")
            % {"count": len(national)},
            code="phone_length",
        )
    return "+62" + national[1:]
