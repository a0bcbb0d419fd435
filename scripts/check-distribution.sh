#!/usr/bin/env bash
# Checks the binary distribution the way a user gets it:
#  1. scripts/make-distribution.sh --tgz twice from the same commit gives byte-identical archives;
#  2. GNU tar and gunzip accept the archive; it has one top-level directory named after the file;
#  3. the extracted tree matches dist/ file for file, with the normalised modes;
#  4. the launchers in the extracted tree run: ferry-package --version, ferry-mesos-local --help,
#     ferry-submit --help, ferry-shell --help, bin/hadoop version, and ferry-executor outside Mesos or with a bad
#     FERRY_EXECUTOR_MEMORY says so in one line and exits 2; the examples jar is shipped;
#  5. sha512sum -c accepts the sidecar;
#  6. lib/ is lean (docs/packaging.md, "What lib/ holds"): no class in two jars, nothing test-only, no
#     native library but Linux's, the executor's class path without the driver's, the packager's or
#     ZooKeeper's jars, and the archive within its size budget (FERRY_MAX_ARCHIVE_MIB, default 60).
# Prints "distribution: N passed, M failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SRC="$(pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
check() {
  local name="$1"; shift
  if "$@" >"$WORK/last.log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/    /' "$WORK/last.log" | tail -n 20
  fi
}

# Unpushed work still has a stable commit time; pin it so both builds agree even if HEAD moves.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1700000000)}"
build() { ./scripts/make-distribution.sh --tgz --name check -q "$@" >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; return 1; }; }
if ! build; then echo "distribution: 0 passed, 1 failed"; exit 1; fi
TGZ="$(ls ferry-*-bin-check.tgz)"
TOP="${TGZ%.tgz}"
cp "$TGZ" "$WORK/first.tgz"
if ! build; then echo "distribution: $passed passed, 1 failed"; exit 1; fi

