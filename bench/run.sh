#!/usr/bin/env bash
# The benchmark suite in one command (from the repository root or anywhere):
#   bench/run.sh                 short default suite (<= 5 min on 2 cores), report in bench/results/
#   bench/run.sh --full          the whole matrix;   bench/run.sh --repeat 3   min–max over 3 runs
#   bench/run.sh --help          every option
#   bench/run.sh jmh [ARGS]      the JMH micro-benchmarks (ARGS go to JMH, e.g. 'jmh Spool -f 1 -wi 2 -i 3')
# Builds what is missing first (gateway jar and bench jar), on a JDK >= 21 found by bin/find-jdk.
# Set BENCH_REBUILD=1 to rebuild even when the jars exist.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export JAVA_HOME=$("$root/bin/find-jdk")
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f bench/target/bench.jar ] || [ ! -f app/target/smime-gateway.jar ]; then
  echo "bench/run.sh: building (./mvnw -q -DskipTests package)" >&2
  ./mvnw -q -o -DskipTests package 2>/dev/null || ./mvnw -q -DskipTests package
fi
cp="bench/target/bench.jar:bench/target/lib/*"
BENCH_GIT_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
export BENCH_GIT_COMMIT
if [ "${1:-}" = jmh ]; then
  shift
  exec "$JAVA_HOME/bin/java" -Dlogback.configurationFile=bench-logback.xml -cp "$cp" org.openjdk.jmh.Main "$@"
fi
exec "$JAVA_HOME/bin/java" -Dlogback.configurationFile=bench-logback.xml ${BENCH_JAVA_OPTS:-} -cp "$cp" org.smimegw.bench.BenchMain "$@"
