"""National bodies, BKN's regional offices, every pemda and every Bawaslu.

Pemda exist for the 38 provinsi and the 508 autonomous kab/kota (546); the six DKI "Adm." units
have none, their ASN fall under the Gubernur DKI. Bawaslu exist at every level (1 + 38 + 514).
Central ministries and agencies (kementerian, LPNK, secretariats of state bodies) are in central.py.
"""

from __future__ import annotations

from typing import Any

from netralitas.enums import OrganisationKind, RegionLevel
from netralitas.models import Organisation, Region

from ._sync import ids_by, sync_rows

# code, name, kind
NATIONAL_BODIES = [
    ("bawaslu-ri", "Badan Pengawas Pemilihan Umum Republik Indonesia (Bawaslu RI)", OrganisationKind.BAWASLU_RI),
    ("kasn", "Komisi Aparatur Sipil Negara (KASN)", OrganisationKind.KASN),
    ("bkn", "Badan Kepegawaian Negara (BKN)", OrganisationKind.BKN),
    (
        "kemenpanrb",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (KemenPANRB)",
        OrganisationKind.KEMENPANRB,
    ),
    ("kemendagri", "Kementerian Dalam Negeri (Kemendagri)", OrganisationKind.KEMENDAGRI),
]

# Kantor Regional BKN I–XIV and their seats. Their working areas (provinces served) are left to
# administrators: the region link of an organisation means "its own region", which a Kanreg lacks.
BKN_KANREG = [
    ("I", "Yogyakarta"),
    ("II", "Surabaya"),
    ("III", "Bandung"),
    ("IV", "Makassar"),
    ("V", "Jakarta"),
    ("VI", "Medan"),
    ("VII", "Palembang"),
    ("VIII", "Banjarmasin"),
    ("IX", "Jayapura"),
    ("X", "Denpasar"),
    ("XI", "Manado"),
    ("XII", "Pekanbaru"),
    ("XIII", "Banda Aceh"),
    ("XIV", "Manokwari"),
]

PEMDA_KIND = {
    RegionLevel.PROVINSI: (OrganisationKind.PEMDA_PROVINSI, "Gubernur"),
    RegionLevel.KABUPATEN: (OrganisationKind.PEMDA_KABUPATEN, "Bupati"),
    RegionLevel.KOTA: (OrganisationKind.PEMDA_KOTA, "Wali Kota"),
}


def pemda_code(region_code: str) -> str:
    return f"pemda-{region_code.lower()}"


def bawaslu_code(region_code: str) -> str:
    return f"bawaslu-{region_code.lower()}"


def _row(code: str, name: str, kind: str, *, region_id=None, parent_id=None, ppk_title="") -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "region_id": region_id,
        "parent_id": parent_id,
        "ppk_title": ppk_title,
    }


def _pemda_name(region: Region) -> str:
    # Kab/kota names already start with "Kabupaten"/"Kota"; provinces do not.
    prefix = "Provinsi " if region.level == RegionLevel.PROVINSI else ""
    return f"Pemerintah {prefix}{region.name}"


def _bawaslu_name(region: Region) -> str:
    prefix = "Provinsi " if region.level == RegionLevel.PROVINSI else ""
    return f"Bawaslu {prefix}{region.name}"


def load_organisations() -> tuple[int, int]:
    """Create missing organisations and fix parent/region links; return (created, updated).

    Needs the regions loaded first.
    """
    structural = ["region_id", "parent_id"]
    created = updated = 0

    def sync(rows: list[dict[str, Any]]) -> None:
        nonlocal created, updated
        c, u = sync_rows(Organisation, "code", rows, structural=structural)
        created, updated = created + c, updated + u

    sync([_row(code, name, kind) for code, name, kind in NATIONAL_BODIES])
    org_ids = ids_by(Organisation, "code")
    kanreg = [
        _row(
            f"bkn-kanreg-{number:02d}",
            f"Kantor Regional {roman} BKN {seat}",
            OrganisationKind.BKN_KANREG,
            parent_id=org_ids["bkn"],
        )
        for number, (roman, seat) in enumerate(BKN_KANREG, start=1)
    ]
    regions = list(Region.objects.order_by("code"))
    provinces = [r for r in regions if r.level == RegionLevel.PROVINSI]
    kabkota = [r for r in regions if r.level != RegionLevel.PROVINSI]
    provincial = []
    for region in provinces:
        kind, title = PEMDA_KIND[region.level]
        provincial.append(
            _row(pemda_code(region.code), _pemda_name(region), kind, region_id=region.pk, ppk_title=title)
        )
        provincial.append(
            _row(
                bawaslu_code(region.code),
                _bawaslu_name(region),
                OrganisationKind.BAWASLU_PROVINSI,
                region_id=region.pk,
                parent_id=org_ids["bawaslu-ri"],
            )
        )
    sync(kanreg + provincial)
    org_ids = ids_by(Organisation, "code")
    province_code = {r.pk: r.code for r in provinces}
    local = []
    for region in kabkota:
        parent_code = province_code[region.parent_id]
        if region.is_autonomous:
            kind, title = PEMDA_KIND[region.level]
            local.append(
                _row(
                    pemda_code(region.code),
                    _pemda_name(region),
                    kind,
                    region_id=region.pk,
                    parent_id=org_ids[pemda_code(parent_code)],
                    ppk_title=title,
                )
            )
        local.append(
            _row(
                bawaslu_code(region.code),
                _bawaslu_name(region),
                OrganisationKind.BAWASLU_KABKOTA,
                region_id=region.pk,
                parent_id=org_ids[bawaslu_code(parent_code)],
            )
        )
    sync(local)
    return created, updated
