"""The SKB 2022 matrix of violation forms (A1–A7, B1–B13) and the punishments within each level.

Source: domain-research.md §2. Article numbers the research could not verify say so in the text.
"""

from __future__ import annotations

from netralitas.enums import Level, SanctionAppliesTo, Track
from netralitas.models import SanctionKind, ViolationType

from ._sync import sync_rows

SKB = (
    "SKB Netralitas ASN 2022 (Menteri PANRB 2/2022, Mendagri 800-5474/2022, Kepala BKN 246/2022, "
    "Ketua KASN 30/2022, Ketua Bawaslu 1447.1/PM.01/K.1/09/2022), lampiran matriks bentuk pelanggaran"
)
ETIK_BASIS = f"{SKB}, jenis pelanggaran kode etik; PP 42/2004 Pasal 15 ayat (1)–(3) (sanksi moral)"
_PP94 = "PP 94/2021 Pasal 5 huruf n jo. Pasal 14 huruf i"
_SAME_AS = "Perbuatannya sama dengan {code}; bila diproses sebagai pelanggaran disiplin, hukumannya disiplin berat."

# code, title, plain explanation, track, level, legal basis
VIOLATION_TYPES = [
    (
        "A1",
        "Memasang spanduk/baliho/alat peraga lainnya terkait bakal calon peserta Pemilu dan Pemilihan",
        "ASN memasang spanduk, baliho, stiker atau alat peraga lain yang mempromosikan orang yang akan maju "
        "dalam pemilu atau pilkada.",
        Track.ETIK,
        Level.MORAL,
        ETIK_BASIS,
    ),
    (
        "A2",
        "Melakukan sosialisasi/kampanye melalui media sosial/online bagi bakal calon",
        "ASN memperkenalkan bakal calon atau mengajak orang memilihnya lewat media sosial, grup percakapan "
        "atau situs web.",
        Track.ETIK,
        Level.MORAL,
        ETIK_BASIS,
    ),
    (
        "A3",
        "Menghadiri deklarasi/kampanye pasangan bakal calon dan memberikan tindakan atau dukungan secara aktif",
        "ASN datang ke deklarasi atau kampanye bakal calon dan ikut mendukung secara aktif, misalnya bersorak, "
        "mengacungkan simbol dukungan atau membagikan atribut.",
        Track.ETIK,
        Level.MORAL,
        ETIK_BASIS,
    ),
    (
        "A4",
        "Membuat posting, comment, share, like, bergabung/follow dalam grup/akun pemenangan bakal calon",
        "ASN mengunggah, mengomentari, membagikan atau menyukai konten, atau bergabung/mengikuti grup dan akun "
        "tim pemenangan bakal calon.",
        Track.ETIK,
        Level.MORAL,
        ETIK_BASIS,
    ),
    (
        "A5",
        "Memposting pada media sosial/media lain yang dapat diakses publik foto bersama bakal calon, tim sukses, "
        "dan alat peraga terkait partai politik",
        "ASN mengunggah foto bersama bakal calon, tim sukses atau alat peraga partai di tempat yang bisa dilihat umum.",
        Track.ETIK,
        Level.MORAL,
        ETIK_BASIS,
    ),
    (
        "A6",
        "Ikut dalam kegiatan kampanye/sosialisasi/pengenalan bakal calon peserta Pemilu dan Pemilihan",
        "ASN ikut serta dalam acara kampanye, sosialisasi atau pengenalan bakal calon.",
        Track.ETIK,
        Level.MORAL,
        ETIK_BASIS,
    ),
    (
        "A7",
        "Mengikuti deklarasi/kampanye bagi suami/istri bakal calon atau calon peserta Pemilu dan Pemilihan",
        "ASN ikut dalam deklarasi atau kampanye suami atau istrinya yang maju sebagai (bakal) calon. "
        "Hubungan keluarga tidak menghapus kewajiban netral.",
        Track.ETIK,
        Level.MORAL,
        f"{ETIK_BASIS}. Syarat tambahan SE 2017 (suami/istri berstatus ASN dan tidak CLTN) belum dipastikan "
        "ada dalam SKB 2022.",
    ),
    (
        "B1",
        "Memasang spanduk/baliho/alat peraga lainnya terkait bakal calon peserta Pemilu dan Pemilihan",
        _SAME_AS.format(code="A1"),
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 dan 4 (hukuman disiplin berat)",
    ),
    (
        "B2",
        "Melakukan sosialisasi/kampanye melalui media sosial/online bagi bakal calon",
        _SAME_AS.format(code="A2"),
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 dan 4 (hukuman disiplin berat)",
    ),
    (
        "B3",
        "Melakukan pendekatan kepada partai politik sebagai bakal calon dan/atau kepada masyarakat (bagi calon "
        "perseorangan) sebagai bakal calon, tanpa mengambil cuti di luar tanggungan negara (CLTN)",
        "ASN mendekati partai politik, atau mengumpulkan dukungan masyarakat, untuk mencalonkan dirinya sendiri "
        "padahal belum mengambil cuti di luar tanggungan negara.",
        Track.DISIPLIN,
        Level.SEDANG,
        f"{SKB}; PP 94/2021 (hukuman disiplin sedang). Pasal belum terverifikasi: sumber mengutip "
        '"Pasal 10 angka 1 huruf b dan c angka 3 dan 4".',
    ),
    (
        "B4",
        "Menghadiri deklarasi/kampanye pasangan bakal calon dan memberikan tindakan atau dukungan secara aktif",
        _SAME_AS.format(code="A3"),
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 dan 4 (hukuman disiplin berat)",
    ),
    (
        "B5",
        "Menjadi anggota dan/atau pengurus partai politik",
        "ASN menjadi anggota atau pengurus partai politik. Ini pelanggaran terberat: ASN diberhentikan tidak "
        "dengan hormat.",
        Track.UU_ASN,
        Level.PTDH,
        f"{SKB}; UU 5/2014 tentang ASN Pasal 87 ayat (4) huruf c (PNS); PP 49/2018 Pasal 53 ayat (3) huruf c "
        "(PPPK); UU 20/2023 Pasal 52 ayat (3) (belum terverifikasi)",
    ),
    (
        "B6",
        "Membuat posting, comment, share, like, bergabung/follow dalam grup/akun pemenangan bakal calon",
        _SAME_AS.format(code="A4"),
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 dan 4 (hukuman disiplin berat)",
    ),
    (
        "B7",
        "Memposting pada media sosial/media lain yang dapat diakses publik foto bersama bakal calon, tim sukses "
        "atau alat peraga partai politik/bakal calon dengan menunjukkan simbol keberpihakan atau memakai atribut "
        "partai politik",
        "ASN mengunggah foto bersama bakal calon atau tim suksesnya sambil menunjukkan simbol dukungan (misalnya "
        "gestur jari nomor urut), memakai atribut partai, atau berlatar alat peraga kampanye.",
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 (hukuman disiplin berat)",
    ),
    (
        "B8",
        "Mengadakan kegiatan yang mengarah kepada keberpihakan terhadap partai politik atau calon/pasangan calon "
        "sebelum, selama, dan sesudah masa kampanye (pertemuan, ajakan, himbauan, seruan, atau pemberian barang)",
        "ASN mengadakan pertemuan, ajakan, imbauan, seruan atau membagikan barang untuk mendukung partai atau "
        "calon, kepada rekan kerja, keluarga atau masyarakat, kapan pun dalam masa pemilihan.",
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 dan 4 (hukuman disiplin berat)",
    ),
    (
        "B9",
        "Menjadi tim ahli/tim pemenangan/konsultan atau sebutan lainnya bagi bakal calon/bakal pasangan calon "
        "sebelum penetapan peserta Pemilu/Pemilihan",
        "ASN menjadi tim ahli, tim pemenangan atau konsultan bakal calon sebelum KPU menetapkan peserta pemilihan.",
        Track.DISIPLIN,
        Level.SEDANG,
        f"{SKB}; PP 94/2021 (hukuman disiplin sedang; pasal tidak disebut dalam sumber)",
    ),
    (
        "B10",
        "Menjadi tim ahli/tim pemenangan/konsultan atau sebutan lainnya bagi partai politik/calon/pasangan calon "
        "setelah penetapan peserta Pemilu/Pemilihan",
        "ASN menjadi tim ahli, tim pemenangan atau konsultan partai atau calon setelah KPU menetapkan peserta "
        "pemilihan.",
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; PP 94/2021 (hukuman disiplin berat; pasal tidak disebut dalam sumber)",
    ),
    (
        "B11",
        "Memberikan dukungan kepada bakal calon perseorangan (kepala daerah atau anggota DPD) dengan memberikan "
        "surat dukungan atau mengumpulkan fotokopi KTP atau surat keterangan penduduk",
        "ASN memberi surat dukungan, atau mengumpulkan fotokopi KTP warga, untuk calon yang maju tanpa partai.",
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 5 (hukuman disiplin berat; pasal diturunkan dari urutan larangan)",
    ),
    (
        "B12",
        "Membuat keputusan dan/atau tindakan yang dapat menguntungkan atau merugikan partai politik atau "
        "calon/pasangan calon sebelum, selama, dan sesudah masa kampanye",
        "ASN, terutama pejabat, membuat keputusan atau tindakan yang menguntungkan atau merugikan partai atau "
        "calon tertentu, misalnya program, bantuan atau mutasi pegawai.",
        Track.DISIPLIN,
        Level.BERAT,
        f"{SKB}; {_PP94} angka 3 (hukuman disiplin berat; pasal diturunkan)",
    ),
    (
        "B13",
        "Bentuk pelanggaran atau dugaan pelanggaran netralitas yang tidak termasuk dalam matriks",
        "Perbuatan yang tidak tercantum dalam daftar ini tetapi diduga melanggar netralitas. Satgas membahas "
        "dan memutuskan sanksinya.",
        Track.SATGAS,
        "",
        f"{SKB}: bentuk pelanggaran yang tidak termasuk dalam matriks dibahas dan diputus oleh Satgas sesuai "
        "pedoman yang berlaku",
    ),
]

