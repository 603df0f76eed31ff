#!/usr/bin/env bash
# Queue benchmark: no-op jobs/s (20,000 bulk-enqueued; one worker at concurrency 1 and 8) and
# p50/p99 enqueue-to-start latency at 500 jobs/s for 10 s. Writes docs/benchmarks.md.
# Usage (from the repo root): bench/queue-bench.sh [redis-url]   default redis://127.0.0.1:6379/14
# Uses only keys under "deksdenflow:" in the given database and deletes them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
URL="${1:-${DEKSDENFLOW_BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}}"
if [ ! -d target/test-classes ] || [ ! -f target/bench.classpath ] || [ pom.xml -nt target/bench.classpath ]; then
  mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.deksdenflow.orchestrator.testing.QueueBench "$URL" docs/benchmarks.md "bench/queue-bench.sh $*"
