"""The confidentiality matrix (issue 8): every role × every URL that renders case data × a seeded set of reports.

Rule 1 (reports.confidentiality): the reporter's identity, the witnesses and the original
evidence may be opened only by a verifier of an intake organisation independent of every
terlapor's instansi, never by the administrator, nobody for an anonymous report, and only
through the logged unsealing. So every planted value (reporter name, NIK, phone, e-mail,
address, witness name and phone, EXIF Artist/Make, XMP, IPTC, PDF Author/Creator/XMP) must be
absent from every response except the unsealing POST of an allowed (role, report), where it
must be present (the positive control). The same pass counts cross-instansi reads: a response
that shows another instansi's ASN to an instansi's staff, or opens an object of that ASN's case.

test_every_url_is_in_the_matrix fails when a URL is added to the URLconf without joining
MATRIX (or EXEMPT, with the reason it renders no case data). The world is built once per
module (and per xdist worker) inside a transaction rolled back at the end.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pikepdf
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from devdata.demo import DEMO_ACCOUNTS, create_demo_accounts
from netralitas import refcache
from netralitas.enums import OrganisationKind, PeriodPhase, Role
from netralitas.models import (
    Election,
    Membership,
    MembershipEvent,
    Notification,
    Organisation,
    OutboxMessage,
    Region,
    SanctionKind,
    ViolationType,
)
from netralitas.services import set_membership
from reports import assessment, confidentiality, recommendations, relay, triage
from reports.enums import Confidentiality, ReportKind
from reports.evidence import store_evidence_file
from reports.models import CaseEvent, ExternalReference, Report, ReportEvent, SealedAccess
from reports.services import ReporterIdentity, TerlaporEntry, submit_report
from reports.staff.actions import CASE_ACTIONS, REPORT_ACTIONS
from sanctions import services as sanctions_services
from sanctions.models import Block, Escalation, SanctionEvent
from tests.conftest import ensure_reference_data
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import MP4
from tests.test_whistleblower import (
    QUIET_DAY,
    SLEMAN_NAME,
    SLEMAN_NIP,
    YOGYA_NAME,
    YOGYA_NIP,
    jpeg_with_reporter_metadata,
    pdf_with_reporter_metadata,
)

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-matriks-123"
SUPERUSER, ANONYMOUS, OTHER_PEMDA = "akar", "anonim", "operator.yogya"
ROLES = [account.username for account in DEMO_ACCOUNTS] + [OTHER_PEMDA, SUPERUSER, ANONYMOUS]
# Rule 1, written out: who may open which report's sealed data (E: election, received by Bawaslu Sleman;
# Q: outside an election, routed to BKN; A: anonymous; L: held by the terlapor's own pemda).
ALLOWED = {("bawaslu.sleman", "E"), ("satgas.bkn", "Q")}
INSTANSI_ROLES = {"operator.sleman": "sleman", "satgas.sleman": "sleman", "ppk.sleman": "sleman", OTHER_PEMDA: "yogya"}
LETTERS = {"sleman": "B-1/R/BKN/2024", "yogya": "B-2/R/BKN/2024"}
SKS = {"sleman": "800/SLEMAN/SK/2024", "yogya": "800/YOGYA/SK/2024"}
ASN = {"sleman": [SLEMAN_NAME, SLEMAN_NIP, LETTERS["sleman"], SKS["sleman"]]}
ASN["yogya"] = [YOGYA_NAME, YOGYA_NIP, LETTERS["yogya"], SKS["yogya"]]


def identity_of(tag: str) -> dict[str, str]:
    """The reporter's planted identity and witnesses on report ``tag``: distinct per report."""
    digit = "EQAL".index(tag) + 1
    return {
        "name": f"Sri Wahyuni {tag}{tag}",
        "nik": f"340401410788000{digit}",
        "phone": f"+62813987654{digit}{digit}",
        "email": f"sri.{tag.lower()}@contoh.example",
        "address": f"Jl. Melati {tag}{tag} No. {digit}7",
        "witness_name": f"Hendra Kurniawan {tag}{tag}",
        "witness_phone": f"0813 1122 33{digit}{digit}",
    }


def photo_values(tag: str) -> list[str]:
    return [f"Artis-{tag}-88", f"Kamera-{tag}-88", f"XMP-{tag}-88", f"IPTC-{tag}-88"]


def pdf_values(tag: str) -> list[str]:
    return [f"Penulis-{tag}-88", f"Pembuat-{tag}-88", f"XMPPDF-{tag}-88"]


