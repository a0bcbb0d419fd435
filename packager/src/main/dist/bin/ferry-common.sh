# Shared by Ferry's launch scripts (sourced, not run). Sets FERRY_HOME, JAVA and FERRY_CLASSPATH.
#   FERRY_HOME        the distribution's root (the parent of bin/), symlinks resolved
#   JAVA              the java to run: $JAVA_HOME/bin/java, else java on PATH; must be 17+
#   FERRY_TOOL        the launcher's own name (symlinks resolved), e.g. ferry-executor
#   FERRY_CLASSPATH   conf/ (logging config, core-site.xml) then the jars that lib/classpath/$FERRY_TOOL.txt
#                     lists, in its order: the launcher's module and its runtime dependencies, not all of
#                     lib/ (an executor loads no Hadoop, S3 or ZooKeeper jar; fewer jars to open and search
#                     also start a JVM sooner). docs/packaging.md, "Class paths".
#   FERRY_LOG_OPTS    Ferry's own log level (logger io.ferry) at INFO, unless conf/simplelogger.properties
#                     sets it; launchers put it before FERRY_JAVA_OPTS, so a -D there wins too.
#                     ferry-submit leaves it out: its console shows WARN unless told otherwise.

ferry_die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

ferry_resolve_home() {
  local script="$1" dir
  while [ -L "$script" ]; do
    dir="$(cd -P "$(dirname "$script")" && pwd)"
    script="$(readlink "$script")"
    case "$script" in /*) ;; *) script="$dir/$script" ;; esac
  done
  FERRY_HOME="$(cd -P "$(dirname "$script")/.." && pwd)"
  FERRY_TOOL="$(basename "$script")"
  export FERRY_HOME
}

ferry_find_java() {
  if [ -n "${JAVA_HOME:-}" ]; then
    JAVA="$JAVA_HOME/bin/java"
    [ -x "$JAVA" ] || ferry_die "JAVA_HOME is $JAVA_HOME but $JAVA is not an executable; fix JAVA_HOME or unset it to use java from PATH"
  else
    JAVA="$(command -v java || true)"
    [ -n "$JAVA" ] || ferry_die "java not found: install a JDK or JRE 17+ or set JAVA_HOME (in conf/ferry-env.sh on Mesos agents)"
  fi
  local version="" major real
  # The JDK's release file answers without starting a JVM (that would double the start-up time).
  real="$(readlink -f "$JAVA" 2>/dev/null || echo "$JAVA")"
  if [ -f "${real%/bin/java}/release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "${real%/bin/java}/release")"
  fi
  if [ -z "$version" ]; then
    version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  major="${version%%.*}"
  [ "$major" = "1" ] && major="$(echo "$version" | cut -d. -f2)"
  case "$major" in
    ''|*[!0-9]*) ferry_die "cannot tell the version of $JAVA (it printed '$version'); Ferry needs Java 17+" ;;
  esac
  [ "$major" -ge 17 ] || ferry_die "$JAVA is Java $version; Ferry needs Java 17 or newer (set JAVA_HOME)"
}

# FERRY_CLASSPATH for launcher $1 from lib/classpath/$1.txt (one jar file name of lib/ a line). A
# missing list or jar is a broken distribution: say which, rather than fail later on a missing class.
ferry_classpath() {
  local list="$FERRY_HOME/lib/classpath/$1.txt" jar
  [ -f "$list" ] || ferry_die "no class path list $list: this distribution is incomplete or older than bin/$1; unpack a whole Ferry archive"
  FERRY_CLASSPATH="$FERRY_HOME/conf"
  while IFS= read -r jar || [ -n "$jar" ]; do
    case "$jar" in ''|'#'*) continue ;; esac
    [ -f "$FERRY_HOME/lib/$jar" ] || ferry_die "$list lists $jar, which is not in $FERRY_HOME/lib: this distribution is incomplete; unpack a whole Ferry archive"
    FERRY_CLASSPATH="$FERRY_CLASSPATH:$FERRY_HOME/lib/$jar"
  done < "$list"
}

ferry_setup() {
  ferry_resolve_home "$1"
  if [ -f "$FERRY_HOME/conf/ferry-env.sh" ]; then
    # shellcheck disable=SC1091
    . "$FERRY_HOME/conf/ferry-env.sh"
  fi
  ferry_find_java
  [ -d "$FERRY_HOME/lib" ] || ferry_die "no lib/ directory in $FERRY_HOME: this is not an unpacked Ferry distribution"
  ferry_classpath "$FERRY_TOOL"
  FERRY_LOG_OPTS=""
  if ! grep -Eq '^[[:space:]]*org\.slf4j\.simpleLogger\.log\.io\.ferry[[:space:]]*[=:]' \
      "$FERRY_HOME/conf/simplelogger.properties" 2>/dev/null; then
    FERRY_LOG_OPTS="-Dorg.slf4j.simpleLogger.log.io.ferry=info"
  fi
}
