"""Central instansi: ministries, non-ministerial agencies (LPNK) and the other central bodies whose staff are ASN.

No maintained package lists them (PyPI and npm were searched: `areaid` and `idn-area-data`
cover regions only), so the list is compiled here from the cabinet of October 2024 (Kabinet
Merah Putih, 48 kementerian under Perpres 139/2024) and the agencies known to employ ASN. The
PPK of a central instansi follows from PP 11/2017 as amended by PP 17/2020: the minister in a
kementerian, the head in an LPNK, the secretary-general in the secretariat of a state body;
where this list could not confirm a name or a title, the row says so in
``unverified_facts``, a field the administrator edits (and clears once checked).

Kemendagri, KemenPANRB, BKN, KASN and Bawaslu are loaded as national bodies elsewhere.
"""

from __future__ import annotations

from typing import Any

from netralitas.enums import OrganisationKind

from ._sync import sync_rows

KABINET_2024 = "Perpres 139/2024 (Kabinet Merah Putih 2024–2029)"
PPK_BASIS = "UU 20/2023 tentang ASN; PP 11/2017 jo. PP 17/2020 (PPK instansi pusat)"
UNVERIFIED_NAME = "nama resmi, singkatan"
UNVERIFIED_PPK = "jabatan PPK"

# code suffix, name, abbreviation, PPK title, unverified facts
KEMENTERIAN = [
    ("kemenko-polkam", "Kementerian Koordinator Bidang Politik dan Keamanan", "Kemenko Polkam",
     "Menteri Koordinator Bidang Politik dan Keamanan", ""),
    ("kemenko-kumham-imipas", "Kementerian Koordinator Bidang Hukum, Hak Asasi Manusia, Imigrasi, dan Pemasyarakatan",
     "Kemenko Kumham Imipas", "Menteri Koordinator Bidang Hukum, HAM, Imigrasi, dan Pemasyarakatan", UNVERIFIED_NAME),
    ("kemenko-perekonomian", "Kementerian Koordinator Bidang Perekonomian", "Kemenko Perekonomian",
     "Menteri Koordinator Bidang Perekonomian", ""),
    ("kemenko-pmk", "Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "Kemenko PMK",
     "Menteri Koordinator Bidang Pembangunan Manusia dan Kebudayaan", ""),
    ("kemenko-ipk", "Kementerian Koordinator Bidang Infrastruktur dan Pembangunan Kewilayahan", "Kemenko IPK",
     "Menteri Koordinator Bidang Infrastruktur dan Pembangunan Kewilayahan", UNVERIFIED_NAME),
    ("kemenko-pangan", "Kementerian Koordinator Bidang Pangan", "Kemenko Pangan",
     "Menteri Koordinator Bidang Pangan", ""),
    ("kemenko-pm", "Kementerian Koordinator Bidang Pemberdayaan Masyarakat", "Kemenko PM",
     "Menteri Koordinator Bidang Pemberdayaan Masyarakat", UNVERIFIED_NAME),
    ("kemensetneg", "Kementerian Sekretariat Negara", "Kemensetneg", "Menteri Sekretaris Negara", ""),
    ("kemlu", "Kementerian Luar Negeri", "Kemlu", "Menteri Luar Negeri", ""),
    ("kemhan", "Kementerian Pertahanan", "Kemhan", "Menteri Pertahanan", ""),
    ("kemenag", "Kementerian Agama", "Kemenag", "Menteri Agama", ""),
    ("kemenkum", "Kementerian Hukum", "Kemenkum", "Menteri Hukum", ""),
    ("kemenham", "Kementerian Hak Asasi Manusia", "KemenHAM", "Menteri Hak Asasi Manusia", ""),
    ("kemenimipas", "Kementerian Imigrasi dan Pemasyarakatan", "Kemenimipas",
     "Menteri Imigrasi dan Pemasyarakatan", ""),
    ("kemenkeu", "Kementerian Keuangan", "Kemenkeu", "Menteri Keuangan", ""),
    ("kemendikdasmen", "Kementerian Pendidikan Dasar dan Menengah", "Kemendikdasmen",
     "Menteri Pendidikan Dasar dan Menengah", ""),
    ("kemdiktisaintek", "Kementerian Pendidikan Tinggi, Sains, dan Teknologi", "Kemdiktisaintek",
     "Menteri Pendidikan Tinggi, Sains, dan Teknologi", ""),
    ("kemenbud", "Kementerian Kebudayaan", "Kemenbud", "Menteri Kebudayaan", ""),
    ("kemenkes", "Kementerian Kesehatan", "Kemenkes", "Menteri Kesehatan", ""),
    ("kemensos", "Kementerian Sosial", "Kemensos", "Menteri Sosial", ""),
    ("kemnaker", "Kementerian Ketenagakerjaan", "Kemnaker", "Menteri Ketenagakerjaan", ""),
    ("kemenperin", "Kementerian Perindustrian", "Kemenperin", "Menteri Perindustrian", ""),
    ("kemendag", "Kementerian Perdagangan", "Kemendag", "Menteri Perdagangan", ""),
    ("kesdm", "Kementerian Energi dan Sumber Daya Mineral", "KESDM", "Menteri Energi dan Sumber Daya Mineral", ""),
    ("kemenpu", "Kementerian Pekerjaan Umum", "Kementerian PU", "Menteri Pekerjaan Umum", ""),
    ("kemenpkp", "Kementerian Perumahan dan Kawasan Permukiman", "Kementerian PKP",
     "Menteri Perumahan dan Kawasan Permukiman", ""),
    ("kemendes", "Kementerian Desa dan Pembangunan Daerah Tertinggal", "Kemendes PDT",
     "Menteri Desa dan Pembangunan Daerah Tertinggal", ""),
    ("kementrans", "Kementerian Transmigrasi", "Kementrans", "Menteri Transmigrasi", ""),
    ("kemenhub", "Kementerian Perhubungan", "Kemenhub", "Menteri Perhubungan", ""),
    ("komdigi", "Kementerian Komunikasi dan Digital", "Komdigi", "Menteri Komunikasi dan Digital", ""),
    ("kementan", "Kementerian Pertanian", "Kementan", "Menteri Pertanian", ""),
    ("kemenhut", "Kementerian Kehutanan", "Kemenhut", "Menteri Kehutanan", ""),
    ("kkp", "Kementerian Kelautan dan Perikanan", "KKP", "Menteri Kelautan dan Perikanan", ""),
    ("atr-bpn", "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional", "ATR/BPN",
     "Menteri Agraria dan Tata Ruang/Kepala Badan Pertanahan Nasional", ""),
    ("bappenas", "Kementerian Perencanaan Pembangunan Nasional/Bappenas", "Bappenas",
     "Menteri Perencanaan Pembangunan Nasional/Kepala Bappenas", ""),
    ("kementerian-bumn", "Kementerian Badan Usaha Milik Negara", "Kementerian BUMN", "Menteri BUMN", ""),
    ("kemendukbangga", "Kementerian Kependudukan dan Pembangunan Keluarga/BKKBN", "Kemendukbangga",
     "Menteri Kependudukan dan Pembangunan Keluarga/Kepala BKKBN", ""),
    ("klh", "Kementerian Lingkungan Hidup/Badan Pengendalian Lingkungan Hidup", "KLH",
     "Menteri Lingkungan Hidup/Kepala Badan Pengendalian Lingkungan Hidup", ""),
    ("kementerian-investasi", "Kementerian Investasi dan Hilirisasi/BKPM", "Kementerian Investasi",
     "Menteri Investasi dan Hilirisasi/Kepala BKPM", ""),
    ("kemenkop", "Kementerian Koperasi", "Kemenkop", "Menteri Koperasi", ""),
    ("kemenumkm", "Kementerian Usaha Mikro, Kecil, dan Menengah", "Kementerian UMKM", "Menteri UMKM", ""),
    ("kemenpar", "Kementerian Pariwisata", "Kemenpar", "Menteri Pariwisata", ""),
    ("kemenekraf", "Kementerian Ekonomi Kreatif/Badan Ekonomi Kreatif", "Kemenekraf",
     "Menteri Ekonomi Kreatif/Kepala Badan Ekonomi Kreatif", ""),
    ("kemenpppa", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "KemenPPPA",
     "Menteri Pemberdayaan Perempuan dan Perlindungan Anak", ""),
    ("kemenpora", "Kementerian Pemuda dan Olahraga", "Kemenpora", "Menteri Pemuda dan Olahraga", ""),
    ("kp2mi", "Kementerian Pelindungan Pekerja Migran Indonesia/BP2MI", "KP2MI",
     "Menteri Pelindungan Pekerja Migran Indonesia/Kepala BP2MI", ""),
]  # fmt: skip

