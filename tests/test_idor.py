"""IDOR: staff of organisation A request every URL that takes an id of organisation B's objects.

A is an operator of Pemerintah Kota Yogyakarta; B's objects are a Sleman report taken through
the whole path (verification, register, kajian, forwarding, recommendation). Every URL with an
id answers A with 404 and shows nothing of B; B's rows appear in none of A's changelists,
searches or autocompletes (there is no export yet: an export joins here when it arrives).

test_every_url_with_an_id_is_in_the_matrix fails when a URL that takes an id is added without
joining MATRIX (or EXEMPT, for reference data every staff user may read).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from netralitas.models import (
    Election,
    Membership,
    MembershipEvent,
    Notification,
    OutboxMessage,
    PreventionCheck,
    PreventionItem,
    Region,
    ReminderDelivery,
    SanctionKind,
    ViolationType,
)
from netralitas.security import log_event
from reports import assessment, confidentiality, recommendations, triage
from reports.evidence import store_evidence_file
from reports.models import CaseEvent, ExternalReference, Recommendation, ReportEvent
from reports.staff.actions import CASE_ACTIONS, REPORT_ACTIONS
from sanctions import services as sanctions_services
from sanctions.models import Block, Escalation, SanctionEvent
from taskforce.enums import MonevStatus, SatgasRole
from taskforce.models import Meeting, MonevReport
from tests.conftest import new_staff, the_organisations
from tests.factories import ReportFactory, TerlaporFactory
from tests.factories.taskforce import SatgasFactory, SatgasMemberFactory
from tests.test_evidence import MINIMAL_PDF, jpeg_with_gps

# --- the world: A's report and B's whole case ---------------------------------------------------

B_NAME, B_NIP, B_REPORTER = "Sutrisno Hadi", "197806122005011003", "sleman.pelapor@example.org"
B_LETTER, B_EXTERNAL = "B-777/R/BKN/XI/2024", "SIGAP/SLEMAN/0777"
A_NAME, A_NIP, A_EXTERNAL = "Andi Prasetyo", "198001012005011001", "LAPOR/YOGYA/0001"


def build_world(cast: dict, o: dict) -> dict:
    """A's report and B's whole case, with every object a URL of the matrix takes (files under MEDIA_ROOT)."""
    a_report = ReportFactory(intake_organisation=o["pemda_yogya"], region=Region.objects.get(name="Kota Yogyakarta"))
    TerlaporFactory(report=a_report, name=A_NAME, nip=A_NIP, instansi=o["pemda_yogya"])
    triage.start_verification(a_report, actor=cast["operator_yogya"])
    triage.register_report(a_report, actor=cast["operator_yogya"])
    ExternalReference.objects.create(report=a_report, system="lapor", number=A_EXTERNAL)

    b_report = ReportFactory(
        intake_organisation=o["bawaslu_sleman"],
        region=Region.objects.get(name="Kabupaten Sleman"),
        reporter_email=B_REPORTER,
        violation_type=ViolationType.objects.get(code="B4"),
    )
    b_case = TerlaporFactory(report=b_report, name=B_NAME, nip=B_NIP, instansi=o["pemda_sleman"])
    evidence = store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_gps()), report=b_report)
    officer = cast["bawaslu_sleman"]
    triage.start_verification(b_report, actor=officer)
    triage.register_report(b_report, actor=officer)
    assessment.record_kajian(b_report, actor=officer, result="memenuhi", reasoning="Unsur terpenuhi.")
    assessment.forward_report(b_report, actor=officer)
    b_case.refresh_from_db()
    recommendation = recommendations.issue_recommendation(
        b_case,
        actor=cast["authority_bkn"],
        finding="Terlapor berorasi pada deklarasi pasangan calon.",
        violation_type=ViolationType.objects.get(code="B4"),
        track="disiplin",
        level="berat",
        sanction_kinds=[SanctionKind.objects.get(code="berat-penurunan-jabatan")],
        reasoning="Bukti foto dan saksi.",
        letter_number=B_LETTER,
        letter_date=timezone.localdate(),
    )
    b_case.refresh_from_db()
    today = timezone.localdate()
    decision = sanctions_services.record_decision(
        b_case,
        actor=cast["ppk_sleman"],
        sk_number="800/777/SK/2024",
        sk_date=today,
        sanction_kind=SanctionKind.objects.get(code="berat-penurunan-jabatan"),
        examiner="tim_pemeriksa",
        examination_date=today,
        effective_from=today,
        signed_sk=SimpleUploadedFile("sk.pdf", MINIMAL_PDF),
    )
    block = Block.objects.create(
        terlapor=b_case, blocked_on=today, letter_number="BKN/B/1", letter_date=today, blocked_by=cast["wasdal_bkn"]
    )
    escalation = Escalation.objects.create(
        terlapor=b_case,
        kind="teguran_kemendagri",
        letter_number="KEMENDAGRI/1",
        letter_date=today,
        recorded_by=cast["viewer"],
    )
    b_case.refresh_from_db()
    external = ExternalReference.objects.create(report=b_report, system="sigaplapor", number=B_EXTERNAL)
    outbox = OutboxMessage.objects.create(recipient=B_REPORTER, subject="Laporan diterima", body="…")
    sealed_access = confidentiality.unseal(
        b_report, actor=officer, item="identity", reason="Menghubungi pelapor untuk klarifikasi."
    )
    # The reminder engine: B's officer's notification, Sleman's prevention evidence, the claim log.
    notification = Notification.objects.create(
        user=officer,
        kind="due",
        subject=f"reports.verification:{b_report.pk}",
        due_date=today,
        title=f"Tenggat hari ini: Verifikasi laporan · {b_report.tracking_code}",
        url=f"/admin/reports/report/{b_report.pk}/change/",
    )
    prevention = PreventionCheck(
        organisation=o["pemda_sleman"],
        election=Election.objects.get(name="Pilkada Serentak 2024"),
        item=PreventionItem.objects.get(code="surat-edaran"),
        ticked_by=cast["ppk_sleman"],
    )
    prevention.evidence_file.save("bukti", SimpleUploadedFile("se.pdf", MINIMAL_PDF), save=False)
    prevention.save()
    delivery = ReminderDelivery.objects.create(
        recipient=f"user:{officer.pk}",
        user=officer,
        kind="due",
        subject=notification.subject,
        due_date=today,
        outcome="sent",
    )
    superuser = get_user_model().objects.create_superuser("akar", "akar@example.org", "kata-sandi-akar")
    security_event = log_event("login_failed", username=officer.get_username(), ip="203.0.113.9")
    access_attempt = AccessAttempt.objects.create(
        username=officer.get_username(), ip_address="203.0.113.9", user_agent="", failures_since_start=1,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/admin/login/",
    )  # fmt: skip
    # B's Satgas (of Pemkab Sleman, serving since 2024) with its ketua, a meeting on B's case and a monev.
    satgas = SatgasFactory(organisation=o["pemda_sleman"], period_start=today.replace(month=1, day=1))
    satgas.decree_pdf.save("sk.pdf", ContentFile(MINIMAL_PDF))
    ketua_user = new_staff("ketua.satgas.sleman", o["pemda_sleman"], "satgas")
    ketua = SatgasMemberFactory(
        satgas=satgas, user=ketua_user, role=SatgasRole.KETUA, joined_on=satgas.period_start, name="Harda Kiswaya"
    )
    meeting = Meeting.objects.create(
        satgas=satgas, held_on=today, agenda="Perkara B", conclusions="Menyurati PPK.", recorded_by=ketua_user
    )
    meeting.minutes.save("notulen.pdf", ContentFile(MINIMAL_PDF))
    meeting.cases.add(b_case)
    monev = MonevReport.objects.create(
        satgas=satgas,
        period_start=satgas.period_start,
        period_end=today,
        requested_by=ketua_user,
        status=MonevStatus.DONE,
        figures={"meta": {}, "tables": []},
    )
    monev.pdf.save("monev.pdf", ContentFile(MINIMAL_PDF))
    monev.xlsx.save("monev.xlsx", ContentFile(b"PK\x03\x04"))
    return {
        "a": cast["operator_yogya"],
        "owner": officer,
        "superuser": superuser,
        "a_report": a_report,
        "report": b_report,
        "terlapor": b_case,
        "person": b_case.person,
        "evidence": evidence,
        "reportevent": ReportEvent.objects.filter(report=b_report).first(),
        "caseevent": CaseEvent.objects.filter(terlapor=b_case).first(),
        "recommendation": recommendation,
        "externalreference": external,
        "decision": decision,
        "block": block,
        "escalation": escalation,
        "sanctionevent": SanctionEvent.objects.filter(terlapor=b_case).first(),
        "membership": Membership.objects.get(user=officer),
        "user": officer,
        "outboxmessage": outbox,
        "sealedaccess": sealed_access,
        "membershipevent": MembershipEvent.objects.filter(user=officer).first(),
        "securityevent": security_event,
        "accessattempt": access_attempt,
        "satgas": satgas,
        "satgasmember": ketua,
        "satgas_ketua": ketua_user,
        "meeting": meeting,
        "monev": monev,
        "notification": notification,
        "preventioncheck": prevention,
        "sleman_office": cast["ppk_sleman"],
        "reminderdelivery": delivery,
    }


@pytest.fixture(scope="module")
def module_world(module_rows, module_cast) -> dict | None:
    """The world, built once per module in its shared rows (tests/shared_rows.py)."""
    return module_rows.build("world", lambda: build_world(module_rows.values["cast"], the_organisations()))


@pytest.fixture
def world(module_world, module_rows, module_copies, cast, organisations, settings, tmp_path) -> dict:
    """This test's copy of the module's world, with a copy of its files; built afresh in a transactional test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "world" in module_copies:
        shutil.copytree(module_rows.media_root, settings.MEDIA_ROOT)
        return module_copies["world"]
    return build_world(cast, organisations)


