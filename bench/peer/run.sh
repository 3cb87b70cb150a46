#!/usr/bin/env bash
# Same-run peer benchmark (issue 11): the portal's public path against django-helpdesk's public
# ticket pages and a bare Django 6-field form, served side by side with the same gunicorn settings
# and PostgreSQL, measured interleaved (peer, ours, bare; peer, ours, bare; ...) with wrk.
# `make bench-peer`; see bench/README.md, "Peer benchmark". Knobs (environment):
#   BENCH_PEER_REPORTS=1000000   generated reports in the portal's database (generate_scale_data)
#   BENCH_PEER_TICKETS=100000    tickets in django-helpdesk's database (and rows in the bare form's)
#   BENCH_PEER_ROUNDS=3  BENCH_PEER_DURATION=15  BENCH_PEER_WARMUP=5  BENCH_PEER_CONNECTIONS=8
#   BENCH_PEER_SCENARIOS="form intake intake-photo lookup"
#   BENCH_PEER_PORT=8080         the portal; django-helpdesk +1, bare form +2, SMTP sink +3
#   BENCH_PEER_OURS_DB=netralitas_bench  BENCH_PEER_DB_PREFIX=netralitas_peer (+ _helpdesk, _bare)
#   BENCH_REDIS_DB=9             the portal's cache/broker db
#   BENCH_GUNICORN_ARGS="--workers 4"   BENCH_WAIT_QUIET=180
#   BENCH_PEER_PROFILE=""        e.g. "form intake": py-spy records one worker of ours during those runs
#   BENCH_REF=HEAD               serve a committed tree of the portal (exported) instead of the work tree
set -euo pipefail
{
cd "$(dirname "$0")/../.."
repo=$PWD

REPORTS=${BENCH_PEER_REPORTS:-1000000}
TICKETS=${BENCH_PEER_TICKETS:-100000}
ROUNDS=${BENCH_PEER_ROUNDS:-3}
DURATION=${BENCH_PEER_DURATION:-15}
WARMUP=${BENCH_PEER_WARMUP:-5}
connections=${BENCH_PEER_CONNECTIONS:-8}
SCENARIOS=${BENCH_PEER_SCENARIOS:-form intake intake-photo lookup}
GUNICORN_ARGS=${BENCH_GUNICORN_ARGS:---workers 4}
PORT=${BENCH_PEER_PORT:-8080}
WAIT_QUIET=${BENCH_WAIT_QUIET:-180}
OURS_DB=${BENCH_PEER_OURS_DB:-netralitas_bench}
PEER_PREFIX=${BENCH_PEER_DB_PREFIX:-netralitas_peer}
REDIS_DB=${BENCH_REDIS_DB:-9}
PROFILE=${BENCH_PEER_PROFILE:-}
WRK_THREADS=1

declare -A PORTS=([ours]=$PORT [peer]=$((PORT + 1)) [bare]=$((PORT + 2)))
SMTP_PORT=$((PORT + 3))
declare -A DBS=([ours]=$OURS_DB [peer]=${PEER_PREFIX}_helpdesk [bare]=${PEER_PREFIX}_bare)
declare -A TABLES=([ours]=reports_report [peer]=helpdesk_ticket [bare]=bareform_submission)
declare -A KINDS=([peer]=helpdesk [bare]=bare)

stamp=$(date +%Y%m%d-%H%M%S)
results_dir=$repo/bench/results
run_dir=$results_dir/peer-$stamp
summary=$results_dir/peer-$stamp.txt
mkdir -p "$run_dir"

pids=()
tree=
cleanup() {
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
    done
    redis-cli -n "$REDIS_DB" del celery >/dev/null 2>&1 || true
    rm -rf "$run_dir/media" "$run_dir/peer-media"
    if [ -n "$tree" ]; then rm -rf "$tree"; fi
}
trap cleanup EXIT

say() { printf '\n==> %s\n' "$*" | tee -a "$summary"; }
wait_for() {  # wait_for <what> <seconds> <command...>
    local what=$1 seconds=$2; shift 2
    for _ in $(seq "$seconds"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    echo "$what tidak menyala / did not come up" >&2
    return 1
}
psql_q() { psql -h 127.0.0.1 -U postgres -d "$1" -tAc "$2"; }
rows() { psql_q "${DBS[$1]}" "SELECT count(*) FROM ${TABLES[$1]}"; }

# --- the two virtualenvs -------------------------------------------------------------------------
make -s .venv/.installed
PY=$repo/.venv/bin/python
PEER_VENV=$repo/var/bench-peer/venv
if ! cmp -s bench/peer/requirements.txt "$PEER_VENV/.installed" 2>/dev/null; then
    say "Peer virtualenv $PEER_VENV (django-helpdesk, bare form; not the project's requirements)"
    rm -rf "$PEER_VENV"
    python3.11 -m venv "$PEER_VENV" 2>/dev/null || python3 -m venv "$PEER_VENV"
    "$PEER_VENV/bin/pip" install -q -r bench/peer/requirements.txt
    cp bench/peer/requirements.txt "$PEER_VENV/.installed"
fi
PEER_PY=$PEER_VENV/bin/python
peer_vars() {  # peer_vars <system>: the environment of one peer, as NAME=value words for env(1)
    peer_vars=(PEER_KIND="${KINDS[$1]}" PEER_DATABASE="${DBS[$1]}" PEER_SMTP_PORT=$SMTP_PORT
        PEER_MEDIA="$run_dir/peer-media" PYTHONPATH="$repo/bench/peer")
}
peer_env() {  # peer_env <system> <command...>: run a command with one peer's settings
    peer_vars "$1"; shift
    env "${peer_vars[@]}" "$@"
}

if [ -n "${BENCH_REF:-}" ]; then
    tree=$(mktemp -d /tmp/netralitas-bench-tree.XXXXXX)
    git archive "$BENCH_REF" | tar -x -C "$tree"
    cd "$tree"
fi

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$OURS_DB
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export CELERY_BROKER_URL=$REDIS_URL
export DJANGO_CACHE_PREFIX=netralitas-bench
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY=bench-secret-key-not-for-production-6f1d0c2a9b8e7d5c4b3a
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_LOG_LEVEL=WARNING
export NETRALITAS_RATE_SUBMIT=1000000000
export NETRALITAS_RATE_SUBMIT_POSTS=1000000000
export NETRALITAS_RATE_LOOKUP_FAILED=1000000000
export NETRALITAS_RATE_LOOKUP_FAILED_CODE=1000000000
export NETRALITAS_PRIVATE_MEDIA=$run_dir/media

# --- services and data --------------------------------------------------------------------------
say "Services and databases"
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
for system in ours peer bare; do
    if [ "$(psql_q postgres "SELECT 1 FROM pg_database WHERE datname = '${DBS[$system]}'")" != 1 ]; then
        createdb -h 127.0.0.1 -U postgres "${DBS[$system]}"
    fi
done
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference >/dev/null
$PY bench/harness.py cleanup | tee -a "$summary"
$PY manage.py generate_scale_data --reports "$REPORTS" 2>&1 | tail -n 3 | tee -a "$summary"
$PY manage.py collectstatic --noinput -v 0
redis-cli -n "$REDIS_DB" --scan --pattern "$DJANGO_CACHE_PREFIX:*" | xargs -r -n 500 redis-cli -n "$REDIS_DB" del >/dev/null
redis-cli -n "$REDIS_DB" del celery >/dev/null
for system in peer bare; do
    if [ "$(psql_q "${DBS[$system]}" "SELECT to_regclass('${TABLES[$system]}') IS NOT NULL")" = t ]; then
        peer_env $system "$PEER_PY" "$repo/bench/peer/peer.py" cleanup | tee -a "$summary"
    fi
    peer_env $system "$PEER_PY" "$repo/bench/peer/peer.py" setup "$TICKETS" | tee -a "$summary"
done

say "Machine"
{
    echo "date: $(date -Iseconds)"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "postgresql: $(psql_q postgres 'SHOW server_version')"
    echo "wrk: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "python: $($PY -c 'import platform; print(platform.python_version())'), $($PY -m gunicorn --version)"
    echo "peer: django-helpdesk $($PEER_PY -c 'from importlib.metadata import version as v; print(v("django-helpdesk"), "on Django", v("django"))')"
    echo "gunicorn args (all three): $GUNICORN_ARGS; wrk: $connections connections, 1 thread"
    if [ -n "${BENCH_REF:-}" ]; then
        echo "code: $(git -C "$repo" rev-parse --short "$BENCH_REF") ($BENCH_REF, exported)"
    else
        echo "code: work tree on $(git -C "$repo" rev-parse --short HEAD)," \
            "$(git -C "$repo" status --porcelain | wc -l) files changed or new"
    fi
    echo "rows: ours $(rows ours) reports, peer $(rows peer) tickets, bare $(rows bare) submissions"
    echo "runs: $ROUNDS rounds x ($SCENARIOS), ${WARMUP}s warm-up + ${DURATION}s measured each"
} | tee -a "$summary"

say "Request bodies"
$PY bench/harness.py prepare "$run_dir/ours" | tee -a "$summary"
for system in peer bare; do
    peer_env $system "$PEER_PY" "$repo/bench/peer/peer.py" prepare "$run_dir/$system" "$run_dir/ours/photo.jpg" \
        | tee -a "$summary"
done

say "Servers"
for port in "${PORTS[@]}" "$SMTP_PORT"; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "port $port is already in use: stop what listens there or set BENCH_PEER_PORT" >&2
        exit 1
    fi
done
"$PEER_PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Sink &
pids+=($!)
# shellcheck disable=SC2086 # GUNICORN_ARGS is a list of words on purpose
"$repo/.venv/bin/gunicorn" netralitas.wsgi:application --bind "127.0.0.1:${PORTS[ours]}" $GUNICORN_ARGS \
    --log-level warning --error-logfile "$run_dir/gunicorn-ours.log" &
pids+=($!)
ours_master=$!
for system in peer bare; do
    peer_vars $system
    # env execs gunicorn: $! is the master's pid, which the cleanup stops (a function in the background
    # would be a subshell, and killing it would leave gunicorn running).
    # shellcheck disable=SC2086
    env "${peer_vars[@]}" "$PEER_VENV/bin/gunicorn" peersite.wsgi:application --chdir "$repo/bench/peer" \
        --bind "127.0.0.1:${PORTS[$system]}" $GUNICORN_ARGS --log-level warning \
        --error-logfile "$run_dir/gunicorn-$system.log" &
    pids+=($!)
done
wait_for "gunicorn (ours)" 60 curl -fsS "http://127.0.0.1:${PORTS[ours]}/healthz"
wait_for "gunicorn (django-helpdesk)" 60 curl -fsS "http://127.0.0.1:${PORTS[peer]}/tickets/submit/"
wait_for "gunicorn (bare form)" 60 curl -fsS "http://127.0.0.1:${PORTS[bare]}/form/"
$PY bench/harness.py smoke "$run_dir/ours" "http://127.0.0.1:${PORTS[ours]}" | tee -a "$summary"
$PY bench/peer/smoke.py "$run_dir" "${PORTS[peer]}" "${PORTS[bare]}" | tee -a "$summary"

# --- load -----------------------------------------------------------------------------------------
# scenario_env <system> <scenario>: exports what load.lua reads; sets $path ("" = not offered)
scenario_env() {
    local system=$1 scenario=$2 work=$run_dir/$1
    unset BENCH_BODIES BENCH_BODY_LINES BENCH_CONTENT_TYPE BENCH_COOKIE_FILE BENCH_TIMERS BENCH_PATHS
    export BENCH_METHOD=GET BENCH_SCENARIO=$scenario BENCH_CONNECTIONS=$connections
    path=
    case $system:$scenario in
        ours:form) path=/lapor/ ;;
        peer:form) path=/tickets/submit/ ;;
        bare:form) path=/form/ ;;
        ours:intake | peer:intake | bare:intake)
            export BENCH_METHOD=POST BENCH_BODIES=$work/intake.body \
                BENCH_CONTENT_TYPE=application/x-www-form-urlencoded BENCH_COOKIE_FILE=$work/cookie.txt
            case $system in ours) path=/lapor/ ;; peer) path=/tickets/submit/ ;; bare) path=/form/ ;; esac ;;
        ours:intake-photo | peer:intake-photo)
            BENCH_CONTENT_TYPE=$(cat "$work/multipart-content-type.txt")
            export BENCH_METHOD=POST BENCH_BODIES=$work/intake-photo.body BENCH_CONTENT_TYPE \
                BENCH_COOKIE_FILE=$work/cookie.txt
            if [ "$system" = ours ]; then path=/lapor/; else path=/tickets/submit/; fi ;;
        ours:lookup | bare:lookup)
            export BENCH_METHOD=POST BENCH_BODIES=$work/lookup.bodies BENCH_BODY_LINES=1 \
                BENCH_CONTENT_TYPE=application/x-www-form-urlencoded BENCH_COOKIE_FILE=$work/cookie.txt
            path=/status/ ;;
        peer:lookup)
            export BENCH_PATHS=$work/lookup.paths
            path=/view/ ;;
    esac
    if [ "$system" = ours ]; then
        case $scenario in intake | intake-photo | lookup) export BENCH_TIMERS=$work/timers.txt ;; esac
    fi
}

