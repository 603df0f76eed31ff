#!/usr/bin/env bash
# API under load: the service in role api on PostgreSQL, 1,000 protocols and first 10,000 then
# 1,000,000 events (bulk SQL), measured with wrk on
#   GET /protocols/{id}            (random id of the 1,000)
#   GET /protocols/{id}/events?limit=50
#   GET /events?limit=50
# each at a paced ~RATE req/s (wrk + a Lua delay; wrk2 is not in Debian) and closed-loop
# (as fast as wrk -t2 -c16 goes). Prints one table row per run; exits non-zero if the service
# fails or a run sees errors.
#
# Usage: bench/api-load.sh
# Env: BENCH_PG (postgresql://postgres@127.0.0.1:5432), BENCH_REDIS (redis://127.0.0.1:6379/10),
#      RATE (1000), DURATION (15s), WARMUP (20s per endpoint before the first measurement), CONNS (16), THREADS (2), API_PORT (18531), KEEP=1,
#      JAVA_OPTS (-Xmx512m)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=$ROOT/target/deksdenflow-orchestrator.jar
PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
REDIS=${BENCH_REDIS:-redis://127.0.0.1:6379/10}
RATE=${RATE:-1000}; DURATION=${DURATION:-15s}; CONNS=${CONNS:-16}; THREADS=${THREADS:-2}
API_PORT=${API_PORT:-18531}; API=http://127.0.0.1:$API_PORT
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
TIMEOUT=${TIMEOUT:-900}

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; } || { echo "cannot install wrk" >&2; exit 2; }
for c in java psql redis-cli curl; do command -v $c >/dev/null || { echo "missing: $c" >&2; exit 2; }; done
# (re)build when the jar is missing or older than the sources; online, so that a fresh machine works
if [ ! -f "$JAR" ] || [ pom.xml -nt "$JAR" ] || [ -n "$(find src -newer "$JAR" -type f -print -quit)" ]; then
  mvn -q -B -DskipTests package || { echo "build failed" >&2; exit 2; }
fi

