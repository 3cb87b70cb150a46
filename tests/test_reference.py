from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from netralitas.authority import NoAuthorityInForce, authority_in_force
from netralitas.enums import OrganisationKind, RegionLevel
from netralitas.models import (
    AuthorityTransition,
    DeadlineRule,
    Election,
    ElectionPhase,
    Holiday,
    Organisation,
    PreventionItem,
    RecommendingAuthority,
    Region,
    ReminderRule,
    SanctionKind,
    ViolationType,
)
from netralitas.reference import load_reference
from netralitas.reference import regions as region_data

MODELS = [Region, Organisation, RecommendingAuthority, AuthorityTransition, ViolationType, SanctionKind,
          DeadlineRule, Election, ElectionPhase, Holiday, Election.regions.through]  # fmt: skip

COUNT_KEYS = ["regions", "organisations", "authorities", "authority_transitions", "violation_types",
              "sanction_kinds", "deadline_rules", "elections", "election_phases", "reminder_rules",
              "prevention_items", "structural_updates", "holidays"]  # fmt: skip


@pytest.fixture
def loaded(reference_data):
    """The reference data as the session loaded it (tests/conftest.py); a load here creates nothing."""
    return load_reference()


def wipe_reference():
    """Delete every reference row (inside the test's transaction), children before parents."""
    Election.regions.through.objects.all().delete()
    for model in (ElectionPhase, Election, AuthorityTransition, RecommendingAuthority, ViolationType, SanctionKind,
                  DeadlineRule, Holiday, ReminderRule, PreventionItem):  # fmt: skip
        model.objects.all().delete()
    for model in (Organisation, Region):
        while model.objects.exists():
            model.objects.filter(children__isnull=True).delete()


def names_in(province_code):
    return set(Region.objects.filter(parent__code=province_code).values_list("name", flat=True))


def test_load_reference_creates_regions(loaded):
    assert Region.objects.filter(level=RegionLevel.PROVINSI).count() == 38
    assert Region.objects.exclude(level=RegionLevel.PROVINSI).count() == 514
    assert Region.objects.filter(level=RegionLevel.KABUPATEN).count() == 416
    assert Region.objects.filter(level=RegionLevel.KOTA).count() == 98
    dki = Region.objects.get(code="ID-JK")
    assert (dki.name, dki.bsni_code, dki.capital) == ("Daerah Khusus Ibukota Jakarta", "ID-JK", "Jakarta")
    assert Region.objects.get(code="ID-JB").name == "Jawa Barat"
    sleman = Region.objects.get(name="Kabupaten Sleman")
    assert (sleman.code, sleman.level, sleman.parent.code, sleman.is_autonomous) == (
        "KK0226",
        RegionLevel.KABUPATEN,
        "ID-YO",
        True,
    )


def test_load_reference_applies_papua_split(loaded):
    assert names_in("ID-PS") == {"Kabupaten Merauke", "Kabupaten Boven Digoel", "Kabupaten Mappi", "Kabupaten Asmat"}
    assert names_in("ID-PT") == {
        "Kabupaten Nabire",
        "Kabupaten Puncak Jaya",
        "Kabupaten Paniai",
        "Kabupaten Mimika",
        "Kabupaten Puncak",
        "Kabupaten Dogiyai",
        "Kabupaten Intan Jaya",
        "Kabupaten Deiyai (Deliyai)",
    }
    assert names_in("ID-PE") == {
        "Kabupaten Jayawijaya",
        "Kabupaten Pegunungan Bintang",
        "Kabupaten Yahukimo",
        "Kabupaten Tolikara",
        "Kabupaten Mamberamo Tengah",
        "Kabupaten Yalimo",
        "Kabupaten Lanny Jaya",
        "Kabupaten Nduga",
    }
    assert names_in("ID-PD") == {
        "Kabupaten Sorong",
        "Kabupaten Sorong Selatan",
        "Kabupaten Raja Ampat",
        "Kabupaten Tambrauw",
        "Kabupaten Maybrat",
        "Kota Sorong",
    }
    assert names_in("ID-PA") == {
        "Kabupaten Biak Numfor",
        "Kabupaten Jayapura",
        "Kabupaten Keerom",
        "Kabupaten Kepulauan Yapen (Yapen Waropen)",
        "Kabupaten Mamberamo Raya",
        "Kabupaten Sarmi",
        "Kabupaten Supiori",
        "Kabupaten Waropen",
        "Kota Jayapura",
    }
    assert names_in("ID-PB") == {
        "Kabupaten Fakfak",
        "Kabupaten Kaimana",
        "Kabupaten Manokwari",
        "Kabupaten Manokwari Selatan",
        "Kabupaten Pegunungan Arfak",
        "Kabupaten Teluk Bintuni",
        "Kabupaten Teluk Wondama",
    }
    new = Region.objects.filter(code__in=["ID-PS", "ID-PT", "ID-PE", "ID-PD"]).order_by("code")
    assert [(r.code, r.name, r.legal_basis.split(" tentang")[0]) for r in new] == [
        ("ID-PD", "Papua Barat Daya", "UU 29/2022"),
        ("ID-PE", "Papua Pegunungan", "UU 16/2022"),
        ("ID-PS", "Papua Selatan", "UU 14/2022"),
        ("ID-PT", "Papua Tengah", "UU 15/2022"),
    ]


