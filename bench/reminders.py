"""Benchmark of the reminder sweep: its queries over 100 k and 1 M open cases with the same number due.

Run by bench/reminders.sh (see bench/README.md), in the bench database:

    python bench/reminders.py staff                 # one officer per Bawaslu and per pemda role (recipients)
    python bench/reminders.py open N --day D        # N generated reports (and their terlapor) open, 1 % due on D
    python bench/reminders.py measure --day D       # the sweep of D (dry run): time, queries, EXPLAIN
    python bench/reminders.py header                # 200 notifications per bench user: EXPLAIN the unread count

"Open" means a step with a running deadline: the generated reports are spread over verification,
the reporter's completion and kajian, their terlapor over the recommending authority's step. Of
every hundred generated reports, one (and its terlapor) is due around D: today, one or three
working days ahead, or overdue; all other open ones are due 30 to 400 days later, so no reminder
range touches them. The rest of the generated reports are closed, with no due date, as the
workflow leaves them. Each configuration keeps the same 1 % due: 10,000 reports at 1 M generated.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import cpu  # noqa: E402
from devdata.scale_codes import SCALE_CODE_PREFIX  # noqa: E402
from netralitas.enums import BAWASLU_KINDS, PEMDA_KINDS, OrganisationKind, Role  # noqa: E402
from netralitas.models import Membership, Organisation, RecommendingAuthority  # noqa: E402

JAKARTA = ZoneInfo("Asia/Jakarta")
BENCH_USER_PREFIX = "bench-"
# Of each 100 reports one is due near the day, at one of these calendar-day offsets (by (id / 100) % 10):
# ARRAY[-7, -3, -1, 0, 0, 0, 1, 1, 5, 5], written into the two UPDATEs below.


def staff() -> None:
    """Recipients: a Bawaslu officer in each Bawaslu, an operator, a PPK and a Satgas member in each pemda, BKN."""
    User = get_user_model()
    if User.objects.filter(username__startswith=BENCH_USER_PREFIX).exists():
        print("bench staff already there")
        return
    wanted = []
    for org in Organisation.objects.filter(kind__in=BAWASLU_KINDS):
        wanted.append((org, Role.BAWASLU))
    for org in Organisation.objects.filter(kind__in=PEMDA_KINDS):
        wanted += [(org, Role.OPERATOR), (org, Role.PPK), (org, Role.SATGAS)]
    bkn = Organisation.objects.get(kind=OrganisationKind.BKN)
    wanted += [(bkn, Role.AUTHORITY), (bkn, Role.BKN)]
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                username=f"{BENCH_USER_PREFIX}{org.code}-{role}",
                email=f"{org.code}-{role}@bench.example",
                is_staff=True,
            )
            for org, role in wanted
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=org, role=role) for user, (org, role) in zip(users, wanted, strict=True)
        )
    print(f"bench staff: {len(users)} users")


def open_cases(n: int, day: date) -> None:
    """The first ``n`` generated reports (by id) and their terlapor open, 1 % of all generated due near ``day``."""
    authority = RecommendingAuthority.objects.filter(organisation__kind=OrganisationKind.BKN).values_list(
        "pk", flat=True
    )[0]
    like = f"{SCALE_CODE_PREFIX}%"
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id), count(*) FROM reports_report WHERE tracking_code LIKE %s", [like])
        low, high, total = cursor.fetchone()
        every = max(total // n, 1)  # keep 1 report in ``every`` open: the 1 % due is among them (every divides 100)
        started = time.monotonic()
        cursor.execute(
            """
            UPDATE reports_report SET
              status = CASE WHEN id %% %s <> 0 THEN 'closed'
                ELSE (ARRAY['received','verifying','needs_completion','registered','kajian'])[1 + (id / 100) %% 5] END,
              due_step = CASE WHEN id %% %s <> 0 THEN ''
                ELSE (ARRAY['satgas_verification','satgas_verification','reporter_completion','bawaslu_kajian',
                            'bawaslu_kajian'])[1 + (id / 100) %% 5] END,
              due_date = CASE WHEN id %% %s <> 0 THEN NULL
                WHEN id %% 100 = 0 THEN %s::date + (ARRAY[-7, -3, -1, 0, 0, 0, 1, 1, 5, 5])[1 + (id / 100) %% 10]
                ELSE %s::date + (30 + id %% 370)::int END
            WHERE tracking_code LIKE %s
            """,
            [every, every, every, day, day, like],
        )
        cursor.execute(
            """
            UPDATE reports_terlapor t SET
              case_status = CASE WHEN t.report_id %% %s <> 0 THEN 'pending' ELSE 'clarification' END,
              due_step = CASE WHEN t.report_id %% %s <> 0 THEN '' ELSE 'authority_action' END,
              authority_id = CASE WHEN t.report_id %% %s <> 0 THEN NULL ELSE %s END,
              due_date = CASE WHEN t.report_id %% %s <> 0 THEN NULL
                WHEN t.report_id %% 100 = 0
                  THEN %s::date + (ARRAY[-7, -3, -1, 0, 0, 0, 1, 1, 5, 5])[1 + (t.report_id / 100) %% 10]
                ELSE %s::date + (30 + t.report_id %% 370)::int END
            FROM reports_report r
            WHERE r.id = t.report_id AND r.tracking_code LIKE %s
            """,
            [every, every, every, authority, every, day, day, like],
        )
        # Both configurations rewrite every generated row: vacuum, so neither measures the other's dead rows.
        cursor.execute("VACUUM ANALYZE reports_report")
        cursor.execute("VACUUM ANALYZE reports_terlapor")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE due_date IS NOT NULL), count(*) FILTER (WHERE due_date BETWEEN %s::date - 7 "
            "AND %s::date + 5) FROM reports_report WHERE tracking_code LIKE %s",
            [day, day, like],
        )
        opened, near = cursor.fetchone()
    print(
        f"generated reports {total} (ids {low}..{high}); open {opened}, due near {day}: {near}; "
        f"terlapor follow their report; {time.monotonic() - started:.0f} s"
    )


def _explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(day: date, runs: int, out: Path | None) -> None:
    """Time the dry-run sweep of ``day`` (06:00 Asia/Jakarta) ``runs`` times; print queries and plans."""
    from netralitas import refcache
    from netralitas.reminder_sweep import messages_due

    moment = datetime.combine(day, clock(6), tzinfo=JAKARTA)
    results = []
    for run in range(runs):
        refcache.clear()  # every run reads the reference data afresh, as a new process would
        before, own = cpu.snapshot(), os.times()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            messages = messages_due(moment)
        wall = time.perf_counter() - started
        after, own_after = cpu.snapshot(), os.times()
        split = cpu.split(before, after)
        own_cores = (own_after.user + own_after.system - own.user - own.system) / max(wall, 1e-9)
        sql = sum(float(q["time"]) for q in captured.captured_queries)
        results.append(
            {
                "run": run + 1,
                "wall_s": round(wall, 3),
                "sql_s": round(sql, 3),
                "queries": len(captured.captured_queries),
                "messages": len(messages),
                "cores_postgres": split["postgres"],
                "cores_sweep": round(own_cores, 2),
                "cores_other": round(max(split["other"] - own_cores, 0), 2),
            }
        )
        print(json.dumps(results[-1]), flush=True)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:6]
    report = ["", "slowest queries of the last run:"]
    for query in slowest:
        report.append(f"{float(query['time']):.3f} s  {query['sql'][:300]}")
    kinds = {}
    for message in messages:
        kinds[message.kind.split(":")[0]] = kinds.get(message.kind.split(":")[0], 0) + 1
    report.append(f"messages by kind: {json.dumps(dict(sorted(kinds.items())))}")
    for query in slowest[:3]:
        if query["sql"].startswith("SELECT"):
            report += [
                "",
                f"EXPLAIN ANALYZE ({float(query['time']):.3f} s in the sweep):",
                _explain(query["sql"], None),
            ]
    text = "\n".join(report)
    print(text)
    if out is not None:
        with out.open("a") as handle:
            handle.write("\n".join(json.dumps(r) for r in results) + "\n" + text + "\n")


def header() -> None:
    """The staff header's unread count with 200 notifications per bench user, half unread: its plan and time."""
    from netralitas.models import Notification
    from netralitas.reminder_selectors import unread_count

    User = get_user_model()
    users = list(User.objects.filter(username__startswith=BENCH_USER_PREFIX).order_by("pk"))
    if not Notification.objects.filter(user__in=users[:1]).exists():
        now = datetime.now(JAKARTA)
        for start in range(0, len(users), 200):
            Notification.objects.bulk_create(
                Notification(
                    user=user,
                    kind=f"overdue:{i}",
                    subject=f"bench:{user.pk}",
                    due_date=date(2024, 10, 9),
                    title="Bench",
                    url="/kerja/",
                    created_at=now,
                    read_at=now if i % 2 else None,
                )
                for user in users[start : start + 200]
                for i in range(200)
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE netralitas_notification")
    user = users[len(users) // 2]
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        count = unread_count(user)
        wall = time.perf_counter() - started
    (query,) = captured.captured_queries
    print(f"notifications: {Notification.objects.count()}; unread of one user: {count} in {wall * 1000:.2f} ms")
    print(_explain(query["sql"], None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("staff")
    opening = sub.add_parser("open")
    opening.add_argument("n", type=int)
    opening.add_argument("--day", type=date.fromisoformat, required=True)
    measuring = sub.add_parser("measure")
    measuring.add_argument("--day", type=date.fromisoformat, required=True)
    measuring.add_argument("--runs", type=int, default=3)
    measuring.add_argument("--out", type=Path)
    sub.add_parser("header")
    args = parser.parse_args()
    if args.command == "staff":
        staff()
    elif args.command == "header":
        header()
    elif args.command == "open":
        open_cases(args.n, args.day)
    else:
        measure(args.day, args.runs, args.out)


if __name__ == "__main__":
    main()
