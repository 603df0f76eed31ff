#!/bin/sh
# Builds the class-data-sharing (CDS) archive for faster start-up (Spring Boot's CDS support):
# extracts the jar to DIR (default target/app), then makes a training run — starts the service with
# the default settings (SQLite and embedded Redis in a scratch directory), waits for a healthy /health,
# stops it with SIGTERM — and writes DIR/app.jsa at its exit. Then start the service with
#   java -XX:SharedArchiveFile=DIR/app.jsa -jar DIR/deksdenflow-orchestrator.jar
# The archive belongs to that JVM build and that extracted jar: re-run after either changes (the JVM
# warns and starts without it when they do not match).
# Usage: scripts/cds-train.sh [jar] [dir]    (jar default target/deksdenflow-orchestrator.jar; env JAVA: the java
# command, default java — the archive works only with the JVM that made it)
# The training run sees none of the caller's DEKSDENFLOW_* variables: it must not migrate the caller's
# database, reach the caller's Redis or bind the caller's port. CDS_TRAIN_ROUTES_DIR: a folder of YAML routes
# the training run loads (as the real start will: their classes go into the archive); default none.
# CDS_TRAIN_JAVA_OPTS: JVM flags of the training run (./deksdenflow passes its own: C1 only makes the
# training run about as cheap as a start; the archive holds class metadata, valid with any of these flags).
# A training run to the end of start-up, rather than spring.context.exit=onRefresh: that exits with
# Runtime.halt, which runs no shutdown hook and so leaves the embedded redis-server running; and the
# archive also covers the classes that starting Tomcat and the Camel routes load.
set -eu
JAR=${1:-target/deksdenflow-orchestrator.jar}
DIR=${2:-target/app}
JAVA=${JAVA:-java}
PORT=${CDS_TRAIN_PORT:-18599}
rm -rf "$DIR"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$DIR" >/dev/null
# a dynamic archive sits on the JDK's base archive (lib/server/classes.jsa); some JRE builds ship without it
"$JAVA" -Xshare:on -version >/dev/null 2>&1 || "$JAVA" -Xshare:dump >/dev/null 2>&1 || true
DIR=$(cd "$DIR" && pwd)
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
ROUTES=${CDS_TRAIN_ROUTES_DIR:-$SCRATCH/routes}
for v in $(env | sed -n 's/^\(DEKSDENFLOW_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
(cd "$SCRATCH" && exec env DEKSDENFLOW_API_HOST=127.0.0.1 DEKSDENFLOW_API_PORT=$PORT DEKSDENFLOW_DB_PATH="$SCRATCH/db.sqlite" \
   DEKSDENFLOW_WORKSPACE="$SCRATCH/ws" DEKSDENFLOW_ROUTES_DIR="$ROUTES" DEKSDENFLOW_REDIS_URL= \
   "$JAVA" ${CDS_TRAIN_JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$DIR/app.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
   -jar "$DIR/deksdenflow-orchestrator.jar" > "$SCRATCH/train.log" 2>&1) &
PID=$!
i=0
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health"; do
  if ! kill -0 $PID 2>/dev/null || [ $i -ge 1800 ]; then
    echo "CDS training run did not become healthy:" >&2; tail -30 "$SCRATCH/train.log" >&2; kill -KILL $PID 2>/dev/null; exit 1
  fi
  i=$((i + 1)); sleep 0.1
done
kill -TERM $PID
wait $PID
[ -f "$DIR/app.jsa" ] || { echo "no archive written:" >&2; tail -30 "$SCRATCH/train.log" >&2; exit 1; }
echo "CDS archive: $DIR/app.jsa; start with: java -XX:SharedArchiveFile=$DIR/app.jsa -jar $DIR/deksdenflow-orchestrator.jar"