_PPPK = "; bagi PPPK berlaku ketentuan disiplin PNS menurut PP 49/2018 Pasal 52 ayat (3)"
_ALL, _PNS, _PPPK_ONLY = SanctionAppliesTo.ALL, SanctionAppliesTo.PNS, SanctionAppliesTo.PPPK
_MORAL_BASIS = "PP 42/2004 Pasal 15 ayat (1)–(3): sanksi moral dibuat tertulis dan dinyatakan oleh PPK"

# code, name, track, level, applies_to, duration_months, legal basis
SANCTION_KINDS = [
    ("moral-tertutup", "Sanksi moral: pernyataan secara tertutup", Track.ETIK, Level.MORAL, _ALL, None, _MORAL_BASIS),
    ("moral-terbuka", "Sanksi moral: pernyataan secara terbuka", Track.ETIK, Level.MORAL, _ALL, None, _MORAL_BASIS),
    (
        "ringan-teguran-lisan",
        "Teguran lisan",
        Track.DISIPLIN,
        Level.RINGAN,
        _ALL,
        None,
        f"PP 94/2021 Pasal 8 ayat (2){_PPPK}",
    ),
    (
        "ringan-teguran-tertulis",
        "Teguran tertulis",
        Track.DISIPLIN,
        Level.RINGAN,
        _ALL,
        None,
        f"PP 94/2021 Pasal 8 ayat (2){_PPPK}",
    ),
    (
        "ringan-pernyataan-tidak-puas",
        "Pernyataan tidak puas secara tertulis",
        Track.DISIPLIN,
        Level.RINGAN,
        _ALL,
        None,
        f"PP 94/2021 Pasal 8 ayat (2){_PPPK}",
    ),
    *(
        (
            f"sedang-tukin-25-{months}-bulan",
            f"Pemotongan tunjangan kinerja sebesar 25% selama {months} bulan",
            Track.DISIPLIN,
            Level.SEDANG,
            _ALL,
            months,
            f"PP 94/2021 Pasal 8 ayat (3){_PPPK}",
        )
        for months in (6, 9, 12)
    ),
    (
        "berat-penurunan-jabatan",
        "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        Track.DISIPLIN,
        Level.BERAT,
        _ALL,
        12,
        f"PP 94/2021 Pasal 8 ayat (4){_PPPK}",
    ),
    (
        "berat-pembebasan-jabatan",
        "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
        Track.DISIPLIN,
        Level.BERAT,
        _ALL,
        12,
        f"PP 94/2021 Pasal 8 ayat (4){_PPPK}",
    ),
    (
        "berat-pdhtaps",
        "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
        Track.DISIPLIN,
        Level.BERAT,
        _PNS,
        None,
        "PP 94/2021 Pasal 8 ayat (4)",
    ),
    (
        "ptdh-pns",
        "Pemberhentian tidak dengan hormat sebagai PNS",
        Track.UU_ASN,
        Level.PTDH,
        _PNS,
        None,
        "UU 5/2014 tentang ASN Pasal 87 ayat (4) huruf c (menjadi anggota/pengurus partai politik); "
        "UU 20/2023 Pasal 52 ayat (3) (belum terverifikasi)",
    ),
    (
        "phk-tdh-pppk",
        "Pemutusan hubungan perjanjian kerja tidak dengan hormat",
        Track.UU_ASN,
        Level.PTDH,
        _PPPK_ONLY,
        None,
        "PP 49/2018 Pasal 53 ayat (3) huruf c (menjadi anggota/pengurus partai politik)",
    ),
]


def violation_type_rows() -> list[dict]:
    return [
        {
            "code": code,
            "title": title,
            "plain_explanation": plain,
            "track": track,
            "level": level,
            "legal_basis": basis,
            "sort_order": (index + 1) * 10,
        }
        for index, (code, title, plain, track, level, basis) in enumerate(VIOLATION_TYPES)
    ]


def sanction_kind_rows() -> list[dict]:
    return [
        {
            "code": code,
            "name": name,
            "track": track,
            "level": level,
            "applies_to": applies_to,
            "duration_months": months,
            "legal_basis": basis,
            "sort_order": (index + 1) * 10,
        }
        for index, (code, name, track, level, applies_to, months, basis) in enumerate(SANCTION_KINDS)
    ]


def load_catalogue() -> tuple[int, int]:
    """Create missing violation types and sanction kinds; return (violation types, sanction kinds) created."""
    violations, _ = sync_rows(ViolationType, "code", violation_type_rows())
    sanctions, _ = sync_rows(SanctionKind, "code", sanction_kind_rows())
    return violations, sanctions
