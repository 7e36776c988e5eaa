#!/usr/bin/env bash
# Builds the "million" bench image quickly, without docker build (whose classic builder did not
# get through the huge preset's 1M-file context in half an hour here): GNU tar writes two layer
# tars, a private dockerd `docker load`s them with a written config, and `docker save` writes
# the archive bench/run.sh times, bench/work/million/image.docker.tar.
#
#   layer 1  /srv/m/gNN/dNNN/fNNNN: MILLION_FILES small files (0-2,000 bytes each)
#   layer 2  whiteouts for every 50th file, an opaque directory (g00/d000 removed and made
#            again), and 10,000 new files under /srv/m/new
#
# Usage: bench/make-million-image.sh   (MILLION_FILES, default 1000000; FORCE=1 rebuilds)
# Needs root, docker.io, python3 and GNU tar.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
WORK="$BENCH_DIR/work"
OUT="$WORK/million"
FILES=${MILLION_FILES:-1000000}
PARAMS="files=$FILES"

log() { printf '%s [make-million] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "dockerd needs root"
if [[ ${FORCE:-0} != 1 && -f $OUT/image.docker.tar && $(cat "$OUT/params" 2>/dev/null) == "$PARAMS" ]]
then
  log "up to date ($PARAMS); FORCE=1 rebuilds"
  exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT/layer1" "$OUT/layer2" "$OUT/load"
t0=$(date +%s)

log "writing $FILES files"
python3 - "$OUT" "$FILES" <<'EOF'
import os, random, sys
out, files = sys.argv[1], int(sys.argv[2])
rng = random.Random(20240601)
pool = rng.randbytes(1 << 20)
def path(i):
    return "srv/m/g%02d/d%03d/f%05d" % (i // 10000 % 100, i // 100 % 100, i)
for i in range(files):
    p = os.path.join(out, "layer1", path(i))
    if i % 100 == 0:
        os.makedirs(os.path.dirname(p), exist_ok=True)
    size = rng.randrange(0, 2000)
    start = rng.randrange(0, len(pool) - size)
    with open(p, "wb") as f:
        f.write(pool[start:start + size])
two = os.path.join(out, "layer2")
for i in range(0, files, 50):
    if i // 100 % 100 == 0 and i // 10000 % 100 == 0:
        continue  # inside the opaque directory
    p = os.path.join(two, os.path.dirname(path(i)), ".wh." + os.path.basename(path(i)))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").close()
opaque = os.path.join(two, "srv/m/g00/d000")
os.makedirs(opaque, exist_ok=True)
open(os.path.join(opaque, ".wh..wh..opq"), "wb").close()
open(os.path.join(opaque, "remade.txt"), "wb").write(b"remade\n")
for i in range(10000):
    p = os.path.join(two, "srv/m/new/d%03d/n%05d" % (i // 100, i))
    if i % 100 == 0:
        os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(pool[i:i + rng.randrange(0, 2000)])
EOF

log "tarring the layers"
for n in 1 2; do
  find "$OUT/layer$n" -exec touch -h -d @1700000000 {} +
  tar -C "$OUT/layer$n" --sort=name --numeric-owner --owner=0 --group=0 -cf \
    "$OUT/load/layer$n.tar" srv
  rm -rf "$OUT/layer$n"
done

log "writing the config and manifest"
python3 - "$OUT/load" "$FILES" <<'EOF'
import hashlib, json, os, sys
load, files = sys.argv[1], int(sys.argv[2])
def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()
diff_ids = [sha(os.path.join(load, "layer%d.tar" % n)) for n in (1, 2)]
config = {
    "architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
    "config": {"Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [
        {"created": "2023-11-14T22:13:20Z", "created_by": "tar: %d small files" % files},
        {"created": "2023-11-14T22:13:20Z",
         "created_by": "tar: whiteouts, an opaque directory, 10000 new files"},
    ],
}
data = json.dumps(config, separators=(",", ":")).encode()
name = hashlib.sha256(data).hexdigest() + ".json"
open(os.path.join(load, name), "wb").write(data)
manifest = [{"Config": name, "RepoTags": ["layerscope-bench-million:1"],
             "Layers": ["layer1.tar", "layer2.tar"]}]
open(os.path.join(load, "manifest.json"), "w").write(json.dumps(manifest))
EOF
exec_root=$(mktemp -d /tmp/lsmillion.XXXXXX)
root="$WORK/million-docker-root"
stop() {
  [[ -f $exec_root/pid ]] && kill -TERM "$(cat "$exec_root/pid")" 2>/dev/null
  for _ in $(seq 60); do [[ -f $exec_root/pid ]] || break; sleep 1; done
  rm -rf "$root" "$exec_root"
}
trap stop EXIT
log "docker load and docker save through a private dockerd"
/usr/sbin/dockerd --storage-driver=overlay2 --iptables=false --ip-masq=false --bridge=none \
  --data-root "$root" --exec-root "$exec_root/exec" --pidfile "$exec_root/pid" \
  -H "unix://$exec_root/sock" >"$WORK/million-dockerd.log" 2>&1 &
docker() { /usr/bin/docker -H "unix://$exec_root/sock" "$@"; }
for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
tar -C "$OUT/load" -cf - . | docker load >/dev/null
rm -rf "$OUT/load"
docker save -o "$OUT/image.docker.tar" layerscope-bench-million:1
echo "$PARAMS" >"$OUT/params"
log "done in $(($(date +%s) - t0)) s"
