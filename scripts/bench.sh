#!/usr/bin/env bash
# Runs Ferry's benchmarks side by side with the tools users would otherwise use, and prints a
# table of ratios. Not part of the tests: timings belong here, not in assertions.
#
# Usage: scripts/bench.sh [packaging|mesos-local] [--reps N]
#   packaging    archive time/size vs tar czf and tar -I pigz; upload throughput vs curl -T to
#                nginx and vs FsShell -put to a MiniDFSCluster (the default)
#   mesos-local  offers-to-launch throughput: tasks/s a raw-HTTP scheduler launches and sees
#                finished on trivial executors (real processes), at 1 s and 100 ms allocation
# Needs: dist/ (built here if missing), GNU tar, gzip, curl, nginx-light, pigz (optional).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
suite="packaging"
reps=5
while (($#)); do
  case "$1" in
    packaging|mesos-local) suite="$1" ;;
    --reps) reps="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$suite" != packaging ] || [ -x dist/bin/ferry-package ] || ./scripts/make-distribution.sh -q
mvn -q -B install -DskipTests -pl bench -am >/dev/null
cp_file="$(mktemp)"
work="$(mktemp -d)"
trap 'rm -rf "$work" "$cp_file"' EXIT
mvn -q -B dependency:build-classpath -pl bench -Dmdep.outputFile="$cp_file" >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm)"
echo "java: $(java -version 2>&1 | head -n 1); tar: $(tar --version | head -n 1); gzip: $(gzip --version | head -n 1)"
echo "pigz: $(pigz --version 2>&1 | head -n 1 || echo none); curl: $(curl --version | head -n 1 | cut -d' ' -f1-2); nginx: $(nginx -v 2>&1)"
case "$suite" in
  packaging)
    java -Xmx2g --add-opens java.base/java.lang=ALL-UNNAMED -cp "bench/target/classes:$(cat "$cp_file")" \
      io.ferry.bench.PackagingBench "$(pwd)/dist" "$work" "$reps" "$(pwd)/dist/bin/ferry-package" ;;
  mesos-local)
    java -Xmx1g -cp "bench/target/classes:$(cat "$cp_file")" io.ferry.bench.MesosLocalBench "$work" 300 ;;
esac
