"""Walk the Pilkada 2024 calendar day by day and assert the exact messages of each day.

22 Sep penetapan paslon → 25 Sep campaign → 24–26 Nov masa tenang → 27 Nov voting (a holiday) →
December. Four reports in Kabupaten Sleman, handled through the services on the days below:

A  received 20 Sep; verified and registered 27 Sep (its due day); kajian a day late, forwarded
   3 Oct; recommendation 17 Oct (the authority's due day); the PPK lets 6 Nov pass, the case is
   escalated on the 5th working day overdue (13 Nov), BKN blocks 14 Nov, the PPK records on
   15 Nov that the ASN left service.
B  received 20 Nov and taken through to the recommendation that day; the PPK's due date
   (11 Dec) runs after voting; closed on 12 Dec.
C  received 7 Oct; completion asked 8 Oct (due 11 Oct); the reporter never answers; rejected 14 Oct.
D  received 23 Sep, withdrawn by the reporter 24 Sep: nothing is ever sent about it.

Prevention: Sleman ticks all three obligations 24 Sep, Kota Yogyakarta 1 Oct. The Pemda DIY
operator is outside the Pilkada's regions (DI Yogyakarta elects no gubernur) and hears nothing;
an inactive Bawaslu officer hears nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from netralitas.enums import DeliveryMode, OrganisationKind, Role
from netralitas.models import (
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from reports import assessment, triage
from reports.enums import LeftServiceReason
from reports.followup import withdraw_report
from reports.models import Report
from sanctions import services as sanctions_services
from tests.reminder_walk import Walk, make_cast, recommend, submit, tick_all

pytestmark = pytest.mark.django_db

D = date
K = OrganisationKind
SLEMAN = (K.PEMDA_KABUPATEN, "Kabupaten Sleman")
CAST = {
    "bawaslu.sleman": ((K.BAWASLU_KABKOTA, "Kabupaten Sleman"), Role.BAWASLU),
    "bawaslu.diy": ((K.BAWASLU_PROVINSI, "Daerah Istimewa Yogyakarta"), Role.BAWASLU),
    "satgas.sleman": (SLEMAN, Role.SATGAS),
    "operator.sleman": (SLEMAN, Role.OPERATOR),
    "ppk.sleman": (SLEMAN, Role.PPK),
    "operator.yogya": ((K.PEMDA_KOTA, "Kota Yogyakarta"), Role.OPERATOR),
    "operator.diy": ((K.PEMDA_PROVINSI, "Daerah Istimewa Yogyakarta"), Role.OPERATOR),
    "ppk.diy": ((K.PEMDA_PROVINSI, "Daerah Istimewa Yogyakarta"), Role.PPK),
    "rekomendasi.bkn": ((K.BKN, None), Role.AUTHORITY),
    "wasdal.bkn": ((K.BKN, None), Role.BKN),
    "pemantau.kemendagri": ((K.KEMENDAGRI, None), Role.NATIONAL_VIEWER),
    "pemantau.panrb": ((K.KEMENPANRB, None), Role.NATIONAL_VIEWER),
    "bawaslu.nonaktif": ((K.BAWASLU_KABKOTA, "Kabupaten Sleman"), Role.BAWASLU),  # made inactive
}

# Who got what, day by day: (user, kind, step:case) for staff, ("pelapor:<e-mail>", kind, step:case) for a
# reporter's e-mail. Days not listed: nothing at all.
EXPECTED = {
    D(2024, 9, 23): {  # Mon
        ("operator.sleman", "digest.weekly", "election"),
        ("operator.sleman", "prevention", "prevention"),
        ("operator.yogya", "digest.weekly", "election"),
        ("operator.yogya", "prevention", "prevention"),
        ("ppk.sleman", "digest.weekly", "election"),
        ("ppk.sleman", "prevention", "prevention"),
    },
    D(2024, 9, 24): {  # Tue
        ("bawaslu.sleman", "before:3", "verification:A"),
    },
    D(2024, 9, 25): {  # Wed
        ("bawaslu.sleman", "before:2", "verification:A"),
    },
    D(2024, 9, 26): {  # Thu
        ("bawaslu.sleman", "before:1", "verification:A"),
        ("bawaslu.sleman", "digest.daily", "election"),
    },
    D(2024, 9, 27): {  # Fri
        ("bawaslu.sleman", "digest.daily", "election"),
        ("bawaslu.sleman", "due", "verification:A"),
    },
    D(2024, 9, 30): {  # Mon
        ("bawaslu.sleman", "before:2", "kajian:A"),
        ("operator.yogya", "prevention", "prevention"),
    },
    D(2024, 10, 1): {  # Tue
        ("bawaslu.sleman", "before:1", "kajian:A"),
        ("bawaslu.sleman", "digest.daily", "election"),
    },
    D(2024, 10, 2): {  # Wed
        ("bawaslu.sleman", "digest.daily", "election"),
        ("bawaslu.sleman", "due", "kajian:A"),
    },
    D(2024, 10, 3): {  # Thu
        ("bawaslu.sleman", "digest.daily", "election"),
        ("bawaslu.sleman", "overdue:1", "kajian:A"),
    },
    D(2024, 10, 8): {  # Tue
        ("bawaslu.diy", "digest.daily", "election"),
        ("bawaslu.sleman", "digest.daily", "election"),
        ("satgas.sleman", "digest.daily", "election"),
    },
    D(2024, 10, 10): {  # Thu
        ("pelapor:pelapor.c@example.org", "before:1", "completion:C"),
        ("rekomendasi.bkn", "half", "authority:A"),
    },
    D(2024, 10, 11): {  # Fri
        ("pelapor:pelapor.c@example.org", "due", "completion:C"),
    },
    D(2024, 10, 14): {  # Mon
        ("bawaslu.sleman", "overdue:1", "completion:C"),
        ("rekomendasi.bkn", "before:3", "authority:A"),
    },
    D(2024, 10, 15): {  # Tue
        ("rekomendasi.bkn", "before:2", "authority:A"),
    },
    D(2024, 10, 16): {  # Wed
        ("rekomendasi.bkn", "before:1", "authority:A"),
    },
    D(2024, 10, 17): {  # Thu
        ("rekomendasi.bkn", "due", "authority:A"),
    },
    D(2024, 10, 28): {  # Mon
        ("operator.sleman", "half", "ppk_follow_up:A"),
        ("ppk.sleman", "half", "ppk_follow_up:A"),
    },
    D(2024, 11, 1): {  # Fri
        ("operator.sleman", "before:3", "ppk_follow_up:A"),
        ("ppk.sleman", "before:3", "ppk_follow_up:A"),
    },
    D(2024, 11, 4): {  # Mon
        ("operator.sleman", "before:2", "ppk_follow_up:A"),
        ("ppk.sleman", "before:2", "ppk_follow_up:A"),
    },
    D(2024, 11, 5): {  # Tue
        ("operator.sleman", "before:1", "ppk_follow_up:A"),
        ("ppk.sleman", "before:1", "ppk_follow_up:A"),
    },
    D(2024, 11, 6): {  # Wed
        ("operator.sleman", "due", "ppk_follow_up:A"),
        ("ppk.sleman", "due", "ppk_follow_up:A"),
    },
    D(2024, 11, 7): {  # Thu
        ("operator.sleman", "overdue:1", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:1", "ppk_follow_up:A"),
        ("wasdal.bkn", "due", "bkn_block:A"),
    },
    D(2024, 11, 8): {  # Fri
        ("operator.sleman", "overdue:2", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:2", "ppk_follow_up:A"),
        ("wasdal.bkn", "overdue:1", "bkn_block:A"),
    },
    D(2024, 11, 11): {  # Mon
        ("operator.sleman", "overdue:3", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:3", "ppk_follow_up:A"),
    },
    D(2024, 11, 12): {  # Tue
        ("operator.sleman", "overdue:4", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:4", "ppk_follow_up:A"),
    },
    D(2024, 11, 13): {  # Wed
        ("operator.sleman", "overdue:5", "ppk_follow_up:A"),
        ("pemantau.kemendagri", "escalation", "ppk_follow_up:A"),
        ("ppk.diy", "escalation", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:5", "ppk_follow_up:A"),
        ("wasdal.bkn", "escalation", "ppk_follow_up:A"),
    },
    D(2024, 11, 14): {  # Thu
        ("operator.sleman", "overdue:6", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:6", "ppk_follow_up:A"),
    },
    D(2024, 11, 15): {  # Fri
        ("operator.sleman", "overdue:7", "ppk_follow_up:A"),
        ("ppk.sleman", "overdue:7", "ppk_follow_up:A"),
    },
    D(2024, 11, 20): {  # Wed
        ("bawaslu.diy", "digest.daily", "election"),
        ("bawaslu.sleman", "digest.daily", "election"),
        ("satgas.sleman", "digest.daily", "election"),
    },
    D(2024, 11, 21): {  # Thu
        ("bawaslu.diy", "digest.daily", "election"),
        ("bawaslu.sleman", "before:3", "verification:E"),
        ("bawaslu.sleman", "digest.daily", "election"),
        ("satgas.sleman", "digest.daily", "election"),
    },
    D(2024, 11, 22): {  # Fri
        ("bawaslu.sleman", "before:2", "verification:E"),
    },
    D(2024, 11, 25): {  # Mon
        ("bawaslu.sleman", "before:1", "verification:E"),
        ("bawaslu.sleman", "digest.daily", "election"),
    },
    D(2024, 11, 26): {  # Tue
        ("bawaslu.sleman", "digest.daily", "election"),
        ("bawaslu.sleman", "due", "verification:E"),
    },
    D(2024, 11, 28): {  # Thu
        ("bawaslu.sleman", "overdue:1", "verification:E"),
        ("satgas.sleman", "monev", "monev"),
    },
    D(2024, 11, 29): {  # Fri
        ("bawaslu.sleman", "overdue:2", "verification:E"),
    },
    D(2024, 12, 2): {  # Mon
        ("bawaslu.diy", "escalation", "verification:E"),
        ("bawaslu.sleman", "overdue:3", "verification:E"),
        ("operator.sleman", "followup.weekly", "sanctions.outstanding"),
        ("operator.sleman", "half", "ppk_follow_up:B"),
        ("ppk.sleman", "followup.weekly", "sanctions.outstanding"),
        ("ppk.sleman", "half", "ppk_follow_up:B"),
    },
    D(2024, 12, 4): {  # Wed
        ("bawaslu.sleman", "before:1", "kajian:E"),
    },
    D(2024, 12, 5): {  # Thu
        ("bawaslu.sleman", "due", "kajian:E"),
    },
    D(2024, 12, 6): {  # Fri
        ("operator.sleman", "before:3", "ppk_follow_up:B"),
        ("ppk.sleman", "before:3", "ppk_follow_up:B"),
    },
    D(2024, 12, 9): {  # Mon
        ("operator.sleman", "followup.weekly", "sanctions.outstanding"),
        ("ppk.sleman", "followup.weekly", "sanctions.outstanding"),
    },
    D(2024, 12, 10): {  # Tue
        ("operator.sleman", "before:1", "ppk_follow_up:B"),
        ("ppk.sleman", "before:1", "ppk_follow_up:B"),
    },
    D(2024, 12, 11): {  # Wed
        ("operator.sleman", "due", "ppk_follow_up:B"),
        ("ppk.sleman", "due", "ppk_follow_up:B"),
    },
    D(2024, 12, 12): {  # Thu
        ("operator.sleman", "overdue:1", "ppk_follow_up:B"),
        ("ppk.sleman", "overdue:1", "ppk_follow_up:B"),
        ("rekomendasi.bkn", "half", "authority:E"),
        ("wasdal.bkn", "due", "bkn_block:B"),
    },
    D(2024, 12, 16): {  # Mon
        ("rekomendasi.bkn", "before:3", "authority:E"),
    },
    D(2024, 12, 18): {  # Wed
        ("rekomendasi.bkn", "before:1", "authority:E"),
    },
    D(2024, 12, 19): {  # Thu
        ("rekomendasi.bkn", "due", "authority:E"),
    },
    D(2024, 12, 20): {  # Fri
        ("rekomendasi.bkn", "overdue:1", "authority:E"),
    },
}


@pytest.fixture
def people(reference_data, make_staff, settings, tmp_path):
    users = make_cast(make_staff, settings, tmp_path, CAST)
    NotificationPreference.objects.create(user=users["operator.sleman"], delivery=DeliveryMode.DIGEST)
    return users


def _tick_all(people: dict, username: str) -> None:
    tick_all(people[username], "Pilkada Serentak 2024")


def test_pilkada_2024_walk_sends_exactly_these_messages_each_day(people, celery_eager):
    cases: dict[str, Report] = {}
    walk = Walk({})
    bawaslu = people["bawaslu.sleman"]

    def receive(letter: str, email: str, name: str) -> None:
        cases[letter] = report = submit(email, name, SLEMAN)
        walk.name("report", report.pk, letter)
        walk.name("terlapor", report.terlapor.get().pk, letter)

    def take_through(letter: str, *, number: str) -> None:
        report = cases[letter]
        triage.start_verification(report, actor=bawaslu)
        triage.register_report(report, actor=bawaslu)
        assessment.start_kajian(report, actor=bawaslu)
        assessment.record_kajian(report, actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi.")
        assessment.forward_report(report, actor=bawaslu)
        recommend(report, people["rekomendasi.bkn"], number)

    def verify_and_register_a() -> None:
        triage.start_verification(cases["A"], actor=bawaslu)
        triage.register_report(cases["A"], actor=bawaslu)

    def forward_a() -> None:
        assessment.start_kajian(cases["A"], actor=bawaslu)
        assessment.record_kajian(cases["A"], actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi.")
        assessment.forward_report(cases["A"], actor=bawaslu)

    def receive_b() -> None:
        receive("B", "pelapor.b@example.org", "Dewi Lestari")
        take_through("B", number="B-2/R/BKN/XI/2024")

    def block_a() -> None:
        from django.utils import timezone

        terlapor = cases["A"].terlapor.get()
        sanctions_services.record_block(
            terlapor,
            actor=people["wasdal.bkn"],
            blocked_on=timezone.localdate(),
            letter_number="BLK-1/2024",
            letter_date=timezone.localdate(),
        )

    def left_service(letter: str) -> None:
        sanctions_services.record_left_service(
            cases[letter].terlapor.get(), actor=people["ppk.sleman"], reason=LeftServiceReason.RESIGNED
        )

    walk.acts = {
        D(2024, 9, 20): lambda: receive("A", "pelapor.a@example.org", "Budi Santoso"),
        D(2024, 9, 23): lambda: receive("D", "pelapor.d@example.org", "Agus Wibowo"),
        D(2024, 9, 24): lambda: (
            withdraw_report(cases["D"], reason="Salah orang."),
            _tick_all(people, "operator.sleman"),
        ),
        D(2024, 9, 27): verify_and_register_a,
        D(2024, 10, 1): lambda: _tick_all(people, "operator.yogya"),
        D(2024, 10, 3): forward_a,
        D(2024, 10, 7): lambda: receive("C", "pelapor.c@example.org", "Rina Utami"),
        D(2024, 10, 8): lambda: (
            triage.start_verification(cases["C"], actor=bawaslu),
            triage.request_completion(cases["C"], actor=bawaslu, message="Lampirkan tangkapan layar unggahan."),
        ),
        D(2024, 10, 14): lambda: triage.reject_report(
            cases["C"], actor=bawaslu, reason="Pelapor tidak melengkapi laporan sampai tenggat."
        ),
        D(2024, 10, 17): lambda: recommend(cases["A"], people["rekomendasi.bkn"], "B-1/R/BKN/X/2024"),
        D(2024, 11, 14): block_a,
        D(2024, 11, 15): lambda: left_service("A"),
        D(2024, 11, 19): lambda: receive("E", "pelapor.e@example.org", "Joko Susanto"),
        D(2024, 11, 20): receive_b,
        D(2024, 12, 2): lambda: (
            triage.start_verification(cases["E"], actor=bawaslu),
            triage.register_report(cases["E"], actor=bawaslu),
        ),
        D(2024, 12, 5): lambda: (
            assessment.start_kajian(cases["E"], actor=bawaslu),
            assessment.record_kajian(cases["E"], actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi."),
            assessment.forward_report(cases["E"], actor=bawaslu),
        ),
        D(2024, 12, 12): lambda: left_service("B"),
    }
    days = walk.run(D(2024, 9, 19), D(2024, 12, 20))

    assert days == EXPECTED
    assert walk.reruns_empty

    # E-mail: immediate users one per notification; the digest user one digest a day; reporters no PIN.
    immediate = OutboxMessage.objects.filter(recipient="bawaslu.sleman@example.go.id", dedupe_key__startswith="rem:")
    expected = sum(1 for found in EXPECTED.values() for who, *_rest in found if who == "bawaslu.sleman")
    assert immediate.count() == Notification.objects.filter(user=people["bawaslu.sleman"]).count() == expected
    digest_days = sorted(day for day, found in EXPECTED.items() if any(who == "operator.sleman" for who, *_ in found))
    digests = OutboxMessage.objects.filter(
        recipient="operator.sleman@example.go.id", dedupe_key__startswith="digest:"
    ).order_by("pk")
    assert [row.dedupe_key for row in digests] == [
        f"digest:user:{people['operator.sleman'].pk}:{day.isoformat()}" for day in digest_days
    ]
    assert not Notification.objects.filter(user=people["operator.sleman"], emailed_at__isnull=True).exists()
    to_reporter = OutboxMessage.objects.filter(recipient="pelapor.c@example.org", dedupe_key__startswith="rem:")
    assert to_reporter.count() == 2
    for message in to_reporter:
        assert "http://127.0.0.1:8000/status/" in message.body and "PIN tidak pernah dikirim" in message.body
        assert cases["C"].tracking_code in message.body
