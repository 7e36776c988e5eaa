#!/usr/bin/env bash
# Builds a real Docker data root (dockerd 20.10, overlay2) for the DataRoot tests.
#
# Usage: Tests/dataroot/make-data-root.sh [OUT]     (as root, Debian 12)
#   OUT defaults to /tmp/layerscope-dataroot. Afterwards it holds:
#     root/        the data root dockerd wrote (dockerd is stopped again at the end)
#     archives/    `docker save` of every image, one <image hex>.tar each
#     facts/       what dockerd said: image inspect, image list, docker diff, ps
#   Then run the tests with LAYERSCOPE_DATA_ROOT_FIXTURE=OUT swift test.
#
# The script starts dockerd on a data root of its own with no networking, loads the committed
# TestImages fixtures, builds more images (a shell image, several images on one shared base, a
# multi-stage build with BuildKit and with the classic builder, an image rebuilt with one layer
# changed), runs a container that changes files, and force-removes an image a stopped container
# still uses, so that its layers stay in layerdb with no image.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FIXTURES="$(cd "$HERE/../../TestImages" && pwd)"
OUT="${1:-/tmp/layerscope-dataroot}"
DOCKER_BIN=/usr/bin/docker
DOCKERD_BIN=/usr/sbin/dockerd
RUN="$OUT/run"

