#!/usr/bin/env bash
# Load benchmark of the public intake (POST /lapor/, without and with a 200 KB photo) and of the
# status lookup (POST /status/) on gunicorn + PostgreSQL + Redis, with 1 million reports in the
# database. Everything runs on 127.0.0.1; every load run lasts a fixed time and stops by itself.
# See bench/README.md. Knobs (environment):
#   BENCH_REPORTS=1000000      generated reports to have in the database (fewer for a quick run)
#   BENCH_DURATION=30          seconds of each measured run, after BENCH_WARMUP=5 seconds of warm-up
#   BENCH_CONNECTIONS="8 16"   connection counts to run each scenario with
#   BENCH_SCENARIOS="intake intake-photo lookup home healthz dash-instansi dash-regional dash-national statistik"
#   BENCH_GUNICORN_ARGS="--workers 4"   sync workers (gthread keeps wrk's keep-alive connections on
#                              one process; see README)
#   BENCH_PORT=8077  BENCH_WRK_THREADS=1  BENCH_DB=netralitas_bench  BENCH_REDIS_DB=9
#   BENCH_WAIT_QUIET=180       before each run, wait up to this many seconds for other work to stop
#   BENCH_REF=HEAD             bench a committed tree (exported to a temp dir) instead of the work tree
set -euo pipefail
# The whole script is one block, read before it runs: editing this file mid-run cannot derail it.
{
cd "$(dirname "$0")/.."
repo=$PWD

REPORTS=${BENCH_REPORTS:-1000000}
DURATION=${BENCH_DURATION:-30}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-8 16}
SCENARIOS=${BENCH_SCENARIOS:-intake intake-photo lookup home healthz dash-instansi dash-regional dash-national statistik}
GUNICORN_ARGS=${BENCH_GUNICORN_ARGS:---workers 4}
PORT=${BENCH_PORT:-8077}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
WAIT_QUIET=${BENCH_WAIT_QUIET:-180}
DB=${BENCH_DB:-netralitas_bench}  # another name must end in _bench (harness.py cleanup refuses others)
REDIS_DB=${BENCH_REDIS_DB:-9}
BASE=http://127.0.0.1:$PORT

stamp=$(date +%Y%m%d-%H%M%S)
results_dir=$repo/bench/results
run_dir=$results_dir/$stamp
summary=$results_dir/$stamp.txt
mkdir -p "$run_dir"

gunicorn_pid=
tree=
cleanup() {
    if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
        kill -TERM "$gunicorn_pid"
        wait "$gunicorn_pid" 2>/dev/null || true
    fi
    # Nobody consumes the bench queue: drop what the submissions published. Keep nothing on disk.
    redis-cli -n "$REDIS_DB" del celery >/dev/null 2>&1 || true
    rm -rf "$run_dir/media"
    if [ -n "$tree" ]; then rm -rf "$tree"; fi
}
trap cleanup EXIT

make -s .venv/.installed
PY=$repo/.venv/bin/python
if [ -n "${BENCH_REF:-}" ]; then
    # Files being edited while gunicorn imports them make no benchmark: serve a fixed commit.
    tree=$(mktemp -d /tmp/netralitas-bench-tree.XXXXXX)
    git archive "$BENCH_REF" | tar -x -C "$tree"
    cd "$tree"
fi

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export CELERY_BROKER_URL=$REDIS_URL  # on-commit .delay() really publishes; no worker consumes it
export DJANGO_CACHE_PREFIX=netralitas-bench
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY=bench-secret-key-not-for-production-6f1d0c2a9b8e7d5c4b3a
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_LOG_LEVEL=WARNING
# The limiter still counts every request in Redis (part of the measured path) but never blocks.
export NETRALITAS_RATE_SUBMIT=1000000000
export NETRALITAS_RATE_SUBMIT_POSTS=1000000000
export NETRALITAS_RATE_LOOKUP_FAILED=1000000000
export NETRALITAS_RATE_LOOKUP_FAILED_CODE=1000000000
export NETRALITAS_PRIVATE_MEDIA=$run_dir/media

say() { printf '\n==> %s\n' "$*" | tee -a "$summary"; }
log() { printf '%s\n' "$*" | tee -a "$summary"; }

