#!/usr/bin/env bash
# Start-up and memory of the README's run command (`./deksdenflow`: the default run, SQLite + embedded Redis,
# role all) against its anchor, a minimal Spring Boot web application (bench/minimal-app: one endpoint, the
# same Spring Boot version) started with the same JDK, the same JVM flags (`./deksdenflow --print-java-opts`)
# and the same kind of class-data archive, back to back in the same run. Optionally (PLAIN=1, the default)
# also the documented alternative `java -jar target/deksdenflow-orchestrator.jar` once, for reference.
#
# Each start runs as a newcomer's would: in a fresh directory holding only a copy of the repository's
# routes/ folder (no database file yet), with the API on PORT instead of 8000. For each: wall seconds until
# GET /health answers 200, CPU seconds until then (user + sys of the process and its finished children, from
# /proc: for ./deksdenflow that is the launcher's shell, then the JVM it execs), resident memory after IDLE
# seconds, then SIGTERM: seconds until exit, exit status, WARN/ERROR lines logged after the signal.
# Then the verdicts of issue #25 per pair: wall ≤ 2× the anchor's, CPU ≤ 2× the anchor's, RSS ≤ 300 MB.
#
# Preparation is outside the measured starts and reported on its own: the build (`mvn -q -B -DskipTests
# package` when the jar is stale), and the one-time training run of `./deksdenflow --prepare` (FRESH=1, the
# default, deletes target/app first, so that the run also measures what a fresh clone's first
# `./deksdenflow` costs before its start). Prints markdown.
# Usage (from anywhere): bench/startup.sh      Env: RUNS (3), IDLE (20), PORT (18561), PLAIN (1), FRESH (1)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-3}; IDLE=${IDLE:-20}; PORT=${PORT:-18561}; PLAIN=${PLAIN:-1}; FRESH=${FRESH:-1}
JAR=$ROOT/target/deksdenflow-orchestrator.jar
MIN=$ROOT/bench/minimal-app
for c in java curl mvn bc; do command -v $c >/dev/null || { echo "missing: $c" >&2; exit 2; }; done
CLK=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/dfbench-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
secs() { echo "($2-$1)/1000000000" | bc -l | xargs printf '%.1f'; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "date $(date -u +%FT%TZ), $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GB RAM", $2/1048576}' /proc/meminfo)," \
  "kernel $(uname -r), $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# --- preparation (not measured as start-up) ----------------------------------------------------------
if [ ! -f "$JAR" ] || [ pom.xml -nt "$JAR" ] || [ -n "$(find src/main -newer "$JAR" -print -quit)" ]; then
  t0=$(date +%s%N); mvn -q -B -DskipTests package || { echo "build failed" >&2; exit 2; }
  echo "- build: \`mvn -q -B -DskipTests package\` $(secs "$t0" "$(date +%s%N)") s (load $(load))"
else
  echo "- build: the jar is up to date (not rebuilt)"
fi
[ "$FRESH" = 1 ] && rm -rf "$ROOT/target/app"
t0=$(date +%s%N)
(cd "$ROOT" && ./deksdenflow --prepare) 2>/dev/null || { echo "./deksdenflow --prepare failed" >&2; exit 2; }
echo "- \`./deksdenflow --prepare\` (extract + training run when target/app is missing or stale): $(secs "$t0" "$(date +%s%N)") s (load $(load))"
if [ ! -f "$MIN/target/minimal-app.jar" ] || [ "$MIN/pom.xml" -nt "$MIN/target/minimal-app.jar" ] \
   || [ -n "$(find "$MIN/src" -newer "$MIN/target/minimal-app.jar" -print -quit)" ]; then
  (cd "$MIN" && mvn -q -B package) || { echo "minimal app build failed" >&2; exit 2; }
  rm -rf "$MIN/target/app"
fi
[ "$FRESH" = 1 ] && rm -rf "$MIN/target/app"
OPTS=$(./deksdenflow --print-java-opts)

# train the anchor (with the same flags, as ./deksdenflow trains the service) the way scripts/cds-train.sh trains the service: extract, start, healthy, SIGTERM
if [ ! -f "$MIN/target/app/app.jsa" ]; then
  rm -rf "$MIN/target/app"
  java -Djarmode=tools -jar "$MIN/target/minimal-app.jar" extract --destination "$MIN/target/app" >/dev/null || exit 2
  # shellcheck disable=SC2086 # OPTS is a list of flags
  (cd "$WORK" && exec java $OPTS -XX:ArchiveClassesAtExit="$MIN/target/app/app.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
     -Dserver.port=$PORT -jar "$MIN/target/app/minimal-app.jar" > "$WORK/min-train.log" 2>&1) &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; do
    kill -0 $pid 2>/dev/null || { echo "minimal app training failed" >&2; cat "$WORK/min-train.log" >&2; exit 2; }
    sleep 0.05
  done
  kill -TERM $pid; wait $pid
