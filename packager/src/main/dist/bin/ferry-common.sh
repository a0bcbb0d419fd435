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
#
# No subprocess on the usual path (no dirname, basename, readlink, sed or grep; only builtins and
# parameter expansion): each fork and exec of a tool costs a launcher 3-10 ms on a loaded 2-core
# agent, and an executor's start is measured in hundreds of ms (executor/README.md, "Cold start").
# readlink runs only when a path really is a symlink.

ferry_die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

# The directory part of a path, as dirname prints it (without running dirname).
ferry_dirname() {
  case "$1" in
    */*) FERRY_DIRNAME="${1%/*}"; FERRY_DIRNAME="${FERRY_DIRNAME:-/}" ;;
    *) FERRY_DIRNAME=. ;;
  esac
}

ferry_resolve_home() {
  local script="$1" dir here="$PWD"
  while [ -L "$script" ]; do
    ferry_dirname "$script"
    dir="$(cd -P "$FERRY_DIRNAME" && pwd)"
    script="$(readlink "$script")"
    case "$script" in /*) ;; *) script="$dir/$script" ;; esac
  done
  ferry_dirname "$script"
  # cd in this shell and back rather than in a $(...) subshell (a fork); ./ keeps CDPATH out of it.
  case "$FERRY_DIRNAME" in /*) dir="$FERRY_DIRNAME/.." ;; *) dir="./$FERRY_DIRNAME/.." ;; esac
  CDPATH='' cd -P "$dir" >/dev/null || ferry_die "cannot enter $dir (the distribution's root)"
  FERRY_HOME="$PWD"
  CDPATH='' cd "$here" >/dev/null || ferry_die "cannot return to the working directory $here"
  FERRY_TOOL="${script##*/}"
  export FERRY_HOME
}

# Reads KEY="value" from a JDK's release file into FERRY_RELEASE_VALUE (empty if absent).
ferry_java_release() {
  local line
  FERRY_RELEASE_VALUE=""
  [ -f "$1" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in "$2="*) line="${line#*=}"; FERRY_RELEASE_VALUE="${line//\"/}"; return 0 ;; esac
  done < "$1"
}

ferry_find_java() {
  if [ -n "${JAVA_HOME:-}" ]; then
    JAVA="$JAVA_HOME/bin/java"
    [ -x "$JAVA" ] || ferry_die "JAVA_HOME is $JAVA_HOME but $JAVA is not an executable; fix JAVA_HOME or unset it to use java from PATH"
  else
    # hash finds it on PATH in this shell; $(command -v java) would fork a subshell.
    JAVA=""
    if hash java 2>/dev/null; then JAVA="${BASH_CMDS[java]:-}"; fi
    [ -n "$JAVA" ] || ferry_die "java not found: install a JDK or JRE 17+ or set JAVA_HOME (in conf/ferry-env.sh on Mesos agents)"
  fi
  local version="" major real="$JAVA" candidate
  # The JDK's release file answers without starting a JVM (that would double the start-up time).
  # java on PATH is usually a link (Debian's and Red Hat's alternatives) to a JDK under /usr/lib/jvm:
  # the JDK there that is the same file (-ef: same device and inode) is found with builtins, where
  # readlink costs a fork and an exec (15-20 ms on a loaded 2-core machine); readlink otherwise.
  if [ -L "$JAVA" ]; then
    real=""
    for candidate in /usr/lib/jvm/*/bin/java; do
      if [[ "$candidate" -ef "$JAVA" ]] && [ ! -L "$candidate" ]; then
        real="$candidate"
        break
      fi
    done
    [ -n "$real" ] || real="$(readlink -f "$JAVA" 2>/dev/null || echo "$JAVA")"
  fi
  JAVA_REAL="$real"
  ferry_java_release "${real%/bin/java}/release" JAVA_VERSION
  version="$FERRY_RELEASE_VALUE"
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
  FERRY_LOG_OPTS="-Dorg.slf4j.simpleLogger.log.io.ferry=info"
  local line pattern='^[[:space:]]*org\.slf4j\.simpleLogger\.log\.io\.ferry[[:space:]]*[=:]'
  if [ -f "$FERRY_HOME/conf/simplelogger.properties" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ "$line" =~ $pattern ]]; then
        FERRY_LOG_OPTS=""
        break
      fi
    done < "$FERRY_HOME/conf/simplelogger.properties"
  fi
}