def b_texts(world) -> list[str]:
    """What would betray B's case on a page of A's."""
    return [world["report"].tracking_code, B_NAME, B_NIP, B_REPORTER, B_LETTER, B_EXTERNAL]


# --- the matrix: every URL pattern that takes an id -------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """How to request a pattern with B's object, and whether A must get a strict 404."""

    urls: Callable[[dict], list[tuple[str, str]]]  # world -> [(method, url)]
    owner: str = "owner"  # who may see the object: the positive control
    strict: bool = True  # 404 exactly; False: netralitas/auth admins (302 to the index or 403, nothing shown)
    optional: bool = False  # the pages of an app being built alongside: tested when installed


def _admin_pages(app: str, model: str, *, owner: str = "owner", strict: bool = True) -> dict[str, Probe]:
    base = f"admin/{app}/{model}/<path:object_id>/"

    def page(suffix: str) -> Probe:
        return Probe(lambda w: [("get", f"/admin/{app}/{model}/{w[model].pk}/{suffix}")], owner, strict)

    return {
        base + "change/": Probe(
            lambda w: [
                ("get", f"/admin/{app}/{model}/{w[model].pk}/change/"),
                ("post", f"/admin/{app}/{model}/{w[model].pk}/change/"),
            ],
            owner,
            strict,
        ),
        base + "history/": page("history/"),
        base + "delete/": Probe(
            lambda w: [
                ("get", f"/admin/{app}/{model}/{w[model].pk}/delete/"),
                ("post", f"/admin/{app}/{model}/{w[model].pk}/delete/"),
            ],
            owner,
            strict,
        ),
        base: page(""),  # redirects to change/, which is the 404
    }


