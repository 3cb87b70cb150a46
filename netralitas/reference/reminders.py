"""Default reminder rules, their escalation routes, and the prevention obligations (domain.md §4, §6).

The deadlines themselves are DeadlineRule rows (reference/deadlines.py); these rows say when to
remind about them and whom to tell when they pass. The schedule (3 and 1 working days before, on
the day, daily after) is the portal's policy, not the law's; the escalation routes follow who
supervises whom, each with the basis an administrator can check and correct.
"""

from __future__ import annotations

from netralitas.enums import EscalationTarget, OrganisationKind, Role
from netralitas.models import EscalationRoute, PreventionItem, ReminderRule

from ._sync import sync_rows

K = OrganisationKind
_POLICY = "Jadwal pengingat: kebijakan portal Netralitas ASN, dapat diubah administrator."

# step, before, campaign before, on the day, half-time from (days), overdue every, escalate after, basis, routes
# route: (from kind, target, target kind, role, basis)
REMINDER_RULES = [
    (
        "reports.verification",
        "3,1",
        "3,2,1",
        True,
        None,
        1,
        3,
        "Tenggat verifikasi 7 hari: alur SBT BKN 2024 (D9). " + _POLICY,
        [
            (
                K.BAWASLU_KABKOTA,
                EscalationTarget.PARENT,
                "",
                Role.BAWASLU,
                "Pengawasan berjenjang Bawaslu: Bawaslu provinsi membina Bawaslu kabupaten/kota "
                "(UU 7/2017 tentang Pemilu; pasal belum dicocokkan).",
            ),
            (
                K.BAWASLU_PROVINSI,
                EscalationTarget.PARENT,
                "",
                Role.BAWASLU,
                "Pengawasan berjenjang Bawaslu: Bawaslu RI membina Bawaslu provinsi "
                "(UU 7/2017; pasal belum dicocokkan).",
            ),
        ],
    ),
    (
        "reports.completion",
        "1",
        "1",
        True,
        None,
        1,
        None,
        "Pelapor diberi 3 hari untuk melengkapi syarat laporan (praktik Bawaslu, D2). Sebelum tenggat yang diingatkan "
        "pelapor sendiri (tanpa PIN); sesudahnya verifikator organisasi penerima. " + _POLICY,
        [],
    ),
    (
        "reports.kajian",
        "1",
        "2,1",
        True,
        None,
        1,
        2,
        "Kajian Bawaslu paling lama 3 hari kerja, tambahan 2 hari kerja (alur SBT BKN 2024, D4/D10). " + _POLICY,
        [
            (
                K.BAWASLU_KABKOTA,
                EscalationTarget.PARENT,
                "",
                Role.BAWASLU,
                "Pengawasan berjenjang Bawaslu (UU 7/2017; pasal belum dicocokkan).",
            ),
            (
                K.BAWASLU_PROVINSI,
                EscalationTarget.PARENT,
                "",
                Role.BAWASLU,
                "Pengawasan berjenjang Bawaslu (UU 7/2017; pasal belum dicocokkan).",
            ),
        ],
    ),
    (
        "reports.authority",
        "3,1",
        "3,2,1",
        True,
        10,
        1,
        5,
        "Lembaga pemberi rekomendasi menindaklanjuti penerusan Bawaslu dalam 14 hari (SKB 2022 sebagaimana dikutip "
        "Bawaslu Provinsi Bengkulu, D6). " + _POLICY,
        [
            (
                "",
                EscalationTarget.KIND,
                K.KEMENPANRB,
                Role.NATIONAL_VIEWER,
                "KemenPANRB menetapkan kebijakan pengawasan sistem merit sejak September 2024 "
                "(SE MenPANRB 4/2024); belum terverifikasi sebagai jalur eskalasi resmi.",
            ),
        ],
    ),
    (
        "sanctions.ppk_follow_up",
        "3,1",
        "3,2,1",
        True,
        10,
        1,
        5,
        "PPK menindaklanjuti rekomendasi dalam 14 hari kerja (SKB 2022, belum terverifikasi; D7). " + _POLICY,
        [
            (
                K.PEMDA_KABUPATEN,
                EscalationTarget.PARENT,
                "",
                Role.PPK,
                "UU 23/2014 Pasal 91: gubernur sebagai wakil Pemerintah Pusat membina dan mengawasi "
                "penyelenggaraan pemerintahan kabupaten/kota.",
            ),
            (
                K.PEMDA_KOTA,
                EscalationTarget.PARENT,
                "",
                Role.PPK,
                "UU 23/2014 Pasal 91: gubernur sebagai wakil Pemerintah Pusat membina dan mengawasi "
                "penyelenggaraan pemerintahan kabupaten/kota.",
            ),
            (
                K.PEMDA_PROVINSI,
                EscalationTarget.KIND,
                K.KEMENDAGRI,
                Role.NATIONAL_VIEWER,
                "Kemendagri membina dan mengawasi kepala daerah (UU 23/2014); Kemendagri menegur kepala daerah yang "
                "tidak menindaklanjuti rekomendasi KASN (2020).",
            ),
            (
                K.PEMDA_KABUPATEN,
                EscalationTarget.KIND,
                K.KEMENDAGRI,
                Role.NATIONAL_VIEWER,
                "Kemendagri membina dan mengawasi kepala daerah, termasuk bupati/wali kota dan Pj (UU 23/2014).",
            ),
            (
                K.PEMDA_KOTA,
                EscalationTarget.KIND,
                K.KEMENDAGRI,
                Role.NATIONAL_VIEWER,
                "Kemendagri membina dan mengawasi kepala daerah, termasuk bupati/wali kota dan Pj (UU 23/2014).",
            ),
            (
                K.KEMENTERIAN_LEMBAGA,
                EscalationTarget.KIND,
                K.KEMENPANRB,
                Role.NATIONAL_VIEWER,
                "KemenPANRB menjatuhkan sanksi kepada PPK instansi pusat yang tidak menindaklanjuti rekomendasi "
                "(UU 5/2014; SKB 2022).",
            ),
            (
                "",
                EscalationTarget.KIND,
                K.BKN,
                Role.BKN,
                "Peraturan BKN 1/2023: BKN memblokir data kepegawaian bila PPK tidak menindaklanjuti rekomendasi.",
            ),
        ],
    ),
    (
        "sanctions.bkn_block",
        "",
        "",
        True,
        None,
        5,
        10,
        "Peraturan BKN 1/2023 tentang pemblokiran data kepegawaian; tidak ada tenggat tertulis, tenggat pengingat "
        "dihitung sejak perkara melewati tenggat PPK. " + _POLICY,
        [
            (
                "",
                EscalationTarget.KIND,
                K.KEMENPANRB,
                Role.NATIONAL_VIEWER,
                "Pengawasan kepatuhan PPK oleh KemenPANRB (SE MenPANRB 4/2024); belum terverifikasi.",
            ),
        ],
    ),
    (
        "taskforce.assignment",
        "3,1",
        "2,1",
        True,
        None,
        1,
        2,
        "Penugasan anggota Satgas oleh ketua Satgas (SK pembentukan Satgas daerah). " + _POLICY,
        [
            (
                "",
                EscalationTarget.STEP,
                "",
                "",
                "Ketua Satgas mengoordinasikan anggota (SK pembentukan Satgas, mis. SK Bupati Kuningan 2024).",
            ),
        ],
    ),
]

