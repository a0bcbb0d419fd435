# Class data sharing (AppCDS) for bin/ferry-executor (sourced after ferry-common.sh, not run).
#
# Why: about 3,400 classes load before an executor's first task; parsing and linking them is most
# of its start-up. A dynamic CDS archive of those classes is mapped instead of parsed, but it cannot
# ship in the tarball (two dumps of the same classes differ, and the tarball is byte-reproducible),
# so the agent makes it: the first executor of a distribution (RELEASE checksum) and java build on a
# machine runs with -XX:ArchiveClassesAtExit to a temporary name, and when that JVM has exited
# cleanly the archive is checked and renamed into place (rename is atomic: a reader sees the whole
# archive or none). Later executors map it with -XX:SharedArchiveFile.
#
#   FERRY_EXECUTOR_CDS       auto (the default): use the agent's archive, or create it at the first start;
#                            off: neither (the JDK's own CDS archive is still used)
#   FERRY_EXECUTOR_CDS_DIR   the cache directory; default $XDG_CACHE_HOME/ferry/cds, else
#                            $HOME/.cache/ferry/cds, else ${TMPDIR:-/tmp}/ferry-cds-<uid>. It must be
#                            the user's own and not writable by others: an archive is code the JVM maps.
#
# Sets FERRY_CDS_CLASSPATH (jars in a fixed order, then directories: CDS refuses a non-empty
# directory before a jar it archived from) and FERRY_CDS_FLAGS (JVM flags, an array), and
# FERRY_CDS_CREATE (the temporary archive this start writes at exit, else empty).
# Anything unusable (stale, broken, a cache directory that is not safe) costs one line on stderr
# and the executor starts without the archive; nothing here fails a start.

ferry_cds_note() {
  echo "${0##*/}: class data sharing: $*" >&2
}

# The executor's class path as CDS needs it: each `dir/*` expanded to its jars (sorted in the C
# locale, so every start lists them alike), directories moved after every jar. Java's own
# expansion of `dir/*` has no defined order, and an archive records the order it was made with.
# Paths are relative when the working directory is FERRY_HOME (as the agent starts us: `cd
# ferry-<version>-bin && exec ./bin/ferry-executor`): JDK 17 compares an archive's class path
# entries as they were written (or as the same files), so absolute paths into one sandbox would
# never match the next sandbox's.
ferry_cds_classpath() {
  local LC_ALL=C entry jar jars="" dirs=""
  local -a entries
  FERRY_CDS_RELATIVE=false
  if [ "$PWD" = "$FERRY_HOME" ] || [ "$(pwd -P)" = "$FERRY_HOME" ]; then
    FERRY_CDS_RELATIVE=true
  fi
  IFS=: read -r -a entries <<< "$FERRY_CLASSPATH"
  for entry in "${entries[@]}"; do
    if [ "$FERRY_CDS_RELATIVE" = true ] && [ "${entry#"$FERRY_HOME"/}" != "$entry" ]; then
      entry="${entry#"$FERRY_HOME"/}"
    fi
    case "$entry" in
      '') ;;
      */\*)
        for jar in "${entry%\*}"*.jar "${entry%\*}"*.JAR; do
          [ -f "$jar" ] && jars="$jars:$jar"
        done ;;
      *) if [ -d "$entry" ]; then dirs="$dirs:$entry"; else jars="$jars:$entry"; fi ;;
    esac
  done
  FERRY_CDS_CLASSPATH="${jars#:}$dirs"
}

# The cache directory, created private if missing; fails (with FERRY_CDS_WHY set) if it is not
# a directory of this user. Whether others can write to it is checked in ferry_cds_find, with the
# same stat that reads the archive's size (one subprocess, not two).
ferry_cds_dir() {
  local dir
  if [ -n "${FERRY_EXECUTOR_CDS_DIR:-}" ]; then dir="$FERRY_EXECUTOR_CDS_DIR"
  elif [ -n "${XDG_CACHE_HOME:-}" ]; then dir="$XDG_CACHE_HOME/ferry/cds"
  elif [ -n "${HOME:-}" ] && [ -d "$HOME" ] && [ -O "$HOME" ]; then dir="$HOME/.cache/ferry/cds"
  else dir="${TMPDIR:-/tmp}/ferry-cds-$EUID"
  fi
  if [ ! -e "$dir" ] && ! (umask 077 && mkdir -p "$dir") 2>/dev/null; then
    FERRY_CDS_WHY="cannot create the cache directory $dir (set FERRY_EXECUTOR_CDS_DIR to a writable one)"
    return 1
  fi
  if [ -L "$dir" ] || [ ! -d "$dir" ] || [ ! -O "$dir" ]; then
    FERRY_CDS_WHY="$dir is not a directory owned by user $EUID (set FERRY_EXECUTOR_CDS_DIR to one that is)"
    return 1
  fi
  FERRY_CDS_DIR="$dir"
}