def _actions(model: str, names) -> Probe:
    return Probe(
        lambda w: [
            (method, f"/admin/reports/{model}/{w[model].pk}/tindakan/{name}/")
            for name in names
            for method in ("get", "post")
        ]
    )


MATRIX: dict[str, Probe] = {
    **_admin_pages("reports", "report"),
    "admin/reports/report/<path:object_id>/tindakan/<slug:name>/": _actions("report", REPORT_ACTIONS),
    **_admin_pages("reports", "terlapor"),
    "admin/reports/terlapor/<path:object_id>/tindakan/<slug:name>/": _actions("terlapor", CASE_ACTIONS),
    **_admin_pages("reports", "person"),
    **_admin_pages("reports", "recommendation"),
    "admin/reports/recommendation/<path:object_id>/surat/": Probe(
        lambda w: [("get", f"/admin/reports/recommendation/{w['recommendation'].pk}/surat/")]
    ),
    **_admin_pages("reports", "reportevent"),
    **_admin_pages("reports", "caseevent"),
    **_admin_pages("reports", "externalreference"),
    **_admin_pages("sanctions", "decision"),
    **_admin_pages("sanctions", "block"),
    **_admin_pages("sanctions", "escalation"),
    **_admin_pages("sanctions", "sanctionevent"),
    # The PPK/BKN pages (sanctions.views): the case page, its letters and the signed SK, and its forms.
    **{
        f"sanksi/perkara/<int:pk>/{suffix}": Probe(
            lambda w, suffix=suffix: [("get", f"/sanksi/perkara/{w['terlapor'].pk}/{suffix}")]
        )
        for suffix in ("", "rekomendasi.pdf", "draf-sk.pdf", "sk.pdf")
    },
    "sanksi/perkara/<int:pk>/<slug:action>/": Probe(
        lambda w: [
            ("post", f"/sanksi/perkara/{w['terlapor'].pk}/{action}/")
            for action in ("keputusan", "keluar-dinas", "koreksi", "blokir", "buka-blokir", "eskalasi")
        ]
    ),
    "dasbor/perkara/<int:pk>/ringkasan.pdf": Probe(
        lambda w: [("get", f"/dasbor/perkara/{w['terlapor'].pk}/ringkasan.pdf")]
    ),
    "bukti/<int:pk>/salinan/": Probe(lambda w: [("get", f"/bukti/{w['evidence'].pk}/salinan/")]),
    # Opening sealed data (issue 8): the form, and the act itself for the identity and the original file.
    "rahasia/laporan/<int:pk>/buka/": Probe(
        lambda w: [
            ("get", f"/rahasia/laporan/{w['report'].pk}/buka/"),
            ("post", f"/rahasia/laporan/{w['report'].pk}/buka/"),
        ]
    ),
    **_admin_pages("reports", "sealedaccess"),
    # "View on site": our models have no public URL, so it is a 404 for everybody (no positive control).
    "admin/r/<path:content_type_id>/<path:object_id>/": Probe(
        lambda w: [
            ("get", f"/admin/r/{ContentType.objects.get_for_model(w[key]).pk}/{w[key].pk}/")
            for key in ("report", "terlapor", "recommendation")
        ],
        owner="",
    ),
    # The Satgas's decision on a case outside the matrix.
    "satgas/perkara/<int:pk>/keputusan/": Probe(
        lambda w: [
            ("get", f"/satgas/perkara/{w['terlapor'].pk}/keputusan/"),
            ("post", f"/satgas/perkara/{w['terlapor'].pk}/keputusan/"),
        ],
        owner="satgas_ketua",
    ),
    # The Satgas's pages (taskforce): its team, decree, members, meetings, monev, and its view of a report or case.
    **{
        f"satgas/tim/<int:pk>/{suffix}": Probe(
            lambda w, suffix=suffix: [("get", f"/satgas/tim/{w['satgas'].pk}/{suffix}")], owner="satgas_ketua"
        )
        for suffix in ("", "beban/", "anggota/", "anggota.xlsx", "anggota/impor/", "sk.pdf", "rapat/", "monev/")
    },
    "satgas/rapat/<int:pk>/notulen.pdf": Probe(
        lambda w: [("get", f"/satgas/rapat/{w['meeting'].pk}/notulen.pdf")], owner="satgas_ketua"
    ),
    **{
        f"satgas/monev/<int:pk>/{suffix}": Probe(
            lambda w, suffix=suffix: [("get", f"/satgas/monev/{w['monev'].pk}/{suffix}")], owner="satgas_ketua"
        )
        for suffix in ("", "unduh.pdf", "unduh.xlsx")
    },
    "satgas/laporan/<int:pk>/": Probe(lambda w: [("get", f"/satgas/laporan/{w['report'].pk}/")], owner="satgas_ketua"),
    "satgas/perkara/<int:pk>/": Probe(
        lambda w: [("get", f"/satgas/perkara/{w['terlapor'].pk}/")], owner="satgas_ketua"
    ),
    "satgas/laporan/<int:pk>/<slug:action>/": Probe(
        lambda w: [("post", f"/satgas/laporan/{w['report'].pk}/{a}/") for a in ("tugaskan", "giliran", "catatan")]
    ),
    "satgas/perkara/<int:pk>/<slug:action>/": Probe(
        lambda w: [("post", f"/satgas/perkara/{w['terlapor'].pk}/{a}/") for a in ("tugaskan", "giliran", "catatan")]
    ),
    **_admin_pages("taskforce", "satgas", owner="superuser"),
    **_admin_pages("taskforce", "satgasmember", owner="superuser"),
    # netralitas.admin and Django's user admin redirect a missing object to the index (not ours to change).
    **_admin_pages("netralitas", "membership", owner="superuser", strict=False),
    **_admin_pages("netralitas", "outboxmessage", owner="superuser", strict=False),
    **_admin_pages("netralitas", "membershipevent", owner="superuser"),
    **_admin_pages("netralitas", "reminderdelivery", owner="superuser", strict=False),
    # A staff user's notifications (netralitas.notification_views) and an instansi's prevention evidence.
    "kerja/notifikasi/<int:pk>/": Probe(lambda w: [("get", f"/kerja/notifikasi/{w['notification'].pk}/")]),
    "kerja/notifikasi/<int:pk>/dibaca/": Probe(
        lambda w: [("post", f"/kerja/notifikasi/{w['notification'].pk}/dibaca/")]
    ),
    "kerja/pencegahan/<int:pk>/berkas/": Probe(
        lambda w: [("get", f"/kerja/pencegahan/{w['preventioncheck'].pk}/berkas/")], owner="sleman_office"
    ),
    **_admin_pages("auth", "user", owner="superuser", strict=False),
    # The security log and the sign-in locks: administrators only, read-only (netralitas.security).
    **_admin_pages("security", "securityevent", owner="superuser", strict=False),
    **_admin_pages("axes", "accessattempt", owner="superuser", strict=False),
    "admin/auth/user/<id>/password/": Probe(
        lambda w: [("get", f"/admin/auth/user/{w['user'].pk}/password/")], owner="superuser", strict=False
    ),
}

