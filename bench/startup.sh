#!/usr/bin/env bash
# Start-up, memory and stop of the default run (SQLite + embedded Redis, role all), with the plain jar
# and with the documented CDS start command (extracted jar + class-data archive from a training run).
# For each variant: wall and CPU seconds (user + sys of the JVM) until GET /health answers 200,
# resident memory after IDLE seconds, then SIGTERM: seconds until exit, exit status, and the number of
# WARN/ERROR lines logged after the signal. Prints markdown table rows.
# Usage (from anywhere): bench/startup.sh          Env: RUNS (3), IDLE (20), JAVA_OPTS (none), PORT (18561)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=$ROOT/target/deksdenflow-orchestrator.jar
RUNS=${RUNS:-3}; IDLE=${IDLE:-20}; PORT=${PORT:-18561}; JAVA_OPTS=${JAVA_OPTS:-}
for c in java curl; do command -v $c >/dev/null || { echo "missing: $c" >&2; exit 2; }; done
if [ ! -f "$JAR" ] || [ pom.xml -nt "$JAR" ] || [ -n "$(find src -newer "$JAR" -type f -print -quit)" ]; then
  mvn -q -B -DskipTests package || { echo "build failed" >&2; exit 2; }
fi
WORK=$(mktemp -d /tmp/dfbench-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CLK=$(getconf CLK_TCK)

# the CDS variant, as in the README and the Dockerfile (scripts/cds-train.sh: extract + training run)
APP=$ROOT/target/app
if [ ! -f "$APP/app.jsa" ] || [ "$JAR" -nt "$APP/app.jsa" ]; then
  scripts/cds-train.sh "$JAR" "$APP" >/dev/null || exit 2
fi

one() { # variant label, then the java arguments
  local label=$1; shift
  local dir; dir=$(mktemp -d "$WORK/run.XXXXXX"); mkdir -p "$dir/routes"
  local t0 t1 t2 t3 pid cpu rss rc bad
  t0=$(date +%s%N)
  (cd "$dir" && exec env DEKSDENFLOW_API_HOST=127.0.0.1 DEKSDENFLOW_API_PORT=$PORT DEKSDENFLOW_DB_PATH=$dir/db.sqlite \
     DEKSDENFLOW_WORKSPACE=$dir/ws DEKSDENFLOW_ROUTES_DIR=$dir/routes java $JAVA_OPTS "$@" > "$dir/log" 2>&1) &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; do
    kill -0 $pid 2>/dev/null || { echo "start failed: $dir/log" >&2; tail -20 "$dir/log" >&2; return 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  cpu=$(awk -v clk="$CLK" '{printf "%.1f", ($14+$15)/clk}' /proc/$pid/stat)
  sleep "$IDLE"
  rss=$(awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$pid/status)
  t2=$(date +%s%N)
  kill -TERM $pid; wait $pid; rc=$?
  t3=$(date +%s%N)
  bad=$(sed -n '/SIGTERM/,$p' "$dir/log" | grep -cE '\b(WARN|ERROR)\b|Exception|Cannot reconnect')
  printf '| %s | %.1f s | %s s | %s MB | %.1f s | %s | %s |\n' "$label" "$(echo "($t1-$t0)/1000000000" | bc -l)" "$cpu" "$rss" \
    "$(echo "($t3-$t2)/1000000000" | bc -l)" "$rc" "$bad"
}

echo "date $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "| variant | start-up to healthy /health (wall) | CPU-seconds to healthy | RSS after ${IDLE} s idle | SIGTERM to exit | exit status | WARN/ERROR lines after SIGTERM |"
echo "|---|---|---|---|---|---|---|"
for i in $(seq 1 "$RUNS"); do
  one "java -jar (plain)" -jar "$JAR"
  one "CDS: java -XX:SharedArchiveFile=app.jsa -jar app/…jar" -XX:SharedArchiveFile="$APP/app.jsa" -jar "$APP/deksdenflow-orchestrator.jar"
  one "CDS + -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms48m (README)" -XX:SharedArchiveFile="$APP/app.jsa" \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms48m -jar "$APP/deksdenflow-orchestrator.jar"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