fi
echo "- JVM flags of \`./deksdenflow\` and of the anchor: \`$OPTS\`"
echo

# --- one start ---------------------------------------------------------------------------------------
# one LABEL KIND COMMAND...: prints a row, leaves "wall cpu rss" in $WORK/last
one() {
  local label=$1 kind=$2; shift 2
  local dir; dir=$(mktemp -d "$WORK/run.XXXXXX")
  cp -r "$ROOT/routes" "$dir/routes"
  local t0 t1 t2 t3 pid cpu rss rc bad l0
  l0=$(load)
  t0=$(date +%s%N)
  if [ "$kind" = service ]; then
    (cd "$dir" && exec env DEKSDENFLOW_API_HOST=127.0.0.1 DEKSDENFLOW_API_PORT=$PORT "$@" > "$dir/log" 2>&1) &
  else
    (cd "$dir" && exec "$@" -Dserver.address=127.0.0.1 -Dserver.port=$PORT -jar "$MIN/target/app/minimal-app.jar" > "$dir/log" 2>&1) &
  fi
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; do
    kill -0 $pid 2>/dev/null || { echo "start failed: $label" >&2; tail -20 "$dir/log" >&2; return 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  cpu=$(awk -v clk="$CLK" '{printf "%.2f", ($14+$15+$16+$17)/clk}' /proc/$pid/stat)
  sleep "$IDLE"
  rss=$(awk '/VmRSS/{printf "%.0f", $2/1024}' /proc/$pid/status)
  t2=$(date +%s%N)
  kill -TERM $pid; wait $pid; rc=$?
  t3=$(date +%s%N)
  bad=$(sed -n '/SIGTERM/,$p' "$dir/log" | grep -cE '\b(WARN|ERROR)\b|Exception|Cannot reconnect')
  printf '| %s | %s | %s s | %.1f s | %s MB | %s s | %s | %s |\n' "$label" "$l0" "$(secs "$t0" "$t1")" "$cpu" "$rss" \
    "$(secs "$t2" "$t3")" "$rc" "$bad"
  echo "$(secs "$t0" "$t1") $cpu $rss" > "$WORK/last"
  rm -rf "$dir"
}

echo "| command | load before | start to healthy /health (wall) | CPU-s to healthy | RSS after ${IDLE} s idle | SIGTERM to exit | exit status | WARN/ERROR lines after SIGTERM |"
echo "|---|---|---|---|---|---|---|---|"
: > "$WORK/verdicts"
for i in $(seq 1 "$RUNS"); do
  # shellcheck disable=SC2086 # OPTS is a list of flags
  one "anchor: minimal Spring Boot web app, \`java $OPTS -XX:SharedArchiveFile=… -jar\`" minimal \
    java $OPTS -XX:SharedArchiveFile="$MIN/target/app/app.jsa" || exit 1
  read -r mw mc _ < "$WORK/last"
  one "README: \`./deksdenflow\`" service "$ROOT/deksdenflow" || exit 1
  read -r ow oc orss < "$WORK/last"
  echo "$i $ow $mw $oc $mc $orss" >> "$WORK/verdicts"
  if [ "$PLAIN" = 1 ] && [ "$i" = 1 ]; then
    one "alternative: \`java -jar target/deksdenflow-orchestrator.jar\`" service java -jar "$JAR" || exit 1
  fi
done
echo
echo "| pair | wall: ours / anchor (≤ 2×) | CPU: ours / anchor (≤ 2×) | RSS after ${IDLE} s idle (≤ 300 MB) |"
echo "|---|---|---|---|"
while read -r i ow mw oc mc orss; do
  awk -v i="$i" -v ow="$ow" -v mw="$mw" -v oc="$oc" -v mc="$mc" -v r="$orss" 'BEGIN {
    w = ow / mw; c = oc / mc
    printf "| %s | %.1f / %.1f s = %.2f× %s | %.1f / %.1f s = %.2f× %s | %s MB %s |\n", i, ow, mw, w, (w <= 2 ? "**met**" : "not met"),
      oc, mc, c, (c <= 2 ? "**met**" : "not met"), r, (r <= 300 ? "**met**" : "not met") }'
done < "$WORK/verdicts"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
