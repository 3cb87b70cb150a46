"""Queries and Python time per request of the public path, in-process (issue 11).

    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=… DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/public_path.py \
        [--requests 30] [--profile form|intake|intake-photo|lookup|lookup-wrong] [--top 25]

On a throw-away test database (`test_<name>`) with the reference data and 200 generated reports,
it sends through Django's test client, with CSRF enforced: GET /lapor/, POST /lapor/ (no file),
POST /lapor/ with the bench's 199 KB JPEG, and POST /status/ (code + right PIN; lookup-wrong: code +
another report's PIN), each with a fresh anti-bot timer, after one warm-up request of each. It prints
per path the queries and the Redis round trips of one warm request (and their SQL and commands with
--sql), the mean time, and with --profile the top functions of cProfile over the requests. No load,
no network: bench/peer/run.sh measures throughput.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
for _name in ("SUBMIT", "SUBMIT_POSTS", "LOOKUP_FAILED", "LOOKUP_FAILED_CODE"):  # counted, never blocking
    os.environ[f"NETRALITAS_RATE_{_name}"] = "1000000000"


class RedisTrips:
    """Counts the round trips to Redis (one per send_packed_command: a pipeline is one) and names their commands."""

    def __init__(self):
        from redis.connection import AbstractConnection

        self.calls: list[str] = []
        self.counting = False
        original = AbstractConnection.send_packed_command

        def send_packed_command(connection, command, check_health=True):
            if self.counting:
                chunks = command if isinstance(command, list | tuple) else [command]
                raw = b"".join(bytes(chunk) for chunk in chunks)
                names = re.findall(rb"\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n", raw)
                self.calls.append(" ".join(name.decode().upper() for name in names))
            return original(connection, command, check_health)

        AbstractConnection.send_packed_command = send_packed_command

    def __enter__(self):
        self.calls = []
        self.counting = True
        return self

    def __exit__(self, *exc):
        self.counting = False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    import tempfile

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.NETRALITAS_PRIVATE_MEDIA = tempfile.mkdtemp(prefix="netralitas-path-")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        import harness
        from django.core.management import call_command
        from django.test import Client

        from devdata.scale_codes import DEFAULT_SEED, scale_pin, scale_tracking_code
        from netralitas.reference import load_reference
        from reports.public.antibot import SALT

        load_reference()
        call_command("generate_scale_data", reports=200, verbosity=0, stdout=io.StringIO())
        csrf = harness._csrf_secret()
        signer = harness._OldTimer(salt=SALT)
        photo = harness.photo_jpeg()
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = csrf

        intake_fields = {
            kind: dict(harness._intake_fields(csrf, "", with_link=kind == "intake"))
            for kind in ("intake", "intake-photo")
        }

        def send(kind: str, number: int):
            timer = signer.sign(f"path{kind}{number}{time.time_ns()}")
            if kind == "form":
                return client.get("/lapor/")
            if kind in ("lookup", "lookup-wrong"):
                body = {
                    "csrfmiddlewaretoken": csrf,
                    "form_ts": timer,
                    "situs_web": "",
                    "tracking_code": scale_tracking_code(number % 200),
                    # The bench's 10 %: another report's PIN, answered with the page again.
                    "pin": scale_pin(DEFAULT_SEED, (number + (kind == "lookup-wrong")) % 200),
                }
                return client.post("/status/", body)
            fields = {**intake_fields[kind], "form_ts": timer}
            if kind == "intake-photo":
                upload = io.BytesIO(photo)
                upload.name = "IMG_20241125_091400.jpg"
                fields["evidence_files"] = upload
            return client.post("/lapor/", fields)

        trips = RedisTrips()
        expected = {"form": 200, "intake": 303, "intake-photo": 303, "lookup": 303, "lookup-wrong": 200}
        out = {}
        for kind in expected:
            response = send(kind, 0)
            assert response.status_code == expected[kind], (kind, response.status_code)
            client.cookies.pop("sessionid", None)  # every citizen arrives without a session
            with CaptureQueriesContext(connection) as queries, trips:
                response = send(kind, 1)
            assert response.status_code == expected[kind], (kind, response.status_code)
            client.cookies.pop("sessionid", None)
            query_count = len(queries)  # now: the next request's request_started empties the log
            if args.sql:
                print(f"--- {kind}: {len(queries)} queries")
                for query in queries.captured_queries:
                    print("   ", query["sql"][:300])
                print(f"--- {kind}: {len(trips.calls)} Redis round trips")
                for call in trips.calls:
                    print("   ", call)
            profiler = cProfile.Profile() if args.profile == kind else None
            timings = []
            for number in range(2, args.requests + 2):
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                response = send(kind, number)
                if profiler:
                    profiler.disable()
                timings.append(time.perf_counter() - started)
                client.cookies.pop("sessionid", None)
                assert response.status_code == expected[kind], (kind, response.status_code)
            out[kind] = {
                "queries": query_count,
                "redis": len(trips.calls),
                "bytes": len(response.content) if kind == "form" else None,
                "ms_mean": round(statistics.mean(timings) * 1000, 1),
                "ms_median": round(statistics.median(timings) * 1000, 1),
            }
            if profiler:
                stream = io.StringIO()
                stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative")
                stats.print_stats(args.top)
                stats.sort_stats("tottime").print_stats(args.top)
                print(stream.getvalue())
        print(json.dumps(out))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