def test_region_rows_raise_when_a_split_kabupaten_is_missing(monkeypatch):
    name, law, capital, source, _members = region_data.PAPUA_SPLIT["ID-PS"]
    monkeypatch.setitem(region_data.PAPUA_SPLIT, "ID-PS", (name, law, capital, source, ["Kabupaten Atlantis"]))
    with pytest.raises(ValueError, match="Kabupaten Atlantis ditemukan 0 kali"):
        region_data.region_rows()


def test_load_reference_marks_dki_administrative_units(loaded):
    adm = Region.objects.filter(is_autonomous=False)
    assert set(adm.values_list("name", flat=True)) == {
        "Kabupaten Adm. Kepulauan Seribu",
        "Kota Adm. Jakarta Barat",
        "Kota Adm. Jakarta Pusat",
        "Kota Adm. Jakarta Selatan",
        "Kota Adm. Jakarta Timur",
        "Kota Adm. Jakarta Utara",
    }
    assert set(adm.values_list("parent__code", flat=True)) == {"ID-JK"}
    assert not Organisation.objects.filter(region__in=adm, kind__startswith="pemda").exists()
    assert Organisation.objects.filter(region__in=adm, kind=OrganisationKind.BAWASLU_KABKOTA).count() == 6
    dki = Organisation.objects.get(code="pemda-id-jk")
    assert (dki.name, dki.kind, dki.ppk_title, dki.parent) == (
        "Pemerintah Provinsi Daerah Khusus Ibukota Jakarta",
        OrganisationKind.PEMDA_PROVINSI,
        "Gubernur",
        None,
    )


