#!/usr/bin/env python3
"""Writes the docker build context of one bench image.

Everything is derived from a fixed seed, so two runs with the same
parameters write byte-identical files with identical modes and mtimes.

Layout of the context (each top folder becomes one COPY layer):
  alpha/srv/bench/alpha/...  half of the small files
  beta/srv/bench/beta/...    a quarter of the small files, the doomed tree,
                             and the list of files the RUN step deletes
  blobs/srv/blobs/...        the big random files
  gamma/srv/bench/gamma/...  the last quarter, plus rewrites of alpha files
  Dockerfile
"""

import argparse
import os
import random
import stat

MTIME = 1_700_000_000  # 2023-11-14, fixed so the tars do not change
FILES_PER_DIR = 100
DIRS_PER_GROUP = 25
POOL_SIZE = 1 << 20


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--files", type=int, required=True)
    parser.add_argument("--deletions", type=int, required=True)
    parser.add_argument("--big-files", type=int, default=3)
    parser.add_argument("--big-mb", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--tag", required=True)
    return parser.parse_args()


class Writer:
    """Writes small files whose bytes are slices of one random pool."""

    def __init__(self, rng):
        self.rng = rng
        self.pool = rng.randbytes(POOL_SIZE)
        self.count = 0

    def size(self):
        # Mostly small files with a tail up to 16 KB: about 3.8 KB on average.
        if self.rng.random() < 0.9:
            return self.rng.randrange(0, 6000)
        return self.rng.randrange(6000, 16000)

    def file(self, path, mode=0o644):
        size = self.size()
        start = self.rng.randrange(0, POOL_SIZE - size)
        with open(path, "wb") as handle:
            handle.write(self.pool[start:start + size])
        os.chmod(path, mode)
        self.count += 1

    def tree(self, root, count, prefix):
        """Writes `count` files under root/gNN/dNNN/, returns their paths."""
        paths = []
        index = 0
        group = 0
        while index < count:
            for d in range(DIRS_PER_GROUP):
                if index >= count:
                    break
                folder = os.path.join(root, f"g{group:03d}", f"d{d:03d}")
                os.makedirs(folder, exist_ok=True)
                for _ in range(min(FILES_PER_DIR, count - index)):
                    name = f"{prefix}{index:07d}"
                    path = os.path.join(folder, name)
                    # A few symlinks and executables, as real trees have.
                    if index % 97 == 5:
                        os.symlink(f"{prefix}{index - 1:07d}", path)
                    elif index % 41 == 3:
                        self.file(path + ".sh", 0o755)
                        path += ".sh"
                    else:
                        self.file(path + ".dat")
                        path += ".dat"
                    paths.append(path)
                    index += 1
            group += 1
        return paths


def write_big(root, count, megabytes, rng):
    os.makedirs(root, exist_ok=True)
    for number in range(1, count + 1):
        path = os.path.join(root, f"blob-{number}.bin")
        with open(path, "wb") as handle:
            for _ in range(megabytes):
                handle.write(rng.randbytes(1 << 20))


def pin_times(top):
    for folder, dirs, files in os.walk(top, topdown=False):
        for name in files + dirs:
            os.utime(os.path.join(folder, name), (MTIME, MTIME),
                     follow_symlinks=False)
    os.utime(top, (MTIME, MTIME))


def in_image(context_path, layer_root):
    """Maps a path in one layer's context folder to its path in the image."""
    return "/" + os.path.relpath(context_path, layer_root)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    writer = Writer(rng)
    out = args.out
    os.makedirs(out)

    alpha_count = args.files // 2
    doomed_count = max(1, args.deletions // 5)
    single_deletions = args.deletions - doomed_count
    beta_count = args.files // 4 - doomed_count
    gamma_count = args.files - alpha_count - beta_count - doomed_count

    alpha = writer.tree(f"{out}/alpha/srv/bench/alpha", alpha_count, "a")
    beta = writer.tree(f"{out}/beta/srv/bench/beta", beta_count, "b")
    writer.tree(f"{out}/beta/srv/bench/doomed", doomed_count, "x")
    write_big(f"{out}/blobs/srv/blobs", args.big_files, args.big_mb, rng)

    # The RUN step deletes evenly spread alpha and beta files, never
    # from alpha/g001, which it removes and makes again (an opaque dir).
    candidates = [p for p in alpha if "/g001/" not in p] + beta
    step = max(1, len(candidates) // max(1, single_deletions))
    doomed_files = candidates[::step][:single_deletions]
    doomed_set = set(doomed_files)
    plan = os.path.join(out, "beta/srv/bench/.plan")
    os.makedirs(plan)
    with open(os.path.join(plan, "delete.txt"), "w") as handle:
        for path in doomed_files:
            layer = "alpha" if "/srv/bench/alpha/" in path else "beta"
            handle.write(in_image(path, os.path.join(out, layer)) + "\n")

    # Gamma: new files, plus rewrites of surviving alpha files (modified).
    writer.tree(f"{out}/gamma/srv/bench/gamma", gamma_count, "c")
    survivors = [p for p in alpha[::53]
                 if p not in doomed_set and "/g001/" not in p
                 and not os.path.islink(p)]
    for path in survivors[:max(1, args.files // 600)]:
        target = os.path.join(out, "gamma", os.path.relpath(path, f"{out}/alpha"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        writer.file(target, stat.S_IMODE(os.lstat(path).st_mode))

    for layer in ("alpha", "beta", "blobs", "gamma"):
        pin_times(os.path.join(out, layer))

    with open(os.path.join(out, "Dockerfile"), "w") as handle:
        handle.write(DOCKERFILE.format(base="layerscope-bench-base:1"))
    print(f"small files written: {writer.count}, "
          f"single deletions: {len(doomed_files)}, doomed tree: {doomed_count}, "
          f"rewritten in gamma: {len(survivors[:max(1, args.files // 600)])}")


# Layers: base (busybox), alpha, beta, blobs, a RUN that deletes and edits,
# gamma. The RUN step uses only busybox applets.
DOCKERFILE = """FROM {base}
COPY alpha/ /
COPY beta/ /
COPY blobs/ /
RUN set -e; \\
    xargs rm -f < /srv/bench/.plan/delete.txt; \\
    rm -rf /srv/bench/.plan /srv/bench/doomed; \\
    rm -rf /srv/bench/alpha/g001; \\
    mkdir -p /srv/bench/alpha/g001/d000; \\
    echo remade > /srv/bench/alpha/g001/d000/remade.txt; \\
    for f in /srv/bench/beta/g000/d001/*.dat; do echo edit >> "$f"; done; \\
    for f in /srv/bench/beta/g000/d002/*.dat; do chmod 600 "$f"; done; \\
    mkdir -p /srv/bench/links; \\
    for f in /srv/bench/beta/g000/d003/*.dat; do \\
      ln "$f" /srv/bench/links/"$(basename "$f")"; \\
    done
COPY gamma/ /
"""

if __name__ == "__main__":
    main()