def photo_of(tag: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", jpeg_with_reporter_metadata(*photo_values(tag)))


def pdf_of(tag: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("surat.pdf", pdf_with_reporter_metadata(*pdf_values(tag)))


# --- the world -----------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    cases: dict[str, object] = field(default_factory=dict)  # "sleman", "yogya" (the shared report), "Q", "A", "L"
    files: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # evidence pk -> (report tag, values)
    objects: dict[str, object] = field(default_factory=dict)

    def sealed(self, tag: str) -> list[str]:
        """Every planted value of report ``tag``: identity, witnesses, and its files' metadata."""
        identity = [v for k, v in identity_of(tag).items() if tag != "A" or k.startswith("witness")]
        return identity + [v for report_tag, values in self.files.values() if report_tag == tag for v in values]


def _reporter_fields(tag: str) -> dict:
    values = identity_of(tag)
    return {
        "reporter_name": values["name"],
        "reporter_nik": values["nik"],
        "reporter_phone": values["phone"],
        "reporter_email": values["email"],
        "reporter_address": values["address"],
        "witnesses": f"{values['witness_name']}, {values['witness_phone']}",
    }


def _store(world: World, tag: str, upload, values: list[str], report: Report) -> None:
    evidence = store_evidence_file(upload, report=report)
    world.files[str(evidence.pk)] = (tag, values)


def build_world() -> World:
    world = World()
    org = {
        "sleman": Organisation.objects.get(kind=OrganisationKind.PEMDA_KABUPATEN, region__name="Kabupaten Sleman"),
        "yogya": Organisation.objects.get(kind=OrganisationKind.PEMDA_KOTA, region__name="Kota Yogyakarta"),
        "bawaslu": Organisation.objects.get(kind=OrganisationKind.BAWASLU_KABKOTA, region__name="Kabupaten Sleman"),
    }
    User = get_user_model()
    create_demo_accounts(password=PASSWORD)
    world.users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    for username, role in ((OTHER_PEMDA, Role.OPERATOR), ("ppk.yogya", Role.PPK)):
        user = User.objects.create_user(username, f"{username}@demo.netralitas.local", PASSWORD)
        set_membership(user, org["yogya"], role)
        world.users[username] = user
    world.users[SUPERUSER] = User.objects.create_superuser(SUPERUSER, "akar@contoh.example", PASSWORD)
    u = world.users
    sleman_region = Region.objects.get(name="Kabupaten Sleman")

    # E: during Pilkada 2024, received by Bawaslu Sleman; a Sleman and a Yogyakarta ASN, both to PPK decisions.
    report = ReportFactory(
        intake_organisation=org["bawaslu"],
        region=sleman_region,
        election=Election.objects.get(name="Pilkada Serentak 2024"),
        period_phase=PeriodPhase.KAMPANYE,
        violation_type=ViolationType.objects.get(code="B4"),
        place="Balai Desa Caturtunggal",
        description="Terlapor berorasi pada deklarasi pasangan calon.",
        **_reporter_fields("E"),
    )
    world.reports["E"] = report
    world.cases["sleman"] = TerlaporFactory(report=report, name=SLEMAN_NAME, nip=SLEMAN_NIP, instansi=org["sleman"])
    world.cases["yogya"] = TerlaporFactory(report=report, name=YOGYA_NAME, nip=YOGYA_NIP, instansi=org["yogya"])
    _store(world, "E", photo_of("E"), photo_values("E"), report)
    _store(world, "E", pdf_of("E"), pdf_values("E"), report)
    _store(world, "E", SimpleUploadedFile("video.mp4", MP4), [], report)
    officer = u["bawaslu.sleman"]
    triage.start_verification(report, actor=officer)
    triage.register_report(report, actor=officer)
    assessment.record_kajian(report, actor=officer, result="memenuhi", reasoning="Unsur terpenuhi.")
    assessment.forward_report(report, actor=officer)
    kind = SanctionKind.objects.get(code="berat-penurunan-jabatan")
    today = timezone.localdate()
    for key, ppk in (("sleman", "ppk.sleman"), ("yogya", "ppk.yogya")):
        case = world.cases[key]
        case.refresh_from_db()
        recommendations.issue_recommendation(
            case,
            actor=u["rekomendasi.bkn"],
            finding="Terlapor berorasi pada deklarasi pasangan calon.",
            violation_type=ViolationType.objects.get(code="B4"),
            track="disiplin",
            level="berat",
            sanction_kinds=[kind],
            reasoning="Bukti foto dan keterangan.",
            letter_number=LETTERS[key],
            letter_date=today,
        )
        case.refresh_from_db()
        sanctions_services.record_decision(
            case,
            actor=u[ppk],
            sk_number=SKS[key],
            sk_date=today,
            sanction_kind=kind,
            examiner="tim_pemeriksa",
            examination_date=today,
            effective_from=today,
            signed_sk=SimpleUploadedFile("sk.pdf", pdf_with_reporter_metadata(f"PPK-{key}", "Pemindai", "SK")),
        )
        case.refresh_from_db()
    sleman_case = world.cases["sleman"]
    world.objects["block"] = Block.objects.create(
        terlapor=sleman_case, blocked_on=today, letter_number="BKN/B/1", letter_date=today, blocked_by=u["wasdal.bkn"]
    )
    world.objects["escalation"] = Escalation.objects.create(
        terlapor=sleman_case,
        kind="teguran_kemendagri",
        letter_number="KEMENDAGRI/1",
        letter_date=today,
        recorded_by=u["pemantau.kemendagri"],
    )
    # Each pemda's operator has a reminder in the portal naming its own ASN (what the reminder engine writes).
    world.objects["notification"] = [
        Notification.objects.create(
            user=u[username],
            kind="due",
            subject=f"sanctions.ppk_follow_up:{world.cases[key].pk}",
            due_date=today,
            title=f"{ASN[key][0]} · {LETTERS[key]}",
            url=f"/sanksi/perkara/{world.cases[key].pk}/",
        )
        for username, key in (("operator.sleman", "sleman"), (OTHER_PEMDA, "yogya"))
    ]
    question = relay.ask_reporter(report, actor=u["rekomendasi.bkn"], question="Jam berapa deklarasi dimulai?")
    relay.answer_question(report, question.pk, answer="Sekitar pukul sembilan pagi.")
    world.objects["externalreference"] = ExternalReference.objects.create(
        report=report, system="sigaplapor", number="SIGAP/SLEMAN/0888"
    )
    world.objects["sealedaccess"] = confidentiality.unseal(
        report, actor=officer, item="identity", reason="Menghubungi pelapor untuk klarifikasi."
    )

    # Q: outside any election, through the public intake: routed to BKN, verified by its national Satgas.
    values = identity_of("Q")
    with time_machine.travel(QUIET_DAY, tick=True):
        quiet, _pin = submit_report(
            confidentiality=Confidentiality.CONFIDENTIAL,
            reporter=ReporterIdentity(
                name=values["name"],
                nik=values["nik"],
                address=values["address"],
                phone=values["phone"],
                email=values["email"],
            ),
            consent=True,
            terlapor=[TerlaporEntry(name=SLEMAN_NAME, nip=SLEMAN_NIP, instansi=org["sleman"], employee_status="pns")],
            incident_date=date(2026, 3, 9),
            learned_date=date(2026, 3, 9),
            region=sleman_region,
            place="Kantor Kecamatan Depok",
            description="Terlapor membagikan materi kampanye di grup kantor.",
            witnesses=f"{values['witness_name']}, {values['witness_phone']}",
            files=[photo_of("Q")],
        )
    assert quiet.intake_organisation.kind == OrganisationKind.BKN
    world.files.update({str(e.pk): ("Q", photo_values("Q")) for e in quiet.evidence.all()})
    triage.start_verification(quiet, actor=u["satgas.bkn"])
    world.reports["Q"] = quiet
    world.cases["Q"] = quiet.terlapor.get()

    # A: anonymous, during the election, received by Bawaslu Sleman; witnesses and a photo all the same.
    anonymous = ReportFactory(
        intake_organisation=org["bawaslu"],
        region=sleman_region,
        kind=ReportKind.INFORMASI,
        confidentiality=Confidentiality.ANONYMOUS,
        reporter_name="",
        reporter_nik="",
        reporter_email="",
        **{k: v for k, v in _reporter_fields("A").items() if k == "witnesses"},
    )
    world.reports["A"] = anonymous
    world.cases["A"] = TerlaporFactory(report=anonymous, name=SLEMAN_NAME, nip=SLEMAN_NIP, instansi=org["sleman"])
    _store(world, "A", photo_of("A"), photo_values("A"), anonymous)

    # L: routed the old way, to the terlapor's own pemda: whoever holds it, nobody there may open it.
    legacy = ReportFactory(intake_organisation=org["sleman"], region=sleman_region, **_reporter_fields("L"))
    world.reports["L"] = legacy
    world.cases["L"] = TerlaporFactory(report=legacy, name=SLEMAN_NAME, nip=SLEMAN_NIP, instansi=org["sleman"])
    _store(world, "L", pdf_of("L"), pdf_values("L"), legacy)

    # Issue 13: the demo Satgas of Sleman (satgas.sleman its ketua), a note and a meeting on the Sleman case, a monev.
    from django.core.files.base import ContentFile

    from devdata.demo import create_demo_satgas
    from taskforce.enums import MonevStatus
    from taskforce.models import Meeting, MonevReport, MonitoringNote, Satgas

    create_demo_satgas(password=PASSWORD)
    satgas = Satgas.objects.get(organisation=org["sleman"])
    ketua = u["satgas.sleman"]
    note = MonitoringNote.objects.create(satgas=satgas, author=ketua, text="PPK belum menjatuhkan sanksi.")
    note.cases.add(sleman_case)
    meeting = Meeting.objects.create(
        satgas=satgas, held_on=today, agenda="Perkara Sleman", conclusions="Menyurati PPK.", recorded_by=ketua
    )
    meeting.minutes.save("notulen.pdf", ContentFile(pdf_with_reporter_metadata("Notulis", "Pemindai", "Rapat")))
    meeting.cases.add(sleman_case)
    monev = MonevReport.objects.create(
        satgas=satgas,
        period_start=satgas.period_start,
        period_end=today,
        requested_by=ketua,
        status=MonevStatus.DONE,
        figures={"meta": {}, "tables": []},
    )
    monev.pdf.save("monev.pdf", ContentFile(pdf_with_reporter_metadata("Monev", "Pemindai", "Monev")))
    monev.xlsx.save("monev.xlsx", ContentFile(b"PK\x03\x04"))
    world.objects.update({"satgas": satgas, "meeting": meeting, "monev": monev})

    yogya_case = world.cases["yogya"]
    world.objects.update(
        {
            "person": [sleman_case.person, yogya_case.person],
            "recommendation": [sleman_case.recommendation, yogya_case.recommendation],
            "decision": [sleman_case.decision, yogya_case.decision],
            "caseevent": [CaseEvent.objects.filter(terlapor=c).first() for c in (sleman_case, yogya_case)],
            "reportevent": [ReportEvent.objects.filter(report=r).first() for r in (report, quiet)],
            "sanctionevent": SanctionEvent.objects.filter(terlapor=yogya_case).first(),
            "outboxmessage": [
                OutboxMessage.objects.filter(to_reporter=True).first(),
                OutboxMessage.objects.filter(to_reporter=False).first(),
            ],
            "membership": Membership.objects.get(user=officer),
            "membershipevent": MembershipEvent.objects.filter(user=officer).first(),
            "user": officer,
        }
    )
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=fast, NETRALITAS_REFERENCE_CACHE_SECONDS=0),
    ):
        refcache.clear()
        with transaction.atomic():
            ensure_reference_data()  # gone when a transactional test ran before on this worker (--dist loadscope)
            yield build_world()
            transaction.set_rollback(True)
        refcache.clear()


