#!/usr/bin/env bash
# Builds a real Docker data root (dockerd 20.10, overlay2) for the DataRoot tests.
#
# Usage: Tests/dataroot/make-data-root.sh [OUT]     (as root, Debian 12)
#   OUT defaults to /tmp/layerscope-dataroot. Afterwards it holds:
#     root/        the data root dockerd wrote (dockerd is stopped again at the end)
#     archives/    `docker save` of every image, one <image hex>.tar each
#     facts/       what dockerd said: image inspect, image list, docker diff, docker export of a
#                  container, and (facts/removal/) which layers `docker rmi -f` of each image frees
#     root-pruned/ a copy of root/ after `docker builder prune -af` (facts/removal-pruned/)
#     empty/       a data root dockerd started on and stopped, with no image
#     remap/       a second data root, made by dockerd --userns-remap=default (facts/remap/)
#     rootless-home/.local/share/docker/   a rootless dockerd's data root (facts/rootless/,
#                  archives/rootless/), made by the user layerscope-rootless
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
if ! command -v rootlesskit >/dev/null || ! command -v newuidmap >/dev/null; then
  log "installing rootlesskit and uidmap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y rootlesskit uidmap >/dev/null
fi
[[ -x /bin/busybox ]] || {
  log "installing busybox-static"
  DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >/dev/null
}

# One dockerd at a time, each with its own socket, pid file and exec root under $RUN/<name>.
DAEMON=main
docker() { DOCKER_API_VERSION=1.41 "$DOCKER_BIN" -H "unix://$RUN/$DAEMON/sock" "$@"; }

stop_dockerd() { # stop_dockerd [NAME]
  local pidfile="$RUN/${1:-$DAEMON}/pid"
  [[ -f $pidfile ]] || return 0
  kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  for _ in $(seq 120); do [[ -f $pidfile ]] || return 0; sleep 0.5; done
  log "dockerd did not stop within 60 s"
}
stop_all() { for name in main removal remap rootless; do stop_dockerd "$name"; done; }
trap stop_all EXIT

start_dockerd() { # start_dockerd NAME DATA_ROOT [dockerd options...]
  DAEMON=$1
  local root=$2 dir="$RUN/$1"
  shift 2
  mkdir -p "$dir"
  "$DOCKERD_BIN" --storage-driver=overlay2 --iptables=false --ip-masq=false --bridge=none \
    --data-root "$root" --exec-root "$dir/exec" --pidfile "$dir/pid" \
    -H "unix://$dir/sock" "$@" >>"$dir/dockerd.log" 2>&1 &
  for _ in $(seq 120); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -20 "$dir/dockerd.log" >&2
  fail "dockerd ($DAEMON) did not start on $root"
}

# A dockerd killed without SIGTERM can leave overlay and shm mounts behind.
unmount_below() {
  { grep -o " $1/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do
    umount -l "$m" || true
  done
}

stop_all
if [[ -d "$OUT" ]]; then
  unmount_below "$OUT"
  rm -rf "$OUT"
fi
mkdir -p "$OUT/root" "$RUN" "$OUT/archives" "$OUT/facts/removal" "$OUT/ctx"

log "starting dockerd on $OUT/root"
start_dockerd main "$OUT/root"

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

# `docker export` of a container as JSON: path -> [type, uid, gid, mode, size, link target],
# the container's whole filesystem as dockerd itself shows it.
export_listing() { # export_listing CONTAINER OUT.json
  docker export "$1" | python3 -c '
import json, sys, tarfile
kinds = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "directory",
         tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink", tarfile.CHRTYPE: "char",
         tarfile.BLKTYPE: "block", tarfile.FIFOTYPE: "fifo"}
out = {}
with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as archive:
    for m in archive:
        name = m.name[2:] if m.name.startswith("./") else m.name
        name = name.rstrip("/")
        if name and name != ".":
            out[name] = [kinds.get(m.type, "other"), m.uid, m.gid, m.mode, m.size, m.linkname]
json.dump(out, sys.stdout, sort_keys=True, indent=0)
' >"$2"
}

log "facts"
docker diff changed >"$OUT/facts/diff-changed.txt"
docker diff untouched >"$OUT/facts/diff-untouched.txt"
export_listing changed "$OUT/facts/export-changed.json"
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
stop_dockerd main