check "two builds from one commit are byte-identical" cmp "$WORK/first.tgz" "$TGZ"
check "gunzip accepts the archive" gzip -t "$TGZ"
check "sha512sum -c accepts the sidecar" sha512sum -c "$TGZ.sha512"
mkdir -p "$WORK/x"
check "GNU tar extracts it" tar -xzf "$TGZ" -C "$WORK/x"
check "one top-level directory, named after the file" test "$(ls "$WORK/x")" = "$TOP"
check "the extracted tree matches dist/" diff -r dist "$WORK/x/$TOP"
check "bin/* are 0755, other files 0644" bash -c '
  cd "$1" && [ -z "$(find bin -type f ! -perm 0755)" ] && [ -z "$(find . -type f ! -path "./bin/*" ! -perm 0644)" ] \
    && [ -z "$(find . -type d ! -perm 0755)" ]' _ "$WORK/x/$TOP"
check "entries are owned by 0:0" bash -c '! tar --numeric-owner -tvzf "$1" | grep -v " 0/0 "' _ "$TGZ"
check "RELEASE lists a sha256 for every file" bash -c '
  cd "$1" && sed -n "/^Files (sha256):/,\$p" RELEASE | tail -n +2 | sha256sum -c --quiet' _ "$WORK/x/$TOP"
check "bin/ferry-package runs from the extracted tree" "$WORK/x/$TOP/bin/ferry-package" --version
check "bin/ferry-mesos-local --help runs from the extracted tree" "$WORK/x/$TOP/bin/ferry-mesos-local" --help
check "bin/ferry-submit --help runs from the extracted tree" "$WORK/x/$TOP/bin/ferry-submit" --help
check "bin/ferry-shell --help runs from the extracted tree" "$WORK/x/$TOP/bin/ferry-shell" --help
check "the examples jar is shipped" bash -c 'ls "$1"/examples/ferry-examples-*.jar' _ "$WORK/x/$TOP"
check "bin/ferry-executor outside Mesos says so in one line and exits 2" bash -c '
  out="$(env -u MESOS_AGENT_ENDPOINT -u MESOS_FRAMEWORK_ID -u MESOS_EXECUTOR_ID "$1" 2>&1)"; rc=$?
  printf "%s\n" "$out"; [ "$rc" -eq 2 ] && [ "$(printf "%s\n" "$out" | wc -l)" -eq 1 ] \
    && printf "%s\n" "$out" | grep -q "must be started by a Mesos agent"' _ "$WORK/x/$TOP/bin/ferry-executor"
check "bin/ferry-executor with a bad FERRY_EXECUTOR_MEMORY says so in one line and exits 2" bash -c '
  out="$(FERRY_EXECUTOR_MEMORY=lots "$1" 2>&1)"; rc=$?
  printf "%s\n" "$out"; [ "$rc" -eq 2 ] && [ "$(printf "%s\n" "$out" | wc -l)" -eq 1 ] \
    && printf "%s\n" "$out" | grep -q "FERRY_EXECUTOR_MEMORY=lots is not a JVM heap size"' _ "$WORK/x/$TOP/bin/ferry-executor"
if [ -e "$WORK/x/$TOP/bin/hadoop" ]; then
  check "bin/hadoop version runs from the extracted tree" "$WORK/x/$TOP/bin/hadoop" version
fi
X="$WORK/x/$TOP"
check "no class is in two jars of lib/" bash -c '
  cd "$1/lib" && dup="$(for j in *.jar; do unzip -Z1 "$j" | grep "\.class$" | grep -v "module-info\.class$"; done | sort | uniq -d)"
  [ -z "$dup" ] || { echo "in more than one jar:"; echo "$dup" | head -n 20; exit 1; }' _ "$X"
check "nothing test-only in lib/" bash -c '
  ! ls "$1/lib" | grep -Ei "junit|assertj|mockito|hamcrest|opentest4j|minicluster|curator-test|s3proxy|-tests\.jar"' _ "$X"
check "no native library for another platform than Linux in lib/" bash -c '
  cd "$1/lib" && for j in *.jar; do unzip -Z1 "$j" | grep -Ei "\.(dll|dylib|jnilib)$|(osx|windows|mac|darwin|aarch_64|aarch64)[^/]*\.so$" | sed "s|^|$j: |"; done | { ! grep .; }' _ "$X"
check "every launcher has a class path list, and every listed jar is shipped" bash -c '
  cd "$1" && for b in bin/*; do case "$b" in *.sh) continue ;; esac
    [ -f "lib/classpath/$(basename "$b").txt" ] || { echo "no lib/classpath/$(basename "$b").txt"; exit 1; }; done
  for l in lib/classpath/*.txt; do while IFS= read -r j; do [ -f "lib/$j" ] || { echo "$l: $j missing"; exit 1; }; done < "$l"; done' _ "$X"
check "every launcher's class path has the SLF4J backend" bash -c '
  for l in "$1"/lib/classpath/*.txt; do grep -q "^slf4j-simple-" "$l" || { echo "$l: no slf4j-simple"; exit 1; }; done' _ "$X"
check "the executor's class path holds none of the driver's, packager's, S3's or ZooKeeper's jars" bash -c '
  ! grep -E "^(ferry-(driver|shell|packager|mesos-local)-|curator|zookeeper|picocli|commons-compress|s3-|sdk-core|xz-)" \
    "$1/lib/classpath/ferry-executor.txt"' _ "$X"
check "the archive is at most ${FERRY_MAX_ARCHIVE_MIB:-60} MiB" bash -c '
  size=$(stat -c %s "$1"); echo "$((size / 1048576)) MiB ($size bytes)"; [ "$size" -le $(( ${2} * 1048576 )) ]' _ "$TGZ" "${FERRY_MAX_ARCHIVE_MIB:-60}"
rm -f "$TGZ" "$TGZ.sha512"
echo "distribution: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
