#!/usr/bin/env bash
# Queue benchmark, anchored on BullMQ in the same run: no-op jobs/s (20,000 bulk-enqueued; one worker
# at concurrency 1 and 8) and p50/p99 enqueue-to-start latency at 500 jobs/s for 10 s, each row
# measured back to back with BullMQ 6.7 on the same Redis. Prints the section as markdown (rows with
# the ratio) and replaces the "# Queue benchmark" section of docs/benchmarks.md.
# Usage (from anywhere): bench/queue-bench.sh [redis-url]   default redis://127.0.0.1:6379/14
#        bench/queue-bench.sh --guard [redis-url]: the CI regression guard (.ci/run): 5,000 jobs at concurrency 1
#        and 8 against BullMQ from the same run; exits 1 when a ratio falls below 0.5x; writes no docs.
# Needs: java 17, mvn, node >= 18 + npm (BullMQ is installed under target/bullmq on first use).
# Uses only keys under "deksdenflow:" and "bullbench:" in the given database and deletes them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
GUARD=""
if [ "${1:-}" = "--guard" ]; then GUARD=1; shift; fi
URL="${1:-${DEKSDENFLOW_BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}}"
BULLMQ_VERSION=6.7.0
for c in java mvn node npm; do command -v $c >/dev/null || { echo "missing: $c" >&2; exit 2; }; done
# not offline (-o): on a fresh machine the dependency plugin and the test dependencies are downloaded once
if [ ! -d target/test-classes ] || [ ! -f target/bench.classpath ] || [ pom.xml -nt target/bench.classpath ] \
   || [ -n "$(find src -newer target/bench.classpath -name '*.java' -print -quit)" ]; then
  mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
if [ "$(node -p "try{require('./target/bullmq/node_modules/bullmq/package.json').version}catch(e){''}")" != "$BULLMQ_VERSION" ] \
   || [ ! -d target/bullmq/node_modules/ioredis ]; then
  mkdir -p target/bullmq
  [ -f target/bullmq/package.json ] || echo '{"private":true}' > target/bullmq/package.json
  npm install --prefix target/bullmq --no-audit --no-fund --silent "bullmq@$BULLMQ_VERSION" ioredis@5
fi
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
if [ -n "$GUARD" ]; then
  exec java -Xmx1g -cp "$CP" io.deksdenflow.orchestrator.testsupport.QueueBench --guard "$URL" target/bullmq
fi
exec java -Xmx1g -cp "$CP" \
  io.deksdenflow.orchestrator.testsupport.QueueBench "$URL" docs/benchmarks.md "bench/queue-bench.sh${*:+ $*}" target/bullmq