# Non-ministerial agencies and other central bodies: the head (or secretary-general) is the PPK.
LEMBAGA = [
    ("bps", "Badan Pusat Statistik", "BPS", "Kepala Badan Pusat Statistik", ""),
    ("bmkg", "Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG", "Kepala BMKG", ""),
    ("bnpb", "Badan Nasional Penanggulangan Bencana", "BNPB", "Kepala BNPB", ""),
    ("bnn", "Badan Narkotika Nasional", "BNN", "Kepala BNN", ""),
    ("bnpt", "Badan Nasional Penanggulangan Terorisme", "BNPT", "Kepala BNPT", ""),
    ("bpom", "Badan Pengawas Obat dan Makanan", "BPOM", "Kepala BPOM", ""),
    ("big", "Badan Informasi Geospasial", "BIG", "Kepala Badan Informasi Geospasial", ""),
    ("brin", "Badan Riset dan Inovasi Nasional", "BRIN", "Kepala BRIN", ""),
    ("bssn", "Badan Siber dan Sandi Negara", "BSSN", "Kepala BSSN", ""),
    ("bsn", "Badan Standardisasi Nasional", "BSN", "Kepala Badan Standardisasi Nasional", ""),
    ("bapeten", "Badan Pengawas Tenaga Nuklir", "BAPETEN", "Kepala BAPETEN", ""),
    ("lan", "Lembaga Administrasi Negara", "LAN", "Kepala Lembaga Administrasi Negara", ""),
    ("perpusnas", "Perpustakaan Nasional Republik Indonesia", "Perpusnas", "Kepala Perpustakaan Nasional", ""),
    ("anri", "Arsip Nasional Republik Indonesia", "ANRI", "Kepala Arsip Nasional", ""),
    ("bpkp", "Badan Pengawasan Keuangan dan Pembangunan", "BPKP", "Kepala BPKP", ""),
    ("lkpp", "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah", "LKPP", "Kepala LKPP", ""),
    ("bakamla", "Badan Keamanan Laut", "Bakamla", "Kepala Bakamla", ""),
    ("basarnas", "Badan Nasional Pencarian dan Pertolongan", "Basarnas", "Kepala Basarnas", ""),
    ("bapanas", "Badan Pangan Nasional", "Bapanas", "Kepala Badan Pangan Nasional", ""),
    ("bgn", "Badan Gizi Nasional", "BGN", "Kepala Badan Gizi Nasional", ""),
    ("barantin", "Badan Karantina Indonesia", "Barantin", "Kepala Badan Karantina Indonesia", ""),
    ("bpip", "Badan Pembinaan Ideologi Pancasila", "BPIP", "Kepala BPIP", UNVERIFIED_PPK),
    ("bnpp", "Badan Nasional Pengelola Perbatasan", "BNPP", "Kepala BNPP", UNVERIFIED_PPK),
    ("lemhannas", "Lembaga Ketahanan Nasional", "Lemhannas", "Gubernur Lemhannas", ""),
    ("bin", "Badan Intelijen Negara", "BIN", "Kepala BIN", UNVERIFIED_PPK),
    ("otorita-ikn", "Otorita Ibu Kota Nusantara", "OIKN", "Kepala Otorita Ibu Kota Nusantara", UNVERIFIED_PPK),
    ("setkab", "Sekretariat Kabinet", "Setkab", "Sekretaris Kabinet", UNVERIFIED_PPK),
    ("kejaksaan", "Kejaksaan Republik Indonesia", "Kejaksaan", "Jaksa Agung", ""),
    ("polri", "Kepolisian Negara Republik Indonesia (PNS Polri)", "Polri", "Kepala Kepolisian Negara RI",
     UNVERIFIED_PPK),
    ("tni", "Tentara Nasional Indonesia (PNS TNI)", "TNI", "Panglima TNI", UNVERIFIED_PPK),
    ("setjen-mpr", "Sekretariat Jenderal MPR", "Setjen MPR", "Sekretaris Jenderal MPR", ""),
    ("setjen-dpr", "Sekretariat Jenderal DPR", "Setjen DPR", "Sekretaris Jenderal DPR", ""),
    ("setjen-dpd", "Sekretariat Jenderal DPD", "Setjen DPD", "Sekretaris Jenderal DPD", ""),
    ("mahkamah-agung", "Mahkamah Agung", "MA", "Sekretaris Mahkamah Agung", UNVERIFIED_PPK),
    ("mahkamah-konstitusi", "Mahkamah Konstitusi", "MK", "Sekretaris Jenderal Mahkamah Konstitusi", ""),
    ("bpk", "Badan Pemeriksa Keuangan", "BPK", "Sekretaris Jenderal BPK", UNVERIFIED_PPK),
    ("komisi-yudisial", "Komisi Yudisial", "KY", "Sekretaris Jenderal Komisi Yudisial", ""),
    ("setjen-kpu", "Sekretariat Jenderal Komisi Pemilihan Umum", "KPU", "Sekretaris Jenderal KPU", ""),
    ("kpk", "Komisi Pemberantasan Korupsi", "KPK", "Sekretaris Jenderal KPK", UNVERIFIED_PPK),
    ("ombudsman", "Ombudsman Republik Indonesia", "ORI", "Sekretaris Jenderal Ombudsman", UNVERIFIED_PPK),
    ("komnas-ham", "Komisi Nasional Hak Asasi Manusia", "Komnas HAM", "Sekretaris Jenderal Komnas HAM",
     UNVERIFIED_PPK),
]  # fmt: skip


def central_code(suffix: str) -> str:
    return f"pusat-{suffix}"


def _row(suffix: str, name: str, abbreviation: str, ppk_title: str, unverified: str, basis: str) -> dict[str, Any]:
    return {
        "code": central_code(suffix),
        "name": name,
        "kind": OrganisationKind.KEMENTERIAN_LEMBAGA,
        "abbreviation": abbreviation,
        "ppk_title": ppk_title,
        "legal_basis": basis,
        "unverified_facts": unverified,
        "region_id": None,
        "parent_id": None,
    }


def load_central_instansi() -> int:
    """Create the central instansi that are missing; return how many. Existing rows keep the administrator's edits."""
    rows = [_row(*item, f"{KABINET_2024}; {PPK_BASIS}") for item in KEMENTERIAN]
    rows += [_row(*item, PPK_BASIS) for item in LEMBAGA]
    from netralitas.models import Organisation

    created, _updated = sync_rows(Organisation, "code", rows)
    return created