def test_load_reference_creates_organisations(loaded):
    def count(kind):
        return Organisation.objects.filter(kind=kind).count()

    assert Organisation.objects.filter(kind__startswith="pemda_").count() == 546
    assert (count("pemda_provinsi"), count("pemda_kabupaten"), count("pemda_kota")) == (38, 415, 93)
    assert (count("bawaslu_ri"), count("bawaslu_provinsi"), count("bawaslu_kabkota")) == (1, 38, 514)
    assert count("bkn_kanreg") == 14
    assert count("instansi_pusat") == 87  # 46 kementerian, 41 other central instansi (netralitas.reference.central)
    assert Organisation.objects.count() == 5 + 14 + 546 + 552 + 87
    without_region = Organisation.objects.filter(region=None).exclude(kind="instansi_pusat")
    assert set(without_region.values_list("code", flat=True)) == {
        "bawaslu-ri",
        "kasn",
        "bkn",
        "kemenpanrb",
        "kemendagri",
        *(f"bkn-kanreg-{n:02d}" for n in range(1, 15)),
    }
    sleman = Organisation.objects.select_related("parent", "region").get(code="pemda-kk0226")
    assert (sleman.name, sleman.kind, sleman.ppk_title, sleman.parent.code, sleman.region.name) == (
        "Pemerintah Kabupaten Sleman",
        OrganisationKind.PEMDA_KABUPATEN,
        "Bupati",
        "pemda-id-yo",
        "Kabupaten Sleman",
    )
    kota = Organisation.objects.get(region__name="Kota Yogyakarta", kind=OrganisationKind.PEMDA_KOTA)
    assert (kota.name, kota.ppk_title) == ("Pemerintah Kota Yogyakarta", "Wali Kota")
    assert Organisation.objects.get(code="pemda-id-jt").name == "Pemerintah Provinsi Jawa Tengah"
    bawaslu = Organisation.objects.select_related("parent__parent").get(code="bawaslu-kk0226")
    assert (bawaslu.name, bawaslu.parent.code, bawaslu.parent.parent.code) == (
        "Bawaslu Kabupaten Sleman",
        "bawaslu-id-yo",
        "bawaslu-ri",
    )
    assert Organisation.objects.get(code="bkn-kanreg-02").parent.code == "bkn"
    # Kota Sorong moved with the split: its pemda and Bawaslu hang under Papua Barat Daya.
    assert Organisation.objects.get(code="pemda-kk0514").parent.code == "pemda-id-pd"
    assert Organisation.objects.get(code="bawaslu-kk0514").parent.code == "bawaslu-id-pd"


def test_load_reference_creates_catalogue(loaded):
    rows = list(ViolationType.objects.values_list("code", "track", "level"))
    assert [code for code, _, _ in rows] == [f"A{n}" for n in range(1, 8)] + [f"B{n}" for n in range(1, 14)]
    by_code = {code: (track, level) for code, track, level in rows}
    assert by_code["A1"] == ("etik", "moral")
    assert by_code["B3"] == ("disiplin", "sedang")
    assert by_code["B5"] == ("uu_asn", "ptdh")
    assert by_code["B9"] == ("disiplin", "sedang")
    assert by_code["B13"] == ("satgas", "")
    assert {by_code[f"A{n}"] for n in range(1, 8)} == {("etik", "moral")}
    berat = {code for code, pair in by_code.items() if pair == ("disiplin", "berat")}
    assert berat == {"B1", "B2", "B4", "B6", "B7", "B8", "B10", "B11", "B12"}
    b5 = ViolationType.objects.get(code="B5")
    assert "Pasal 87 ayat (4) huruf c" in b5.legal_basis
    assert all(vt.plain_explanation and vt.legal_basis for vt in ViolationType.objects.all())
    max_title = ViolationType._meta.get_field("title").max_length
    assert max(len(vt.title) for vt in ViolationType.objects.all()) <= max_title


def test_load_reference_creates_sanction_kinds(loaded):
    assert list(SanctionKind.objects.values_list("code", "track", "level", "applies_to", "duration_months")) == [
        ("moral-tertutup", "etik", "moral", "all", None),
        ("moral-terbuka", "etik", "moral", "all", None),
        ("ringan-teguran-lisan", "disiplin", "ringan", "all", None),
        ("ringan-teguran-tertulis", "disiplin", "ringan", "all", None),
        ("ringan-pernyataan-tidak-puas", "disiplin", "ringan", "all", None),
        ("sedang-tukin-25-6-bulan", "disiplin", "sedang", "all", 6),
        ("sedang-tukin-25-9-bulan", "disiplin", "sedang", "all", 9),
        ("sedang-tukin-25-12-bulan", "disiplin", "sedang", "all", 12),
        ("berat-penurunan-jabatan", "disiplin", "berat", "all", 12),
        ("berat-pembebasan-jabatan", "disiplin", "berat", "all", 12),
        ("berat-pdhtaps", "disiplin", "berat", "pns", None),
        ("ptdh-pns", "uu_asn", "ptdh", "pns", None),
        ("phk-tdh-pppk", "uu_asn", "ptdh", "pppk", None),
    ]