PREVENTION_ITEMS = [
    (
        "surat-edaran",
        "Surat edaran PPK tentang netralitas ASN",
        "PPK menerbitkan surat edaran yang mengingatkan seluruh ASN instansinya tentang larangan dan sanksi.",
        10,
    ),
    (
        "ikrar",
        "Ikrar netralitas ASN",
        "Seluruh ASN instansi mengucapkan atau menandatangani ikrar/pakta netralitas.",
        20,
    ),
    (
        "spanduk",
        "Spanduk netralitas di setiap kantor",
        "Spanduk atau banner netralitas ASN terpasang di setiap kantor perangkat daerah/unit kerja.",
        30,
    ),
]
PREVENTION_BASIS = (
    "SKB Netralitas ASN 2022, ruang lingkup pembinaan (pencegahan) oleh PPK sebelum, selama, dan sesudah masa "
    "kampanye; bentuk kegiatan belum dicocokkan dengan naskah resmi."
)


def load_reminders() -> tuple[int, int]:
    """Create missing reminder rules (with their routes) and prevention items; return both counts.

    A rule gets its escalation routes only when it is created: later edits are the administrator's.
    """
    existing = set(ReminderRule.objects.values_list("step", flat=True))
    rows = [
        {
            "step": step,
            "before_days": before,
            "campaign_before_days": campaign,
            "on_due_day": on_day,
            "halfway_min_days": halfway,
            "overdue_every": every,
            "escalate_after": escalate,
            "legal_basis": basis,
        }
        for step, before, campaign, on_day, halfway, every, escalate, basis, _routes in REMINDER_RULES
    ]
    created, _ = sync_rows(ReminderRule, "step", rows)
    rules = {rule.step: rule for rule in ReminderRule.objects.all()}
    EscalationRoute.objects.bulk_create(
        EscalationRoute(rule=rules[step], from_kind=f, target=t, target_kind=tk, role=role, legal_basis=basis)
        for step, *_rest, routes in REMINDER_RULES
        if step not in existing
        for f, t, tk, role, basis in routes
    )
    items, _ = sync_rows(
        PreventionItem,
        "code",
        [
            {"code": code, "title": title, "description": text, "legal_basis": PREVENTION_BASIS, "sort_order": order}
            for code, title, text, order in PREVENTION_ITEMS
        ],
    )
    return created, items
