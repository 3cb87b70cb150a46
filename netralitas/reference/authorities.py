"""Which body issues recommendations, and when: KASN, then BKN from 4 September 2024."""

from __future__ import annotations

from datetime import date

from netralitas.models import AuthorityTransition, Organisation, RecommendingAuthority

# organisation code, valid_from, valid_until, legal basis
AUTHORITIES = [
    (
        "kasn",
        date(2022, 9, 22),
        date(2024, 9, 3),
        "UU 5/2014 tentang ASN Pasal 31–33 (KASN mengawasi netralitas Pegawai ASN dan memberi rekomendasi "
        "kepada PPK); SKB Netralitas ASN 2022 (ditandatangani 22 September 2022). Berakhir karena UU 20/2023 "
        "tentang ASN tidak lagi mengatur KASN; fungsinya beralih pada 4 September 2024 (Perpres 91/2024 dan "
        "92/2024, SE Menteri PANRB 4/2024).",
    ),
    (
        "bkn",
        date(2024, 9, 4),
        None,
        "UU 20/2023 tentang ASN; Perpres 91/2024 dan 92/2024; SE Menteri PANRB 4/2024: fungsi pengawasan KASN, "
        "termasuk menjaga netralitas Pegawai ASN, dilaksanakan BKN mulai 4 September 2024. Laporan yang sudah "
        "diterima dan diproses KASN sebelum SE dilaporkan kepada Menteri PANRB; yang belum diproses, kepada "
        "Kepala BKN.",
    ),
]


def load_authorities() -> int:
    """Create the periods that are missing, keyed by (organisation, valid_from); return how many."""
    orgs = dict(Organisation.objects.filter(code__in=[a[0] for a in AUTHORITIES]).values_list("code", "id"))
    existing = set(RecommendingAuthority.objects.values_list("organisation_id", "valid_from"))
    new = [
        RecommendingAuthority(
            organisation_id=orgs[code], valid_from=valid_from, valid_until=valid_until, legal_basis=basis
        )
        for code, valid_from, valid_until, basis in AUTHORITIES
        if (orgs[code], valid_from) not in existing
    ]
    RecommendingAuthority.objects.bulk_create(new)
    return len(new)


# SE Menteri PANRB 4/2024: what happened to the cases KASN held on 4 September 2024.
TRANSITIONS = [
    (
        "kasn",
        "bkn",
        date(2024, 9, 4),
        "kemenpanrb",
        "SE Menteri PANRB 4/2024: dokumen yang sudah diterima dan diproses KASN sebelum SE, PPK/PyB mengusulkan dan "
        "melaporkan kepada Menteri PANRB; yang diterima tetapi belum diproses KASN, kepada Kepala BKN.",
    ),
]


def load_authority_transitions() -> int:
    """Create the handovers that are missing, keyed by (from authority, date); return how many."""
    authorities = {a.organisation.code: a for a in RecommendingAuthority.objects.select_related("organisation")}
    orgs = dict(Organisation.objects.filter(code__in=[t[3] for t in TRANSITIONS]).values_list("code", "id"))
    existing = set(AuthorityTransition.objects.values_list("from_authority_id", "effective_on"))
    new = [
        AuthorityTransition(
            from_authority=authorities[frm],
            to_authority=authorities[to],
            effective_on=on,
            processed_report_to_id=orgs.get(report_to),
            legal_basis=basis,
        )
        for frm, to, on, report_to, basis in TRANSITIONS
        if frm in authorities and to in authorities and (authorities[frm].pk, on) not in existing
    ]
    AuthorityTransition.objects.bulk_create(new)
    return len(new)
