#!/usr/bin/env bash
# Benchmark of the reminder sweep (bench/reminders.py): its queries over 100 k and over 1 M open cases
# with the same number due. See bench/README.md. Knobs (environment):
#   BENCH_REPORTS=1000000            generated reports (generate_scale_data tops up; never shrinks)
#   BENCH_DAY=2024-10-09             the day swept (a Wednesday of the Pilkada 2024 campaign)
#   BENCH_REMINDERS_DB=netralitas_bench14
#   BENCH_RUNS=3                     timed dry runs of the sweep per configuration
set -euo pipefail
{
cd "$(dirname "$0")/.."
repo=$PWD
REPORTS=${BENCH_REPORTS:-1000000}
DAY=${BENCH_DAY:-2024-10-09}
DB=${BENCH_REMINDERS_DB:-netralitas_bench14}
RUNS=${BENCH_RUNS:-3}

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$repo/bench/results"
summary=$repo/bench/results/reminders-$stamp.txt

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DJANGO_DEBUG=0 DJANGO_LOG_LEVEL=WARNING
export DJANGO_SECRET_KEY=bench-secret-key-not-for-production-6f1d0c2a9b8e7d5c4b3a
# A dry-run sweep needs no broker and no cache server.
unset REDIS_URL CELERY_BROKER_URL

make -s .venv/.installed
PY=$repo/.venv/bin/python
say() { printf '\n==> %s\n' "$*" | tee -a "$summary"; }

say "Database $DB, $REPORTS generated reports, sweep of $DAY"
if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    createdb -h 127.0.0.1 -U postgres "$DB"
fi
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference >/dev/null
$PY manage.py generate_scale_data --reports "$REPORTS" 2>&1 | tail -n 1 | tee -a "$summary"
$PY bench/reminders.py staff | tee -a "$summary"
{
    echo "date: $(date -Iseconds)"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "postgresql: $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version')"
    if git -C "$repo" rev-parse HEAD >/dev/null 2>&1; then
        echo "code: $(git -C "$repo" rev-parse --short HEAD), $(git -C "$repo" status --porcelain | wc -l) files changed or new"
    else
        echo "code: ${BENCH_CODE:-an exported tree}"
    fi
    echo "database size: $(psql -h 127.0.0.1 -U postgres -tAc "SELECT pg_size_pretty(pg_database_size('$DB'))")"
} | tee -a "$summary"

for open in $((REPORTS / 10)) "$REPORTS"; do
    say "$open open reports (1 in $((REPORTS / open)) of the generated), 1 % of all generated due near $DAY"
    $PY bench/reminders.py open "$open" --day "$DAY" | tee -a "$summary"
    $PY bench/cpu.py --wait-quiet 120 | tee -a "$summary"
    $PY bench/reminders.py measure --day "$DAY" --runs "$RUNS" --out "$summary"
done
say "The staff header's unread count (one indexed COUNT)"
$PY bench/reminders.py header | tee -a "$summary"
echo "Results: $summary"
}
