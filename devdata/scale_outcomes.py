"""Outcomes for the generated scale data (benchmark tooling, not domain): what happened next to each case.

generate_scale_data writes reports and terlapor; this gives the cases of forwarded and closed
generated reports what happened next (domain.md §9: 50–80% proven, 45–90% of recommendations
followed up, 5–10% blocked): recommendations and case states, then the PPK's decisions and
BKN's blocks, in SQL (INSERT .. SELECT / UPDATE over the whole set: seconds at a million
reports). Deterministic: a case's bucket is a hash of its id. Only generated cases still
pending (without a decision, without a block) are touched, so a top-up run fills the new ones only.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from devdata.scale_codes import SCALE_CODE_PREFIX
from reports.enums import CaseStatus, ReportStatus
from sanctions.enums import Compliance, Examiner

# A case's bucket, 0..999, from its id (Knuth's multiplicative hash).
BUCKET_SQL = "((t.id * 2654435761) %% 1000)"
# Buckets of a closed report's cases: not proven below 300; of the proven, sanctioned on time below 680,
# late below 810, never followed up from 810 (blocked by BKN from 950).
NOT_PROVEN_BELOW = 300
ON_TIME_BELOW = 680
LATE_BELOW = 810
BLOCKED_FROM = 950
# A forwarded report's cases: in clarification below 500, else awaiting the PPK.
CLARIFICATION_BELOW = 500


def scale_actor_id() -> int:
    """The inactive account that 'issues' and 'records' generated letters (it can never sign in)."""
    user, _created = get_user_model().objects.get_or_create(
        username="scale.generator", defaults={"is_active": False, "first_name": "Data buatan"}
    )
    return user.pk


def _fill_recommendations(cursor, actor_id: int) -> int:
    closed, forwarded = ReportStatus.CLOSED, ReportStatus.FORWARDED
    proven = (
        f"((r.status = '{closed}' AND {BUCKET_SQL} >= {NOT_PROVEN_BELOW}) "
        f"OR (r.status = '{forwarded}' AND {BUCKET_SQL} >= {CLARIFICATION_BELOW}))"
    )
    letter = f"((r.received_at AT TIME ZONE 'Asia/Jakarta')::date + 20 + ({BUCKET_SQL} %% 25)::int)"
    cursor.execute(
        f"""
        INSERT INTO reports_recommendation (terlapor_id, authority_id, addressed_to_id, finding, violation_type_id,
            track, level, reasoning, letter_number, letter_date, issued_by_id, issued_at, received_date, cancel_reason)
        SELECT t.id,
            (SELECT a.id FROM netralitas_recommendingauthority a WHERE a.valid_from <= {letter}
               AND (a.valid_until IS NULL OR a.valid_until >= {letter}) ORDER BY a.valid_from DESC, a.id DESC LIMIT 1),
            t.instansi_id, 'Temuan (data buatan).', vt.id, vt.track, vt.level, 'Pertimbangan (data buatan).',
            '{SCALE_CODE_PREFIX}/REK/' || t.id, {letter}, %s, {letter}::timestamp AT TIME ZONE 'Asia/Jakarta',
            {letter} + ({BUCKET_SQL} %% 4)::int, ''
        FROM reports_terlapor t
        JOIN reports_report r ON r.id = t.report_id
        LEFT JOIN netralitas_violationtype rv ON rv.id = r.violation_type_id
        JOIN netralitas_violationtype vt ON vt.code = COALESCE(rv.code, 'B8')
        WHERE r.tracking_code LIKE '{SCALE_CODE_PREFIX}%%' AND t.case_status = '{CaseStatus.PENDING}'
          AND t.instansi_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM reports_recommendation x WHERE x.terlapor_id = t.id)
          AND r.status IN ('{closed}', '{forwarded}') AND {proven}
        """,  # noqa: S608 - constants of this module only; the actor travels as a parameter
        [actor_id],
    )
    return cursor.rowcount


def _fill_case_states(cursor) -> int:
    closed, forwarded = ReportStatus.CLOSED, ReportStatus.FORWARDED
    written = 0
    # Cases with a generated recommendation: sanctioned, or awaiting the PPK past the deadline (overdue).
    cursor.execute(
        f"""
        UPDATE reports_terlapor t SET
            case_status = CASE WHEN r.status = '{closed}' AND {BUCKET_SQL} < {LATE_BELOW}
                               THEN '{CaseStatus.SANCTIONED}' ELSE '{CaseStatus.AWAITING_PPK}' END,
            due_date = x.received_date + 20,
            due_step = 'ppk_follow_up',
            overdue_since = CASE WHEN r.status = '{closed}' AND {BUCKET_SQL} < {LATE_BELOW}
                                 THEN NULL ELSE x.received_date + 21 END
        FROM reports_report r, reports_recommendation x
        WHERE r.id = t.report_id AND x.terlapor_id = t.id AND t.case_status = '{CaseStatus.PENDING}'
          AND r.tracking_code LIKE '{SCALE_CODE_PREFIX}%%'
        """,  # noqa: S608 - constants of this module only
        [],  # with parameters (none), so the driver turns %% into %
    )
    written += cursor.rowcount
    cursor.execute(
        f"""
        UPDATE reports_terlapor t SET case_status = CASE WHEN r.status = '{closed}'
            THEN '{CaseStatus.NOT_PROVEN}' ELSE '{CaseStatus.CLARIFICATION}' END
        FROM reports_report r
        WHERE r.id = t.report_id AND t.case_status = '{CaseStatus.PENDING}' AND r.status IN ('{closed}', '{forwarded}')
          AND r.tracking_code LIKE '{SCALE_CODE_PREFIX}%%'
          AND NOT EXISTS (SELECT 1 FROM reports_recommendation x WHERE x.terlapor_id = t.id)
        """,  # noqa: S608 - constants of this module only
        [],  # with parameters (none), so the driver turns %% into %
    )
    return written + cursor.rowcount


def _fill_decisions_and_blocks(cursor, actor_id: int) -> int:
    """Decision rows for generated sanctioned cases (on time or late, by their bucket) and Block rows for the
    never-followed-up cases in the top buckets; returns rows written."""
    sk_date = (
        f"CASE WHEN {BUCKET_SQL} < {ON_TIME_BELOW} THEN x.received_date + 5 + ({BUCKET_SQL} %% 14)::int "
        f"ELSE t.due_date + 3 + ({BUCKET_SQL} %% 30)::int END"
    )
    generated = f"r.tracking_code LIKE '{SCALE_CODE_PREFIX}%%'"
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


def fill_scale_outcomes() -> dict[str, int]:
    """Recommendations and case states for the generated cases, then decisions and blocks; rows per step.

    PostgreSQL only (the generator's COPY path); a no-op elsewhere. One transaction.
    """
    if connection.vendor != "postgresql":
        return {}
    actor_id = scale_actor_id()
    done: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        done["recommendations"] = _fill_recommendations(cursor, actor_id)
        # The states next: decisions and blocks hang on the sanctioned and overdue cases.
        done["case_states"] = _fill_case_states(cursor)
        # Statistics of the rows just written: without them the decision and block joins are planned for an empty
        # reports_recommendation (at 1 M the decision INSERT ran over 7 minutes without finishing).
        for table in ("reports_terlapor", "reports_recommendation"):
            cursor.execute(f"ANALYZE {table}")
        done["decisions_and_blocks"] = _fill_decisions_and_blocks(cursor, actor_id)
        for table in ("reports_terlapor", "reports_recommendation"):
            cursor.execute(f"ANALYZE {table}")
    return done
