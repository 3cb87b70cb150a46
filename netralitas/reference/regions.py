"""Provinsi and kabupaten/kota: `areaid` (34 provinces, 514 kab/kota) plus the 2022 Papua split.

Province code = ISO 3166-2 code ("ID-JT"); kab/kota code = ``KK`` + areaid id ("KK0223"), so a
kabupaten keeps its code when it moves to a new province.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import areaid

from netralitas.enums import RegionLevel
from netralitas.models import Region

from ._sync import ids_by, sync_rows

PROVINCE_COUNT = 38
KABKOTA_COUNT = 514
NON_AUTONOMOUS_COUNT = 6

# areaid gives DKI Jakarta the code of Jawa Barat.
CODE_FIXES = {"Daerah Khusus Ibukota Jakarta": "ID-JK"}

# The 2022 Papua split: new province -> (name, law, capital, source province, kabupaten/kota moved).
PAPUA_SPLIT = {
    "ID-PS": (
        "Papua Selatan",
        "UU 14/2022 tentang Pembentukan Provinsi Papua Selatan",
        "Merauke",
        "ID-PA",
        ["Kabupaten Merauke", "Kabupaten Boven Digoel", "Kabupaten Mappi", "Kabupaten Asmat"],
    ),
    "ID-PT": (
        "Papua Tengah",
        "UU 15/2022 tentang Pembentukan Provinsi Papua Tengah",
        "Nabire",
        "ID-PA",
        [
            "Kabupaten Nabire",
            "Kabupaten Puncak Jaya",
            "Kabupaten Paniai",
            "Kabupaten Mimika",
            "Kabupaten Puncak",
            "Kabupaten Dogiyai",
            "Kabupaten Intan Jaya",
            "Kabupaten Deiyai",
        ],
    ),
    "ID-PE": (
        "Papua Pegunungan",
        "UU 16/2022 tentang Pembentukan Provinsi Papua Pegunungan",
        "Wamena",
        "ID-PA",
        [
            "Kabupaten Jayawijaya",
            "Kabupaten Pegunungan Bintang",
            "Kabupaten Yahukimo",
            "Kabupaten Tolikara",
            "Kabupaten Mamberamo Tengah",
            "Kabupaten Yalimo",
            "Kabupaten Lanny Jaya",
            "Kabupaten Nduga",
        ],
    ),
    "ID-PD": (
        "Papua Barat Daya",
        "UU 29/2022 tentang Pembentukan Provinsi Papua Barat Daya",
        "Sorong",
        "ID-PB",
        [
            "Kabupaten Sorong",
            "Kabupaten Sorong Selatan",
            "Kabupaten Raja Ampat",
            "Kabupaten Tambrauw",
            "Kabupaten Maybrat",
            "Kota Sorong",
        ],
    ),
}

# Seats of government; areaid carries capitals of kab/kota only.
PROVINCE_CAPITALS = {
    "ID-AC": "Banda Aceh",
    "ID-SU": "Medan",
    "ID-SB": "Padang",
    "ID-RI": "Pekanbaru",
    "ID-JA": "Jambi",
    "ID-SS": "Palembang",
    "ID-BE": "Bengkulu",
    "ID-LA": "Bandar Lampung",
    "ID-BB": "Pangkalpinang",
    "ID-KR": "Tanjungpinang",
    "ID-JK": "Jakarta",
    "ID-JB": "Bandung",
    "ID-JT": "Semarang",
    "ID-YO": "Yogyakarta",
    "ID-JI": "Surabaya",
    "ID-BT": "Serang",
    "ID-BA": "Denpasar",
    "ID-NB": "Mataram",
    "ID-NT": "Kupang",
    "ID-KB": "Pontianak",
    "ID-KT": "Palangka Raya",
    "ID-KS": "Banjarbaru",
    "ID-KI": "Samarinda",
    "ID-KU": "Tanjung Selor",
    "ID-SA": "Manado",
    "ID-ST": "Palu",
    "ID-SN": "Makassar",
    "ID-SG": "Kendari",
    "ID-GO": "Gorontalo",
    "ID-SR": "Mamuju",
    "ID-MA": "Ambon",
    "ID-MU": "Sofifi",
    "ID-PB": "Manokwari",
    "ID-PA": "Jayapura",
}


def name_key(name: str) -> str:
    """Compare names without areaid's parenthesised alternates: "Kabupaten Deiyai (Deliyai)"."""
    return re.sub(r"\s+", " ", re.sub(r"\(.*?\)", "", name)).strip().casefold()