def test_load_reference_creates_deadline_rules(loaded):
    assert sorted(DeadlineRule.objects.values_list("step", "days", "day_type", "verified", "note")) == [
        ("authority_action", 14, "calendar", False, "jenis hari belum jelas"),
        ("bawaslu_kajian", 3, "working", True, ""),
        ("bawaslu_kajian_extension", 2, "working", True, "Jenis hari mengikuti tahap kajian (hari kerja)."),
        (
            "bawaslu_kajian_pemilu",
            7,
            "calendar",
            False,
            "Belum dicocokkan dengan naskah resmi; jenis hari belum jelas (dipakai hari kalender).",
        ),
        ("bawaslu_kajian_pemilu_ext", 7, "calendar", False, "Belum dicocokkan dengan naskah resmi."),
        ("ppk_follow_up", 14, "working", False, "Belum dicocokkan dengan naskah resmi SKB."),
        ("report_window", 7, "calendar", True, ""),
        ("reporter_completion", 3, "calendar", True, ""),
        ("satgas_verification", 7, "calendar", True, "Sumber tidak menyebut jenis hari; dipakai hari kalender."),
    ]
    assert "Perbawaslu 7/2022" in DeadlineRule.objects.get(step="report_window").legal_basis


def test_load_reference_creates_the_se_4_2024_handover(loaded):
    assert list(
        AuthorityTransition.objects.values_list(
            "from_authority__organisation__code",
            "to_authority__organisation__code",
            "effective_on",
            "processed_report_to__code",
        )
    ) == [("kasn", "bkn", date(2024, 9, 4), "kemenpanrb")]


