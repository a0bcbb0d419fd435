#!/usr/bin/env bash
#
# Builds Ferry and assembles a runnable binary distribution in dist/, and with --tgz an archive
#   ferry-<version>-bin[-NAME].tgz  (+ .sha512)
# whose single top-level directory is the file name minus .tgz. Two runs from the same commit
# give byte-identical archives: jars are built with a fixed timestamp, and the archive is written
# by Ferry's own deterministic builder (bin/ferry-package build).
#
# Usage: scripts/make-distribution.sh [--tgz] [--name NAME] [--mvn PATH] [--help] [maven args...]
# Environment: SOURCE_DATE_EPOCH (default: the time of the last commit), JAVA_HOME.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: $(basename "$0") [options] [maven args...]
  --tgz         also write ferry-<version>-bin[-NAME].tgz and its .sha512 in the project root
  --name NAME   suffix for the archive name: ferry-<version>-bin-NAME.tgz
  --mvn PATH    the Maven to run (default: mvn on PATH)
  --help        this text
Other arguments are passed to Maven, e.g. -o for offline builds.
Environment: SOURCE_DATE_EPOCH (default: the commit time), JAVA_HOME.
USAGE
}

die() { echo "make-distribution.sh: $*" >&2; exit 1; }

FERRY_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$FERRY_SRC/dist"
MAKE_TGZ=false
NAME=""
MVN="mvn"
MVN_ARGS=()

while (($#)); do
  case "$1" in
    --tgz) MAKE_TGZ=true ;;
    --name) [[ $# -ge 2 && -n "$2" ]] || die "--name needs a value"; NAME="$2"; shift ;;
    --name=*) NAME="${1#--name=}" ;;
    --mvn) [[ $# -ge 2 && -n "$2" ]] || die "--mvn needs a path"; MVN="$2"; shift ;;
    --mvn=*) MVN="${1#--mvn=}" ;;
    --help|-h) usage; exit 0 ;;
    *) MVN_ARGS+=("$1") ;;
  esac
  shift
done

[[ -z "$NAME" || "$NAME" =~ ^[A-Za-z0-9._+-]+$ ]] || die "--name '$NAME': use letters, digits, . _ + - only"
command -v "$MVN" >/dev/null 2>&1 || die "Maven not found at '$MVN'; install Maven 3.8+ or pass --mvn PATH"
if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java || true)"; fi
[[ -n "$JAVA" && -x "$JAVA" ]] || die "java not found; install a JDK 17+ or set JAVA_HOME"
JAVA_VERSION="$("$JAVA" -version 2>&1 | head -n 1)"

cd "$FERRY_SRC"
VERSION="$(awk '/<artifactId>ferry-parent<\/artifactId>/{p=1} p && /<version>/{gsub(/.*<version>|<\/version>.*/,""); print; exit}' pom.xml)"
[[ -n "$VERSION" ]] || die "could not read the version from pom.xml"
HADOOP_VERSION="$(sed -n 's:.*<hadoop.version>\(.*\)</hadoop.version>.*:\1:p' pom.xml | head -n 1)"

if git -C "$FERRY_SRC" rev-parse --git-dir >/dev/null 2>&1 && git -C "$FERRY_SRC" rev-parse HEAD >/dev/null 2>&1; then
  REVISION="$(git -C "$FERRY_SRC" rev-parse HEAD)"
  if [[ -n "$(git -C "$FERRY_SRC" status --porcelain --untracked-files=no)" ]]; then REVISION="$REVISION-dirty"; fi
  : "${SOURCE_DATE_EPOCH:=$(git -C "$FERRY_SRC" log -1 --format=%ct)}"
else
  REVISION="unknown (not a git checkout)"
  [[ -n "${SOURCE_DATE_EPOCH:-}" ]] || die "not a git checkout: set SOURCE_DATE_EPOCH to fix the archive's timestamps"
