"""Data and request bodies of the two peers (bench/peer/run.sh). Runs in the peer venv:

    PEER_KIND=helpdesk|bare PEER_DATABASE=… python bench/peer/peer.py setup N   # migrate, top up to N rows
    … peer.py count                        # tickets (helpdesk) or submissions (bare)
    … peer.py cleanup                      # delete what earlier bench runs posted (marked "[bench]")
    … peer.py prepare OUT_DIR PHOTO        # cookie, POST bodies, lookup requests

The lookup requests are the peers' own ways back to a submission: django-helpdesk's public
ticket view (GET /view/?ticket=…&email=…&key=…), the bare app's POST /status/ (number + key);
10 % carry the key of another row, as the portal's lookups carry another report's PIN.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import secrets
import string
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

KIND = settings.KIND
MARK = "[bench] "
BOUNDARY = "----netralitaspeerbench7MA4YWxkTrZu0gW"
LOOKUPS = 5000
WRONG_SHARE = 0.10
BATCH = 5000
DESCRIPTION = (
    "Terlapor hadir dalam pertemuan warga di balai desa bersama tim pemenangan, mengajak warga "
    "memilih pasangan calon bupati tertentu dan membagikan bingkisan sembako kepada yang hadir."
)


def _model():
    if KIND == "helpdesk":
        from helpdesk.models import Ticket

        return Ticket
    from bareform.models import Submission

    return Submission


def count() -> int:
    return _model().objects.count()


def setup(target: int) -> None:
    call_command("migrate", "--noinput", verbosity=0)
    if KIND == "helpdesk":
        _setup_helpdesk(target)
    else:
        _setup_bare(target)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{KIND}: {count()} rows in {settings.DATABASES['default']['NAME']}")


def _queue():
    from helpdesk.models import Queue

    queue, _ = Queue.objects.get_or_create(
        slug="public",
        defaults={"title": "Pengaduan publik", "allow_public_submission": True, "email_address": "hd@example.org"},
    )
    return queue


def _setup_helpdesk(target: int) -> None:
    from django.contrib.sites.models import Site
    from helpdesk.models import FollowUp, Ticket

    Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1", "name": "peer"})
    queue = _queue()
    rng = random.Random(11)
    started, made = time.monotonic(), 0
    while (have := Ticket.objects.count()) < target:
        size = min(BATCH, target - have)
        now = timezone.now()
        with transaction.atomic():
            tickets = Ticket.objects.bulk_create(
                [
                    Ticket(
                        title=f"Pengaduan {have + i}: ASN kampanye di kabupaten {rng.randrange(514)}",
                        queue=queue,
                        submitter_email=f"warga{have + i}@example.org",
                        status=rng.choice([1, 2, 3, 4]),
                        description=DESCRIPTION,
                        priority=3,
                        secret_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    )
                    for i in range(size)
                ]
            )
            FollowUp.objects.bulk_create(
                [FollowUp(ticket=t, title="Ticket Opened", comment=DESCRIPTION, public=True, date=now) for t in tickets]
            )
        made += size
    if made:
        print(f"helpdesk: {made} tickets (+1 follow-up each) in {time.monotonic() - started:.1f} s")


def _setup_bare(target: int) -> None:
    from bareform.models import Submission

    rng = random.Random(11)
    while (have := Submission.objects.count()) < target:
        size = min(BATCH, target - have)
        Submission.objects.bulk_create(
            [
                Submission(
                    name=f"Warga {have + i}",
                    email=f"warga{have + i}@example.org",
                    phone="081234567890",
                    region=rng.randrange(1, 7),
                    subject=f"Pengaduan {have + i}",
                    description=DESCRIPTION,
                    key=secrets.token_hex(8),
                )
                for i in range(size)
            ]
        )


def cleanup() -> None:
    name = settings.DATABASES["default"]["NAME"]
    if "peer" not in name:
        raise SystemExit(f"refusing to clean {name!r}: not a peer database")
    field = "title" if KIND == "helpdesk" else "subject"
    deleted = _model().objects.filter(**{f"{field}__startswith": MARK}).delete()[0]
    if KIND == "helpdesk":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE django_session")
    print(f"{KIND} cleanup: {deleted} rows posted by earlier bench runs")


def _multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]) -> bytes:
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, filename, content_type, data in files:
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


def prepare(out_dir: Path, photo: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    (out_dir / "cookie.txt").write_text(f"csrftoken={csrf}")
    (out_dir / "multipart-content-type.txt").write_text(f"multipart/form-data; boundary={BOUNDARY}")
    today = dt.date.today().isoformat()
    if KIND == "helpdesk":
        fields = [
            ("csrfmiddlewaretoken", csrf),
            ("title", f"{MARK}ASN kampanye di balai desa Caturtunggal, {today}"),
            ("body", DESCRIPTION),
            ("submitter_email", "pelapor.bench@example.org"),
        ]
        (out_dir / "intake.body").write_text(urllib.parse.urlencode(fields))
        files = [("attachment", "IMG_20241125_091400.jpg", "image/jpeg", photo.read_bytes())]
        (out_dir / "intake-photo.body").write_bytes(_multipart(fields, files))
    else:
        fields = [
            ("csrfmiddlewaretoken", csrf),
            ("name", "Budi Santoso"),
            ("email", "pelapor.bench@example.org"),
            ("phone", "081234567890"),
            ("region", "2"),
            ("subject", f"{MARK}ASN kampanye di balai desa Caturtunggal"),
            ("description", DESCRIPTION),
        ]
        (out_dir / "intake.body").write_text(urllib.parse.urlencode(fields))
    _prepare_lookups(out_dir, csrf)


def _prepare_lookups(out_dir: Path, csrf: str) -> None:
    rng = random.Random(3)
    model = _model()
    high = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = set(rng.sample(range(1, high + 1), min(LOOKUPS * 2, high)))
    fields = ("pk", "submitter_email", "secret_key") if KIND == "helpdesk" else ("pk", "key")
    rows = list(model.objects.filter(pk__in=picked).values_list(*fields))[:LOOKUPS]
    rng.shuffle(rows)
    lines, wrong = [], 0
    for number, row in enumerate(rows):
        key = row[-1]
        if number > 0 and rng.random() < WRONG_SHARE:  # the first is right: the smoke check uses it
            key, wrong = rows[(number + 1) % len(rows)][-1], wrong + 1
        if KIND == "helpdesk":
            query = urllib.parse.urlencode({"ticket": f"public-{row[0]}", "email": row[1], "key": key})
            lines.append(f"/view/?{query}")
        else:
            lines.append(urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "number": row[0], "key": key}))
    name = "lookup.paths" if KIND == "helpdesk" else "lookup.bodies"
    (out_dir / name).write_text("\n".join(lines) + "\n")
    print(f"{KIND} prepared: {len(lines)} lookups ({wrong} with another row's key)")


def main() -> None:
    command = sys.argv[1]
    if command == "setup":
        setup(int(sys.argv[2]))
    elif command == "count":
        print(count())
    elif command == "cleanup":
        cleanup()
    elif command == "prepare":
        prepare(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