wait_for() {  # wait_for <what> <seconds> <command...>
    local what=$1 seconds=$2; shift 2
    for _ in $(seq "$seconds"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    echo "$what tidak menyala / did not come up" >&2
    return 1
}


say "Services and tools"
if ! pg_isready -q -h 127.0.0.1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    wait_for PostgreSQL 30 pg_isready -q -h 127.0.0.1
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    wait_for Redis 30 redis-cli -h 127.0.0.1 ping
fi
if ! command -v wrk >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
fi

say "Database $DB"
if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    createdb -h 127.0.0.1 -U postgres "$DB"
fi
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference >/dev/null
$PY bench/harness.py cleanup | tee -a "$summary"
$PY manage.py generate_scale_data --reports "$REPORTS" 2>&1 | tail -n 3 | tee -a "$summary"
$PY manage.py collectstatic --noinput -v 0
# Start Redis clean too: rate-limit counters and sessions of earlier runs, the unconsumed queue.
redis-cli -n "$REDIS_DB" --scan --pattern "$DJANGO_CACHE_PREFIX:*" | xargs -r -n 500 redis-cli -n "$REDIS_DB" del >/dev/null
redis-cli -n "$REDIS_DB" del celery >/dev/null

say "Machine"
{
    echo "date: $(date -Iseconds)"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "postgresql: $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version')"
    echo "redis: $(redis-cli -h 127.0.0.1 info server | tr -d '\r' | awk -F: '/^redis_version/ {print $2}')"
    echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "python: $($PY -c 'import platform; print(platform.python_version())'), $($PY -m gunicorn --version)"
    echo "gunicorn args: $GUNICORN_ARGS"
    if [ -n "${BENCH_REF:-}" ]; then
        echo "code: $(git -C "$repo" rev-parse --short "$BENCH_REF") ($BENCH_REF, exported)"
    else
        echo "code: work tree on $(git -C "$repo" rev-parse --short HEAD)," \
            "$(git -C "$repo" status --porcelain | wc -l) files changed or new"
    fi
    echo "database size: $(psql -h 127.0.0.1 -U postgres -tAc "SELECT pg_size_pretty(pg_database_size('$DB'))")"
    echo "reports: $($PY bench/harness.py count)"
} | tee -a "$summary"

say "Request bodies"
$PY bench/harness.py prepare "$run_dir/work" | tee -a "$summary"
$PY bench/dashboards.py prepare "$run_dir/work" | tee -a "$summary"

say "gunicorn on $BASE"
# shellcheck disable=SC2086 # GUNICORN_ARGS is a list of words on purpose
"$repo/.venv/bin/gunicorn" netralitas.wsgi:application --bind "127.0.0.1:$PORT" $GUNICORN_ARGS \
    --log-level warning --error-logfile "$run_dir/gunicorn.log" &
gunicorn_pid=$!
wait_for gunicorn 60 curl -fsS "$BASE/healthz"
curl -fsS "$BASE/healthz" | tee -a "$summary"
echo | tee -a "$summary"
case " $SCENARIOS " in  # the POST smoke checks only when a POST scenario runs
    *" intake "* | *" intake-photo "* | *" lookup "*) $PY bench/harness.py smoke "$run_dir/work" "$BASE" | tee -a "$summary" ;;
esac
$PY bench/dashboards.py smoke "$run_dir/work" "$BASE" | tee -a "$summary"

timer_offset=0  # single-use anti-bot timers: each run starts after the ones earlier runs may have spent
wrk_run() {  # wrk_run <seconds> <output> <path>; wrk's own CPU seconds go to <output>.cpu
    local TIMEFORMAT='%U %S' used
    export BENCH_TIMER_OFFSET=$timer_offset BENCH_WRK_THREADS=$WRK_THREADS
    { time wrk -t "$WRK_THREADS" -c "$connections" -d "${1}s" --timeout 10s --latency -s bench/load.lua \
        "$BASE$3" >"$2" 2>&1; } 2>"$2.cpu"
    used=$(sed -n 's/.*"requests": \([0-9]*\).*/\1/p' "$2" | tail -n 1)
    timer_offset=$((timer_offset + ${used:-0} + connections + WRK_THREADS))
}