timer_offset=0  # the portal's single-use anti-bot timers: each run starts after those spent before
wrk_run() {  # wrk_run <system> <seconds> <output>
    local TIMEFORMAT='%U %S' used
    export BENCH_TIMER_OFFSET=$timer_offset BENCH_WRK_THREADS=$WRK_THREADS
    { time wrk -t "$WRK_THREADS" -c "$connections" -d "${2}s" --timeout 10s --latency -s bench/load.lua \
        "http://127.0.0.1:${PORTS[$1]}$path" >"$3" 2>&1; } 2>"$3.cpu"
    if [ -n "${BENCH_TIMERS:-}" ]; then
        used=$(sed -n 's/.*"requests": \([0-9]*\).*/\1/p' "$3" | tail -n 1)
        timer_offset=$((timer_offset + ${used:-0} + connections + WRK_THREADS))
    fi
}

profile_start() {  # py-spy on one of ours' workers during a measured run (BENCH_PEER_PROFILE)
    local scenario=$1 worker
    profiler=
    [[ " $PROFILE " == *" $scenario "* ]] || return 0
    worker=$(pgrep -P "$ours_master" | head -n 1)
    "$PEER_VENV/bin/py-spy" record --pid "$worker" --duration "$DURATION" --rate 200 --format raw \
        --output "$run_dir/profile-$scenario-r$round.txt" --nonblocking >/dev/null 2>&1 &
    profiler=$!
}