# --- the matrix: every URL pattern -> the requests that exercise it ------------------------------------------


@dataclass(frozen=True)
class Req:
    method: str
    url: str
    data: dict | None = None
    opens: tuple[str, str] | None = None  # (report tag, "identity" or an evidence pk): an unsealing POST
    case: str = ""  # the instansi ("sleman"/"yogya") whose ASN's case object this URL opens
    echo: str = ""  # a search term the page echoes back (stripped before looking for leaks)
    no_results: bool = False  # a search by a sealed value: nothing may be found
    finds: str = ""  # a search by this instansi's ASN: a result, for another instansi's staff, is a read


Probe = Callable[[World], list[Req]]


def _objects(key: str) -> Callable[[World], list]:
    def get(w: World) -> list:
        value = w.objects[key]
        return value if isinstance(value, list) else [value]

    return get


def _case_key(w: World, obj) -> str:
    terlapor_id = getattr(obj, "terlapor_id", None)
    for key in ("sleman", "yogya"):
        case = w.cases[key]
        if terlapor_id == case.pk or getattr(obj, "pk", None) == case.person_id and obj.__class__.__name__ == "Person":
            return key
    return ""


def _admin_model(app: str, model: str, objects: Callable[[World], list], searches=()) -> dict[str, Probe]:
    base = f"admin/{app}/{model}/"

    def pages(suffix: str, first_only: bool = False) -> Probe:
        def probe(w: World) -> list[Req]:
            found = objects(w)[:1] if first_only else objects(w)
            return [Req("get", f"/{base}{o.pk}/{suffix}", case=_case_key(w, o)) for o in found]

        return probe

    def changelist(w: World) -> list[Req]:
        requests = [Req("get", f"/{base}")]
        for term in searches:
            value = term(w)
            requests.append(Req("get", f"/{base}?q={value}", echo=value, no_results=True))
        if model in ("report", "terlapor", "recommendation", "decision"):
            for key, (name, nip) in {"sleman": (SLEMAN_NAME, SLEMAN_NIP), "yogya": (YOGYA_NAME, YOGYA_NIP)}.items():
                term = nip if model == "report" else name
                requests.append(Req("get", f"/{base}?q={term}", echo=term, finds=key))
        return requests

    return {
        base: changelist,
        base + "add/": lambda w: [Req("get", f"/{base}add/")],
        base + "<path:object_id>/change/": pages("change/"),
        base + "<path:object_id>/history/": pages("history/", first_only=True),
        base + "<path:object_id>/delete/": pages("delete/", first_only=True),
        base + "<path:object_id>/": pages("", first_only=True),
    }