fi
[[ "$SOURCE_DATE_EPOCH" =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH '$SOURCE_DATE_EPOCH': expected whole seconds since 1970"
export SOURCE_DATE_EPOCH
BUILD_TIME="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"

echo "Building Ferry $VERSION ($REVISION) with $JAVA_VERSION" >&2
"$MVN" -B clean package -DskipTests -Dproject.build.outputTimestamp="$SOURCE_DATE_EPOCH" ${MVN_ARGS[@]+"${MVN_ARGS[@]}"}

rm -rf "$DIST"
mkdir -p "$DIST/bin" "$DIST/lib" "$DIST/conf" "$DIST/examples"
cp assembly/target/jars/*.jar "$DIST/lib/"
# Applications, not libraries: bin/ferry-submit runs them; they stay out of lib/.
cp "examples/target/ferry-examples-$VERSION.jar" "$DIST/examples/"
# Each launcher runs with its own module's class path, not all of lib/ (docs/packaging.md, "Class paths"):
# lib/classpath/<launcher>.txt lists the module's jar and then its runtime dependencies (Maven's order),
# one jar file name a line; ferry-common.sh reads it. The executor's therefore holds only what it needs.
# A module's resolution also sees its test dependencies, and Maven's nearest-wins mediation can lift a
# test path into the runtime scope (curator-test's ZooKeeper brings BoringSSL back): a jar the assembly
# (runtime dependencies only) does not ship at all is such a leak and is left out; the same artifact in
# another version than the shipped one is an error.
mkdir -p "$DIST/lib/classpath"
runtime_jars() { # $1: a module's dist-classpath.txt; prints the shipped jars it lists
  local jar stem
  { tr ':' '\n' < "$1"; echo; } | sed -n 's:^lib/::p' | while IFS= read -r jar; do
    if [[ -f "$DIST/lib/$jar" ]]; then
      echo "$jar"
    else
      stem="${jar%%-[0-9]*}"
      if compgen -G "$DIST/lib/$stem-[0-9]*.jar" >/dev/null; then
        die "$1 asks for $jar but lib/ has $(cd "$DIST/lib" && ls "$stem"-[0-9]*.jar | tr '\n' ' '): align the versions in pom.xml"
      fi
    fi
  done
}
for module_bin in */src/main/dist/bin; do
  [[ -d "$module_bin" ]] || continue
  cp "$module_bin"/* "$DIST/bin/"
  module="${module_bin%%/*}"
  deps="$module/target/dist-classpath.txt"
  [[ -f "$deps" ]] || die "$deps is missing: the dist-classpath profile of pom.xml did not run for $module"
  module_jar="$(cd "$module/target" && ls ferry-*-"$VERSION".jar)"
  [[ -f "$DIST/lib/$module_jar" ]] || die "$module's jar $module_jar is not among the assembly's jars (assembly/pom.xml)"
  for launcher in "$module_bin"/*; do
    name="$(basename "$launcher")"
    [[ "$name" == *.sh ]] && continue
    # The libraries leave the SLF4J backend to the program (the driver is also a library applications
    # embed): every launcher gets the distribution's, configured by conf/simplelogger.properties.
    { echo "$module_jar"; runtime_jars "$deps"; } | awk '!seen[$0]++' > "$DIST/lib/classpath/$name.txt"
    grep -q '^slf4j-simple-' "$DIST/lib/classpath/$name.txt" \
      || (cd "$DIST/lib" && ls slf4j-simple-*.jar) >> "$DIST/lib/classpath/$name.txt"
  done
done
# Every listed jar is shipped, and every shipped jar is on some launcher's class path.
for list in "$DIST"/lib/classpath/*.txt; do
  while IFS= read -r jar; do
    [[ -f "$DIST/lib/$jar" ]] || die "$(basename "$list") lists $jar, which the assembly does not ship (assembly/pom.xml)"
  done < "$list"
done
for jar in "$DIST"/lib/*.jar; do
  grep -qxF "$(basename "$jar")" "$DIST"/lib/classpath/*.txt \
    || die "lib/$(basename "$jar") is on no launcher's class path: exclude it in the poms or say who needs it"
done
chmod 0755 "$DIST"/bin/*
cp conf/* "$DIST/conf/"
cp LICENSE NOTICE "$DIST/"
find "$DIST" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

FILE_SUMS="$(cd "$DIST" && find . -type f ! -name RELEASE -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum)"
{
  echo "Ferry $VERSION"
  echo "Git revision: $REVISION"
  echo "Build time: $BUILD_TIME (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
  echo "Java: $JAVA_VERSION"
  echo "Hadoop client: $HADOOP_VERSION"
  echo "Maven flags: ${MVN_ARGS[*]:-(none)}"
  # Names this exact set of files (the first 16 hex digits of the SHA-256 of the list below): the
  # executor's launcher keys the agent's class data sharing archive on it without checksumming
  # anything at each start (executor/README.md).
  echo "Distribution id: $(printf '%s\n' "$FILE_SUMS" | sha256sum | cut -c1-16)"
  echo "Files (sha256):"
  printf '%s\n' "$FILE_SUMS"
} > "$DIST/RELEASE"
touch -d "@$SOURCE_DATE_EPOCH" "$DIST/RELEASE"
echo "Distribution in $DIST" >&2

if [[ "$MAKE_TGZ" == true ]]; then
  TGZ="ferry-$VERSION-bin${NAME:+-$NAME}.tgz"
  "$DIST/bin/ferry-package" build "$DIST" --out "$FERRY_SRC/$TGZ" --source-date-epoch "$SOURCE_DATE_EPOCH"
  echo "Archive: $FERRY_SRC/$TGZ (+ .sha512)" >&2
fi