WORK=$(mktemp -d /tmp/dfbench-api.XXXXXX)
DB=dfbench_api_$$
SVC=""
FAILED=0
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  [ -n "$SVC" ] && { kill -KILL "$SVC" 2>/dev/null; wait "$SVC" 2>/dev/null; }
  [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
  if [ "${KEEP:-0}" != 1 ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1; rm -rf "$WORK"
  else log "kept $WORK and database $DB"; fi
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM
( sleep "$TIMEOUT"; echo "GLOBAL TIMEOUT ${TIMEOUT}s" >&2; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
sql() { psql "$PG/$DB" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }

psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null || exit 2
redis-cli -u "$REDIS" FLUSHDB >/dev/null || exit 2
mkdir -p "$WORK/ws" "$WORK/routes"

# --- the service (role api); Flyway creates the schema -----------------------------------------
env DEKSDENFLOW_ROLE=api DEKSDENFLOW_API_PORT="$API_PORT" DEKSDENFLOW_DB_URL="$PG/$DB" \
  DEKSDENFLOW_REDIS_URL="$REDIS" DEKSDENFLOW_WORKSPACE="$WORK/ws" DEKSDENFLOW_ROUTES_DIR="$WORK/routes" \
  java $JAVA_OPTS -jar "$JAR" > "$WORK/api.log" 2>&1 &
SVC=$!
for _ in $(seq 1 180); do curl -sf -o /dev/null "$API/health" && break; sleep 1; done
curl -sf -o /dev/null "$API/health" || { tail -40 "$WORK/api.log" >&2; log "service did not start"; exit 1; }
log "service up (pid $SVC)"

# --- data -----------------------------------------------------------------------------------------
NOW=$(date +%s%3N)
sql "INSERT INTO projects (name, git_url, base_branch, status, created_at, updated_at)
     VALUES ('load', 'file:///nonexistent/load.git', 'main', 'ready', $NOW, $NOW)" || exit 1
sql "INSERT INTO protocol_runs (project_id, protocol_name, description, base_branch, auto_advance, status, created_at, updated_at)
     SELECT 1, lpad(g::text, 4, '0') || '-load', 'load test protocol ' || g, 'main', true,
            (ARRAY['pending','running','completed','blocked'])[1 + g % 4], $NOW - 86400000 + g, $NOW
     FROM generate_series(1, 1000) g" || exit 1
# events: protocol (i % 1000) + 1, increasing created_at, a few types and a small metadata object
add_events() { # from to
  sql "INSERT INTO events (project_id, protocol_run_id, event_type, message, metadata, created_at)
       SELECT 1, 1 + g % 1000, (ARRAY['step_started','step_executed','qa_passed','job_retry'])[1 + g % 4],
              'event number ' || g, '{\"job_id\":\"j' || g || '\",\"attempt\":1,\"duration_ms\":' || (g % 5000) || '}',
              $NOW - 86400000 + g
       FROM generate_series($1, $2) g" && sql "ANALYZE events"
}

WRK_LUA_DIR=$WORK
lua() { # name path-expression(lua) paced(0|1)
  local pace=""
  if [ "$3" = 1 ]; then
    # Open-loop pacing per wrk thread: request k of a thread is sent at t0 + k * THREADS/RATE s
    # (or at once when the thread is behind, with at most 50 ms of catch-up), so the offered load
    # is RATE req/s as long as CONNS connections suffice. wrk measures latency from the actual
    # send, so a stalled server's queueing delay is not added (no coordinated-omission correction).
    pace="local ffi = require('ffi')
ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } df_timeval; int gettimeofday(df_timeval *tv, void *tz); ]]
local tv = ffi.new('df_timeval')
local function now() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000 end
local interval = $THREADS * 1000 / $RATE
local nxt = nil
function delay()
  local t = now()
  if nxt == nil or nxt < t - 50 then nxt = t end
  local d = nxt - t
  nxt = nxt + interval
  if d < 1 then return 0 end
  return math.floor(d)
end"
  fi
  cat > "$WRK_LUA_DIR/$1.lua" <<EOF
math.randomseed(os.time())
request = function() return wrk.format("GET", $2) end
$pace
EOF
  echo "$WRK_LUA_DIR/$1.lua"
}
run() { # label events endpoint lua-path-expr paced
  local script out
  script=$(lua "$1" "$4" "$5")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$script" "$API" 2>&1)
  echo "$out" > "$WORK/wrk-$1-$2.txt"
  local rps p50 p90 p99 max errs
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p90=$(echo "$out" | awk '$1=="90%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  max=$(echo "$out" | awk '$1=="Latency" {print $4}')
  errs=$(echo "$out" | awk '/Non-2xx/ {print $5} /Socket errors/ {print $0}' | tr '\n' ' ')
  [ -n "$errs" ] && FAILED=1
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$3" "$([ "$5" = 1 ] && echo "paced ~$RATE/s" || echo closed-loop)" \
    "$rps" "$p50" "$p90" "$p99" "$max" "${errs:-0}"
}
warmup() { # seconds per endpoint: JIT (C2 needs tens of seconds on 2 busy cores), pool, caches
  wrk -t2 -c8 -d"$1" -s "$(lua warm1 '"/protocols/" .. math.random(1, 1000)' 0)" "$API" >/dev/null 2>&1
  wrk -t2 -c8 -d"$1" -s "$(lua warm2 '"/protocols/" .. math.random(1, 1000) .. "/events?limit=50"' 0)" "$API" >/dev/null 2>&1
  wrk -t2 -c8 -d"$1" -s "$(lua warm3 '"/events?limit=50"' 0)" "$API" >/dev/null 2>&1
}
measure() { # events-label
  local paced
  warmup 3s
  for paced in 1 0; do
    run protocol "$1" 'GET /protocols/{id}' '"/protocols/" .. math.random(1, 1000)' $paced
    run protocol-events "$1" 'GET /protocols/{id}/events?limit=50' '"/protocols/" .. math.random(1, 1000) .. "/events?limit=50"' $paced
    run events "$1" 'GET /events?limit=50' '"/events?limit=50"' $paced
  done
}

# where the time goes: the SQL of the list endpoints at 1M events (run after the 1M phase)
EXPLAIN_AT_1M() {
  echo; echo "EXPLAIN ANALYZE at 1,000,000 events:"
  psql "$PG/$DB" -qtAX -c "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM events WHERE protocol_run_id = 500 AND id < 9223372036854775807 ORDER BY id DESC LIMIT 51" | grep -E "Execution Time|Index|Limit"
  psql "$PG/$DB" -qtAX -c "EXPLAIN (ANALYZE, BUFFERS) SELECT e.* FROM events e WHERE e.id < 9223372036854775807 AND e.project_id IN (SELECT id FROM projects WHERE project_token_hash IS NULL) ORDER BY e.id DESC LIMIT 51" | grep -E "Execution Time|Index|Limit|Join|Scan"
}
echo "| events | endpoint | load | achieved req/s | p50 | p90 | p99 | max | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
add_events 1 10000 || exit 1
log "10,000 events loaded"
warmup "${WARMUP:-20s}"
measure 10k
T=$(date +%s)
add_events 10001 1000000 || exit 1
log "1,000,000 events loaded in $(( $(date +%s) - T )) s"
measure 1M
EXPLAIN_AT_1M >&2
# and back to 10,000 events, so that both sizes are also measured in the same JIT state
sql "DELETE FROM events WHERE id > 10000" && psql "$PG/$DB" -qc "VACUUM ANALYZE events" || exit 1
log "back to $(sql "SELECT count(*) FROM events") events"
measure "10k again"
kill -0 "$SVC" 2>/dev/null || { log "service died"; exit 1; }
cp "$WORK"/wrk-*.txt "$ROOT/target/" 2>/dev/null
exit $FAILED
