"""`make run`'s demo data: a Satgas of Sleman with the demo satgas account as ketua and a second member."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from taskforce.models import Satgas
from taskforce.selectors import teams_of


def test_load_demo_creates_the_satgas_of_sleman_once(reference_data):
    out = StringIO()
    for _ in range(2):  # idempotent
        call_command("load_demo", "--password", "kata-sandi-demo-123", "--force", stdout=out)
    satgas = Satgas.objects.get()
    members = [(m.name, m.role, m.user.username if m.user else None) for m in satgas.members.order_by("order")]
    assert members == [
        ("Anggota Satgas Sleman", "ketua", "satgas.sleman"),
        ("Kepala BKPSDM Sleman", "sekretaris", None),
        ("Ani Lestari", "anggota", "anggota.satgas.sleman"),
    ]
    assert "anggota.satgas.sleman  kata-sandi-demo-123" in out.getvalue()
    assert "otpauth://totp/" in out.getvalue()  # every demo account comes enrolled for the second factor (issue 9)
    ketua = satgas.members.get(role="ketua").user
    assert list(teams_of(ketua)) == [satgas]
    member = satgas.members.get(role="anggota").user
    assert member.check_password("kata-sandi-demo-123")
    client = Client()
    client.force_login(member)  # tests/conftest.py: a forced login passes the second factor
    assert client.get(f"/satgas/tim/{satgas.pk}/").status_code == 200