results=$run_dir/rows.jsonl
: >"$results"
say "Load: $ROUNDS rounds, $connections connections, ${WARMUP}s warm-up + ${DURATION}s measured per run"
for round in $(seq "$ROUNDS"); do
    for scenario in $SCENARIOS; do
        for system in peer ours bare; do
            scenario_env "$system" "$scenario"
            [ -n "$path" ] || continue
            out=$run_dir/$scenario-$system-r$round.txt
            $PY bench/cpu.py --wait-quiet "$WAIT_QUIET" | tee -a "$summary"
            wrk_run "$system" "$WARMUP" "$run_dir/$scenario-$system-r$round-warmup.txt"
            sleep 2
            before=$(rows "$system")
            profiler=
            if [ "$system" = ours ]; then profile_start "$scenario"; fi
            $PY bench/cpu.py "$run_dir/cpu-before.json"
            wrk_run "$system" "$DURATION" "$out"
            $PY bench/cpu.py "$run_dir/cpu-after.json"
            if [ -n "$profiler" ]; then wait "$profiler" || true; fi
            sleep 2
            after=$(rows "$system")
            extra=()
            case $scenario in intake | intake-photo) extra=(--stored $((after - before))) ;; esac
            if [ "$scenario" = form ] && [ "$round" = 1 ]; then
                extra+=(--html-bytes "$(curl -fsS "http://127.0.0.1:${PORTS[$system]}$path" | wc -c)")
            fi
            $PY bench/peer/report.py record "$results" "$out" "$system" "$round" "${extra[@]}" \
                --cpu "$run_dir/cpu-before.json" "$run_dir/cpu-after.json" \
                --wrk-cpu "$(awk '{print $1 + $2}' "$out.cpu")" | tee -a "$summary"
        done
    done
done

say "Results ($(date -Iseconds))"
$PY bench/peer/report.py table "$results" | tee -a "$summary"
for file in "$run_dir"/profile-*.txt; do
    [ -e "$file" ] || continue
    $PY bench/peer/topframes.py "$file" | tee -a "$summary"
done
echo "Raw wrk output: $run_dir/   Summary: $summary" | tee -a "$summary"
for log in "$run_dir"/gunicorn-*.log; do
    if [ -s "$log" ]; then echo "$log, last lines:"; tail -n 5 "$log"; fi
done | tee -a "$summary"
exit 0
}
