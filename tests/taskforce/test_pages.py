"""The Satgas's pages: monitoring, workload, the case page's forms, meetings; region scoping, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from netralitas.authority import authority_in_force
from netralitas.enums import Level, Track
from netralitas.models import Region, ViolationType
from reports.enums import CaseStatus, EventKind, ReportStatus
from reports.models import Recommendation, Report, ReportEvent, Terlapor
from taskforce.assignments import assign_team
from taskforce.models import Assignment, Meeting, MonitoringNote, SatgasLeave
from tests.factories import ReportFactory, TerlaporFactory
from tests.taskforce.conftest import fresh
from tests.test_evidence import MINIMAL_PDF

TODAY = dt.datetime(2024, 5, 6, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SECRETS = ("Pelapor Rahasia", "3404011201900001", "pelapor@example.org")


@pytest.fixture(autouse=True)
def _monday(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(TODAY, tick=False):
        yield


def open_report(
    organisations, *, name: str, instansi: str = "pemda_sleman", due=dt.date(2024, 5, 9), **fields
) -> Report:
    region = "Kota Yogyakarta" if instansi == "pemda_yogya" else "Kabupaten Sleman"
    intake = "bawaslu_yogya" if instansi == "pemda_yogya" else "bawaslu_sleman"
    report = ReportFactory(
        intake_organisation=organisations[intake],
        region=Region.objects.get(name=region),
        status=ReportStatus.VERIFYING,
        due_date=due,
        **fields,
    )
    TerlaporFactory(report=report, name=name, instansi=organisations[instansi])
    return report


_letters = iter(range(1, 10_000))


def awaiting_case(organisations, cast, *, name: str, due: dt.date, instansi: str = "pemda_sleman") -> Terlapor:
    """A case awaiting the PPK on a B4 recommendation, written straight to the tables (fast, for many rows)."""
    report = open_report(organisations, name=f"{name} (laporan)", instansi=instansi, due=None)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FORWARDED)
    case = TerlaporFactory(
        report=report, name=name, instansi=organisations[instansi], case_status=CaseStatus.AWAITING_PPK, due_date=due
    )
    Recommendation.objects.create(
        terlapor=case,
        authority=authority_in_force(dt.date(2024, 4, 1)),
        addressed_to=organisations[instansi],
        finding="Hadir pada deklarasi.",
        violation_type=ViolationType.objects.get(code="B4"),
        track=Track.DISIPLIN,
        level=Level.BERAT,
        reasoning="Foto dan saksi.",
        letter_number=f"R-{next(_letters)}/BKN/2024",
        letter_date=dt.date(2024, 4, 1),
        issued_by=cast["authority_bkn"],
    )
    return case


@pytest.fixture
def region(team, organisations, cast) -> dict:
    """Sleman's work and, next door, Kota Yogyakarta's (which the Satgas of Sleman must never see)."""
    d = {
        "open": open_report(organisations, name="Sutrisno Hadi", due=dt.date(2024, 5, 3)),
        "open_later": open_report(organisations, name="Rina Wulandari", due=dt.date(2024, 5, 9)),
        "closed": open_report(organisations, name="Selesai Saja"),
        "awaiting": awaiting_case(organisations, cast, name="Agus Priyanto", due=dt.date(2024, 5, 20)),
        "overdue": awaiting_case(organisations, cast, name="Dedi Lewat", due=dt.date(2024, 4, 29)),
        "yogya_open": open_report(organisations, name="Yanto Yogya", instansi="pemda_yogya"),
        "yogya_awaiting": awaiting_case(
            organisations, cast, name="Yusuf Yogya", due=dt.date(2024, 5, 20), instansi="pemda_yogya"
        ),
    }
    Report.objects.filter(pk=d["closed"].pk).update(status=ReportStatus.CLOSED)
    assign_team(d["open"], satgas=team.satgas, actor=fresh(team.ketua.user), lead=team.anggota[0])
    assign_team(
        d["overdue"], satgas=team.satgas, actor=fresh(team.ketua.user), lead=team.anggota[0], members=[team.anggota[1]]
    )
    return d


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_monitoring_page_shows_the_region_and_nothing_of_kota_yogyakarta(team, region):
    page = client_for(team.anggota[2].user).get(f"/satgas/tim/{team.satgas.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    reports = section(html, "open-reports")
    assert re.search(r'data-testid="count">(\d+)<', reports)[1] == "4"  # two open, two forwarded with cases
    assert reports.index(region["open"].tracking_code) < reports.index(region["open_later"].tracking_code)
    assert "Ani Lestari" in reports and "belum ditugaskan" in reports
    awaiting = section(html, "awaiting-ppk")
    assert re.search(r'data-testid="count">(\d+)<', awaiting)[1] == "1"
    assert "Agus Priyanto" in awaiting and "8 hari kerja lagi" in awaiting and "20 Mei 2024" in awaiting
    overdue = section(html, "overdue")
    assert re.search(r'data-testid="count">(\d+)<', overdue)[1] == "1"
    assert "Dedi Lewat" in overdue and "lewat 4 hari kerja" in overdue and "Ani Lestari" in overdue
    for elsewhere in ("Yanto Yogya", "Yusuf Yogya", region["yogya_open"].tracking_code, "Selesai Saja"):
        assert elsewhere not in html, elsewhere
    for secret in SECRETS:
        assert secret not in html
    assert 'data-testid="nav-taskforce.satgas"' in html


def test_the_workload_page_counts_per_member(team, region, organisations):
    assign_team(region["open_later"], satgas=team.satgas, actor=fresh(team.ketua.user), lead=team.anggota[1])
    SatgasLeave.objects.create(member=team.anggota[2], start=dt.date(2024, 5, 6), end=dt.date(2024, 5, 8))
    html = client_for(team.ketua.user).get(f"/satgas/tim/{team.satgas.pk}/beban/").content.decode()
    rows = re.findall(
        r'<tr data-member="\d+">\s*<td>([^<]+)(.*?)</td>.*?data-testid="open">(\d+)<.*?data-testid="due-week">(\d+)<'
        r'.*?data-testid="overdue">(\d+)<',
        html,
        re.S,
    )
    assert [(name.strip(), "cuti" in extra, int(o), int(w), int(late)) for name, extra, o, w, late in rows] == [
        ("Harda Kiswaya", False, 0, 0, 0),
        ("Budi Pranowo", False, 0, 0, 0),
        ("Ani Lestari", False, 2, 0, 2),  # the report due 3 May and the case due 29 April
        ("Bayu Saputra", False, 2, 1, 1),  # the case (member) and the report due 9 May
        ("Citra Dewi", True, 0, 0, 0),
    ]


@pytest.mark.parametrize("url", ["/satgas/tim/{pk}/", "/satgas/tim/{pk}/beban/"])
def test_query_counts_are_the_same_for_1_and_50_cases(team, organisations, cast, url):
    client = client_for(team.ketua.user)
    address = url.format(pk=team.satgas.pk)
    client.get(address)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    def one_more(i: int) -> None:
        report = open_report(organisations, name=f"Terlapor {i}", due=dt.date(2024, 5, 1 + i % 20))
        # One case past its deadline, one still within it: every list of the page has rows at both sizes.
        late = awaiting_case(
            organisations, cast, name=f"Lewat {i}", due=dt.date(2024, 4, 20) + dt.timedelta(days=i % 10)
        )
        case = awaiting_case(organisations, cast, name=f"Kasus {i}", due=dt.date(2024, 5, 7) + dt.timedelta(days=i))
        member = team.anggota[i % 3]
        for subject in (report, case, late):
            Assignment.objects.create(
                satgas=team.satgas,
                member=member,
                role="lead",
                method="manual",
                assigned_by=cast["admin"],
                **({"report": subject} if isinstance(subject, Report) else {"terlapor": subject}),
            )
        MonitoringNote.objects.create(satgas=team.satgas, author=team.ketua.user, text=f"Catatan {i}").cases.add(case)

    one_more(0)
    one = count()
    for i in range(1, 50):
        one_more(i)
    assert count() == one


def test_the_ketua_assigns_on_the_case_page_and_errors_stay_next_to_the_field(team, region, settings):
    settings.SITE_URL = ""
    report = region["open_later"]
    client = client_for(team.ketua.user, csrf=True)
    page = client.get(f"/satgas/laporan/{report.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="form-assign"' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    SatgasLeave.objects.create(member=team.anggota[2], start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31))

    refused = client.post(
        f"/satgas/laporan/{report.pk}/tugaskan/",
        {"csrfmiddlewaretoken": token, "satgas": team.satgas.pk, "lead": team.anggota[2].pk, "reason": ""},
    )
    assert refused.status_code == 400
    assert "Citra Dewi sedang cuti/berhalangan 1 Mei 2024 – 31 Mei 2024." in refused.content.decode()
    assert not Assignment.objects.filter(report=report).exists()

    done = client.post(
        f"/satgas/laporan/{report.pk}/tugaskan/",
        {
            "csrfmiddlewaretoken": token,
            "satgas": team.satgas.pk,
            "lead": team.anggota[1].pk,
            "members": [team.anggota[0].pk],
        },
    )
    assert done.status_code == 302 and done["Location"] == f"/satgas/laporan/{report.pk}/"
    assert sorted(Assignment.objects.filter(report=report).values_list("member__name", "role")) == [
        ("Ani Lestari", "member"),
        ("Bayu Saputra", "lead"),
    ]
    from netralitas.models import OutboxMessage

    body = OutboxMessage.objects.get(
        recipient="anggota.dua@sleman.example.go.id", subject__contains=report.tracking_code
    ).body
    assert f"http://testserver/satgas/laporan/{report.pk}/" in body  # no SITE_URL: built from the request


def test_an_anggota_gets_no_assignment_form_and_a_403_when_posting(team, region):
    report = region["open_later"]
    client = client_for(team.anggota[0].user)
    html = client.get(f"/satgas/laporan/{report.pk}/").content.decode()
    assert 'data-testid="form-assign"' not in html and 'data-testid="form-note"' in html
    refused = client.post(
        f"/satgas/laporan/{report.pk}/tugaskan/", {"satgas": team.satgas.pk, "lead": team.anggota[0].pk}
    )
    assert refused.status_code == 403
    assert not Assignment.objects.filter(report=report).exists()


def test_a_member_records_a_monitoring_note_on_a_case(team, region):
    case = region["overdue"]
    client = client_for(team.anggota[1].user, csrf=True)
    html = client.get(f"/satgas/perkara/{case.pk}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    empty = client.post(
        f"/satgas/perkara/{case.pk}/catatan/", {"csrfmiddlewaretoken": token, "satgas": team.satgas.pk, "text": " "}
    )
    assert empty.status_code == 400 and "Catatan pemantauan wajib diisi." in empty.content.decode()
    saved = client.post(
        f"/satgas/perkara/{case.pk}/catatan/",
        {"csrfmiddlewaretoken": token, "satgas": team.satgas.pk, "text": "BKPSDM menyatakan SK dalam proses paraf."},
    )
    assert saved.status_code == 302
    note = MonitoringNote.objects.get()
    assert (note.text, note.author.username, list(note.cases.all()), list(note.reports.all())) == (
        "BKPSDM menyatakan SK dalam proses paraf.",
        "anggota.dua",
        [case],
        [],
    )
    assert "BKPSDM menyatakan SK dalam proses paraf." in client.get(f"/satgas/perkara/{case.pk}/").content.decode()
    assert "BKPSDM menyatakan SK dalam proses paraf." in client.get(f"/satgas/tim/{team.satgas.pk}/").content.decode()


def test_kota_yogyakartas_cases_are_404_for_the_satgas_of_sleman(team, region):
    client = client_for(team.ketua.user)
    assert client.get(f"/satgas/laporan/{region['yogya_open'].pk}/").status_code == 404
    assert client.get(f"/satgas/perkara/{region['yogya_awaiting'].pk}/").status_code == 404
    assert (
        client.post(
            f"/satgas/perkara/{region['yogya_awaiting'].pk}/catatan/", {"satgas": team.satgas.pk, "text": "x"}
        ).status_code
        == 404
    )


def meeting_post(team, region, **overrides) -> dict:
    data = {
        "held_on": "2024-05-03",
        "place": "Ruang Rapat Sekda",
        "agenda": "Pembahasan perkara Dedi Lewat",
        "conclusions": "Satgas menyurati PPK agar segera menetapkan SK.",
        "attendees": [team.ketua.pk, team.sekretaris.pk, team.anggota[0].pk],
        "cases": [region["overdue"].pk],
        "reports": [region["open"].pk],
        "minutes": SimpleUploadedFile("notulen.pdf", MINIMAL_PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def test_the_sekretaris_records_a_meeting_with_its_minutes(team, region):
    client = client_for(team.sekretaris.user)
    response = client.post(f"/satgas/tim/{team.satgas.pk}/rapat/", meeting_post(team, region))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.held_on, meeting.agenda, sorted(m.name for m in meeting.attendees.all())) == (
        dt.date(2024, 5, 3),
        "Pembahasan perkara Dedi Lewat",
        ["Ani Lestari", "Budi Pranowo", "Harda Kiswaya"],
    )
    assert list(meeting.cases.all()) == [region["overdue"]] and list(meeting.reports.all()) == [region["open"]]
    download = client_for(team.anggota[2].user).get(f"/satgas/rapat/{meeting.pk}/notulen.pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"] == f'attachment; filename="notulen-rapat-{meeting.pk}.pdf"'
    case_page = client.get(f"/satgas/perkara/{region['overdue'].pk}/").content.decode()
    assert "Satgas menyurati PPK agar segera menetapkan SK." in case_page


def test_a_meeting_with_a_fake_pdf_or_a_future_date_saves_nothing(team, region):
    client = client_for(team.ketua.user)
    response = client.post(
        f"/satgas/tim/{team.satgas.pk}/rapat/",
        meeting_post(
            team,
            region,
            held_on="2024-05-07",
            minutes=SimpleUploadedFile("notulen.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Rapat yang dicatat sudah berlangsung: tanggalnya tidak boleh sesudah hari ini." in html
    assert "Berkas «notulen.pdf» ditolak" in html
    assert "Pembahasan perkara Dedi Lewat" in html  # what was typed is kept
    assert not Meeting.objects.exists()


def test_an_anggota_may_not_record_a_meeting(team, region):
    client = client_for(team.anggota[0].user)
    assert 'data-testid="form-meeting"' not in client.get(f"/satgas/tim/{team.satgas.pk}/rapat/").content.decode()
    assert client.post(f"/satgas/tim/{team.satgas.pk}/rapat/", meeting_post(team, region)).status_code == 403
    assert not Meeting.objects.exists()


def test_the_home_page_lists_the_users_teams(team, cast):
    html = client_for(team.anggota[0].user).get("/satgas/").content.decode()
    assert f'href="/satgas/tim/{team.satgas.pk}/"' in html
    assert "Anda tidak sedang bertugas" in client_for(cast["satgas_sleman"]).get("/satgas/").content.decode()
    assert client_for(cast["ppk_sleman"]).get("/satgas/").status_code == 403


def test_the_case_page_timeline_shows_the_assignment_event(team, region):
    html = client_for(team.anggota[0].user).get(f"/satgas/laporan/{region['open'].pk}/").content.decode()
    assert "penanggung jawab perkara Ani Lestari" in html
    assert ReportEvent.objects.filter(report=region["open"], kind=EventKind.NOTE).count() == 1
    assert timezone.localdate() == dt.date(2024, 5, 6)
