"""Helpers for bench/run.sh: request bodies, a smoke check, counts and the results table.

Run with the bench environment (the same DJANGO_SECRET_KEY as the server, so
the anti-bot timer it signs is accepted):

    python bench/harness.py prepare OUT_DIR      # bodies, cookie, photo, lookup pairs
    python bench/harness.py smoke OUT_DIR URL    # one request of each kind, checked
    python bench/harness.py cleanup              # forget earlier bench submissions (bench DB only)
    python bench/harness.py count                # reports in the database
    python bench/harness.py record RESULTS WRK_OUT [--stored N] [--cpu BEFORE AFTER]  (see cpu.py)
    python bench/harness.py table RESULTS_FILE   # the summary table of a run
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import secrets
import string
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")

import django  # noqa: E402

django.setup()

from cpu import CPU_GROUPS, cpu_split  # noqa: E402
from django.core import signing  # noqa: E402

from devdata.scale_codes import (  # noqa: E402
    DEFAULT_SEED,
    SCALE_CODE_PREFIX,
    scale_pin,
    scale_reports,
    scale_tracking_code,
)
from netralitas.enums import OrganisationKind  # noqa: E402
from netralitas.models import Organisation, Region, ViolationType  # noqa: E402
from reports.models import Report  # noqa: E402
from reports.public.antibot import HONEYPOT_FIELD, SALT, TIMER_FIELD  # noqa: E402
from reports.public.terlapor_forms import MAX_TERLAPOR, TERLAPOR_PREFIX  # noqa: E402

BOUNDARY = "----netralitasbench7MA4YWxkTrZu0gW"
PHOTO_BYTES = 200 * 1024
LOOKUP_PAIRS = 5000
WRONG_PIN_SHARE = 0.10
# The anti-bot timer is single-use: bodies carry this placeholder and load.lua puts a fresh timer from
# timers.txt into each request (BENCH_TIMERS). Enough for every intake and lookup request of a run.
TIMER_PLACEHOLDER = "__FORM_TS__"
TIMERS = int(os.environ.get("BENCH_TIMER_COUNT", "200000"))


class _OldTimer(signing.TimestampSigner):
    """Signs the anti-bot timer ten minutes in the past, as if a person had filled the form."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 600)


def _csrf_secret() -> str:
    # Django accepts a form token equal to the unmasked 32-character cookie secret.
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def _intake_fields(csrf: str, timer: str, *, with_link: bool) -> list[tuple[str, str]]:
    region = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    instansi = Organisation.objects.get(region=region, kind=OrganisationKind.PEMDA_KABUPATEN)
    today = dt.date.today()
    fields = [
        ("csrfmiddlewaretoken", csrf),
        (TIMER_FIELD, timer),
        (HONEYPOT_FIELD, ""),
        ("confidentiality", "confidential"),
        ("reporter_name", "Budi Santoso"),
        ("reporter_nik", "3404011201900001"),
        ("reporter_address", "Jl. Kaliurang km 5, Caturtunggal, Depok, Sleman"),
        ("reporter_phone", "081234567890"),
        ("reporter_email", "pelapor.bench@example.org"),
        ("consent", "on"),
        ("incident_date", (today - dt.timedelta(days=2)).isoformat()),
        ("learned_date", (today - dt.timedelta(days=1)).isoformat()),
        ("provinsi", str(region.parent_id)),
        ("kabkota", str(region.pk)),
        ("place", "Balai Desa Caturtunggal"),
        (
            "description",
            "Terlapor hadir dalam pertemuan warga di balai desa bersama tim pemenangan, mengajak warga "
            "memilih pasangan calon bupati tertentu dan membagikan bingkisan sembako kepada yang hadir.",
        ),
        ("violation_type", str(ViolationType.objects.get(code="B8").pk)),
        ("evidence_links", "https://www.facebook.com/budi.santoso/posts/1234567890" if with_link else ""),
        ("witnesses", ""),
        ("draft", ""),
        (f"{TERLAPOR_PREFIX}-TOTAL_FORMS", "1"),
        (f"{TERLAPOR_PREFIX}-INITIAL_FORMS", "0"),
        (f"{TERLAPOR_PREFIX}-MIN_NUM_FORMS", "1"),
        (f"{TERLAPOR_PREFIX}-MAX_NUM_FORMS", str(MAX_TERLAPOR)),
        (f"{TERLAPOR_PREFIX}-0-name", "Sutrisno Hadi"),
        (f"{TERLAPOR_PREFIX}-0-nip", "197806122005011003"),
        (f"{TERLAPOR_PREFIX}-0-position", "Kepala Seksi Pemerintahan"),
        (f"{TERLAPOR_PREFIX}-0-work_unit", "Kecamatan Depok"),
        (f"{TERLAPOR_PREFIX}-0-instansi", str(instansi.pk)),
        (f"{TERLAPOR_PREFIX}-0-employee_status", "pns"),
    ]
    return fields


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


