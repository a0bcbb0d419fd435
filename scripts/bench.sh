#!/usr/bin/env bash
# Runs Ferry's benchmarks side by side with the tools users would otherwise use, and prints a
# table of ratios. Not part of the tests: timings belong here, not in assertions.
#
# Usage: scripts/bench.sh [packaging|mesos-local|executor|throughput|elastic|all] [--reps N] [--tasks N]
#   packaging    archive time/size vs tar czf and tar -I pigz; upload throughput vs curl -T to
#                nginx and vs FsShell -put to a MiniDFSCluster (the default)
#   mesos-local  offers-to-launch throughput: tasks/s a raw-HTTP scheduler launches and sees
#                finished on trivial executors (real processes), at 1 s and 100 ms allocation
#   executor     bin/ferry-executor cold start (exec to SUBSCRIBE, to the first TASK_RUNNING): first
#                start (writes the agent's CDS archive), warm start (maps it) and without it, each
#                vs a JVM that prints hello; and its idle resident memory
#   throughput   no-op tasks through FerryContext on local-cluster[2,2,1024] from an archive of
#                dist/: coarse tasks/s and round trips, fine tasks/s vs the allocation bound
#   elastic      two applications on local-cluster[2,4,1024]: elastic coarse vs static coarse vs
#                fine-grained for B's time to cores when it arrives during A's pause, two busy
#                applications' time to equal shares, idle core-seconds between bursts; and coarse
#                tasks/s with elasticity on vs off at the same executor count (about 6 minutes)
#   all          every suite in one run, then one summary table of ratios
# --reps N (default 5) for packaging and executor; --tasks N (default 100000) coarse tasks per phase.
# Environment: MVN_ARGS (e.g. -o), JAVA_HOME.
# Needs: dist/ (built here if missing), GNU tar, gzip, curl, nginx-light, pigz (optional).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
suite="packaging"
reps=5
tasks=100000
while (($#)); do
  case "$1" in
    packaging|mesos-local|executor|throughput|elastic|all) suite="$1" ;;
    --reps) reps="$2"; shift ;;
    --tasks) tasks="$2"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck disable=SC2086
[ -x dist/bin/ferry-executor ] || ./scripts/make-distribution.sh -q ${MVN_ARGS:-}
# Build the benchmark and the modules it uses in one reactor, and take the class path from that
# reactor (module target/ jars + third-party jars): nothing is installed into ~/.m2.
# shellcheck disable=SC2086
mvn -q -B ${MVN_ARGS:-} package dependency:build-classpath -DskipTests -pl bench -am \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
work="$(mktemp -d)"
summary="$work/summary.md"
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -n 1); tar: $(tar --version | head -n 1); gzip: $(gzip --version | head -n 1)"
echo "pigz: $({ command -v pigz >/dev/null && pigz --version 2>&1 | head -n 1; } || echo none); curl: $(curl --version | head -n 1 | cut -d' ' -f1-2); nginx: $({ command -v nginx >/dev/null && nginx -v 2>&1; } || echo none)"
run_suite() {
  echo
  echo "## $1"
  case "$1" in
    packaging)
      java -Xmx2g -Dbench.summary="$summary" --add-opens java.base/java.lang=ALL-UNNAMED -cp "$cp" \
        io.ferry.bench.PackagingBench "$(pwd)/dist" "$work/packaging" "$reps" "$(pwd)/dist/bin/ferry-package" ;;
    mesos-local)
      java -Xmx1g -Dbench.summary="$summary" -cp "$cp" io.ferry.bench.MesosLocalBench "$work/mesos-local" 300 ;;
    executor)
      java -Xmx512m -Dbench.summary="$summary" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
        io.ferry.bench.ExecutorStartBench "$(pwd)/dist" "$work/executor" "$reps" 3 ;;
    throughput)
      java -Xmx1g -Dbench.summary="$summary" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
        io.ferry.bench.ThroughputBench "$(pwd)/dist" "$work/throughput" "$tasks" 10 ;;
    elastic)
      java -Xmx1g -Dbench.summary="$summary" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
        io.ferry.bench.ElasticBench "$(pwd)/dist" "$work/elastic" "$tasks" ;;
  esac
}
if [ "$suite" = all ]; then
  for s in packaging mesos-local executor throughput elastic; do run_suite "$s"; done
  echo
  echo "## summary"
  echo "| suite | measurement | Ferry | baseline | ratio | target |"
  echo "| --- | --- | --- | --- | --- | --- |"
  cat "$summary"
else
  run_suite "$suite"
fi