# The archive's key: the distribution (RELEASE lists every file's checksum) and the exact java
# build (JAVA_RUNTIME_VERSION; an archive only maps into the JVM build that wrote it). The
# distribution's part is RELEASE's "Distribution id" line (make-distribution.sh writes it: a digest
# of every file's checksum), read without a subprocess; a RELEASE without one (older or hand-made
# distributions) is checksummed here instead.
ferry_cds_key() {
  local java_home="${JAVA_REAL%/bin/java}" version release_id="" line home_sum
  if [ ! -f "$java_home/lib/server/classes.jsa" ]; then
    FERRY_CDS_WHY="$java_home has no base CDS archive (lib/server/classes.jsa; java -Xshare:dump makes it)"
    return 1
  fi
  ferry_java_release "$java_home/release" JAVA_RUNTIME_VERSION
  version="$FERRY_RELEASE_VALUE"
  if [ -z "$version" ]; then
    FERRY_CDS_WHY="cannot tell the build of $JAVA (no JAVA_RUNTIME_VERSION in $java_home/release)"
    return 1
  fi
  if [ ! -f "$FERRY_HOME/RELEASE" ]; then
    FERRY_CDS_WHY="no RELEASE file in $FERRY_HOME (not a distribution made by make-distribution.sh)"
    return 1
  fi
  while IFS= read -r line; do
    case "$line" in
      'Distribution id: '*) release_id="${line#Distribution id: }"; break ;;
      'Files (sha256):'*) break ;;
    esac
  done < "$FERRY_HOME/RELEASE"
  if ! [[ "$release_id" =~ ^[0-9a-f]{16,64}$ ]]; then
    release_id="$(cksum < "$FERRY_HOME/RELEASE")"
    release_id="${release_id%% *}"
  fi
  FERRY_CDS_KEY="executor-${release_id}-${version//[^A-Za-z0-9.+_-]/_}"
  # An archive made with absolute class path entries maps only from the same directory.
  if [ "$FERRY_CDS_RELATIVE" != true ]; then
    home_sum="$(printf '%s' "$FERRY_HOME" | cksum)"
    FERRY_CDS_KEY="$FERRY_CDS_KEY-at${home_sum%% *}"
  fi
}

# FERRY_CDS_CANDIDATES: this key's archives in the cache directory, by a glob (no subprocess).
ferry_cds_candidates() {
  local archive
  FERRY_CDS_CANDIDATES=()
  for archive in "$FERRY_CDS_DIR/$FERRY_CDS_KEY".*.jsa; do
    [ -f "$archive" ] && FERRY_CDS_CANDIDATES+=("$archive")
  done
  return 0
}