@pytest.mark.parametrize("from_copy", [False, True])  # the database, or the process's copy (the public intake)
def test_authority_in_force_switches_from_kasn_to_bkn(loaded, from_copy, settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    assert authority_in_force(date(2022, 9, 22), from_copy=from_copy).organisation.code == "kasn"
    assert authority_in_force(date(2024, 9, 3), from_copy=from_copy).organisation.code == "kasn"
    assert authority_in_force(date(2024, 9, 4), from_copy=from_copy).organisation.code == "bkn"
    assert authority_in_force(date(2031, 1, 1), from_copy=from_copy).organisation.code == "bkn"
    with pytest.raises(NoAuthorityInForce, match="2022-09-21"):
        authority_in_force(date(2022, 9, 21), from_copy=from_copy)


@pytest.mark.django_db
@pytest.mark.parametrize("from_copy", [False, True])
def test_authority_in_force_raises_without_authorities(from_copy, settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    authority_in_force(date(2024, 9, 4), from_copy=from_copy)  # a warm copy: the deletes below must clear it
    AuthorityTransition.objects.all().delete()
    RecommendingAuthority.objects.all().delete()
    with pytest.raises(NoAuthorityInForce):
        authority_in_force(date(2024, 9, 4), from_copy=from_copy)


def test_load_reference_creates_elections(loaded):
    pemilu = Election.objects.get(name="Pemilu 2024")
    pilkada = Election.objects.get(name="Pilkada Serentak 2024")
    assert (pemilu.kind, pemilu.scope, pemilu.regions.count()) == ("pemilu", "national", 0)
    assert (pilkada.kind, pilkada.scope) == ("pilkada", "regional")
    assert list(pemilu.phases.values_list("kind", "start", "end")) == [
        ("penetapan", date(2022, 12, 14), date(2022, 12, 14)),
        ("kampanye", date(2023, 11, 28), date(2024, 2, 10)),
        ("masa_tenang", date(2024, 2, 11), date(2024, 2, 13)),
        ("pemungutan", date(2024, 2, 14), date(2024, 2, 14)),
    ]
    assert list(pilkada.phases.values_list("kind", "start", "end")) == [
        ("penetapan", date(2024, 9, 22), date(2024, 9, 22)),
        ("kampanye", date(2024, 9, 25), date(2024, 11, 23)),
        ("masa_tenang", date(2024, 11, 24), date(2024, 11, 26)),
        ("pemungutan", date(2024, 11, 27), date(2024, 11, 27)),
    ]
    assert "PKPU 3/2022" in pemilu.legal_basis
    assert "PKPU 2/2024" in pilkada.legal_basis
    regions = pilkada.regions.all()
    assert regions.count() == 545
    assert regions.filter(level=RegionLevel.PROVINSI).count() == 37
    assert not regions.filter(code="ID-YO").exists()
    assert regions.filter(name="Kabupaten Sleman").exists()
    assert regions.filter(code="ID-JK").exists()
    assert not regions.filter(is_autonomous=False).exists()


def test_load_reference_syncs_holidays(loaded):
    years = {day.year for day in Holiday.objects.dates("date", "year")}
    assert years == set(range(2022, timezone.localdate().year + 2))
    assert Holiday.objects.filter(date=date(2024, 8, 17)).exists()


def test_load_reference_twice_creates_nothing(loaded):
    before = {model: model.objects.count() for model in MODELS}
    again = load_reference()
    assert loaded == again == dict.fromkeys(COUNT_KEYS, 0)
    assert {model: model.objects.count() for model in MODELS} == before


def test_load_reference_keeps_administrator_edits(loaded):
    DeadlineRule.objects.filter(step="ppk_follow_up").update(days=10, verified=True)
    ViolationType.objects.filter(code="A1").update(title="Judul baru", is_active=False)
    Organisation.objects.filter(code="pemda-kk0226").update(name="Pemkab Sleman", ppk_acting=True)
    ElectionPhase.objects.filter(election__name="Pemilu 2024", kind="kampanye").update(end=date(2024, 2, 9))
    pilkada = Election.objects.get(name="Pilkada Serentak 2024")
    pilkada.regions.remove(Region.objects.get(name="Kabupaten Sleman"))

    load_reference()

    assert DeadlineRule.objects.values_list("days", "verified").get(step="ppk_follow_up") == (10, True)
    assert ViolationType.objects.values_list("title", "is_active").get(code="A1") == ("Judul baru", False)
    assert Organisation.objects.values_list("name", "ppk_acting").get(code="pemda-kk0226") == ("Pemkab Sleman", True)
    assert ElectionPhase.objects.get(election__name="Pemilu 2024", kind="kampanye").end == date(2024, 2, 9)
    assert pilkada.regions.count() == 544


def test_load_reference_reparents_a_kabupaten_back_into_its_province(loaded):
    merauke = Region.objects.get(name="Kabupaten Merauke")
    Region.objects.filter(pk=merauke.pk).update(parent=Region.objects.get(code="ID-PA"), name="Merauke")
    Organisation.objects.filter(code="pemda-kk0487").update(parent=Organisation.objects.get(code="pemda-id-pa"))

    counts = load_reference()

    merauke.refresh_from_db()
    assert (merauke.parent.code, merauke.name) == ("ID-PS", "Merauke")
    assert Organisation.objects.get(code="pemda-kk0487").parent.code == "pemda-id-ps"
    assert counts["structural_updates"] == 2
    assert counts["regions"] == counts["organisations"] == 0


@pytest.mark.django_db
def test_load_reference_into_an_empty_database_counts_what_it_created():
    wipe_reference()

    counts = load_reference()

    assert counts == {
        "regions": 552,
        "organisations": 1117 + 87,
        "authorities": 2,
        "authority_transitions": 1,
        "violation_types": 20,
        "sanction_kinds": 13,
        "deadline_rules": 9,
        "elections": 2,
        "election_phases": 8,
        "reminder_rules": 7,
        "prevention_items": 3,
        "structural_updates": 0,
        "holidays": Holiday.objects.count(),
    }
    assert counts["holidays"] > 0


def test_load_reference_command_prints_counts(loaded):
    out = StringIO()
    call_command("load_reference", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:4] == [
        "wilayah: 0 dibuat, 0 dipindah induknya",
        "organisasi: 0 dibuat, 0 diperbaiki tautannya",
        "instansi pusat: 0 dibuat",
        f"hari libur 2022–{timezone.localdate().year + 1}: 0",
    ]
    assert "regions: 0" in lines
    assert lines[-1] == "Data rujukan dimuat."
