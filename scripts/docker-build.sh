#!/usr/bin/env bash
#
# Builds Ferry's image (docker/Dockerfile) from dist/, as scripts/make-distribution.sh left it:
#   the distribution under /opt/ferry, Java 17 from Debian's packages, user ferry, OCI labels with
#   the version and git revision read from dist/RELEASE.
# With --local-base it first makes the base image on this machine, for machines that reach
# Debian's package mirror but no image registry: debootstrap --variant=minbase into a folder,
# then `docker import`. The mirror is the first one this machine's apt uses (or --mirror URL).
#
# Usage: scripts/docker-build.sh [--tag TAG] [--base IMAGE] [--local-base] [--help]
# Prints how long each step took and the image's size.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: $(basename "$0") [options]
  --tag TAG        the image's tag (default: ferry:<version from dist/RELEASE>)
  --base IMAGE     the base image (default: debian:bookworm-slim; with --local-base: ferry-base:bookworm)
  --local-base     make the base image here first (debootstrap + docker import) unless it exists;
                   needs root and debootstrap (Debian: apt-get install debootstrap)
  --rebuild-base   with --local-base: make it again even if it exists
  --base-only      with --local-base: make the base image and stop (no dist/ needed)
  --mirror URL     the Debian mirror debootstrap uses (default: the first of this machine's apt sources)
  --suite NAME     the Debian release of the local base (default: bookworm)
  --help           this text
Environment: DOCKER (the docker CLI, default docker), DOCKER_HOST (the daemon),
  FERRY_DOCKER_BUILD_FLAGS (more docker build flags, e.g. --no-cache).
USAGE
}

