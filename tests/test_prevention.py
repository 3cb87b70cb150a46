"""The prevention checklist: an instansi ticks each obligation with evidence; reminders stop when all are ticked."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netralitas.cadence import cadence_messages
from netralitas.models import Election, PreventionCheck, PreventionItem
from netralitas.prevention import checklist, elections_for_prevention, tick_prevention
from netralitas.reminder_messages import WorkCalendar
from tests.reminder_walk import at
from tests.test_sanctions_pages import csrf_client, csrf_token

pytestmark = pytest.mark.django_db

DAY = date(2024, 10, 7)  # a Monday of the Pilkada 2024 campaign
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def pilkada():
    return Election.objects.get(name="Pilkada Serentak 2024")


def prevention_recipients(day: date) -> list[str]:
    from django.contrib.auth import get_user_model

    with time_machine.travel(at(day, 6), tick=False):
        found = cadence_messages(WorkCalendar(day))
    names = dict(get_user_model().objects.values_list("pk", "username"))
    return sorted(names[m.recipient.user_id] for m in found if m.kind == "prevention")


def test_the_pilkada_is_under_way_for_sleman_but_not_for_the_province_of_diy(organisations, pilkada):
    assert elections_for_prevention(organisations["pemda_sleman"], DAY) == [pilkada]
    assert elections_for_prevention(organisations["pemda_diy"], DAY) == []
    assert elections_for_prevention(organisations["pemda_sleman"], date(2024, 9, 21)) == []  # before penetapan


def test_an_operator_ticks_with_a_link_or_a_pdf_and_the_reminder_stops(cast, organisations, pilkada, make_staff):
    from netralitas.enums import Role

    make_staff("operator.diy", organisations["pemda_diy"], Role.OPERATOR)
    assert prevention_recipients(DAY) == ["operator.sleman", "operator.yogya", "ppk.sleman"]
    items = {item.code: item for item in PreventionItem.objects.all()}
    operator = cast["operator_sleman"]
    with time_machine.travel(at(DAY), tick=False):
        tick_prevention(
            operator,
            organisation=organisations["pemda_sleman"],
            election=pilkada,
            item=items["surat-edaran"],
            evidence_file=SimpleUploadedFile("se-bupati.pdf", PDF),
        )
        tick_prevention(
            cast["ppk_sleman"],
            organisation=organisations["pemda_sleman"],
            election=pilkada,
            item=items["ikrar"],
            evidence_url="https://slemankab.go.id/berita/ikrar-netralitas",
        )
    assert prevention_recipients(date(2024, 10, 14)) == ["operator.sleman", "operator.yogya", "ppk.sleman"]
    with time_machine.travel(at(date(2024, 10, 15)), tick=False):
        tick_prevention(
            operator,
            organisation=organisations["pemda_sleman"],
            election=pilkada,
            item=items["spanduk"],
            evidence_url="https://instagram.com/p/spanduk",
            note="Dipasang di 17 kecamatan.",
        )
    assert prevention_recipients(date(2024, 10, 21)) == ["operator.yogya"]
    rows = checklist(organisations["pemda_sleman"], pilkada)
    assert [(row.item.code, row.check.ticked_by.username) for row in rows] == [
        ("surat-edaran", "operator.sleman"),
        ("ikrar", "ppk.sleman"),
        ("spanduk", "operator.sleman"),
    ]
    stored = rows[0].check
    assert stored.original_name == "se-bupati.pdf" and len(stored.sha256) == 64
    with stored.evidence_file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({}, "evidence_url", "Lampirkan berkas bukti atau isi tautan bukti."),
        ({"evidence_url": "ftp://x/y"}, "evidence_url", "Tautan harus diawali http:// atau https://."),
        (
            {"evidence_file": SimpleUploadedFile("catatan.txt", b"bukan pdf")},
            "evidence_file",
            "Berkas «catatan.txt» ditolak: unggah PDF, JPEG atau PNG.",
        ),
        (
            {"evidence_file": SimpleUploadedFile("aktif.pdf", PDF.replace(b"/Catalog", b"/Catalog /JavaScript"))},
            "evidence_file",
            "Berkas «aktif.pdf» ditolak: unggah PDF, JPEG atau PNG.",
        ),
    ],
)
def test_bad_evidence_is_refused_on_its_field(cast, organisations, pilkada, kwargs, field, message):
    with time_machine.travel(at(DAY), tick=False), pytest.raises(ValidationError) as refused:
        tick_prevention(
            cast["operator_sleman"],
            organisation=organisations["pemda_sleman"],
            election=pilkada,
            item=PreventionItem.objects.get(code="ikrar"),
            **kwargs,
        )
    assert refused.value.message_dict == {field: [message]}
    assert PreventionCheck.objects.count() == 0


@pytest.mark.parametrize("who", ["operator_yogya", "satgas_sleman", "bawaslu_sleman", "viewer"])
def test_only_the_instansis_own_operator_or_ppk_ticks(cast, organisations, pilkada, who):
    with time_machine.travel(at(DAY), tick=False), pytest.raises(PermissionDenied):
        tick_prevention(
            cast[who],
            organisation=organisations["pemda_sleman"],
            election=pilkada,
            item=PreventionItem.objects.get(code="ikrar"),
            evidence_url="https://slemankab.go.id/ikrar",
        )


def test_the_page_ticks_and_a_mistake_keeps_what_was_typed(cast, organisations, pilkada):
    client = csrf_client(cast["operator_sleman"])
    item = PreventionItem.objects.get(code="spanduk")
    with time_machine.travel(at(DAY), tick=True):
        token = csrf_token(client, "/kerja/pencegahan/")
        bad = client.post(
            "/kerja/pencegahan/",
            {
                "csrfmiddlewaretoken": token,
                "election": pilkada.pk,
                "item": item.pk,
                "evidence_url": "slemankab.go.id/spanduk",
                "note": "Dipasang di 17 kecamatan.",
            },
        )
        html = bad.content.decode()
        assert bad.status_code == 400
        assert "Tautan harus diawali http:// atau https://." in html
        assert 'value="slemankab.go.id/spanduk"' in html and 'value="Dipasang di 17 kecamatan."' in html
        good = client.post(
            "/kerja/pencegahan/",
            {
                "csrfmiddlewaretoken": token,
                "election": pilkada.pk,
                "item": item.pk,
                "evidence_file": SimpleUploadedFile("spanduk.pdf", PDF),
            },
            follow=True,
        )
        # Within the same (travelled) day: a session signed in on DAY has ended by today.
        check = PreventionCheck.objects.get()
        download = client.get(f"/kerja/pencegahan/{check.pk}/berkas/")
    page = good.content.decode()
    assert "«Spanduk netralitas di setiap kantor» dicentang." in page
    assert re.findall(r'data-testid="prevention-progress">([^<]+)<', page) == ["1/3"]
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_another_instansi_cannot_download_the_evidence(cast, organisations, pilkada):
    with time_machine.travel(at(DAY), tick=False):
        check = tick_prevention(
            cast["operator_sleman"],
            organisation=organisations["pemda_sleman"],
            election=pilkada,
            item=PreventionItem.objects.get(code="surat-edaran"),
            evidence_file=SimpleUploadedFile("se.pdf", PDF),
        )
    outsider = Client()
    outsider.force_login(cast["operator_yogya"])
    assert outsider.get(f"/kerja/pencegahan/{check.pk}/berkas/").status_code == 404
    national = Client()
    national.force_login(cast["viewer"])
    assert national.get(f"/kerja/pencegahan/{check.pk}/berkas/").status_code == 200


def test_the_province_of_diy_sees_no_pilkada_on_its_page(organisations, make_staff):
    from netralitas.enums import Role

    client = Client()
    client.force_login(make_staff("operator.diy", organisations["pemda_diy"], Role.OPERATOR))
    with time_machine.travel(at(DAY), tick=True):
        html = client.get("/kerja/pencegahan/").content.decode()
    assert 'data-testid="no-elections"' in html
