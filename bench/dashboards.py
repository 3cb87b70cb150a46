"""Staff sessions and the rollup for the dashboard scenarios of bench/run.sh (issue 15).

    python bench/dashboards.py prepare OUT_DIR        # bench staff, their signed-in session cookies, the rollup
    python bench/dashboards.py smoke OUT_DIR URL      # each dashboard scenario answers 200 with its own view

Three staff accounts in the bench database (never a real one): the PPK of the pemda with the most
generated cases, the Bawaslu of the provinsi with the most, and a national viewer (Kemendagri).
Each gets a session as if it had signed in with both factors just now (the second-factor and
session-limit middleware accept it), written as a Cookie header file for wrk.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from netralitas.enums import BAWASLU_KINDS, OrganisationKind, Role  # noqa: E402
from netralitas.models import Organisation  # noqa: E402
from netralitas.security.session import LOGIN_AT, PROVED_AT, SEEN_AT  # noqa: E402
from netralitas.services import set_membership  # noqa: E402
from reports.models import Terlapor  # noqa: E402
from sanctions.statistics import refresh_public_statistics  # noqa: E402

SCENARIO_USERS = {"dash-instansi": "bench.ppk", "dash-regional": "bench.bawaslu", "dash-national": "bench.nasional"}


def _staff(username: str, organisation: Organisation, role: str):
    user, _created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    set_membership(user, organisation, role)
    TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    return user


def _cookie(user) -> str:
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    device = TOTPDevice.objects.get(user=user, name="bench")
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
            LOGIN_AT: now,
            SEEN_AT: now,
            PROVED_AT: now,
        }
    )
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    busiest = (
        Terlapor.objects.filter(instansi__kind__in=[OrganisationKind.PEMDA_KABUPATEN, OrganisationKind.PEMDA_KOTA])
        .values("instansi_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    pemda = Organisation.objects.get(pk=busiest["instansi_id"])
    provinsi = pemda.region.parent_id if pemda.region and pemda.region.parent_id else pemda.region_id
    bawaslu = Organisation.objects.filter(kind__in=BAWASLU_KINDS, region_id=provinsi).order_by("pk").first()
    users = {
        "dash-instansi": _staff("bench.ppk", pemda, Role.PPK),
        "dash-regional": _staff("bench.bawaslu", bawaslu, Role.BAWASLU),
        "dash-national": _staff(
            "bench.nasional", Organisation.objects.get(kind=OrganisationKind.KEMENDAGRI), Role.NATIONAL_VIEWER
        ),  # fmt: skip
    }
    for scenario, user in users.items():
        (out_dir / f"{scenario}.cookie").write_text(_cookie(user))
    started = time.monotonic()
    refresh_public_statistics()
    print(
        f"dashboards: PPK of {pemda.name} ({busiest['n']} cases), {bawaslu.name}, a national viewer; "
        f"rollup and /statistik/ cache rebuilt in {time.monotonic() - started:.1f} s"
    )


def smoke(out_dir: Path, base: str) -> None:
    if not base.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit(f"the bench only talks to loopback, not {base}")
    checks = [(s, "/dasbor/", (out_dir / f"{s}.cookie").read_text()) for s in SCENARIO_USERS]
    checks.append(("statistik", "/statistik/", ""))
    failed = []
    for scenario, path, cookie in checks:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
                status, html = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            status, html = exc.code, ""
        ok = status == 200 and "<canvas" in html
        print(
            f"smoke {scenario}: HTTP {status}, charts {'yes' if '<canvas' in html else 'no'}: {'ok' if ok else 'GAGAL'}"
        )
        if not ok:
            failed.append(scenario)
    if failed:
        raise SystemExit(f"smoke failed: {', '.join(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare").add_argument("out_dir", type=Path)
    s = sub.add_parser("smoke")
    s.add_argument("out_dir", type=Path)
    s.add_argument("base")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.out_dir)
    else:
        smoke(args.out_dir, args.base.rstrip("/"))


if __name__ == "__main__":
    main()
