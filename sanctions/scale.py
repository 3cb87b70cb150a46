"""Decisions and blocks for the generated scale data (benchmark tooling): sanctions' part of reports.scale_outcomes.

Runs after reports filled the generated cases' recommendations and states: a sanctioned case gets
the PPK's decision (on time or late, by its bucket), a never-followed-up case in the top buckets a
BKN block. SQL over the whole set; only generated cases without a decision / block are touched.
"""

from __future__ import annotations

from django.db import connection

from reports.enums import CaseStatus
from reports.scale import SCALE_CODE_PREFIX
from reports.scale_outcomes import BLOCKED_FROM, BUCKET_SQL, ON_TIME_BELOW
from sanctions.enums import Compliance, Examiner


def fill_scale_sanctions(actor_id: int) -> int:
    """Decision rows for generated sanctioned cases and Block rows for the blocked ones; returns rows written."""
    sk_date = (
        f"CASE WHEN {BUCKET_SQL} < {ON_TIME_BELOW} THEN x.received_date + 5 + ({BUCKET_SQL} %% 14)::int "
        f"ELSE t.due_date + 3 + ({BUCKET_SQL} %% 30)::int END"
    )
    generated = f"r.tracking_code LIKE '{SCALE_CODE_PREFIX}%%'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO sanctions_decision (terlapor_id, sk_number, sk_date, sanction_kind_id, examiner,
                examination_record, signed_sk, signed_sk_sha256, deviation_reason, compliance, recorded_by_id,
                recorded_at)
            SELECT t.id, '{SCALE_CODE_PREFIX}/SK/' || t.id, {sk_date},
                COALESCE((SELECT k.id FROM netralitas_sanctionkind k WHERE k.track = x.track AND k.level = x.level
                          ORDER BY k.sort_order, k.id LIMIT 1),
                         (SELECT k.id FROM netralitas_sanctionkind k ORDER BY k.sort_order, k.id LIMIT 1)),
                '{Examiner.NONE}', '', 'sk/data-buatan', repeat('0', 64), '',
                CASE WHEN {BUCKET_SQL} < {ON_TIME_BELOW} THEN '{Compliance.ON_TIME}' ELSE '{Compliance.LATE}' END,
                %s, ({sk_date})::timestamp AT TIME ZONE 'Asia/Jakarta'
            FROM reports_terlapor t
            JOIN reports_report r ON r.id = t.report_id
            JOIN reports_recommendation x ON x.terlapor_id = t.id
            WHERE {generated} AND t.case_status = '{CaseStatus.SANCTIONED}'
              AND NOT EXISTS (SELECT 1 FROM sanctions_decision d WHERE d.terlapor_id = t.id)
            """,  # noqa: S608 - constants of this module only; the actor travels as a parameter
            [actor_id],
        )
        written = cursor.rowcount
        blocked_on = f"(t.overdue_since + 10 + ({BUCKET_SQL} %% 20)::int)"
        cursor.execute(
            f"""
            INSERT INTO sanctions_block (terlapor_id, blocked_on, letter_number, letter_date, blocked_by_id,
                lift_letter_number)
            SELECT t.id, {blocked_on}, '{SCALE_CODE_PREFIX}/BLK/' || t.id, {blocked_on}, %s, ''
            FROM reports_terlapor t
            JOIN reports_report r ON r.id = t.report_id
            WHERE {generated} AND t.case_status = '{CaseStatus.AWAITING_PPK}' AND t.overdue_since IS NOT NULL
              AND {BUCKET_SQL} >= {BLOCKED_FROM}
              AND NOT EXISTS (SELECT 1 FROM sanctions_block b WHERE b.terlapor_id = t.id)
            """,  # noqa: S608 - constants of this module only
            [actor_id],
        )
        written += cursor.rowcount
        for table in ("sanctions_decision", "sanctions_block"):
            cursor.execute(f"ANALYZE {table}")
    return written