# Checks that no one else can write to the cache directory and picks this key's archive: one stat
# for the directory's mode and every candidate's size and owner. Sets FERRY_CDS_ARCHIVE (empty if
# none is usable); fails (FERRY_CDS_WHY set) if the directory is writable by others.
ferry_cds_find() {
  local archive mode owner actual name size out=""
  local -A stats=()
  FERRY_CDS_ARCHIVE=""
  ferry_cds_candidates
  out="$(stat -c '%a %u %s %n' -- "$FERRY_CDS_DIR" ${FERRY_CDS_CANDIDATES[@]+"${FERRY_CDS_CANDIDATES[@]}"} 2>/dev/null)" || true
  while IFS=' ' read -r mode owner actual name; do
    [ -n "$name" ] && stats["$name"]="$mode $owner $actual"
  done <<< "$out"
  mode="${stats["$FERRY_CDS_DIR"]:-777}"
  mode="${mode%% *}"
  if ! [[ "$mode" =~ ^[0-7]+$ ]] || (( (8#$mode & 8#022) != 0 )); then
    FERRY_CDS_WHY="$FERRY_CDS_DIR is writable by other users (mode $mode): an archive there could be replaced; chmod go-w it"
    return 1
  fi
  for archive in ${FERRY_CDS_CANDIDATES[@]+"${FERRY_CDS_CANDIDATES[@]}"}; do
    # The size is in the name: a truncated archive would crash the JVM (SIGBUS), not be refused.
    size="${archive%.jsa}"
    size="${size##*.}"
    read -r mode owner actual <<< "${stats["$archive"]:-}" || true
    if [ "${owner:-}" = "$EUID" ] && [ "${actual:-}" = "$size" ]; then
      FERRY_CDS_ARCHIVE="$archive"
      return 0
    fi
    ferry_cds_note "ignoring and removing $archive: ${actual:-no} bytes owned by user ${owner:-none}, expected $size bytes owned by user $EUID"
    rm -f "$archive" 2>/dev/null || true
  done
}

# Takes the right to create the archive (one creator per key at a time); a claim whose creator is
# gone, or that is older than a day, is taken over.
ferry_cds_claim() {
  local claim="$FERRY_CDS_DIR/$FERRY_CDS_KEY.creating" pid=""
  if (set -o noclobber; echo "$$" > "$claim") 2>/dev/null; then
    return 0
  fi
  read -r pid < "$claim" 2>/dev/null || true
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [ -z "$(find "$claim" -mmin +1440 2>/dev/null)" ]; then
    return 1 # another executor is creating it now
  fi
  rm -f "$claim"
  (set -o noclobber; echo "$$" > "$claim") 2>/dev/null
}

ferry_cds_setup() {
  FERRY_CDS_FLAGS=()
  FERRY_CDS_CREATE=""
  ferry_cds_classpath
  case "${FERRY_EXECUTOR_CDS:-auto}" in
    auto) ;;
    off) return 0 ;;
    *) echo "${0##*/}: FERRY_EXECUTOR_CDS=$(printf '%q' "$FERRY_EXECUTOR_CDS") is not auto or off" >&2
       exit 2 ;;
  esac
  # Run by hand (no agent), the executor says so and exits 2: nothing worth archiving.
  [ -n "${MESOS_AGENT_ENDPOINT:-}" ] && [ -n "${MESOS_EXECUTOR_ID:-}" ] || return 0
  FERRY_CDS_WHY=""
  if ! ferry_cds_dir || ! ferry_cds_key || ! ferry_cds_find; then
    ferry_cds_note "off: $FERRY_CDS_WHY"
    return 0
  fi
  if [ -n "$FERRY_CDS_ARCHIVE" ]; then
    FERRY_CDS_FLAGS=(-XX:SharedArchiveFile="$FERRY_CDS_ARCHIVE")
    return 0
  fi
  if ferry_cds_claim; then
    # Another creator may have renamed its archive into place and dropped its claim between the
    # look above and this claim (it renames first, then drops the claim): look again, holding the
    # claim, or two first starts at once would each write an archive. A glob first, so the usual
    # first start pays no second stat.
    ferry_cds_candidates
    if [ "${#FERRY_CDS_CANDIDATES[@]}" -eq 0 ] || { ferry_cds_find && [ -z "$FERRY_CDS_ARCHIVE" ]; }; then
      FERRY_CDS_CREATE="$FERRY_CDS_DIR/$FERRY_CDS_KEY.$$.tmp"
      # The dump's own warnings (classes it skips) are noise in the sandbox's stdout.
      FERRY_CDS_FLAGS=(-XX:ArchiveClassesAtExit="$FERRY_CDS_CREATE" '-Xlog:cds*=off')
      return 0
    fi
    # Someone else's archive is in place now (or the look failed): map it, or start without one.
    rm -f "$FERRY_CDS_DIR/$FERRY_CDS_KEY.creating"
    if [ -n "$FERRY_CDS_ARCHIVE" ]; then
      FERRY_CDS_FLAGS=(-XX:SharedArchiveFile="$FERRY_CDS_ARCHIVE")
    else
      ferry_cds_note "off: $FERRY_CDS_WHY"
    fi
  fi
}

# Runs the JVM (argv in "$@") as a child, not exec'd, so that once it has exited the archive it
# wrote can be checked and renamed; signals are passed on. Exits with the JVM's status.
ferry_cds_run_creating() {
  local pid rc archive size
  "$@" <&0 &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null' TERM
  trap 'kill -INT "$pid" 2>/dev/null' INT
  trap 'kill -HUP "$pid" 2>/dev/null' HUP
  while :; do
    rc=0
    wait "$pid" || rc=$?
    # wait returns early (> 128) when a trapped signal arrives; the JVM may still be running.
    kill -0 "$pid" 2>/dev/null || break
  done
  trap - TERM INT HUP
  # Kept only from a clean end (SHUTDOWN or the driver's goodbye): it then holds what a whole run
  # loaded. Checked by mapping it with every region's CRC verified before anyone else may map it.
  if [ "$rc" -eq 0 ] && [ -s "$FERRY_CDS_CREATE" ] \
      && "$JAVA" -Xshare:on -XX:SharedArchiveFile="$FERRY_CDS_CREATE" -XX:+VerifySharedSpaces -Xlog:disable \
        -cp "$FERRY_CDS_CLASSPATH" -version >/dev/null 2>&1; then
    size="$(stat -c %s "$FERRY_CDS_CREATE")"
    archive="$FERRY_CDS_DIR/$FERRY_CDS_KEY.$size.jsa"
    chmod 0400 "$FERRY_CDS_CREATE" && mv -f "$FERRY_CDS_CREATE" "$archive" \
      && ferry_cds_note "wrote $archive; later executors of this distribution and java map it"
  elif [ "$rc" -eq 0 ]; then
    ferry_cds_note "the archive $FERRY_CDS_CREATE did not verify; not kept (the next start tries again)"
  fi
  rm -f "$FERRY_CDS_CREATE" "$FERRY_CDS_DIR/$FERRY_CDS_KEY.creating"
  # Leftovers of creators that were killed.
  find "$FERRY_CDS_DIR" -maxdepth 1 -name 'executor-*.tmp' -mmin +1440 -delete 2>/dev/null || true
  exit "$rc"
}