# --- what removing each image frees ------------------------------------------------------------

# For each image, a copy of the data root gets its own dockerd, which runs `docker rmi -f` on that
# image alone; facts/removal/<image hex>.txt lists the layerdb layers that went away (nothing when
# dockerd refused, e.g. for a parent of other images: the refusal is in the .err file).
log "removal: docker rmi -f of each image on a copy of the data root"
SCRATCH="$OUT/removal-root"
for id in "${ids[@]}"; do
  hex=${id#sha256:}
  cp -a "$OUT/root" "$SCRATCH"
  start_dockerd removal "$SCRATCH"
  ls "$SCRATCH/image/overlay2/layerdb/sha256" | sort >"$RUN/before.txt"
  docker rmi -f "$id" >/dev/null 2>"$OUT/facts/removal/$hex.err" || true
  ls "$SCRATCH/image/overlay2/layerdb/sha256" | sort >"$RUN/after.txt"
  comm -23 "$RUN/before.txt" "$RUN/after.txt" >"$OUT/facts/removal/$hex.txt"
  stop_dockerd removal
  unmount_below "$SCRATCH"
  rm -rf "$SCRATCH"
done

# The same after `docker builder prune -af`, which drops BuildKit's references to the layers it
# built, on a copy kept as root-pruned/; only for the images whose removal above freed nothing
# without a refusal (those a container or the build cache keeps).
log "removal after docker builder prune"
mkdir -p "$OUT/facts/removal-pruned"
cp -a "$OUT/root" "$OUT/root-pruned"
start_dockerd removal "$OUT/root-pruned"
docker builder prune -af >/dev/null
stop_dockerd removal
unmount_below "$OUT/root-pruned"
for id in "${ids[@]}"; do
  hex=${id#sha256:}
  [[ ! -s "$OUT/facts/removal/$hex.txt" && ! -s "$OUT/facts/removal/$hex.err" ]] || continue
  cp -a "$OUT/root-pruned" "$SCRATCH"
  start_dockerd removal "$SCRATCH"
  ls "$SCRATCH/image/overlay2/layerdb/sha256" | sort >"$RUN/before.txt"
  docker rmi -f "$id" >/dev/null 2>"$OUT/facts/removal-pruned/$hex.err" || true
  ls "$SCRATCH/image/overlay2/layerdb/sha256" | sort >"$RUN/after.txt"
  comm -23 "$RUN/before.txt" "$RUN/after.txt" >"$OUT/facts/removal-pruned/$hex.txt"
  stop_dockerd removal
  unmount_below "$SCRATCH"
  rm -rf "$SCRATCH"
done

# --- a data root with no image yet -------------------------------------------------------------

log "an empty data root on $OUT/empty"
start_dockerd removal "$OUT/empty"
stop_dockerd removal

# --- a userns-remap data root ------------------------------------------------------------------

# dockerd --userns-remap=default keeps everything in remap/<uid>.<gid>/ (creating the user
# dockremap and its subordinate IDs if needed); files on disk belong to the shifted IDs.
log "userns-remap dockerd on $OUT/remap"
mkdir -p "$OUT/remap" "$OUT/facts/remap" "$CTX"
start_dockerd remap "$OUT/remap" --userns-remap=default
docker load -q -i "$FIXTURES/multi-image.tar" >/dev/null
cp /bin/busybox "$CTX/busybox"
cat >"$CTX/Dockerfile.remap" <<'DOCKERFILE'
FROM layerscope/base:1
COPY busybox /bin/busybox
DOCKERFILE
DOCKER_BUILDKIT=0 docker build --network none -t layerscope/remap:1 -f "$CTX/Dockerfile.remap" \
  "$CTX" >>"$RUN/build.log" 2>&1 || fail "build of the remap image failed"
docker run --name remapped --network none layerscope/remap:1 /bin/busybox sh -c '
  echo new >/new.txt && /bin/busybox chown 5:6 /new.txt
  echo more >>/etc/motd
  /bin/busybox mkdir -p /made/here && /bin/busybox chown -R 7:8 /made
' >/dev/null
docker diff remapped >"$OUT/facts/remap/diff-remapped.txt"
export_listing remapped "$OUT/facts/remap/export-remapped.json"
mapfile -t remap_ids < <(docker images -a -q --no-trunc | sort -u)
docker image inspect "${remap_ids[@]}" >"$OUT/facts/remap/images.json"
stop_dockerd remap

# --- a rootless data root ----------------------------------------------------------------------

# Rootless dockerd, run by the user layerscope-rootless through rootlesskit, keeps its data root
# in ~/.local/share/docker (here HOME is rootless-home/), owned by that user; the user is root in
# the containers and its subordinate IDs are the other IDs, so files on disk have those owners.
# /run/docker and /run/containerd get a private tmpfs inside rootlesskit's namespaces, since a
# root dockerd may have left root-only folders there.
log "rootless dockerd on $OUT/rootless-home/.local/share/docker"
ROOTLESS_USER=layerscope-rootless
id "$ROOTLESS_USER" >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin \
  --home-dir "/var/lib/$ROOTLESS_USER" "$ROOTLESS_USER"
if ! grep -q "^$ROOTLESS_USER:" /etc/subuid || ! grep -q "^$ROOTLESS_USER:" /etc/subgid; then
  usermod --add-subuids 300000-365535 --add-subgids 300000-365535 "$ROOTLESS_USER"
fi
HOME_DIR="$OUT/rootless-home"
DIR="$RUN/rootless"
mkdir -p "$HOME_DIR" "$DIR" "$OUT/facts/rootless" "$OUT/archives/rootless"
chown "$ROOTLESS_USER:" "$HOME_DIR" "$DIR"
cp "$FIXTURES/multi-image.tar" "$FIXTURES/docker-legacy.tar" "$DIR/"
DAEMON=rootless
runuser -u "$ROOTLESS_USER" -- env HOME="$HOME_DIR" XDG_RUNTIME_DIR="$DIR" \
  rootlesskit --net=host --copy-up=/etc --copy-up=/run --state-dir="$DIR/rootlesskit" \
  sh -c 'for d in /run/docker /run/containerd; do mkdir -p $d; mount -t tmpfs none $d; done
    exec "$0" --rootless --storage-driver=overlay2 --iptables=false --ip-masq=false \
      --bridge=none --data-root "$HOME/.local/share/docker" --exec-root "$XDG_RUNTIME_DIR/exec" \
      --pidfile "$XDG_RUNTIME_DIR/pid" -H "unix://$XDG_RUNTIME_DIR/sock"' "$DOCKERD_BIN" \
  >>"$DIR/dockerd.log" 2>&1 &
for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
docker info >/dev/null 2>&1 || { tail -20 "$DIR/dockerd.log" >&2; fail "rootless dockerd did not start"; }
ROOTLESS_ROOT="$HOME_DIR/.local/share/docker"
for archive in multi-image.tar docker-legacy.tar; do docker load -q -i "$DIR/$archive" >/dev/null; done
cat >"$CTX/Dockerfile.rootless" <<'DOCKERFILE'
FROM layerscope/base:1
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "rm -rf /usr/share/data && mkdir /usr/share/data && echo x >/usr/share/data/new"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build --network none -t layerscope/rootless:1 \
  -f "$CTX/Dockerfile.rootless" "$CTX" >>"$RUN/build.log" 2>&1 || fail "rootless build failed"
docker run --name rootless --network none layerscope/rootless:1 /bin/busybox sh -c '
  echo new >/new.txt && /bin/busybox chown 5:6 /new.txt
  echo more >>/etc/motd
  rm -rf /var/cache && /bin/busybox mkdir -p /made/here && /bin/busybox chown -R 7:8 /made
' >/dev/null
docker diff rootless >"$OUT/facts/rootless/diff-rootless.txt"
export_listing rootless "$OUT/facts/rootless/export-rootless.json"
mapfile -t rootless_ids < <(docker images -a -q --no-trunc | sort -u)
docker image inspect "${rootless_ids[@]}" >"$OUT/facts/rootless/images.json"
docker info --format '{{json .}}' >"$OUT/facts/rootless/info.json"
for id in "${rootless_ids[@]}"; do
  docker save -o "$OUT/archives/rootless/${id#sha256:}.tar" "$id"
done
stop_dockerd rootless

trap - EXIT
rm -rf "$CTX"
log "done: $OUT (export LAYERSCOPE_DATA_ROOT_FIXTURE=$OUT)"