scenario_env() {  # sets the BENCH_* variables load.lua reads for one scenario; prints its path
    unset BENCH_BODIES BENCH_BODY_LINES BENCH_CONTENT_TYPE BENCH_COOKIE_FILE BENCH_TIMERS
    export BENCH_METHOD=GET BENCH_SCENARIO=$1
    case $1 in intake | intake-photo | lookup) export BENCH_TIMERS=$run_dir/work/timers.txt ;; esac
    case $1 in
        intake)
            export BENCH_METHOD=POST BENCH_BODIES=$run_dir/work/intake.body \
                BENCH_CONTENT_TYPE=application/x-www-form-urlencoded BENCH_COOKIE_FILE=$run_dir/work/cookie.txt
            path=/lapor/ ;;
        intake-photo)
            BENCH_CONTENT_TYPE=$(cat "$run_dir/work/multipart-content-type.txt")
            export BENCH_METHOD=POST BENCH_BODIES=$run_dir/work/intake-photo.body BENCH_CONTENT_TYPE \
                BENCH_COOKIE_FILE=$run_dir/work/cookie.txt
            path=/lapor/ ;;
        lookup)
            export BENCH_METHOD=POST BENCH_BODIES=$run_dir/work/lookup.bodies BENCH_BODY_LINES=1 \
                BENCH_CONTENT_TYPE=application/x-www-form-urlencoded BENCH_COOKIE_FILE=$run_dir/work/cookie.txt
            path=/status/ ;;
        home) path=/ ;;
        form) path=/lapor/ ;;
        healthz) path=/healthz ;;
        # Issue 15: a signed-in staff session per dashboard (bench/dashboards.py), the public statistics.
        dash-instansi|dash-regional|dash-national)
            export BENCH_COOKIE_FILE=$run_dir/work/$1.cookie
            path=/dasbor/ ;;
        statistik) path=/statistik/ ;;
        *) echo "unknown scenario: $1" >&2; exit 2 ;;
    esac
}

say "Load runs: ${WARMUP}s warm-up + ${DURATION}s measured each, connections: $CONNECTIONS"
rows=$run_dir/rows.jsonl
: >"$rows"
for scenario in $SCENARIOS; do
    for connections in $CONNECTIONS; do
        scenario_env "$scenario"
        export BENCH_CONNECTIONS=$connections
        $PY bench/cpu.py --wait-quiet "$WAIT_QUIET" | tee -a "$summary"
        wrk_run "$WARMUP" "$run_dir/$scenario-c$connections-warmup.txt" "$path"
        sleep 2  # let the requests still in flight finish before counting
        before=$($PY bench/harness.py count)
        $PY bench/cpu.py "$run_dir/cpu-before.json"
        wrk_run "$DURATION" "$run_dir/$scenario-c$connections.txt" "$path"
        $PY bench/cpu.py "$run_dir/cpu-after.json"
        sleep 2
        after=$($PY bench/harness.py count)
        stored=()
        if [ "$scenario" = intake ] || [ "$scenario" = intake-photo ]; then
            stored=(--stored $((after - before)))
        fi
        $PY bench/harness.py record "$rows" "$run_dir/$scenario-c$connections.txt" "${stored[@]}" \
            --cpu "$run_dir/cpu-before.json" "$run_dir/cpu-after.json" \
            --wrk-cpu "$(awk '{print $1 + $2}' "$run_dir/$scenario-c$connections.txt.cpu")" | tee -a "$summary"
    done
done

say "Results ($(date -Iseconds))"
$PY bench/harness.py table "$rows" | tee -a "$summary"
log ""
log "stored/s = reports found in the database after the run minus before, per second of the run."
log "cores = average CPU cores used during the measured run by gunicorn, PostgreSQL, Redis, wrk and anything"
log "else on the machine (other > 0.1 means other work competed with the bench: rerun on a quiet machine)."
log "Raw wrk output: $run_dir/   Summary: $summary"
if [ -s "$run_dir/gunicorn.log" ]; then
    log "gunicorn log ($run_dir/gunicorn.log), last lines:"
    tail -n 5 "$run_dir/gunicorn.log" | tee -a "$summary"
fi
exit 0
}