def kabkota_code(areaid_id: int) -> str:
    return f"KK{areaid_id:04d}"


def _read_areaid() -> list[dict[str, Any]]:
    data_dir = Path(areaid.__file__).resolve().parent / "data"
    provinces = []
    for path in sorted(data_dir.glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            provinces.extend(json.load(fh))
    return provinces


def _kabkota_level(name: str) -> str:
    if name.startswith("Kabupaten "):
        return RegionLevel.KABUPATEN
    if name.startswith("Kota "):
        return RegionLevel.KOTA
    raise ValueError(f"Tingkat wilayah tidak dikenali dari nama: {name!r}")


def region_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (provinces, kabupaten/kota) as field dicts; kab/kota carry ``parent_code``.

    Raises ValueError when areaid does not yield 38 provinces and 514 kab/kota after the split,
    or when a kabupaten of the Papua split is not found exactly once.
    """
    provinces: list[dict[str, Any]] = []
    kabkota: list[dict[str, Any]] = []
    for prov in _read_areaid():
        code = CODE_FIXES.get(prov["provinsi"], prov["p_bsni"])
        provinces.append(
            {
                "code": code,
                "name": prov["provinsi"],
                "level": RegionLevel.PROVINSI,
                "bsni_code": code,
                "capital": PROVINCE_CAPITALS.get(code, ""),
                "is_autonomous": True,
                "legal_basis": "",
            }
        )
        for kab in prov["kabupaten"]:
            name = kab["kab_kota"]
            kabkota.append(
                {
                    "code": kabkota_code(kab["id"]),
                    "name": name,
                    "level": _kabkota_level(name),
                    "bsni_code": kab["k_bsni"] or "",
                    "capital": kab["ibukota"] or "",
                    "is_autonomous": "Adm." not in name.split(),
                    "legal_basis": "",
                    "parent_code": code,
                }
            )
    _apply_papua_split(provinces, kabkota)
    provinces.sort(key=lambda row: row["code"])
    kabkota.sort(key=lambda row: row["code"])
    counts = (len(provinces), len(kabkota), sum(not row["is_autonomous"] for row in kabkota))
    if counts != (PROVINCE_COUNT, KABKOTA_COUNT, NON_AUTONOMOUS_COUNT):
        raise ValueError(f"areaid menghasilkan {counts} (provinsi, kab/kota, non-otonom), bukan 38, 514, 6")
    if len({row["code"] for row in provinces}) != PROVINCE_COUNT:
        raise ValueError("Kode provinsi ganda setelah perbaikan kode BSNI.")
    return provinces, kabkota


def _apply_papua_split(provinces: list[dict[str, Any]], kabkota: list[dict[str, Any]]) -> None:
    for code, (name, law, capital, source, members) in PAPUA_SPLIT.items():
        provinces.append(
            {
                "code": code,
                "name": name,
                "level": RegionLevel.PROVINSI,
                "bsni_code": code,
                "capital": capital,
                "is_autonomous": True,
                "legal_basis": law,
            }
        )
        for member in members:
            found = [
                row for row in kabkota if row["parent_code"] == source and name_key(row["name"]) == name_key(member)
            ]
            if len(found) != 1:
                raise ValueError(f"Pemekaran Papua: {member} ditemukan {len(found)} kali di {source}, bukan 1")
            found[0]["parent_code"] = code


def load_regions() -> tuple[int, int]:
    """Create missing regions and re-parent kab/kota that moved; return (created, updated)."""
    provinces, kabkota = region_rows()
    created, updated = sync_rows(Region, "code", provinces)
    province_ids = ids_by(Region, "code")
    for row in kabkota:
        row["parent_id"] = province_ids[row.pop("parent_code")]
    more_created, more_updated = sync_rows(Region, "code", kabkota, structural=["parent_id"])
    return created + more_created, updated + more_updated