def _by_reporter(field_name: str) -> Callable[[World], str]:
    return lambda w: identity_of("E")[field_name]


def _reports(w: World) -> list:
    return list(w.reports.values())


def _cases(w: World) -> list:
    return [w.cases[key] for key in ("sleman", "yogya", "Q", "A", "L")]


def _unseal(w: World) -> list[Req]:
    requests = []
    for tag, report in w.reports.items():
        url = f"/rahasia/laporan/{report.pk}/buka/"
        requests.append(Req("get", url))
        reason = "Memeriksa data untuk verifikasi laporan."
        requests.append(Req("post", url, {"item": "identitas", "reason": reason}, opens=(tag, "identity")))
        for pk, (file_tag, _values) in w.files.items():
            if file_tag == tag:
                requests.append(Req("post", url, {"item": f"bukti-{pk}", "reason": reason}, opens=(tag, pk)))
    return requests


def _sanksi(suffix: str) -> Probe:
    return lambda w: [Req("get", f"/sanksi/perkara/{w.cases[k].pk}/{suffix}", case=k) for k in ("sleman", "yogya")]


MATRIX: dict[str, Probe] = {
    **_admin_model("reports", "report", _reports, searches=[_by_reporter("name"), _by_reporter("nik")]),
    **_admin_model("reports", "terlapor", _cases),
    **_admin_model("reports", "person", _objects("person")),
    **_admin_model("reports", "recommendation", _objects("recommendation")),
    **_admin_model("reports", "reportevent", _objects("reportevent")),
    **_admin_model("reports", "caseevent", _objects("caseevent")),
    **_admin_model("reports", "externalreference", _objects("externalreference")),
    **_admin_model("reports", "sealedaccess", _objects("sealedaccess")),
    **_admin_model("sanctions", "decision", _objects("decision")),
    **_admin_model("sanctions", "block", _objects("block")),
    **_admin_model("sanctions", "escalation", _objects("escalation")),
    **_admin_model("sanctions", "sanctionevent", _objects("sanctionevent")),
    **_admin_model("netralitas", "outboxmessage", _objects("outboxmessage"), searches=[_by_reporter("email")]),
    **_admin_model("netralitas", "membership", _objects("membership")),
    **_admin_model("netralitas", "membershipevent", _objects("membershipevent")),
    **_admin_model("auth", "user", _objects("user")),
    "admin/auth/user/<id>/password/": lambda w: [Req("get", f"/admin/auth/user/{w.objects['user'].pk}/password/")],
    "admin/reports/report/<path:object_id>/tindakan/<slug:name>/": lambda w: [
        Req("get", f"/admin/reports/report/{w.reports[tag].pk}/tindakan/{name}/")
        for tag in ("E", "Q")
        for name in REPORT_ACTIONS
    ],
    "admin/reports/terlapor/<path:object_id>/tindakan/<slug:name>/": lambda w: [
        Req("get", f"/admin/reports/terlapor/{w.cases[key].pk}/tindakan/{name}/", case=key)
        for key in ("sleman", "yogya")
        for name in CASE_ACTIONS
    ],
    "admin/reports/recommendation/<path:object_id>/surat/": lambda w: [
        Req("get", f"/admin/reports/recommendation/{w.cases[k].recommendation.pk}/surat/", case=k)
        for k in ("sleman", "yogya")
    ],
    "admin/r/<path:content_type_id>/<path:object_id>/": lambda w: [
        Req("get", f"/admin/r/{ContentType.objects.get_for_model(Report).pk}/{w.reports['E'].pk}/")
    ],
    "admin/": lambda w: [Req("get", "/admin/")],
    "admin/^(?P<app_label>auth|netralitas|security|axes|reports|taskforce|sanctions)/$": lambda w: [
        Req("get", f"/admin/{app}/")
        for app in ("auth", "netralitas", "security", "axes", "reports", "taskforce", "sanctions")
    ],
    **_admin_model("taskforce", "satgas", _objects("satgas")),
    "admin/autocomplete/": lambda w: [
        Req(
            "get",
            "/admin/autocomplete/?app_label=reports&model_name=externalreference&field_name=report&term=" + term,
            echo=term,
            no_results=no_results,
            finds=finds,
        )
        for term, no_results, finds in (
            ("", False, ""),
            (w.reports["E"].tracking_code, False, ""),
            (identity_of("E")["name"], True, ""),
            (YOGYA_NAME, False, "yogya"),
            (SLEMAN_NAME, False, "sleman"),
        )
    ],
    "sanksi/": lambda w: [Req("get", "/sanksi/")],
    "sanksi/pemblokiran/": lambda w: [Req("get", "/sanksi/pemblokiran/")],
    **{f"sanksi/perkara/<int:pk>/{s}": _sanksi(s) for s in ("", "rekomendasi.pdf", "draf-sk.pdf", "sk.pdf")},
    "sanksi/perkara/<int:pk>/<slug:action>/": lambda w: [
        Req("post", f"/sanksi/perkara/{w.cases[k].pk}/keputusan/", {}, case=k) for k in ("sleman", "yogya")
    ],
    "satgas/perkara/<int:pk>/keputusan/": lambda w: [
        Req("get", f"/satgas/perkara/{w.cases[k].pk}/keputusan/", case=k if k in ("sleman", "yogya") else "")
        for k in ("sleman", "yogya", "Q")
    ],
    **{
        f"satgas/tim/<int:pk>/{suffix}": (
            lambda w, suffix=suffix: [Req("get", f"/satgas/tim/{w.objects['satgas'].pk}/{suffix}")]
        )
        for suffix in ("", "beban/", "anggota/", "anggota.xlsx", "anggota/impor/", "sk.pdf", "rapat/", "monev/")
    },
    "satgas/rapat/<int:pk>/notulen.pdf": lambda w: [Req("get", f"/satgas/rapat/{w.objects['meeting'].pk}/notulen.pdf")],
    **{
        f"satgas/monev/<int:pk>/{suffix}": (
            lambda w, suffix=suffix: [Req("get", f"/satgas/monev/{w.objects['monev'].pk}/{suffix}")]
        )
        for suffix in ("", "unduh.pdf", "unduh.xlsx")
    },
    "satgas/laporan/<int:pk>/": lambda w: [Req("get", f"/satgas/laporan/{w.reports[t].pk}/") for t in ("E", "Q", "L")],
    "satgas/perkara/<int:pk>/": lambda w: [
        Req("get", f"/satgas/perkara/{w.cases[k].pk}/", case=k) for k in ("sleman", "yogya")
    ],
    "satgas/laporan/<int:pk>/<slug:action>/": lambda w: [
        Req("post", f"/satgas/laporan/{w.reports['E'].pk}/{a}/", {}) for a in ("tugaskan", "giliran", "catatan")
    ],
    "satgas/perkara/<int:pk>/<slug:action>/": lambda w: [
        Req("post", f"/satgas/perkara/{w.cases[k].pk}/{a}/", {}, case=k)
        for k in ("sleman", "yogya")
        for a in ("tugaskan", "giliran", "catatan")
    ],
    "kerja/notifikasi/": lambda w: [Req("get", "/kerja/notifikasi/")],
    "kerja/notifikasi/pengaturan/": lambda w: [Req("get", "/kerja/notifikasi/pengaturan/")],
    "kerja/notifikasi/<int:pk>/": lambda w: [
        Req("get", f"/kerja/notifikasi/{n.pk}/", case=key)
        for n, key in zip(w.objects["notification"], ("sleman", "yogya"), strict=True)
    ],
    "kerja/notifikasi/<int:pk>/dibaca/": lambda w: [
        Req("post", f"/kerja/notifikasi/{n.pk}/dibaca/", {}, case=key)
        for n, key in zip(w.objects["notification"], ("sleman", "yogya"), strict=True)
    ],
    "kerja/notifikasi/dibaca-semua/": lambda w: [Req("post", "/kerja/notifikasi/dibaca-semua/", {})],
    "dasbor/": lambda w: [Req("get", "/dasbor/")],
    "kerja/": lambda w: [Req("get", "/kerja/")],
    "satgas/": lambda w: [Req("get", "/satgas/")],
    "dasbor/instansi.csv": lambda w: [Req("get", "/dasbor/instansi.csv")],
    "dasbor/perkara.csv": lambda w: [Req("get", "/dasbor/perkara.csv")],
    "dasbor/perkara.xlsx": lambda w: [Req("get", "/dasbor/perkara.xlsx")],
    "dasbor/dasbor.pdf": lambda w: [Req("get", "/dasbor/dasbor.pdf")],
    "dasbor/perkara/<int:pk>/ringkasan.pdf": lambda w: [
        Req("get", f"/dasbor/perkara/{w.cases[k].pk}/ringkasan.pdf", case=k) for k in ("sleman", "yogya")
    ],
    "statistik/": lambda w: [Req("get", "/statistik/")],
    "statistik/statistik.csv": lambda w: [Req("get", "/statistik/statistik.csv")],
    "statistik/statistik.xlsx": lambda w: [Req("get", "/statistik/statistik.xlsx")],
    "bukti/<int:pk>/salinan/": lambda w: [Req("get", f"/bukti/{pk}/salinan/") for pk in w.files],
    "rahasia/laporan/<int:pk>/buka/": _unseal,
    "status/": lambda w: [Req("get", "/status/")],
    "status/laporan/": lambda w: [Req("get", "/status/laporan/")],
    "status/laporan/lengkapi/": lambda w: [Req("post", "/status/laporan/lengkapi/", {})],
    "status/laporan/cabut/": lambda w: [Req("post", "/status/laporan/cabut/", {})],
    "status/laporan/jawab/": lambda w: [Req("post", "/status/laporan/jawab/", {"question": "1", "jawaban": "x"})],
    "status/keluar/": lambda w: [Req("post", "/status/keluar/", {})],
    "lapor/tanda-terima/": lambda w: [Req("get", "/lapor/tanda-terima/")],
    "lapor/tanda-terima.pdf": lambda w: [Req("get", "/lapor/tanda-terima.pdf")],
    "lapor/tanda-terima/selesai/": lambda w: [Req("post", "/lapor/tanda-terima/selesai/", {})],
}

