#!/usr/bin/env bash
# Scale-out check: 1 API process + 3 worker processes on PostgreSQL + Redis, N protocols of
# S steps each run by the stand-in agent; one worker is SIGKILLed mid-run and another SIGTERMed
# (must exit 0); replacements are started. Every process has its OWN workspace directory
# (DEKSDENFLOW_WORKSPACE_SHARED=false: origin's protocol branch is the checkpoint, a Redis lease per
# protocol). Ends with checks (every protocol completed, no overlapping engine runs for one step and
# phase nor for one protocol, no two worktree jobs of one protocol at once, one step_executed event
# per step, no step's work committed twice, no failed or stuck job, outbox drained) and prints wall
# time and per-step orchestration overhead, for cold worktrees (built from origin) and warm ones.
# Exits non-zero when a check fails or the global timeout expires.
#
# Usage (from anywhere): bench/scale-out.sh
# Env: BENCH_PG (postgresql://postgres@127.0.0.1:5432), BENCH_REDIS (redis://127.0.0.1:6379/9),
#      PROTOCOLS (20), PROJECTS (1), STEPS (5), AGENT_SLEEP (2 s per agent call),
#      CONCURRENCY (2 per worker), LEASE (5), GRACE (20), TIMEOUT (900 s), API_PORT (18431),
#      SHARED=1 (one workspace for every process, DEKSDENFLOW_WORKSPACE_SHARED=true: the comparison),
#      SANDBOX (bwrap: the agents' bubblewrap sandbox is required, as issue #25 measures; none: without),
#      KEEP=1 keeps the work dir and database.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=$ROOT/target/deksdenflow-orchestrator.jar
PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
REDIS=${BENCH_REDIS:-redis://127.0.0.1:6379/9}
PROTOCOLS=${PROTOCOLS:-20}; PROJECTS=${PROJECTS:-1}; STEPS=${STEPS:-5}
AGENT_SLEEP=${AGENT_SLEEP:-2}; CONCURRENCY=${CONCURRENCY:-2}
LEASE=${LEASE:-5}; GRACE=${GRACE:-20}; TIMEOUT=${TIMEOUT:-900}; API_PORT=${API_PORT:-18431}
API=http://127.0.0.1:$API_PORT
JAVA_OPTS=${JAVA_OPTS:--Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}

for c in java psql redis-cli curl python3 git; do
  command -v $c >/dev/null || { echo "missing: $c" >&2; exit 2; }
done
# (re)build when the jar is missing or older than the sources; online, so that a fresh machine works
if [ ! -f "$JAR" ] || [ pom.xml -nt "$JAR" ] || [ -n "$(find src -newer "$JAR" -type f -print -quit)" ]; then
  mvn -q -B -DskipTests package || { echo "build failed" >&2; exit 2; }
fi

WORK=$(mktemp -d /tmp/dfbench-scale.XXXXXX)
DB=dfbench_scale_$$
PIDS=()
RC_FILE=$WORK/failures
: > "$RC_FILE"
START_EPOCH=$(date +%s)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "CHECK FAILED: $*"; echo "$*" >> "$RC_FILE"; }
cleanup() {
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null
  # orphaned stand-in agents (their JVM was killed) live in our work dir only
  for p in $(pgrep -f "$WORK/agent"); do kill -KILL "$p" 2>/dev/null; done
  if [ "${KEEP:-0}" != 1 ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
    rm -rf "$WORK"
  else
    log "kept $WORK and database $DB"
  fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
( sleep "$TIMEOUT"; echo "GLOBAL TIMEOUT ${TIMEOUT}s" >&2; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!

sql() { psql "$PG/$DB" -qtAX -c "$1"; }

# --- environment ------------------------------------------------------------------------------
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null || exit 2
redis-cli -u "$REDIS" FLUSHDB >/dev/null || exit 2
mkdir -p "$WORK/routes" "$WORK/logs"
cat > "$WORK/agent.json" <<EOF
{"modes":{"planning":"plan","exec":"exec-commit","qa":"qa-pass"},"steps":$STEPS}
EOF
cat > "$WORK/agent" <<EOF
#!/bin/sh
# stand-in agent with a fixed think time
export STAND_IN_SCRIPT=$WORK/agent.json
sleep $AGENT_SLEEP
exec python3 $WORK/stand-in-agent "\$@"
EOF
# the stand-in beside its wrapper: the sandbox shows an agent's own directory, and the checkout may be under /tmp
cp "$ROOT/src/test/resources/agent/stand-in-agent" "$WORK/stand-in-agent"
chmod +x "$WORK/agent" "$WORK/stand-in-agent"
for p in $(seq 1 "$PROJECTS"); do
  git init -q --bare --initial-branch=main "$WORK/origin$p.git"
  git init -q --initial-branch=main "$WORK/seed$p"
  (cd "$WORK/seed$p" && echo "# bench $p" > README.md && git add README.md &&
   git -c user.name=bench -c user.email=bench@example.invalid commit -qm init &&
   git push -q "$WORK/origin$p.git" main) || exit 2
done

NEXT_PORT=$API_PORT
if [ "${SHARED:-0}" = 1 ]; then WS_SHARED=true; WS_OF=shared; else WS_SHARED=false; WS_OF=; fi
start_proc() { # role name (each process has its own HTTP port: workers serve /health, /metrics)
  local role=$1 name=$2
  env DEKSDENFLOW_ROLE="$role" DEKSDENFLOW_API_PORT="$NEXT_PORT" \
    DEKSDENFLOW_DB_URL="$PG/$DB" DEKSDENFLOW_REDIS_URL="$REDIS" \
    DEKSDENFLOW_WORKSPACE="$WORK/ws-${WS_OF:-$name}" DEKSDENFLOW_WORKSPACE_SHARED="$WS_SHARED" \
    DEKSDENFLOW_CODEX_BIN="$WORK/agent" DEKSDENFLOW_AUTO_QA_AFTER_EXEC=true DEKSDENFLOW_AGENT_SANDBOX="${SANDBOX:-bwrap}" \
    DEKSDENFLOW_WORKER_CONCURRENCY="$CONCURRENCY" DEKSDENFLOW_JOB_LEASE_SECONDS="$LEASE" \
    DEKSDENFLOW_SHUTDOWN_GRACE_SECONDS="$GRACE" DEKSDENFLOW_ROUTES_DIR="$WORK/routes" \
    GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid \
    GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid \
    java $JAVA_OPTS -jar "$JAR" > "$WORK/logs/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  echo "$pid" > "$WORK/$name.pid"
  log "started $name ($role) pid $pid port $NEXT_PORT"
  NEXT_PORT=$(( NEXT_PORT + 1 ))
}
wait_http() { # url seconds
  for _ in $(seq 1 "$2"); do curl -sf -o /dev/null "$1" && return 0; sleep 1; done; return 1
}
wait_log() { # file pattern seconds
  for _ in $(seq 1 "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done; return 1
}
post() { curl -sf -XPOST -H 'Content-Type: application/json' "$API$1" ${2:+-d "$2"}; }
jget() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# --- processes ----------------------------------------------------------------------------------
start_proc api api
wait_http "$API/health" 120 || { tail -50 "$WORK/logs/api.log"; fail "api did not start"; exit 1; }
for w in 1 2 3; do start_proc worker "w$w"; done
for w in 1 2 3; do
  wait_log "$WORK/logs/w$w.log" "Started \|started in" 120 || { tail -40 "$WORK/logs/w$w.log"; fail "worker w$w did not start"; exit 1; }
done
log "all processes up"
SANDBOX_SEEN=$(curl -s "http://127.0.0.1:$(( API_PORT + 1 ))/health" | jget 'd["checks"].get("agent_sandbox")')

for p in $(seq 1 "$PROJECTS"); do
  post /projects "{\"name\":\"bench$p\",\"git_url\":\"file://$WORK/origin$p.git\"}" >/dev/null || { fail "register project $p"; exit 1; }
done
for _ in $(seq 1 120); do
  [ "$(sql "SELECT count(*) FROM projects WHERE status='ready'")" = "$PROJECTS" ] && break; sleep 0.5
done
[ "$(sql "SELECT count(*) FROM projects WHERE status='ready'")" = "$PROJECTS" ] || { fail "projects not ready: $(sql "SELECT status,last_error FROM projects")"; exit 1; }

IDS=()
for i in $(seq 1 "$PROTOCOLS"); do
  proj=$(( (i - 1) % PROJECTS + 1 ))
  id=$(post "/projects/$proj/protocols" "$(printf '{"protocol_name":"%04d-bench","auto_advance":true}' "$i")" | jget 'd["id"]') \
    || { fail "create protocol $i"; exit 1; }
  IDS+=("$id")
done
# CPU of a process and its reaped children (git, agents), in ms: utime+stime+cutime+cstime
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($12+$13+$14+$15) * 1000 / hz) }' "/proc/$1/stat" 2>/dev/null; }
W3=$(cat "$WORK/w3.pid"); W3_CPU0=$(cpu_ms "$W3")
T0=$(date +%s%3N)
for id in "${IDS[@]}"; do post "/protocols/$id/actions/start" >/dev/null || fail "start protocol $id"; done
log "started $PROTOCOLS protocols ($STEPS steps each, agent ${AGENT_SLEEP}s per call)"

TOTAL_EXEC=$(( PROTOCOLS * STEPS ))
executed() { sql "SELECT count(DISTINCT step_run_id) FROM events WHERE event_type='step_executed'"; }
worker_jobs() { # pid -> number of started jobs held by that worker process
  curl -sf "$API/queues/jobs?status=started&limit=500" |
    python3 -c "import json,sys; print(sum(1 for j in json.load(sys.stdin)['items'] if ':$1:' in str(j.get('worker_id',''))))"
}
wait_until_exec() { # fraction-of-total
  local target=$(( TOTAL_EXEC * $1 / 100 ))
  while [ "$(executed)" -lt "$target" ]; do sleep 0.5; done
}
# A worker to kill should hold a job at that moment (a "mid-run" kill).
wait_busy() { # pid
  for _ in $(seq 1 60); do [ "$(worker_jobs "$1")" -gt 0 ] && return 0; sleep 0.25; done; return 1
}

# --- SIGKILL worker 1 at ~25% -------------------------------------------------------------------
wait_until_exec 25
W1=$(cat "$WORK/w1.pid"); wait_busy "$W1" || log "w1 holds no job right now"
HELD1=$(worker_jobs "$W1")
W1_AGENTS=$(pgrep -P "$W1" | tr '\n' ' ')
KILL_MS=$(date +%s%3N); echo "$KILL_MS" > "$WORK/kill_ms"
kill -KILL "$W1"; wait "$W1" 2>/dev/null
sleep 0.2
ORPHANED=0; for a in $W1_AGENTS; do kill -0 "$a" 2>/dev/null && ORPHANED=$(( ORPHANED + 1 )); done
log "SIGKILL w1 (pid $W1) holding $HELD1 job(s), $(executed)/$TOTAL_EXEC steps executed; $ORPHANED of its agent processes ($W1_AGENTS) outlive it"
# The agents of a SIGKILLed JVM are orphaned and run on; note when the last one is gone: that is
# when the killed copy of its job really ended (used by the overlap check below).
echo "$KILL_MS" > "$WORK/orphans_end"
( for a in $W1_AGENTS; do while kill -0 "$a" 2>/dev/null; do sleep 0.1; done; done; date +%s%3N > "$WORK/orphans_end" ) &
PIDS+=("$!")
sleep 2; start_proc worker w4

# --- SIGTERM worker 2 at ~50% -------------------------------------------------------------------
wait_until_exec 50
W2=$(cat "$WORK/w2.pid"); wait_busy "$W2" || log "w2 holds no job right now"
HELD2=$(worker_jobs "$W2")
HELD2_IDS=$(curl -sf "$API/queues/jobs?status=started&limit=500" |
  python3 -c "import json,sys; print(' '.join(j['job_id'] for j in json.load(sys.stdin)['items'] if ':$W2:' in str(j.get('worker_id',''))))")
TERM_MS=$(date +%s%3N)
kill -TERM "$W2"; wait "$W2"; W2_RC=$?
TERM_DONE_MS=$(date +%s%3N)
log "SIGTERM w2 (pid $W2) holding $HELD2 job(s): exited $W2_RC after $(( TERM_DONE_MS - TERM_MS )) ms"
[ "$W2_RC" = 0 ] || fail "SIGTERMed worker exited $W2_RC (expected 0)"
start_proc worker w5

# --- wait for the end -----------------------------------------------------------------------------
while :; do
  open=$(sql "SELECT count(*) FROM protocol_runs WHERE status NOT IN ('completed','failed','blocked','cancelled')")
  [ "$open" = 0 ] && break
  sleep 1
done
W3_CPU1=$(cpu_ms "$W3")
T1=$(sql "SELECT max(created_at) FROM events WHERE event_type='protocol_completed'")
[ -n "$T1" ] || T1=$(date +%s%3N)
log "all protocols settled"
sleep $(( LEASE + 2 ))   # let late acks / takeovers settle before reading the queue

# --- checks ----------------------------------------------------------------------------------------
DONE=$(sql "SELECT count(*) FROM protocol_runs WHERE status='completed'")
[ "$DONE" = "$PROTOCOLS" ] || fail "completed protocols: $DONE/$PROTOCOLS: $(sql "SELECT id,status,last_error FROM protocol_runs WHERE status<>'completed'")"
STEPS_DONE=$(sql "SELECT count(*) FROM step_runs WHERE status='completed'")
[ "$STEPS_DONE" = "$TOTAL_EXEC" ] || fail "completed steps: $STEPS_DONE/$TOTAL_EXEC"

# Overlapping engine runs for the same step and phase. A run without finished_at belonged to the
# SIGKILLed JVM; its agent process outlived the JVM, so it is taken to end when the last orphaned
# agent exited.
KILL_MS=$(cat "$WORK/orphans_end")
OVERLAP=$(sql "SELECT count(*) FROM engine_runs a JOIN engine_runs b
  ON a.step_run_id=b.step_run_id AND a.phase=b.phase AND a.id<b.id
  WHERE b.started_at < COALESCE(a.finished_at, $KILL_MS) AND a.started_at < COALESCE(b.finished_at, $KILL_MS)")
[ "$OVERLAP" = 0 ] || fail "overlapping engine runs: $OVERLAP: $(sql "SELECT step_run_id,phase,id,job_id,started_at,finished_at FROM engine_runs WHERE step_run_id IN (SELECT a.step_run_id FROM engine_runs a JOIN engine_runs b ON a.step_run_id=b.step_run_id AND a.phase=b.phase AND a.id<b.id WHERE b.started_at < COALESCE(a.finished_at, $KILL_MS) AND a.started_at < COALESCE(b.finished_at, $KILL_MS))")"
# One protocol's engine runs (any step, any phase) never overlap: one worktree job per protocol at a time.
PROTO_OVERLAP=$(sql "SELECT count(*) FROM engine_runs a JOIN engine_runs b
  ON a.protocol_run_id=b.protocol_run_id AND a.id<b.id
  WHERE b.started_at < COALESCE(a.finished_at, $KILL_MS) AND a.started_at < COALESCE(b.finished_at, $KILL_MS)")
[ "$PROTO_OVERLAP" = 0 ] || fail "overlapping engine runs of one protocol: $PROTO_OVERLAP"
MULTI_EXEC=$(sql "SELECT count(*) FROM (SELECT step_run_id FROM events WHERE event_type='step_executed' GROUP BY step_run_id HAVING count(*)>1) x")
[ "$MULTI_EXEC" = 0 ] || fail "steps with more than one step_executed event: $MULTI_EXEC"
RERUNS=$(sql "SELECT count(*) FROM (SELECT step_run_id,phase FROM engine_runs WHERE step_run_id IS NOT NULL GROUP BY 1,2 HAVING count(*)>1) x")
UNFINISHED_RUNS=$(sql "SELECT count(*) FROM engine_runs WHERE finished_at IS NULL")

curl -sf "$API/queues/jobs?status=finished&limit=500" > "$WORK/jobs.json"
QUEUES=$(curl -sf "$API/queues")
read -r Q_QUEUED Q_STARTED Q_DELAYED Q_FINISHED Q_FAILED < <(echo "$QUEUES" |
  python3 -c "import json,sys; q=json.load(sys.stdin)['queues']['default']; print(q['queued'],q['started'],q['delayed'],q['finished'],q['failed'])")
[ "$Q_FAILED" = 0 ] || fail "failed jobs: $Q_FAILED: $(curl -sf "$API/queues/jobs?status=failed")"
[ "$Q_QUEUED$Q_STARTED$Q_DELAYED" = 000 ] || fail "jobs left: queued $Q_QUEUED started $Q_STARTED delayed $Q_DELAYED"
OUTBOX=$(sql "SELECT count(*) FROM outbox WHERE status<>'sent'")
[ "$OUTBOX" = 0 ] || fail "outbox rows not sent: $OUTBOX"
RETRIES=$(sql "SELECT count(*) FROM events WHERE event_type='job_retry'")
SKIPPED=$(sql "SELECT count(*) FROM events WHERE event_type='job_skipped'")
JOB_FAILED_EV=$(sql "SELECT count(*) FROM events WHERE event_type='job_failed'")
ORPHANS=$(pgrep -f "$WORK/agent" | wc -l)
# Steps whose agent work landed twice on the protocol branch (the orphan's commit + the re-run's).
TWICE=0
for p in $(seq 1 "$PROJECTS"); do
  # a step's work: the agent's own commit (without a sandbox) or the service's commit of what it left
  n=$(git -C "$WORK/origin$p.git" log --all --format=%s | grep -v '^docs(qa)\|^chore(protocol)' |
    grep -o '\[protocol-[0-9]*/[0-9]*\]' | sort | uniq -d | wc -l)
  TWICE=$(( TWICE + n ))
done
[ "$TWICE" = 0 ] || fail "steps whose work was committed twice on origin: $TWICE"

# No two jobs of one protocol that work in its worktree ran at the same time (the queue's finished job records:
# each job's last attempt, started_at -> finished_at).
JOB_OVERLAP=$(python3 - "$WORK/jobs.json" <<'PY'
import json, sys
from datetime import datetime
def ms(t): return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000
WORKTREE = {"plan_protocol_job", "execute_step_job", "run_quality_job", "open_pr_job", "ci_fix_job",
            "review_fix_job", "sync_base_job", "conflict_fix_job"}
by = {}
for j in json.load(open(sys.argv[1]))["items"]:
    if j["job_type"] in WORKTREE and j.get("protocol_run_id") and j.get("started_at") and j.get("finished_at"):
        by.setdefault(j["protocol_run_id"], []).append((ms(j["started_at"]), ms(j["finished_at"]),
            "%s %s attempt %s on %s %s..%s" % (j["job_id"][:8], j["job_type"], j.get("attempt"), j.get("worker_id"),
                                               j["started_at"][11:23], j["finished_at"][11:23])))
bad = []
for pid, jobs in by.items():
    jobs.sort()
    for a, b in zip(jobs, jobs[1:]):
        if b[0] < a[1]: bad.append("protocol %s: [%s] and [%s]" % (pid, a[2], b[2]))
print(len(bad), "; ".join(bad[:5]))
PY
)
[ "${JOB_OVERLAP%% *}" = 0 ] || fail "worktree jobs of one protocol overlapping in time: $JOB_OVERLAP"

# What became of the jobs the SIGTERMed worker held: finished by it within the grace period, or
# handed back and finished by another worker (same attempt).
W2_FATE=$(python3 - "$WORK/jobs.json" "$W2" $HELD2_IDS <<'PY'
import json, sys
jobs = {j["job_id"]: j for j in json.load(open(sys.argv[1]))["items"]}
out = []
for jid in sys.argv[3:]:
    j = jobs.get(jid)
    if not j: out.append(jid[:8] + ": not finished"); continue
    who = "itself" if (":%s:" % sys.argv[2]) in j["worker_id"] else "another worker (" + j["worker_id"] + ")"
    out.append("%s %s finished by %s, attempt %d" % (jid[:8], j["job_type"], who, j["attempt"]))
print("; ".join(out) or "none held")
PY
)

# --- figures -------------------------------------------------------------------------------------
# CPU per job of w3 (never killed: it runs from the first job to the last), its git and agent children included
W3_JOBS=$(python3 -c "import json,sys; print(sum(1 for j in json.load(open(sys.argv[1]))['items'] if ':$W3:' in str(j.get('worker_id',''))))" "$WORK/jobs.json")
W3_CPU_PER_JOB=$(( (W3_CPU1 - W3_CPU0) / (W3_JOBS > 0 ? W3_JOBS : 1) ))
WALL_MS=$(( T1 - T0 ))
AGENT_MS=$(sql "SELECT COALESCE(sum(finished_at-started_at),0) FROM engine_runs WHERE finished_at IS NOT NULL")
RUNS=$(sql "SELECT count(*) FROM engine_runs")
SLOTS=$(( 3 * CONCURRENCY ))
# Per protocol: (protocol_completed - protocol_started) minus its agent time, per step.
PER_STEP=$(sql "WITH p AS (
   SELECT r.id,
     (SELECT min(created_at) FROM events e WHERE e.protocol_run_id=r.id AND e.event_type='protocol_started') AS t0,
     (SELECT max(created_at) FROM events e WHERE e.protocol_run_id=r.id AND e.event_type='protocol_completed') AS t1,
     (SELECT COALESCE(sum(finished_at-started_at),0) FROM engine_runs g WHERE g.protocol_run_id=r.id AND g.finished_at IS NOT NULL) AS agent
   FROM protocol_runs r)
 SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY (t1-t0-agent)/$STEPS.0)),
        round(percentile_cont(0.95) WITHIN GROUP (ORDER BY (t1-t0-agent)/$STEPS.0)),
        round(avg((t1-t0)/$STEPS.0)), round(avg(agent/$STEPS.0))
 FROM p WHERE t1 IS NOT NULL")
IFS='|' read -r OV_P50 OV_P95 STEP_WALL STEP_AGENT <<< "$PER_STEP"
# Hand-off gap: end of one engine run to the start of the protocol's next one (event, commit,
# outbox, relay, queue, claim, handler set-up, and waiting for a free slot).
GAPS=$(sql "WITH g AS (SELECT started_at - lag(finished_at) OVER (PARTITION BY protocol_run_id ORDER BY started_at) AS gap FROM engine_runs)
 SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY gap)), round(percentile_cont(0.95) WITHIN GROUP (ORDER BY gap)), max(gap), count(gap) FROM g WHERE gap IS NOT NULL")
IFS='|' read -r GAP_P50 GAP_P95 GAP_MAX GAP_N <<< "$GAPS"

# Per job, from the queue's job records and engine_runs: queue wait (enqueued -> started), and
# handler overhead (started -> finished minus the agent time of its engine run).
sql "SELECT job_id, finished_at - started_at FROM engine_runs WHERE finished_at IS NOT NULL" > "$WORK/runs.txt"
sql "SELECT r.id,
     (SELECT min(created_at) FROM events e WHERE e.protocol_run_id=r.id AND e.event_type='protocol_started'),
     (SELECT max(created_at) FROM events e WHERE e.protocol_run_id=r.id AND e.event_type='protocol_completed'),
     (SELECT COALESCE(sum(finished_at-started_at),0) FROM engine_runs g WHERE g.protocol_run_id=r.id AND g.finished_at IS NOT NULL)
   FROM protocol_runs r" > "$WORK/protocols.txt"
BREAKDOWN=$(python3 - "$WORK/jobs.json" "$WORK/runs.txt" "$WORK/protocols.txt" "$STEPS" <<'PY'
import json, sys
from datetime import datetime
def ms(t): return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000
agent = {}
for line in open(sys.argv[2]):
    j, d = line.strip().split("|"); agent[j] = agent.get(j, 0) + int(d)
def pct(v, q):
    v = sorted(v); return round(v[min(len(v) - 1, int(q * len(v)))]) if v else 0
out = []
for kind in ("execute_step_job", "run_quality_job", "plan_protocol_job"):
    jobs = [j for j in json.load(open(sys.argv[1]))["items"] if j["job_type"] == kind and j["job_id"] in agent]
    wait = [ms(j["started_at"]) - ms(j["enqueued_at"]) for j in jobs]
    over = [ms(j["finished_at"]) - ms(j["started_at"]) - agent[j["job_id"]] for j in jobs]
    ag = [agent[j["job_id"]] for j in jobs]
    out.append("%-18s n=%-3d agent p50 %5d ms | handler overhead p50 %5d ms p95 %5d ms | queue wait p50 %5d ms p95 %5d ms"
               % (kind, len(jobs), pct(ag, .5), pct(over, .5), pct(over, .95), pct(wait, .5), pct(wait, .95)))
# per protocol: wall - agent time - time its jobs waited for a free slot, per step
waits = {}
for j in json.load(open(sys.argv[1]))["items"]:
    if j.get("protocol_run_id"):
        waits[j["protocol_run_id"]] = waits.get(j["protocol_run_id"], 0) + ms(j["started_at"]) - ms(j["enqueued_at"])
pure = []
for line in open(sys.argv[3]):
    pid, t0, t1, ag = line.strip().split("|")
    if t0 and t1:
        pure.append((int(t1) - int(t0) - int(ag) - waits.get(int(pid), 0)) / int(sys.argv[4]))
out.append("per step without slot waits: overhead p50 %d ms, p95 %d ms (protocol wall - agent - queue waits, / steps)"
           % (pct(pure, .5), pct(pure, .95)))
print("\n                     ".join(out))
PY
)

# Handler overhead of execute_step_job (started -> finished minus its agent time) by how its worker had the
# worktree: built from origin for the job (cold) or on its disk already (warm), from step_executed's metadata.
sql "SELECT metadata FROM events WHERE event_type='step_executed'" > "$WORK/executed.txt"
COLDWARM=$(python3 - "$WORK/jobs.json" "$WORK/runs.txt" "$WORK/executed.txt" <<'PY'
import json, sys
from datetime import datetime
def ms(t): return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000
agent = {}
for line in open(sys.argv[2]):
    j, d = line.strip().split("|"); agent[j] = agent.get(j, 0) + int(d)
jobs = {j["job_id"]: j for j in json.load(open(sys.argv[1]))["items"]}
kind = {}
for line in open(sys.argv[3]):
    line = line.strip()
    if not line: continue
    p = json.loads(line)
    m = p.get("metadata", p)
    if m.get("job_id") and m.get("worktree"): kind[m["job_id"]] = (m["worktree"], m.get("worktree_ms", 0), m.get("duration_ms"))
def pct(v, q):
    v = sorted(v); return round(v[min(len(v) - 1, int(q * len(v)))]) if v else 0
out = []
for k in ("cold", "warm"):
    ids = [j for j, (w, _, _) in kind.items() if w == k and j in jobs and j in agent]
    over = [ms(jobs[j]["finished_at"]) - ms(jobs[j]["started_at"]) - agent[j] for j in ids]
    prep = [kind[j][1] for j in ids]
    # the same minus only the agent's process (bubblewrap and the agent in it: duration_ms): the run's set-up
    # around it (budget check, run record, engine state, egress proxy) and its log and usage count as overhead
    own = [ms(jobs[j]["finished_at"]) - ms(jobs[j]["started_at"]) - kind[j][2] for j in ids if kind[j][2] is not None]
    out.append("%-4s n=%-3d handler overhead p50 %5d ms p95 %5d ms | worktree build/sync p50 %5d ms p95 %5d ms"
               % (k, len(ids), pct(over, .5), pct(over, .95), pct(prep, .5), pct(prep, .95)))
    out.append("     minus the agent process only (run set-up counted): p50 %5d ms p95 %5d ms" % (pct(own, .5), pct(own, .95)))
print("\n                     ".join(out))
PY
)

# Where the handlers' own time went (step_executed / qa_passed metadata: timing_ms per phase, git processes):
# p50 per phase; engine_call (exec) and gate (QA) include the agent, shown beside its own duration_ms.
sql "SELECT event_type || '|' || metadata FROM events WHERE event_type IN ('step_executed','qa_passed','qa_failed')" > "$WORK/phases.txt"
PHASES=$(python3 - "$WORK/phases.txt" <<'PY'
import json, sys
def pct(v, q):
    v = sorted(v); return round(v[min(len(v) - 1, int(q * len(v)))]) if v else 0
rows = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if "|" not in line: continue
    kind, raw = line.split("|", 1)
    p = json.loads(raw); m = p.get("metadata", p)
    if "timing_ms" not in m or m.get("adopted"): continue
    key = ("exec " if kind == "step_executed" else "qa   ") + m.get("worktree", "?")
    rows.setdefault(key, []).append(m)
out = []
for key in sorted(rows):
    ms = rows[key]
    names = []
    for m in ms:
        for n in m["timing_ms"]:
            if n not in names: names.append(n)
    parts = ["%s %d" % (n, pct([m["timing_ms"].get(n, 0) for m in ms], .5)) for n in names]
    parts.append("agent %d" % pct([m.get("duration_ms") or 0 for m in ms], .5))
    out.append("%s n=%-3d p50 ms: %s | git processes p50 %d (%d ms)" % (key, len(ms), ", ".join(parts),
               pct([m.get("git_processes", 0) for m in ms], .5), pct([m.get("git_ms", 0) for m in ms], .5)))
print("\n                     ".join(out))
PY
)

cat <<EOF | tee "$WORK/summary.txt"

== scale-out summary ==
protocols            $DONE/$PROTOCOLS completed ($PROJECTS project(s), $STEPS steps each; steps completed $STEPS_DONE/$TOTAL_EXEC)
processes            1 api + 3 workers x concurrency $CONCURRENCY ($SLOTS slots); lease ${LEASE}s, grace ${GRACE}s; agent sandbox $SANDBOX_SEEN
SIGKILL w1           held $HELD1 job(s); $ORPHANED agent process(es) outlived the JVM; replacement w4 started
SIGTERM w2           held $HELD2 job(s); exit code $W2_RC after $(( TERM_DONE_MS - TERM_MS )) ms; replacement w5 started
                     its jobs: $W2_FATE
wall time            $WALL_MS ms (first start action -> last protocol_completed)
engine runs          $RUNS ($UNFINISHED_RUNS never finished: their JVM was killed); agent time total $AGENT_MS ms
                     (agent sleeps ${AGENT_SLEEP}s + stand-in work per call); ideal wall at $SLOTS slots ~ $(( AGENT_MS / SLOTS )) ms
per step (protocol)  wall $STEP_WALL ms, agent $STEP_AGENT ms; orchestration overhead p50 $OV_P50 ms, p95 $OV_P95 ms
                     (overhead = protocol wall - its agent time, / $STEPS steps; includes waiting for a free slot)
per job              $BREAKDOWN
worktree (exec)      $COLDWARM
handler phases       $PHASES
CPU per job (w3)     $W3_CPU_PER_JOB ms over $W3_JOBS finished jobs (the worker JVM with its git and agent processes; agent's share the same before and after)
hand-off gap         p50 $GAP_P50 ms, p95 $GAP_P95 ms, max $GAP_MAX ms over $GAP_N run-to-next-run gaps
re-runs              $RERUNS (step,phase) pairs ran the engine more than once; job_retry events $RETRIES, job_skipped $SKIPPED, job_failed $JOB_FAILED_EV
workspaces           $([ "$WS_SHARED" = true ] && echo "one for every process (DEKSDENFLOW_WORKSPACE_SHARED=true)" || echo "one per process, none shared (DEKSDENFLOW_WORKSPACE_SHARED=false)")
checks               overlapping engine runs $OVERLAP (same step+phase), $PROTO_OVERLAP (same protocol); overlapping
                     worktree jobs of one protocol ${JOB_OVERLAP%% *}; steps with >1 step_executed $MULTI_EXEC;
                     queue queued/started/delayed/finished/failed $Q_QUEUED/$Q_STARTED/$Q_DELAYED/$Q_FINISHED/$Q_FAILED; outbox unsent $OUTBOX
orphan agents        $ORPHANS stand-in agent process(es) still alive at the end; the killed JVM's last agent exited $(( KILL_MS - $(cat "$WORK/kill_ms") )) ms after the kill
twice-done work      $TWICE step(s) have two agent commits on their branch (the orphaned agent's and the re-run's)
cache                $(du -sb "$WORK"/ws-* 2>/dev/null | awk '{printf "%s %d KiB; ", substr($2, length($2)-5), $1/1024}')
EOF
log "w2 shutdown log:"; grep -iE "SIGTERM|shut|grace|hand|stopp|cancel|inflight|in-flight" "$WORK/logs/w2.log" | tail -15 | cut -c1-260
cp "$WORK/summary.txt" "$ROOT/target/scale-out-summary.txt" 2>/dev/null
if [ -s "$RC_FILE" ]; then
  log "FAILED: $(wc -l < "$RC_FILE") check(s)"; KEEP=1; exit 1
fi
log "OK in $(( $(date +%s) - START_EPOCH )) s"