die() { echo "docker-build.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

FERRY_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$FERRY_SRC/dist"
DOCKER="${DOCKER:-docker}"
TAG=""
BASE=""
LOCAL_BASE=false
REBUILD_BASE=false
BASE_ONLY=false
MIRROR=""
SUITE="bookworm"

while (($#)); do
  case "$1" in
    --tag) [[ $# -ge 2 && -n "$2" ]] || die "--tag needs a value"; TAG="$2"; shift ;;
    --base) [[ $# -ge 2 && -n "$2" ]] || die "--base needs an image"; BASE="$2"; shift ;;
    --local-base) LOCAL_BASE=true ;;
    --rebuild-base) REBUILD_BASE=true ;;
    --base-only) BASE_ONLY=true ;;
    --mirror) [[ $# -ge 2 && -n "$2" ]] || die "--mirror needs a URL"; MIRROR="$2"; shift ;;
    --suite) [[ $# -ge 2 && -n "$2" ]] || die "--suite needs a name"; SUITE="$2"; shift ;;
    --help|-h) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

command -v "$DOCKER" >/dev/null 2>&1 || die "the docker CLI ('$DOCKER') is not installed (Debian: apt-get install docker.io)"
"$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker daemon answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}: start dockerd or set DOCKER_HOST"
[[ "$BASE_ONLY" == false || "$LOCAL_BASE" == true ]] || die "--base-only goes with --local-base"
if [[ "$BASE_ONLY" == false ]]; then
  [[ -f "$DIST/RELEASE" && -x "$DIST/bin/ferry-executor" ]] \
    || die "no distribution in $DIST: run scripts/make-distribution.sh first"
  VERSION="$(sed -n 's/^Ferry //p' "$DIST/RELEASE" | head -n 1)"
  REVISION="$(sed -n 's/^Git revision: //p' "$DIST/RELEASE" | head -n 1)"
  EPOCH="$(sed -n 's/^Build time: .*SOURCE_DATE_EPOCH=\([0-9]*\).*/\1/p' "$DIST/RELEASE" | head -n 1)"
  [[ -n "$VERSION" && -n "$REVISION" && -n "$EPOCH" ]] || die "$DIST/RELEASE lacks the version, revision or build time"
  CREATED="$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
  : "${TAG:=ferry:$VERSION}"
else
  # The base's file times: the commit's, else now.
  EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$FERRY_SRC" log -1 --format=%ct 2>/dev/null || date +%s)}"
fi

# The first "deb" mirror of this machine's apt sources (deb822 or one-line format).
apt_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk '/^URIs:/ { print $2; exit }' "$f"
  done | head -n 1
  if [[ -f /etc/apt/sources.list ]]; then
    awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit } $1 == "deb" { print $3; exit }' /etc/apt/sources.list
  fi
}

if [[ "$LOCAL_BASE" == true ]]; then
  : "${BASE:=ferry-base:$SUITE}"
  if [[ "$REBUILD_BASE" == true ]] || ! "$DOCKER" image inspect "$BASE" >/dev/null 2>&1; then
    [[ "$(id -u)" -eq 0 ]] || die "--local-base needs root (debootstrap makes device nodes and chroots)"
    command -v debootstrap >/dev/null 2>&1 || die "--local-base needs debootstrap (Debian: apt-get install debootstrap)"
    [[ -n "$MIRROR" ]] || MIRROR="$(apt_mirror | head -n 1)"
    [[ -n "$MIRROR" ]] || die "no Debian mirror in this machine's apt sources: pass --mirror URL"
    ROOTFS="$(mktemp -d "${TMPDIR:-/tmp}/ferry-base-rootfs.XXXXXX")"
    trap 'rm -rf "$ROOTFS"' EXIT
    t="$(now)"
    echo "Making $BASE: debootstrap --variant=minbase $SUITE from $MIRROR" >&2
    debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 \
      || { tail -n 30 "$ROOTFS.log" >&2; die "debootstrap failed (log above, full log in $ROOTFS.log)"; }
    rm -f "$ROOTFS.log"
    # What Docker provides at run time, and what only describes this build machine, stays out.
    rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
      "$ROOTFS"/var/log/* "$ROOTFS"/etc/resolv.conf "$ROOTFS"/etc/hostname "$ROOTFS"/etc/hosts
    echo "debootstrap: $(took "$t")" >&2
    t="$(now)"
    tar -C "$ROOTFS" --numeric-owner --sort=name --mtime="@$EPOCH" --clamp-mtime -c . \
      | "$DOCKER" import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
    echo "docker import: $(took "$t"); $BASE is $("$DOCKER" image inspect --format '{{.Size}}' "$BASE" \
      | awk '{ printf "%.0f MB", $1 / 1e6 }')" >&2
    rm -rf "$ROOTFS"
    trap - EXIT
  fi
fi
[[ "$BASE_ONLY" == false ]] || { echo "$BASE"; exit 0; }
: "${BASE:=debian:bookworm-slim}"

t="$(now)"
echo "Building $TAG from $DIST on $BASE (Ferry $VERSION, $REVISION)" >&2
# The context: dist/ as opt/ferry in one tar whose entries (opt/ too) are root's and dated
# SOURCE_DATE_EPOCH, so the image's distribution layer depends on dist/ alone (docker/Dockerfile).
CONTEXT="$(mktemp -d "${TMPDIR:-/tmp}/ferry-docker-context.XXXXXX")"
trap 'rm -rf "$CONTEXT"' EXIT
mkdir -p "$CONTEXT/stage/opt"
cp -a "$DIST" "$CONTEXT/stage/opt/ferry"
tar -C "$CONTEXT/stage" --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner --mode=go-w \
  -cf "$CONTEXT/ferry-dist.tar" opt
rm -rf "$CONTEXT/stage"
# The classic builder: it needs no buildx plugin, and --network host lets apt-get reach the
# mirror while the daemon runs without a bridge.
DOCKER_BUILDKIT=0 "$DOCKER" build ${FERRY_DOCKER_BUILD_FLAGS:-} --network host --file "$FERRY_SRC/docker/Dockerfile" --tag "$TAG" \
  --build-arg BASE_IMAGE="$BASE" --build-arg FERRY_VERSION="$VERSION" --build-arg FERRY_REVISION="$REVISION" \
  --build-arg FERRY_CREATED="$CREATED" "$CONTEXT" >&2
SIZE="$("$DOCKER" image inspect --format '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
echo "docker build: $(took "$t"); $TAG is $SIZE" >&2
echo "$TAG"