REFERENCE_MODELS = ("region", "organisation", "recommendingauthority", "violationtype", "sanctionkind")
REFERENCE_MODELS += ("deadlinerule", "holiday", "election", "authoritytransition")
REFERENCE_MODELS += ("reminderrule", "preventionitem")
EXEMPT: dict[str, str] = {
    **{
        pattern: "reference data, the same for every organisation: no case in it"
        for model in REFERENCE_MODELS
        for pattern in _admin_model("netralitas", model, lambda w: [])
    },
    **dict.fromkeys(_admin_model("auth", "group", lambda w: []), "role groups: permissions, no case"),
    **dict.fromkeys(
        _admin_model("taskforce", "satgasmember", lambda w: []), "the members of a Satgas decree: no case in it"
    ),
    **dict.fromkeys(
        _admin_model("security", "securityevent", lambda w: []),
        "the security log: acts and ids only, identities masked (netralitas.security); tests/test_security_log.py",
    ),
    **dict.fromkeys(_admin_model("security", "retentionpolicy", lambda w: []), "the retention period: no case"),
    **dict.fromkeys(_admin_model("axes", "accessattempt", lambda w: []), "sign-in attempts: no case"),
    **dict.fromkeys(
        _admin_model("netralitas", "reminderdelivery", lambda w: []),
        "claims of reminder messages: recipient as user:<id> or a fingerprint of an e-mail, subject as step:<id>",
    ),
    "kerja/pencegahan/": "the instansi's own prevention checklist: no case in it (tests/test_prevention.py)",
    "kerja/pencegahan/<int:pk>/berkas/": "prevention evidence: no case; scoped in tests/test_prevention.py",
    "masuk/kode/": "the second factor's code form",
    "masuk/aktifkan/": "enrolling the second factor",
    "masuk/kode-cadangan/": "the user's own backup codes",
    "masuk/konfirmasi/": "re-authentication before an act",
    "": "the landing page: public text and aggregates only",
    "healthz": "a health check",
    "i18n/setlang/": "the language switch",
    "lapor/": "the empty public form (what a citizen types comes back only to that citizen)",
    "lapor/cari/instansi/": "the form's instansi search: reference data",
    "lapor/cari/kabkota/": "the form's kab/kota search: reference data",
    "admin/login/": "the login form",
    "admin/logout/": "logging out",
    "admin/password_change/": "the user's own password form",
    "admin/password_change/done/": "a confirmation",
    "admin/jsi18n/": "the admin's JavaScript translations",
    "admin/(?P<url>.*)$": "the admin's catch-all (404 or login)",
}


