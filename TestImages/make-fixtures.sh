#!/usr/bin/env bash
# Builds the committed test images under TestImages/ with real tools.
#
# Usage: TestImages/make-fixtures.sh [--facts-only]   (as root, Debian 12)
#   --facts-only  only rewrite expected/*.json from the fixtures in place
#
# Every run rebuilds all fixtures from scratch in a scratch folder and then
# replaces the committed copies, so digests change between runs.
# After a run, TestImages/expected/*.json is regenerated from the new bytes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$HERE/tools"
WORK="${WORK:-/tmp/layerscope-fixtures}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}"
DOCKER_BIN=/usr/bin/docker
DOCKERD_BIN=/usr/sbin/dockerd
DIVE="${DIVE:-/opt/dive-venv/bin/dive}"

log() { printf '== %s\n' "$*" >&2; }

# Writes expected/*.json from the fixtures as they are now in TestImages/.
derive_all_facts() {
  log "expected facts"
  rm -rf "$HERE/expected"
  mkdir -p "$HERE/expected/bad"
  local f name
  for f in "$HERE"/*.tar "$HERE/oci-layout" "$HERE"/bad/*.tar; do
    name="${f#"$HERE"/}"
    python3 "$TOOLS/derive_facts.py" --dive "$DIVE" "$f" \
      >"$HERE/expected/${name%.tar}.json"
  done
}

if [[ ${1:-} == --facts-only ]]; then
  derive_all_facts
  exit 0
fi

# --- packages ---------------------------------------------------------------

need_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
}

need_packages docker.io buildah skopeo umoci podman busybox-static tar zstd \
  gzip python3 jq

# --- scratch space ----------------------------------------------------------

DD="$WORK/docker"            # dockerd data root, exec root, socket
BR="$WORK/buildah"           # containers-storage for buildah and podman
OUT="$WORK/out"              # finished fixtures before they are copied

stop_dockerd() {
  if [[ -f "$DD/pid" ]]; then
    kill -TERM "$(cat "$DD/pid")" 2>/dev/null || true
    for _ in $(seq 60); do [[ -f "$DD/pid" ]] || break; sleep 0.5; done
  fi
}

cleanup() {
  stop_dockerd
  # containers-storage leaves mounts behind when a build fails.
  umount -R "$DD/root" 2>/dev/null || true
}
trap cleanup EXIT

stop_dockerd
rm -rf "$WORK"
mkdir -p "$DD/root" "$DD/exec" "$BR" "$OUT/bad" "$WORK/ctx"

# --- tiny base root file system, made with plain tar ------------------------

# The image never contains a shell.
# RUN steps bind-mount busybox over the empty placeholder /bin/sh, so the
# layers stay a few kilobytes and only hold what the steps write.
make_base_rootfs() {
  local r="$WORK/rootfs"
  mkdir -p "$r"/{bin,dev,proc,sys,tmp,etc,opt/app,var/cache/app,usr/share/data}
  chmod 1777 "$r/tmp"
  : >"$r/bin/sh"
  chmod 0755 "$r/bin/sh"
  printf 'Welcome to the layerscope fixture image.\n' >"$r/etc/motd"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n' \
    >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  printf 'NAME="layerscope fixture"\nID=fixture\n' >"$r/etc/os-release"
  printf 'mode=original\nlevel=1\n' >"$r/opt/app/config.txt"
  head -c 4096 /dev/zero | tr '\0' 'A' >"$r/opt/app/big.dat"
  head -c 1000 /dev/zero | tr '\0' 'a' >"$r/var/cache/app/a.bin"
  head -c 234 /dev/zero | tr '\0' 'b' >"$r/var/cache/app/b.bin"
  printf 'one\n' >"$r/usr/share/data/one.txt"
  printf 'two\n' >"$r/usr/share/data/two.txt"
  tar -C "$r" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@$SOURCE_DATE_EPOCH" --format=pax \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -cf "$WORK/ctx/base.tar" bin dev etc opt proc sys tmp usr var
}

make_base_rootfs
cp /bin/busybox "$WORK/ctx/busybox"

# --- dockerd 20.10 on a data root of its own --------------------------------

start_dockerd() {
  log "starting dockerd on $DD"
  "$DOCKERD_BIN" --storage-driver=overlay2 --iptables=false --ip-masq=false \
    --bridge=none --data-root "$DD/root" --exec-root "$DD/exec" \
    --pidfile "$DD/pid" -H "unix://$DD/sock" >"$DD/log" 2>&1 &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "dockerd did not start; see $DD/log"
  return 1
}

docker() { DOCKER_API_VERSION=1.41 "$DOCKER_BIN" -H "unix://$DD/sock" "$@"; }

build() { # build TAG... -- DOCKERFILE
  local tags=()
  while [[ $1 != -- ]]; do tags+=(-t "$1"); shift; done
  DOCKER_BUILDKIT=1 docker build --network none --progress plain \
    "${tags[@]}" -f "$2" "$WORK/ctx" >>"$WORK/build.log" 2>&1
}

start_dockerd

# A file name component longer than 100 bytes forces a PAX path record.
LONG_NAME="$(printf 'long-name-%02d-' $(seq 1 10))end.txt"
# Shell line that mounts busybox as /bin/sh for one RUN step.
BB='--mount=type=bind,from=tools,source=/busybox,target=/bin/sh'

cat >"$WORK/ctx/Dockerfile.base" <<DOCKERFILE
FROM scratch
ADD base.tar /
CMD ["/bin/sh"]
DOCKERFILE
build layerscope/base:1 -- "$WORK/ctx/Dockerfile.base"

cat >"$WORK/ctx/Dockerfile.legacy" <<DOCKERFILE
FROM scratch AS tools
COPY busybox /busybox

FROM layerscope/base:1
ENV APP_MODE=fixture
RUN $BB mkdir -p /srv/www && printf '<h1>hello</h1>\n' >/srv/www/index.html && ln /srv/www/index.html /srv/www/index-hardlink.html && ln -s www /srv/current
RUN $BB mkdir /srv/names && printf 'long\n' >/srv/names/$LONG_NAME && printf 'raw\n' >"\$(printf '/srv/names/raw-\\377\\376.txt')"
LABEL org.opencontainers.image.title="layerscope fixture"
RUN $BB chmod 0600 /opt/app/config.txt && printf 'mode=changed\n' >/opt/app/config.txt && head -c 4096 /dev/zero | tr '\\0' B >/opt/app/big.dat
RUN $BB rm /etc/motd && rm -rf /var/cache/app
RUN $BB rm -rf /usr/share/data && mkdir /usr/share/data && printf 'three\n' >/usr/share/data/three.txt
DOCKERFILE
build layerscope/fixture:latest layerscope/fixture:v1 \
  registry.example.com/team/fixture:1.0 -- "$WORK/ctx/Dockerfile.legacy"

# Two more images on the same base layer, for a multi-image save.
cat >"$WORK/ctx/Dockerfile.app-a" <<DOCKERFILE
FROM scratch AS tools
COPY busybox /busybox

FROM layerscope/base:1
RUN $BB mkdir -p /srv && printf 'app a\n' >/srv/a.txt
DOCKERFILE
build layerscope/app-a:1 -- "$WORK/ctx/Dockerfile.app-a"

printf 'app b\n' >"$WORK/ctx/b.txt"
cat >"$WORK/ctx/Dockerfile.app-b" <<DOCKERFILE
FROM layerscope/base:1
COPY b.txt /srv/b.txt
USER 65534
DOCKERFILE
build layerscope/app-b:1 -- "$WORK/ctx/Dockerfile.app-b"

log "docker save"
docker save -o "$OUT/docker-legacy.tar" layerscope/fixture:latest \
  layerscope/fixture:v1 registry.example.com/team/fixture:1.0
docker save -o "$OUT/multi-image.tar" layerscope/base:1 layerscope/app-a:1 \
  layerscope/app-b:1
stop_dockerd

# --- skopeo conversions of the docker save archive ---------------------------

SRC="docker-archive:$OUT/docker-legacy.tar:layerscope/fixture:v1"
log "skopeo copy"
skopeo copy -q "$SRC" "oci-archive:$OUT/oci-gzip.tar:layerscope/fixture:v1"
skopeo copy -q --dest-compress-format zstd "$SRC" \
  "oci-archive:$OUT/oci-zstd.tar:layerscope/fixture:v1"
# zstd:chunked: one zstd frame per file and the table of contents in skippable
# frames at the end of each layer.
skopeo copy -q --dest-compress-format zstd:chunked "$SRC" \
  "oci-archive:$OUT/oci-zstd-chunked.tar:layerscope/fixture:v1"
# containers/image keeps plain layers with this flag, yet labels them
# "tar+gzip" in the manifest (skopeo 1.9.3); the fixture keeps that lie.
skopeo copy -q --dest-oci-accept-uncompressed-layers "$SRC" \
  "oci-archive:$OUT/plain-layers.tar:layerscope/fixture:v1"
skopeo copy -q "$SRC" \
  "docker-archive:$OUT/docker-archive-skopeo.tar:layerscope/fixture:v1"
skopeo copy -q "$SRC" "oci:$OUT/oci-layout:v1"

# --- buildah and podman, on containers-storage of their own ------------------

B=(buildah --root "$BR/root" --runroot "$BR/run" --storage-driver vfs)
P=(podman --root "$BR/root" --runroot "$BR/run" --storage-driver vfs)

log "buildah bud"
cat >"$WORK/ctx/Containerfile.buildah" <<CONTAINERFILE
FROM scratch AS tools
COPY busybox /busybox

FROM scratch
ADD base.tar /
RUN $BB rm -rf /usr/share/data && mkdir /usr/share/data && printf 'four\n' >/usr/share/data/four.txt && rm /etc/motd
COPY b.txt /srv/b.txt
CONTAINERFILE
"${B[@]}" bud -q --isolation chroot --layers -f "$WORK/ctx/Containerfile.buildah" \
  -t layerscope/buildah:1 "$WORK/ctx" >/dev/null
"${B[@]}" push -q layerscope/buildah:1 \
  "docker-archive:$OUT/buildah-archive.tar:layerscope/buildah:1"

log "podman save"
"${P[@]}" pull -q "$SRC" >/dev/null
"${P[@]}" save -q --format docker-archive -o "$OUT/podman-archive.tar" \
  layerscope/fixture:v1

log "buildah manifest (two platforms)"
c="$("${B[@]}" from -q scratch)"
"${B[@]}" add -q "$c" "$WORK/ctx/base.tar" /
"${B[@]}" config --os linux --arch amd64 "$c"
"${B[@]}" commit -q "$c" layerscope/mp-base:1 >/dev/null
"${B[@]}" rm "$c" >/dev/null
"${B[@]}" manifest create layerscope/multi:1 >/dev/null
for arch in amd64 arm64; do
  printf '%s\n' "$arch" >"$WORK/ctx/arch-$arch.txt"
  c="$("${B[@]}" from -q layerscope/mp-base:1)"
  "${B[@]}" add -q "$c" "$WORK/ctx/arch-$arch.txt" /etc/arch
  "${B[@]}" config --os linux --arch "$arch" --cmd '["/bin/sh"]' "$c"
  "${B[@]}" commit -q "$c" "layerscope/multi:$arch" >/dev/null
  "${B[@]}" rm "$c" >/dev/null
  "${B[@]}" manifest add layerscope/multi:1 \
    "containers-storage:localhost/layerscope/multi:$arch" >/dev/null
done
"${B[@]}" manifest push -q --all layerscope/multi:1 \
  "oci-archive:$OUT/multi-platform.tar:layerscope/multi:1"

# --- archives no tool here writes, rebuilt from real blobs --------------------

log "docker25 layout, multi-member gzip, bad inputs"
python3 "$TOOLS/make_docker25.py" "$OUT/docker-legacy.tar" "$OUT/docker25.tar"
python3 "$TOOLS/make_variants.py" "$OUT"

# --- replace the committed copies ---------------------------------------------

log "copying into $HERE"
rm -rf "$HERE"/*.tar "$HERE/oci-layout" "$HERE/bad" "$HERE/expected"
cp -a "$OUT"/. "$HERE"/
chmod -R u+rw,go+r "$HERE"

derive_all_facts
log "done: $(du -sh "$HERE" | cut -f1)"