REFERENCE_DATA = ("region", "organisation", "recommendingauthority", "violationtype", "sanctionkind")
REFERENCE_DATA += ("deadlinerule", "holiday", "election", "authoritytransition", "reminderrule", "preventionitem")
# Patterns with a parameter that is not an object of any organisation.
EXEMPT: dict[str, str] = {
    **{
        pattern: "reference data: every staff user reads it (netralitas.selectors._reference_rule)"
        for model in REFERENCE_DATA
        for pattern in _admin_pages("netralitas", model)
    },
    **dict.fromkeys(_admin_pages("auth", "group"), "role groups are shared by every organisation"),
    **dict.fromkeys(_admin_pages("security", "retentionpolicy"), "the retention period: every staff user reads it"),
    "admin/(?P<url>.*)$": "the admin's catch-all (404 or login)",
}


# URL names whose parameter is no object id (the admin's app index takes an app label).
EXEMPT_NAMES = {"app_list": "an app label, not an object"}


def url_patterns_with_ids() -> set[str]:
    """Every URL pattern (with its prefixes) that has a converter or a named group."""

    def walk(patterns, prefix: str) -> Iterator[tuple[str, str | None]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.name

    return {route for route, name in walk(get_resolver().url_patterns, "") if "<" in route and name not in EXEMPT_NAMES}


def test_every_url_with_an_id_is_in_the_matrix():
    found = url_patterns_with_ids()
    unknown = sorted(found - set(MATRIX) - set(EXEMPT))
    assert not unknown, (
        "These URLs take an id but are not in the IDOR matrix of tests/test_idor.py. Add each to MATRIX "
        "(a request as organisation A that must answer 404, and who may see the object), or to EXEMPT "
        "with the reason when the id is not an organisation's data:\n  " + "\n  ".join(unknown)
    )
    optional = {pattern for pattern, probe in MATRIX.items() if probe.optional}
    stale = sorted((set(MATRIX) | set(EXEMPT)) - found - optional)
    assert not stale, "Patterns in the IDOR matrix that no longer exist: " + ", ".join(stale)


def skip_when_not_installed(pattern: str) -> None:
    if MATRIX[pattern].optional and pattern not in url_patterns_with_ids():
        pytest.skip(f"{pattern} is not installed")


def _request(client: Client, method: str, url: str):
    return getattr(client, method)(url, follow=True)


@pytest.mark.parametrize("pattern", sorted(MATRIX))
def test_organisation_a_gets_404_for_every_url_of_bs_objects(world, pattern):
    probe = MATRIX[pattern]
    skip_when_not_installed(pattern)
    a = Client()
    a.force_login(world["a"])
    for method, url in probe.urls(world):
        response = _request(a, method, url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        leaked = [t for t in b_texts(world) if t in text]
        assert leaked == [], f"{method.upper()} {url} shows {leaked}"
        if probe.strict:
            assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
        else:
            # Redirected to the admin index with "does not exist", or refused: never the object's page.
            assert response.status_code in (200, 403, 404), f"{method.upper()} {url}: {response.status_code}"
            if response.status_code == 200:
                assert response.redirect_chain and response.redirect_chain[-1][0] == "/admin/", url


@pytest.mark.parametrize("pattern", sorted(p for p, probe in MATRIX.items() if probe.owner))
def test_the_owner_reaches_the_same_urls(world, pattern):
    """Positive control: the same URLs are real for someone who may see B's objects."""
    probe = MATRIX[pattern]
    skip_when_not_installed(pattern)
    owner = Client()
    owner.force_login(world[probe.owner])
    for method, url in probe.urls(world):
        if method == "post":
            continue  # a POST would act (delete, verify): the GET proves the object is reachable
        response = owner.get(url, follow=True)
        assert response.status_code != 404, url
        assert not (response.redirect_chain and response.redirect_chain[-1][0] == "/admin/"), url


CHANGELISTS = [
    "report",
    "terlapor",
    "person",
    "recommendation",
    "reportevent",
    "caseevent",
    "externalreference",
    "sealedaccess",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_bs_rows_appear_in_no_changelist_or_search_of_a(world, model):
    a = Client()
    a.force_login(world["a"])
    url = f"/admin/reports/{model}/"

    def assert_nothing_of_b(page, echoed: str = "") -> None:
        assert page.status_code == 200
        text = page.content.decode().replace(echoed, "") if echoed else page.content.decode()  # the search box
        assert [t for t in b_texts(world) if t in text] == [], page.request["QUERY_STRING"]

    assert_nothing_of_b(a.get(url))
    for term in b_texts(world):
        page = a.get(url, {"q": term})
        assert_nothing_of_b(page, echoed=term)
        assert list(page.context["cl"].result_list) == [], term
    if model in ("report", "terlapor", "person"):
        page = a.get(url, {"instansi": world["terlapor"].instansi_id})
        assert_nothing_of_b(page)
        assert list(page.context["cl"].result_list) == []


def test_as_own_rows_do_appear_to_a(world):
    """The leak tests above are not passing on empty pages."""
    a = Client()
    a.force_login(world["a"])
    code = world["a_report"].tracking_code
    assert code in a.get("/admin/reports/report/").content.decode()
    assert A_NAME in a.get("/admin/reports/terlapor/", {"q": A_NIP}).content.decode()
    assert A_NAME in a.get("/admin/reports/person/").content.decode()
    assert A_EXTERNAL in a.get("/admin/reports/externalreference/").content.decode()


def test_autocomplete_never_offers_bs_report(world):
    a = Client()
    a.force_login(world["a"])
    url = "/admin/autocomplete/"
    params = {"app_label": "reports", "model_name": "externalreference", "field_name": "report"}

    everything = a.get(url, params).json()["results"]
    by_code = a.get(url, {**params, "term": world["report"].tracking_code}).json()["results"]
    by_name = a.get(url, {**params, "term": B_NAME}).json()["results"]
    own = a.get(url, {**params, "term": world["a_report"].tracking_code}).json()["results"]

    assert [r["text"] for r in everything] == [world["a_report"].tracking_code]
    assert by_code == [] and by_name == []
    assert own == [{"id": str(world["a_report"].pk), "text": world["a_report"].tracking_code}]


def test_a_cannot_attach_a_number_or_a_link_to_bs_report(world):
    a = Client()
    a.force_login(world["a"])

    added = a.post(
        "/admin/reports/externalreference/add/", {"report": world["report"].pk, "system": "lapor", "number": "X-1"}
    )
    linked = a.post(f"/admin/reports/report/{world['a_report'].pk}/tindakan/tautkan/", {"other": world["report"].pk})

    assert added.status_code == 200 and "report" in added.context["adminform"].form.errors
    assert not ExternalReference.objects.filter(number="X-1").exists()
    assert linked.status_code == 200 and "other" in linked.context["form"].errors
    assert list(world["a_report"].linked_reports.all()) == []


def test_person_page_lists_only_the_cases_a_may_see(world, organisations):
    """One ASN in two reports: A sees the register entry through its own case, never B's case."""
    shared = world["person"]
    yogya_case = TerlaporFactory(
        report=ReportFactory(
            intake_organisation=organisations["pemda_yogya"], region=Region.objects.get(name="Kota Yogyakarta")
        ),
        name=B_NAME,
        nip=B_NIP,
        instansi=organisations["pemda_sleman"],
        person=shared,
    )
    a = Client()
    a.force_login(world["a"])

    page = a.get(f"/admin/reports/person/{shared.pk}/change/")

    assert page.status_code == 200
    cases = page.context["inline_admin_formsets"][0].formset.queryset
    assert list(cases) == [yogya_case]
    assert world["report"].tracking_code not in page.content.decode()
    assert Recommendation.objects.filter(terlapor__person=shared).count() == 1  # B's, and it stays hidden
    assert B_LETTER not in page.content.decode()
