"""Satgas decisions on cases outside the matrix (B13): who may decide, what, when; the recommendation follows it."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import include, path

from netralitas import urls as project_urls
from netralitas.enums import Level, Track
from netralitas.models import ViolationType
from reports.enums import CaseStatus
from reports.models import CaseEvent, Recommendation, Terlapor
from taskforce.services import record_satgas_decision
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_recommendations import forward_to_clarification, kinds, recommend, vt

# Until netralitas/urls.py includes taskforce.urls, the tests mount it themselves.
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "urlconf_name", None) == "taskforce.urls" for p in urlpatterns):
    urlpatterns.append(path("satgas/", include("taskforce.urls")))

pytestmark = pytest.mark.urls(__name__)

DECIDED_AT = datetime.fromisoformat("2024-04-03T10:00:00+07:00")
REPORTER_SECRETS = ("Rahasia Pelapor Wijaya", "3404015508910002", "saksi.rahasia@example.org", "081234567890")


def b13_case(organisations, *, code: str = "B13", instansi: str = "pemda_sleman") -> Terlapor:
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"],
        violation_type=ViolationType.objects.get(code=code),
        reporter_name=REPORTER_SECRETS[0],
        reporter_nik=REPORTER_SECRETS[1],
        reporter_email=REPORTER_SECRETS[2],
        reporter_phone=REPORTER_SECRETS[3],
    )
    return TerlaporFactory(report=report, name="Sutrisno Hadi", instansi=organisations[instansi])


def stored(terlapor: Terlapor) -> tuple:
    t = Terlapor.objects.get(pk=terlapor.pk)
    return (t.satgas_track, t.satgas_level, t.satgas_reasoning, t.satgas_decided_at)


def events(terlapor: Terlapor) -> list[tuple]:
    return list(
        CaseEvent.objects.filter(terlapor=terlapor)
        .order_by("id")
        .values_list("from_status", "to_status", "actor__username", "note")
    )


# ---------------------------------------------------------------- the service


def test_record_satgas_decision_keeps_it_on_the_case_with_an_audit_line(cast, organisations):
    terlapor = b13_case(organisations)
    with time_machine.travel(DECIDED_AT, tick=False):
        result = record_satgas_decision(
            terlapor,
            actor=cast["satgas_sleman"],
            track=Track.DISIPLIN,
            level=Level.RINGAN,
            reasoning="  Rapat Satgas 3 April 2024: ajakan di grup dinas, dampak terbatas.  ",
        )

    assert result is None
    assert stored(terlapor) == (
        Track.DISIPLIN,
        Level.RINGAN,
        "Rapat Satgas 3 April 2024: ajakan di grup dinas, dampak terbatas.",
        DECIDED_AT,
    )
    assert (terlapor.satgas_track, terlapor.satgas_level) == (Track.DISIPLIN, Level.RINGAN)
    assert events(terlapor) == [
        (
            CaseStatus.PENDING,
            CaseStatus.PENDING,
            "satgas.sleman",
            "Keputusan Satgas: Disiplin (PP 94/2021) / Hukuman disiplin ringan: "
            "Rapat Satgas 3 April 2024: ajakan di grup dinas, dampak terbatas.",
        )
    ]


def test_satgas_may_revise_its_decision_before_the_recommendation(cast, organisations):
    terlapor = b13_case(organisations)
    forward_to_clarification(terlapor.report, cast["bawaslu_sleman"])
    terlapor.refresh_from_db()
    satgas = cast["satgas_sleman"]
    record_satgas_decision(terlapor, actor=satgas, track=Track.ETIK, level=Level.MORAL, reasoning="Rapat pertama.")
    record_satgas_decision(terlapor, actor=satgas, track=Track.UU_ASN, level=Level.PTDH, reasoning="Rapat kedua.")

    assert stored(terlapor)[:3] == (Track.UU_ASN, Level.PTDH, "Rapat kedua.")
    assert [note for *_, note in events(terlapor)][-2:] == [
        "Keputusan Satgas: Etik (PP 42/2004) / Sanksi moral: Rapat pertama.",
        "Keputusan Satgas diubah: UU ASN / Pemberhentian tidak dengan hormat: Rapat kedua.",
    ]
    assert events(terlapor)[-1][:2] == (CaseStatus.CLARIFICATION, CaseStatus.CLARIFICATION)


def no_level(level: str, track: str) -> dict:
    return {"level": [f"Tingkat {level} tidak ada pada jalur {track}."]}


NO_TRACK = {"track": ["Pilih jalur etik, disiplin, atau UU ASN."]}


@pytest.mark.parametrize(
    ("track", "level", "reasoning", "expected"),
    [
        (Track.ETIK, Level.BERAT, "Rapat.", no_level("Hukuman disiplin berat", "Etik (PP 42/2004)")),
        (Track.DISIPLIN, Level.MORAL, "Rapat.", no_level("Sanksi moral", "Disiplin (PP 94/2021)")),
        (Track.UU_ASN, Level.SEDANG, "Rapat.", no_level("Hukuman disiplin sedang", "UU ASN")),
        (Track.SATGAS, Level.MORAL, "Rapat.", NO_TRACK),
        ("", "", "Rapat.", NO_TRACK),
        (Track.ETIK, "", "Rapat.", no_level("-", "Etik (PP 42/2004)")),
        (Track.ETIK, Level.MORAL, "  ", {"reasoning": ["Pertimbangan Satgas wajib diisi."]}),
    ],
)
def test_record_satgas_decision_refuses_an_inconsistent_track_and_level(
    cast, organisations, track, level, reasoning, expected
):
    terlapor = b13_case(organisations)
    with pytest.raises(ValidationError) as excinfo:
        record_satgas_decision(terlapor, actor=cast["satgas_sleman"], track=track, level=level, reasoning=reasoning)
    assert excinfo.value.message_dict == expected
    assert stored(terlapor) == ("", "", "", None)
    assert events(terlapor) == []


def test_record_satgas_decision_only_for_rows_outside_the_matrix(cast, organisations):
    in_matrix = b13_case(organisations, code="B4")
    with pytest.raises(ValidationError) as excinfo:
        record_satgas_decision(
            in_matrix, actor=cast["satgas_sleman"], track=Track.ETIK, level=Level.MORAL, reasoning="Rapat."
        )
    assert excinfo.value.message_dict == {
        "__all__": [
            "Keputusan Satgas hanya untuk pelanggaran di luar matriks (B13); dugaan pelanggaran laporan ini: B4."
        ]
    }
    assert stored(in_matrix) == ("", "", "", None)


def test_record_satgas_decision_for_a_report_filed_as_tidak_tahu(cast, organisations):
    """A citizen who did not know the category may have reported an act outside the matrix."""
    unknown = b13_case(organisations)
    type(unknown.report).objects.filter(pk=unknown.report_id).update(violation_type=None)
    record_satgas_decision(
        unknown, actor=cast["satgas_sleman"], track=Track.ETIK, level=Level.MORAL, reasoning="Rapat."
    )
    assert stored(unknown)[:3] == (Track.ETIK, Level.MORAL, "Rapat.")


def test_record_satgas_decision_refused_once_the_recommendation_is_issued(cast, organisations):
    terlapor = b13_case(organisations)
    forward_to_clarification(terlapor.report, cast["bawaslu_sleman"])
    terlapor.refresh_from_db()
    record_satgas_decision(terlapor, actor=cast["satgas_sleman"], track=Track.ETIK, level=Level.MORAL, reasoning="R.")
    recommend(
        terlapor,
        cast["authority_bkn"],
        violation_type=vt("B13"),
        track=Track.ETIK,
        level=Level.MORAL,
        sanction_kinds=kinds("moral-tertutup"),
    )

    with pytest.raises(ValidationError) as excinfo:
        record_satgas_decision(
            terlapor, actor=cast["satgas_sleman"], track=Track.DISIPLIN, level=Level.BERAT, reasoning="Lagi."
        )
    assert excinfo.value.message_dict == {
        "__all__": ["Rekomendasi perkara ini sudah terbit; keputusan Satgas tidak dapat diubah lagi."]
    }
    assert stored(terlapor)[:2] == (Track.ETIK, Level.MORAL)


def test_record_satgas_decision_refused_when_the_case_left_the_satgas(cast, organisations):
    terlapor = b13_case(organisations)
    Terlapor.objects.filter(pk=terlapor.pk).update(case_status=CaseStatus.NOT_PROVEN)
    with pytest.raises(ValidationError) as excinfo:
        record_satgas_decision(
            terlapor, actor=cast["satgas_sleman"], track=Track.ETIK, level=Level.MORAL, reasoning="R."
        )
    assert excinfo.value.message_dict == {
        "__all__": ["Keputusan Satgas hanya dapat dicatat sebelum rekomendasi (status sekarang: Tidak terbukti)."]
    }


@pytest.mark.parametrize("who", ["operator_sleman", "ppk_sleman", "bawaslu_sleman", "authority_bkn", "viewer"])
def test_record_satgas_decision_needs_the_satgas_permission(cast, organisations, who):
    terlapor = b13_case(organisations)
    with pytest.raises(PermissionDenied):
        record_satgas_decision(terlapor, actor=cast[who], track=Track.ETIK, level=Level.MORAL, reasoning="R.")
    assert stored(terlapor) == ("", "", "", None)


def test_record_satgas_decision_needs_a_case_the_satgas_sees(cast, organisations, make_staff):
    from netralitas.enums import Role

    satgas_yogya = make_staff("satgas.yogya", organisations["pemda_yogya"], Role.SATGAS)
    terlapor = b13_case(organisations)  # a Sleman ASN reported to Bawaslu Sleman
    with pytest.raises(PermissionDenied):
        record_satgas_decision(terlapor, actor=satgas_yogya, track=Track.ETIK, level=Level.MORAL, reasoning="R.")
    with pytest.raises(PermissionDenied):
        record_satgas_decision(terlapor, actor=None, track=Track.ETIK, level=Level.MORAL, reasoning="R.")
    assert stored(terlapor) == ("", "", "", None)


# ---------------------------------------------------------------- the recommendation follows the Satgas


def test_b13_recommendation_refused_without_and_accepted_with_a_matching_satgas_decision(cast, organisations):
    terlapor = b13_case(organisations)
    forward_to_clarification(terlapor.report, cast["bawaslu_sleman"])
    terlapor.refresh_from_db()
    b13 = {"violation_type": vt("B13"), "sanction_kinds": kinds("ringan-teguran-tertulis")}

    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"], track=Track.DISIPLIN, level=Level.RINGAN, **b13)
    assert excinfo.value.message_dict == {
        "track": ["Untuk pelanggaran di luar matriks (B13), Satgas harus lebih dulu menetapkan jalur dan tingkat."]
    }

    record_satgas_decision(
        terlapor, actor=cast["satgas_sleman"], track=Track.DISIPLIN, level=Level.RINGAN, reasoning="Rapat Satgas."
    )
    with pytest.raises(ValidationError) as excinfo:
        recommend(
            terlapor,
            cast["authority_bkn"],
            track=Track.DISIPLIN,
            level=Level.SEDANG,
            violation_type=vt("B13"),
            sanction_kinds=kinds("sedang-tukin-25-6-bulan"),
        )
    assert excinfo.value.message_dict == {
        "track": [
            "Untuk pelanggaran di luar matriks (B13), jalur dan tingkat harus sesuai keputusan Satgas: "
            "Disiplin (PP 94/2021), Hukuman disiplin ringan."
        ]
    }
    assert Recommendation.objects.filter(terlapor=terlapor).exists() is False

    recommendation = recommend(terlapor, cast["authority_bkn"], track=Track.DISIPLIN, level=Level.RINGAN, **b13)
    assert (recommendation.violation_type.code, recommendation.track, recommendation.level) == (
        "B13",
        Track.DISIPLIN,
        Level.RINGAN,
    )
    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.AWAITING_PPK


# ---------------------------------------------------------------- the page


def url(terlapor: Terlapor) -> str:
    return f"/satgas/perkara/{terlapor.pk}/keputusan/"


def test_satgas_page_records_the_decision_with_csrf(cast, organisations):
    terlapor = b13_case(organisations)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["satgas_sleman"])

    page = client.get(url(terlapor))
    html = page.content.decode()
    assert (page.status_code, "Sutrisno Hadi" in html, "B13" in html) == (200, True, True)
    assert [secret for secret in REPORTER_SECRETS if secret in html] == []

    data = {"track": Track.ETIK, "level": Level.MORAL, "reasoning": "Rapat Satgas: unggahan di akun pribadi."}
    refused = client.post(url(terlapor), data)
    assert (refused.status_code, stored(terlapor)[:2]) == (403, ("", ""))

    token = page.cookies["csrftoken"].value
    response = client.post(url(terlapor), {**data, "csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, url(terlapor))
    assert stored(terlapor)[:3] == (Track.ETIK, Level.MORAL, "Rapat Satgas: unggahan di akun pribadi.")

    after = client.get(url(terlapor)).content.decode()
    assert "Keputusan Satgas dicatat." in after
    assert "Etik (PP 42/2004) · Sanksi moral" in after


def test_satgas_page_shows_refusals_next_to_the_fields(cast, organisations):
    terlapor = b13_case(organisations)
    client = Client()
    client.force_login(cast["satgas_sleman"])
    response = client.post(url(terlapor), {"track": Track.ETIK, "level": Level.BERAT, "reasoning": " "})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reasoning": ["Pertimbangan Satgas wajib diisi."],
    }
    response = client.post(url(terlapor), {"track": Track.ETIK, "level": Level.BERAT, "reasoning": "Rapat."})
    assert response.context["form"].errors == {
        "level": ["Tingkat Hukuman disiplin berat tidak ada pada jalur Etik (PP 42/2004)."],
    }
    assert stored(terlapor) == ("", "", "", None)


def test_satgas_page_is_not_for_others(cast, organisations, make_staff, client):
    from netralitas.enums import Role

    terlapor = b13_case(organisations)
    assert client.get(url(terlapor))["Location"].startswith("/admin/login/")

    client.force_login(cast["ppk_sleman"])  # sees the case, may not decide
    assert client.get(url(terlapor)).status_code == 403
    assert client.post(url(terlapor), {"track": "etik", "level": "moral", "reasoning": "R."}).status_code == 403

    client.force_login(make_staff("satgas.yogya", organisations["pemda_yogya"], Role.SATGAS))  # cannot see it
    assert client.get(url(terlapor)).status_code == 404
    assert client.post(url(terlapor), {"track": "etik", "level": "moral", "reasoning": "R."}).status_code == 404
    assert stored(terlapor) == ("", "", "", None)
