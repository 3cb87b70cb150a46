"""Walk three windows of the Pemilu 2024 calendar and assert the exact messages of each day.

A national election: penetapan peserta 14 Dec 2022 → campaign 28 Nov 2023 – 10 Feb 2024 →
masa tenang 11–13 Feb → voting 14 Feb 2024 (a holiday, like 8–10 Feb: Isra Mikraj, Imlek).

Windows walked: 12–23 Dec 2022 (the weekly digests and the prevention checklist begin),
27 Nov – 6 Dec 2023 (the campaign begins), 5–27 Feb 2024 (masa tenang, voting, after).
Everybody is in a national election's regions, the province of DI Yogyakarta included.

P1  received 27 Nov 2023 in Kota Yogyakarta; rejected on its verification due day, 4 Dec.
P2  received 19 Jan 2024 in Kota Yogyakarta (entered on 5 Feb, so no daily digest counts it as new)
    and taken to a KASN recommendation dated 25 Jan (a forwarding may not precede the receipt; the
    PPK's 14 working days end 19 Feb, after the masa tenang); the PPK lets it pass and records on
    20 Feb that the ASN resigned.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from netralitas.enums import OrganisationKind, Role
from reports import assessment, triage
from reports.enums import LeftServiceReason
from reports.models import Report
from sanctions import services as sanctions_services
from tests.reminder_walk import Walk, make_cast, recommend, submit, tick_all

pytestmark = pytest.mark.django_db

D = date
K = OrganisationKind
YOGYA = (K.PEMDA_KOTA, "Kota Yogyakarta")
CAST = {
    "bawaslu.yogya": ((K.BAWASLU_KABKOTA, "Kota Yogyakarta"), Role.BAWASLU),
    "bawaslu.diy": ((K.BAWASLU_PROVINSI, "Daerah Istimewa Yogyakarta"), Role.BAWASLU),
    "satgas.yogya": (YOGYA, Role.SATGAS),
    "operator.yogya": (YOGYA, Role.OPERATOR),
    "ppk.yogya": (YOGYA, Role.PPK),
    "operator.diy": ((K.PEMDA_PROVINSI, "Daerah Istimewa Yogyakarta"), Role.OPERATOR),
    "rekomendasi.kasn": ((K.KASN, None), Role.AUTHORITY),
    "wasdal.bkn": ((K.BKN, None), Role.BKN),
}

# Who got what, day by day; days not listed (within the windows): nothing at all.
EXPECTED = {
    D(2022, 12, 19): {  # Mon
        ("operator.diy", "digest.weekly", "election"),
        ("operator.diy", "prevention", "prevention"),
        ("operator.yogya", "digest.weekly", "election"),
        ("operator.yogya", "prevention", "prevention"),
        ("ppk.yogya", "digest.weekly", "election"),
        ("ppk.yogya", "prevention", "prevention"),
    },
    D(2023, 11, 27): {  # Mon
        ("operator.diy", "digest.weekly", "election"),
        ("operator.diy", "prevention", "prevention"),
    },
    D(2023, 11, 28): {  # Tue
        ("bawaslu.diy", "digest.daily", "election"),
        ("bawaslu.yogya", "digest.daily", "election"),
        ("satgas.yogya", "digest.daily", "election"),
    },
    D(2023, 11, 29): {  # Wed
        ("bawaslu.yogya", "before:3", "verification:P1"),
    },
    D(2023, 11, 30): {  # Thu
        ("bawaslu.yogya", "before:2", "verification:P1"),
    },
    D(2023, 12, 1): {  # Fri
        ("bawaslu.yogya", "before:1", "verification:P1"),
        ("bawaslu.yogya", "digest.daily", "election"),
    },
    D(2023, 12, 2): {  # Sat
        ("bawaslu.yogya", "digest.daily", "election"),
    },
    D(2023, 12, 3): {  # Sun
        ("bawaslu.yogya", "digest.daily", "election"),
    },
    D(2023, 12, 4): {  # Mon
        ("bawaslu.yogya", "digest.daily", "election"),
        ("bawaslu.yogya", "due", "verification:P1"),
        ("operator.diy", "prevention", "prevention"),
    },
    D(2024, 2, 5): {  # Mon
        ("operator.diy", "prevention", "prevention"),
    },
    D(2024, 2, 12): {  # Mon
        ("operator.diy", "prevention", "prevention"),
    },
    D(2024, 2, 13): {  # Tue
        ("operator.yogya", "before:3", "ppk_follow_up:P2"),
        ("ppk.yogya", "before:3", "ppk_follow_up:P2"),
    },
    D(2024, 2, 15): {  # Thu
        ("satgas.yogya", "monev", "monev"),
    },
    D(2024, 2, 16): {  # Fri
        ("operator.yogya", "before:1", "ppk_follow_up:P2"),
        ("ppk.yogya", "before:1", "ppk_follow_up:P2"),
    },
    D(2024, 2, 19): {  # Mon
        ("operator.yogya", "due", "ppk_follow_up:P2"),
        ("operator.yogya", "followup.weekly", "sanctions.outstanding"),
        ("ppk.yogya", "due", "ppk_follow_up:P2"),
        ("ppk.yogya", "followup.weekly", "sanctions.outstanding"),
    },
    D(2024, 2, 20): {  # Tue
        ("operator.yogya", "overdue:1", "ppk_follow_up:P2"),
        ("ppk.yogya", "overdue:1", "ppk_follow_up:P2"),
        ("wasdal.bkn", "due", "bkn_block:P2"),
    },
}


@pytest.fixture
def people(reference_data, make_staff, settings, tmp_path):
    return make_cast(make_staff, settings, tmp_path, CAST)


def test_pemilu_2024_walk_sends_exactly_these_messages_each_day(people, celery_eager):
    cases: dict[str, Report] = {}
    walk = Walk({})
    bawaslu = people["bawaslu.yogya"]

    def receive(letter: str) -> Report:
        cases[letter] = report = submit(f"pelapor.{letter.lower()}@example.org", f"ASN {letter}", YOGYA)
        walk.name("report", report.pk, letter)
        walk.name("terlapor", report.terlapor.get().pk, letter)
        return report

    def reject_p1() -> None:
        triage.start_verification(cases["P1"], actor=bawaslu)
        triage.reject_report(cases["P1"], actor=bawaslu, reason="Terlapor bukan ASN.")

    def take_p2_through() -> None:
        report = receive("P2")
        # Its letters are dated back in January and a forwarding may not precede the receipt: received then.
        Report.objects.filter(pk=report.pk).update(received_at=datetime(2024, 1, 19, 2, 0, tzinfo=UTC))
        report.refresh_from_db()
        triage.start_verification(report, actor=bawaslu)
        triage.register_report(report, actor=bawaslu)
        assessment.start_kajian(report, actor=bawaslu)
        assessment.record_kajian(report, actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi.")
        assessment.forward_report(report, actor=bawaslu, on=D(2024, 1, 22))
        recommend(report, people["rekomendasi.kasn"], "R-77/KASN/I/2024", D(2024, 1, 25))

    walk.acts = {
        D(2022, 12, 20): lambda: tick_all(people["operator.yogya"], "Pemilu 2024"),
        D(2023, 11, 27): lambda: receive("P1"),
        D(2023, 12, 4): reject_p1,
        D(2024, 2, 5): take_p2_through,
        D(2024, 2, 20): lambda: sanctions_services.record_left_service(
            cases["P2"].terlapor.get(), actor=people["ppk.yogya"], reason=LeftServiceReason.RESIGNED
        ),
    }
    days = {}
    windows = ((D(2022, 12, 12), D(2022, 12, 23)), (D(2023, 11, 27), D(2023, 12, 6)), (D(2024, 2, 5), D(2024, 2, 27)))
    for start, end in windows:
        days |= walk.run(start, end)

    assert days == EXPECTED
    assert walk.reruns_empty