def photo_jpeg(target: int = PHOTO_BYTES) -> bytes:
    """A photo-like JPEG of about ``target`` bytes (gradients, shapes, sensor noise) with EXIF GPS."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(20241127)
    width, height = 1600, 1200
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    sky = Image.new("RGB", (width, height), (70, 130, 200))
    image = Image.blend(image, sky, 0.6)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height // 3, height)
        w, h = rng.randrange(40, 300), rng.randrange(40, 260)
        colour = tuple(rng.randrange(40, 230) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour)
        draw.ellipse((x - 30, y - 60, x + 30, y), fill=(230, 190, 150))
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0132] = "2024:11:25 09:14:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (7.0, 45.0, 30.0), 3: "E", 4: (110.0, 22.0, 10.0)})
    low, high, best = 10, 95, b""
    while low <= high:  # the highest quality that stays within the target
        quality = (low + high) // 2
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, exif=exif)
        data = buffer.getvalue()
        if len(data) <= target:
            best, low = data, quality + 1
        else:
            high = quality - 1
    return best


def prepare(out_dir: Path, seed: int) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    csrf = _csrf_secret()
    timer = TIMER_PLACEHOLDER
    signer = _OldTimer(salt=SALT)
    timers = "\n".join(signer.sign(secrets.token_urlsafe(12)) for _ in range(TIMERS))
    (out_dir / "timers.txt").write_text(timers + "\n")
    (out_dir / "cookie.txt").write_text(f"csrftoken={csrf}")
    (out_dir / "multipart-content-type.txt").write_text(f"multipart/form-data; boundary={BOUNDARY}")

    fields = _intake_fields(csrf, timer, with_link=True)
    (out_dir / "intake.body").write_text(urllib.parse.urlencode(fields))

    photo = photo_jpeg()
    (out_dir / "photo.jpg").write_bytes(photo)
    file_fields = _intake_fields(csrf, timer, with_link=False)
    (out_dir / "intake-photo.body").write_bytes(
        _multipart(file_fields, [("evidence_files", "IMG_20241125_091400.jpg", "image/jpeg", photo)])
    )

    generated = scale_reports().count()
    if generated == 0:
        raise SystemExit("no generated reports: run `manage.py generate_scale_data` first")
    rng = random.Random(seed)  # noqa: S311 - which reports to look up, no secret
    lines, wrong = [], 0
    for number in range(LOOKUP_PAIRS):
        index = rng.randrange(generated)
        pin_index = index
        if number > 0 and rng.random() < WRONG_PIN_SHARE:  # the first one is right: the smoke check uses it
            pin_index, wrong = (index + 1) % generated, wrong + 1
        body = {
            "csrfmiddlewaretoken": csrf,
            TIMER_FIELD: timer,
            HONEYPOT_FIELD: "",
            "tracking_code": scale_tracking_code(index),
            "pin": scale_pin(seed, pin_index),
        }
        lines.append(urllib.parse.urlencode(body))
    (out_dir / "lookup.bodies").write_text("\n".join(lines) + "\n")
    print(
        f"prepared: photo {len(photo)} bytes, {LOOKUP_PAIRS} lookups over {generated} generated reports "
        f"({wrong} with a wrong PIN), {TIMERS} single-use timers"
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, body: bytes, content_type: str, cookie: str) -> tuple[int, str, str]:
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit(f"the bench only talks to loopback, not {url}")
    request = urllib.request.Request(  # noqa: S310 - checked above: plain http on loopback
        url, data=body, method="POST", headers={"Content-Type": content_type, "Cookie": cookie}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")


def _errors(html: str) -> str:
    """The error texts of a re-rendered form, for a readable smoke failure."""
    import re

    found = re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</', html, re.S)
    return "; ".join(" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found)[:800]


def smoke(out_dir: Path, base: str) -> None:
    """One request per POST scenario; each must answer 303 (and the intake ones store a report)."""
    cookie = (out_dir / "cookie.txt").read_text()
    multipart = (out_dir / "multipart-content-type.txt").read_text()
    urlencoded = "application/x-www-form-urlencoded"
    lookups = (out_dir / "lookup.bodies").read_text().splitlines()
    # The last timers of the list (the load runs start at the first ones).
    spare = (out_dir / "timers.txt").read_text().split()[-3:]
    checks = (
        ("intake", "/lapor/", (out_dir / "intake.body").read_bytes(), urlencoded, True),
        ("intake-photo", "/lapor/", (out_dir / "intake-photo.body").read_bytes(), multipart, True),
        ("lookup", "/status/", lookups[0].encode(), urlencoded, False),
    )
    failed = []
    for name, path, body, content_type, stores in checks:
        body = body.replace(TIMER_PLACEHOLDER.encode(), spare.pop().encode(), 1)
        before = Report.objects.count()
        status, location, html = _post(base + path, body, content_type, cookie)
        stored = Report.objects.count() - before
        ok = status == 303 and (stored == 1 if stores else stored == 0)
        print(f"smoke {name}: HTTP {status} -> {location or '-'}, reports stored {stored}: {'ok' if ok else 'GAGAL'}")
        if not ok:
            failed.append(name)
            print(f"  errors: {_errors(html) or html[:400]}")
    if failed:
        raise SystemExit(f"smoke failed: {', '.join(failed)}")


def cleanup() -> None:
    """Delete what earlier bench runs submitted (every non-generated report, sessions, outbox) from the bench DB."""
    from django.conf import settings
    from django.db import connection

    from netralitas.models import OutboxMessage

    name = settings.DATABASES["default"]["NAME"]
    if not str(name).endswith("_bench"):
        raise SystemExit(f"refusing to clean {name!r}: not a *_bench database")
    submitted = Report.objects.exclude(tracking_code__startswith=SCALE_CODE_PREFIX)
    deleted = 0
    while ids := list(submitted.order_by().values_list("pk", flat=True)[:5000]):
        Report.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE django_session")
    outbox = OutboxMessage.objects.all().delete()[0]
    print(f"cleanup: {deleted} reports from earlier bench runs, {outbox} outbox messages, all sessions")


def count() -> None:
    print(Report.objects.count())


def record(
    results: Path,
    wrk_output: Path,
    stored: int | None,
    cpu: tuple[Path, Path] | None = None,
    wrk_cpu: float = 0.0,
) -> None:
    """Append the BENCH_JSON line of one wrk run to the results, with the reports it stored."""
    lines = [line for line in wrk_output.read_text().splitlines() if line.startswith("BENCH_JSON ")]
    if not lines:
        raise SystemExit(f"no BENCH_JSON line in {wrk_output}")
    row = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    row["stored"] = stored
    # Other work on the machine skews every figure: keep the load average next to them.
    row["load_1min"] = os.getloadavg()[0]
    if cpu:
        row["cpu"] = cpu_split(*cpu, wrk_seconds=wrk_cpu)
    with results.open("a") as out:
        out.write(json.dumps(row) + "\n")
    stored_text = f", {stored} reports stored ({stored / row['seconds']:.1f}/s)" if stored is not None else ""
    print(
        f"{row['scenario']} c{row['connections']}: {row['rps']:.1f} req/s, p95 {row['p95_ms']:.1f} ms, "
        f"statuses {row['statuses']}{stored_text}, cores used {row.get('cpu', '-')}"
    )


def table(results: Path) -> None:
    """Print the summary table from the JSON lines run.sh collected."""
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.startswith("{")]
    header = (
        f"{'scenario':<22}{'conn':>5}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}  {'statuses':<22}{'stored/s':>9}  cores: app/pg/redis/wrk/other"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        errors = sum(row["errors"].values()) - row["errors"].get("status", 0)
        statuses = " ".join(f"{code}:{n}" for code, n in sorted(row["statuses"].items()))
        stored = f"{row['stored'] / row['seconds']:.1f}" if row.get("stored") is not None else "-"
        cores = "/".join(f"{row['cpu'][group]:.2f}" for group in CPU_GROUPS) if row.get("cpu") else "-"
        print(
            f"{row['scenario']:<22}{row['connections']:>5}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}{errors:>8}  {statuses:<22}{stored:>9}  {cores}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s = sub.add_parser("smoke")
    s.add_argument("out_dir", type=Path)
    s.add_argument("base")
    sub.add_parser("count")
    sub.add_parser("cleanup")
    r = sub.add_parser("record")
    r.add_argument("results", type=Path)
    r.add_argument("wrk_output", type=Path)
    r.add_argument("--stored", type=int, default=None)
    r.add_argument("--cpu", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="snapshots by bench/cpu.py")
    r.add_argument("--wrk-cpu", type=float, default=0.0, help="CPU seconds wrk used (user + system)")
    t = sub.add_parser("table")
    t.add_argument("results", type=Path)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.out_dir, args.seed)
    elif args.command == "smoke":
        smoke(args.out_dir, args.base.rstrip("/"))
    elif args.command == "count":
        count()
    elif args.command == "cleanup":
        cleanup()
    elif args.command == "record":
        record(args.results, args.wrk_output, args.stored, args.cpu, args.wrk_cpu)
    else:
        table(args.results)


if __name__ == "__main__":
    main()