def url_patterns() -> set[str]:
    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return set(walk(get_resolver().url_patterns, ""))


def test_every_url_is_in_the_matrix():
    found = url_patterns()
    unknown = sorted(found - set(MATRIX) - set(EXEMPT))
    assert not unknown, (
        "These URLs are not in the confidentiality matrix of tests/test_confidentiality_matrix.py. Add each "
        "to MATRIX (the requests that render its case data) or to EXEMPT with the reason it renders none:\n  "
        + "\n  ".join(unknown)
    )
    stale = sorted((set(MATRIX) | set(EXEMPT)) - found)
    assert not stale, "Patterns in the matrix that no longer exist: " + ", ".join(stale)


# --- looking at what came back ---------------------------------------------------------------------------------


def readable(response) -> bytes:
    """The body as bytes, a PDF's compressed streams and document info (an XLSX's parts) inflated: searchable."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"%PDF"):
        try:
            with pikepdf.open(io.BytesIO(body)) as pdf:
                parts = [body, repr(dict(pdf.docinfo)).encode()]
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream):
                        try:
                            parts.append(obj.read_bytes())
                        except pikepdf.PdfError:
                            continue
                body = b"\n".join(parts)
        except pikepdf.PdfError:
            pass
    elif body.startswith(b"PK\x03\x04"):  # an XLSX: its sheets and shared strings, inflated
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"\n".join([body, *(archive.read(name) for name in archive.namelist())])
        except zipfile.BadZipFile:
            pass
    return body


def allowed_here(world: World, role: str, req: Req) -> set[str]:
    """The sealed values rule 1 lets ``role`` see in the response to ``req``."""
    if req.opens is None or req.method != "post":
        return set()
    tag, item = req.opens
    if (role, tag) not in ALLOWED:
        return set()
    if item == "identity":
        return {v for k, v in identity_of(tag).items()}
    return set(world.files[item][1])


def search_results(req: Req, response) -> list[str]:
    """What a search found (autocomplete JSON or a changelist), for the searches the matrix watches."""
    if not (req.no_results or req.finds) or response.status_code != 200:
        return []
    if "autocomplete" in req.url:
        return [str(row) for row in response.json()["results"]]
    return [str(row) for row in response.context["cl"].result_list]


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


@dataclass
class Outcome:
    requests: int = 0
    leaks: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    found_by_sealed_value: list = field(default_factory=list)
    cross_instansi_reads: list = field(default_factory=list)


def run_matrix(world: World, role: str) -> Outcome:
    client = client_for(world, role)
    every_sealed = {v for tag in world.reports for v in world.sealed(tag)}
    own = INSTANSI_ROLES.get(role)
    others = [v for key, values in ASN.items() if own and key != own for v in values]
    outcome = Outcome()
    for pattern in sorted(MATRIX):
        for req in MATRIX[pattern](world):
            response = getattr(client, req.method)(req.url, req.data or {})
            outcome.requests += 1
            body = readable(response)
            if req.echo:
                body = body.replace(req.echo.encode(), b"")
            shown = {v for v in every_sealed if v.encode() in body}
            allowed = allowed_here(world, role, req)
            if shown - allowed:
                outcome.leaks.append((req.method, req.url, response.status_code, sorted(shown - allowed)))
            if allowed - shown:
                outcome.missing.append((req.url, req.opens, response.status_code, sorted(allowed - shown)))
            results = search_results(req, response)
            if req.no_results and results:
                outcome.found_by_sealed_value.append((req.url, results))
            if own:
                seen = [v for v in others if v.encode() in body]
                opened = req.case and req.case != own and response.status_code == 200
                opened = opened or bool(req.finds and req.finds != own and results)
                if seen or opened:
                    outcome.cross_instansi_reads.append((req.method, req.url, response.status_code, seen))
    return outcome


@pytest.mark.parametrize("role", ROLES)
def test_sealed_values_appear_only_where_rule_1_allows(world, role):
    outcome = run_matrix(world, role)

    assert outcome.requests > 150
    assert outcome.leaks == []
    assert outcome.missing == []  # the positive control: the allowed verifier does see, after unsealing
    assert outcome.found_by_sealed_value == []
    assert outcome.cross_instansi_reads == []  # issue 8 item 5: 0 of every (role, other instansi's object, URL)


def test_every_unsealing_of_the_matrix_leaves_a_log_row_with_its_reason(world):
    """The positive controls above open sealed data; each opening is a SealedAccess row, read on the case page."""
    officer = world.users["bawaslu.sleman"]
    client = client_for(world, "bawaslu.sleman")
    report = world.reports["E"]
    requests = [req for req in _unseal(world) if req.method == "post" and req.opens[0] == "E"]
    before = SealedAccess.objects.filter(report=report).count()

    for req in requests:
        assert client.post(req.url, req.data).status_code == 200

    openings = SealedAccess.objects.filter(report=report).order_by("created_at", "id")[before:]
    assert [(o.actor, o.item, o.reason) for o in openings] == [
        (officer, "identity" if req.opens[1] == "identity" else "original", "Memeriksa data untuk verifikasi laporan.")
        for req in requests
    ]
    page = client.get(f"/admin/reports/report/{report.pk}/change/")
    assert [row.pk for row in page.context["access_log"]][: len(requests)] == [o.pk for o in reversed(openings)]
    oversight = client_for(world, "wasdal.bkn").get("/admin/reports/sealedaccess/")
    assert {row.pk for row in oversight.context["cl"].result_list} >= {o.pk for o in openings}
    ppk_page = client_for(world, "ppk.sleman").get(f"/admin/reports/report/{report.pk}/change/")
    assert ppk_page.context["access_log"] is None  # the terlapor's instansi does not read who opened what


def test_emails_to_staff_carry_nothing_sealed(world):
    """The same matrix over the outbox: what staff receive (the recommendation to the PPK) carries no sealed value,
    nor another instansi's ASN; every message to a reporter is marked so the outbox admin hides it."""
    every_sealed = {v for tag in world.reports for v in world.sealed(tag)}
    staff = list(OutboxMessage.objects.filter(to_reporter=False))
    to_reporters = list(OutboxMessage.objects.filter(to_reporter=True))
    reporter_addresses = {identity_of(tag)["email"] for tag in "EQL"}

    assert len(staff) >= 2  # both PPK offices were told of their recommendation
    for message in staff:
        text = f"{message.recipient}\n{message.subject}\n{message.body}"
        assert [v for v in every_sealed if v in text] == [], message.dedupe_key
        instansi = "yogya" if LETTERS["yogya"] in text else "sleman"
        other = "sleman" if instansi == "yogya" else "yogya"
        assert [v for v in ASN[other] if v in text] == [], message.dedupe_key
    assert {m.recipient for m in to_reporters} <= reporter_addresses
    assert {m.recipient for m in staff} & reporter_addresses == set()