log() { printf '== %s\n' "$*" >&2; }
fail() { printf 'make-data-root: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || fail "run as root: dockerd needs it"

if [[ ! -x $DOCKERD_BIN || ! -x $DOCKER_BIN ]]; then
  log "installing docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io >/dev/null
fi
[[ -x /bin/busybox ]] || {
  log "installing busybox-static"
  DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >/dev/null
}

docker() { DOCKER_API_VERSION=1.41 "$DOCKER_BIN" -H "unix://$RUN/sock" "$@"; }

stop_dockerd() {
  [[ -f "$RUN/pid" ]] || return 0
  kill -TERM "$(cat "$RUN/pid")" 2>/dev/null || true
  for _ in $(seq 120); do [[ -f "$RUN/pid" ]] || return 0; sleep 0.5; done
  log "dockerd did not stop within 60 s"
}
trap stop_dockerd EXIT

stop_dockerd
if [[ -d "$OUT" ]]; then
  # A dockerd killed without SIGTERM can leave overlay and shm mounts behind.
  { grep -o " $OUT/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do
    umount -l "$m" || true
  done
  rm -rf "$OUT"
fi
mkdir -p "$OUT/root" "$RUN" "$OUT/archives" "$OUT/facts" "$OUT/ctx"

log "starting dockerd on $OUT/root"
"$DOCKERD_BIN" --storage-driver=overlay2 --iptables=false --ip-masq=false --bridge=none \
  --data-root "$OUT/root" --exec-root "$RUN/exec" --pidfile "$RUN/pid" \
  -H "unix://$RUN/sock" >"$RUN/dockerd.log" 2>&1 &
started=0
for _ in $(seq 60); do
  if docker info >/dev/null 2>&1; then started=1; break; fi
  sleep 1
done
((started)) || { tail -20 "$RUN/dockerd.log" >&2; fail "dockerd did not start"; }

# --- fixtures ----------------------------------------------------------------------------------

log "docker load"
for archive in docker-legacy.tar multi-image.tar buildah-archive.tar; do
  docker load -q -i "$FIXTURES/$archive" >/dev/null
done

# --- built images ------------------------------------------------------------------------------

CTX="$OUT/ctx"
cp /bin/busybox "$CTX/busybox"
build() { # build [--classic] TAG... -- DOCKERFILE [docker build options...]
  local kit=1 tags=()
  if [[ $1 == --classic ]]; then kit=0; shift; fi
  while [[ $1 != -- ]]; do tags+=(-t "$1"); shift; done
  shift
  local file="$1"
  shift
  DOCKER_BUILDKIT=$kit docker build --network none "${tags[@]}" -f "$file" "$@" "$CTX" \
    >>"$RUN/build.log" 2>&1 || { tail -30 "$RUN/build.log" >&2; fail "build of $file failed"; }
}

log "docker build"
cat >"$CTX/Dockerfile.shell" <<'DOCKERFILE'
FROM layerscope/base:1
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "rm /bin/sh && /bin/busybox --install -s /bin"]
DOCKERFILE
build layerscope/shell:1 -- "$CTX/Dockerfile.shell"

for name in a b c; do
  cat >"$CTX/Dockerfile.svc-$name" <<DOCKERFILE
FROM layerscope/shell:1
RUN mkdir -p /srv/svc && echo "service $name" >/srv/svc/name && rm /etc/motd
ENV SERVICE=$name
DOCKERFILE
  build "layerscope/svc-$name:1" -- "$CTX/Dockerfile.svc-$name"
done
docker tag layerscope/svc-a:1 layerscope/svc-a:latest
docker tag layerscope/svc-a:1 example.org/team/svc-a:stable

cat >"$CTX/Dockerfile.multistage" <<'DOCKERFILE'
FROM layerscope/shell:1 AS build
RUN mkdir /out && echo "built artifact" >/out/artifact && head -c 3000 /dev/zero >/out/blob
RUN echo "scratch work that stays in the build stage" >/out/notes

FROM layerscope/base:1
COPY --from=build /out/artifact /usr/local/bin/artifact
COPY --from=build /out/blob /var/lib/blob
DOCKERFILE
build layerscope/multistage:1 -- "$CTX/Dockerfile.multistage"
build --classic layerscope/multistage-classic:1 -- "$CTX/Dockerfile.multistage"

cat >"$CTX/Dockerfile.rebuilt" <<'DOCKERFILE'
FROM layerscope/shell:1
RUN mkdir /data && echo stable >/data/stable
COPY version.txt /data/version.txt
DOCKERFILE
echo "version 1" >"$CTX/version.txt"
build layerscope/rebuilt:1 -- "$CTX/Dockerfile.rebuilt"
echo "version 2, one layer changed" >"$CTX/version.txt"
build layerscope/rebuilt:1 -- "$CTX/Dockerfile.rebuilt"

cat >"$CTX/Dockerfile.orphan" <<'DOCKERFILE'
FROM layerscope/shell:1
RUN echo "only a container keeps this layer" >/orphan.txt
DOCKERFILE
build layerscope/orphan:1 -- "$CTX/Dockerfile.orphan"

# --- containers --------------------------------------------------------------------------------

log "containers"
docker run --name changed --network none layerscope/svc-a:1 sh -c '
  echo added >/added.txt
  mkdir -p /new/dir && echo deep >/new/dir/file
  echo "mode=changed!" >/opt/app/config.txt
  chmod 0640 /etc/passwd
  rm /etc/os-release
  rm -rf /var/cache/app
  rm -rf /usr/share/data && mkdir /usr/share/data && echo fresh >/usr/share/data/fresh.txt
  ln /added.txt /added-hardlink.txt
  ln -s /added.txt /added-symlink.txt
  echo "service z" >/srv/svc/name
' >/dev/null
docker create --name untouched --network none layerscope/svc-b:1 true >/dev/null
docker create --name orphan-holder --network none layerscope/orphan:1 true >/dev/null
# A stopped container keeps the layers of an image removed with -f: layers no image uses.
docker rmi -f layerscope/orphan:1 >/dev/null

# --- facts and archives ------------------------------------------------------------------------

log "facts"
docker diff changed >"$OUT/facts/diff-changed.txt"
docker diff untouched >"$OUT/facts/diff-untouched.txt"
docker inspect changed untouched orphan-holder >"$OUT/facts/containers.json"
mapfile -t ids < <(docker images -a -q --no-trunc | sort -u)
docker image inspect "${ids[@]}" >"$OUT/facts/images.json"
docker images --no-trunc --format '{{json .}}' >"$OUT/facts/images-top.jsonl"
docker images -a --no-trunc --format '{{json .}}' >"$OUT/facts/images-all.jsonl"
docker info --format '{{json .}}' >"$OUT/facts/info.json"

log "docker save (${#ids[@]} images)"
for id in "${ids[@]}"; do
  docker save -o "$OUT/archives/${id#sha256:}.tar" "$id"
done

log "stopping dockerd"
stop_dockerd
trap - EXIT
rm -rf "$CTX"
log "done: $OUT (export LAYERSCOPE_DATA_ROOT_FIXTURE=$OUT)"
