"""Weight, queries and render time of the public form page (GET /lapor/), in-process.

    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=… [DATABASE_URL=…] .venv/bin/python bench/form_page.py [--renders 50]

Creates a throw-away test database (SQLite in memory, or `test_<name>` on PostgreSQL), loads the
reference data, then renders the page through Django's test client: the first render (cold
process: reference copies empty) and the mean, median and best of the next N renders (warm, as
a gunicorn worker serves them). It is not a test and not a load benchmark (bench/run.sh is);
it isolates what issue 11 calls "cheap rendering". Prints one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from django.test import Client

        from netralitas.reference import load_reference

        load_reference()
        client = Client()
        with CaptureQueriesContext(connection) as cold_queries:
            started = time.perf_counter()
            first = client.get("/lapor/")
            cold = time.perf_counter() - started
        assert first.status_code == 200, first.status_code
        timings = []
        with CaptureQueriesContext(connection) as warm_queries:
            for _ in range(args.renders):
                started = time.perf_counter()
                client.get("/lapor/")
                timings.append(time.perf_counter() - started)
        html = first.content.decode()
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "bytes": len(first.content),
                    "options": html.count("<option"),
                    "queries_cold": len(cold_queries),
                    "queries_warm": len(warm_queries) / args.renders,
                    "ms_cold": round(cold * 1000, 1),
                    "ms_mean": round(statistics.mean(timings) * 1000, 1),
                    "ms_median": round(statistics.median(timings) * 1000, 1),
                    "ms_best": round(min(timings) * 1000, 1),
                    "renders": args.renders,
                }
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
